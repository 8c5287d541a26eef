import Foundation

/// How far existing evidence covers a control.
public enum Coverage: Int, Comparable, CaseIterable, Codable, Sendable {
    case none = 0
    case partial = 1
    case full = 2

    public static func < (lhs: Coverage, rhs: Coverage) -> Bool { lhs.rawValue < rhs.rawValue }
    public var name: String { self == .none ? "none" : self == .partial ? "partial" : "full" }
}

/// OSCAL control-mapping relationships: "source REL target".
public enum MappingRelationship: String, CaseIterable, Codable, Sendable {
    case equivalentTo = "equivalent-to"
    case equalTo = "equal-to"
    /// The source's requirements are a subset of the target's: the source covers part of it.
    case subsetOf = "subset-of"
    /// The source's requirements contain the target's: the source covers all of it.
    case supersetOf = "superset-of"
    case intersectsWith = "intersects-with"
    case noRelationship = "no-relationship"

    /// What evidence for the source says about the target.
    public var coverage: Coverage {
        switch self {
        case .equivalentTo, .equalTo, .supersetOf: return .full
        case .subsetOf, .intersectsWith: return .partial
        case .noRelationship: return .none
        }
    }

    /// The same statement read from target to source.
    public var inverse: MappingRelationship {
        switch self {
        case .subsetOf: return .supersetOf
        case .supersetOf: return .subsetOf
        default: return self
        }
    }
}

/// A control of a catalogue, named by the catalogue's key and the control's id.
public struct ControlRef: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var catalogue: String
    public var control: String
    public init(_ catalogue: String, _ control: String) { self.catalogue = catalogue; self.control = control }
    public var description: String { "\(catalogue):\(control)" }
    public static func < (a: ControlRef, b: ControlRef) -> Bool { (a.catalogue, a.control) < (b.catalogue, b.control) }
}

/// One mapping statement of a crosswalk.
public struct MappingEdge: Sendable, Equatable {
    public var source: ControlRef
    public var target: ControlRef
    public var relationship: MappingRelationship
    public var crosswalk: String
    public init(source: ControlRef, target: ControlRef, relationship: MappingRelationship, crosswalk: String) {
        self.source = source; self.target = target; self.relationship = relationship; self.crosswalk = crosswalk
    }
}

/// Unit costs for the audit estimate (integer yen), editable by administrators.
public struct AuditUnitCosts: Codable, Sendable, Equatable {
    /// Fixed cost of one audit engagement (planning, reporting).
    public var baseFeeYen: Int
    /// Auditing one control with no reusable evidence.
    public var perControlYen: Int
    /// Share of `perControlYen` for a partially covered control, in percent.
    public var partialPercent: Int
    /// Reviewing the reused evidence of a fully covered control.
    public var reuseReviewYen: Int

    public static let defaults = AuditUnitCosts(baseFeeYen: 3_000_000, perControlYen: 60_000, partialPercent: 50, reuseReviewYen: 5_000)
}

public enum AuditCycle: String, CaseIterable, Codable, Sendable {
    /// An audit every year (the current rule).
    case annual
    /// An audit every second year (§2.5-1: 毎年 → 2年ごと選択制).
    case biennial
    public var years: Int { self == .annual ? 1 : 2 }
}

/// The audit-scope calculator (§2.5-1): which controls of a target catalogue (e.g. ISMAP) the
/// provider's valid certifications already cover, following crosswalks.
///
/// Rules, in order:
/// 1. Every mapping statement is also read backwards with the inverse relationship
///    (A subset-of B is B superset-of A).
/// 2. When several statements exist for the same pair of controls (e.g. from two crosswalks),
///    the strictest one counts.
/// 3. A direct statement between an evidence control and a target control decides for that pair.
///    Only where there is none, chains through other catalogues are followed (up to `maxHops`
///    statements); a chain is as strong as its weakest statement, and the best chain counts.
/// 4. A target control is covered as well as the best evidence control of the best valid
///    certification covers it: full (equal-to, equivalent-to, superset-of all the way),
///    partial (a subset-of or intersects-with on the way), or none.
public struct AuditScopeCalculator: Sendable {
    public struct Evidence: Sendable, Equatable {
        public var id: String
        public var label: String
        /// The catalogue whose controls the certification attests.
        public var catalogue: String
        public init(id: String, label: String, catalogue: String) { self.id = id; self.label = label; self.catalogue = catalogue }
    }

    public struct TargetControl: Sendable, Equatable {
        public var id: String
        public var title: String
        public var mandatory: Bool
        /// §2.1: an on-request control is audited when a government user asks for it.
        public var applicability: ControlApplicability?
        public init(id: String, title: String, mandatory: Bool, applicability: ControlApplicability? = nil) {
            self.id = id; self.title = title; self.mandatory = mandatory; self.applicability = applicability
        }
    }

    public struct Step: Sendable, Equatable, Codable {
        public var from: ControlRef
        public var to: ControlRef
        public var relationship: MappingRelationship
    }

    public struct ControlResult: Sendable, Equatable {
        public var control: TargetControl
        public var coverage: Coverage
        /// The certification that gives the coverage.
        public var evidence: Evidence?
        /// The mapping path from the evidence control to this control.
        public var path: [Step]
    }

    public struct Estimate: Sendable, Equatable, Codable {
        public var cycle: AuditCycle
        /// One audit without reusing any certification.
        public var baselinePerAuditYen: Int
        /// One audit with the exemptions.
        public var perAuditYen: Int
        /// Average per year for the cycle.
        public var perYearYen: Int
        /// Average per year with annual audits and no exemptions (today's cost).
        public var baselinePerYearYen: Int
        public var savingPercent: Double
    }

    public struct Result: Sendable, Equatable {
        public var controls: [ControlResult]
        public var full: Int { controls.filter { $0.coverage == .full }.count }
        public var partial: Int { controls.filter { $0.coverage == .partial }.count }
        public var none: Int { controls.filter { $0.coverage == .none }.count }
        /// Share of controls exempted from audit (fully covered), in percent with one decimal.
        public var exemptedPercent: Double {
            controls.isEmpty ? 0 : (Double(full) * 1000 / Double(controls.count)).rounded() / 10
        }
        public var estimates: [Estimate]
        public var needingAudit: [ControlResult] { controls.filter { $0.coverage != .full } }
    }

    public var targetCatalogue: String
    public var targets: [TargetControl]
    public var evidence: [Evidence]
    public var edges: [MappingEdge]
    public var maxHops: Int
    public var costs: AuditUnitCosts

    public init(targetCatalogue: String, targets: [TargetControl], evidence: [Evidence], edges: [MappingEdge],
                maxHops: Int = 3, costs: AuditUnitCosts = .defaults) {
        self.targetCatalogue = targetCatalogue; self.targets = targets; self.evidence = evidence
        self.edges = edges; self.maxHops = max(1, maxHops); self.costs = costs
    }

    /// Pair → strictest relationship (rule 2), in both directions (rule 1).
    func pairs() -> [ControlRef: [ControlRef: MappingRelationship]] {
        var out: [ControlRef: [ControlRef: MappingRelationship]] = [:]
        func put(_ a: ControlRef, _ b: ControlRef, _ r: MappingRelationship) {
            if let existing = out[a]?[b], existing.coverage <= r.coverage { return }
            out[a, default: [:]][b] = r
        }
        for edge in edges {
            put(edge.source, edge.target, edge.relationship)
            put(edge.target, edge.source, edge.relationship.inverse)
        }
        return out
    }

    public func calculate() -> Result {
        let graph = pairs()
        let targetIDs = Set(targets.map(\.id))
        // Best (coverage, evidence, path) per target control.
        var best: [String: (Coverage, Evidence, [Step])] = [:]
        for item in evidence {
            let sources = graph.keys.filter { $0.catalogue == item.catalogue }.sorted()
            for source in sources {
                for (target, level) in reach(from: source, graph: graph).sorted(by: { $0.key < $1.key }) where target.catalogue == targetCatalogue && targetIDs.contains(target.control) {
                    if let current = best[target.control], current.0 > level.coverage || (current.0 == level.coverage && current.2.count <= level.path.count) { continue }
                    best[target.control] = (level.coverage, item, level.path)
                }
            }
        }
        let results = targets.map { control -> ControlResult in
            guard let found = best[control.id], found.0 > .none else { return ControlResult(control: control, coverage: .none, evidence: nil, path: []) }
            return ControlResult(control: control, coverage: found.0, evidence: found.1, path: found.2)
        }
        var result = Result(controls: results, estimates: [])
        result.estimates = AuditCycle.allCases.map { estimate(result, cycle: $0) }
        return result
    }

    /// Widest paths (max over paths of the min coverage on the path) from one evidence control,
    /// with direct statements deciding their own pair (rule 3).
    func reach(from source: ControlRef, graph: [ControlRef: [ControlRef: MappingRelationship]]) -> [ControlRef: (coverage: Coverage, path: [Step])] {
        var result: [ControlRef: (coverage: Coverage, path: [Step])] = [:]
        var frontier: [ControlRef: (coverage: Coverage, path: [Step])] = [:]
        for (next, relationship) in (graph[source] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let step = Step(from: source, to: next, relationship: relationship)
            result[next] = (relationship.coverage, [step])
            frontier[next] = (relationship.coverage, [step])
        }
        let direct = Set(result.keys)
        var hops = 1
        while hops < maxHops && !frontier.isEmpty {
            var nextFrontier: [ControlRef: (coverage: Coverage, path: [Step])] = [:]
            for (node, level) in frontier.sorted(by: { $0.key < $1.key }) where level.coverage > .none {
                for (next, relationship) in (graph[node] ?? [:]).sorted(by: { $0.key < $1.key }) where next != source && !direct.contains(next) {
                    if level.path.contains(where: { $0.from == next }) { continue }
                    let coverage = min(level.coverage, relationship.coverage)
                    let path = level.path + [Step(from: node, to: next, relationship: relationship)]
                    if let known = result[next], known.coverage >= coverage { continue }
                    result[next] = (coverage, path)
                    nextFrontier[next] = (coverage, path)
                }
            }
            frontier = nextFrontier
            hops += 1
        }
        return result
    }

    func estimate(_ result: Result, cycle: AuditCycle) -> Estimate {
        let total = result.controls.count
        let baseline = costs.baseFeeYen + total * costs.perControlYen
        let perAudit = costs.baseFeeYen + result.none * costs.perControlYen
            + result.partial * costs.perControlYen * costs.partialPercent / 100
            + result.full * costs.reuseReviewYen
        let perYear = perAudit / cycle.years
        let saving = baseline == 0 ? 0 : (Double(baseline - perYear) * 1000 / Double(baseline)).rounded() / 10
        return Estimate(cycle: cycle, baselinePerAuditYen: baseline, perAuditYen: perAudit, perYearYen: perYear,
                        baselinePerYearYen: baseline, savingPercent: saving)
    }
}
