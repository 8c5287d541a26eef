import Foundation
import ShinraiKit
import Testing
@testable import CyberDisclosure

@Suite("Required filing content")
struct IncidentContentTests {
    @Test("an empty filing lists every part the paper requires, with a clear message for each")
    func missing() {
        let content = IncidentContent(title: "不正アクセス")
        let errors = content.missing(IncidentContent.timelyDisclosureRequirements, occurredAt: nil)
        let pointers = Set(errors.map(\.pointer))
        #expect(pointers == ["/summary", "/systemsAffected", "/dataAffected", "/affectedPeople", "/businessImpact", "/countermeasures",
                             "/responseStatus", "/financialImpact/kind"])
        #expect(errors.allSatisfy { $0.code == "missing" && !($0.detailJa ?? "").isEmpty })
    }

    @Test("financial impact: an amount, a range, or not determined with its reason")
    func financialImpact() {
        var content = IncidentContent(title: "x")
        content.financialImpact = FinancialImpact(kind: .undetermined)
        #expect(content.missing([.financialImpact], occurredAt: nil).map(\.pointer) == ["/financialImpact/undeterminedReason"])
        content.financialImpact = FinancialImpact(kind: .undetermined, undeterminedReason: "調査中のため")
        #expect(content.missing([.financialImpact], occurredAt: nil).isEmpty)
        content.financialImpact = FinancialImpact(kind: .range, minYen: 80_000_000, maxYen: 50_000_000)
        #expect(content.draftProblems().map(\.pointer) == ["/financialImpact/maxYen"])
        content.financialImpact = FinancialImpact(kind: .amount, amountYen: -1)
        #expect(content.draftProblems().map(\.code) == ["range"])
    }

    @Test("control characters such as NUL are refused in every stored text")
    func controlCharacters() {
        var content = IncidentContent(title: "a\u{0}b")
        content.summary = "行1\n行2\tタブ"
        content.cause = "\u{7}"
        #expect(content.draftProblems().map(\.pointer) == ["/title", "/cause"])
        var annual = AnnualContent()
        annual.supplyChain.text = "x\u{0}"
        #expect(annual.draftProblems().map(\.pointer) == ["/supplyChain/text"])
        let company = CompanyInput(corporateNumber: CompanyInputTests.number, securitiesCode: "7203", name: "\u{0}", marketSegment: .prime, fiscalYearEndMonth: 3)
        guard case .failure(let errors) = company.validated() else { Issue.record("accepted"); return }
        #expect(errors.errors.map(\.pointer) == ["/name"])
    }

    @Test("the number of people may be unknown only with a reason; negative counts are refused")
    func people() {
        var content = IncidentContent(title: "x")
        content.affectedPeopleNote = "調査中（推定約1万人）"
        #expect(content.missing([.affectedPeople], occurredAt: nil).isEmpty)
        content.affectedPeople = -5
        #expect(content.draftProblems().map(\.pointer) == ["/affectedPeople"])
    }

    @Test("times out of order, in the future or before 2000 are refused")
    func facts() {
        let now = jst(2026, 6, 1, 12)
        let backwards = IncidentFacts(discoveredAt: jst(2026, 5, 2), determinedAt: jst(2026, 5, 1))
        #expect(backwards.problems(now: now).map(\.pointer) == ["/determinedAt"])
        let future = IncidentFacts(discoveredAt: jst(2026, 5, 2), determinedAt: jst(2026, 6, 2))
        #expect(future.problems(now: now).map(\.pointer) == ["/determinedAt"])
        let ancient = IncidentFacts(discoveredAt: jst(1990, 1, 1), determinedAt: jst(1990, 1, 2))
        #expect(ancient.problems(now: now).count == 2)
        let occurredLater = IncidentFacts(occurredAt: jst(2026, 5, 3), discoveredAt: jst(2026, 5, 2), determinedAt: jst(2026, 5, 2))
        #expect(occurredLater.problems(now: now).map(\.pointer) == ["/occurredAt"])
    }
}

@Suite("Listed companies and index CSV")
struct CompanyInputTests {
    static let base = "010401990002"
    static var number: String { "\(CorporateNumber.checkDigit(for: base))\(base)" }

    @Test("alphanumeric securities codes such as 130A are accepted; malformed ones refused")
    func codes() {
        let ok = CompanyInput(corporateNumber: Self.number, securitiesCode: "130a", name: "テスト", marketSegment: .growth, fiscalYearEndMonth: 3)
        guard case .success(let valid) = ok.validated() else { Issue.record("refused"); return }
        #expect(valid.securitiesCode == "130A")
        let bad = CompanyInput(corporateNumber: "1234567890123", securitiesCode: "13B0", name: "", marketSegment: .prime, fiscalYearEndMonth: 13)
        guard case .failure(let errors) = bad.validated() else { Issue.record("accepted"); return }
        #expect(Set(errors.errors.map(\.pointer)) == ["/corporateNumber", "/securitiesCode", "/name", "/fiscalYearEndMonth"])
    }

    @Test("CSV rows are checked one by one and every bad row is reported with its line")
    func csvErrors() {
        let csv = """
        証券コード,法人番号,会社名,市場区分,決算月
        7203
        13B0
        9999,1234567890123,悪い会社,プライム,3
        130A,\(Self.number),新しい会社,グロース,3月
        7203
        1301
        """
        guard case .failure(let errors) = ConstituentCSV.parse(csv, known: ["7203"]) else { Issue.record("accepted"); return }
        let pointers = errors.errors.map(\.pointer)
        #expect(pointers.contains("/rows/3/securitiesCode"))
        #expect(pointers.contains("/rows/4/corporateNumber"))
        #expect(pointers.contains("/rows/6/securitiesCode"))
        #expect(pointers.contains("/rows/7/corporateNumber"))
        #expect(!pointers.contains { $0.hasPrefix("/rows/5") })
        #expect(errors.errors.first { $0.pointer == "/rows/6/securitiesCode" }?.detailJa?.contains("2行目と重複") == true)
    }

    @Test("a good CSV gives rows with company data where present")
    func csvOK() {
        let csv = "securitiesCode,corporateNumber,name,marketSegment,fiscalYearEndMonth\n7203,,,,\n130A,\(Self.number),新しい会社,growth,12\n"
        guard case .success(let rows) = ConstituentCSV.parse(csv, known: ["7203"]) else { Issue.record("refused"); return }
        #expect(rows.map(\.securitiesCode) == ["7203", "130A"])
        #expect(rows[1].company?.fiscalYearEndMonth == 12)
    }

    @Test("fiscal years are named by the year they start")
    func fiscalYears() {
        #expect(FiscalYear.endDate(2025, endMonth: 3).iso == "2026-03-31")
        #expect(FiscalYear.endDate(2025, endMonth: 12).iso == "2025-12-31")
        #expect(FiscalYear.label(2025, endMonth: 3, .ja) == "2025年度（2026年3月期）")
    }
}

@Suite("Disclosure survey scoring")
struct SurveyScoringTests {
    static func text(_ n: Int) -> String { String(repeating: "あ", count: n) }

    /// Worked example under the standard rubric (weights 1, present ≥ 20 characters, specific ≥ 100 plus figures):
    /// governance 2, assets 1, risk 0, incidents 2, education 1 (figures missing), supply chain 1 → 7 of 12 = 58.3% → 3 stars.
    static var example: AnnualContent {
        var content = AnnualContent()
        content.governance = .init(text: text(120), figures: ["responsibleOfficer": .flag(true), "boardReportsPerYear": .number(4)])
        content.informationAssets = .init(text: text(30))
        content.riskManagement = .init(text: text(10))
        content.seriousIncidents = .init(text: text(25), figures: ["seriousIncidents": .number(0)])
        content.educationDrills = .init(text: text(150), figures: ["trainingSessions": .number(2)])
        content.supplyChain = .init(text: text(99), figures: ["suppliersAssessed": .number(40)])
        return content
    }

    @Test("levels, total, percentage and stars of the worked example")
    func workedExample() {
        let score = Rubric.standard.score(Self.example)
        #expect(score.levels == [2, 1, 0, 2, 1, 1])
        #expect(score.total == 7)
        #expect(score.maximum == 12)
        #expect(score.percent == 58.3)
        #expect(score.stars == 3)
    }

    @Test("no filing scores zero and no stars; a full filing five stars")
    func extremes() {
        #expect(Rubric.standard.score(nil) == Rubric.Score(disclosed: false, levels: [0, 0, 0, 0, 0, 0], total: 0, maximum: 12, stars: 0))
        var full = Self.example
        full.informationAssets = .init(text: Self.text(200), figures: ["assetCategories": .number(5)])
        full.riskManagement = .init(text: Self.text(200), figures: ["integratedWithERM": .flag(true), "thirdPartyAssessors": .flag(false)])
        full.educationDrills.figures["participationPercent"] = .number(97)
        full.supplyChain.text = Self.text(100)
        let score = Rubric.standard.score(full)
        #expect(score.total == 12)
        #expect(score.stars == 5)
    }

    @Test("weights change the total; a weight of 0 leaves the item out")
    func weights() {
        var rubric = Rubric.standard
        rubric.items[0].weight = 3
        rubric.items[2].weight = 0
        let score = rubric.score(Self.example)
        #expect(score.maximum == 14)
        #expect(score.total == 11)
        #expect(rubric.problems().isEmpty)
        rubric.starThresholds = [10, 5, 20, 30, 40]
        #expect(rubric.problems().map(\.pointer) == ["/starThresholds"])
    }

    @Test("ranking shares ranks on equal totals; distribution, coverage and change")
    func statistics() {
        func row(_ code: String, _ levels: [Int], previous: Int?) -> SurveyStatistics.Row {
            let total = levels.reduce(0, +)
            var row = SurveyStatistics.Row(companyID: UUID(), securitiesCode: code, name: code,
                                           score: .init(disclosed: total > 0, levels: levels, total: total, maximum: 12, stars: Rubric.standard.stars(total: total)))
            row.previousTotal = previous
            return row
        }
        let ranked = SurveyStatistics.ranked([row("2000", [1, 1, 1, 1, 1, 1], previous: 4), row("1301", [2, 2, 2, 2, 1, 1], previous: nil),
                                              row("130A", [2, 2, 1, 1, 1, 1], previous: 8), row("9999", [0, 0, 0, 0, 0, 0], previous: 0)])
        #expect(ranked.map(\.securitiesCode) == ["1301", "130A", "2000", "9999"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4])
        #expect(ranked.map(\.change) == [nil, 0, 2, 0])
        let tied = SurveyStatistics.ranked([row("3000", [1, 1, 1, 1, 1, 1], previous: nil), row("2000", [2, 2, 1, 1, 0, 0], previous: nil),
                                            row("1000", [2, 2, 2, 2, 2, 2], previous: nil)])
        #expect(tied.map(\.rank) == [1, 2, 2])
        #expect(tied.map(\.securitiesCode) == ["1000", "2000", "3000"])
        #expect(SurveyStatistics.starDistribution(ranked) == [1, 0, 0, 2, 1, 0])
        let coverage = SurveyStatistics.coverage(ranked)
        #expect(coverage[0].present == 3 && coverage[0].quantified == 2 && coverage[0].presentPercent == 75)
        #expect(SurveyStatistics.meanPercent(ranked) == 50)
    }
}

@Suite("Free-text import proposes items")
struct PassageClassifierTests {
    static let report = """
    （1）ガバナンス
    当社は最高情報セキュリティ責任者（CISO）を任命し、取締役会に年4回、サイバーセキュリティの状況を報告しています。CISOは情報処理安全確保支援士の資格を持ちます。
    （2）リスク管理
    全社的リスク管理の一環として、外部の専門機関による第三者評価を毎年受けています。
    当連結会計年度において、重大なインシデントは発生しておりません。
    全従業員を対象に標的型メール訓練を年2回実施し、eラーニングの受講率は98％でした。
    主要な委託先120社に対してセキュリティ評価を実施しています。
    """

    @Test("passages go to the items their words and headings point to, with figures proposed")
    func classify() {
        let proposals = PassageClassifier.classify(Self.report)
        #expect(proposals.count == 7)
        #expect(proposals[0].isHeading)
        #expect(proposals[1].item == .governance)
        #expect(proposals[3].item == .riskManagement)
        #expect(proposals[4].item == .seriousIncidents)
        #expect(proposals[5].item == .educationDrills)
        #expect(proposals[6].item == .supplyChain)
        let figures = proposals.flatMap(\.figures).map { "\($0.key)=\($0.value.intValue)" }
        #expect(figures.contains("boardReportsPerYear=4"))
        #expect(figures.contains("seriousIncidents=0"))
        #expect(figures.contains("participationPercent=98"))
        #expect(figures.contains("drills=2"))
        #expect(figures.contains("suppliersAssessed=120"))
    }

    @Test("a keyword inside a longer one counts once: 「CISO」 is not read as the standard 「ISO」")
    func nestedKeywords() {
        let governance = PassageClassifier.classify("当社はCISOを任命し、取締役会に報告しています。")
        #expect(governance.first?.item == .governance)
        #expect(governance.first?.matched.contains("ISO") == false)
        let standard = PassageClassifier.classify("ISO/IEC 27001の認証を取得し、リスク評価を毎年実施しています。")
        #expect(standard.first?.matched.contains("ISO") == true)
        #expect(standard.first?.item == .riskManagement)
    }

    @Test("text that matches nothing is left for the person to assign")
    func unassigned() {
        #expect(PassageClassifier.classify("本日は晴天なり。").first?.item == nil)
    }
}

@Suite("SEC cross-reference")
struct SECCrossReferenceTests {
    @Test("every item maps to Regulation S-K Item 106 and flags take the figures' values")
    func mapping() {
        for item in AnnualItem.allCases {
            #expect(!SECCrossReference.forItem(item).regulationSK.isEmpty)
            for element in SECCrossReference.forItem(item).xbrl {
                #expect(element.name.hasPrefix("cyd:Cybersecurity"))
                if let key = element.figure { #expect(item.figure(key)?.kind == .flag) }
            }
        }
        let filled = SECCrossReference.filled(.riskManagement, content: .init(text: "x", figures: ["integratedWithERM": .flag(true)]))
        #expect(filled.xbrl.first { $0.name == "cyd:CybersecurityRiskManagementProcessesIntegratedFlag" }?.value == true)
        #expect(filled.xbrl.first { $0.name == "cyd:CybersecurityRiskManagementThirdPartyEngagedFlag" }?.value == nil)
    }
}
