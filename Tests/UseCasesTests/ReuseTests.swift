import FluentKit
import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Reuse: filling prompts, counts, similar cases")
struct ReuseTests {
    @Test("a prompt is filled through the API; only a complete prompt counts as a reuse; views are counted on the page")
    func fillAndCount() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let number = try await publish(Fixture.content(prompts: [Fixture.prompt]), by: city, moderator: reviewer)
            let anonymous = APIClient(client)
            let path = "/api/v1/usecases/\(number)/prompts/1/fill"

            let partial = try await anonymous.post(path, #"{"values":{"会議名":"<b>交通会議</b>"}}"#)
            #expect(partial.status == .ok)
            #expect(partial.object["complete"] as? Bool == false)
            #expect(partial.object["missing"] as? [String] == ["文字起こし"])
            #expect((partial.object["prompt"] as? String)?.contains("{{文字起こし}}") == true)
            #expect(try await anonymous.get("/api/v1/usecases/\(number)").object["reuses"] as? Int == 0)

            let complete = try await anonymous.post(path, #"{"values":{"会議名":"<b>交通会議</b>","文字起こし":"{{会議名}}の記録"}}"#)
            #expect(complete.object["complete"] as? Bool == true)
            // Values are inserted as they are: no second expansion; the JSON carries the text, not HTML.
            #expect(complete.object["prompt"] as? String == "次の<b>交通会議</b>の文字起こしを、決定事項と宿題に分けて要約してください。\n\n{{会議名}}の記録")
            #expect(complete.object["reuses"] as? Int == 1)
            #expect(try await anonymous.post("/api/v1/usecases/\(number)/prompts/2/fill", #"{"values":{}}"#).status == .notFound)
            #expect([.badRequest, .unprocessableContent].contains(try await anonymous.post(path, #"{"values":{"会議名":1}}"#).status))

            var browser = Browser(client)
            _ = try await browser.get("/usecases/\(number)")
            _ = try await browser.get("/usecases/\(number)")
            let detail = try await anonymous.get("/api/v1/usecases/\(number)")
            #expect(detail.object["views"] as? Int == 2)
            #expect(detail.object["reuses"] as? Int == 1)
            #expect(try await anonymous.get("/api/v1/usecases?sort=reused").status == .ok)
        }
    }

    @Test("every case page lists similar cases: same category first, never itself, never withdrawn ones")
    func similar() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let member = try await Session.signIn(platform, client, Fixture.member)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let a = try await publish(Fixture.content(title: "議事録の自動要約"), by: city, moderator: reviewer)
            let b = try await publish(Fixture.content(title: "会議の議事録作成支援", organisationType: .sme), by: member, moderator: reviewer)
            let c = try await publish(Fixture.content(title: "販売データの分析", summary: "売上を分析する。", category: "data-analysis", industry: "I",
                                                      organisationType: .sme), by: member, moderator: reviewer)
            let anonymous = APIClient(client)
            let similar = (try await anonymous.get("/api/v1/usecases/\(a)/similar").json as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            #expect(similar.first == b)
            #expect(!similar.contains(a) && !similar.contains(c))
            var visitor = Browser(client)
            let page = try await visitor.get("/usecases/\(a)")
            #expect(page.body.contains("id=\"similar\""))
            #expect(page.body.contains("/usecases/\(b)"))
            let old = try await visitor.get("/usecases/\(a)/versions/1")
            #expect(old.body.contains("id=\"similar\""))

            let id = try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == b).first()?.id)
            #expect(try await member.act(id.uuidString, "withdraw", comment: "終了").status == .ok)
            let after = (try await anonymous.get("/api/v1/usecases/\(a)/similar").json as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            #expect(!after.contains(b))
        }
    }
}
