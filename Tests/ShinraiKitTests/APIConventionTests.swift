import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("API conventions: bad input is refused and nothing is written")
struct APIConventionTests {
    func withAdmin(_ body: @escaping @Sendable (Platform, APIClient) async throws -> Void) async throws {
        try await TestPlatform.withClient { platform, client in
            try await body(platform, APIClient(client, token: try await platform.token(for: DemoAccounts.admin)))
        }
    }

    @Test("malformed JSON → 400 problem")
    func malformed() async throws {
        try await withAdmin { platform, api in
            let before = try await platform.count(Organisation.self)
            let reply = try await api.post("/api/v1/organisations", #"{"name": "x", "kind": "#)
            #expect(reply.status == .badRequest)
            #expect(reply.isProblem)
            #expect(reply.object["status"] as? Int == 400)
            #expect(try await platform.count(Organisation.self) == before)
        }
    }

    @Test("wrong types and unknown fields → 422 with field pointers")
    func fields() async throws {
        try await withAdmin { platform, api in
            let before = try await platform.count(Organisation.self)
            let wrongType = try await api.post("/api/v1/organisations", #"{"name": 12, "kind": "company", "corporateNumber": "7000012050002"}"#)
            #expect(wrongType.status == .unprocessableContent)
            let errors = try #require(wrongType.object["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["pointer"] as? String == "/name" })
            let unknown = try await api.post("/api/v1/organisations", #"{"name": "国税庁", "kind": "government", "corporateNumber": "7000012050002", "nmae": "typo"}"#)
            #expect(unknown.status == .unprocessableContent)
            let unknownErrors = try #require(unknown.object["errors"] as? [[String: Any]])
            #expect(unknownErrors.contains { $0["pointer"] as? String == "/nmae" && $0["code"] as? String == "unknown-field" })
            let badEnum = try await api.post("/api/v1/organisations", #"{"name": "国税庁", "kind": "alien", "corporateNumber": "7000012050002"}"#)
            #expect(badEnum.status == .unprocessableContent)
            #expect(try await platform.count(Organisation.self) == before)
        }
    }

    @Test("invalid identifiers → 422 naming the field; duplicates → 409")
    func identifiers() async throws {
        try await withAdmin { platform, api in
            let before = try await platform.count(Organisation.self)
            let bad = try await api.post("/api/v1/organisations", #"{"name": "誤り", "kind": "company", "corporateNumber": "7000012050003"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect((bad.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/corporateNumber")
            let city = try await api.post("/api/v1/organisations", #"{"name": "札幌市", "kind": "municipality", "localGovernmentCode": "011003"}"#)
            #expect(city.status == .unprocessableContent)
            let noCode = try await api.post("/api/v1/organisations", #"{"name": "札幌市", "kind": "municipality"}"#)
            #expect(noCode.status == .unprocessableContent)
            #expect(try await platform.count(Organisation.self) == before)
            #expect(try await api.post("/api/v1/organisations", #"{"name": "札幌市", "kind": "municipality", "localGovernmentCode": "011002"}"#).status == .created)
            let again = try await api.post("/api/v1/organisations", #"{"name": "札幌市2", "kind": "municipality", "localGovernmentCode": "011002"}"#)
            #expect(again.status == .conflict)
            #expect(try await platform.count(Organisation.self) == before + 1)
        }
    }

    @Test("wrong media type → 415; oversized body → 413")
    func mediaTypeAndSize() async throws {
        try await withAdmin { platform, api in
            let before = try await platform.count(Organisation.self)
            let form = try await api.call(.post, "/api/v1/organisations", json: "name=x", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)
            let huge = "{\"name\": \"" + String(repeating: "あ", count: platform.services.config.maxBodyBytes) + "\", \"kind\": \"company\"}"
            let big = try await api.post("/api/v1/organisations", huge)
            #expect(big.status == .contentTooLarge)
            #expect(big.isProblem)
            #expect(try await platform.count(Organisation.self) == before)
        }
    }

    @Test("paging limits are enforced")
    func paging() async throws {
        try await withAdmin { _, api in
            #expect(try await api.get("/api/v1/organisations?limit=201").status == .badRequest)
            #expect(try await api.get("/api/v1/organisations?limit=0").status == .badRequest)
            #expect(try await api.get("/api/v1/organisations?page=abc").status == .badRequest)
            let page = try await api.get("/api/v1/organisations?limit=2&page=2")
            #expect(page.status == .ok)
            #expect(page.object["limit"] as? Int == 2)
            #expect((page.object["items"] as? [Any])?.count == 2)
            #expect(page.object["total"] as? Int == 4)
        }
    }

    @Test("public lists carry an ETag and answer 304 to If-None-Match")
    func etag() async throws {
        try await TestPlatform.withClient { _, client in
            let api = APIClient(client)
            let first = try await api.get("/api/v1/proposals")
            let etag = try #require(first.headers[.eTag])
            let second = try await api.call(.get, "/api/v1/proposals", headers: [.ifNoneMatch: etag])
            #expect(second.status == .notModified)
            #expect(second.body.readableBytes == 0)
        }
    }

    @Test("unknown routes are problems on the API and pages on the web; errors never leak internals")
    func noRoute() async throws {
        try await TestPlatform.withClient { _, client in
            let api = try await APIClient(client).get("/api/v1/nope")
            #expect(api.status == .notFound)
            #expect(api.object["type"] as? String == "/problems/no-route")
            var browser = Browser(client)
            let page = try await browser.get("/nope")
            #expect(page.status == .notFound)
            #expect(page.body.contains("data-error-status=\"404\""))
        }
    }

    @Test("operations endpoints")
    func operations() async throws {
        try await TestPlatform.withClient { _, client in
            var browser = Browser(client)
            #expect(try await browser.get("/healthz").status == .ok)
            #expect(try await browser.get("/readyz").status == .ok)
            #expect(try await browser.get("/metrics").status == .ok)
            let css = try await browser.get("/static/shinrai.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
    }
}
