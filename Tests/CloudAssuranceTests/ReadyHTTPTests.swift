import FluentKit
import Foundation
import HTTPTypes
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

@Suite("ISMAP-Ready over HTTP")
struct ReadyHTTPTests {
    @Test("declare → submit → reviewer lists → public list, exports, history with log proofs")
    func endToEnd() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (number, serviceID) = try await kit.service()
            #expect(number == "CS-2026-0001")
            // Not public yet.
            #expect(try await kit.anonymous.get("/api/v1/cloud/services/\(number)").status == .notFound)
            #expect(try await kit.other.get("/api/v1/cloud/services/\(number)").status == .notFound)
            #expect(try await kit.list("ready").isEmpty)

            let declared = try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID))
            #expect(declared.status == .created, "\(declared.text)")
            let ready = try #require(declared.object["number"] as? String)
            #expect(ready == "RDY-2026-0001")
            #expect(declared.object["status"] as? String == "draft")
            #expect(declared.object["availableEvents"] as? [String] == ["submit", "withdraw"])
            // A second declaration for the same service is a conflict.
            let duplicate = try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID))
            #expect(duplicate.status == .conflict && duplicate.pointers == ["/serviceId"])
            // Another organisation cannot see the draft.
            #expect(try await kit.other.get("/api/v1/cloud/ready/\(ready)").status == .notFound)
            #expect(try await kit.anonymous.get("/api/v1/cloud/ready/\(ready)").status == .notFound)

            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "submit").object["status"] as? String == "submitted")
            // The provider cannot list itself; a return needs reasons.
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "list").status == .forbidden)
            let noReason = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "return")
            #expect(noReason.status == .unprocessableContent && noReason.pointers == ["/reason"])
            let listed = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list")
            #expect(listed.object["status"] as? String == "listed")
            #expect(listed.object["listedOn"] as? String == "2026-06-01")
            #expect(listed.object["nextReportDue"] as? String == "2026-12-01")
            // Listing again is refused from the new state.
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list").status == .conflict)

            let items = try await kit.list("ready")
            #expect(items.count == 1)
            let entry = try #require(items.first)
            #expect(entry["status"] as? String == "listed" && entry["since"] as? String == "2026-06-01" && entry["until"] as? String == "2026-12-01")
            #expect((entry["service"] as? [String: Any])?["number"] as? String == number)
            #expect((entry["details"] as? [String: String])?["pocAvailable"] == "true")
            #expect(try await kit.list("ready", query: "?poc=true").count == 1)
            #expect(try await kit.list("ready", query: "?region=JP-27").count == 1)
            #expect(try await kit.list("ready", query: "?region=JP-01").isEmpty)
            #expect(try await kit.list("ready", query: "?q=%E3%83%86%E3%82%B9%E3%83%88").count == 1)   // テスト
            #expect(try await kit.list("ready", query: "?serviceModel=iaas").isEmpty)
            #expect(try await kit.list("ismap").isEmpty)

            // Public now: the service and the declaration, without private details.
            let publicService = try await kit.anonymous.get("/api/v1/cloud/services/\(number)")
            #expect(publicService.status == .ok)
            let contacts = try #require(publicService.object["contacts"] as? [[String: Any]])
            #expect(contacts.allSatisfy { $0["name"] == nil })
            let publicReady = try await kit.other.get("/api/v1/cloud/ready/\(ready)")
            #expect(publicReady.status == .ok && (publicReady.object["availableEvents"] as? [String])?.isEmpty == true)

            // The public history has the listing with its log index, and the index has an inclusion proof.
            let history = try #require(try await kit.anonymous.get("/api/v1/cloud/services/\(number)/history").json as? [[String: Any]])
            #expect(history.map { $0["to"] as? String } == ["listed"])
            let index = try #require(history.first?["logIndex"] as? Int)
            #expect(try await kit.anonymous.get("/api/v1/log/proof/inclusion?index=\(index)").status == .ok)
            let ownerHistory = try #require(try await kit.provider.get("/api/v1/cloud/services/\(number)/history").json as? [[String: Any]])
            #expect(ownerHistory.map { $0["to"] as? String } == ["draft", "submitted", "listed"])

            // Exports: CSV with BOM, Atom, ETag.
            var browser = Browser(client)
            let csv = try await browser.get("/cloud/lists/ready.csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.contains("RDY-2026-0001") && csv.body.contains("テストドライブ"))
            let atom = try await browser.get("/cloud/lists/ready.atom")
            #expect(atom.body.contains("<feed") && atom.body.contains("テストドライブ"))
            let first = try await kit.anonymous.get("/api/v1/cloud/lists/ready")
            let etag = try #require(first.headers[.eTag])
            #expect(try await kit.anonymous.call(.get, "/api/v1/cloud/lists/ready", headers: [.ifNoneMatch: etag]).status == .notModified)

            // Pages.
            let page = try await browser.get("/cloud/lists/ready")
            #expect(page.status == .ok && page.body.contains("テストドライブ") && page.body.contains("2026年12月1日"))
            let servicePage = try await browser.get("/cloud/services/\(number)")
            #expect(servicePage.body.contains("/log/entries/\(index)") && servicePage.body.contains("/api/v1/log/proof/inclusion?index=\(index)"))
            #expect(!servicePage.body.contains("非公開"))
        }
    }

    @Test("a missed report: notice before the due date, lapse after the grace period, reinstatement by a report")
    func lapse() async throws {
        let clock = CloudKit.clock(2026, 6, 1)
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: clock) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (_, serviceID) = try await kit.service()
            let ready = try #require(try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID)).object["number"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "submit")
            _ = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list")   // due 2026-12-01

            clock.set(JapaneseDate.date(year: 2026, month: 11, day: 16, hour: 0, minute: 5))   // 15 days before: nothing yet
            _ = try await kit.runJob("cloud.ready.reports")
            #expect(try await kit.notifications(kind: "cloud.ready.report-due") == 0)
            clock.set(JapaneseDate.date(year: 2026, month: 11, day: 17, hour: 0, minute: 5))   // 14 days before: notice
            #expect(try await kit.runJob("cloud.ready.reports").contains("1 reminded"))
            _ = try await kit.runJob("cloud.ready.reports")
            #expect(try await kit.notifications(kind: "cloud.ready.report-due") == 1)           // once
            clock.set(JapaneseDate.date(year: 2026, month: 12, day: 2, hour: 0, minute: 5))    // overdue: second notice
            _ = try await kit.runJob("cloud.ready.reports")
            #expect(try await kit.notifications(kind: "cloud.ready.report-due") == 2)
            clock.set(JapaneseDate.date(year: 2026, month: 12, day: 31, hour: 0, minute: 5))   // last day of grace (30 days)
            #expect(try await kit.runJob("cloud.ready.reports").contains("0 lapsed"))
            clock.set(JapaneseDate.date(year: 2027, month: 1, day: 1, hour: 0, minute: 5))
            #expect(try await kit.runJob("cloud.ready.reports").contains("1 lapsed"))
            let lapsed = try await kit.provider.get("/api/v1/cloud/ready/\(ready)")
            #expect(lapsed.object["status"] as? String == "lapsed")
            #expect(try await kit.notifications(kind: "cloud.ready.lapsed") == 1)
            // Still shown on the public list, marked lapsed.
            #expect(try await kit.list("ready").first?["status"] as? String == "lapsed")
            #expect(try await kit.list("ready", query: "?status=listed").isEmpty)

            let filed = try await kit.provider.post("/api/v1/cloud/ready/\(ready)/reports", #"{"progress":"監査の準備が進んでいます。"}"#)
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.object["status"] as? String == "listed")
            #expect(filed.object["nextReportDue"] as? String == "2027-07-01")
            #expect((filed.object["reports"] as? [[String: Any]])?.count == 1)
            let history = try #require(try await kit.anonymous.get("/api/v1/cloud/services/CS-2026-0001/history").json as? [[String: Any]])
            #expect(history.map { $0["event"] as? String } == ["list", "lapse", "reinstate"])
            // An empty report is refused.
            #expect(try await kit.provider.post("/api/v1/cloud/ready/\(ready)/reports", #"{"progress":"  "}"#).pointers == ["/progress"])
        }
    }

    @Test("applied, then registered through an ISMAP application: the Ready listing links the registration")
    func appliedThenRegistered() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (_, serviceID) = try await kit.service()
            let ready = try #require(try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID)).object["number"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "submit")
            _ = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list")
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "mark-applied").pointers == ["/reference"])
            let applied = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "mark-applied", reference: "ISMAP申請 2026-06")
            #expect(applied.object["status"] as? String == "applied")
            let application = try await kit.provider.post("/api/v1/cloud/registrations", """
                {"serviceId":"\(serviceID)","list":"ismap","auditFirm":"テスト監査法人","auditReportDate":"2026-05-30","scope":"全体"}
                """)
            #expect(application.status == .created, "\(application.text)")
            let registration = try #require(application.object["number"] as? String)
            #expect(registration == "ISMAP-2026-0001")
            _ = try await kit.event(kit.provider, "/api/v1/cloud/registrations/\(registration)/events", "submit")
            let registered = try await kit.event(kit.reviewer, "/api/v1/cloud/registrations/\(registration)/events", "register")
            #expect(registered.object["status"] as? String == "registered" && registered.object["registeredOn"] as? String == "2026-06-01")
            let linked = try await kit.provider.get("/api/v1/cloud/ready/\(ready)")
            #expect(linked.object["status"] as? String == "registered")
            #expect(linked.object["registrationNumber"] as? String == registration)
            #expect(try await kit.list("ismap").count == 1)
            #expect(try await kit.list("ready", query: "?status=registered").count == 1)
            // Withdrawal of a terminal listing is refused.
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "withdraw").status == .conflict)
        }
    }
}
