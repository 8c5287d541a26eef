import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

@Suite("Companies, index lists, annual disclosure and the survey over the API")
struct AnnualSurveyAPITests {
    static func csvBody(_ effectiveDate: String, _ csv: String) -> String {
        let escaped = csv.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"effectiveDate":"\#(effectiveDate)","csv":"\#(escaped)"}"#
    }

    @Test("index constituents: a file with bad rows is refused whole with every row's problem; a good file registers new companies")
    func constituents() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 6, 1, 10))) { platform, client in
            try await Fixture.registerMemberCompany(platform, client, code: "2000")
            let reviewer = try await Fixture.reviewer(platform, client)
            #expect(try await reviewer.post("/api/v1/disclosure/indexes", #"{"code":"demo500","name":"デモ500"}"#).status == .created)
            #expect(try await reviewer.post("/api/v1/disclosure/indexes", #"{"code":"DEMO500","name":"重複"}"#).status == .conflict)
            let bad = """
            証券コード,法人番号,会社名,市場区分,決算月
            2000
            13B0
            3000,\(Fixture.number("010401990101")),新会社A,プライム,3
            3000
            4000,1234567890123,新会社B,グロース,3
            """
            let before = try await Fixture.logSize(platform)
            let refused = try await reviewer.post("/api/v1/disclosure/indexes/DEMO500/constituents", Self.csvBody("2026-04-01", bad))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorPointers == ["/rows/3/securitiesCode", "/rows/5/securitiesCode", "/rows/6/corporateNumber"])
            #expect(try await platform.count(IndexSnapshot.self) == 0)
            #expect(try await platform.count(ListedCompany.self) == 1)
            #expect(try await Fixture.logSize(platform) == before)

            let good = """
            securitiesCode,corporateNumber,name,nameEn,marketSegment,fiscalYearEndMonth
            2000,,,,,
            3000,\(Fixture.number("010401990101")),新会社A（デモ）,New A,prime,3
            130A,\(Fixture.number("010401990102")),新会社B（デモ）,New B,growth,12
            """
            let imported = try await reviewer.post("/api/v1/disclosure/indexes/DEMO500/constituents", Self.csvBody("2026-04-01", good))
            #expect(imported.status == .created, "\(imported.text)")
            #expect(imported.object["members"] as? Int == 3)
            #expect(imported.object["createdCompanies"] as? Int == 2)
            #expect(try await reviewer.post("/api/v1/disclosure/indexes/DEMO500/constituents", Self.csvBody("2026-04-01", good)).status == .conflict)
            // A later list replaces it from its own date; earlier dates keep the earlier list.
            let later = "securitiesCode\n2000\n3000\n"
            #expect(try await reviewer.post("/api/v1/disclosure/indexes/DEMO500/constituents", Self.csvBody("2026-05-01", later)).status == .created)
            let april = try await APIClient(client).get("/api/v1/disclosure/indexes/DEMO500/constituents?asOf=2026-04-15")
            #expect((april.object["companies"] as? [[String: Any]])?.count == 3)
            let may = try await APIClient(client).get("/api/v1/disclosure/indexes/DEMO500/constituents")
            #expect((may.object["companies"] as? [[String: Any]])?.compactMap { $0["securitiesCode"] as? String } == ["2000", "3000"])
            #expect(try await APIClient(client).get("/api/v1/disclosure/indexes/DEMO500/constituents?asOf=2026-03-31").status == .notFound)
            #expect(try await APIClient(client).get("/api/v1/disclosure/indexes/DEMO500/constituents?asOf=soon").status == .badRequest)
            let alpha = try await APIClient(client).get("/api/v1/disclosure/companies/130A")
            #expect(alpha.object["alphanumericCode"] as? Bool == true)
            #expect(alpha.object["fiscalYearEndMonth"] as? Int == 12)
            let member = try await Fixture.member(platform, client)
            #expect(try await member.post("/api/v1/disclosure/indexes/DEMO500/constituents", Self.csvBody("2026-07-01", later)).status == .forbidden)
        }
    }

    static func item(_ text: String, _ figures: String = "{}") -> String { #"{"text":"\#(text)","figures":\#(figures)}"# }
    static let long = String(repeating: "当社はサイバーセキュリティを経営上の重要課題と位置づけています。", count: 4)

    static var completeAnnual: String {
        """
        {"governance":\(item(long, #"{"responsibleOfficer":true,"reportsToBoard":true,"boardReportsPerYear":4}"#)),
         "informationAssets":\(item(long, #"{"assetCategories":5,"inventoryMaintained":true}"#)),
         "riskManagement":\(item(long, #"{"integratedWithERM":true,"thirdPartyAssessors":false,"assessmentsPerYear":2}"#)),
         "seriousIncidents":\(item("当年度に重大なインシデントは発生しておりません。", #"{"seriousIncidents":0,"materiallyAffected":false}"#)),
         "educationDrills":\(item(long, #"{"trainingSessions":3,"drills":2,"participationPercent":96}"#)),
         "supplyChain":\(item(long, #"{"criticalSuppliers":40,"suppliersAssessed":35,"oversightProcess":true}"#))}
        """
    }

    @Test("annual disclosure: six items required, figures validated, SEC Item 106 / XBRL cross-reference, free-text import confirmed by a person")
    func annual() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 6, 20, 10))) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            #expect(try await member.post("/api/v1/disclosure/annual", #"{"fiscalYear":2027}"#).status == .unprocessableContent)
            let created = try await member.post("/api/v1/disclosure/annual",
                                                #"{"fiscalYear":2025,"content":{"governance":\#(Self.item("取締役会が監督している。"))}}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await member.post("/api/v1/disclosure/annual", #"{"fiscalYear":2025}"#).status == .conflict)
            let id = try #require((created.object["annual"] as? [String: Any])?["id"] as? String)
            #expect((created.object["annual"] as? [String: Any])?["fiscalYearEnd"] as? String == "2026-03-31")
            #expect(try await APIClient(client).get("/api/v1/disclosure/annual/\(id)").status == .notFound)

            // Wrong figure types, unknown figures, out-of-range values.
            let wrong = try await member.put("/api/v1/disclosure/annual/\(id)",
                                             #"{"educationDrills":{"text":"x","figures":{"participationPercent":130,"drills":-1,"unknown":1}},"governance":{"figures":{"responsibleOfficer":3}}}"#)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorPointers == ["/content/educationDrills/figures/participationPercent", "/content/educationDrills/figures/drills",
                                            "/content/educationDrills/figures/unknown", "/content/governance/figures/responsibleOfficer"])

            // Submitting with items missing lists each one.
            let incomplete = try await member.post("/api/v1/disclosure/annual/\(id)/submit", "{}")
            #expect(incomplete.status == .unprocessableContent)
            #expect(incomplete.errorPointers.contains("/content/supplyChain/text"))
            #expect(incomplete.errorPointers.contains("/content/seriousIncidents/figures/seriousIncidents"))

            // Free text: proposals, then the confirmed passages go into the draft.
            let classified = try await member.post("/api/v1/disclosure/passages/classify", #"{"text":"\#(PassageClassifierTests.report.replacingOccurrences(of: "\n", with: "\\n"))"}"#)
            #expect(classified.status == .ok)
            let passages = try #require(classified.object["passages"] as? [[String: Any]])
            #expect(passages.compactMap { $0["item"] as? String }.contains("educationDrills"))
            let imported = try await member.post("/api/v1/disclosure/annual/\(id)/import",
                                                 #"{"passages":[{"text":"主要な委託先120社を評価しています。","item":"supplyChain"}],"figures":[{"item":"supplyChain","key":"suppliersAssessed","value":120}]}"#)
            #expect(imported.status == .ok, "\(imported.text)")
            let supply = ((imported.object["draft"] as? [String: Any])?["supplyChain"] as? [String: Any])
            #expect(supply?["text"] as? String == "主要な委託先120社を評価しています。")
            #expect((supply?["figures"] as? [String: Any])?["suppliersAssessed"] as? Int == 120)

            // Complete, publish: one log entry; the JSON export carries the SEC cross-reference with flag values.
            #expect(try await member.put("/api/v1/disclosure/annual/\(id)", Self.completeAnnual).status == .ok)
            let before = try await Fixture.logSize(platform)
            let published = try await member.post("/api/v1/disclosure/annual/\(id)/submit", "{}")
            #expect(published.status == .created, "\(published.text)")
            #expect(try await Fixture.logSize(platform) == before + 1)
            let view = try await APIClient(client).get("/api/v1/disclosure/annual/\(id)")
            #expect(view.status == .ok)
            let references = try #require(view.object["secCrossReference"] as? [[String: Any]])
            #expect(references.count == 6)
            let risk = try #require(references.first { $0["item"] as? String == "riskManagement" }?["crossReference"] as? [String: Any])
            let elements = try #require(risk["xbrl"] as? [[String: Any]])
            #expect(elements.first { $0["name"] as? String == "cyd:CybersecurityRiskManagementProcessesIntegratedFlag" }?["value"] as? Bool == true)
            #expect(elements.first { $0["name"] as? String == "cyd:CybersecurityRiskManagementThirdPartyEngagedFlag" }?["value"] as? Bool == false)
            #expect((risk["regulationSK"] as? [String])?.contains("S-K Item 106(b)(1)(ii)") == true)
            #expect((view.object["score"] as? [String: Any])?["stars"] as? Int == 5)
            #expect(view.object["draft"] == nil)
            #expect((try await APIClient(client).get("/api/v1/disclosure/annual?fiscalYear=2025")).object["total"] as? Int == 1)
        }
    }

    @Test("survey over an index and fiscal year: companies without a filing count as not disclosed; ranking, distribution, coverage, change; rubric edits by administrators")
    func survey() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 6, 20, 10))) { platform, client in
            try await Fixture.registerMemberCompany(platform, client, code: "2000")
            let reviewer = try await Fixture.reviewer(platform, client)
            #expect(try await reviewer.post("/api/v1/disclosure/indexes", #"{"code":"DEMO3","name":"デモ3社"}"#).status == .created)
            let csv = """
            securitiesCode,corporateNumber,name,marketSegment,fiscalYearEndMonth
            2000,,,,
            3000,\(Fixture.number("010401990101")),甲社（デモ）,prime,3
            130A,\(Fixture.number("010401990102")),乙社（デモ）,growth,3
            """
            #expect(try await reviewer.post("/api/v1/disclosure/indexes/DEMO3/constituents", Self.csvBody("2026-04-01", csv)).status == .created)
            let member = try await Fixture.member(platform, client)
            // FY2024: short texts (level 1) everywhere, the incident count given (level 2): 7 of 12.
            let thin = AnnualItem.allCases.map { #""\#($0.rawValue)":\#(Self.item("当社は適切に対応しています。方針を定め、体制を整えています。"))"# }.joined(separator: ",")
            let y2024 = try await member.post("/api/v1/disclosure/annual", #"{"fiscalYear":2024,"content":{\#(thin)}}"#)
            let id2024 = try #require((y2024.object["annual"] as? [String: Any])?["id"] as? String)
            #expect(try await member.put("/api/v1/disclosure/annual/\(id2024)",
                                         "{\(thin.replacingOccurrences(of: #""seriousIncidents":{"text":"当社は適切に対応しています。方針を定め、体制を整えています。","figures":{}}"#, with: #""seriousIncidents":{"text":"当社は適切に対応しています。方針を定め、体制を整えています。","figures":{"seriousIncidents":1}}"#))}").status == .ok)
            #expect(try await member.post("/api/v1/disclosure/annual/\(id2024)/submit", "{}").status == .created)
            let y2025 = try await member.post("/api/v1/disclosure/annual", #"{"fiscalYear":2025,"content":\#(Self.completeAnnual)}"#)
            let id2025 = try #require((y2025.object["annual"] as? [String: Any])?["id"] as? String)
            #expect(try await member.post("/api/v1/disclosure/annual/\(id2025)/submit", "{}").status == .created)

            #expect(try await member.post("/api/v1/disclosure/surveys", #"{"index":"DEMO3","fiscalYear":2025}"#).status == .forbidden)
            #expect(try await reviewer.post("/api/v1/disclosure/surveys", #"{"index":"NOPE","fiscalYear":2025}"#).errorPointers == ["/index"])
            #expect(try await reviewer.post("/api/v1/disclosure/surveys", #"{"index":"DEMO3","fiscalYear":2025,"asOf":"2026-03-01"}"#).errorPointers == ["/asOf"])
            let first = try await reviewer.post("/api/v1/disclosure/surveys", #"{"index":"DEMO3","fiscalYear":2024}"#)
            #expect(first.status == .created, "\(first.text)")
            let second = try await reviewer.post("/api/v1/disclosure/surveys", #"{"index":"DEMO3","fiscalYear":2025}"#)
            #expect(second.status == .created)
            let survey = second.object
            #expect((survey["survey"] as? [String: Any])?["number"] as? String == "SRV-2026-0002")
            #expect((survey["survey"] as? [String: Any])?["companies"] as? Int == 3)
            #expect((survey["survey"] as? [String: Any])?["disclosed"] as? Int == 1)
            let results = try #require(survey["results"] as? [[String: Any]])
            #expect(results.map { $0["securitiesCode"] as? String } == ["2000", "130A", "3000"])
            #expect(results.map { $0["rank"] as? Int } == [1, 2, 2])
            #expect(results[0]["total"] as? Int == 12)
            #expect(results[0]["previousTotal"] as? Int == 7)
            #expect(results[0]["change"] as? Int == 5)
            #expect(results[1]["disclosed"] as? Bool == false)
            #expect(survey["starDistribution"] as? [Int] == [2, 0, 0, 0, 0, 1])
            #expect(survey["previousSurvey"] as? String == "SRV-2026-0001")
            let coverage = try #require(survey["coverage"] as? [[String: Any]])
            #expect(coverage[0]["present"] as? Int == 1)
            #expect(coverage[0]["presentPercent"] as? Double == 33.3)

            // The public page, CSV and log entry.
            let csvReply = try await APIClient(client).get("/disclosure/surveys/SRV-2026-0002/results.csv")
            #expect(csvReply.text.contains("130A"))
            #expect(try await TransparencyLogStore.indexes(ofRecord: "SRV-2026-0002", on: platform.services.db).count == 1)

            // Rubric: reviewers cannot edit it; an administrator's edit is a new version; bad rubrics are refused.
            let rubric = try await APIClient(client).get("/api/v1/disclosure/rubric")
            #expect(rubric.object["version"] as? Int == 1)
            let edited = #"{"items":[{"item":"governance","weight":3,"presentMinLength":20,"specificMinLength":100,"requiredFigures":["responsibleOfficer"]},{"item":"informationAssets","weight":1,"presentMinLength":20,"specificMinLength":100,"requiredFigures":[]},{"item":"riskManagement","weight":1,"presentMinLength":20,"specificMinLength":100,"requiredFigures":[]},{"item":"seriousIncidents","weight":1,"presentMinLength":1,"specificMinLength":20,"requiredFigures":["seriousIncidents"]},{"item":"educationDrills","weight":1,"presentMinLength":20,"specificMinLength":100,"requiredFigures":[]},{"item":"supplyChain","weight":1,"presentMinLength":20,"specificMinLength":100,"requiredFigures":[]}],"starThresholds":[1,20,40,60,80]}"#
            #expect(try await reviewer.put("/api/v1/disclosure/rubric", edited).status == .forbidden)
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            let saved = try await admin.put("/api/v1/disclosure/rubric", edited)
            #expect(saved.status == .ok)
            #expect(saved.object["version"] as? Int == 2)
            #expect(saved.object["maximum"] as? Int == 16)
            let invalid = edited.replacingOccurrences(of: #""requiredFigures":["responsibleOfficer"]"#, with: #""requiredFigures":["nonsense"]"#)
                .replacingOccurrences(of: "[1,20,40,60,80]", with: "[50,40,30,20,10]")
            #expect(try await admin.put("/api/v1/disclosure/rubric", invalid).errorPointers == ["/items/0/requiredFigures", "/starThresholds"])
            let third = try await reviewer.post("/api/v1/disclosure/surveys", #"{"index":"DEMO3","fiscalYear":2025}"#)
            #expect((third.object["survey"] as? [String: Any])?["rubricVersion"] as? Int == 2)
            // The earlier survey keeps the rubric it used.
            #expect(((try await APIClient(client).get("/api/v1/disclosure/surveys/SRV-2026-0002")).object["survey"] as? [String: Any])?["rubricVersion"] as? Int == 1)
        }
    }
}
