import FluentKit
import Foundation
import HTTPTypes
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

/// The registry's fields, sorting and paging of the public lists, audit events next to log
/// entries, withdrawal, the configurable report cycle, questionnaire files and formats, and
/// crosswalk formats with every relationship.
@Suite("Lists, public records, questionnaires and crosswalks")
struct ListsAndRecordsTests {
    static func json(_ object: [String: Any]) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self) }

    @Test("a service keeps its model, regions, law, court, contacts and certifications; evidence files only for the owner")
    func registryFields() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let created = try await kit.provider.post("/api/v1/cloud/services", Self.json([
                "name": "フィールド確認クラウド", "serviceModel": "paas", "description": "確認用", "governingLaw": "日本法", "jurisdiction": "大阪地方裁判所",
                "regions": ["JP-27", "US"], "contacts": [["role": "security", "name": "山田太郎", "email": "sec@example.jp", "phone": "06-0000-0000"],
                                                       ["role": "sales", "email": "sales@example.jp"]],
            ]))
            #expect(created.status == .created, "\(created.text)")
            let number = try #require(created.object["number"] as? String)
            let kinds = ["iso-27017", "iso-27018", "soc2-type2", "fedramp-moderate", "govramp", "csa-star"]
            var certIDs: [String] = []
            for (i, kind) in kinds.enumerated() {
                let cert = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications", Self.json([
                    "kind": kind, "issuer": "認証機関\(i)", "certificateNumber": "NO-\(i)", "scope": "フィールド確認クラウドの提供", "coversService": true,
                    "validFrom": "2025-04-01", "validUntil": "2027-03-31",
                ]))
                #expect(cert.status == .created, "\(kind): \(cert.text)")
                certIDs.append(cert.object["id"] as? String ?? "")
            }
            // A validity that ends before it starts, and an unknown kind, are refused with the field named.
            let backwards = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications", Self.json([
                "kind": "iso-27001", "issuer": "X", "certificateNumber": "N", "scope": "S", "coversService": true, "validFrom": "2027-01-01", "validUntil": "2026-01-01",
            ]))
            #expect(backwards.status == .unprocessableContent && backwards.pointers == ["/validUntil"])
            let unknownKind = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications", Self.json([
                "kind": "iso-9001", "issuer": "X", "certificateNumber": "N", "scope": "S", "coversService": true, "validFrom": "2025-01-01", "validUntil": "2027-01-01",
            ]))
            #expect(unknownKind.status == .unprocessableContent && unknownKind.pointers == ["/kind"])

            let pdf = Data("%PDF-1.7 certificate".utf8).base64EncodedString()
            let attached = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications/\(certIDs[0])/evidence",
                                                       Self.json(["filename": "27017.pdf", "mediaType": "application/pdf", "content": pdf]))
            #expect(attached.status == .created, "\(attached.text)")

            let own = try await kit.provider.get("/api/v1/cloud/services/\(number)")
            #expect(own.object["serviceModel"] as? String == "paas")
            #expect(own.object["regions"] as? [String] == ["JP-27", "US"])
            #expect(own.object["governingLaw"] as? String == "日本法" && own.object["jurisdiction"] as? String == "大阪地方裁判所")
            let contacts = try #require(own.object["contacts"] as? [[String: Any]])
            #expect(contacts.compactMap { $0["role"] as? String } == ["security", "sales"] && contacts.first?["name"] as? String == "山田太郎")
            let certs = try #require(own.object["certifications"] as? [[String: Any]])
            #expect(Set(certs.compactMap { $0["kind"] as? String }) == Set(kinds))
            let first = try #require(certs.first { $0["id"] as? String == certIDs[0] })
            #expect(first["issuer"] as? String == "認証機関0" && first["certificateNumber"] as? String == "NO-0" && first["scope"] as? String == "フィールド確認クラウドの提供")
            #expect(first["validFrom"] as? String == "2025-04-01" && first["validUntil"] as? String == "2027-03-31" && first["valid"] as? Bool == true)
            #expect((first["evidence"] as? [[String: Any]])?.compactMap { $0["filename"] as? String } == ["27017.pdf"])

            // Published through a Ready listing: the public sees the facts, not the evidence or personal names.
            let serviceID = try #require(created.object["id"] as? String)
            let ready = try #require(try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID)).object["number"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "submit")
            _ = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list")
            let open = try await kit.anonymous.get("/api/v1/cloud/services/\(number)")
            #expect(open.status == .ok)
            let publicCerts = try #require(open.object["certifications"] as? [[String: Any]])
            #expect(publicCerts.count == kinds.count && publicCerts.allSatisfy { $0["evidence"] == nil })
            #expect((open.object["contacts"] as? [[String: Any]])?.allSatisfy { $0["name"] == nil } == true)
            var browser = Browser(client)
            let page = try await browser.get("/cloud/services/\(number)")
            #expect(page.body.contains("大阪府") && page.body.contains("アメリカ合衆国") && page.body.contains("大阪地方裁判所") && page.body.contains("NO-3"))
            #expect(page.body.contains("GovRAMP") && page.body.contains("CSA STAR") && !page.body.contains("27017.pdf") && !page.body.contains("山田太郎"))
            #expect(try await kit.list("ready", query: "?certification=govramp").count == 1)
            #expect(try await kit.list("ready", query: "?certification=iso-27001").isEmpty)
            #expect(try await kit.list("ready", query: "?region=US").count == 1)
            #expect(try await kit.list("ready", query: "?region=JP-13").isEmpty)
        }
    }

    @Test("lists sort and page; the page keeps filters and page size; CSV, Atom and data.json carry the entries")
    func sortingAndPaging() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            // Names and registration dates in different orders, so each sort gives a different sequence.
            for (name, registered) in [("Aクラウド", "2026-05-01"), ("Bクラウド", "2026-03-01"), ("Cクラウド", "2026-04-01")] {
                let (number, _) = try await kit.service(name)
                let recorded = try await kit.reviewer.post("/api/v1/cloud/registration-records",
                                                           Self.json(["serviceNumber": number, "list": "ismap", "registeredOn": registered, "auditFirm": "監査法人"]))
                #expect(recorded.status == .created, "\(recorded.text)")
            }
            func names(_ query: String) async throws -> [String] {
                try await kit.list("ismap", query: query).compactMap { ($0["service"] as? [String: Any])?["name"] as? String }
            }
            #expect(try await names("?sort=name") == ["Aクラウド", "Bクラウド", "Cクラウド"])
            #expect(try await names("?sort=-name") == ["Cクラウド", "Bクラウド", "Aクラウド"])
            #expect(try await names("?sort=since") == ["Bクラウド", "Cクラウド", "Aクラウド"])
            #expect(try await names("?sort=-since") == ["Aクラウド", "Cクラウド", "Bクラウド"])

            let first = try await kit.anonymous.get("/api/v1/cloud/lists/ismap?sort=name&limit=2")
            #expect(first.object["total"] as? Int == 3 && (first.object["items"] as? [Any])?.count == 2 && first.object["nextPage"] as? Int == 2)
            let second = try await kit.anonymous.get("/api/v1/cloud/lists/ismap?sort=name&limit=2&page=2")
            #expect((second.object["items"] as? [[String: Any]])?.compactMap { ($0["service"] as? [String: Any])?["name"] as? String } == ["Cクラウド"])
            #expect(second.object["nextPage"] == nil || second.object["nextPage"] is NSNull)
            #expect(try await kit.anonymous.get("/api/v1/cloud/lists/ismap?page=0").status == .badRequest)

            var browser = Browser(client)
            let page = try await browser.get("/cloud/lists/ismap?sort=-name&limit=2&page=2")
            #expect(page.status == .ok && page.body.contains("Aクラウド") && !page.body.contains("Cクラウド"))
            #expect(page.body.contains("href=\"/cloud/lists/ismap?sort=-name&amp;limit=2&amp;page=1\""), "the previous-page link keeps the sort and the page size")
            let filtered = try await browser.get("/cloud/lists/ismap?q=B")
            // Search is normalised (NFKC, case-folded); the box keeps what was typed; the exports keep the filter.
            #expect(filtered.body.contains("/cloud/lists/ismap.csv?q=b") && filtered.body.contains("value=\"B\""))

            let csv = try await browser.get("/cloud/lists/ismap.csv?q=B")
            #expect(csv.body.contains("Bクラウド") && !csv.body.contains("Aクラウド"))
            let atom = try await browser.get("/cloud/lists/ismap.atom")
            #expect(atom.headers[.contentType]?.contains("atom") == true)
            #expect(["Aクラウド", "Bクラウド", "Cクラウド"].allSatisfy { atom.body.contains($0) })
            _ = try await kit.runJob("cloud.snapshot")
            let snapshot = try await browser.get("/cloud/data.json")
            let lists = try #require((try JSONSerialization.jsonObject(with: Data(snapshot.body.utf8)) as? [String: Any])?["lists"] as? [String: Any])
            #expect(String(decoding: try JSONSerialization.data(withJSONObject: lists["ismap"] ?? []), as: UTF8.self).contains("ISMAP-2026-0003"))
        }
    }

    @Test("every status change is audited; public ones also logged; withdrawal; the report cycle follows the setting; an entered LIU registration links the Ready listing")
    func publicRecords() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let settings = String(decoding: try API.encoder.encode(CloudSettings.defaults), as: UTF8.self)
            #expect(try await kit.admin.call(.put, "/api/v1/cloud/settings", json: settings.replacingOccurrences(of: "\"reportIntervalMonths\":6", with: "\"reportIntervalMonths\":3")).status == .ok)

            // Listed with a three-month cycle, for ISMAP-LIU.
            let (number, serviceID) = try await kit.service("記録確認クラウド")
            let declared = try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID).replacingOccurrences(of: "\"targetList\":\"ismap\"", with: "\"targetList\":\"liu\""))
            let ready = try #require(declared.object["number"] as? String)
            let listingID = try #require(declared.object["id"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(ready)/events", "submit")
            let listed = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(ready)/events", "list")
            #expect(listed.object["nextReportDue"] as? String == "2026-09-01")
            // The pages name the configured cycle, not a fixed six months.
            var provider = Browser(client)
            _ = try await provider.signIn(CloudKit.providerEmail)
            let listingPage = try await provider.get("/cloud/ready-listings/\(try #require(declared.object["id"] as? String))")
            #expect(listingPage.body.contains("3か月ごとに進捗を報告してください") && listingPage.body.contains("30日の猶予期間") && !listingPage.body.contains("6か月"))
            #expect(try await provider.get("/cloud/lists/ready").body.contains("3か月ごとに進捗を報告します"))

            // Evidence of the declaration: attached by the provider, seen by reviewers, never by the public.
            let contract = Data("%PDF-1.7 contract".utf8).base64EncodedString()
            let evidencePath = "/api/v1/cloud/ready/\(ready)/evidence"
            let evidenceBody = Self.json(["filename": "監査契約書.pdf", "mediaType": "application/pdf", "content": contract])
            #expect(try await kit.provider.post(evidencePath, evidenceBody).status == .created)
            #expect(try await kit.reviewer.post(evidencePath, evidenceBody).status == .forbidden)
            #expect(try await kit.other.post(evidencePath, evidenceBody).status == .notFound)
            #expect(try await kit.anonymous.post(evidencePath, evidenceBody).status == .unauthorized)
            // Acting on a published record without signing in is a 401, not a 404.
            #expect(try await kit.event(kit.anonymous, "/api/v1/cloud/ready/\(ready)/events", "withdraw").status == .unauthorized)
            #expect(try await kit.anonymous.post("/api/v1/cloud/ready/\(ready)/reports", #"{"progress":"x"}"#).status == .unauthorized)
            #expect((try await kit.reviewer.get("/api/v1/cloud/ready/\(ready)").object["evidence"] as? [[String: Any]])?.compactMap { $0["filename"] as? String } == ["監査契約書.pdf"])
            #expect(try await kit.anonymous.get("/api/v1/cloud/ready/\(ready)").object["evidence"] == nil)
            var reviewerBrowser = Browser(client)
            _ = try await reviewerBrowser.signIn(DemoAccounts.reviewer)
            #expect(try await reviewerBrowser.get("/cloud/ready-listings/\(listingID)").body.contains("監査契約書.pdf"))
            var visitorBrowser = Browser(client)
            #expect(try await visitorBrowser.get("/cloud/ready-listings/\(listingID)").body.contains("監査契約書.pdf") == false)

            let events = try await AuditEvent.query(on: kit.services.db).filter(\.$targetID == listingID).sort(\.$occurredAt).all()
            #expect(events.map(\.action) == ["cloud.ready.create", "cloud.ready.submit", "cloud.ready.list", "cloud.attachment.add"])
            // Only the public step carries a transparency-log index, and that entry exists.
            #expect(events.map { $0.summary.contains("logIndex") } == [false, false, true, false])
            let history = try #require(try await kit.provider.get("/api/v1/cloud/services/\(number)/history").json as? [[String: Any]])
            let logIndex = try #require(history.first { $0["event"] as? String == "list" }?["logIndex"] as? Int)
            #expect(try await kit.anonymous.get("/api/v1/log/proof/inclusion?index=\(logIndex)").status == .ok)
            let entries = try await kit.anonymous.get("/api/v1/log/entries?start=\(logIndex)&end=\(logIndex + 1)")
            #expect(entries.status == .ok && entries.text.contains(ready))
            #expect(history.filter { $0["event"] as? String != "list" }.allSatisfy { $0["logIndex"] == nil })

            // From the page: the provider sends a file with the form; nothing chosen is a field error; reviewers may not.
            let listingHref = "/cloud/ready-listings/\(listingID)"
            try await provider.get(listingHref)
            let sent = try await provider.upload(listingHref + "/evidence", [], files: [("file", "ギャップ評価.pdf", "application/pdf", Data("%PDF-1.7 gap".utf8))])
            #expect(sent.status == .seeOther, "\(sent.status) \(sent.body.prefix(300))")
            try await provider.get(listingHref)
            let none = try await provider.upload(listingHref + "/evidence", [], files: [])
            #expect(none.status == .unprocessableContent && none.body.contains("添付するファイルを選んでください") && none.body.contains("aria-invalid=\"true\""))
            try await reviewerBrowser.get(listingHref)
            #expect(try await reviewerBrowser.upload(listingHref + "/evidence", [], files: [("file", "r.pdf", "application/pdf", Data("%PDF-1 r".utf8))]).status == .forbidden)
            #expect((try await kit.reviewer.get("/api/v1/cloud/ready/\(ready)").object["evidence"] as? [[String: Any]])?.compactMap { $0["filename"] as? String }
                    == ["監査契約書.pdf", "ギャップ評価.pdf"])

            // An existing ISMAP-LIU registration entered by a reviewer moves the listing to registered and links it.
            let recorded = try await kit.reviewer.post("/api/v1/cloud/registration-records", Self.json(["serviceNumber": number, "list": "liu", "registeredOn": "2026-06-01"]))
            #expect(recorded.status == .created, "\(recorded.text)")
            let linked = try await kit.anonymous.get("/api/v1/cloud/ready/\(ready)")
            #expect(linked.object["status"] as? String == "registered" && linked.object["registrationNumber"] as? String == "LIU-2026-0001")
            let publicHistory = try #require(try await kit.anonymous.get("/api/v1/cloud/services/\(number)/history").json as? [[String: Any]])
            #expect(publicHistory.allSatisfy { $0["logIndex"] is Int })
            #expect(Set(publicHistory.compactMap { $0["list"] as? String }) == ["ready", "liu"])

            // Withdrawing a draft leaves no public trace; withdrawing a listing is public and stays visible as withdrawn.
            let (draftNumber, draftService) = try await kit.service("取下げ下書き")
            let draft = try #require(try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(draftService)).object["number"] as? String)
            #expect(try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(draft)/events", "withdraw").status == .forbidden)
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(draft)/events", "withdraw").object["status"] as? String == "withdrawn")
            #expect(try await kit.anonymous.get("/api/v1/cloud/ready/\(draft)").status == .notFound)
            #expect(try await kit.anonymous.get("/api/v1/cloud/services/\(draftNumber)").status == .notFound)

            let (_, listedService) = try await kit.service("取下げ掲載")
            let second = try #require(try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(listedService)).object["number"] as? String)
            _ = try await kit.event(kit.provider, "/api/v1/cloud/ready/\(second)/events", "submit")
            _ = try await kit.event(kit.reviewer, "/api/v1/cloud/ready/\(second)/events", "list")
            #expect(try await kit.list("ready").contains { $0["recordNumber"] as? String == second })
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(second)/events", "withdraw").object["status"] as? String == "withdrawn")
            #expect(try await kit.list("ready").allSatisfy { $0["recordNumber"] as? String != second })
            let all = try await kit.list("ready", query: "?status=all")
            #expect(all.first { $0["recordNumber"] as? String == second }?["status"] as? String == "withdrawn")
            #expect(all.allSatisfy { $0["recordNumber"] as? String != draft })
            // A withdrawn listing is final.
            #expect(try await kit.event(kit.provider, "/api/v1/cloud/ready/\(second)/events", "submit").status == .conflict)
        }
    }

    @Test("question sets: CSV and JSON import as new versions, CSV and JSON export; answers carry files for the provider and reviewers")
    func questionnaireFiles() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let csv = """
            number,category,text_ja,text_en,guidance_ja,controls
            Q1,ガバナンス,"基本方針を示してください。","Show the policy.",承認記録を添付できます。,5.1.1.1.B
            Q2,暗号,"鍵の管理方法を示してください。","Show key management.",,8.1.2.7.PB 10.1.2.20.PB
            """
            let body = Self.json(["format": "csv", "csv": csv, "code": "csv-set", "title": "CSVの質問票"])
            let v1 = try await kit.reviewer.post("/api/v1/cloud/question-sets", body)
            #expect(v1.status == .created, "\(v1.text)")
            #expect(v1.object["version"] as? Int == 1)
            #expect(try await kit.reviewer.post("/api/v1/cloud/question-sets", body).object["version"] as? Int == 2)
            let noText = try await kit.reviewer.post("/api/v1/cloud/question-sets", Self.json(["format": "csv", "csv": "number,category\nQ1,x\n", "code": "csv-set", "title": "t"]))
            #expect(noText.status == .unprocessableContent && noText.pointers == ["/csv"])
            #expect((noText.errors.first?["detailJa"] as? String)?.contains("text_ja") == true)

            var browser = Browser(client)
            let exportedCSV = try await browser.get("/cloud/question-sets/csv-set/2/questions.csv")
            #expect(exportedCSV.status == .ok && exportedCSV.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(exportedCSV.body.contains("鍵の管理方法を示してください。") && exportedCSV.body.contains("8.1.2.7.PB 10.1.2.20.PB"))
            let exportedJSON = try await browser.get("/cloud/question-sets/csv-set/2/questions.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(exportedJSON.body.utf8)) as? [String: Any])
            let questions = try #require(document["questions"] as? [[String: Any]])
            #expect(questions.compactMap { $0["number"] as? String } == ["Q1", "Q2"])
            #expect(questions.last?["controls"] as? [String] == ["8.1.2.7.PB", "10.1.2.20.PB"])
            // The JSON export imports again as the next version with the same questions.
            let v3 = try await kit.reviewer.post("/api/v1/cloud/question-sets", #"{"format":"json","document":"# + exportedJSON.body + "}")
            #expect(v3.status == .created && v3.object["version"] as? Int == 3, "\(v3.text)")
            let api = try await kit.anonymous.get("/api/v1/cloud/question-sets/csv-set/3")
            #expect((api.object["questions"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == questions.compactMap { $0["text"] as? String })
            #expect(try await kit.anonymous.get("/api/v1/cloud/question-sets/csv-set/9").status == .notFound)

            // A provisional status with this set: an answer with an attached file.
            try await kit.importQuestionSet()
            let (_, serviceID) = try await kit.service()
            let number = try await FastTrackHTTPTests().provisional(kit, serviceID: serviceID)
            // The reviewer verifying the application sees the copy of the certificate attached to it.
            let application = try await kit.provider.get("/api/v1/cloud/fast-track/\(number)")
            let certID = try #require((application.object["certificate"] as? [String: Any])?["id"] as? String)
            let serviceNumber = try #require(application.object["serviceNumber"] as? String)
            let copy = try await kit.provider.post("/api/v1/cloud/services/\(serviceNumber)/certifications/\(certID)/evidence",
                                                   Self.json(["filename": "27017証明書.pdf", "mediaType": "application/pdf", "content": Data("%PDF-1.4 x".utf8).base64EncodedString()]))
            #expect(copy.status == .created, "\(copy.text)")
            let seen = try await kit.reviewer.get("/api/v1/cloud/fast-track/\(number)")
            #expect(((seen.object["certificate"] as? [String: Any])?["evidence"] as? [[String: Any]])?.first?["filename"] as? String == "27017証明書.pdf")
            #expect((try await kit.anonymous.get("/api/v1/cloud/fast-track/\(number)").object["certificate"] as? [String: Any])?["evidence"] == nil)
            _ = try await kit.provider.call(.put, "/api/v1/cloud/fast-track/\(number)/answers/Q1.1", json: #"{"answer":"2024年4月1日に承認しました。"}"#)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]).base64EncodedString()
            let attached = try await kit.provider.post("/api/v1/cloud/fast-track/\(number)/answers/Q1.1/attachments",
                                                       Self.json(["filename": "承認記録.png", "mediaType": "image/png", "content": png]))
            #expect(attached.status == .created, "\(attached.text)")
            let url = try #require(attached.object["url"] as? String)
            let fake = try await kit.provider.post("/api/v1/cloud/fast-track/\(number)/answers/Q1.1/attachments",
                                                   Self.json(["filename": "x.png", "mediaType": "image/png", "content": Data("MZ....".utf8).base64EncodedString()]))
            #expect(fake.status == .unprocessableContent && fake.pointers == ["/mediaType"])
            #expect(try await kit.reviewer.post("/api/v1/cloud/fast-track/\(number)/answers/Q1.1/attachments",
                                                Self.json(["filename": "r.png", "mediaType": "image/png", "content": png])).status == .forbidden)
            let questionnaire = try await kit.reviewer.get("/api/v1/cloud/fast-track/\(number)/questionnaire")
            let item = try #require((questionnaire.object["questions"] as? [[String: Any]])?.first { $0["number"] as? String == "Q1.1" })
            #expect((item["attachments"] as? [[String: Any]])?.compactMap { $0["filename"] as? String } == ["承認記録.png"])
            #expect(try await kit.reviewer.get(url).status == .ok)
            #expect(try await kit.provider.get(url).headers[.contentType] == "application/octet-stream")
            #expect(try await kit.other.get(url).status == .notFound)
            #expect(try await kit.anonymous.get(url).status == .unauthorized)
            #expect(try await kit.other.get("/api/v1/cloud/fast-track/\(number)/questionnaire").status == .notFound)

            // The same from the page: a browser form sends the file; a CSV labelled by Windows as Excel is kept as CSV.
            let applicationID = try #require(application.object["id"] as? String)
            let questionID = try #require(item["questionId"] as? String)
            var providerPage = Browser(client)
            _ = try await providerPage.signIn(CloudKit.providerEmail)
            let page = try await providerPage.get("/cloud/fast-track-applications/\(applicationID)")
            #expect(page.body.contains("enctype=\"multipart/form-data\""))
            let action = "/cloud/fast-track-applications/\(applicationID)/answers/\(questionID)/attachments"
            let uploaded = try await providerPage.upload(action, [], files: [("file", "手順書.csv", "application/vnd.ms-excel", Data("項目,値\n承認,済\n".utf8))])
            #expect(uploaded.status == .seeOther, "\(uploaded.status) \(uploaded.body.prefix(300))")
            try await providerPage.get("/cloud/fast-track-applications/\(applicationID)")
            let empty = try await providerPage.upload(action, [], files: [])
            #expect(empty.status == .unprocessableContent && empty.body.contains("添付するファイルを選んでください"))
            try await providerPage.get("/cloud/fast-track-applications/\(applicationID)")
            let forged = try await providerPage.upload(action, [], files: [("file", "x.pdf", "application/pdf", Data("MZ..".utf8))])
            #expect(forged.status == .unprocessableContent)
            let after = try await kit.reviewer.get("/api/v1/cloud/fast-track/\(number)/questionnaire")
            let files = (after.object["questions"] as? [[String: Any]])?.first { $0["number"] as? String == "Q1.1" }?["attachments"] as? [[String: Any]]
            #expect(files?.compactMap { $0["filename"] as? String } == ["承認記録.png", "手順書.csv"])
            #expect(files?.compactMap { $0["mediaType"] as? String } == ["image/png", "text/csv"])
            var reviewer = Browser(client)
            _ = try await reviewer.signIn(DemoAccounts.reviewer)
            try await reviewer.get("/cloud/fast-track-applications/\(applicationID)")
            #expect(try await reviewer.upload(action, [], files: [("file", "r.csv", "text/csv", Data("a\n".utf8))]).status == .forbidden)
        }
    }

    @Test("crosswalk CSV with every relationship: imported, exported as CSV and as an OSCAL mapping collection, re-imported unchanged; bad rows named")
    func crosswalkFormats() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let ismap = String(decoding: try CloudDemo.sample("ismap-sample.csv"), as: UTF8.self)
            #expect(try await kit.reviewer.post("/api/v1/cloud/catalogues", Self.json(["key": "ismap", "format": "ismap-csv", "csv": ismap, "target": true])).status == .created)
            let iso = String(decoding: try CloudDemo.sample("iso27001-sample.json"), as: UTF8.self)
            #expect(try await kit.reviewer.post("/api/v1/cloud/catalogues", #"{"key":"iso","format":"oscal","evidenceFor":["iso-27001"],"document":"# + iso + "}").status == .created)
            let rows = [
                "A.5.1,equal-to,5.1.1.1.B,1,0.9,同一",
                "A.5.2,equivalent-to,6.1.1.1.B,,,",
                "A.5.9,superset-of,8.1.1.1.B,,0.8,",
                "A.5.16,subset-of,9.2.1.1.B,0.5,,一部",
                "A.5.15,intersects-with,9.2.1.2.B,0.3,0.7,",
                "A.5.35,no-relationship,8.1.2.7.PB,,,",
            ]
            let csv = "source,relationship,target,coverage,confidence,remarks\n" + rows.joined(separator: "\n") + "\n"
            let imported = try await kit.reviewer.post("/api/v1/cloud/crosswalks", Self.json(["key": "all-kinds", "format": "csv", "csv": csv, "title": "全関係", "source": "iso", "target": "ismap"]))
            #expect(imported.status == .created, "\(imported.text)")
            #expect(imported.object["maps"] as? Int == 6)

            var browser = Browser(client)
            let exported = try await browser.get("/cloud/crosswalks/all-kinds/mapping.csv")
            let lines = exported.body.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\u{FEFF}", with: "")
                .components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(lines.first == "source,relationship,target,coverage,confidence,remarks")
            #expect(Set(lines.dropFirst()) == Set(rows), "\(lines)")
            let oscal = try await kit.anonymous.get("/api/v1/cloud/crosswalks/all-kinds")
            let collection = try OSCAL.mappingCollection(from: Data(buffer: oscal.body))
            #expect(Set(collection.maps.map(\.relationship)) == Set(MappingRelationship.allCases))
            let intersects = try #require(collection.maps.first { $0.relationship == .intersectsWith })
            #expect(intersects.coverage == 0.3 && intersects.confidence == 0.7)
            // Both exports import again to the same rows.
            let again = try await kit.reviewer.post("/api/v1/cloud/crosswalks", Self.json(["key": "again", "format": "csv", "csv": exported.body, "title": "再", "source": "iso", "target": "ismap"]))
            #expect(again.status == .created, "\(again.text)")
            let fromOSCAL = try await kit.reviewer.post("/api/v1/cloud/crosswalks", #"{"key":"again-oscal","format":"oscal","source":"iso","target":"ismap","document":"# + oscal.text + "}")
            #expect(fromOSCAL.status == .created, "\(fromOSCAL.text)")
            for key in ["again", "again-oscal"] {
                let body = try await browser.get("/cloud/crosswalks/\(key)/mapping.csv").body
                #expect(Set(body.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: .newlines).filter { !$0.isEmpty }.dropFirst()) == Set(rows), "\(key)")
            }

            // Worked example over HTTP with only this crosswalk (the copies map the same pairs, so they change nothing):
            // ISO/IEC 27001 covers 5.1.1.1.B, 6.1.1.1.B, 8.1.1.1.B fully and 9.2.1.1.B, 9.2.1.2.B partly; 29 of 34 need a full audit.
            // Per audit: 3,000,000 + 29 × 60,000 + 2 × 60,000 × 50% + 3 × 5,000 = 4,815,000; baseline 3,000,000 + 34 × 60,000 = 5,040,000.
            let scope = try await browser.get("/cloud/audit-scope.json?certification=iso-27001&cycle=biennial")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(scope.body.utf8)) as? [String: Any])
            #expect(result["controls"] as? Int == 34 && result["full"] as? Int == 3 && result["partial"] as? Int == 2 && result["none"] as? Int == 29)
            let coverage = Dictionary(uniqueKeysWithValues: (result["results"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0["coverage"] as? String ?? "") })
            #expect(coverage["5.1.1.1.B"] == "full" && coverage["6.1.1.1.B"] == "full" && coverage["8.1.1.1.B"] == "full")
            #expect(coverage["9.2.1.1.B"] == "partial" && coverage["9.2.1.2.B"] == "partial" && coverage["8.1.2.7.PB"] == "none")
            let estimates = try #require(result["estimates"] as? [[String: Any]])
            let annual = try #require(estimates.first { $0["cycle"] as? String == "annual" }), biennial = try #require(estimates.first { $0["cycle"] as? String == "biennial" })
            #expect(annual["perAuditYen"] as? Int == 4_815_000 && annual["baselinePerAuditYen"] as? Int == 5_040_000 && annual["perYearYen"] as? Int == 4_815_000)
            #expect(biennial["perYearYen"] as? Int == 2_407_500 && biennial["baselinePerYearYen"] as? Int == 5_040_000)
            let scopeCSV = try await browser.get("/cloud/audit-scope.csv?certification=iso-27001")
            #expect(scopeCSV.body.contains("9.2.1.1.B,") && scopeCSV.body.contains("iso:A.5.16 subset-of ismap:9.2.1.1.B"))

            let bad = "source,relationship,target,coverage\nA.5.1,similar-to,5.1.1.1.B,\nA.5.2,equal-to,6.1.1.1.B,80%\n"
            let refused = try await kit.reviewer.post("/api/v1/cloud/crosswalks", Self.json(["key": "bad", "format": "csv", "csv": bad, "title": "誤り", "source": "iso", "target": "ismap"]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.pointers == ["/csv/line/2", "/csv/line/3"])
            #expect((refused.errors.first?["detail"] as? String)?.contains("no-relationship") == true)
            #expect((refused.errors.last?["detailJa"] as? String)?.contains("0〜1の数値") == true)
            #expect(try await kit.anonymous.get("/api/v1/cloud/crosswalks/bad").status == .notFound)
        }
    }

    @Test("the shared OSCAL profile and basic example import over the API and export unchanged; the profile page resolves against the Low baseline")
    func sharedOSCALFiles() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            for (key, name) in [("low", OSCALTests.low), ("moderate", "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"), ("basic", "basic-catalog.json")] {
                let text = String(decoding: try OSCALTests.file(name), as: UTF8.self)
                let imported = try await kit.reviewer.post("/api/v1/cloud/catalogues", #"{"key":"\#(key)","format":"oscal","document":"# + text + "}")
                #expect(imported.status == .created, "\(name): \(imported.text.prefix(300))")
                let exported = try await kit.anonymous.get("/api/v1/cloud/catalogues/\(key)")
                #expect((try JSONSerialization.jsonObject(with: Data(buffer: exported.body)) as? NSDictionary) == (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary), "\(name)")
            }
            let catalogues = try #require(try await kit.anonymous.get("/api/v1/cloud/catalogues").json as? [[String: Any]])
            #expect(catalogues.first { $0["key"] as? String == "moderate" }?["kind"] as? String == "profile")
            let basicControls = try OSCAL.catalog(from: try OSCALTests.file("basic-catalog.json")).controlCount
            #expect(basicControls > 0 && catalogues.first { $0["key"] as? String == "basic" }?["controls"] as? Int == basicControls)
            #expect(catalogues.first { $0["key"] as? String == "low" }?["controls"] as? Int == 149)
            var browser = Browser(client)
            let page = try await browser.get("/cloud/catalogues/moderate?against=low")
            #expect(page.status == .ok && page.body.contains("ac-2"))
            // Nested groups of the basic example are shown with their controls.
            #expect(try await browser.get("/cloud/catalogues/basic/controls/s1.1.1").status == .ok)
        }
    }

    @Test("bad input on pages: a wrong 法人番号 is reported with the other field errors; an unknown service in the calculator is a field error")
    func pageErrors() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            var reviewer = Browser(client)
            _ = try await reviewer.signIn(DemoAccounts.reviewer)
            _ = try await reviewer.get("/cloud/manage/services/new")
            let both = try await reviewer.post("/cloud/manage/services", [("providerCorporateNumber", "1234567890123"), ("name", ""), ("serviceModel", "saas"),
                                                                          ("regions", "JP-13"), ("securityEmail", "sec@example.jp")])
            #expect(both.status == .unprocessableContent)
            #expect(both.body.contains("href=\"#field-providerCorporateNumber\"") && both.body.contains("href=\"#field-name\""))
            #expect(both.body.contains("チェックデジット"))
            #expect(try await CloudServiceRecord.query(on: platform.services.db).count() == 0)
            // Declarations and applications are the provider's: a reviewer is told where to act instead of an empty form.
            let apply = try await reviewer.get("/cloud/apply/fast-track")
            #expect(apply.status == .forbidden && apply.body.contains("審査担当者は「審査」の画面から"))

            let kit = try await CloudKit(platform, client)
            let api = try await kit.anonymous.post("/api/v1/cloud/audit-scope", #"{"serviceNumber":"CS-2099-0001"}"#)
            #expect(api.status == .unprocessableContent && api.pointers == ["/serviceNumber"])
            // A provider's unpublished service is "unknown" to others, in the same words.
            let (hidden, _) = try await kit.service()
            let other = try await kit.other.post("/api/v1/cloud/audit-scope", #"{"serviceNumber":"\#(hidden)"}"#)
            #expect(other.pointers == ["/serviceNumber"])
            #expect((other.errors.first?["detail"] as? String)?.contains(hidden) == true)
            var visitor = Browser(client)
            let page = try await visitor.get("/cloud/audit-scope?run=1&service=CS-2099-0001")
            #expect(page.body.contains("href=\"#field-service\"") && page.body.contains("id=\"error-service\"") && page.body.contains("aria-invalid=\"true\""))
            let list = try await visitor.get("/cloud/lists/ismap")
            #expect(list.body.contains("その他") && !list.body.contains(">Other<"))
        }
    }
}
