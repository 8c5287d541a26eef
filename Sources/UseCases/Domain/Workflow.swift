import Foundation
import ShinraiKit

/// Where an organisation's submission of a use case stands.
///
///     draft ──submit──▶ submitted ──publish──▶ published ──edit──▶ draft (the public keeps the last version)
///       ▲                 │   │                    │
///       └─────recall──────┘   └─request changes─▶ changes-requested ──edit/submit──▶ …
///     published / revision in progress ──withdraw──▶ withdrawn ──edit──▶ draft
public enum SubmissionStatus: String, Codable, CaseIterable, Sendable {
    case draft
    case submitted
    case changesRequested = "changes-requested"
    case published
    case withdrawn
}

public enum WorkflowAction: String, Sendable, CaseIterable {
    case edit
    case submit
    case recall
    case requestChanges = "request-changes"
    case publish
    case withdraw
    case discard
}

/// How the person acting relates to the submission.
public struct Standing: Sendable, Equatable {
    /// A member (or reviewer) of the owner organisation.
    public var isOwner: Bool
    /// A reviewer or administrator (moderates use cases).
    public var isModerator: Bool
    /// The platform itself (demo loader, command line): owner and moderator at once.
    public var isSystem: Bool

    public init(isOwner: Bool, isModerator: Bool, isSystem: Bool = false) {
        self.isOwner = isOwner; self.isModerator = isModerator; self.isSystem = isSystem
    }

    public init(identity: Identity, owner: UUID) {
        self.init(isOwner: identity.organisationID == owner, isModerator: identity.isReviewer)
    }

    public static let system = Standing(isOwner: true, isModerator: true, isSystem: true)
}

/// The lifecycle rules: who may do what in which state. Pure, so the tests can walk every edge.
public enum Workflow {
    public enum Refusal: Error, Equatable, Sendable {
        /// The person may not do this to this submission at all.
        case notAllowed
        /// Moderators do not moderate their own organisation's submissions.
        case ownOrganisation
        /// Allowed for this person, but not in the current state.
        case wrongState(SubmissionStatus)
    }

    /// The state after `action`, or why it is refused. `everPublished` is true once a version is public.
    public static func next(after action: WorkflowAction, from status: SubmissionStatus, everPublished: Bool,
                            listed: Bool, by standing: Standing) -> Result<SubmissionStatus, Refusal> {
        switch action {
        case .edit:
            guard standing.isOwner else { return .failure(.notAllowed) }
            switch status {
            case .draft, .changesRequested: return .success(status)
            case .published, .withdrawn: return .success(.draft)
            case .submitted: return .failure(.wrongState(status))
            }
        case .submit:
            guard standing.isOwner else { return .failure(.notAllowed) }
            return status == .draft || status == .changesRequested ? .success(.submitted) : .failure(.wrongState(status))
        case .recall:
            guard standing.isOwner else { return .failure(.notAllowed) }
            return status == .submitted ? .success(.draft) : .failure(.wrongState(status))
        case .requestChanges, .publish:
            guard standing.isModerator else { return .failure(.notAllowed) }
            guard !standing.isOwner || standing.isSystem else { return .failure(.ownOrganisation) }
            guard status == .submitted else { return .failure(.wrongState(status)) }
            return .success(action == .publish ? .published : .changesRequested)
        case .withdraw:
            guard standing.isOwner || standing.isModerator else { return .failure(.notAllowed) }
            return listed ? .success(.withdrawn) : .failure(.wrongState(status))
        case .discard:
            guard standing.isOwner else { return .failure(.notAllowed) }
            return !everPublished && (status == .draft || status == .changesRequested) ? .success(status) : .failure(.wrongState(status))
        }
    }

    /// Actions the person could take now (for buttons and the API's `allowedActions`).
    public static func allowed(from status: SubmissionStatus, everPublished: Bool, listed: Bool, by standing: Standing) -> [WorkflowAction] {
        WorkflowAction.allCases.filter {
            if case .success = next(after: $0, from: status, everPublished: everPublished, listed: listed, by: standing) { return true }
            return false
        }
    }

    static func problem(_ refusal: Refusal, action: WorkflowAction) -> Problem {
        switch refusal {
        case .notAllowed:
            return .forbidden
        case .ownOrganisation:
            return Problem(status: .forbidden, slug: "forbidden", title: .init(ja: "権限がありません", en: "Not allowed"),
                           detail: .init(ja: "自分の組織の事例は審査できません。別の審査担当者に依頼してください。",
                                         en: "Moderators do not moderate their own organisation's use cases; ask another reviewer."))
        case .wrongState(let status):
            return .conflict(.init(ja: "現在の状態（\(statusJa(status))）ではこの操作はできません。",
                                   en: "This cannot be done while the use case is \(status.rawValue)."))
        }
    }

    static func statusJa(_ status: SubmissionStatus) -> String {
        switch status {
        case .draft: return "下書き"
        case .submitted: return "審査待ち"
        case .changesRequested: return "修正依頼"
        case .published: return "公開中"
        case .withdrawn: return "公開取り下げ"
        }
    }
}
