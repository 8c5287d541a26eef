import FluentKit
import Foundation
import HTTPTypes
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Open data: US inventory import and export, feed, CSV")
struct ExchangeTests {
    static func importBody(_ csv: String, dryRun: Bool = false, skipInvalid: Bool = false) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: ["format": USInventory.formatName, "csv": csv, "dryRun": dryRun, "skipInvalid": skipInvalid]), as: UTF8.self)
    }

    static func content(of reply: APIClient.Reply) throws -> UseCaseContent {
        let object = try #require(reply.object["content"])
        return try JSONDecoder().decode(UseCaseContent.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// A case that uses every field, with a step of several lines and a step that starts with a number.
    static var rich: UseCaseContent {
        var c = Fixture.content(title: "住民向け通知文の作成支援", prompts: [Fixture.prompt,
            .init(title: "通知文の言い換え", template: "次の通知文を{{対象}}向けにやさしい日本語で書き直してください。JSON例: \\{{\"a\": 1}}\n\n{{通知文}}",
                  variables: [.init(name: "対象", example: "高齢の方"), .init(name: "通知文", example: "（通知文の本文）")], sampleOutput: "（言い換えた文）")])
        c.industryGroup = "98"
        c.solutionSteps = ["録音を文字起こしする", "生成AIで要約する\n  決定事項と宿題に分ける\n\n2. と書かれた行も手順の続き", "2. 担当者が確認する"]
        c.modelsUsed = ["Azure OpenAI Service", "国産LLM（オンプレミス）"]
        c.results = .init(hoursSavedPerMonth: 12.5, monthlyCostYen: 30_000, initialCostYen: 1_200_000, quality: "誤字が減った", measurement: "作業記録の比較")
        c.governance = .init(confidentiality: 2, personalData: true, humanReview: true, humanReviewNote: "課長が確認する",
                             countermeasures: [.promptInjection, .dataMasking], otherCountermeasures: "入力文字数の上限",
                             riskChecks: [.publicFacing, .rightsImpact])
        c.lessonsLearned = "最初に用語集を作る。\n職員研修が大切。"
        c.licence = .ccBySa
        c.contact = .init(department: "情報政策課", email: "ai@example.jp", url: "https://example.jp/ai")
        return c
    }

    @Test("export in the US inventory layout and import it again: the same content, as drafts of the importer")
    func roundTrip() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let member = try await Session.signIn(platform, client, Fixture.member)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let first = try await publish(Self.rich, by: city, moderator: reviewer)
            let second = try await publish(Fixture.content(title: "観光案内の翻訳", category: "translation", industry: "N", organisationType: .sme),
                                           by: member, moderator: reviewer)
            let anonymous = APIClient(client)
            let published = [first: try Self.content(of: try await anonymous.get("/api/v1/usecases/\(first)")),
                             second: try Self.content(of: try await anonymous.get("/api/v1/usecases/\(second)"))]

            let export = try await anonymous.get("/usecases/export/us-ai-inventory.csv")
            #expect(export.status == .ok)
            let csv = export.text
            #expect(csv.hasPrefix("\u{FEFF}Use Case ID,Use Case Name,Agency,Bureau,Use Case Topic Area") || csv.hasPrefix("Use Case ID,Use Case Name,Agency,Bureau,Use Case Topic Area"))
            let rows = try CSVParser.parse(Data(csv.utf8))
            let header = rows[0].fields.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
            let byNumber = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0.fields[0], $0.fields) })
            func cell(_ number: String, _ column: USInventory.Column) -> String? {
                header.firstIndex(of: column.rawValue).flatMap { byNumber[number]?[$0] }
            }
            // The US columns speak the US vocabulary.
            #expect(cell(first, .stage) == "Operation and Maintenance")
            #expect(cell(first, .impact) == "Rights-Impacting")
            #expect(cell(first, .publicInfo) == "Yes")
            #expect(cell(first, .pii) == "Yes")
            #expect(cell(first, .topic) == USInventory.TopicArea.missionEnabling.rawValue)
            #expect(cell(first, .agency) == "千代田区（デモ）" || cell(first, .agency)?.isEmpty == false)
            #expect(cell(second, .topic) == USInventory.TopicArea.other.rawValue)
            #expect(cell(second, .topicOther)?.isEmpty == false)

            // Imported by another organisation: every field comes back as it was published.
            let reply = try await member.api.post("/api/v1/usecase-imports", Self.importBody(csv))
            #expect(reply.status == .created, "\(reply.text)")
            let created = try #require(reply.object["created"] as? [[String: Any]])
            #expect(created.count == 2)
            var imported: [String: UseCaseContent] = [:]
            for item in created {
                let submission = try await member.api.get("/api/v1/usecase-submissions/\(try #require(item["id"] as? String))")
                #expect(submission.object["status"] as? String == "draft")
                let content = try Self.content(of: submission)
                imported[content.title] = content
            }
            for (_, original) in published {
                #expect(imported[original.title] == original, "\(original.title)")
            }
            #expect(imported[Self.rich.title]?.solutionSteps.count == 3)
        }
    }

    @Test("a file from the US inventory without our columns is read with the documented mapping")
    func usFile() throws {
        let csv = """
        Use Case ID,Use Case Name,Agency,Bureau,Use Case Topic Area,What is the intended purpose and expected benefits of the AI?,Describe the AI system’s outputs.,Stage of Development,"Is the AI use case rights-impacting, safety-impacting, both, or neither?",Does this AI use case disseminate information to the public?,Does this AI use case involve personally identifiable information (PII) that is maintained by the agency?
        DOE-0001,Claims triage,Department of Examples,Office of Claims,Health & Medical,Sort incoming claims by urgency. Saves reviewer time.,"1. Classify the claim
        2. Route it to a reviewer",Implementation and Assessment,Rights-Impacting,No,Yes
        """
        let parsed = USInventory.parse(Data(csv.utf8), categories: ["other", "minutes"])
        #expect(parsed.errors == [])
        let c = try #require(parsed.valid.first?.content)
        #expect(c.title == "Claims triage")
        #expect(c.industry == "P")
        #expect(c.category == "other")
        #expect(c.stage == .pilot)
        #expect(c.summary == "Sort incoming claims by urgency.")
        #expect(c.solutionSteps == ["Classify the claim", "Route it to a reviewer"])
        #expect(c.governance.personalData && c.governance.confidentiality == 2)
        #expect(c.governance.riskChecks.contains(.rightsImpact) && !c.governance.riskChecks.contains(.publicFacing))
        #expect(c.licence == .cc0)
        #expect(c.contact.department == "Office of Claims")
        #expect(c.source?.name == "Department of Examples / Office of Claims DOE-0001")
    }

    @Test("an import with errors names each line and column and writes nothing; dry runs and skipping invalid rows")
    func importErrors() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let member = try await Session.signIn(platform, client, Fixture.member)
            let header = "Use Case Name,What is the intended purpose and expected benefits of the AI?,Describe the AI system’s outputs.,Stage of Development,JP: JSIC Division,JP: Confidentiality Level,JP: Monthly Cost (JPY),Agency"
            let csv = [header,
                       "見積書の下書き,見積書作成に時間がかかる。,1. 下書きを作る,Operation and Maintenance,G,1,5000,営業部",
                       "在庫の分析,在庫が多すぎる。,1. 分析する,Someday,Z,4,たくさん,倉庫課",
                       ",目的だけ。,1. 手順,Retired,E,1,,総務課"].joined(separator: "\n")
            let before = try await platform.count(UseCaseRecord.self)

            let refused = try await member.api.post("/api/v1/usecase-imports", Self.importBody(csv))
            #expect(refused.status == .unprocessableContent)
            let pointers = Set((refused.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
            #expect(pointers.isSuperset(of: ["/csv/3/Stage of Development", "/csv/3/JP: Confidentiality Level", "/csv/3/JP: Monthly Cost (JPY)",
                                              "/csv/4/Use Case Name"]), "\(pointers)")
            #expect(!pointers.contains { $0.hasPrefix("/csv/2/") }, "\(pointers)")
            #expect((refused.object["detail"] as? String)?.contains("2") == true)
            #expect(try await platform.count(UseCaseRecord.self) == before)

            let dry = try await member.api.post("/api/v1/usecase-imports", Self.importBody([header, "見積書の下書き,見積書作成に時間がかかる。,1. 下書きを作る,Operation and Maintenance,G,1,5000,営業部"].joined(separator: "\n"), dryRun: true))
            #expect(dry.status == .ok)
            #expect(dry.object["valid"] as? Int == 1)
            #expect(try await platform.count(UseCaseRecord.self) == before)

            let partial = try await member.api.post("/api/v1/usecase-imports", Self.importBody(csv, skipInvalid: true))
            #expect(partial.status == .created)
            #expect((partial.object["created"] as? [[String: Any]])?.count == 1)
            #expect(Set((partial.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? Int }) == [3, 4])
            #expect(try await platform.count(UseCaseRecord.self) == before + 1)

            let noHeader = try await member.api.post("/api/v1/usecase-imports", Self.importBody("Title,Purpose\nx,y"))
            #expect(noHeader.status == .unprocessableContent)
            #expect(try await APIClient(client).post("/api/v1/usecase-imports", Self.importBody(csv)).status == .unauthorized)

            // The web form shows the same report with line numbers, and keeps the pasted text.
            var browser = Browser(client)
            try await browser.signIn(Fixture.member)
            #expect(try await browser.get("/usecases/import").status == .ok)
            let page = try await browser.post("/usecases/import", [("csv", csv), ("mode", "import")])
            #expect(page.status == .unprocessableContent || page.status == .ok)
            #expect(page.body.contains("Someday"))
            #expect(try await platform.count(UseCaseRecord.self) == before + 1)
        }
    }

    @Test("the Atom feed lists new and updated versions; CSV and JSON follow the search filters; a withdrawn case leaves them")
    func feedAndExports() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let member = try await Session.signIn(platform, client, Fixture.member)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let minutes = try await publish(Fixture.content(), by: city, moderator: reviewer)
            let id = try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == minutes).first()?.id)
            var update = Fixture.content()
            update.summary = "第2版の概要。"
            #expect(try await city.api.call(.put, "/api/v1/usecase-submissions/\(id)", json: Fixture.json(update)).status == .ok)
            #expect(try await city.act(id.uuidString, "submit").status == .ok)
            #expect(try await reviewer.act(id.uuidString, "publish", comment: "概要を更新").status == .ok)
            let other = try await publish(Fixture.content(title: "見積書の下書き", category: "document-drafting", industry: "G", organisationType: .sme),
                                          by: member, moderator: reviewer)

            let anonymous = APIClient(client)
            let feed = try await anonymous.get("/usecases/feed.atom")
            #expect(feed.status == .ok)
            #expect(feed.text.contains("\(minutes) 第1版（新規）"))
            #expect(feed.text.contains("\(minutes) 第2版（更新）"))
            #expect(feed.text.contains("/usecases/\(minutes)/versions/2"))
            #expect(feed.text.contains("\(other) 第1版（新規）"))

            let csv = try await anonymous.get("/usecases/export.csv?industry=G")
            #expect(csv.status == .ok)
            #expect(csv.text.contains(other) && !csv.text.contains(minutes))

            #expect(try await member.act(try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == other).first()?.id?.uuidString),
                                         "withdraw", comment: "事業終了").status == .ok)
            #expect(!(try await anonymous.get("/usecases/feed.atom")).text.contains(other))
            #expect(!(try await anonymous.get("/usecases/export.csv")).text.contains(other))
            #expect(!(try await anonymous.get("/usecases/export/us-ai-inventory.csv")).text.contains(other))
        }
    }
}
