import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Use case demo data")
struct DemoTests {
    @Test("the demo loads at least 40 published use cases across industries and municipality sizes, once")
    func demo() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            try await UseCasesModule().loadDemo(services: platform.services)
            let count = try await platform.count(UseCaseRecord.self)
            try await UseCasesModule().loadDemo(services: platform.services)
            #expect(try await platform.count(UseCaseRecord.self) == count)

            let page = try await APIClient(client).get("/api/v1/usecases?limit=1")
            #expect(page.object["total"] as? Int ?? 0 >= 40)
            let facets = try #require(page.object["facets"] as? [String: [[String: Any]]])
            #expect((facets["industry"]?.count ?? 0) >= 10)
            let scales = Set((facets["municipalityScale"] ?? []).compactMap { $0["value"] as? String })
            #expect(scales.isSuperset(of: ["prefecture", "designated-city", "core-city", "city", "special-ward", "town-village"]))
            // A moderation queue, a request for changes and needs (one solved) for the demo accounts.
            let reviewer = APIClient(client, token: try await platform.token(for: Fixture.reviewer))
            #expect(try await reviewer.get("/api/v1/usecase-submissions?status=submitted").object["total"] as? Int == 1)
            let needs = try await APIClient(client).get("/api/v1/usecase-needs?status=all")
            #expect(needs.object["total"] as? Int == 4)
        }
    }
}
