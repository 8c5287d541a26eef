import CloudAssurance
import CyberDisclosure
import Foundation
import Logging
import ShinraiKit
import Sovereignty
import UseCases

/// A migrated platform on a new temporary SQLite file (removed afterwards), or on the database the
/// caller names; quiet logs so the numbers stand out.
enum BenchPlatform {
    static func with(modules: [any ShinraiModule], database: String?,
                     _ body: (Platform, DatabaseLocation) async throws -> Void) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let file = NSTemporaryDirectory() + "shinrai-bench-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        var config = ShinraiConfig.defaults
        config.databaseURL = database ?? "sqlite:\(file)"
        config.dataDirectory = NSTemporaryDirectory() + "shinrai-bench-data"
        let location = try DatabaseLocation(config.databaseURL)
        let platform = try Platform(config: config, modules: modules, logger: logger)
        do {
            try await platform.migrate()
            print("database: \(location.isPostgres ? "PostgreSQL" : "SQLite file")")
            try await body(platform, location)
        } catch {
            await platform.shutdown()
            throw error
        }
        await platform.shutdown()
    }
}

/// The module benchmarks, each with the module's own seeding and measuring code.
enum ModuleBench {
    static func cloud(services: Int, controls: Int, runs: Int, database: String?) async throws {
        try await BenchPlatform.with(modules: [CloudAssuranceModule()], database: database) { platform, _ in
            for line in try await CloudAssuranceBenchmark.run(platform: platform, services: services, controls: controls, runs: runs) {
                print(line)
            }
        }
    }

    static func disclosure(companies: Int, years: Int, filings: Int, runs: Int, database: String?) async throws {
        try await BenchPlatform.with(modules: [CyberDisclosureModule()], database: database) { platform, _ in
            let services = platform.services
            let clock = ContinuousClock()
            var start = clock.now
            let (index, firstYear) = try await CyberDisclosureBenchmark.seedSurvey(services: services, companies: companies, years: years)
            print("seeded \(companies) companies × \(years) years of annual filings in \(clock.now - start)")
            for measurement in try await CyberDisclosureBenchmark.measureSurvey(services: services, index: index, firstYear: firstYear, years: years) {
                print(measurement.line)
            }
            start = clock.now
            try await CyberDisclosureBenchmark.seedIncidents(services: services, filings: filings)
            print("seeded \(filings) published incident filings in \(clock.now - start)")
            for measurement in try await CyberDisclosureBenchmark.measureIncidentList(services: services, runs: runs) {
                print(measurement.line)
            }
        }
    }

    static func sovereignty(declarations: Int, database: String?) async throws {
        try await BenchPlatform.with(modules: [SovereigntyModule()], database: database) { platform, _ in
            let report = try await SovereigntyBenchmark.run(services: platform.services, declarations: declarations,
                                                            progress: { print("  \($0)") })
            print(report)
        }
    }

    static func usecases(count: Int, runs: Int, database: String?) async throws {
        try await BenchPlatform.with(modules: [UseCasesModule()], database: database) { platform, _ in
            // Every measurement is reported through `progress` as it is taken; the returned lines repeat them.
            _ = try await UseCasesBenchmark.run(services: platform.services, useCases: count, runs: runs, progress: { print($0) })
        }
    }
}
