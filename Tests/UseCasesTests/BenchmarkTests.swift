import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

/// Opt-in: `SHINRAI_USECASES_BENCH=2000 swift test --skip-build --filter UseCasesBenchmarkRun` (the value is the
/// number of use cases; `1` or any non-number means 2,000). Debug build; release numbers come from `shinrai-bench`.
@Suite("Use case search benchmark", .enabled(if: ProcessInfo.processInfo.environment["SHINRAI_USECASES_BENCH"] != nil))
struct UseCasesBenchmarkRun {
    static var useCases: Int {
        let value = Int(ProcessInfo.processInfo.environment["SHINRAI_USECASES_BENCH"] ?? "") ?? 0
        return value > 1 ? value : 2_000
    }
    static var runs: Int { Int(ProcessInfo.processInfo.environment["SHINRAI_USECASES_BENCH_RUNS"] ?? "") ?? 30 }

    @Test("seed published use cases and time the public search")
    func run() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let lines = try await UseCasesBenchmark.run(services: platform.services, useCases: Self.useCases, runs: Self.runs) { print($0) }
            #expect(lines.count == UseCasesBenchmark.queries.count + 2)
            // The seeded cases are the real thing: the API lists them all and a real publication follows the seeded numbers.
            let all = try await APIClient(client).get("/api/v1/usecases?limit=1")
            #expect(all.object["total"] as? Int == Self.useCases)
            for (_, query) in UseCasesBenchmark.queries where !query.terms.isEmpty {
                #expect(try await PublicUseCases(services: platform.services, search: SearchSnapshots()).searchPage(query).total > 0, "\(query.text)")
            }
            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let number = try await publish(Fixture.content(), by: city, moderator: reviewer)
            #expect(number.hasSuffix(String(format: "%06d", Self.useCases + 1)) || number.hasSuffix(String(Self.useCases + 1)))
        }
    }
}
