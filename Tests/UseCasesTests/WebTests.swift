import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Use case web pages")
struct WebTests {
    @Test("a member shares a use case through the forms; a reviewer publishes it; the public finds and reuses it")
    func throughTheBrowser() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            var member = Browser(client)
            try await member.signIn(Fixture.member)
            let form = try await member.get("/usecases/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"_csrf\""))

            // An incomplete form comes back with an error summary linking to the fields, and nothing is saved.
            let bad = try await member.post("/usecases/new", [("title", ""), ("organisationType", "sme"), ("stage", "pilot")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("error-summary"))
            #expect(bad.body.contains("href=\"#field-governance_confidentiality\""))
            #expect(try await platform.count(UseCaseRecord.self) == 0)

            let fields: [(String, String)] = [
                ("title", "見積書作成の下書き支援"), ("summary", "過去の見積書を参考に下書きを作り、作成時間を半分にした。"),
                ("organisationType", "sme"), ("industry", "G"), ("industryGroup", "39"), ("category", "document-drafting"), ("stage", "production"),
                ("problem", "見積書の作成に1件2時間かかっていた。"), ("solutionSteps", "過去の見積書を匿名化する\n生成AIで下書きを作る\n営業担当が確認する"),
                ("modelsUsed", "ChatGPT Enterprise"),
                ("prompts_0_title", "見積書の下書き"), ("prompts_0_template", "{{顧客業種}}向けに{{案件概要}}の見積書の項目案を作ってください。<script>"),
                ("prompts_0_variables", "顧客業種=製造業\n案件概要=在庫管理システムの改修"), ("prompts_0_sampleOutput", ""),
                ("results_hoursSavedPerMonth", "３０"), ("results_monthlyCostYen", "4,500"), ("results_measurement", "作業時間の記録"),
                ("governance_confidentiality", "2"), ("governance_personalData", "no"), ("governance_humanReview", "yes"),
                ("governance_countermeasures", "data-masking"), ("governance_countermeasures", "no-training"),
                ("licence", "CC-BY-4.0"), ("contact_department", "営業企画部"),
            ]
            let created = try await member.post("/usecases/new", fields)
            #expect(created.status == .seeOther, "\(created.body)")
            let manage = try #require(created.location)
            let page = try await member.get(manage)
            #expect(page.status == .ok)
            #expect(page.body.contains("見積書作成の下書き支援"))
            // The preview escapes what the member typed.
            #expect(page.body.contains("&lt;script&gt;"))
            #expect(!page.body.contains("<script>。") && !page.body.contains("してください。<script>"))
            let base = manage.components(separatedBy: "?")[0]
            let submitted = try await member.post(base + "/submit", [("revision", "1")])
            #expect(submitted.status == .seeOther, "\(submitted.body)")

            var reviewer = Browser(client)
            try await reviewer.signIn(Fixture.reviewer)
            let queue = try await reviewer.get("/usecases/moderation")
            #expect(queue.body.contains("見積書作成の下書き支援"))
            _ = try await reviewer.get(base)
            let published = try await reviewer.post(base + "/publish", [("revision", "2"), ("comment", "")])
            #expect(published.status == .seeOther, "\(published.body)")

            var visitor = Browser(client)
            let search = try await visitor.get("/usecases?q=%E8%A6%8B%E7%A9%8D")  // 見積 (two characters: substring fallback)
            #expect(search.status == .ok)
            #expect(search.body.contains("<mark>見積</mark>"))
            let number = try #require(search.body.firstMatch(of: /UC-\d{4}-\d{4}/).map { String($0.output) })
            let detail = try await visitor.get("/usecases/\(number)")
            #expect(detail.status == .ok)
            #expect(detail.body.contains("/log/entries/"))
            #expect(detail.body.contains("/api/v1/log/proof/inclusion?index="))
            #expect(detail.body.contains("30時間"))
            #expect(detail.body.contains("4,500円"))
            let promptPage = try await visitor.get("/usecases/\(number)/prompts/1")
            #expect(promptPage.status == .ok)
            let missing = try await visitor.post("/usecases/\(number)/prompts/1", [("var_0", "小売業"), ("var_1", "")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("案件概要"))
            let filled = try await visitor.post("/usecases/\(number)/prompts/1", [("var_0", "小売業"), ("var_1", "<b>POS</b>の更新")])
            #expect(filled.status == .ok)
            #expect(filled.body.contains("小売業向けに&lt;b&gt;POS&lt;/b&gt;の更新の見積書"))
            for path in ["/usecases/\(number)/versions", "/usecases/needs", "/usecases/export.csv", "/usecases/feed.atom",
                         "/usecases/export/us-ai-inventory.csv", "/usecases/assets/usecases.css"] {
                #expect(try await visitor.get(path).status == .ok, "\(path)")
            }
            for path in ["/usecases/mine", "/usecases/needs/new", "/usecases/import"] {
                #expect(try await member.get(path).status == .ok, "\(path)")
            }
            #expect(try await reviewer.get("/usecases/categories").status == .ok)
            #expect(try await member.get("/usecases/categories").status == .forbidden)
            #expect(try await visitor.get("/usecases/mine").status == .seeOther)
        }
    }
}
