import Foundation
import ShinraiKit

// The three state machines of the registry. Each is a table: the tests walk every event from
// every state for every role and check it against these tables.

// MARK: - ISMAP-Ready (§2.3)

public enum ReadyStatus: String, CaseIterable, Codable, Sendable {
    /// Being written by the provider.
    case draft
    /// Waiting for a reviewer to check the evidence.
    case submitted
    /// Sent back by a reviewer with reasons; the provider may correct and resubmit.
    case returned
    /// On the public ISMAP-Ready list.
    case listed
    /// A progress report was missed beyond the grace period; still shown, marked lapsed.
    case lapsed
    /// The provider has applied for ISMAP or ISMAP-LIU registration.
    case applied
    /// Registered on the ISMAP or ISMAP-LIU list (linked).
    case registered
    /// Withdrawn by the provider.
    case withdrawn

    /// Statuses a public visitor may see (withdrawn only for listings that had been public).
    public var isPublic: Bool { [.listed, .lapsed, .applied, .registered, .withdrawn].contains(self) }
    public var isTerminal: Bool { self == .registered || self == .withdrawn }
}

public enum ReadyEvent: String, CaseIterable, Codable, Sendable {
    case submit
    case list
    case `return`
    case fileReport = "file-report"
    case lapse
    case markApplied = "mark-applied"
    case markRegistered = "mark-registered"
    case withdraw
}

public enum ReadyWorkflow {
    public static let table = TransitionTable<ReadyStatus, ReadyEvent>(rules: [
        .submit: .init(from: [.draft, .returned], to: .submitted, roles: [.provider]),
        .list: .init(from: [.submitted], to: .listed, roles: [.reviewer]),
        .return: .init(from: [.submitted], to: .returned, roles: [.reviewer]),
        // A report keeps a listing listed and reinstates a lapsed one; reports while applied are voluntary.
        .fileReport: .init(from: [.listed, .lapsed, .applied], to: nil, roles: [.provider]),
        .lapse: .init(from: [.listed], to: .lapsed, roles: [.system]),
        .markApplied: .init(from: [.listed, .lapsed], to: .applied, roles: [.provider, .reviewer]),
        .markRegistered: .init(from: [.listed, .lapsed, .applied], to: .registered, roles: [.reviewer, .system]),
        .withdraw: .init(from: [.draft, .submitted, .returned, .listed, .lapsed, .applied], to: .withdrawn, roles: [.provider]),
    ])

    /// The state after an event; a filed report turns a lapsed listing back into a listed one.
    public static func next(from state: ReadyStatus, on event: ReadyEvent, by role: WorkflowRole) -> Result<ReadyStatus, WorkflowError> {
        table.next(from: state, on: event, by: role).map { next in
            event == .fileReport && state == .lapsed ? .listed : next
        }
    }
}

// MARK: - Fast Track (§2.4)

public enum FastTrackStatus: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case returned
    /// The ISO/IEC 27017 certificate was checked by a reviewer.
    case verified
    /// On the Fast Track provisional list for 18 months.
    case provisional
    /// Registered on the ISMAP-LIU list.
    case promoted
    /// The 18 months ended without promotion.
    case expired
    case withdrawn
    /// Ended early by a reviewer (e.g. the certificate was withdrawn by its issuer).
    case revoked

    public var isPublic: Bool { [.provisional, .promoted, .expired, .withdrawn, .revoked].contains(self) }
    public var isTerminal: Bool { [.promoted, .expired, .withdrawn, .revoked].contains(self) }
}

public enum FastTrackEvent: String, CaseIterable, Codable, Sendable {
    case submit
    case `return`
    case verify
    case grant
    case promote
    case expire
    case withdraw
    case revoke
}

public enum FastTrackWorkflow {
    public static let table = TransitionTable<FastTrackStatus, FastTrackEvent>(rules: [
        .submit: .init(from: [.draft, .returned], to: .submitted, roles: [.provider]),
        .return: .init(from: [.submitted, .verified], to: .returned, roles: [.reviewer]),
        .verify: .init(from: [.submitted], to: .verified, roles: [.reviewer]),
        .grant: .init(from: [.verified], to: .provisional, roles: [.reviewer]),
        .promote: .init(from: [.provisional], to: .promoted, roles: [.reviewer]),
        .expire: .init(from: [.provisional], to: .expired, roles: [.system]),
        .withdraw: .init(from: [.draft, .submitted, .returned, .verified, .provisional], to: .withdrawn, roles: [.provider]),
        .revoke: .init(from: [.provisional], to: .revoked, roles: [.reviewer]),
    ])

    public static func next(from state: FastTrackStatus, on event: FastTrackEvent, by role: WorkflowRole) -> Result<FastTrackStatus, WorkflowError> {
        table.next(from: state, on: event, by: role)
    }
}

// MARK: - ISMAP and ISMAP-LIU registrations (§2.2)

public enum RegistrationStatus: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case returned
    case registered
    case suspended
    case removed
    case withdrawn

    public var isPublic: Bool { [.registered, .suspended, .removed, .withdrawn].contains(self) }
    public var isTerminal: Bool { self == .removed || self == .withdrawn }
}

public enum RegistrationEvent: String, CaseIterable, Codable, Sendable {
    case submit
    case `return`
    case register
    case suspend
    case reinstate
    case remove
    case withdraw
}

public enum RegistrationWorkflow {
    public static let table = TransitionTable<RegistrationStatus, RegistrationEvent>(rules: [
        .submit: .init(from: [.draft, .returned], to: .submitted, roles: [.provider]),
        .return: .init(from: [.submitted], to: .returned, roles: [.reviewer]),
        .register: .init(from: [.submitted], to: .registered, roles: [.reviewer]),
        .suspend: .init(from: [.registered], to: .suspended, roles: [.reviewer]),
        .reinstate: .init(from: [.suspended], to: .registered, roles: [.reviewer]),
        .remove: .init(from: [.registered, .suspended], to: .removed, roles: [.reviewer]),
        .withdraw: .init(from: [.draft, .submitted, .returned, .registered, .suspended], to: .withdrawn, roles: [.provider]),
    ])

    public static func next(from state: RegistrationStatus, on event: RegistrationEvent, by role: WorkflowRole) -> Result<RegistrationStatus, WorkflowError> {
        table.next(from: state, on: event, by: role)
    }
}

// MARK: - Questionnaire findings and remediation

/// A reviewer's finding on one answer of the security questionnaire.
public enum Finding: String, CaseIterable, Codable, Sendable {
    case ok
    case gap
    case needsInfo = "needs-info"
}

public enum RemediationStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress = "in-progress"
    /// The provider reports the item done; a reviewer confirms.
    case done
    /// Confirmed by a reviewer.
    case closed
}

public enum RemediationEvent: String, CaseIterable, Codable, Sendable {
    case start
    case complete
    case close
    case reopen
}

public enum RemediationWorkflow {
    public static let table = TransitionTable<RemediationStatus, RemediationEvent>(rules: [
        .start: .init(from: [.open], to: .inProgress, roles: [.provider]),
        .complete: .init(from: [.open, .inProgress], to: .done, roles: [.provider]),
        .close: .init(from: [.done], to: .closed, roles: [.reviewer]),
        .reopen: .init(from: [.done, .closed], to: .open, roles: [.reviewer]),
    ])
}

/// What still stands between a provisional service and promotion to ISMAP-LIU.
public enum PromotionBlocker: Equatable, Sendable, Hashable {
    case unanswered(question: String)
    case notReviewed(question: String)
    case needsInformation(question: String)
    case gapWithoutRemediation(question: String)
    case remediationOpen(item: String)

    public var text: LocalizedText {
        switch self {
        case .unanswered(let q): return .init(ja: "質問 \(q) が未回答です。", en: "Question \(q) has no answer.")
        case .notReviewed(let q): return .init(ja: "質問 \(q) の回答が未確認です。", en: "The answer to \(q) has not been reviewed.")
        case .needsInformation(let q): return .init(ja: "質問 \(q) は追加情報が求められています。", en: "Question \(q) needs more information.")
        case .gapWithoutRemediation(let q): return .init(ja: "質問 \(q) の不足に是正項目がありません。", en: "The gap found in \(q) has no remediation item.")
        case .remediationOpen(let item): return .init(ja: "是正項目「\(item)」が完了確認されていません。", en: "Remediation item \"\(item)\" is not closed.")
        }
    }
}

public enum PromotionReadiness {
    public struct AnswerState: Sendable {
        public var question: String
        public var answered: Bool
        public var finding: Finding?
        public init(question: String, answered: Bool, finding: Finding?) {
            self.question = question; self.answered = answered; self.finding = finding
        }
    }

    public struct RemediationState: Sendable {
        public var title: String
        public var question: String?
        public var status: RemediationStatus
        public init(title: String, question: String?, status: RemediationStatus) {
            self.title = title; self.question = question; self.status = status
        }
    }

    /// Promotion needs every question answered and reviewed, no open request for information,
    /// every gap covered by remediation items, and every item closed by a reviewer.
    public static func blockers(questions: [String], answers: [AnswerState], remediations: [RemediationState]) -> [PromotionBlocker] {
        let byQuestion = Dictionary(answers.map { ($0.question, $0) }, uniquingKeysWith: { first, _ in first })
        var blockers: [PromotionBlocker] = []
        for question in questions {
            guard let answer = byQuestion[question], answer.answered else { blockers.append(.unanswered(question: question)); continue }
            switch answer.finding {
            case nil: blockers.append(.notReviewed(question: question))
            case .needsInfo: blockers.append(.needsInformation(question: question))
            case .gap:
                if !remediations.contains(where: { $0.question == question }) { blockers.append(.gapWithoutRemediation(question: question)) }
            case .ok: break
            }
        }
        for item in remediations where item.status != .closed { blockers.append(.remediationOpen(item: item.title)) }
        return blockers
    }
}
