import Foundation
import Testing
@testable import ShinraiKit

@Suite("Benchmark measurements")
struct BenchmarkMeasurementTests {
    @Test("median, p95 and the printed line, with and without a size")
    func line() {
        // 20 runs of 1…20 ms, shuffled: median is the sample at index 10, p95 the one at index 19.
        let samples = (1...20).map { Double($0) / 1000 }.shuffled()
        let plain = BenchmarkMeasurement(name: "incident list: page 1", samples: samples)
        #expect(plain.median == 0.011)
        #expect(plain.p95 == 0.020)
        #expect(plain.line == "incident list: page 1: n=20, median 11.0 ms, p95 20.0 ms")
        let sized = BenchmarkMeasurement(name: "JSON list, ISMAP, first page (50)", samples: [0.0404, 0.0501, 0.0302], bytes: 25_110)
        #expect(sized.median == 0.0404)
        #expect(sized.p95 == 0.0501, "fewer than 20 runs: the largest")
        #expect(sized.line == "JSON list, ISMAP, first page (50): n=3, median 40.4 ms, p95 50.1 ms, 25110 bytes")
    }

    @Test("timing a closure runs it the given number of times and keeps the last size")
    func timing() async throws {
        var calls = 0
        let measured = try await BenchmarkMeasurement.time("count", runs: 7) { calls += 1 }
        #expect(calls == 7)
        #expect(measured.samples.count == 7)
        #expect(measured.samples.allSatisfy { $0 >= 0 })
        #expect(measured.bytes == nil)
        var size = 100
        let responses = try await BenchmarkMeasurement.timeResponses("answers", runs: 3) { size += 1; return size }
        #expect(responses.bytes == 103)
        #expect(responses.line.hasSuffix(", 103 bytes"))
        struct Stop: Error {}
        await #expect(throws: Stop.self) { try await BenchmarkMeasurement.time("fails", runs: 3) { throw Stop() } }
    }

    @Test("seconds of a duration")
    func seconds() {
        #expect(BenchmarkMeasurement.seconds(.milliseconds(1500)) == 1.5)
        #expect(BenchmarkMeasurement.seconds(.microseconds(250)) == 0.00025)
    }
}
