import Foundation

/// Timings of one benchmarked operation, printed as one line of the form recorded in
/// docs/BENCHMARKS.md: `NAME: n=30, median 40.4 ms, p95 50.1 ms[, 25110 bytes]`.
public struct BenchmarkMeasurement: Sendable, Equatable {
    public let name: String
    /// Seconds per run.
    public let samples: [Double]
    /// Size of the last answer, for measurements of responses.
    public let bytes: Int?

    public init(name: String, samples: [Double], bytes: Int? = nil) {
        precondition(!samples.isEmpty, "a measurement needs at least one run")
        self.name = name; self.samples = samples; self.bytes = bytes
    }

    /// The upper median for an even number of runs (the sample at index n/2).
    public var median: Double { samples.sorted()[samples.count / 2] }
    /// The sample at index ⌊0.95·n⌋ (the largest one for n < 20).
    public var p95: Double { samples.sorted()[min(samples.count - 1, Int(Double(samples.count) * 0.95))] }

    public var line: String {
        func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
        let size = bytes.map { ", \($0) bytes" } ?? ""
        return "\(name): n=\(samples.count), median \(ms(median)) ms, p95 \(ms(p95)) ms\(size)"
    }

    /// Runs `body` `runs` times and times each run.
    public static func time(_ name: String, runs: Int, _ body: () async throws -> Void) async throws -> BenchmarkMeasurement {
        try await time(name, runs: runs, recordingBytes: false) { try await body(); return 0 }
    }

    /// Runs `body` `runs` times and times each run; `body` returns the size of the answer it
    /// received, and the last size is recorded.
    public static func timeResponses(_ name: String, runs: Int, _ body: () async throws -> Int) async throws -> BenchmarkMeasurement {
        try await time(name, runs: runs, recordingBytes: true, body)
    }

    private static func time(_ name: String, runs: Int, recordingBytes: Bool, _ body: () async throws -> Int) async throws -> BenchmarkMeasurement {
        let clock = ContinuousClock()
        var samples: [Double] = []
        var bytes = 0
        for _ in 0..<runs {
            let start = clock.now
            bytes = try await body()
            samples.append(seconds(clock.now - start))
        }
        return BenchmarkMeasurement(name: name, samples: samples, bytes: recordingBytes ? bytes : nil)
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
