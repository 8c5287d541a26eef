import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

@Suite("Incident disclosure over the API")
struct IncidentAPITests {
    @Test("record, clock, required content, publication with one log entry, feeds, amendment with its own clock, every version readable")
    func lifecycle() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let anonymous = APIClient(client)

            // Given a draft with the determination on the evening of Thursday 2026-04-30 …
            let draftContent = #"{"title":"ランサムウェアによるシステム障害","summary":"基幹サーバが暗号化された。"}"#
            let (created, id) = try await member.createIncident(Fixture.incidentJSON(content: draftContent))
            // … the deadline is the end of Monday 2026-05-11 (Golden Week skipped) and the count is explained.
            let timely = try #require(created.obligation("tse-timely"))
            #expect(timely["dueAt"] as? String == "2026-05-11T14:59:59Z")
            #expect(timely["dueDate"] as? String == "2026-05-11")
            #expect((timely["explanation"] as? String)?.contains("振替休日") == true)
            #expect((timely["missing"] as? [String])?.contains("financialImpact") == true)

            // Drafts are private: the public and other organisations get 404, reviewers see them.
            #expect(try await anonymous.get("/api/v1/disclosure/incidents/\(id)").status == .notFound)
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            #expect(try await cloud.get("/api/v1/disclosure/incidents/\(id)").status == .notFound)
            #expect(try await Fixture.reviewer(platform, client).get("/api/v1/disclosure/incidents/\(id)").status == .ok)
            #expect((try await anonymous.get("/api/v1/disclosure/incidents").object["total"] as? Int) == 0)

            // Missing required parts block submission with a message per part; nothing is logged.
            let sizeBefore = try await Fixture.logSize(platform)
            let refused = try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorPointers.isSuperset(of: ["/content/systemsAffected", "/content/financialImpact/kind", "/content/businessImpact"]))
            #expect(try await Fixture.logSize(platform) == sizeBefore)
            #expect(try await platform.count(IncidentVersion.self) == 0)

            // Completed and submitted on 05-01: published as INC-2026-0001 with exactly one log entry.
            let updated = try await member.put("/api/v1/disclosure/incidents/\(id)", #"{"content":\#(Fixture.completeContent)}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let published = try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}")
            #expect(published.status == .created, "\(published.text)")
            let record = try #require(published.object["record"] as? [String: Any])
            #expect(record["number"] as? String == "INC-2026-0001")
            #expect((published.object["summary"] as? [String: Any])?["late"] as? Bool == false)
            #expect(try await Fixture.logSize(platform) == sizeBefore + 1)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "INC-2026-0001", on: platform.services.db).count == 1)
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}").status == .conflict)

            // Public list, JSON by number, Atom and JSON feed, CSV; the list has an ETag.
            let list = try await anonymous.get("/api/v1/disclosure/incidents")
            #expect(list.object["total"] as? Int == 1)
            let etag = try #require(list.headers[.eTag])
            #expect(try await anonymous.call(.get, "/api/v1/disclosure/incidents", headers: [.ifNoneMatch: etag]).status == .notModified)
            let byNumber = try await anonymous.get("/api/v1/disclosure/incidents/INC-2026-0001")
            #expect(byNumber.status == .ok)
            #expect(byNumber.object["draft"] == nil)
            #expect((byNumber.object["content"] as? [String: Any])?["title"] as? String == "ランサムウェアによるシステム障害")
            let atom = try await anonymous.get("/disclosure/incidents/feed.atom")
            #expect(atom.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            #expect(atom.text.contains("INC-2026-0001"))
            let feed = try await anonymous.get("/disclosure/incidents/feed.json")
            #expect((feed.object["items"] as? [[String: Any]])?.count == 1)
            let csv = try await anonymous.get("/disclosure/incidents.csv")
            #expect(csv.text.contains("INC-2026-0001"))

            // Amendment: the financial impact becomes known on Friday 05-15 10:00 → its own clock to Thursday 05-21.
            clock.set(jst(2026, 5, 18, 9))
            let amendment = try await member.post("/api/v1/disclosure/incidents/INC-2026-0001/amendments",
                                                  #"{"informationAvailableAt":"2026-05-15T10:00:00+09:00","reason":"財務的影響が判明した"}"#)
            #expect(amendment.status == .created, "\(amendment.text)")
            #expect(amendment.obligation("tse-amendment:2")?["dueDate"] as? String == "2026-05-21")
            let amended = Fixture.completeContent.replacingOccurrences(of: #"{"kind":"undetermined","undeterminedReason":"復旧費用を調査中のため"}"#,
                                                                       with: #"{"kind":"range","minYen":50000000,"maxYen":80000000}"#)
            #expect(try await member.put("/api/v1/disclosure/incidents/\(id)", #"{"content":\#(amended)}"#).status == .ok)
            // The facts that start the clocks are fixed after publication.
            #expect(try await member.put("/api/v1/disclosure/incidents/\(id)",
                                         #"{"determinedAt":"2026-05-01T09:00:00+09:00","content":\#(amended)}"#).status == .conflict)
            let second = try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}")
            #expect(second.status == .created)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "INC-2026-0001", on: platform.services.db).count == 2)

            // Both versions stay readable with their own content.
            let v1 = try await anonymous.get("/api/v1/disclosure/incidents/INC-2026-0001/versions/1")
            let v2 = try await anonymous.get("/api/v1/disclosure/incidents/INC-2026-0001/versions/2")
            let impact1 = ((v1.object["record"] as? [String: Any])?["content"] as? [String: Any])?["financialImpact"] as? [String: Any]
            let impact2 = ((v2.object["record"] as? [String: Any])?["content"] as? [String: Any])?["financialImpact"] as? [String: Any]
            #expect(impact1?["kind"] as? String == "undetermined")
            #expect(impact2?["maxYen"] as? Int == 80_000_000)
            #expect((v2.object["summary"] as? [String: Any])?["kind"] as? String == "amendment")
            #expect(try await anonymous.get("/api/v1/disclosure/incidents/INC-2026-0001/versions/3").status == .notFound)
            // The logged content hash is the SHA-256 of the record's canonical JSON.
            let logIndex = try #require((v2.object["summary"] as? [String: Any])?["logIndex"] as? Int)
            let entry = try #require(try await TransparencyLogStore.entry(index: Int64(logIndex), on: platform.services.db))
            let stored = try #require(try await IncidentVersion.query(on: platform.services.db).filter(\.$version == 2).first())
            let decoded = try DisclosureJSON.decode(IncidentService.PublishedVersion.self, stored.content)
            #expect(entry.entry.contentHash == (try CanonicalJSON.sha256Hex(of: decoded)))
        }
    }

    @Test("a filing published after its deadline is marked late in public and on the reviewer dashboard")
    func lateFiling() async throws {
        let clock = Clock(fixed: jst(2026, 5, 12, 9))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let (created, id) = try await member.createIncident()
            #expect(created.obligation("tse-timely")?["status"] as? String == "overdue")
            let reviewer = try await Fixture.reviewer(platform, client)
            let before = try await reviewer.get("/api/v1/disclosure/dashboard")
            #expect((before.object["overdue"] as? [[String: Any]])?.count == 1)
            let published = try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}")
            #expect((published.object["summary"] as? [String: Any])?["late"] as? Bool == true)
            let late = try await APIClient(client).get("/api/v1/disclosure/incidents?late=true")
            #expect(late.object["total"] as? Int == 1)
            #expect((try await APIClient(client).get("/api/v1/disclosure/incidents?late=false")).object["total"] as? Int == 0)
            let after = try await reviewer.get("/api/v1/disclosure/dashboard")
            #expect((after.object["lateFilings"] as? [[String: Any]])?.count == 1)
            #expect((after.object["overdue"] as? [[String: Any]])?.isEmpty == true)
            // Members cannot read the dashboard.
            #expect(try await member.get("/api/v1/disclosure/dashboard").status == .forbidden)
            #expect(try await APIClient(client).get("/api/v1/disclosure/incidents?late=maybe").status == .badRequest)
        }
    }

    @Test("a delay decided by a reviewer pauses the clock only while it lasts; only reviewers decide")
    func delay() async throws {
        // Determined Monday 2026-06-01 10:00; the 4-business-day deadline would be Friday 06-05.
        let clock = Clock(fixed: jst(2026, 6, 2, 15))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let reviewer = try await Fixture.reviewer(platform, client)
            let (created, id) = try await member.createIncident(Fixture.incidentJSON(discovered: "2026-06-01T08:00:00+09:00", determined: "2026-06-01T10:00:00+09:00"))
            #expect(created.obligation("tse-timely")?["dueDate"] as? String == "2026-06-05")

            // Bad requests: no grounds, beyond 30 days.
            let bad = try await member.post("/api/v1/disclosure/incidents/\(id)/delays", #"{"grounds":"短い","until":"2026-08-01T00:00:00+09:00"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorPointers == ["/grounds", "/until"])

            let request = try await member.post("/api/v1/disclosure/incidents/\(id)/delays",
                                                #"{"grounds":"警察から、公表が捜査に重大な支障を及ぼすとして延期の要請を受けているため。","until":"2026-06-12T17:00:00+09:00"}"#)
            #expect(request.status == .created, "\(request.text)")
            let delayID = try #require(request.object["id"] as? String)
            // A pending request does not stop the clock.
            #expect(try await member.get("/api/v1/disclosure/incidents/\(id)").obligation("tse-timely")?["dueDate"] as? String == "2026-06-05")
            // Only reviewers decide.
            #expect(try await member.post("/api/v1/disclosure/delays/\(delayID)/decision", #"{"decision":"approve"}"#).status == .forbidden)
            #expect(try await reviewer.post("/api/v1/disclosure/delays/\(delayID)/decision", #"{"decision":"reject"}"#).status == .unprocessableContent)

            // Approved on Wednesday 06-03 09:00: one business day (06-02) was used, three remain after 06-12.
            clock.set(jst(2026, 6, 3, 9))
            let approved = try await reviewer.post("/api/v1/disclosure/delays/\(delayID)/decision", #"{"decision":"approve","note":"捜査当局の要請を確認"}"#)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(try await reviewer.post("/api/v1/disclosure/delays/\(delayID)/decision", #"{"decision":"approve"}"#).status == .conflict)
            let paused = try await member.get("/api/v1/disclosure/incidents/\(id)")
            #expect(paused.obligation("tse-timely")?["status"] as? String == "paused")
            #expect(paused.obligation("tse-timely")?["dueDate"] as? String == "2026-06-17")
            // The company sees its own grounds.
            #expect(((paused.object["delays"] as? [[String: Any]])?.first?["grounds"] as? String)?.isEmpty == false)

            // Ended early on Tuesday 06-09 12:00: the clock resumes and is due Friday 06-12.
            clock.set(jst(2026, 6, 9, 12))
            #expect(try await member.post("/api/v1/disclosure/delays/\(delayID)/end", "{}").status == .ok)
            let resumed = try await member.get("/api/v1/disclosure/incidents/\(id)")
            #expect(resumed.obligation("tse-timely")?["dueDate"] as? String == "2026-06-12")
            #expect(resumed.obligation("tse-timely")?["status"] as? String == "open")

            // Published on time thanks to the pause; public readers see the delay period but not its grounds.
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}").status == .created)
            let publicView = try await APIClient(client).get("/api/v1/disclosure/incidents/\(id)")
            #expect((publicView.object["incident"] as? [String: Any])?["late"] as? Bool == false)
            let publicDelay = try #require((publicView.object["delays"] as? [[String: Any]])?.first)
            #expect(publicDelay["grounds"] == nil)
            #expect(publicDelay["approvedUntil"] as? String == "2026-06-12T08:00:00Z")
        }
    }

    @Test("submissions sent at the same moment publish one version with one log entry")
    func concurrentSubmissions() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let (_, id) = try await member.createIncident()
            let before = try await Fixture.logSize(platform)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<5 { group.addTask { try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}").status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(try await platform.count(IncidentVersion.self) == 1)
            #expect(try await Fixture.logSize(platform) == before + 1)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "INC-2026-0001", on: platform.services.db).count == 1)
        }
    }

    @Test("an amendment draft stays private: the public, other organisations and the feeds see only the published version")
    func amendmentDraftPrivate() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let (_, id) = try await member.createIncident()
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}").status == .created)

            // Given an amendment draft with a new title …
            clock.set(jst(2026, 5, 8, 9))
            #expect(try await member.post("/api/v1/disclosure/incidents/INC-2026-0001/amendments",
                                          #"{"informationAvailableAt":"2026-05-07T18:00:00+09:00","reason":"被害範囲が判明した"}"#).status == .created)
            let secret = Fixture.completeContent.replacingOccurrences(of: "ランサムウェアによるシステム障害", with: "未公表の続報タイトル")
            #expect(try await member.put("/api/v1/disclosure/incidents/\(id)", #"{"content":\#(secret)}"#).status == .ok)

            // … the public and another organisation read version 1 only, in the API, the pages and the feeds.
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            for reader in [APIClient(client), cloud] {
                let view = try await reader.get("/api/v1/disclosure/incidents/INC-2026-0001")
                #expect(view.status == .ok)
                #expect(view.object["draft"] == nil)
                #expect(!view.text.contains("未公表の続報タイトル"))
                #expect((view.object["content"] as? [String: Any])?["title"] as? String == "ランサムウェアによるシステム障害")
                #expect(try await reader.get("/api/v1/disclosure/incidents/INC-2026-0001/versions/2").status == .notFound)
            }
            for path in ["/disclosure/incidents/INC-2026-0001", "/disclosure/incidents", "/disclosure/incidents/feed.atom",
                         "/disclosure/incidents/feed.json", "/disclosure/incidents.csv", "/api/v1/disclosure/incidents"] {
                let reply = try await APIClient(client).get(path)
                #expect(reply.status == .ok, "\(path)")
                #expect(!reply.text.contains("未公表の続報タイトル"), "\(path)")
            }
            // The company and reviewers see the draft.
            let insider = try await Fixture.reviewer(platform, client).get("/api/v1/disclosure/incidents/INC-2026-0001")
            #expect(((insider.object["draft"] as? [String: Any])?["content"] as? [String: Any])?["title"] as? String == "未公表の続報タイトル")
            #expect(insider.obligation("tse-amendment:2")?["dueDate"] as? String == "2026-05-13")
        }
    }

    @Test("delays: only the company requests and only reviewers decide; a rejection changes nothing; nothing is delayed after the deadline")
    func delayRefusals() async throws {
        let clock = Clock(fixed: jst(2026, 6, 2, 15))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let reviewer = try await Fixture.reviewer(platform, client)
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            let (_, id) = try await member.createIncident(Fixture.incidentJSON(discovered: "2026-06-01T08:00:00+09:00", determined: "2026-06-01T10:00:00+09:00"))
            let body = #"{"grounds":"警察から、公表が捜査に重大な支障を及ぼすとして延期の要請を受けているため。","until":"2026-06-12T17:00:00+09:00"}"#

            // Another organisation cannot even see the draft; reviewers do not request delays for companies.
            #expect(try await cloud.post("/api/v1/disclosure/incidents/\(id)/delays", body).status == .notFound)
            #expect(try await reviewer.post("/api/v1/disclosure/incidents/\(id)/delays", body).status == .forbidden)
            #expect(try await APIClient(client).post("/api/v1/disclosure/incidents/\(id)/delays", body).status == .unauthorized)
            #expect(try await platform.count(DelayRequest.self) == 0)

            // A rejection needs a reason and leaves the clock as it was.
            let first = try await member.post("/api/v1/disclosure/incidents/\(id)/delays", body)
            #expect(first.status == .created, "\(first.text)")
            let firstID = try #require(first.object["id"] as? String)
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/delays", body).status == .conflict)
            #expect(try await cloud.post("/api/v1/disclosure/delays/\(firstID)/decision", #"{"decision":"approve"}"#).status == .forbidden)
            #expect(try await reviewer.post("/api/v1/disclosure/delays/\(firstID)/decision", #"{"decision":"reject","note":"根拠となる要請文書が確認できない。"}"#).status == .ok)
            #expect(try await member.get("/api/v1/disclosure/incidents/\(id)").obligation("tse-timely")?["dueDate"] as? String == "2026-06-05")

            // A second request is still pending when the deadline passes: it can no longer be approved.
            let second = try await member.post("/api/v1/disclosure/incidents/\(id)/delays", body)
            let secondID = try #require(second.object["id"] as? String)
            clock.set(jst(2026, 6, 6, 9))
            let tooLate = try await reviewer.post("/api/v1/disclosure/delays/\(secondID)/decision", #"{"decision":"approve"}"#)
            #expect(tooLate.status == .conflict)
            #expect(tooLate.isProblem)
            let after = try await member.get("/api/v1/disclosure/incidents/\(id)")
            #expect(after.obligation("tse-timely")?["status"] as? String == "overdue")
            #expect(after.obligation("tse-timely")?["dueDate"] as? String == "2026-06-05")
            // Withdrawn, and a new request after the deadline is refused.
            #expect(try await member.post("/api/v1/disclosure/delays/\(secondID)/end", "{}").status == .ok)
            let refused = try await member.post("/api/v1/disclosure/incidents/\(id)/delays",
                                                #"{"grounds":"警察から、公表が捜査に重大な支障を及ぼすとして延期の要請を受けているため。","until":"2026-06-20T17:00:00+09:00"}"#)
            #expect(refused.status == .conflict)
            #expect((refused.object["detail"] as? String)?.isEmpty == false)
            #expect(try await DelayRequest.query(on: platform.services.db).filter(\.$status == .approved).count() == 0)
        }
    }

    @Test("every applicable regime runs on the same incident; submissions need their required content")
    func regimes() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client, sec: true, nis2: true)
            let member = try await Fixture.member(platform, client)
            let thin = #"{"title":"不正アクセス","summary":"外部からの不正アクセスを確認した。"}"#
            let (created, id) = try await member.createIncident(Fixture.incidentJSON(personalData: true, malicious: true, content: thin))
            let keys = (created.object["obligations"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
            #expect(keys == ["tse-timely", "ppc-preliminary", "ppc-final-malicious", "nis2-early-warning", "nis2-notification", "nis2-final", "sec-8k"])
            #expect(created.obligation("nis2-early-warning")?["dueAt"] as? String == "2026-05-01T12:00:00Z")
            #expect(created.obligation("ppc-final-malicious")?["dueDate"] as? String == "2026-06-29")
            #expect(created.obligation("sec-8k")?["dueDate"] as? String == "2026-05-06")
            #expect(created.obligation("nis2-final")?["provisional"] as? Bool == true)

            // The NIS2 notification needs the business impact: refused, nothing recorded.
            let refused = try await member.post("/api/v1/disclosure/incidents/\(id)/obligations/nis2-notification/submission",
                                                #"{"submittedAt":"2026-05-01T09:30:00+09:00"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorPointers == ["/content/businessImpact"])
            #expect(try await platform.count(ObligationReport.self) == 0)
            #expect(try await member.put("/api/v1/disclosure/incidents/\(id)", #"{"content":\#(Fixture.completeContent)}"#).status == .ok)
            let recorded = try await member.post("/api/v1/disclosure/incidents/\(id)/obligations/nis2-notification/submission",
                                                 #"{"submittedAt":"2026-05-01T09:30:00+09:00","reference":"CSIRT-2026-42"}"#)
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(recorded.obligation("nis2-notification")?["status"] as? String == "metOnTime")
            #expect(recorded.obligation("nis2-final")?["provisional"] as? Bool == false)
            #expect(recorded.obligation("nis2-final")?["dueDate"] as? String == "2026-06-01")
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/obligations/nis2-notification/submission",
                                          #"{"submittedAt":"2026-05-01T09:30:00+09:00"}"#).status == .conflict)
            // The timely disclosure is met by publishing here, not by recording.
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/obligations/tse-timely/submission",
                                          #"{"submittedAt":"2026-05-01T09:30:00+09:00"}"#).status == .notFound)
            // Rules are public data; only administrators change them.
            let rules = try await APIClient(client).get("/api/v1/disclosure/regimes")
            #expect((rules.json as? [[String: Any]])?.count == RegimeRule.defaults.count)
            let change = #"{"clock":{"kind":"calendarDays","amount":3,"calendar":"government","extendToBusinessDay":false},"active":true}"#
            #expect(try await Fixture.reviewer(platform, client).put("/api/v1/disclosure/regimes/ppc-preliminary", change).status == .forbidden)
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            #expect(try await admin.put("/api/v1/disclosure/regimes/ppc-preliminary", change).status == .ok)
            #expect(try await member.get("/api/v1/disclosure/incidents/\(id)").obligation("ppc-preliminary")?["dueDate"] as? String == "2026-05-03")
            let bad = #"{"clock":{"kind":"businessDays","amount":-4,"calendar":"exchange","extendToBusinessDay":false},"active":false}"#
            let refusedRule = try await admin.put("/api/v1/disclosure/regimes/tse-timely", bad)
            #expect(refusedRule.status == .unprocessableContent)
            #expect(refusedRule.errorPointers == ["/clock/amount", "/active"])
        }
    }

    @Test("bad input is refused with a 4xx problem and nothing is written")
    func badInput() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            let before = try await Fixture.logSize(platform)
            func refused(_ json: String, _ status: HTTPResponse.Status = .unprocessableContent) async throws -> APIClient.Reply {
                let reply = try await member.post("/api/v1/disclosure/incidents", json)
                #expect(reply.status == status, "\(json) → \(reply.text)")
                #expect(reply.isProblem)
                return reply
            }
            // Determination before discovery.
            #expect(try await refused(Fixture.incidentJSON(discovered: "2026-04-30T21:00:00+09:00", determined: "2026-04-30T09:00:00+09:00")).errorPointers == ["/determinedAt"])
            // A time in the future.
            #expect(try await refused(Fixture.incidentJSON(determined: "2026-05-02T09:00:00+09:00")).errorPointers == ["/determinedAt"])
            // Long ago (outside the legal calendar).
            #expect(try await refused(Fixture.incidentJSON(discovered: "1900-01-01T00:00:00+09:00", determined: "1900-01-02T00:00:00+09:00")).errorPointers == ["/discoveredAt", "/determinedAt"])
            // Negative counts and amounts.
            let negative = Fixture.completeContent.replacingOccurrences(of: #""affectedPeople":1200"#, with: #""affectedPeople":-3"#)
            #expect(try await refused(Fixture.incidentJSON(content: negative)).errorPointers == ["/content/affectedPeople"])
            let negativeYen = #"{"title":"x","financialImpact":{"kind":"amount","amountYen":-1}}"#
            #expect(try await refused(Fixture.incidentJSON(content: negativeYen)).errorPointers == ["/content/financialImpact/amountYen"])
            // Unknown members, wrong types, unknown enum values, malformed JSON, missing fields.
            #expect(try await refused(#"{"discoveredAt":"2026-04-30T09:00:00+09:00","determinedAt":"2026-04-30T21:00:00+09:00","content":{"title":"x","sumary":"typo"}}"#).errorPointers == ["/content/sumary"])
            #expect(try await refused(Fixture.incidentJSON(content: #"{"title":"x","responseStatus":"done"}"#)).errorPointers == ["/content/responseStatus"])
            #expect(try await refused(#"{"discoveredAt":"yesterday","determinedAt":"2026-04-30T21:00:00+09:00","content":{"title":"x"}}"#).errorPointers == ["/discoveredAt"])
            _ = try await refused(#"{"discoveredAt": "#, .badRequest)
            _ = try await refused(#"{"content":{"title":"x"}}"#)
            #expect(try await member.call(.post, "/api/v1/disclosure/incidents", json: "{}", headers: [.contentType: "text/plain"]).status == .unsupportedMediaType)
            #expect(try await platform.count(Incident.self) == 0)
            #expect(try await Fixture.logSize(platform) == before)

            // Malformed identifiers when registering a company.
            let reviewer = try await Fixture.reviewer(platform, client)
            let company = try await reviewer.post("/api/v1/disclosure/companies",
                                                  #"{"corporateNumber":"1234567890123","securitiesCode":"13B0","name":"x","marketSegment":"prime","fiscalYearEndMonth":13}"#)
            #expect(company.status == .unprocessableContent)
            #expect(company.errorPointers == ["/corporateNumber", "/securitiesCode", "/fiscalYearEndMonth"])
            #expect(try await reviewer.post("/api/v1/disclosure/companies",
                                            #"{"corporateNumber":"\#(Fixture.memberCorporateNumber)","securitiesCode":"7203","name":"x","marketSegment":"prime","fiscalYearEndMonth":3}"#).status == .conflict)
            #expect(try await platform.count(ListedCompany.self) == 1)
            #expect(try await APIClient(client).get("/api/v1/disclosure/companies/13B0").status == .notFound)
            #expect(try await APIClient(client).get("/api/v1/disclosure/companies/130a").status == .ok)
        }
    }

    @Test("authorisation: who may record, edit, read and decide")
    func authorisation() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let anonymous = APIClient(client)
            #expect(try await anonymous.post("/api/v1/disclosure/incidents", Fixture.incidentJSON()).status == .unauthorized)
            // Reviewers do not file for companies; a member of an organisation that is not a listed company cannot either.
            #expect(try await Fixture.reviewer(platform, client).post("/api/v1/disclosure/incidents", Fixture.incidentJSON()).status == .forbidden)
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            let notListed = try await cloud.post("/api/v1/disclosure/incidents", Fixture.incidentJSON())
            #expect(notListed.status == .forbidden)
            #expect((notListed.object["detail"] as? String)?.contains("not registered as a listed company") == true)
            // Members register no companies.
            let member = try await Fixture.member(platform, client)
            #expect(try await member.post("/api/v1/disclosure/companies", "{}").status == .forbidden)
            // Another organisation's member can neither edit nor submit nor request delays on the company's incident.
            let (_, id) = try await member.createIncident()
            #expect(try await member.post("/api/v1/disclosure/incidents/\(id)/submit", "{}").status == .created)
            #expect(try await cloud.post("/api/v1/disclosure/incidents/\(id)/amendments",
                                         #"{"informationAvailableAt":"2026-05-01T09:00:00+09:00","reason":"x"}"#).status == .forbidden)
            #expect(try await Fixture.reviewer(platform, client).put("/api/v1/disclosure/incidents/\(id)", #"{"content":{"title":"x"}}"#).status == .forbidden)
            #expect(try await anonymous.get("/api/v1/disclosure/incidents/not-a-number").status == .notFound)
            #expect(try await anonymous.get("/api/v1/disclosure/dashboard").status == .unauthorized)
        }
    }

    @Test("reminders follow every regime's own clock: a 24-hour NIS2 early warning gets only the 6-hour mark")
    func regimeReminders() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client, nis2: true)
            let member = try await Fixture.member(platform, client)
            let (created, _) = try await member.createIncident(Fixture.incidentJSON(discovered: "2026-05-01T08:00:00+09:00", determined: "2026-05-01T09:00:00+09:00"))
            #expect(created.obligation("nis2-early-warning")?["dueAt"] as? String == "2026-05-02T00:00:00Z")
            let services = platform.services
            let account = try #require(try await Account.query(on: services.db).filter(\.$email == DemoAccounts.member).first())
            func inbox() async throws -> [NotificationRecord] {
                try await NotificationRecord.query(on: services.db).filter(\.$accountID == account.id!).filter(\.$kind ~~ "disclosure.deadline").all()
            }
            // 2026-05-02 04:00: 5 hours left for the early warning, 53 for the notification, days for the timely disclosure.
            clock.set(jst(2026, 5, 2, 4))
            try await DeadlineReminders.run(services: services)
            let sent = try await inbox()
            #expect(sent.map(\.kind) == ["disclosure.deadline.6h"])
            #expect(sent.first?.subject.contains("NIS2") == true)
            // After the early warning's deadline: one overdue notice for it; the 72-hour notification reaches its 24-hour mark later.
            clock.set(jst(2026, 5, 2, 10))
            try await DeadlineReminders.run(services: services)
            #expect(try await inbox().map(\.kind).sorted() == ["disclosure.deadline.6h", "disclosure.deadline.overdue"])
            clock.set(jst(2026, 5, 3, 10))
            try await DeadlineReminders.run(services: services)
            #expect(try await inbox().map(\.kind).sorted() == ["disclosure.deadline.24h", "disclosure.deadline.6h", "disclosure.deadline.overdue"])
        }
    }

    @Test("reminders go out once per mark before each deadline and once when it passes")
    func reminders() async throws {
        let clock = Clock(fixed: jst(2026, 5, 1, 10))
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: clock) { platform, client in
            try await Fixture.registerMemberCompany(platform, client)
            let member = try await Fixture.member(platform, client)
            _ = try await member.createIncident()
            let services = platform.services
            try await DeadlineReminders.run(services: services)
            #expect(try await platform.count(NotificationRecord.self) == 0)
            // 2026-05-10 08:00: less than 72 hours left before 05-11 23:59:59.
            clock.set(jst(2026, 5, 10, 8))
            try await DeadlineReminders.run(services: services)
            let memberAccount = try #require(try await Account.query(on: services.db).filter(\.$email == DemoAccounts.member).first())
            func inbox() async throws -> [NotificationRecord] {
                try await NotificationRecord.query(on: services.db).filter(\.$accountID == memberAccount.id!).all()
            }
            #expect(try await inbox().count == 1)
            #expect(try await inbox().first?.kind == "disclosure.deadline.72h")
            try await DeadlineReminders.run(services: services)
            #expect(try await inbox().count == 1)
            clock.set(jst(2026, 5, 11, 20))
            try await DeadlineReminders.run(services: services)
            #expect(try await inbox().map(\.kind).sorted() == ["disclosure.deadline.6h", "disclosure.deadline.72h"])
            clock.set(jst(2026, 5, 12, 1))
            try await DeadlineReminders.run(services: services)
            try await DeadlineReminders.run(services: services)
            #expect(try await inbox().filter { $0.kind == "disclosure.deadline.overdue" }.count == 1)
            let reviewer = try #require(try await Account.query(on: services.db).filter(\.$email == DemoAccounts.reviewer).first())
            #expect(try await NotificationRecord.query(on: services.db).filter(\.$accountID == reviewer.id!).filter(\.$kind == "disclosure.deadline.overdue").count() == 1)
        }
    }
}

extension APIClient {
    /// Records an incident draft (`POST /api/v1/disclosure/incidents`), expects it created and
    /// returns the reply with the new incident's id; failures are reported at the caller.
    func createIncident(_ json: String = Fixture.incidentJSON(),
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> (reply: Reply, id: String) {
        let reply = try await post("/api/v1/disclosure/incidents", json)
        #expect(reply.status == .created, "\(reply.text)", sourceLocation: sourceLocation)
        let id = try #require((reply.object["incident"] as? [String: Any])?["id"] as? String, sourceLocation: sourceLocation)
        return (reply, id)
    }
}
