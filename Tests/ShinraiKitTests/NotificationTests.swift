import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("Notifications")
struct NotificationTests {
    @Test("an organisation notification reaches every member's inbox and the unread badge")
    func inbox() async throws {
        try await TestPlatform.withClient { platform, client in
            let member = try #require(try await Account.query(on: platform.services.db).filter(\.$email == DemoAccounts.member).first())
            let org = try #require(member.$organisation.id)
            try await platform.services.db.transaction { db in
                try await Notifications.enqueue(on: db, to: .organisation(org), kind: "test", subject: "期限が近づいています",
                                                body: "提出期限は2026年12月1日です。", link: "/account", at: platform.services.now)
            }
            var browser = Browser(client)
            _ = try await browser.signIn(DemoAccounts.member)
            let page = try await browser.get("/inbox")
            #expect(page.body.contains("期限が近づいています"))
            #expect(page.body.contains("class=\"badge\""))
            let api = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let list = try await api.get("/api/v1/notifications")
            let id = try #require((list.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            // Another account cannot mark it.
            let other = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await other.call(.post, "/api/v1/notifications/\(id)/read").status == .notFound)
            #expect(try await api.call(.post, "/api/v1/notifications/\(id)/read").status == .noContent)
            #expect(try await Notifications.unreadCount(member.id!, on: platform.services.db) == 0)
            #expect(!(try await browser.get("/inbox").body.contains("class=\"badge\"")))
        }
    }

    @Test("webhooks: signed delivery, retries with backoff, attempts visible")
    func webhooks() async throws {
        // A receiver that records what arrives and fails the first attempt.
        let received = Received()
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let count = received.add(timestamp: request.headers[HTTPField.Name("X-Shinrai-Timestamp")!] ?? "",
                                     signature: request.headers[HTTPField.Name("X-Shinrai-Signature")!] ?? "", body: String(buffer: body))
            return count == 1 ? .serviceUnavailable : .noContent
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { receiverClient in
            let port = receiverClient.port!
            let clock = Clock(fixed: Date(timeIntervalSince1970: 1_795_705_440))
            try await TestPlatform.withClient(clock: clock) { platform, client in
                let api = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
                let created = try await api.post("/api/v1/webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook"}"#)
                #expect(created.status == .created)
                let secret = try #require(created.object["secret"] as? String)
                let hookID = try #require(created.object["id"] as? String)
                #expect(try await api.post("/api/v1/webhooks", #"{"url":"ftp://example.com"}"#).status == .unprocessableContent)

                let member = try #require(try await Account.query(on: platform.services.db).filter(\.$email == DemoAccounts.member).first())
                try await platform.services.db.transaction { db in
                    try await Notifications.enqueue(on: db, to: .organisation(member.$organisation.id!), kind: "filing.published",
                                                    subject: "公開しました", body: "本文", link: "/x", at: clock.now)
                }
                _ = try await Notifications.deliverDue(services: platform.services)
                var deliveries = try await api.get("/api/v1/webhooks/\(hookID)/deliveries")
                var first = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
                #expect(first["status"] as? String == "pending")
                #expect(first["attempts"] as? Int == 1)
                #expect(first["lastResponse"] as? String == "HTTP 503")
                // Not yet due again.
                _ = try await Notifications.deliverDue(services: platform.services)
                #expect(received.count == 1)
                clock.advance(by: Notifications.backoff[0] + 1)
                _ = try await Notifications.deliverDue(services: platform.services)
                deliveries = try await api.get("/api/v1/webhooks/\(hookID)/deliveries")
                first = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
                #expect(first["status"] as? String == "delivered")
                #expect(first["attempts"] as? Int == 2)
                let last = try #require(received.last)
                #expect(last.signature == Notifications.signature(secret: secret, timestamp: last.timestamp, body: last.body))
                #expect(last.body.contains("\"kind\":\"filing.published\""))
                // Another organisation cannot read the attempts.
                let other = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
                #expect(try await other.get("/api/v1/webhooks/\(hookID)/deliveries").status == .notFound)
            }
        }
    }
}

final class Received: @unchecked Sendable {
    struct Item { let timestamp: String; let signature: String; let body: String }
    private let lock = NSLock()
    private var items: [Item] = []
    func add(timestamp: String, signature: String, body: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        items.append(Item(timestamp: timestamp, signature: signature, body: body))
        return items.count
    }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    var last: Item? { lock.lock(); defer { lock.unlock() }; return items.last }
}
