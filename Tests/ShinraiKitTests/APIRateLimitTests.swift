import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("API rate limit: a per-token request budget counted in the database")
struct APIRateLimitTests {
    /// 10 seconds into a one-minute window (1_790_000_040 is a multiple of 60).
    static let windowStart = Date(timeIntervalSince1970: 1_790_000_040)
    static var tenSecondsIn: Date { windowStart.addingTimeInterval(10) }

    func withLimit(_ limit: Int, clock: Clock = Clock(fixed: APIRateLimitTests.tenSecondsIn),
                   _ body: @escaping @Sendable (Platform, any TestClientProtocol) async throws -> Void) async throws {
        try await TestPlatform.with(clock: clock, configure: { $0.apiRateLimit = limit }) { platform in
            let app = Application(router: platform.router, logger: platform.services.logger)
            try await app.test(.router) { client in try await body(platform, client) }
        }
    }

    func counters(_ platform: Platform) async throws -> Int {
        try await platform.services.sql.raw("SELECT COUNT(*) AS n FROM api_rate_windows").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test("the request after the budget gets 429 with Retry-After and problem JSON, and does nothing else")
    func overBudget() async throws {
        try await withLimit(3) { platform, client in
            let api = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            for remaining in [2, 1, 0] {
                let reply = try await api.get("/api/v1/me")
                #expect(reply.status == .ok)
                #expect(reply.headers[APIRateLimit.limitHeader] == "3")
                #expect(reply.headers[APIRateLimit.remainingHeader] == "\(remaining)")
                #expect(reply.headers[APIRateLimit.resetHeader] == "50")
            }
            let before = try await platform.count(Organisation.self)
            let audited = try await platform.count(AuditEvent.self)
            let refused = try await api.post("/api/v1/organisations", #"{"name": "国税庁", "kind": "government", "corporateNumber": "7000012050002"}"#)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.isProblem)
            #expect(refused.headers[.retryAfter] == "50")
            #expect(refused.headers[APIRateLimit.remainingHeader] == "0")
            #expect(refused.object["type"] as? String == "/problems/rate-limited")
            let typePage = try await client.execute(uri: "/problems/rate-limited", method: .get, headers: [:], body: nil)
            #expect(typePage.status == .ok)
            #expect(String(buffer: typePage.body).contains("Too many requests"))
            #expect(refused.object["status"] as? Int == 429)
            #expect((refused.object["detail"] as? String)?.contains("3 requests per minute") == true)
            #expect(try await platform.count(Organisation.self) == before)
            #expect(try await platform.count(AuditEvent.self) == audited)
            // Refused requests still count: the budget is for requests sent, not answered.
            let again = try await api.get("/api/v1/me")
            #expect(again.status == .tooManyRequests)
            let tokenID = try #require(try await APIToken.query(on: platform.services.db).first()?.id)
            #expect(try await APIRateLimit(platform.services).requests(tokenID: tokenID, at: platform.services.now) == 5)
        }
    }

    @Test("another token is unaffected, and a new window starts a new budget")
    func otherTokenAndNewWindow() async throws {
        let clock = Clock(fixed: Self.tenSecondsIn)
        try await withLimit(2, clock: clock) { platform, client in
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await admin.get("/api/v1/me").status == .ok)
            #expect(try await admin.get("/api/v1/me").status == .ok)
            #expect(try await admin.get("/api/v1/me").status == .tooManyRequests)
            let other = try await reviewer.get("/api/v1/me")
            #expect(other.status == .ok)
            #expect(other.headers[APIRateLimit.remainingHeader] == "1")

            clock.advance(by: 49)  // one second before the window ends
            let late = try await admin.get("/api/v1/me")
            #expect(late.status == .tooManyRequests)
            #expect(late.headers[.retryAfter] == "1")
            clock.advance(by: 1)  // the next window
            let fresh = try await admin.get("/api/v1/me")
            #expect(fresh.status == .ok)
            #expect(fresh.headers[APIRateLimit.remainingHeader] == "1")
            #expect(fresh.headers[APIRateLimit.resetHeader] == "60")
        }
    }

    @Test("limit 0 never blocks and counts nothing; anonymous requests are never counted")
    func offAndAnonymous() async throws {
        try await withLimit(0) { platform, client in
            let api = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            for _ in 0..<25 {
                let reply = try await api.get("/api/v1/me")
                #expect(reply.status == .ok)
                #expect(reply.headers[APIRateLimit.limitHeader] == nil)
            }
            #expect(try await counters(platform) == 0)
        }
        try await withLimit(1) { platform, client in
            let anonymous = APIClient(client)
            for _ in 0..<5 {
                let reply = try await anonymous.get("/api/v1/proposals")
                #expect(reply.status == .ok)
                #expect(reply.headers[APIRateLimit.limitHeader] == nil)
            }
            // An unknown token is refused before anything is counted.
            let unknown = try await APIClient(client, token: "shr_unknown").get("/api/v1/me")
            #expect(unknown.status == .unauthorized)
            #expect(try await counters(platform) == 0)
        }
    }

    @Test("counters are in the database: a second instance on the same database spends the same budget")
    func sharedAcrossInstances() async throws {
        let clock = Clock(fixed: Self.tenSecondsIn)
        try await withLimit(4, clock: clock) { platform, client in
            let token = try await platform.token(for: DemoAccounts.member)
            var searchPath: [String]?
            if platform.services.database.isPostgres {
                let schema = try #require(try await platform.services.sql.raw("SELECT current_schema() AS name").first()?
                    .decode(column: "name", as: String.self))
                searchPath = [schema, "public"]
            }
            let second = try Platform(config: platform.services.config, modules: [], logger: platform.services.logger,
                                      clock: clock, postgresSearchPath: searchPath)
            do {
                let app = Application(router: second.router, logger: second.services.logger)
                try await app.test(.router) { otherClient in
                    let a = APIClient(client, token: token), b = APIClient(otherClient, token: token)
                    var remaining: [String?] = []
                    for api in [a, b, a, b] {
                        let reply = try await api.get("/api/v1/me")
                        #expect(reply.status == .ok)
                        remaining.append(reply.headers[APIRateLimit.remainingHeader])
                    }
                    #expect(remaining == ["3", "2", "1", "0"])
                    #expect(try await b.get("/api/v1/me").status == .tooManyRequests)
                    #expect(try await a.get("/api/v1/me").status == .tooManyRequests)
                }
                await second.shutdown()
            } catch {
                await second.shutdown()
                throw error
            }
        }
    }

    @Test("the store counts per token and window, and pruning removes only ended windows")
    func store() async throws {
        try await TestPlatform.with { platform in
            let limit = APIRateLimit(limit: 10, sql: platform.services.sql)
            let account = try #require(try await Account.query(on: platform.services.db).first()?.id)
            let first = try #require(try await AccountService(platform.services).createToken(for: account, name: "store", actor: .system("test")).record.id)
            let start = Self.windowStart
            #expect(limit.windowStart(start) == 1_790_000_040)
            #expect(limit.windowStart(start.addingTimeInterval(59.9)) == 1_790_000_040)
            #expect(limit.windowStart(start.addingTimeInterval(60)) == 1_790_000_100)

            var usage = try await limit.record(tokenID: first, at: start.addingTimeInterval(0.5))
            #expect(usage == .init(limit: 10, requests: 1, resetSeconds: 60))
            usage = try await limit.record(tokenID: first, at: start.addingTimeInterval(59.5))
            #expect(usage == .init(limit: 10, requests: 2, resetSeconds: 1))
            #expect(usage.remaining == 8 && !usage.exceeded)
            _ = try await limit.record(tokenID: first, at: start.addingTimeInterval(61))
            _ = try await limit.record(tokenID: first, at: start.addingTimeInterval(125))
            #expect(try await limit.requests(tokenID: first, at: start) == 2)
            #expect(try await limit.requests(tokenID: first, at: start.addingTimeInterval(60)) == 1)

            // At 2:10 the windows starting at 0:00 and 1:00 have ended; the one at 2:00 has not.
            #expect(try await limit.prune(before: start.addingTimeInterval(130)) == 2)
            #expect(try await limit.requests(tokenID: first, at: start) == 0)
            #expect(try await limit.requests(tokenID: first, at: start.addingTimeInterval(125)) == 1)
        }
    }

    @Test("concurrent requests of one token are each counted once")
    func concurrent() async throws {
        try await TestPlatform.with { platform in
            let account = try #require(try await Account.query(on: platform.services.db).first()?.id)
            let token = try await AccountService(platform.services).createToken(for: account, name: "burst", actor: .system("test")).record.id!
            let limit = APIRateLimit(limit: 100, sql: platform.services.sql)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await limit.record(tokenID: token, at: Self.tenSecondsIn).requests } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...20))
        }
    }

    @Test("the setting: SHINRAI_API_RATE_LIMIT requests per minute, 0 for off, default 6,000")
    func setting() throws {
        #expect(try ShinraiConfig.resolve(environment: [:]).apiRateLimit == 6000)
        #expect(try ShinraiConfig.resolve(environment: ["SHINRAI_API_RATE_LIMIT": "120"]).apiRateLimit == 120)
        #expect(try ShinraiConfig.resolve(environment: ["SHINRAI_API_RATE_LIMIT": "0"]).apiRateLimit == 0)
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(environment: ["SHINRAI_API_RATE_LIMIT": "-1"]) }
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(environment: ["SHINRAI_API_RATE_LIMIT": "many"]) }
    }

    @Test("the OpenAPI document describes the 429 answer on every operation")
    func documented() async throws {
        try await TestPlatform.with(demo: false) { platform in
            let document = platform.openAPIDocument
            let components = try #require(document["components"] as? [String: Any])
            let rateLimited = try #require((components["responses"] as? [String: Any])?["RateLimited"] as? [String: Any])
            let headers = try #require(rateLimited["headers"] as? [String: Any])
            #expect(Set(headers.keys) == ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let operations = paths.values.flatMap { $0.values.compactMap { $0 as? [String: Any] } }
            #expect(!operations.isEmpty)
            for operation in operations {
                let responses = operation["responses"] as? [String: Any]
                #expect((responses?["429"] as? [String: String])?["$ref"] == "#/components/responses/RateLimited")
            }
        }
    }
}
