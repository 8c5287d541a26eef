import Foundation

/// Kinds of procuring organisation for the "who must use ISMAP" checker (§2.5-2).
public enum ProcuringOrganisation: String, CaseIterable, Codable, Sendable {
    case centralMinistry = "central-ministry"
    case independentAgency = "independent-administrative-agency"
    case designatedCorporation = "designated-corporation"
    case localGovernment = "local-government"
    case criticalInfrastructure = "critical-infrastructure"
    case privateCompany = "private-company"
}

/// 機密性 classes of the government's unified standards: 3 (secret-equivalent), 2 (要機密), 1 (public).
public enum ConfidentialityLevel: String, CaseIterable, Codable, Sendable {
    case c3 = "3", c2 = "2", c1 = "1"
}

public enum RequirementLevel: String, CaseIterable, Codable, Sendable {
    case required
    case recommended
    case notRequired = "not-required"
}

/// One rule of the checker. Empty condition sets match everything; rules are tried in order of
/// `priority` (smallest first) and the first match answers, citing its source.
public struct ApplicabilityRule: Codable, Sendable, Equatable {
    public var id: UUID
    public var priority: Int
    public var organisations: [ProcuringOrganisation]
    public var confidentiality: [ConfidentialityLevel]
    public var serviceModels: [ServiceModel]
    /// nil: either; true: only when the use is declared low-impact (the ISMAP-LIU case).
    public var lowImpactOnly: Bool?
    public var level: RequirementLevel
    /// Lists a procurement may choose from (in order of preference).
    public var acceptableLists: [CloudList]
    public var conclusionJa: String
    public var conclusionEn: String
    /// The provision the rule rests on, as people cite it.
    public var citation: String
    public var citationURL: String?

    public func matches(_ question: ApplicabilityQuestion) -> Bool {
        (organisations.isEmpty || organisations.contains(question.organisation))
            && (confidentiality.isEmpty || confidentiality.contains(question.confidentiality))
            && (serviceModels.isEmpty || serviceModels.contains(question.serviceModel))
            && (lowImpactOnly != true || question.lowImpact)
    }
}

public struct ApplicabilityQuestion: Codable, Sendable, Equatable {
    public var organisation: ProcuringOrganisation
    public var confidentiality: ConfidentialityLevel
    public var serviceModel: ServiceModel
    public var lowImpact: Bool
    public init(organisation: ProcuringOrganisation, confidentiality: ConfidentialityLevel, serviceModel: ServiceModel, lowImpact: Bool) {
        self.organisation = organisation; self.confidentiality = confidentiality; self.serviceModel = serviceModel; self.lowImpact = lowImpact
    }
}

public enum ApplicabilityChecker {
    /// The first matching rule by priority, or nil when no rule applies.
    public static func answer(_ question: ApplicabilityQuestion, rules: [ApplicabilityRule]) -> ApplicabilityRule? {
        rules.sorted { ($0.priority, $0.id.uuidString) < ($1.priority, $1.id.uuidString) }.first { $0.matches(question) }
    }
}
