import Foundation
import ShinraiKit
import Testing
@testable import Sovereignty

/// The domestic score on worked examples, with the initial weights (control 25, jurisdiction 20,
/// data 20, operations 15, development 15, support 5) and thresholds 0.2 / 0.4 / 0.6 / 0.8.
@Suite("Domestic score and level")
struct ScoringTests {
    let p = ScoringParameters.initial
    let jp = Country.japan
    let us = Country("US")!

    @Test("a vendor owned, governed, developed, operated and supported in Japan scores 1 (SEAL-4)")
    func fullyDomestic() {
        let vendor = VendorFacts(headquarters: jp, governingLaw: jp, foreignLaws: [], development: [jp], operation: [jp], support: [jp], dataLocation: [jp])
        let a = Scoring.assess(vendor: vendor, with: p)
        #expect(a.scoreBP == 10000)
        #expect(a.level == 4)
        #expect(a.domestic)
        #expect(a.criteria.map(\.sixths) == [6, 6, 6, 6, 6, 6])
    }

    @Test("a foreign vendor under the CLOUD Act with everything abroad scores 0 (SEAL-0)")
    func fullyForeign() {
        let vendor = VendorFacts(headquarters: us, governingLaw: us, foreignLaws: [.usCloudAct], development: [us], operation: [us], support: [us], dataLocation: [us])
        let a = Scoring.assess(vendor: vendor, with: p)
        #expect(a.scoreBP == 0)
        #expect(a.level == 0)
        #expect(!a.domestic)
    }

    @Test("a foreign vendor's region in Japan: (20×½ + 20×1 + 15×1 + 5×1) ÷ 100 = 0.5 → SEAL-2, not domestic")
    func foreignVendorDomesticRegion() {
        let vendor = VendorFacts(headquarters: us, governingLaw: us, foreignLaws: [.usCloudAct], development: [us], operation: [us],
                                 support: [jp, us], dataLocation: [us])
        let offering = OfferingFacts(governingLaw: jp, operation: [jp], support: [jp], dataLocation: [jp])
        let a = Scoring.assess(ResolvedFacts(vendor: vendor, offering: offering), with: p)
        #expect(a.criteria.map(\.sixths) == [0, 3, 6, 6, 0, 6])
        #expect(a.scoreBP == 5000)
        #expect(a.level == 2)
        #expect(!a.domestic)
        #expect(a.criteria.map(\.contributionBP) == [0, 1000, 2000, 1500, 0, 500])
    }

    @Test("a Japanese subsidiary of a US parent: control 1/3, law ½, support ½ → 125/600 = 0.2083 → SEAL-1")
    func japaneseSubsidiary() {
        let vendor = VendorFacts(headquarters: jp, ultimateParent: us, controllingShareholders: [us], governingLaw: jp,
                                 foreignLaws: [.usCloudAct, .usFISA702], development: [us, Country("IN")!], operation: [us, Country("IE")!],
                                 support: [jp, us], dataLocation: [us])
        let a = Scoring.assess(vendor: vendor, with: p)
        #expect(a.criteria.map(\.sixths) == [2, 3, 0, 0, 0, 3])
        #expect(a.scoreBP == 2083)
        #expect(a.level == 1)
        #expect(!Scoring.isDomesticVendor(vendor))
    }

    @Test("an offering can be domestic when its vendor is not: a sovereign cloud run by a Japanese company, 410/600 = 0.6833 → SEAL-3")
    func domesticOfferingOfForeignVendor() {
        let vendor = VendorFacts(headquarters: jp, ultimateParent: us, controllingShareholders: [us], governingLaw: us, foreignLaws: [.usCloudAct],
                                 development: [us], operation: [us, jp], support: [jp, us], dataLocation: [us, jp])
        #expect(!Scoring.assess(vendor: vendor, with: p).domestic)
        let site = OfferingFacts(governingLaw: jp, foreignLaws: [], support: [jp], siteCountry: jp)
        let facts = ResolvedFacts(vendor: vendor, offering: site)
        #expect(facts.operation == [jp] && facts.dataLocation == [jp])
        #expect(facts.fromOffering == ["governingLaw", "foreignLaws", "support", "operation", "dataLocation"])
        let a = Scoring.assess(facts, with: p)
        #expect(a.criteria.map(\.sixths) == [2, 6, 6, 6, 0, 6])
        #expect(a.scoreBP == 6833)
        #expect(a.level == 3)
        #expect(a.domestic)
    }

    @Test("and the reverse: a Japanese vendor reselling a product developed and run abroad, 300/600 = 0.5 → not domestic")
    func foreignOfferingOfDomesticVendor() {
        let vendor = VendorFacts(headquarters: jp, governingLaw: jp, foreignLaws: [], development: [jp], operation: [jp], support: [jp], dataLocation: [jp])
        #expect(Scoring.isDomesticVendor(vendor))
        let product = OfferingFacts(development: [us], operation: [us], dataLocation: [us])
        let a = Scoring.assess(ResolvedFacts(vendor: vendor, offering: product), with: p)
        #expect(a.criteria.map(\.sixths) == [6, 6, 0, 0, 0, 6])
        #expect(a.scoreBP == 5000)
        #expect(!a.domestic)
    }

    @Test("without a vendor profile, control and the absence of foreign laws are not credited")
    func noProfile() {
        let facts = ResolvedFacts(vendor: nil, offering: OfferingFacts(governingLaw: jp, development: [jp], operation: [jp], support: [jp], dataLocation: [jp]))
        let a = Scoring.assess(facts, with: p)
        #expect(a.criteria.map(\.sixths) == [0, 3, 6, 6, 6, 6])
        #expect(a.scoreBP == 6500)
    }

    @Test("a location list scores 1 for Japan only, ½ for Japan among others, 0 otherwise or unknown")
    func locations() {
        #expect(Scoring.locationSixths([jp]) == 6)
        #expect(Scoring.locationSixths([us, jp]) == 3)
        #expect(Scoring.locationSixths([us]) == 0)
        #expect(Scoring.locationSixths([]) == 0)
    }

    @Test("levels follow the thresholds exactly; the domestic level and weights are parameters")
    func parameters() {
        #expect(Scoring.level(scoreBP: 1999, thresholds: p.thresholds) == 0)
        #expect(Scoring.level(scoreBP: 2000, thresholds: p.thresholds) == 1)
        #expect(Scoring.level(scoreBP: 5999, thresholds: p.thresholds) == 2)
        #expect(Scoring.level(scoreBP: 6000, thresholds: p.thresholds) == 3)
        #expect(Scoring.level(scoreBP: 10000, thresholds: p.thresholds) == 4)
        // Only data location counts: the foreign vendor's region in Japan becomes fully domestic.
        var onlyData = p
        onlyData.weights = CriterionWeights(control: 0, jurisdiction: 0, data: 1, operations: 0, development: 0, support: 0)
        let vendor = VendorFacts(headquarters: us, governingLaw: us, foreignLaws: [.usCloudAct], development: [us], operation: [us], support: [us], dataLocation: [us])
        let region = ResolvedFacts(vendor: vendor, offering: OfferingFacts(dataLocation: [jp]))
        #expect(Scoring.assess(region, with: onlyData).scoreBP == 10000)
        #expect(Scoring.roundHalfUp(5, 10) == 1 && Scoring.roundHalfUp(4, 10) == 0)
    }

    @Test("invalid parameters are refused field by field")
    func invalidParameters() {
        var bad = p
        bad.weights.data = -1
        bad.thresholds = [2000, 2000, 6000, 12000]
        bad.domesticLevel = 5
        bad.minimumDeclarers = 0
        let pointers = Set(bad.problems().map(\.pointer))
        #expect(pointers == ["/weights/data", "/thresholds/3", "/thresholds", "/domesticLevel", "/minimumDeclarers"])
        var zero = p
        zero.weights = CriterionWeights(control: 0, jurisdiction: 0, data: 0, operations: 0, development: 0, support: 0)
        #expect(zero.problems().map(\.pointer) == ["/weights"])
        #expect(p.problems().isEmpty)
    }

    @Test("country codes and lists; fiscal years; basis points")
    func vocabulary() {
        #expect(Country("jp") == .japan)
        #expect(Country("XX") == nil && Country("JPN") == nil)
        #expect(Country.japan.name(.ja) == "日本")
        let parsed = CountryList.parse("JP, us、de  jp  ZZ")
        #expect(parsed.countries.map(\.code) == ["JP", "US", "DE"])
        #expect(parsed.invalid == ["ZZ"])
        #expect(FiscalYear.of(JapaneseDate.date(year: 2026, month: 3, day: 31, hour: 23)) == 2025)
        #expect(FiscalYear.of(JapaneseDate.date(year: 2026, month: 4, day: 1)) == 2026)
        #expect(FiscalYear.parse("令和7年度") == 2025 && FiscalYear.parse("R7") == 2025 && FiscalYear.parse("ＦＹ２０２４") == 2024)
        #expect(FiscalYear.parse("平成31年度") == 2019 && FiscalYear.parse("令和元年度") == 2019 && FiscalYear.parse("20x5") == nil)
        #expect(FiscalYear.label(2025, .ja) == "2025年度（令和7年度）")
        #expect(BasisPoints.decimal(6500) == "0.65" && BasisPoints.percent(2345) == "23.5%" && BasisPoints.points(-5) == "-0.1")
        #expect(BasisPoints.parse(decimal: "0.6") == 6000 && BasisPoints.parse(decimal: "0.12345") == nil)
        #expect(BasisPoints.parse(percent: "30.25%") == 3025 && BasisPoints.parse(percent: "３０") == 3000)
        #expect(BasisPoints.from(Decimal(string: "0.3333")!) == 3333 && BasisPoints.from(Decimal(string: "0.33333")!) == nil)
    }
}
