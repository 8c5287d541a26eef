import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

@Suite("Pages in the browser")
struct WebPageTests {
    static let form: [(String, String)] = [
        ("discoveredAt", "2026-04-30T09:00"), ("determinedAt", "2026-04-30T21:00"), ("title", "ランサムウェアによるシステム障害"),
        ("summary", "基幹サーバが暗号化された。\n受注システムが停止した。"), ("systemsAffected", "受注管理システム"), ("dataAffected", "取引先の連絡先"),
        ("affectedPeople", "1,200"), ("businessImpact", "受注業務を停止"), ("countermeasures", "ネットワークを遮断し調査中"),
        ("responseStatus", "contained"), ("financialKind", "undetermined"), ("undeterminedReason", "調査中のため"),
    ]

    @Test("a member records an incident in the browser: refused with clear messages, then published; the public reads it")
    func memberFlow() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 5, 1, 10))) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            var browser = Browser(client)
            try await browser.signIn(DemoAccounts.member)
            #expect(try await browser.get("/disclosure/my").status == .ok)
            let form = try await browser.get("/disclosure/incidents/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"_csrf\""))

            // Determination before discovery, and content missing: the form comes back with an error summary.
            var fields = Self.form.filter { $0.0 != "systemsAffected" }
            fields = fields.map { $0.0 == "determinedAt" ? ("determinedAt", "2026-04-29T21:00") : $0 }
            let refused = try await browser.post("/disclosure/incidents", fields + [("action", "submit")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary"))
            #expect(refused.body.contains("重大性の判断日時は発見日時より後にしてください"))
            #expect(refused.body.contains("value=\"ランサムウェアによるシステム障害\""))
            #expect(try await platform.count(Incident.self) == 0)

            // An unreadable number does not hide the other problems: every one is listed at once.
            let several = fields.map { field -> (String, String) in
                switch field.0 {
                case "affectedPeople": return (field.0, "-5")
                case "financialKind": return (field.0, "amount")
                default: return field
                }
            } + [("amountYen", "たくさん"), ("occurredAt", "2026-05-02T09:00"), ("action", "save")]
            let listed = try await browser.post("/disclosure/incidents", several)
            #expect(listed.status == .unprocessableContent)
            for message in ["数字で入力してください", "重大性の判断日時は発見日時より後にしてください", "影響を受けた人数は0以上の整数で入力してください",
                            "未来の日時は入力できません"] {
                #expect(listed.body.contains(message), "\(message)")
            }
            #expect(try await platform.count(Incident.self) == 0)

            // Saved as a draft, then submitted from the form: published and shown with its deadline.
            let saved = try await browser.post("/disclosure/incidents", Self.form.filter { $0.0 != "systemsAffected" } + [("action", "save")])
            #expect(saved.status == .seeOther)
            let draftPage = try await browser.get(try #require(saved.location))
            #expect(draftPage.body.contains("提出前に記載が必要な項目"))
            #expect(draftPage.body.contains("2026年5月11日"))
            let incident = try #require(try await Incident.query(on: platform.services.db).first())
            let submittedIncomplete = try await browser.post("/disclosure/incidents/\(incident.id!)/submit", [])
            #expect(submittedIncomplete.status == .unprocessableContent)
            #expect(submittedIncomplete.body.contains("「影響を受けたシステム」を記載してください"))
            let published = try await browser.post("/disclosure/incidents/\(incident.id!)/edit", Self.form + [("action", "submit")])
            #expect(published.status == .seeOther)
            #expect(published.location == "/disclosure/incidents/INC-2026-0001?done=published")
            let page = try await browser.get("/disclosure/incidents/INC-2026-0001?done=published")
            #expect(page.body.contains("開示を公表しました"))
            #expect(page.body.contains("期限内に提出"))
            #expect(page.body.contains("/log/entries/"))
            #expect(page.body.contains("<p>受注システムが停止した。</p>"))

            // The public reads the list, the incident and the version in Japanese and English.
            var visitor = Browser(client)
            for path in ["/disclosure", "/disclosure/incidents", "/disclosure/incidents/INC-2026-0001", "/disclosure/incidents/INC-2026-0001/versions/1",
                         "/disclosure/companies", "/disclosure/companies/130A", "/disclosure/regimes", "/disclosure/annual", "/disclosure/surveys",
                         "/disclosure/rubric", "/disclosure/indexes"] {
                let ja = try await visitor.get(path)
                #expect(ja.status == .ok, "\(path)")
                #expect(ja.body.firstMatch(of: /[^\/a-z-]disclosure\.[a-z]/) == nil, "untranslated key on \(path): \(ja.body.firstMatch(of: /.{40}disclosure\.[a-z]+.{20}/).map { String($0.0) } ?? "")")
                let en = try await visitor.get(path + (path.contains("?") ? "&" : "?") + "lang=en")
                #expect(en.status == .ok, "\(path) en")
                #expect(en.body.contains("<html lang=\"en\">"))
            }
            let publicPage = try await visitor.get("/disclosure/incidents/INC-2026-0001?lang=ja")
            #expect(!publicPage.body.contains("提出して公表する"))
            #expect(try await visitor.get("/disclosure/dashboard").status == .seeOther)
            #expect(try await visitor.get("/disclosure/incidents/00000000-0000-0000-0000-000000000000").status == .notFound)
        }
    }

    @Test("reviewers decide delays on the dashboard; forms without the CSRF token change nothing")
    func reviewerFlow() async throws {
        let clock = Clock(fixed: jst(2026, 6, 2, 15))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            var member = Browser(client)
            try await member.signIn(DemoAccounts.member)
            _ = try await member.get("/disclosure/incidents/new")
            let fields = Self.form.map { field -> (String, String) in
                switch field.0 {
                case "discoveredAt": return (field.0, "2026-06-01T08:00")
                case "determinedAt": return (field.0, "2026-06-01T10:00")
                default: return field
                }
            }
            let created = try await member.post("/disclosure/incidents", fields + [("action", "save")])
            let location = try #require(created.location)
            _ = try await member.get(location)
            let incident = try #require(try await Incident.query(on: platform.services.db).first())
            let tooShort = try await member.post("/disclosure/incidents/\(incident.id!)/delays", [("grounds", "短い"), ("until", "2026-06-12T17:00")])
            #expect(tooShort.status == .unprocessableContent)
            #expect(tooShort.body.contains("猶予を求める根拠を具体的に記載してください"))
            #expect(try await member.post("/disclosure/incidents/\(incident.id!)/delays",
                                          [("grounds", "警察から、公表が捜査に重大な支障を及ぼすとして延期の要請を受けているため。"), ("until", "2026-06-12T17:00")]).status == .seeOther)
            let delay = try #require(try await DelayRequest.query(on: platform.services.db).first())

            // The next morning (sessions last 8 hours, so both sign in again).
            clock.set(jst(2026, 6, 3, 9))
            var reviewer = Browser(client)
            try await reviewer.signIn(DemoAccounts.reviewer)
            let dashboard = try await reviewer.get("/disclosure/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("審査待ちの猶予申請"))
            #expect(dashboard.body.contains("警察から"))
            // Without the token the decision is refused and nothing changes.
            #expect(try await reviewer.post("/disclosure/delays/\(delay.id!)/decision", [("decision", "approve")], csrf: "forged").status == .forbidden)
            #expect(try await DelayRequest.find(delay.id!, on: platform.services.db)?.status == .pending)
            let decided = try await reviewer.post("/disclosure/delays/\(delay.id!)/decision", [("decision", "approve"), ("until", ""), ("note", "確認済み")])
            #expect(decided.status == .seeOther, "\(decided.body.suffix(3000))")
            #expect(try await DelayRequest.find(delay.id!, on: platform.services.db)?.status == .approved)
            try await member.signIn(DemoAccounts.member)
            let page = try await member.get("/disclosure/incidents/\(incident.id!)")
            #expect(page.body.contains("猶予中（停止）"))
            #expect(page.body.contains("2026年6月17日"))
            // A member cannot open the dashboard.
            #expect(try await member.get("/disclosure/dashboard").status == .forbidden)
            // A reviewer does not file for a company and is told why.
            for path in ["/disclosure/my", "/disclosure/incidents/new"] {
                let refused = try await reviewer.get(path)
                #expect(refused.status == .forbidden)
                #expect(refused.body.contains("開示を行えるのは上場会社のメンバーです"), "\(path)")
            }
        }
    }

    @Test("annual disclosure, import and survey pages")
    func annualAndSurveyPages() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 6, 20, 10))) { platform, client in
            try await Fixture.registerMemberCompany(platform, client, code: "2000")
            var member = Browser(client)
            try await member.signIn(DemoAccounts.member)
            _ = try await member.get("/disclosure/my")
            let started = try await member.post("/disclosure/annual", [("fiscalYear", "2025")])
            #expect(started.status == .seeOther)
            let editPath = try #require(started.location)
            let edit = try await member.get(editPath)
            #expect(edit.status == .ok)
            #expect(edit.body.contains("ガバナンス体制（責任者のスキルと専門知識）"))
            // The import proposes items; the person confirms.
            let importPath = editPath.replacingOccurrences(of: "/edit", with: "/import")
            _ = try await member.get(importPath)
            let proposals = try await member.post(importPath, [("text", PassageClassifierTests.report)])
            #expect(proposals.status == .ok)
            #expect(proposals.body.contains("value=\"educationDrills\" selected"))
            #expect(proposals.body.contains("participationPercent"))
            let applied = try await member.post(importPath + "/apply", [("p1.text", "当社はCISOを任命し、取締役会に年4回報告しています。"), ("p1.item", "governance"),
                                                                       ("p2.text", "関係のない段落"), ("p2.item", ""),
                                                                       ("f0.item", "governance"), ("f0.key", "boardReportsPerYear"), ("f0.use", "on"), ("f0.value", "4")])
            #expect(applied.status == .seeOther)
            let annual = try #require(try await AnnualDisclosure.query(on: platform.services.db).first())
            let draft = try DisclosureJSON.decode(AnnualContent.self, try #require(annual.draftContent))
            #expect(draft.governance.text == "当社はCISOを任命し、取締役会に年4回報告しています。")
            #expect(draft.governance.figures["boardReportsPerYear"] == .number(4))
            // Submitting with items missing lists them.
            let refused = try await member.post(editPath, [("governance.text", "体制を整えています。"), ("governance.boardReportsPerYear", "四"), ("action", "submit")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("数字で入力してください"))
            var fields: [(String, String)] = [("action", "submit")]
            for item in AnnualItem.allCases { fields.append(("\(item.rawValue).text", String(repeating: "当社は対策を進めています。", count: 10))) }
            fields += [("seriousIncidents.seriousIncidents", "0"), ("governance.responsibleOfficer", "yes"), ("governance.boardReportsPerYear", "4")]
            let published = try await member.post(editPath, fields)
            #expect(published.status == .seeOther, "\(published.body.prefix(2000))")
            var anonymous = Browser(client)
            let view = try await anonymous.get("/disclosure/annual/\(annual.id!)")
            #expect(view.status == .ok)
            #expect(view.body.contains("cyd:CybersecurityRiskManagementPositionsOrCommitteesResponsibleFlag"))

            // A reviewer creates an index, imports constituents in the browser and runs the survey.
            var reviewer = Browser(client)
            try await reviewer.signIn(DemoAccounts.reviewer)
            // A reviewer checks which items a securities report covers: proposals to read, nothing saved.
            let annualCount = try await platform.count(AnnualDisclosure.self)
            #expect(try await member.get("/disclosure/import").status == .forbidden)
            let checkPage = try await reviewer.get("/disclosure/import")
            #expect(checkPage.status == .ok)
            #expect(try await reviewer.post("/disclosure/import", [("text", "  ")]).status == .unprocessableContent)
            let checked = try await reviewer.post("/disclosure/import", [("text", PassageClassifierTests.report)])
            #expect(checked.status == .ok)
            #expect(checked.body.contains("<td data-label=\"項目\">5. 教育・演習</td>"))
            #expect(checked.body.contains("受講率は98％"))
            #expect(!checked.body.contains("/import/apply"))
            #expect(try await platform.count(AnnualDisclosure.self) == annualCount)
            #expect((try await reviewer.get("/disclosure/surveys")).body.contains("href=\"/disclosure/import\""))

            _ = try await reviewer.get("/disclosure/indexes")
            #expect(try await reviewer.post("/disclosure/indexes", [("code", "DEMO2"), ("name", "デモ2社")]).status == .seeOther)
            _ = try await reviewer.get("/disclosure/indexes")
            let badImport = try await reviewer.post("/disclosure/indexes/DEMO2/constituents", [("effectiveDate", "2026-04-01"), ("csv", "証券コード\n2000\n9ZZZ\n")])
            #expect(badImport.status == .unprocessableContent)
            #expect(badImport.body.contains("3行目"))
            let csv = "証券コード,法人番号,会社名,市場区分,決算月\n2000\n3000,\(Fixture.number("010401990101")),甲社（デモ）,プライム,3\n"
            let goodImport = try await reviewer.post("/disclosure/indexes/DEMO2/constituents", [("effectiveDate", "2026-04-01"), ("csv", csv)])
            #expect(goodImport.status == .seeOther)
            _ = try await reviewer.get("/disclosure/surveys")
            let run = try await reviewer.post("/disclosure/surveys", [("index", "DEMO2"), ("fiscalYear", "2025"), ("asOf", "")])
            #expect(run.status == .seeOther)
            let surveyPage = try await anonymous.get(try #require(run.location))
            #expect(surveyPage.status == .ok)
            #expect(surveyPage.body.contains("<svg"))
            #expect(surveyPage.body.contains("<table class=\"chart-table\">"))
            #expect(surveyPage.body.contains("開示なし"))
            let csvExport = try await anonymous.get("/disclosure/surveys/SRV-2026-0001/results.csv")
            #expect(csvExport.headers[.contentType]?.hasPrefix("text/csv") == true)
        }
    }
}
