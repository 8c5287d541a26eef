import Foundation
import ShinraiKit

/// The four public lists of the registry.
public enum CloudList: String, CaseIterable, Codable, Sendable {
    /// ISMAPクラウドサービスリスト
    case ismap
    /// ISMAP-LIUクラウドサービスリスト
    case liu
    /// ISMAP-Ready (§2.3): providers that have started concrete action toward registration.
    case ready
    /// Fast Track 暫定ステータス (§2.4): 18-month provisional status from ISO/IEC 27017.
    case fastTrack = "fast-track"

    /// The path segment of the list's pages (`/cloud/lists/ismap`).
    public var slug: String { rawValue }

    /// The statuses shown on the list when no status filter is given.
    public var currentStatuses: [String] {
        switch self {
        case .ismap, .liu: return [RegistrationStatus.registered.rawValue, RegistrationStatus.suspended.rawValue]
        case .ready: return [ReadyStatus.listed.rawValue, ReadyStatus.applied.rawValue, ReadyStatus.lapsed.rawValue]
        case .fastTrack: return [FastTrackStatus.provisional.rawValue]
        }
    }

    /// Every status a public visitor may see on this list.
    public var publicStatuses: [String] {
        switch self {
        case .ismap, .liu: return RegistrationStatus.allCases.filter(\.isPublic).map(\.rawValue)
        case .ready: return ReadyStatus.allCases.filter(\.isPublic).map(\.rawValue)
        case .fastTrack: return FastTrackStatus.allCases.filter(\.isPublic).map(\.rawValue)
        }
    }
}

/// Cloud service model (NIST SP 800-145).
public enum ServiceModel: String, CaseIterable, Codable, Sendable {
    case iaas, paas, saas
    public var label: String { rawValue == "iaas" ? "IaaS" : rawValue == "paas" ? "PaaS" : "SaaS" }
}

/// Certifications and attestations a provider may hold for a service.
public enum CertificationKind: String, CaseIterable, Codable, Sendable {
    case iso27001 = "iso-27001"
    case iso27017 = "iso-27017"
    case iso27018 = "iso-27018"
    case soc2Type2 = "soc2-type2"
    case fedrampLow = "fedramp-low"
    case fedrampModerate = "fedramp-moderate"
    case fedrampHigh = "fedramp-high"
    case govramp
    case txramp = "tx-ramp"
    case csaStar = "csa-star"
    case other

    public var label: String {
        switch self {
        case .iso27001: return "ISO/IEC 27001"
        case .iso27017: return "ISO/IEC 27017"
        case .iso27018: return "ISO/IEC 27018"
        case .soc2Type2: return "SOC 2 Type II"
        case .fedrampLow: return "FedRAMP Low"
        case .fedrampModerate: return "FedRAMP Moderate"
        case .fedrampHigh: return "FedRAMP High"
        case .govramp: return "GovRAMP"
        case .txramp: return "TX-RAMP"
        case .csaStar: return "CSA STAR"
        case .other: return "Other"
        }
    }

    /// The label shown on pages: the standards' names are the same in both languages, "other" is not.
    public func label(_ language: UILanguage) -> String { self == .other && language == .ja ? "その他" : label }
}

/// Who may perform a workflow step. Administrators act as reviewers.
public enum WorkflowRole: String, Sendable, Codable, CaseIterable {
    /// A member of the provider organisation that owns the record.
    case provider
    /// Operating-agency staff (IPA, Digital Agency).
    case reviewer
    /// Scheduled jobs and automatic follow-on transitions.
    case system
}

/// A refused workflow step, with a message for the user in both languages.
public struct WorkflowError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable { case notAllowedFromState, wrongRole, guardFailed }
    public let kind: Kind
    public let text: LocalizedText

    public var problem: Problem {
        kind == .wrongRole ? .forbidden : .conflict(text)
    }
}

/// A state machine table: for each event the states it may start from, its target and who may trigger it.
public struct TransitionTable<State: RawRepresentable & Hashable & Sendable, Event: RawRepresentable & Hashable & Sendable>: Sendable
where State.RawValue == String, Event.RawValue == String {
    public struct Rule: Sendable {
        public let from: Set<State>
        public let to: State?
        public let roles: Set<WorkflowRole>
    }
    public let rules: [Event: Rule]

    /// `to == nil` keeps the current state (e.g. filing a report while listed).
    public func next(from state: State, on event: Event, by role: WorkflowRole) -> Result<State, WorkflowError> {
        guard let rule = rules[event] else {
            return .failure(WorkflowError(kind: .notAllowedFromState, text: .init(ja: "この操作はできません。", en: "This action is not available.")))
        }
        guard rule.roles.contains(role) else {
            return .failure(WorkflowError(kind: .wrongRole, text: .init(ja: "この操作を行う権限がありません。", en: "Your role may not do this.")))
        }
        guard rule.from.contains(state) else {
            return .failure(WorkflowError(kind: .notAllowedFromState,
                text: .init(ja: "現在の状態（\(state.rawValue)）では「\(event.rawValue)」はできません。",
                            en: "\"\(event.rawValue)\" is not possible while the record is \(state.rawValue).")))
        }
        return .success(rule.to ?? state)
    }

    /// The events `role` may trigger from `state` (for the buttons a page shows).
    public func available(from state: State, by role: WorkflowRole) -> [Event] {
        rules.filter { $0.value.from.contains(state) && $0.value.roles.contains(role) }.map(\.key).sorted { $0.rawValue < $1.rawValue }
    }
}

/// Text normalisation for search: NFKC (full-width ASCII to half-width, half-width kana to
/// full-width) and lower case, so ＡＷＳ, aws and AWS match alike.
enum SearchText {
    static func normalize(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// A LIKE-safe search term (wildcards removed), or nil when nothing is left.
    static func term(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let cleaned = normalize(raw).replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? nil : String(cleaned.prefix(100))
    }
}
