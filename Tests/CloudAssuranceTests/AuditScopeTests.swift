import ShinraiKit
import Testing
@testable import CloudAssurance

@Suite("Audit-scope calculator (§2.5-1)")
struct AuditScopeTests {
    typealias Calc = AuditScopeCalculator
    func edge(_ s: String, _ rel: MappingRelationship, _ t: String, _ crosswalk: String = "x") -> MappingEdge {
        let a = s.split(separator: ":"), b = t.split(separator: ":")
        return MappingEdge(source: ControlRef(String(a[0]), String(a[1])), target: ControlRef(String(b[0]), String(b[1])), relationship: rel, crosswalk: crosswalk)
    }
    func targets(_ ids: [String]) -> [Calc.TargetControl] { ids.map { .init(id: $0, title: "t\($0)", mandatory: true) } }
    func coverage(_ result: Calc.Result) -> [String: Coverage] { Dictionary(uniqueKeysWithValues: result.controls.map { ($0.control.id, $0.coverage) }) }
    let iso = Calc.Evidence(id: "c1", label: "ISO/IEC 27001 X", catalogue: "iso")

    @Test("direct mappings: equal/equivalent/superset cover fully, subset/intersects partly, no-relationship not at all")
    func direct() {
        let calc = Calc(targetCatalogue: "ismap", targets: targets(["1", "2", "3", "4", "5", "6", "7"]), evidence: [iso], edges: [
            edge("iso:A", .equalTo, "ismap:1"), edge("iso:B", .equivalentTo, "ismap:2"), edge("iso:C", .supersetOf, "ismap:3"),
            edge("iso:D", .subsetOf, "ismap:4"), edge("iso:E", .intersectsWith, "ismap:5"), edge("iso:F", .noRelationship, "ismap:6"),
        ])
        let result = calc.calculate()
        #expect(coverage(result) == ["1": .full, "2": .full, "3": .full, "4": .partial, "5": .partial, "6": .none, "7": .none])
        #expect(result.full == 3 && result.partial == 2 && result.none == 2)
        #expect(result.exemptedPercent == 42.9)   // 3 of 7
        #expect(result.needingAudit.map(\.control.id) == ["4", "5", "6", "7"])
        #expect(result.controls.first { $0.control.id == "1" }?.evidence == iso)
    }

    @Test("a mapping written from ISMAP to ISO is read backwards: ISMAP subset-of ISO means ISO covers ISMAP fully")
    func inverse() {
        let calc = Calc(targetCatalogue: "ismap", targets: targets(["1", "2"]), evidence: [iso], edges: [
            edge("ismap:1", .subsetOf, "iso:A"), edge("ismap:2", .supersetOf, "iso:B"),
        ])
        #expect(coverage(calc.calculate()) == ["1": .full, "2": .partial])
    }

    @Test("conflicting statements about the same pair: the strictest counts")
    func strictest() {
        let calc = Calc(targetCatalogue: "ismap", targets: targets(["1"]), evidence: [iso], edges: [
            edge("iso:A", .equivalentTo, "ismap:1", "crosswalk-a"), edge("iso:A", .intersectsWith, "ismap:1", "crosswalk-b"),
        ])
        #expect(coverage(calc.calculate()) == ["1": .partial])
    }

    @Test("another evidence control that fully covers the target wins over a partial one")
    func bestSource() {
        let calc = Calc(targetCatalogue: "ismap", targets: targets(["1"]), evidence: [iso], edges: [
            edge("iso:A", .subsetOf, "ismap:1"), edge("iso:B", .equalTo, "ismap:1"),
        ])
        let result = calc.calculate()
        #expect(coverage(result) == ["1": .full])
        #expect(result.controls[0].path.map(\.from.control) == ["B"])
    }

    @Test("chains: FedRAMP (800-53) → ISO → ISMAP; a chain is as strong as its weakest link")
    func chains() {
        let fedramp = Calc.Evidence(id: "c2", label: "FedRAMP Moderate", catalogue: "nist")
        let edges = [
            edge("nist:ac-2", .supersetOf, "iso:A.5.16"), edge("iso:A.5.16", .equivalentTo, "ismap:9.2.1.1.B"),
            edge("nist:au-2", .equivalentTo, "iso:A.8.15"), edge("iso:A.8.15", .subsetOf, "ismap:12.4.1.8.PB"),
            edge("nist:ra-5", .intersectsWith, "iso:A.8.8"), edge("iso:A.8.8", .equivalentTo, "ismap:12.6.1.1.B"),
        ]
        let result = Calc(targetCatalogue: "ismap", targets: targets(["9.2.1.1.B", "12.4.1.8.PB", "12.6.1.1.B"]), evidence: [fedramp], edges: edges).calculate()
        #expect(coverage(result) == ["9.2.1.1.B": .full, "12.4.1.8.PB": .partial, "12.6.1.1.B": .partial])
        let path = result.controls[0].path
        #expect(path.map(\.from.description) == ["nist:ac-2", "iso:A.5.16"])
        #expect(path.map(\.relationship) == [.supersetOf, .equivalentTo])
        // With a hop limit of 1 the chains are not followed.
        let direct = Calc(targetCatalogue: "ismap", targets: targets(["9.2.1.1.B"]), evidence: [fedramp], edges: edges, maxHops: 1).calculate()
        #expect(coverage(direct) == ["9.2.1.1.B": .none])
    }

    @Test("a direct statement decides its pair: a chain cannot upgrade it")
    func directOverridesChain() {
        let result = Calc(targetCatalogue: "ismap", targets: targets(["1"]), evidence: [iso], edges: [
            edge("iso:A", .subsetOf, "ismap:1"),
            edge("iso:A", .equivalentTo, "nist:x"), edge("nist:x", .equivalentTo, "ismap:1"),
        ]).calculate()
        #expect(coverage(result) == ["1": .partial])
        // …but a chain fills in where no direct statement exists.
        let chained = Calc(targetCatalogue: "ismap", targets: targets(["1"]), evidence: [iso], edges: [
            edge("iso:A", .equivalentTo, "nist:x"), edge("nist:x", .equivalentTo, "ismap:1"),
        ]).calculate()
        #expect(coverage(chained) == ["1": .full])
    }

    @Test("across certifications the best coverage counts")
    func acrossCertifications() {
        let soc = Calc.Evidence(id: "c3", label: "SOC 2", catalogue: "soc2")
        let result = Calc(targetCatalogue: "ismap", targets: targets(["1"]), evidence: [iso, soc], edges: [
            edge("iso:A", .intersectsWith, "ismap:1"), edge("soc2:CC6.1", .equivalentTo, "ismap:1"),
        ]).calculate()
        #expect(coverage(result) == ["1": .full])
        #expect(result.controls[0].evidence == soc)
    }

    @Test("cost estimate: annual and biennial against today's baseline")
    func costs() {
        let costs = AuditUnitCosts(baseFeeYen: 1_000_000, perControlYen: 100_000, partialPercent: 50, reuseReviewYen: 10_000)
        let result = Calc(targetCatalogue: "ismap", targets: targets(["1", "2", "3", "4"]), evidence: [iso], edges: [
            edge("iso:A", .equalTo, "ismap:1"), edge("iso:B", .subsetOf, "ismap:2"),
        ], costs: costs).calculate()
        // baseline: 1,000,000 + 4 × 100,000 = 1,400,000
        // with exemptions: 1,000,000 + 2 × 100,000 (none) + 1 × 50,000 (partial) + 1 × 10,000 (reuse) = 1,260,000
        let annual = result.estimates.first { $0.cycle == .annual }!, biennial = result.estimates.first { $0.cycle == .biennial }!
        #expect(annual.baselinePerAuditYen == 1_400_000 && annual.perAuditYen == 1_260_000 && annual.perYearYen == 1_260_000)
        #expect(annual.savingPercent == 10)
        #expect(biennial.perYearYen == 630_000)
        #expect(biennial.savingPercent == 55)
    }

    @Test("no evidence: nothing exempted, cost is the baseline")
    func noEvidence() {
        let result = Calc(targetCatalogue: "ismap", targets: targets(["1", "2"]), evidence: [], edges: [edge("iso:A", .equalTo, "ismap:1")]).calculate()
        #expect(result.full == 0 && result.exemptedPercent == 0)
        #expect(result.estimates[0].savingPercent == 0)
    }
}
