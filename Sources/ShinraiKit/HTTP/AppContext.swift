import Foundation
import Hummingbird
import Logging

/// The signed-in principal of a request (a browser session or an API token).
public struct Identity: Sendable, Equatable {
    public let accountID: UUID
    public let email: String
    public let displayName: String
    public let role: Role
    public let organisationID: UUID?
    public let organisationName: String?
    public let sessionID: UUID?
    public let tokenID: UUID?

    public init(accountID: UUID, email: String, displayName: String, role: Role, organisationID: UUID?,
                organisationName: String?, sessionID: UUID? = nil, tokenID: UUID? = nil) {
        self.accountID = accountID; self.email = email; self.displayName = displayName; self.role = role
        self.organisationID = organisationID; self.organisationName = organisationName
        self.sessionID = sessionID; self.tokenID = tokenID
    }

    public var actorLabel: String { "\(displayName) <\(email)>" }
    public var isReviewer: Bool { role == .reviewer || role == .admin }
    public var isAdmin: Bool { role == .admin }

    /// Reviewers and administrators see every organisation's records; members only their own.
    public func canAccess(organisation id: UUID?) -> Bool {
        if isReviewer { return true }
        guard let id, let own = organisationID else { return false }
        return id == own
    }
}

public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public var language: UILanguage = .ja
    /// Token that every HTML form must echo in `_csrf`.
    public var csrfToken: String = ""
    /// Unread notifications for the header badge.
    public var unreadCount: Int = 0

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 16 << 20 }

    /// The signed-in identity, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw Problem.unauthenticated }
        return identity
    }

    /// The identity if its role is one of `roles` (administrators pass reviewer checks), else 403.
    @discardableResult
    public func require(_ roles: Role...) throws -> Identity {
        let identity = try requireIdentity()
        if roles.contains(identity.role) { return identity }
        if identity.role == .admin && roles.contains(.reviewer) { return identity }
        throw Problem.forbidden
    }

    /// 403 unless the identity may see records of `organisation`.
    @discardableResult
    public func requireAccess(organisation id: UUID?) throws -> Identity {
        let identity = try requireIdentity()
        guard identity.canAccess(organisation: id) else { throw Problem.forbidden }
        return identity
    }
}
