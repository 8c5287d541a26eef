import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("Sign-in, CSRF, throttling, tokens")
struct AccountFlowTests {
    @Test("an administrator creates an organisation and a member, and the member signs in")
    func adminCreatesMember() async throws {
        try await TestPlatform.withClient { platform, client in
            var admin = Browser(client)
            let signedIn = try await admin.signIn(DemoAccounts.admin)
            #expect(signedIn.status == .seeOther)
            try await admin.get("/admin/organisations/new")
            let created = try await admin.post("/admin/organisations", [
                ("name", "京都府（テスト）"), ("nameEn", "Kyoto"), ("kind", "municipality"), ("corporateNumber", ""), ("localGovernmentCode", "260002"),
            ])
            #expect(created.status == .seeOther)
            let org = try #require(try await Organisation.query(on: platform.services.db).filter(\.$localGovernmentCode == "260002").first())
            try await admin.get("/admin/accounts/new")
            let account = try await admin.post("/admin/accounts", [
                ("email", "staff@pref.kyoto.example"), ("displayName", "京都 太郎"), ("role", "member"),
                ("organisationId", org.id!.uuidString), ("password", "kyoto-secret-2026"),
            ])
            #expect(account.status == .seeOther)
            let events = try await AuditEvent.query(on: platform.services.db).filter(\.$organisationID == org.id).all()
            #expect(Set(events.map(\.action)) == ["organisation.registered", "account.create"])
            #expect(events.allSatisfy { $0.actorLabel.contains(DemoAccounts.admin) })

            var member = Browser(client)
            let page = try await member.signIn("staff@pref.kyoto.example", password: "kyoto-secret-2026")
            #expect(page.status == .seeOther)
            let home = try await member.get("/account")
            #expect(home.status == .ok)
            #expect(home.body.contains("京都府（テスト）"))
        }
    }

    @Test("a form with a wrong identifier shows the error summary and writes nothing")
    func invalidOrganisationForm() async throws {
        try await TestPlatform.withClient { platform, client in
            var admin = Browser(client)
            _ = try await admin.signIn(DemoAccounts.admin)
            try await admin.get("/admin/organisations/new")
            let before = try await platform.count(Organisation.self)
            let page = try await admin.post("/admin/organisations", [("name", "誤り株式会社"), ("kind", "company"), ("corporateNumber", "1234567890123")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("error-summary"))
            #expect(page.body.contains("チェックデジット"))
            #expect(try await platform.count(Organisation.self) == before)
        }
    }

    @Test("a form without the CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await TestPlatform.withClient { platform, client in
            var admin = Browser(client)
            _ = try await admin.signIn(DemoAccounts.admin)
            try await admin.get("/admin/organisations/new")
            let before = try await platform.count(Organisation.self)
            let forged = try await admin.post("/admin/organisations", [("name", "偽造"), ("kind", "company"), ("corporateNumber", "7000012050002")], csrf: "forged-token-forged-token-forged-token")
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("data-error-status=\"403\""))
            let missing = try await admin.post("/admin/organisations", [("name", "偽造"), ("kind", "company")], csrf: "")
            #expect(missing.status == .forbidden)
            #expect(try await platform.count(Organisation.self) == before)
            // The same form with the page's token goes through.
            try await admin.get("/admin/organisations/new")
            let ok = try await admin.post("/admin/organisations", [("name", "国税庁"), ("kind", "government"), ("corporateNumber", "7000012050002")])
            #expect(ok.status == .seeOther)
        }
    }

    @Test("sign-in locks after five failures, also for the right password, and unlocks after the window")
    func throttling() async throws {
        let clock = Clock(fixed: Date(timeIntervalSince1970: 1_795_000_000))
        try await TestPlatform.withClient(clock: clock) { platform, client in
            var browser = Browser(client)
            for attempt in 1...AccountService.maxFailures {
                let page = try await browser.signIn(DemoAccounts.member, password: "wrong-password-\(attempt)")
                #expect(page.status == (attempt < AccountService.maxFailures ? .unauthorized : .tooManyRequests))
            }
            let locked = try await browser.signIn(DemoAccounts.member)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            #expect(try await SessionRecord.query(on: platform.services.db).count() == 0)
            clock.advance(by: AccountService.throttleWindow + 1)
            let ok = try await browser.signIn(DemoAccounts.member)
            #expect(ok.status == .seeOther)
        }
    }

    @Test("sign-out ends the session")
    func signOut() async throws {
        try await TestPlatform.withClient { _, client in
            var browser = Browser(client)
            _ = try await browser.signIn(DemoAccounts.member)
            #expect(try await browser.get("/account").status == .ok)
            #expect(try await browser.post("/logout", []).status == .seeOther)
            #expect(try await browser.get("/account").status == .seeOther)
        }
    }

    @Test("changing the password checks the current one and ends other sessions")
    func changePassword() async throws {
        try await TestPlatform.withClient { platform, client in
            var first = Browser(client)
            _ = try await first.signIn(DemoAccounts.member)
            var second = Browser(client)
            _ = try await second.signIn(DemoAccounts.member)
            try await first.get("/account")
            let wrong = try await first.post("/account/password", [("currentPassword", "not-it-at-all"), ("newPassword", "a-new-password-2026")])
            #expect(wrong.status == .unprocessableContent)
            let short = try await first.post("/account/password", [("currentPassword", DemoAccounts.password), ("newPassword", "short")])
            #expect(short.status == .unprocessableContent)
            let ok = try await first.post("/account/password", [("currentPassword", DemoAccounts.password), ("newPassword", "a-new-password-2026")])
            #expect(ok.status == .seeOther)
            #expect(try await first.get("/account").status == .ok)
            #expect(try await second.get("/account").status == .seeOther, "the other session ended")
            var third = Browser(client)
            #expect(try await third.signIn(DemoAccounts.member).status == .unauthorized)
            #expect(try await third.signIn(DemoAccounts.member, password: "a-new-password-2026").status == .seeOther)
            #expect(try await AuditEvent.query(on: platform.services.db).filter(\.$action == "account.password-change").count() == 1)
        }
    }

    @Test("API tokens: only the hash is stored; a revoked token stops working")
    func tokens() async throws {
        try await TestPlatform.withClient { platform, client in
            let bootstrap = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let created = try await bootstrap.post("/api/v1/tokens", #"{"name":"CI"}"#)
            #expect(created.status == .created)
            let secret = try #require(created.object["token"] as? String)
            let id = try #require(created.object["id"] as? String)
            let stored = try await APIToken.query(on: platform.services.db).all()
            #expect(!stored.contains { $0.tokenHash == secret || $0.tokenHash.contains(secret) })
            let api = APIClient(client, token: secret)
            #expect(try await api.get("/api/v1/me").object["email"] as? String == DemoAccounts.member)
            let listed = try await api.get("/api/v1/tokens")
            #expect((listed.json as? [[String: Any]])?.allSatisfy { $0["token"] == nil || $0["token"] is NSNull } == true)
            #expect(try await api.call(.delete, "/api/v1/tokens/\(id)").status == .noContent)
            let after = try await api.get("/api/v1/me")
            #expect(after.status == .unauthorized)
            #expect(after.isProblem)
            // Someone else cannot revoke my token.
            let other = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            let mine = try await bootstrap.post("/api/v1/tokens", #"{"name":"second"}"#)
            let mineID = try #require(mine.object["id"] as? String)
            #expect(try await other.call(.delete, "/api/v1/tokens/\(mineID)").status == .notFound)
        }
    }

    @Test("an unknown bearer token is refused even on public endpoints")
    func unknownToken() async throws {
        try await TestPlatform.withClient { _, client in
            let reply = try await APIClient(client, token: "shr_not-a-real-token").get("/api/v1/proposals")
            #expect(reply.status == .unauthorized)
            #expect(reply.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
        }
    }
}
