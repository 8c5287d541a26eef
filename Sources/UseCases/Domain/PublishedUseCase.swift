import Foundation
import ShinraiKit

/// One published version as it is written to the transparency log: the SHA-256 of its canonical
/// JSON is the log entry's `contentHash`, so anyone holding this document can check the entry.
public struct PublishedUseCase: Codable, Sendable, Equatable {
    public var number: String
    public var version: Int
    /// Whole seconds, UTC.
    public var publishedAt: Date
    public var organisation: Organisation
    public var content: UseCaseContent
    /// What changed in this version (for updates).
    public var note: String?

    public struct Organisation: Codable, Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var corporateNumber: String?
        public var localGovernmentCode: String?
    }

    public var contentHash: String {
        get throws { try CanonicalJSON.sha256Hex(of: self) }
    }
}

/// The logged content of a withdrawal.
struct WithdrawnUseCase: Codable, Sendable {
    var number: String
    var lastVersion: Int
    var withdrawnAt: Date
    var reason: String
}

/// Who is acting: a signed-in person, or the platform itself.
public struct Principal: Sendable {
    public var actor: Actor
    public var organisationID: UUID?
    public var isModerator: Bool
    public var isSystem: Bool

    public init(_ identity: Identity) {
        actor = Actor(identity); organisationID = identity.organisationID; isModerator = identity.isReviewer; isSystem = false
    }

    public init(actor: Actor, organisationID: UUID?, isModerator: Bool, isSystem: Bool) {
        self.actor = actor; self.organisationID = organisationID; self.isModerator = isModerator; self.isSystem = isSystem
    }

    /// The platform acting for an organisation (demo data, operator imports).
    public static func system(_ what: String, organisation: UUID?) -> Principal {
        Principal(actor: .system(what), organisationID: organisation, isModerator: true, isSystem: true)
    }

    public func standing(owner: UUID) -> Standing {
        if isSystem { return .system }
        return Standing(isOwner: organisationID == owner, isModerator: isModerator)
    }

    /// Owner organisation or a moderator may see a submission that is not public.
    public func canSee(owner: UUID) -> Bool { isSystem || isModerator || organisationID == owner }
}
