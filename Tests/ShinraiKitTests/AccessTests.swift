import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("Roles and access")
struct AccessTests {
    @Test("anonymous visitors see public pages, are sent to sign-in for private ones, get 401 on the API")
    func anonymous() async throws {
        try await TestPlatform.withClient { _, client in
            var browser = Browser(client)
            #expect(try await browser.get("/").status == .ok)
            let admin = try await browser.get("/admin/organisations")
            #expect(admin.status == .seeOther)
            #expect(admin.location == "/login?next=/admin/organisations")
            #expect(try await browser.get("/account").status == .seeOther)
            let api = APIClient(client)
            let reply = try await api.get("/api/v1/organisations")
            #expect(reply.status == .unauthorized)
            #expect(reply.isProblem)
            #expect(reply.object["type"] as? String == "/problems/unauthenticated")
        }
    }

    @Test("a member sees only their own organisation; reviewers see all; only administrators create")
    func memberVersusOthers() async throws {
        try await TestPlatform.withClient { platform, client in
            let orgs = try await Organisation.query(on: platform.services.db).all()
            let memberAccount = try #require(try await Account.query(on: platform.services.db).filter(\.$email == DemoAccounts.member).first())
            let own = try #require(memberAccount.$organisation.id)
            let other = try #require(orgs.first { $0.id != own }?.id)

            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            #expect(try await member.get("/api/v1/organisations/\(own)").status == .ok)
            #expect(try await member.get("/api/v1/organisations/\(other)").status == .forbidden)
            let list = try await member.get("/api/v1/organisations")
            #expect(list.object["total"] as? Int == 1)
            #expect(try await member.get("/api/v1/accounts").status == .forbidden)
            let before = try await platform.count(Organisation.self)
            let create = try await member.post("/api/v1/organisations", #"{"name":"X","kind":"company","corporateNumber":"7000012050002"}"#)
            #expect(create.status == .forbidden)
            #expect(try await platform.count(Organisation.self) == before)

            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await reviewer.get("/api/v1/organisations").object["total"] as? Int == orgs.count)
            #expect(try await reviewer.get("/api/v1/organisations/\(other)").status == .ok)
            #expect(try await reviewer.get("/api/v1/accounts").status == .forbidden)

            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            #expect(try await admin.get("/api/v1/accounts").status == .ok)
            let created = try await admin.post("/api/v1/organisations", #"{"name":"国税庁","kind":"government","corporateNumber":"7000012050002"}"#)
            #expect(created.status == .created)
            #expect(try await platform.count(Organisation.self) == before + 1)
        }
    }

    @Test("web administration pages: member 403, reviewer reads, admin writes")
    func webAdministration() async throws {
        try await TestPlatform.withClient { _, client in
            var member = Browser(client)
            _ = try await member.signIn(DemoAccounts.member)
            #expect(try await member.get("/admin/organisations").status == .forbidden)
            #expect(try await member.get("/admin/accounts").status == .forbidden)
            var reviewer = Browser(client)
            _ = try await reviewer.signIn(DemoAccounts.reviewer)
            #expect(try await reviewer.get("/admin/organisations").status == .ok)
            #expect(try await reviewer.get("/admin/organisations/new").status == .forbidden)
            var admin = Browser(client)
            _ = try await admin.signIn(DemoAccounts.admin)
            #expect(try await admin.get("/admin/organisations/new").status == .ok)
            #expect(try await admin.get("/admin/accounts").status == .ok)
        }
    }

    @Test("the audit trail: administrators see everything, a member only their organisation's records")
    func auditScope() async throws {
        try await TestPlatform.withClient { platform, client in
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            let all = try await admin.get("/api/v1/audit-events?limit=200")
            let total = try #require(all.object["total"] as? Int)
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let own = try await member.get("/api/v1/audit-events?limit=200")
            let items = try #require(own.object["items"] as? [[String: Any]])
            let account = try #require(try await Account.query(on: platform.services.db).filter(\.$email == DemoAccounts.member).first())
            let org = try #require(account.$organisation.id).uuidString
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["organisationId"] as? String)?.uppercased() == org.uppercased() })
            #expect(items.count < total)
            let filtered = try await admin.get("/api/v1/audit-events?action=organisation.registered")
            let rows = try #require(filtered.object["items"] as? [[String: Any]])
            #expect(rows.count == 4)
            #expect(rows.allSatisfy { $0["action"] as? String == "organisation.registered" })
        }
    }
}
