import FluentKit
import Foundation
import HTTPTypes
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

@Suite("Fast Track and ISMAP-LIU over HTTP")
struct FastTrackHTTPTests {
    /// Applies, submits, verifies and grants; returns the application number.
    func provisional(_ kit: CloudKit, serviceID: String) async throws -> String {
        let applied = try await kit.provider.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID))
        #expect(applied.status == .created, "\(applied.text)")
        let number = try #require(applied.object["number"] as? String)
        let path = "/api/v1/cloud/fast-track/\(number)/events"
        #expect(try await kit.event(kit.provider, path, "submit").object["status"] as? String == "submitted")
        #expect(try await kit.event(kit.reviewer, path, "verify").object["status"] as? String == "verified")
        let granted = try await kit.event(kit.reviewer, path, "grant")
        #expect(granted.object["status"] as? String == "provisional", "\(granted.text)")
        return number
    }

    @Test("bad evidence is refused with the reason: expired certificate, scope not covering the service, duplicate application")
    func evidence() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 8, 30)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (_, serviceID) = try await kit.service()
            let expired = try await kit.provider.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID, validUntil: "2026-08-29"))
            #expect(expired.status == .unprocessableContent)
            #expect(expired.pointers == ["/certificate/validUntil"])
            #expect((expired.errors.first?["detail"] as? String)?.contains("expired on 2026-08-29") == true)
            #expect((expired.errors.first?["detailJa"] as? String)?.contains("有効期間") == true)
            let narrow = try await kit.provider.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID, covers: false))
            #expect(narrow.pointers == ["/certificate/coversService"])
            #expect(try await FastTrackRecord.query(on: kit.services.db).count() == 0)
            #expect(try await kit.provider.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID)).status == .created)
            let duplicate = try await kit.provider.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID))
            #expect(duplicate.status == .conflict && duplicate.pointers == ["/serviceId"])
            // Another organisation's member cannot apply for this service.
            let foreign = try await kit.other.post("/api/v1/cloud/fast-track", kit.fastTrackJSON(serviceID))
            #expect(foreign.status == .unprocessableContent && foreign.pointers == ["/serviceId"])
            // Granting needs a questionnaire.
            let number = try #require(try await FastTrackRecord.query(on: kit.services.db).first()?.number)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/fast-track/\(number)/events", "submit")
            _ = try await kit.event(kit.reviewer, "/api/v1/cloud/fast-track/\(number)/events", "verify")
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/fast-track/\(number)/events", "grant").status == .conflict)
        }
    }

    @Test("grant → exactly 18 months on the list (民法) → questionnaire, findings, remediation → promotion to ISMAP-LIU")
    func endToEnd() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 8, 30)) { platform, client in
            let kit = try await CloudKit(platform, client)
            try await kit.importQuestionSet()
            let (serviceNumber, serviceID) = try await kit.service()
            let number = try await provisional(kit, serviceID: serviceID)
            let record = try await kit.provider.get("/api/v1/cloud/fast-track/\(number)")
            #expect(record.object["grantedOn"] as? String == "2026-08-30")
            #expect(record.object["startsOn"] as? String == "2026-08-31")
            #expect(record.object["provisionalUntil"] as? String == "2028-02-29")
            #expect((record.object["reminders"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2027-08-29", "2027-11-29", "2028-01-29"])
            #expect(record.object["questionSet"] as? String == "ipa-fast-track v1")
            let entry = try #require(try await kit.list("fast-track").first)
            #expect(entry["until"] as? String == "2028-02-29" && entry["status"] as? String == "provisional")
            #expect((entry["details"] as? [String: String])?["certificateNumber"] == "CLD-0001")
            var browser = Browser(client)
            let page = try await browser.get("/cloud/lists/fast-track")
            #expect(page.body.contains("政府機関等は、Fast Track の暫定ステータスが有効なクラウドサービスから調達することができます"))
            #expect(page.body.contains("2028年2月29日"))

            // Questionnaire: answer everything; the reviewer finds one gap and asks for more on another.
            let questionnaire = try await kit.provider.get("/api/v1/cloud/fast-track/\(number)/questionnaire")
            let questions = try #require(questionnaire.object["questions"] as? [[String: Any]])
            #expect(questions.count == 15)
            #expect((questionnaire.object["blockers"] as? [String])?.count == 15)
            for question in questions {
                let q = try #require(question["number"] as? String)
                let answered = try await kit.provider.call(.put, "/api/v1/cloud/fast-track/\(number)/answers/\(q)", json: #"{"answer":"規程に基づき実施しています。"}"#)
                #expect(answered.status == .ok, "\(answered.text)")
                let finding = q == "Q4.2" ? #"{"finding":"gap","note":"鍵の保護の代替策を示してください。"}"# : q == "Q3.2" ? #"{"finding":"needs-info","note":"例外の手順を示してください。"}"# : #"{"finding":"ok"}"#
                #expect(try await kit.reviewer.post("/api/v1/cloud/fast-track/\(number)/answers/\(q)/finding", finding).status == .ok)
            }
            // A finding other than ok needs a note; providers cannot record findings.
            #expect(try await kit.reviewer.post("/api/v1/cloud/fast-track/\(number)/answers/Q1.1/finding", #"{"finding":"gap"}"#).pointers == ["/note"])
            #expect(try await kit.provider.post("/api/v1/cloud/fast-track/\(number)/answers/Q1.1/finding", #"{"finding":"ok"}"#).status == .forbidden)
            // An accepted answer is final.
            #expect(try await kit.provider.call(.put, "/api/v1/cloud/fast-track/\(number)/answers/Q1.1", json: #"{"answer":"変更"}"#).status == .conflict)
            let blocked = try await kit.event(kit.reviewer, "/api/v1/cloud/fast-track/\(number)/events", "promote")
            #expect(blocked.status == .conflict)
            #expect((blocked.object["detail"] as? String)?.contains("Q3.2") == true && (blocked.object["detail"] as? String)?.contains("Q4.2") == true)

            // Answering again re-opens the review of a needs-info answer.
            _ = try await kit.provider.call(.put, "/api/v1/cloud/fast-track/\(number)/answers/Q3.2", json: #"{"answer":"緊急用アカウントは二者承認で使います。"}"#)
            _ = try await kit.reviewer.post("/api/v1/cloud/fast-track/\(number)/answers/Q3.2/finding", #"{"finding":"ok"}"#)
            let questionID = try #require(questions.first { $0["number"] as? String == "Q4.2" }?["questionId"] as? String)
            let tooLate = try await kit.provider.post("/api/v1/cloud/fast-track/\(number)/remediations",
                                                      #"{"questionId":"\#(questionID)","title":"HSMの導入","owner":"基盤部","dueDate":"2028-03-01"}"#)
            #expect(tooLate.pointers == ["/dueDate"])
            let item = try await kit.provider.post("/api/v1/cloud/fast-track/\(number)/remediations",
                                                   #"{"questionId":"\#(questionID)","title":"HSMの導入","owner":"基盤部","dueDate":"2026-12-01"}"#)
            #expect(item.status == .created, "\(item.text)")
            let itemID = try #require(item.object["id"] as? String)
            let itemPath = "/api/v1/cloud/fast-track/\(number)/remediations/\(itemID)/events"
            #expect(try await kit.event(kit.provider, itemPath, "close").status == .forbidden)
            #expect(try await kit.event(kit.provider, itemPath, "complete").status == .ok)
            #expect(try await kit.event(kit.reviewer, itemPath, "close").status == .ok)
            #expect((try await kit.provider.get("/api/v1/cloud/fast-track/\(number)/questionnaire").object["blockers"] as? [String])?.isEmpty == true)

            let promoted = try await kit.event(kit.reviewer, "/api/v1/cloud/fast-track/\(number)/events", "promote")
            #expect(promoted.object["status"] as? String == "promoted", "\(promoted.text)")
            let registration = try #require(promoted.object["registrationNumber"] as? String)
            #expect(registration == "LIU-2026-0001")
            let liu = try #require(try await kit.list("liu").first)
            #expect((liu["details"] as? [String: String])?["source"] == "fast-track")
            #expect(try await kit.list("fast-track").isEmpty)
            #expect(try await kit.list("fast-track", query: "?status=promoted").count == 1)
            let service = try await kit.anonymous.get("/api/v1/cloud/services/\(serviceNumber)")
            #expect((service.object["lists"] as? [[String: Any]])?.compactMap { $0["list"] as? String }.sorted() == ["fast-track", "liu"])
        }
    }

    @Test("reminders 6, 3 and 1 month before the end, once each; expiry the day after the last day")
    func expiryJob() async throws {
        let clock = CloudKit.clock(2026, 4, 15)
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: clock) { platform, client in
            let kit = try await CloudKit(platform, client)
            try await kit.importQuestionSet()
            let (_, serviceID) = try await kit.service()
            let number = try await provisional(kit, serviceID: serviceID)   // ends 2027-10-15
            func at(_ y: Int, _ m: Int, _ d: Int) { clock.set(JapaneseDate.date(year: y, month: m, day: d, hour: 0, minute: 5)) }
            at(2027, 4, 14); _ = try await kit.runJob("cloud.fast-track.expiry")
            #expect(try await kit.notifications(kind: "cloud.fast-track.reminder") == 0)
            at(2027, 4, 15); #expect(try await kit.runJob("cloud.fast-track.expiry").contains("1 reminded"))
            at(2027, 4, 16); _ = try await kit.runJob("cloud.fast-track.expiry")
            #expect(try await kit.notifications(kind: "cloud.fast-track.reminder") == 1)
            at(2027, 7, 15); _ = try await kit.runJob("cloud.fast-track.expiry")
            at(2027, 9, 15); _ = try await kit.runJob("cloud.fast-track.expiry")
            #expect(try await kit.notifications(kind: "cloud.fast-track.reminder") == 3)
            let subjects = try await NotificationRecord.query(on: kit.services.db).filter(\.$kind == "cloud.fast-track.reminder").all().map(\.subject)
            #expect(Set(subjects.map { $0.components(separatedBy: "か月").first ?? "" }) == ["暫定ステータスの満了まで6", "暫定ステータスの満了まで3", "暫定ステータスの満了まで1"])
            at(2027, 10, 15); #expect(try await kit.runJob("cloud.fast-track.expiry").contains("0 expired"))
            #expect(try await kit.list("fast-track").count == 1)
            at(2027, 10, 16); #expect(try await kit.runJob("cloud.fast-track.expiry").contains("1 expired"))
            #expect(try await kit.provider.get("/api/v1/cloud/fast-track/\(number)").object["status"] as? String == "expired")
            #expect(try await kit.list("fast-track").isEmpty)
            #expect(try await kit.list("fast-track", query: "?status=expired").count == 1)
            #expect(try await kit.notifications(kind: "cloud.fast-track.expired") >= 1)
            // A provider or reviewer cannot expire by hand.
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/fast-track/\(number)/events", "expire").status == .unprocessableContent)
        }
    }

    @Test("ISMAP-LIU without a business-impact assessment; a registration stays listed when an agency stops using it")
    func liuWithoutBurden() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (_, serviceID) = try await kit.service()
            let applied = try await kit.provider.post("/api/v1/cloud/registrations", """
                {"serviceId":"\(serviceID)","list":"liu","auditFirm":"テスト監査法人","auditReportDate":"2026-05-30","scope":"全体","sponsors":["デモ省","デモ庁"]}
                """)
            #expect(applied.status == .created, "\(applied.text)")
            #expect(applied.object["businessImpactAssessment"] == nil)
            let number = try #require(applied.object["number"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/registrations/\(number)/events", "submit")
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/registrations/\(number)/events", "register").object["status"] as? String == "registered")
            let sponsors = try #require(try await kit.provider.get("/api/v1/cloud/registrations/\(number)").object["sponsors"] as? [[String: Any]])
            #expect(sponsors.count == 2)
            let first = try #require(sponsors.first?["id"] as? String)
            let ended = try await kit.provider.post("/api/v1/cloud/registrations/\(number)/sponsors/\(first)/end", "{}")
            #expect(ended.status == .ok && ended.object["status"] as? String == "registered")
            let second = try #require(sponsors.last?["id"] as? String)
            _ = try await kit.provider.post("/api/v1/cloud/registrations/\(number)/sponsors/\(second)/end", "{}")
            // No agency uses it any more: still on the list.
            let entry = try #require(try await kit.list("liu").first)
            #expect(entry["status"] as? String == "registered")
            #expect((entry["details"] as? [String: String])?["sponsors"] == "0")
            // Suspension needs reasons and is public.
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/registrations/\(number)/events", "suspend").pointers == ["/reason"])
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/registrations/\(number)/events", "suspend", reason: "監査報告書の再提出待ち").object["status"] as? String == "suspended")
            #expect(try await kit.list("liu").first?["status"] as? String == "suspended")
        }
    }
}
