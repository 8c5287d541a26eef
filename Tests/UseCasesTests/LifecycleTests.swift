import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Use case lifecycle and permissions")
struct LifecycleTests {
    @Test("draft → submitted → changes requested → published → updated → withdrawn, every version kept and logged")
    func fullLifecycle() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let anonymous = APIClient(client)

            // Given a draft of the city
            let id = try await city.create(Fixture.content())
            #expect(try await anonymous.get("/api/v1/usecases").object["total"] as? Int == 0)

            // When it is submitted and the moderator asks for changes
            #expect(try await city.act(id, "submit").object["status"] as? String == "submitted")
            #expect(try await city.api.call(.put, "/api/v1/usecase-submissions/\(id)", json: Fixture.json(Fixture.content())).status == .conflict)
            let changes = try await reviewer.act(id, "request-changes", comment: "効果の測り方を詳しく書いてください。")
            #expect(changes.object["status"] as? String == "changes-requested")

            // Then the owner edits, resubmits, and the moderator publishes version 1
            var revised = Fixture.content()
            revised.results.measurement = "導入前後3か月の作業記録を比較"
            #expect(try await city.api.call(.put, "/api/v1/usecase-submissions/\(id)", json: Fixture.json(revised)).status == .ok)
            #expect(try await city.act(id, "submit").status == .ok)
            let published = try await reviewer.act(id, "publish")
            #expect(published.status == .ok)
            let number = try #require(published.object["number"] as? String)
            #expect(number.hasPrefix("UC-") && number.hasSuffix("-0001"))

            let v1 = try await anonymous.get("/api/v1/usecases/\(number)")
            #expect(v1.status == .ok)
            #expect(v1.object["version"] as? Int == 1)
            let v1Index = try #require(v1.object["logIndex"] as? Int)

            // An update goes through review again while the public keeps version 1
            revised.title = "議事録の自動要約（第2版）"
            #expect(try await city.api.call(.put, "/api/v1/usecase-submissions/\(id)", json: Fixture.json(revised)).object["status"] as? String == "draft")
            #expect((try await anonymous.get("/api/v1/usecases/\(number)").object["content"] as? [String: Any])?["title"] as? String == "議事録の自動要約")
            #expect(try await city.act(id, "submit").status == .ok)
            #expect(try await reviewer.act(id, "publish", comment: "タイトルを更新").status == .ok)
            let v2 = try await anonymous.get("/api/v1/usecases/\(number)")
            #expect(v2.object["version"] as? Int == 2)
            #expect((v2.object["logIndexes"] as? [Int])?.count == 2)
            let versions = try await anonymous.get("/api/v1/usecases/\(number)/versions")
            #expect((versions.json as? [[String: Any]])?.map { $0["version"] as? Int } == [2, 1])

            // Version 1 is kept exactly as logged: its canonical JSON hashes to the log entry's content hash.
            let old = try await anonymous.get("/api/v1/usecases/\(number)/versions/1")
            #expect(old.object["logIndex"] as? Int == v1Index)
            let record = try JSONDecoder.iso.decode(VersionEnvelope.self, from: Data(buffer: old.body)).record
            #expect(try CanonicalJSON.sha256Hex(of: record) == old.object["contentHash"] as? String)
            let entry = try #require(try await TransparencyLogStore.entry(index: Int64(v1Index), on: platform.services.db))
            #expect(entry.entry.contentHash == old.object["contentHash"] as? String)
            #expect(entry.entry.recordNumber == number)

            // Withdrawal is a logged public record too; the case leaves the list but its page explains why.
            #expect(try await city.act(id, "withdraw").status == .unprocessableContent)
            #expect(try await city.act(id, "withdraw", comment: "制度変更のため").object["status"] as? String == "withdrawn")
            #expect(try await anonymous.get("/api/v1/usecases").object["total"] as? Int == 0)
            let gone = try await anonymous.get("/api/v1/usecases/\(number)")
            #expect(gone.object["status"] as? String == "withdrawn")
            #expect((gone.object["logIndexes"] as? [Int])?.count == 3)
        }
    }

    struct VersionEnvelope: Decodable { var record: PublishedUseCase }
}
