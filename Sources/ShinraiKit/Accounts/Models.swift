import FluentKit
import Foundation

/// Who a user is to the platform. Anonymous visitors have no role (the public).
public enum Role: String, Codable, CaseIterable, Sendable {
    /// Works for one organisation: files, applies, discloses for it.
    case member
    /// Operating-agency staff who review, decide and publish.
    case reviewer
    /// Manages organisations, accounts and reference data.
    case admin
}

public enum OrganisationKind: String, Codable, CaseIterable, Sendable {
    case company
    case cloudProvider = "cloud-provider"
    case municipality
    case government
    case other

    /// Municipalities are identified by 全国地方公共団体コード, everyone else by 法人番号.
    public var requiresLocalGovernmentCode: Bool { self == .municipality }
}

public final class Organisation: Model, @unchecked Sendable {
    public static let schema = "organisations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @OptionalField(key: "name_en") public var nameEn: String?
    @Enum(key: "kind") public var kind: OrganisationKind
    @OptionalField(key: "corporate_number") public var corporateNumber: String?
    @OptionalField(key: "local_government_code") public var localGovernmentCode: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
    public init(id: UUID? = nil, name: String, nameEn: String?, kind: OrganisationKind, corporateNumber: String?, localGovernmentCode: String?) {
        self.id = id; self.name = name; self.nameEn = nameEn; self.kind = kind
        self.corporateNumber = corporateNumber; self.localGovernmentCode = localGovernmentCode
    }
}

public final class Account: Model, @unchecked Sendable {
    public static let schema = "accounts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "password_hash") public var passwordHash: String
    @Enum(key: "role") public var role: Role
    @OptionalParent(key: "organisation_id") public var organisation: Organisation?
    @Field(key: "active") public var active: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "password_changed_at", on: .none) public var passwordChangedAt: Date?

    public init() {}
    public init(id: UUID? = nil, email: String, displayName: String, passwordHash: String, role: Role, organisationID: UUID?) {
        self.id = id; self.email = email; self.displayName = displayName; self.passwordHash = passwordHash
        self.role = role; self.$organisation.id = organisationID; self.active = true; self.passwordChangedAt = Date()
    }
}

/// A browser session. Only the SHA-256 of the cookie value is stored, so a database leak
/// does not hand out live sessions; any instance on the same database accepts it.
public final class SessionRecord: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "account_id") public var account: Account
    /// Per-session CSRF token echoed in every form.
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}
    public init(tokenHash: String, accountID: UUID, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash; self.$account.id = accountID; self.csrfToken = csrfToken
        self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "account_id") public var account: Account
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    /// First characters of the token, shown so a user can tell tokens apart.
    @Field(key: "prefix") public var prefix: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
    public init(accountID: UUID, name: String, tokenHash: String, prefix: String, createdAt: Date) {
        self.$account.id = accountID; self.name = name; self.tokenHash = tokenHash; self.prefix = prefix; self.createdAt = createdAt
    }
}

/// Failed sign-in attempts per e-mail address, kept in the database so every instance
/// enforces the same limit.
public final class LoginThrottle: Model, @unchecked Sendable {
    public static let schema = "login_throttles"
    @ID(key: .id) public var id: UUID?
    @Field(key: "subject") public var subject: String
    @Field(key: "failures") public var failures: Int
    @Field(key: "window_start") public var windowStart: Date
    @OptionalField(key: "locked_until") public var lockedUntil: Date?

    public init() {}
    public init(subject: String, windowStart: Date) {
        self.subject = subject; self.failures = 0; self.windowStart = windowStart
    }
}

public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"
    @ID(key: .id) public var id: UUID?
    @Field(key: "occurred_at") public var occurredAt: Date
    @OptionalField(key: "actor_account_id") public var actorAccountID: UUID?
    @Field(key: "actor_label") public var actorLabel: String
    /// The organisation whose record was touched; members see their organisation's trail.
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    @Field(key: "action") public var action: String
    @Field(key: "target_type") public var targetType: String
    @Field(key: "target_id") public var targetID: String
    /// JSON object describing the change (field → new value, or before/after).
    @Field(key: "summary") public var summary: String

    public init() {}
}
