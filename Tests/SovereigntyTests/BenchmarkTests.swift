import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import Sovereignty

/// Runs only when asked: `SOVEREIGNTY_BENCH=1000000 swift test --skip-build --filter SovereigntyBenchmark`.
/// Speed is recorded, never asserted.
@Suite("Sovereignty benchmark")
struct SovereigntyBenchmarkTests {
    static let size = ProcessInfo.processInfo.environment["SOVEREIGNTY_BENCH"].flatMap(Int.init)

    @Test("the indicator over many declarations", .enabled(if: size != nil))
    func indicator() async throws {
        try await TestPlatform.with(modules: [SovereigntyModule()], demo: false) { platform in
            let report = try await SovereigntyBenchmark.run(services: platform.services, declarations: Self.size ?? 10_000) { print("  \($0)") }
            print(report)
            #expect(report.cells > 0)
        }
    }
}
