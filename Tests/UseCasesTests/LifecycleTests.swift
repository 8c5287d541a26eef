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

    @Test("only the owner edits drafts, only moderators of another organisation decide, the public sees published versions only")
    func permissions() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let member = try await Session.signIn(platform, client, Fixture.member)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let admin = try await Session.signIn(platform, client, Fixture.admin)
            let anonymous = APIClient(client)
            let id = try await city.create(Fixture.content(title: "下書きの事例"))
            let path = "/api/v1/usecase-submissions/\(id)"

            // Another organisation's member does not even learn that the draft exists; the anonymous public is asked to sign in.
            #expect(try await member.api.get(path).status == .notFound)
            #expect(try await member.api.call(.put, path, json: Fixture.json(Fixture.content(title: "乗っ取り"))).status == .notFound)
            #expect(try await member.act(id, "submit").status == .notFound)
            #expect(try await member.api.call(.delete, path).status == .notFound)
            #expect(try await anonymous.get(path).status == .unauthorized)
            #expect(try await anonymous.post("/api/v1/usecase-submissions", Fixture.json(Fixture.content())).status == .unauthorized)
            // Moderators read every submission but never edit an organisation's content.
            #expect(try await reviewer.api.get(path).status == .ok)
            #expect(try await reviewer.api.call(.put, path, json: Fixture.json(Fixture.content(title: "審査者の書き換え"))).status == .forbidden)
            #expect((try await member.api.get("/api/v1/usecase-submissions").object["total"] as? Int) == 0)

            // The owner cannot publish or ask for changes; a moderator cannot publish a draft that was not submitted.
            #expect(try await reviewer.act(id, "publish").status == .conflict)
            #expect(try await city.act(id, "submit").status == .ok)
            #expect(try await city.act(id, "publish").status == .forbidden)
            #expect(try await member.act(id, "request-changes", comment: "x").status == .notFound)
            #expect(try await reviewer.act(id, "request-changes").status == .unprocessableContent)  // the comment is required
            #expect(try await UseCaseRecord.find(UUID(uuidString: id), on: platform.services.db)?.status == .submitted)

            // Nothing unpublished is public: not in the search, not by number, not on the web.
            #expect(try await anonymous.get("/api/v1/usecases").object["total"] as? Int == 0)
            #expect(try await anonymous.get("/api/v1/usecases?q=" + URLQuery.encode("下書きの事例")).object["total"] as? Int == 0)
            var visitor = Browser(client)
            #expect(try await visitor.get("/usecases/manage/\(id)").status == .seeOther)
            var stranger = Browser(client)
            try await stranger.signIn(Fixture.member)
            #expect(try await stranger.get("/usecases/manage/\(id)").status == .notFound)

            // Published: the public sees version 1; the owner's next draft stays private until it is published.
            let number = try #require(try await reviewer.act(id, "publish").object["number"] as? String)
            var draft = Fixture.content(title: "下書きの事例（改訂中）")
            draft.summary = "まだ公開していない改訂の概要。"
            #expect(try await city.api.call(.put, path, json: Fixture.json(draft)).status == .ok)
            #expect((try await anonymous.get("/api/v1/usecases/\(number)").object["content"] as? [String: Any])?["title"] as? String == "下書きの事例")
            #expect(try await anonymous.get("/api/v1/usecases/\(number)/versions/2").status == .notFound)
            #expect(try await anonymous.get("/api/v1/usecases?q=" + URLQuery.encode("改訂中")).object["total"] as? Int == 0)
            let page = try await visitor.get("/usecases/\(number)")
            #expect(page.status == .ok)
            #expect(!page.body.contains("まだ公開していない改訂"))

            // A moderator does not moderate their own organisation's case (the reviewer and the administrator share one).
            let own = try await reviewer.create(Fixture.content(title: "運営機関の事例"))
            #expect(try await reviewer.act(own, "submit").status == .ok)
            let refused = try await admin.act(own, "publish")
            #expect(refused.status == .forbidden)
            #expect((refused.object["detail"] as? String)?.contains("自分の組織") == true || (refused.object["detail"] as? String)?.contains("own organisation") == true)
        }
    }

    struct VersionEnvelope: Decodable { var record: PublishedUseCase }
}
