import FluentKit
import Hummingbird
import Foundation

/// Who did something: a signed-in identity, or the system itself (jobs, CLI).
public struct Actor: Sendable {
    public let accountID: UUID?
    public let label: String
    public init(accountID: UUID?, label: String) { self.accountID = accountID; self.label = label }
    public init(_ identity: Identity) { self.init(accountID: identity.accountID, label: identity.actorLabel) }
    public static func system(_ what: String) -> Actor { Actor(accountID: nil, label: "system:\(what)") }
}

/// Records every write. Call inside the same transaction as the change so the trail and the
/// data cannot disagree.
public enum AuditTrail {
    public static func record(on db: any Database, actor: Actor, organisationID: UUID?, action: String,
                              targetType: String, targetID: String, summary: [String: String], at time: Date) async throws {
        let event = AuditEvent()
        event.occurredAt = time
        event.actorAccountID = actor.accountID
        event.actorLabel = actor.label
        event.organisationID = organisationID
        event.action = action
        event.targetType = targetType
        event.targetID = targetID
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        event.summary = String(decoding: try encoder.encode(summary), as: UTF8.self)
        try await event.create(on: db)
    }

    public struct Filter: Sendable {
        public var organisationID: UUID?
        public var action: String?
        public var targetType: String?
        public var actor: String?
        public var from: Date?
        public var until: Date?
        public init(organisationID: UUID? = nil, action: String? = nil, targetType: String? = nil, actor: String? = nil, from: Date? = nil, until: Date? = nil) {
            self.organisationID = organisationID; self.action = action; self.targetType = targetType
            self.actor = actor; self.from = from; self.until = until
        }
    }

    /// The filter of an audit query from `?action=&targetType=&actor=`, limited to the caller's
    /// organisation unless the caller is an administrator.
    public static func filter(for request: Request, identity: Identity) throws -> Filter {
        let query = request.uri.queryParameters
        var filter = Filter(action: query["action"].map(String.init), targetType: query["targetType"].map(String.init),
                            actor: query["actor"].map(String.init))
        if !identity.isAdmin {
            guard let org = identity.organisationID else { throw Problem.forbidden }
            filter.organisationID = org
        }
        return filter
    }

    /// Newest first. Members are restricted by the caller to their organisation.
    public static func search(on db: any Database, filter: Filter, page: PageRequest) async throws -> (items: [AuditEvent], total: Int) {
        var query = AuditEvent.query(on: db)
        if let org = filter.organisationID { query = query.filter(\.$organisationID == org) }
        if let action = filter.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let type = filter.targetType, !type.isEmpty { query = query.filter(\.$targetType == type) }
        if let actor = filter.actor, !actor.isEmpty { query = query.filter(\.$actorLabel ~~ actor) }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let until = filter.until { query = query.filter(\.$occurredAt < until) }
        let total = try await query.count()
        let items = try await query.sort(\.$occurredAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }
}
