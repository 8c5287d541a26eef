import AsyncHTTPClient
import Crypto
import FluentKit
import Foundation
import NIOCore
import NIOHTTP1

/// One message in a user's in-app inbox.
public final class NotificationRecord: Model, @unchecked Sendable {
    public static let schema = "notifications"
    @ID(key: .id) public var id: UUID?
    @Field(key: "account_id") public var accountID: UUID
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "link") public var link: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "read_at") public var readAt: Date?
    public init() {}
}

/// An organisation's outgoing webhook endpoint.
public final class Webhook: Model, @unchecked Sendable {
    public static let schema = "webhooks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "url") public var url: String
    /// Shared secret for the HMAC signature (shown once to the organisation).
    @Field(key: "secret") public var secret: String
    @Field(key: "active") public var active: Bool
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// One event to deliver to one webhook, with its attempts.
public final class WebhookDelivery: Model, @unchecked Sendable {
    public static let schema = "webhook_deliveries"
    @ID(key: .id) public var id: UUID?
    @Field(key: "webhook_id") public var webhookID: UUID
    @Field(key: "payload") public var payload: String
    @Field(key: "status") public var status: String
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "last_response") public var lastResponse: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "delivered_at") public var deliveredAt: Date?
    public init() {}
}

public enum NotificationRecipient: Sendable {
    case account(UUID)
    /// Every active account of the organisation, and its webhooks.
    case organisation(UUID)
    /// Every reviewer and administrator.
    case reviewers
}

/// The notification outbox. `enqueue` runs inside the caller's transaction, so a
/// notification exists exactly when the change that caused it does.
public enum Notifications {
    /// Seconds to wait before attempt n+1 (after n failures); then the delivery is given up.
    public static let backoff: [TimeInterval] = [60, 300, 1800, 7200, 43200]

    public static func enqueue(on db: any Database, to recipient: NotificationRecipient, kind: String, subject: String,
                               body: String, link: String?, at now: Date) async throws {
        var accounts: [Account]
        var organisationID: UUID?
        switch recipient {
        case .account(let id):
            accounts = try await Account.query(on: db).filter(\.$id == id).all()
            organisationID = accounts.first?.$organisation.id
        case .organisation(let id):
            organisationID = id
            accounts = try await Account.query(on: db).filter(\.$organisation.$id == id).filter(\.$active == true).all()
        case .reviewers:
            accounts = try await Account.query(on: db).filter(\.$role ~~ [.reviewer, .admin]).filter(\.$active == true).all()
        }
        for account in accounts {
            let record = NotificationRecord()
            record.accountID = account.id!
            record.organisationID = organisationID
            record.kind = kind; record.subject = subject; record.body = body; record.link = link; record.createdAt = now
            try await record.create(on: db)
        }
        guard case .organisation(let orgID) = recipient else { return }
        let payload: [String: String] = ["id": UUID().uuidString, "kind": kind, "subject": subject, "body": body, "link": link ?? "", "createdAt": ISO8601Timestamp.format(now)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        for hook in try await Webhook.query(on: db).filter(\.$organisationID == orgID).filter(\.$active == true).all() {
            let delivery = WebhookDelivery()
            delivery.webhookID = hook.id!
            delivery.payload = json
            delivery.status = "pending"
            delivery.attempts = 0
            delivery.nextAttemptAt = now
            delivery.createdAt = now
            try await delivery.create(on: db)
        }
    }

    public static func unreadCount(_ accountID: UUID, on db: any Database) async throws -> Int {
        try await NotificationRecord.query(on: db).filter(\.$accountID == accountID).filter(\.$readAt == nil).count()
    }

    /// `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
    public static func signature(secret: String, timestamp: String, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Delivers due webhook deliveries. Each one is claimed by moving its next attempt time
    /// forward first, so two instances never send the same attempt.
    public static func deliverDue(services: Services, client: HTTPClient = .shared, limit: Int = 50) async throws -> String {
        let now = services.now
        let due = try await WebhookDelivery.query(on: services.db).filter(\.$status == "pending").filter(\.$nextAttemptAt <= now)
            .sort(\.$nextAttemptAt).limit(limit).all()
        var delivered = 0, failed = 0
        for delivery in due {
            let claimed = try await services.sql.update(WebhookDelivery.schema)
                .set("next_attempt_at", to: now.addingTimeInterval(120))
                .where("id", .equal, delivery.id!).where("next_attempt_at", .equal, delivery.nextAttemptAt).where("status", .equal, "pending")
                .returning("id").all()
            guard claimed.count == 1, let hook = try await Webhook.find(delivery.webhookID, on: services.db) else { continue }
            let timestamp = String(Int(now.timeIntervalSince1970))
            var request = HTTPClientRequest(url: hook.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Shinrai-Timestamp", value: timestamp)
            request.headers.add(name: "X-Shinrai-Signature", value: signature(secret: hook.secret, timestamp: timestamp, body: delivery.payload))
            request.headers.add(name: "X-Shinrai-Delivery", value: delivery.id!.uuidString)
            request.body = .bytes(ByteBuffer(string: delivery.payload))
            delivery.attempts += 1
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                delivery.lastResponse = "HTTP \(response.status.code)"
                if (200..<300).contains(Int(response.status.code)) {
                    delivery.status = "delivered"; delivery.deliveredAt = services.now; delivered += 1
                }
            } catch {
                delivery.lastResponse = String(describing: error).prefix(300).description
            }
            if delivery.status != "delivered" {
                if delivery.attempts > backoff.count { delivery.status = "failed"; failed += 1 } else {
                    delivery.nextAttemptAt = services.now.addingTimeInterval(backoff[delivery.attempts - 1])
                }
            }
            try await delivery.save(on: services.db)
        }
        return "due \(due.count), delivered \(delivered), given up \(failed)"
    }

    static var deliveryJob: ScheduledJob {
        ScheduledJob(name: "webhooks.deliver", schedule: .every(seconds: 30)) { context in
            try await deliverDue(services: context.services)
        }
    }
}
