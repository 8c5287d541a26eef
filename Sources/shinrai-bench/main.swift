import FluentKit
import Foundation
import Logging
import SQLKit
import ShinraiKit

/// Release-build benchmarks whose results are recorded in docs/BENCHMARKS.md.
/// Usage: shinrai-bench log [--entries N] [--batch N] [--database URL]
@main
struct Bench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            print("usage: shinrai-bench log [--entries N] [--batch N] [--database URL]")
            return
        }
        arguments.removeFirst()
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        switch command {
        case "log":
            try await logBenchmark(entries: Int(option("--entries") ?? "") ?? 1_000_000, batch: Int(option("--batch") ?? "") ?? 1000,
                                   database: option("--database"))
        default:
            print("unknown benchmark \(command)")
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    static func logBenchmark(entries total: Int, batch: Int, database: String?) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let file = NSTemporaryDirectory() + "shinrai-bench-\(UUID().uuidString).sqlite"
        let location = try DatabaseLocation(database ?? "sqlite:\(file)")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        var config = ShinraiConfig.defaults
        config.databaseURL = database ?? "sqlite:\(file)"
        config.dataDirectory = NSTemporaryDirectory() + "shinrai-bench-data"
        let platform = try Platform(config: config, modules: [], logger: logger)
        try await platform.migrate()
        let db = platform.services.db
        let base = Date(timeIntervalSince1970: 1_795_705_440)
        print("database: \(location.isPostgres ? "PostgreSQL" : "SQLite file"), entries: \(total), batch: \(batch)")
        let clock = ContinuousClock()
        var appended = 0
        let appendStart = clock.now
        while appended < total {
            let count = min(batch, total - appended)
            let entries = try (appended..<(appended + count)).map { n in
                try LogEntry(type: "bench.record", subject: "subject \(n)", recordNumber: "BEN-2026-\(n)",
                             contentHash: String(repeating: String(format: "%02x", n % 256), count: 32), time: base.addingTimeInterval(Double(n)))
            }
            _ = try await db.transaction { try await TransparencyLogStore.append(entries, on: $0) }
            appended += count
            if appended % 100_000 == 0 { print("  appended \(appended)") }
        }
        let appendSeconds = (clock.now - appendStart) / .seconds(1)
        print(String(format: "append: %d entries in %.1f s = %.0f entries/s", total, appendSeconds, Double(total) / appendSeconds))
        let head = try await TransparencyLogStore.head(on: db)
        var timings: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let index = Int64.random(in: 0..<head.size, using: &generator)
            let start = clock.now
            let proof = try await TransparencyLogStore.inclusionProof(index: index, size: head.size, on: db)
            timings.append((clock.now - start) / .milliseconds(1))
            precondition(!proof.isEmpty || head.size == 1)
        }
        timings.sort()
        print(String(format: "inclusion proof at size %lld: median %.3f ms, p95 %.3f ms, p99 %.3f ms (2000 random indexes)",
                     head.size, percentile(timings, 0.5), percentile(timings, 0.95), percentile(timings, 0.99)))
        var consistency: [Double] = []
        for _ in 0..<500 {
            let first = Int64.random(in: 1..<head.size, using: &generator)
            let start = clock.now
            _ = try await TransparencyLogStore.consistencyProof(first: first, second: head.size, on: db)
            consistency.append((clock.now - start) / .milliseconds(1))
        }
        consistency.sort()
        print(String(format: "consistency proof: median %.3f ms, p95 %.3f ms", percentile(consistency, 0.5), percentile(consistency, 0.95)))
        await platform.shutdown()
    }
}
