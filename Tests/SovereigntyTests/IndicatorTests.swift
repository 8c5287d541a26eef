import Foundation
import ShinraiKit
import Testing
@testable import Sovereignty

/// The self-sufficiency rate computed from summed declarations.
@Suite("Indicator")
struct IndicatorTests {
    let a = UUID(), b = UUID(), c = UUID(), d = UUID()

    var offerings: [UUID: OfferingClass] {
        [a: OfferingClass(kind: .product, categoryCode: "endpoint", unit: .devices),
         b: OfferingClass(kind: .product, categoryCode: "endpoint", unit: .devices),
         c: OfferingClass(kind: .service, categoryCode: "siem", unit: .terabytes),
         d: OfferingClass(kind: .infrastructure, categoryCode: "compute", unit: .servers)]
    }

    func group(_ offering: UUID, _ sector: Sector = .private, gov: Bool = false, n: Int, spendN: Int = 0, spend: Int64 = 0,
               pricedSpend: Int64 = 0, pricedUnits: Int64 = 0, unitsN: Int = 0, units: Int64 = 0, year: Int = 2025) -> UsageGroup {
        UsageGroup(fiscalYear: year, offeringID: offering, sector: sector, governmentSystem: gov, declarations: n, spendDeclarations: spendN,
                   spendYen: spend, pricedSpendYen: pricedSpend, pricedUnits: pricedUnits, unitsOnlyDeclarations: unitsN, unitsOnlyUnits: units)
    }

    /// Declarer counts large enough to publish every cell, unless overridden.
    func counts(_ year: Int = 2025, overrides: [DeclarerCount] = []) -> [DeclarerCount] {
        var all: [DeclarerCount] = []
        for dimension in Dimension.allCases {
            for key in IndicatorCalculator.keys(of: dimension, categories: ["endpoint", "siem", "compute"]) {
                all.append(overrides.first { $0.dimension == dimension && $0.key == key }
                           ?? DeclarerCount(fiscalYear: year, dimension: dimension, key: key, total: 10, domestic: 5, foreign: 5))
            }
        }
        return all
    }

    func compute(_ groups: [UsageGroup], declarers: [DeclarerCount]? = nil, k: Int = 3, targets: [Int: [String: Int]] = [:]) -> IndicatorResult {
        IndicatorCalculator.compute(IndicatorInput(
            groups: groups, offerings: offerings,
            scores: [2025: [a: YearScore(scoreBP: 8000, domestic: true), b: YearScore(scoreBP: 2000, domestic: false),
                            c: YearScore(scoreBP: 7000, domestic: true), d: YearScore(scoreBP: 3000, domestic: false)]],
            parameters: [2025: YearParameters(version: 2, minimumDeclarers: k)], declarers: declarers ?? counts(),
            categoryCodes: ["endpoint", "siem", "compute"], targets: targets))
    }

    @Test("spend and units mixed: units are valued at the offering's observed unit price, else the category's, else not valued")
    func mixedEvidence() throws {
        let result = compute([
            // A: three declarations with spend and units: 3,000 yen for 300 devices → 10 yen a device.
            group(a, n: 3, spendN: 3, spend: 3000, pricedSpend: 3000, pricedUnits: 300),
            // A: two declarations with units only → 100 × 10 = 1,000 yen.
            group(a, .government, gov: true, n: 2, unitsN: 2, units: 100),
            // B: spend only.
            group(b, n: 3, spendN: 3, spend: 6000),
            // B: units only; B has no price of its own, the endpoint/devices price (10) applies → 500 yen.
            group(b, .government, gov: true, n: 1, unitsN: 1, units: 50),
            // C: units only, and nothing in its category and unit has a price → not valued.
            group(c, n: 1, unitsN: 1, units: 40),
        ], targets: [2025: ["overall": 4000, "product": 3000]])
        let overall = try #require(result.cell(2025, .overall))
        #expect(overall.status == .published)
        #expect(overall.totalSpendYen == 10_500)
        #expect(overall.domesticSpendYen == 4_000)
        #expect(overall.rateBP == 3810)          // 4,000 ÷ 10,500
        #expect(overall.weightedRateBP == 4286)  // (4,000 × 0.8 + 6,500 × 0.2) ÷ 10,500
        #expect(overall.declarations == 10)
        #expect((overall.valuedBySpend, overall.valuedByUnits, overall.notValued) == (6, 3, 1))
        #expect(overall.targetBP == 4000 && overall.gapBP == -190)
        let product = try #require(result.cell(2025, .kind, "product"))
        #expect(product.rateBP == 3810 && product.gapBP == 810)
        // The service cell rests only on a declaration that could not be valued.
        #expect(result.cell(2025, .kind, "service")?.status == .noData)
        #expect(result.cell(2025, .kind, "infrastructure")?.status == .noData)
        let government = try #require(result.cell(2025, .system, Dimension.systemGovernment))
        #expect(government.totalSpendYen == 1500 && government.rateBP == 6667)
        let adoption = try #require(result.governmentAdoption.first)
        #expect(adoption.offeringsUsed == 2 && adoption.domesticOfferingsUsed == 1 && adoption.offeringShareBP == 5000)
        #expect(adoption.spendRateBP == 6667)
    }

    @Test("cells resting on fewer declarers than the minimum, or one or two on a side, are suppressed")
    func smallCells() throws {
        let groups = [group(a, n: 5, spendN: 5, spend: 5000), group(b, .government, n: 4, spendN: 4, spend: 4000),
                      group(c, n: 3, spendN: 3, spend: 3000), group(d, n: 6, spendN: 6, spend: 9000)]
        let result = compute(groups, declarers: counts(overrides: [
            DeclarerCount(fiscalYear: 2025, dimension: .category, key: "siem", total: 2, domestic: 2, foreign: 0),
            DeclarerCount(fiscalYear: 2025, dimension: .sector, key: "government", total: 4, domestic: 0, foreign: 4),
            DeclarerCount(fiscalYear: 2025, dimension: .sector, key: "private", total: 9, domestic: 8, foreign: 1),
        ]))
        let siem = try #require(result.cell(2025, .category, "siem"))
        #expect(siem.status == .suppressed && siem.suppression == .tooFewDeclarers)
        #expect(siem.rateBP == nil && siem.totalSpendYen == nil && siem.declarations == 3 && siem.declarers == 2)
        // One foreign declarer on the private side: its spend would be total − domestic.
        #expect(result.cell(2025, .sector, "private")?.suppression == .tooFewDeclarers)
        // Four foreign declarers and none domestic would be safe, but it is the complement of the private cell.
        #expect(result.cell(2025, .sector, "government")?.status == .suppressed)
        #expect(result.cell(2025, .sector, "government")?.suppression == .complementary)
        #expect(result.cell(2025, .overall)?.status == .published)
    }

    @Test("when one cell of a breakdown is suppressed the next smallest is too, so it cannot be found by subtraction")
    func complementarySuppression() throws {
        let groups = [group(a, n: 5, spendN: 5, spend: 5000), group(c, n: 4, spendN: 4, spend: 4000), group(d, n: 6, spendN: 6, spend: 9000)]
        let result = compute(groups, declarers: counts(overrides: [
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "product", total: 2, domestic: 2, foreign: 0),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "service", total: 4, domestic: 4, foreign: 0),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "infrastructure", total: 6, domestic: 0, foreign: 6),
        ]))
        #expect(result.cell(2025, .kind, "product")?.suppression == .tooFewDeclarers)
        #expect(result.cell(2025, .kind, "service")?.suppression == .complementary)
        #expect(result.cell(2025, .kind, "infrastructure")?.status == .published)
        // With the minimum lowered to 1 nothing is suppressed.
        let open = compute(groups, declarers: counts(overrides: [
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "product", total: 1, domestic: 1, foreign: 0)]), k: 1)
        #expect(open.cells.allSatisfy { $0.status != .suppressed })
    }

    @Test("the complement covers the side that was too small: one domestic declarer is not revealed through a cell without any")
    func complementCoversTheSmallSide() throws {
        let groups = [group(a, n: 5, spendN: 5, spend: 5000), group(c, n: 3, spendN: 3, spend: 3000), group(d, n: 10, spendN: 10, spend: 9000)]
        let result = compute(groups, declarers: counts(overrides: [
            // Products: one organisation on the domestic side.
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "product", total: 5, domestic: 1, foreign: 4),
            // Services: the smallest cell, but with no domestic declarer; suppressing it with products would leave
            // overall − infrastructure = products + services, whose domestic spend is that one organisation's.
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "service", total: 3, domestic: 0, foreign: 3),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "infrastructure", total: 10, domestic: 5, foreign: 5),
        ]))
        #expect(result.cell(2025, .kind, "product")?.suppression == .tooFewDeclarers)
        #expect(result.cell(2025, .kind, "infrastructure")?.suppression == .complementary)
        #expect(result.cell(2025, .kind, "service")?.status == .published)

        // Two cells suppressed on their own that together still single out one domestic declarer get a complement too.
        let two = compute(groups, declarers: counts(overrides: [
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "product", total: 5, domestic: 1, foreign: 4),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "service", total: 2, domestic: 0, foreign: 2),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "infrastructure", total: 10, domestic: 5, foreign: 5),
        ]))
        #expect(two.cell(2025, .kind, "service")?.suppression == .tooFewDeclarers)
        #expect(two.cell(2025, .kind, "infrastructure")?.suppression == .complementary)

        // When no published cell has enough on the small side, the whole breakdown is suppressed.
        let none = compute(groups, declarers: counts(overrides: [
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "product", total: 5, domestic: 1, foreign: 4),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "service", total: 3, domestic: 0, foreign: 3),
            DeclarerCount(fiscalYear: 2025, dimension: .kind, key: "infrastructure", total: 10, domestic: 0, foreign: 10),
        ]))
        #expect(none.cells(2025, .kind).allSatisfy { $0.status == .suppressed })
        #expect(none.cell(2025, .overall)?.status == .published)
    }

    @Test("every year is computed with its own scores and minimum; cells carry the parameter version")
    func years() throws {
        let groups = [group(a, n: 3, spendN: 3, spend: 1000, year: 2024), group(a, n: 3, spendN: 3, spend: 1000, year: 2025)]
        let result = IndicatorCalculator.compute(IndicatorInput(
            groups: groups, offerings: offerings,
            scores: [2024: [a: YearScore(scoreBP: 9000, domestic: true)], 2025: [a: YearScore(scoreBP: 1000, domestic: false)]],
            parameters: [2024: YearParameters(version: 1, minimumDeclarers: 1), 2025: YearParameters(version: 2, minimumDeclarers: 1)],
            declarers: counts(2024) + counts(2025), categoryCodes: ["endpoint"], targets: [:]))
        #expect(result.years == [2024, 2025])
        #expect(result.cell(2024, .overall)?.rateBP == 10000 && result.cell(2024, .overall)?.parameterVersion == 1)
        #expect(result.cell(2025, .overall)?.rateBP == 0 && result.cell(2025, .overall)?.parameterVersion == 2)
    }
}

@Suite("Declaration CSV")
struct DeclarationCSVTests {
    @Test("English or Japanese headers in any order; numbers with separators, 円 and full-width digits; Japanese years")
    func reads() throws {
        let rows = try DeclarationCSV.parse("""
            年度,提供物番号,支出額（円）,数量,政府システム,備考
            令和7年度,SVO-2026-0001,"1,200,000円",,はい,EDR
            2024,SVO-2026-0002,,３５０,no,
            """)
        #expect(rows.count == 2)
        #expect(rows[0].input == DeclarationInput(offering: "SVO-2026-0001", fiscalYear: 2025, spendYen: 1_200_000, governmentSystem: true, note: "EDR"))
        #expect(rows[1].input == DeclarationInput(offering: "SVO-2026-0002", fiscalYear: 2024, units: 350, governmentSystem: false))
        #expect(rows[1].line == 3)
    }

    @Test("row errors name the line and the column; the file is refused when unreadable")
    func errors() throws {
        let rows = try DeclarationCSV.parse("offering,fiscal_year,spend_yen\nSVO-1,20x5,abc\nSVO-2,2025,100,extra\n")
        #expect(Set(rows[0].errors.map(\.pointer)) == ["/rows/2/fiscalYear", "/rows/2/spendYen"])
        #expect(rows[1].errors.map(\.pointer) == ["/rows/3/csv"])
        #expect(throws: DeclarationCSV.FileError.self) { try DeclarationCSV.parse("offering,colour\nSVO-1,red\n") }
        #expect(throws: DeclarationCSV.FileError.self) { try DeclarationCSV.parse("fiscal_year\n2025\n") }
        #expect(throws: DeclarationCSV.FileError.self) { try DeclarationCSV.parse("offering,fiscal_year\n") }
        #expect(throws: DeclarationCSV.FileError.self) { try DeclarationCSV.parse("offering,fiscal_year\n\"SVO-1,2025\n") }
    }

    @Test("the template parses back")
    func template() throws {
        let rows = try DeclarationCSV.parse(DeclarationCSV.template(offeringNumber: "SVO-2026-0001", year: 2025).text)
        #expect(rows.count == 2 && rows.allSatisfy { $0.errors.isEmpty })
    }

    @Test("the rules refuse what cannot be a declaration")
    func rules() {
        func pointers(_ input: DeclarationInput, known: Bool = true) -> [String] {
            DeclarationRules.problems(input, offeringKnown: known, currentFiscalYear: 2026).map(\.pointer)
        }
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2025, spendYen: 100)) == [])
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2025, spendYen: 0, units: 3)) == [])
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2025)) == ["/spendYen"])
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2027, spendYen: 1)) == ["/fiscalYear"])
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2025, spendYen: -1, units: 0)) == ["/spendYen", "/units"])
        #expect(pointers(DeclarationInput(offering: "nope", fiscalYear: 2025, spendYen: 1), known: false) == ["/offering"])
        #expect(pointers(DeclarationInput(offering: "SVO-1", fiscalYear: 2025, spendYen: DeclarationRules.maxSpendYen + 1)) == ["/spendYen"])
    }
}
