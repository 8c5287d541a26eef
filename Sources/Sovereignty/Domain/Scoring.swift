import Foundation
import ShinraiKit

/// The criteria of the domestic score. Each is judged from facts on a scale of sixths
/// (0, 1/3, 1/2, 2/3, 1), so every score is an exact fraction and equal facts always give
/// equal scores. They follow the objectives of the EU Cloud Sovereignty Framework in spirit.
public enum Criterion: String, CaseIterable, Codable, Sendable {
    /// Who owns and controls the vendor: headquarters, ultimate parent, controlling shareholders.
    case control
    /// Which law governs the contract, and whether a foreign law can compel disclosure.
    case jurisdiction
    /// Where customer data is stored and processed.
    case data
    /// Where the offering is operated.
    case operations
    /// Where it is developed (source code, models, hardware design).
    case development
    /// Where support is given from.
    case support

    /// The EU Cloud Sovereignty Framework objective the criterion corresponds to.
    public var euObjective: String {
        switch self {
        case .control: return "SOV-1"
        case .jurisdiction: return "SOV-2"
        case .data: return "SOV-3"
        case .operations: return "SOV-4"
        case .development: return "SOV-5/6"
        case .support: return "SOV-7"
        }
    }
}

/// The weights of the criteria (non-negative integers; only their ratios matter).
public struct CriterionWeights: Codable, Sendable, Equatable {
    public var control: Int
    public var jurisdiction: Int
    public var data: Int
    public var operations: Int
    public var development: Int
    public var support: Int

    public init(control: Int, jurisdiction: Int, data: Int, operations: Int, development: Int, support: Int) {
        self.control = control; self.jurisdiction = jurisdiction; self.data = data
        self.operations = operations; self.development = development; self.support = support
    }

    public subscript(criterion: Criterion) -> Int {
        get {
            switch criterion {
            case .control: return control
            case .jurisdiction: return jurisdiction
            case .data: return data
            case .operations: return operations
            case .development: return development
            case .support: return support
            }
        }
        set {
            switch criterion {
            case .control: control = newValue
            case .jurisdiction: jurisdiction = newValue
            case .data: data = newValue
            case .operations: operations = newValue
            case .development: development = newValue
            case .support: support = newValue
            }
        }
    }

    public var total: Int { Criterion.allCases.reduce(0) { $0 + self[$1] } }
}

/// The versioned parameters of the method: weights, level thresholds, which level counts as
/// domestic, and the smallest number of declarers a published cell may rest on.
public struct ScoringParameters: Codable, Sendable, Equatable {
    public var weights: CriterionWeights
    /// Minimum score for SEAL-1…SEAL-4, in basis points (1/10000), strictly increasing.
    public var thresholds: [Int]
    /// Offerings at this level or above count as domestic (1…4).
    public var domesticLevel: Int
    /// Cells resting on fewer declarers are suppressed (1…100).
    public var minimumDeclarers: Int

    public init(weights: CriterionWeights, thresholds: [Int], domesticLevel: Int, minimumDeclarers: Int) {
        self.weights = weights; self.thresholds = thresholds
        self.domesticLevel = domesticLevel; self.minimumDeclarers = minimumDeclarers
    }

    /// The parameters the platform starts with (version 1).
    public static let initial = ScoringParameters(
        weights: CriterionWeights(control: 25, jurisdiction: 20, data: 20, operations: 15, development: 15, support: 5),
        thresholds: [2000, 4000, 6000, 8000], domesticLevel: 3, minimumDeclarers: 3)

    public static let maxWeight = 1000

    /// Field errors (pointers relative to the parameters object).
    public func problems() -> [FieldError] {
        var errors = ValidationErrors()
        for criterion in Criterion.allCases where !(0...Self.maxWeight).contains(weights[criterion]) {
            errors.add("/weights/\(criterion.rawValue)", code: FieldError.Code.range,
                       .init(ja: "重みは0〜\(Self.maxWeight)の整数で入力してください。", en: "A weight is an integer from 0 to \(Self.maxWeight)."))
        }
        if weights.total == 0 {
            errors.add("/weights", code: FieldError.Code.invalid, .init(ja: "少なくとも一つの重みを1以上にしてください。", en: "At least one weight must be above zero."))
        }
        if thresholds.count != 4 {
            errors.add("/thresholds", code: FieldError.Code.invalid, .init(ja: "しきい値はSEAL-1〜4の4つを指定してください。", en: "Give four thresholds, for SEAL-1 to SEAL-4."))
        } else {
            for (i, value) in thresholds.enumerated() where !(1...10000).contains(value) {
                errors.add("/thresholds/\(i)", code: FieldError.Code.range,
                           .init(ja: "しきい値は0より大きく1以下にしてください。", en: "A threshold is above 0 and at most 1."))
            }
            if zip(thresholds, thresholds.dropFirst()).contains(where: { $0 >= $1 }) {
                errors.add("/thresholds", code: FieldError.Code.invalid,
                           .init(ja: "しきい値はSEAL-1からSEAL-4へ順に大きくしてください。", en: "Thresholds must increase from SEAL-1 to SEAL-4."))
            }
        }
        if !(1...4).contains(domesticLevel) {
            errors.add("/domesticLevel", code: FieldError.Code.range, .init(ja: "国産とみなすレベルは1〜4です。", en: "The domestic level is from 1 to 4."))
        }
        if !(1...100).contains(minimumDeclarers) {
            errors.add("/minimumDeclarers", code: FieldError.Code.range,
                       .init(ja: "最小申告者数は1〜100です。", en: "The minimum number of declarers is from 1 to 100."))
        }
        return errors.errors
    }
}

/// The facts about a vendor, from its sovereignty profile.
public struct VendorFacts: Codable, Sendable, Equatable {
    public var headquarters: Country
    /// nil: the vendor has no parent (it is its own ultimate parent).
    public var ultimateParent: Country?
    /// Countries of controlling shareholders; empty: none besides the parent.
    public var controllingShareholders: [Country]
    public var governingLaw: Country?
    public var foreignLaws: [ForeignLaw]
    public var development: [Country]
    public var operation: [Country]
    public var support: [Country]
    public var dataLocation: [Country]

    public init(headquarters: Country, ultimateParent: Country? = nil, controllingShareholders: [Country] = [], governingLaw: Country? = nil,
                foreignLaws: [ForeignLaw] = [], development: [Country] = [], operation: [Country] = [], support: [Country] = [],
                dataLocation: [Country] = []) {
        self.headquarters = headquarters; self.ultimateParent = ultimateParent; self.controllingShareholders = controllingShareholders
        self.governingLaw = governingLaw; self.foreignLaws = foreignLaws; self.development = development
        self.operation = operation; self.support = support; self.dataLocation = dataLocation
    }
}

/// Offering-level facts; each nil or empty value is taken from the vendor.
public struct OfferingFacts: Codable, Sendable, Equatable {
    public var governingLaw: Country?
    /// nil: as the vendor; an empty list declares that no foreign law reaches this offering
    /// (for example when a separate domestic company operates it).
    public var foreignLaws: [ForeignLaw]?
    public var development: [Country]
    public var operation: [Country]
    public var support: [Country]
    public var dataLocation: [Country]
    /// For infrastructure: where the site is. It is where it operates and where data stays,
    /// unless those are given.
    public var siteCountry: Country?

    public init(governingLaw: Country? = nil, foreignLaws: [ForeignLaw]? = nil, development: [Country] = [], operation: [Country] = [],
                support: [Country] = [], dataLocation: [Country] = [], siteCountry: Country? = nil) {
        self.governingLaw = governingLaw; self.foreignLaws = foreignLaws; self.development = development; self.operation = operation
        self.support = support; self.dataLocation = dataLocation; self.siteCountry = siteCountry
    }

    public static let none = OfferingFacts()
}

/// The facts an assessment is made from, after offering facts override vendor facts.
public struct ResolvedFacts: Codable, Sendable, Equatable {
    /// nil when the vendor has no profile: control cannot be credited.
    public var vendor: VendorFacts?
    public var governingLaw: Country?
    /// nil when nobody declared it: the absence of foreign laws cannot be credited.
    public var foreignLaws: [ForeignLaw]?
    public var development: [Country]
    public var operation: [Country]
    public var support: [Country]
    public var dataLocation: [Country]

    /// Which facts came from the offering rather than the vendor.
    public var fromOffering: Set<String>

    public init(vendor: VendorFacts?, offering: OfferingFacts = .none) {
        self.vendor = vendor
        var own = Set<String>()
        func pick(_ name: String, _ offered: [Country], _ inherited: [Country]?) -> [Country] {
            if !offered.isEmpty { own.insert(name); return offered }
            return inherited ?? []
        }
        governingLaw = offering.governingLaw ?? vendor?.governingLaw
        if offering.governingLaw != nil { own.insert("governingLaw") }
        foreignLaws = offering.foreignLaws ?? vendor?.foreignLaws
        if offering.foreignLaws != nil { own.insert("foreignLaws") }
        let site = offering.siteCountry.map { [$0] }
        development = pick("development", offering.development, vendor?.development)
        operation = pick("operation", offering.operation, site ?? vendor?.operation)
        support = pick("support", offering.support, vendor?.support)
        dataLocation = pick("dataLocation", offering.dataLocation, site ?? vendor?.dataLocation)
        if site != nil {
            if offering.operation.isEmpty { own.insert("operation") }
            if offering.dataLocation.isEmpty { own.insert("dataLocation") }
        }
        fromOffering = own
    }
}

/// One criterion's part of an assessment.
public struct CriterionResult: Codable, Sendable, Equatable {
    public var criterion: Criterion
    /// The criterion's value in sixths (0…6).
    public var sixths: Int
    public var weight: Int
    /// weight × value ÷ total weight, in basis points (rounded; the parts may not add up
    /// to the score exactly, the score is computed from the exact sum).
    public var contributionBP: Int

    /// `0`, `1/3`, `1/2`, `2/3`, `1`.
    public var fractionText: String {
        switch sixths {
        case 0: return "0"
        case 6: return "1"
        case 3: return "1/2"
        case 2: return "1/3"
        case 4: return "2/3"
        default: return "\(sixths)/6"
        }
    }
}

/// The domestic score and level of an offering (or of a vendor on its own facts).
public struct Assessment: Codable, Sendable, Equatable {
    public var criteria: [CriterionResult]
    /// Score 0…1 in basis points (0…10000).
    public var scoreBP: Int
    /// SEAL-0…4.
    public var level: Int
    public var domestic: Bool

    public var score: Double { Double(scoreBP) / 10000 }
}

public enum Scoring {
    /// Where something happens: all in Japan 1, partly in Japan 1/2, elsewhere or unknown 0.
    public static func locationSixths(_ countries: [Country]) -> Int {
        guard countries.contains(.japan) else { return 0 }
        return countries.count == 1 ? 6 : 3
    }

    /// The value of each criterion in sixths.
    public static func values(_ facts: ResolvedFacts) -> [Criterion: Int] {
        var control = 0
        if let vendor = facts.vendor {
            // A vendor without a declared parent or controlling shareholder controls itself.
            let parent = vendor.ultimateParent ?? vendor.headquarters
            let shareholdersInJapan = vendor.controllingShareholders.isEmpty ? parent.isJapan : vendor.controllingShareholders.allSatisfy(\.isJapan)
            control = [vendor.headquarters.isJapan, parent.isJapan, shareholdersInJapan].filter { $0 }.count * 2
        }
        var jurisdiction = 0
        if facts.governingLaw?.isJapan == true { jurisdiction += 3 }
        if let laws = facts.foreignLaws, laws.isEmpty { jurisdiction += 3 }
        return [
            .control: control, .jurisdiction: jurisdiction,
            .data: locationSixths(facts.dataLocation), .operations: locationSixths(facts.operation),
            .development: locationSixths(facts.development), .support: locationSixths(facts.support),
        ]
    }

    /// score = Σ weightᵢ × valueᵢ ÷ Σ weightᵢ, rounded half up to 4 decimals;
    /// level = the highest SEAL-n whose threshold the score reaches; domestic when
    /// level ≥ the domestic level.
    public static func assess(_ facts: ResolvedFacts, with parameters: ScoringParameters) -> Assessment {
        let values = values(facts)
        let totalWeight = max(parameters.weights.total, 1)
        var sum = 0  // Σ weight × sixths
        var criteria: [CriterionResult] = []
        for criterion in Criterion.allCases {
            let weight = parameters.weights[criterion]
            let sixths = values[criterion] ?? 0
            sum += weight * sixths
            criteria.append(CriterionResult(criterion: criterion, sixths: sixths, weight: weight,
                                            contributionBP: roundHalfUp(weight * sixths * 10000, 6 * totalWeight)))
        }
        let scoreBP = roundHalfUp(sum * 10000, 6 * totalWeight)
        let level = level(scoreBP: scoreBP, thresholds: parameters.thresholds)
        return Assessment(criteria: criteria, scoreBP: scoreBP, level: level, domestic: level >= parameters.domesticLevel)
    }

    public static func level(scoreBP: Int, thresholds: [Int]) -> Int {
        thresholds.enumerated().reduce(0) { scoreBP >= $1.element ? $1.offset + 1 : $0 }
    }

    /// A vendor's own score: its facts with no offering-level overrides.
    public static func assess(vendor: VendorFacts, with parameters: ScoringParameters) -> Assessment {
        assess(ResolvedFacts(vendor: vendor), with: parameters)
    }

    /// A domestic vendor (one that may declare overseas sales): headquartered, ultimately owned
    /// and controlled in Japan.
    public static func isDomesticVendor(_ vendor: VendorFacts) -> Bool {
        values(ResolvedFacts(vendor: vendor))[.control] == 6
    }

    static func roundHalfUp(_ numerator: Int, _ denominator: Int) -> Int {
        (2 * numerator + denominator) / (2 * denominator)
    }
}

/// `SEAL-3`.
public enum SovereigntyLevel {
    public static func code(_ level: Int) -> String { "SEAL-\(level)" }
    public static let range = 0...4
}

