import FluentKit
import Foundation
import Logging
import SQLKit
import ShinraiKit

/// Release-build benchmarks whose results are recorded in docs/BENCHMARKS.md.
/// Each run uses a new temporary SQLite file unless `--database URL` names an (empty) database.
@main
struct Bench {
    static let usage = """
        usage: shinrai-bench COMMAND [--database URL]
          log          [--entries 1000000] [--batch 1000]   transparency-log appends and proofs
          cloud        [--services 10000] [--controls 2000] [--runs 30]   CloudAssurance lists, catalogue, calculator (HTTP)
          disclosure   [--companies 500] [--years 5] [--filings 50000] [--runs 30]   survey and public incident list
          sovereignty  [--declarations 1000000]   the self-sufficiency indicator
          usecases     [--usecases 100000] [--runs 30]   use-case search
        """

    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            print(usage)
            return
        }
        arguments.removeFirst()
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        func number(_ name: String, _ fallback: Int) -> Int { Int(option(name) ?? "") ?? fallback }
        let database = option("--database")
        switch command {
        case "log":
            try await logBenchmark(entries: number("--entries", 1_000_000), batch: number("--batch", 1000), database: database)
        case "cloud":
            try await ModuleBench.cloud(services: number("--services", 10_000), controls: number("--controls", 2_000),
                                        runs: number("--runs", 30), database: database)
        case "disclosure":
            try await ModuleBench.disclosure(companies: number("--companies", 500), years: number("--years", 5),
                                             filings: number("--filings", 50_000), runs: number("--runs", 30), database: database)
        case "sovereignty":
            try await ModuleBench.sovereignty(declarations: number("--declarations", 1_000_000), database: database)
        case "usecases":
            try await ModuleBench.usecases(count: number("--usecases", 100_000), runs: number("--runs", 30), database: database)
        default:
            print("unknown benchmark \(command)\n\(usage)")
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    static func logBenchmark(entries total: Int, batch: Int, database: String?) async throws {
        try await BenchPlatform.with(modules: [], database: database) { platform, _ in
            try await logBenchmark(entries: total, batch: batch, platform: platform)
        }
    }

    static func logBenchmark(entries total: Int, batch: Int, platform: Platform) async throws {
        let db = platform.services.db
        let base = Date(timeIntervalSince1970: 1_795_705_440)
        print("entries: \(total), batch: \(batch)")
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
    }
}
