import Foundation
import ShinraiKit

// The fixed vocabularies of a use case. Labels live in the catalogue under `usecases.<vocabulary>.<value>`,
// so the web pages, the API's taxonomy endpoint and the exports all read the same words.

/// Who is sharing the use case. Finer than the platform's organisation kind: the paper's point is
/// that SMEs and small municipalities find cases from organisations like themselves.
public enum OrganisationType: String, Codable, CaseIterable, Sendable {
    case sme
    case large
    case municipality
    case government
    case other

    /// A sensible default from the platform's organisation record.
    static func suggested(for kind: OrganisationKind) -> OrganisationType {
        switch kind {
        case .company, .cloudProvider: return .sme
        case .municipality: return .municipality
        case .government: return .government
        case .other: return .other
        }
    }
}

/// Size class of a local government (地方自治法の区分), so a town can find what other towns did.
public enum MunicipalityScale: String, Codable, CaseIterable, Sendable {
    case prefecture
    case designatedCity = "designated-city"
    case coreCity = "core-city"
    case city
    case specialWard = "special-ward"
    case townVillage = "town-village"
}

/// Where the use case stands.
public enum Stage: String, Codable, CaseIterable, Sendable {
    case idea
    case pilot
    case production
    case retired
}

/// Licence under which others may reuse the text and prompts (CC BY 4.0 unless the owner chooses).
public enum Licence: String, Codable, CaseIterable, Sendable {
    case ccBy = "CC-BY-4.0"
    case ccBySa = "CC-BY-SA-4.0"
    case cc0 = "CC0-1.0"

    var url: String {
        switch self {
        case .ccBy: return "https://creativecommons.org/licenses/by/4.0/deed.ja"
        case .ccBySa: return "https://creativecommons.org/licenses/by-sa/4.0/deed.ja"
        case .cc0: return "https://creativecommons.org/publicdomain/zero/1.0/deed.ja"
        }
    }
}

/// Countermeasures taken against the typical risks of generative AI.
public enum Countermeasure: String, Codable, CaseIterable, Sendable {
    case promptInjection = "prompt-injection"
    case outputCheck = "output-check"
    case grounding
    case dataMasking = "data-masking"
    case accessControl = "access-control"
    case logging
    case noTraining = "no-training"
    case usagePolicy = "usage-policy"
}

/// The high-risk self-check, following the viewpoints of the Digital Agency's guideline on the
/// procurement and use of generative AI: a use case is high risk when any of these applies.
public enum RiskCheck: String, Codable, CaseIterable, Sendable {
    /// Citizens or customers receive the AI's output directly.
    case publicFacing = "public-facing"
    /// The output feeds decisions on a person's rights or obligations.
    case rightsImpact = "rights-impact"
    /// The output can affect life, health, property or safety.
    case safetyImpact = "safety-impact"
    /// Confidential information (機密性2 or above) or personal data is entered.
    case sensitiveData = "sensitive-data"
    /// The output is used without a person checking it.
    case noHumanCheck = "no-human-check"
    /// Entered data may be used to train the provider's models.
    case trainingUse = "training-use"
}

/// Japan Standard Industrial Classification (日本標準産業分類, rev. 14): the 20 divisions (大分類)
/// A–T and the range of two-digit major groups (中分類) each contains.
public enum JSIC {
    public static let divisions: [(code: String, groups: ClosedRange<Int>)] = [
        ("A", 1...2), ("B", 3...4), ("C", 5...5), ("D", 6...8), ("E", 9...32), ("F", 33...36), ("G", 37...41),
        ("H", 42...49), ("I", 50...61), ("J", 62...67), ("K", 68...70), ("L", 71...74), ("M", 75...77),
        ("N", 78...80), ("O", 81...82), ("P", 83...85), ("Q", 86...87), ("R", 88...96), ("S", 97...98), ("T", 99...99),
    ]

    public static let codes: [String] = divisions.map(\.code)

    public static func isDivision(_ code: String) -> Bool { codes.contains(code) }

    /// True when the two-digit major group belongs to the division.
    public static func group(_ group: String, belongsTo division: String) -> Bool {
        guard group.count == 2, group.allSatisfy(\.isASCII), let number = Int(group),
              let range = divisions.first(where: { $0.code == division })?.groups else { return false }
        return range.contains(number)
    }

    public static func groups(of division: String) -> [String] {
        guard let range = divisions.first(where: { $0.code == division })?.groups else { return [] }
        return range.map { $0 < 10 ? "0\($0)" : "\($0)" }
    }

    public static var allGroups: [String] { divisions.flatMap { groups(of: $0.code) } }
}

/// Catalogue keys of the vocabularies.
enum Label {
    static func orgType(_ v: OrganisationType) -> String { "usecases.orgType.\(v.rawValue)" }
    static func scale(_ v: MunicipalityScale) -> String { "usecases.scale.\(v.rawValue)" }
    static func stage(_ v: Stage) -> String { "usecases.stage.\(v.rawValue)" }
    static func licence(_ v: Licence) -> String { "usecases.licence.\(v.rawValue.replacingOccurrences(of: ".", with: "_"))" }
    static func countermeasure(_ v: Countermeasure) -> String { "usecases.countermeasure.\(v.rawValue)" }
    static func risk(_ v: RiskCheck) -> String { "usecases.risk.\(v.rawValue)" }
    static func confidentiality(_ level: Int) -> String { "usecases.confidentiality.c\(level)" }
    static func industry(_ code: String) -> String { "usecases.jsic.\(code)" }
    static func industryGroup(_ code: String) -> String { "usecases.jsicGroup.g\(code)" }
    static func status(_ v: SubmissionStatus) -> String { "usecases.status.\(v.rawValue)" }
}
