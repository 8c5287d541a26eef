import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

/// Opt-in: `SHINRAI_DISCLOSURE_BENCH=1 swift test --skip-build --filter DisclosureBenchmarkRun` (debug build; the
/// release numbers come from `shinrai-bench`). Prints the service-level measurements and the HTTP routes on top.
@Suite("Benchmark run", .enabled(if: ProcessInfo.processInfo.environment["SHINRAI_DISCLOSURE_BENCH"] != nil))
struct DisclosureBenchmarkRun {
    static var companies: Int { Int(ProcessInfo.processInfo.environment["SHINRAI_BENCH_COMPANIES"] ?? "") ?? 500 }
    static var years: Int { Int(ProcessInfo.processInfo.environment["SHINRAI_BENCH_YEARS"] ?? "") ?? 5 }
    static var filings: Int { Int(ProcessInfo.processInfo.environment["SHINRAI_BENCH_FILINGS"] ?? "") ?? 50_000 }

    @Test("survey of 500 companies × 5 years; incident list with 50,000 filings")
    func run() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock()) { platform, client in
            let services = platform.services
            let clock = ContinuousClock()
            var start = clock.now
            let (index, firstYear) = try await CyberDisclosureBenchmark.seedSurvey(services: services, companies: Self.companies, years: Self.years)
            print("seed: \(Self.companies) companies × \(Self.years) years in \(clock.now - start)")
            for measurement in try await CyberDisclosureBenchmark.measureSurvey(services: services, index: index, firstYear: firstYear, years: Self.years) {
                print(measurement.line)
            }
            start = clock.now
            try await CyberDisclosureBenchmark.seedIncidents(services: services, filings: Self.filings)
            print("seed: \(Self.filings) filings in \(clock.now - start)")
            for measurement in try await CyberDisclosureBenchmark.measureIncidentList(services: services) { print(measurement.line) }
            let api = APIClient(client)
            for (name, path) in [("HTTP GET /api/v1/disclosure/incidents (page 1)", "/api/v1/disclosure/incidents"),
                                 ("HTTP GET /api/v1/disclosure/incidents?page=500", "/api/v1/disclosure/incidents?page=500"),
                                 ("HTTP GET /disclosure/incidents (HTML page 1)", "/disclosure/incidents"),
                                 ("HTTP GET /disclosure/incidents/feed.atom", "/disclosure/incidents/feed.atom"),
                                 ("HTTP GET /disclosure/incidents/feed.json", "/disclosure/incidents/feed.json"),
                                 ("HTTP GET /api/v1/disclosure/surveys/{latest}", "/api/v1/disclosure/surveys/SRV-\(JapanTime.date(of: services.now).year)-\(String(format: "%04d", Self.years))"),
                                 ("HTTP GET /disclosure/surveys/{latest} (HTML, chart)", "/disclosure/surveys/SRV-\(JapanTime.date(of: services.now).year)-\(String(format: "%04d", Self.years))")] {
                let measurement = try await BenchmarkMeasurement.time(name, runs: 20) {
                    let reply = try await api.get(path)
                    #expect(reply.status == .ok, "\(path)")
                }
                print(measurement.line)
            }
            let csv = try await BenchmarkMeasurement.time("HTTP GET /disclosure/incidents.csv (all \(Self.filings + 10))", runs: 3) {
                let status = try await api.get("/disclosure/incidents.csv").status
                #expect(status == .ok)
            }
            print(csv.line)
        }
    }
}
