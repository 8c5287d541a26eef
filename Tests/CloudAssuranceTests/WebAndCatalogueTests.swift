import FluentKit
import Foundation
import HTTPTypes
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

@Suite("Pages, forms, catalogues, the calculator and the demo")
struct WebAndCatalogueTests {
    @Test("forms: errors summarised at the top and beside the fields; CSRF required; a declaration reviewed in the browser")
    func forms() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            var provider = Browser(client)
            _ = try await provider.signIn(CloudKit.providerEmail)
            #expect(try await provider.get("/cloud/manage/services/new").body.contains("name=\"_csrf\""))
            let invalid = try await provider.post("/cloud/manage/services", [("name", ""), ("serviceModel", "saas"), ("regions", "JP-13"), ("securityEmail", "bad")])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.body.contains("error-summary") && invalid.body.contains("href=\"#field-name\"") && invalid.body.contains("href=\"#field-securityEmail\""))
            #expect(invalid.body.contains("aria-invalid=\"true\""))
            #expect(invalid.body.contains("value=\"JP-13\" checked"))
            let fields: [(String, String)] = [("name", "フォームのサービス"), ("serviceModel", "saas"), ("description", "説明"), ("governingLaw", "日本法"),
                                               ("jurisdiction", "東京地方裁判所"), ("regions", "JP-13"), ("regions", "JP-14"), ("otherRegions", "US, SG"),
                                               ("securityEmail", "sec@example.jp")]
            let noCSRF = try await provider.post("/cloud/manage/services", fields, csrf: "wrong")
            #expect(noCSRF.status == .forbidden)
            #expect(try await CloudServiceRecord.query(on: platform.services.db).count() == 0)
            let created = try await provider.post("/cloud/manage/services", fields)
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            #expect(location == "/cloud/services/CS-2026-0001")
            let page = try await provider.get(location)
            #expect(page.body.contains("神奈川県") && page.body.contains("（US）"))
            let service = try #require(try await CloudServiceRecord.query(on: platform.services.db).first())

            _ = try await provider.get("/cloud/apply/ready?service=\(service.id!)")
            let declared = try await provider.post("/cloud/apply/ready", [("serviceId", service.id!.uuidString), ("auditFirm", "監査法人"), ("auditContractDate", "2026-05-01"),
                                                                         ("gapAssessmentDone", "true"), ("gapAssessmentDate", "2026-05-10"), ("targetList", "ismap"),
                                                                         ("targetApplicationDate", "2027-01-01"), ("scope", "全体")])
            #expect(declared.status == .seeOther)
            let readyPage = try #require(declared.location)
            _ = try await provider.get(readyPage)
            #expect(try await provider.post(readyPage + "/events", [("event", "submit")]).status == .seeOther)

            var reviewer = Browser(client)
            _ = try await reviewer.signIn(DemoAccounts.reviewer)
            let queue = try await reviewer.get("/cloud/review")
            #expect(queue.status == .ok && queue.body.contains("RDY-2026-0001"))
            _ = try await reviewer.get(readyPage)
            let refused = try await reviewer.post(readyPage + "/events", [("event", "return"), ("reason", "")])
            #expect(refused.status == .unprocessableContent && refused.body.contains("error-summary"))
            #expect(try await reviewer.post(readyPage + "/events", [("event", "list")]).status == .seeOther)
            var visitor = Browser(client)
            let list = try await visitor.get("/cloud/lists/ready")
            #expect(list.body.contains("フォームのサービス") && list.body.contains("掲載中"))
            #expect(try await visitor.get("/cloud/my").status == .seeOther)
            #expect(try await visitor.get("/cloud/review").status == .seeOther)
            // Members of other organisations do not see the declaration's workflow page actions.
            var other = Browser(client)
            _ = try await other.signIn(DemoAccounts.member)
            let foreign = try await other.get(readyPage)
            #expect(foreign.status == .ok && !foreign.body.contains("name=\"event\""))
            #expect(try await other.post(readyPage + "/events", [("event", "withdraw")]).status == .notFound)
        }
    }

    @Test("catalogue imports over the API: the shared NIST baseline in full, export identical; guidance; the calculator on imported crosswalks")
    func catalogues() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let low = String(decoding: try OSCALTests.file(OSCALTests.low), as: UTF8.self)
            let imported = try await kit.reviewer.post("/api/v1/cloud/catalogues",
                #"{"key":"nist-low","format":"oscal","evidenceFor":["fedramp-moderate"],"document":"# + low + "}")
            #expect(imported.status == .created, "\(imported.text.prefix(500))")
            #expect(imported.object["controls"] as? Int == 149)
            let exported = try await kit.anonymous.get("/api/v1/cloud/catalogues/nist-low")
            let original = try JSONSerialization.jsonObject(with: Data(low.utf8)) as? NSDictionary
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: exported.body)) as? NSDictionary) == original)
            let control = try await kit.anonymous.get("/api/v1/cloud/catalogues/nist-low/controls/ac-2")
            #expect(control.object["title"] as? String == "Account Management" && control.object["label"] as? String == "AC-2")
            #expect(try await kit.anonymous.get("/api/v1/cloud/catalogues/nist-low/controls?q=account&limit=5").object["total"] as? Int ?? 0 > 0)

            let csv = String(decoding: try CloudDemo.sample("ismap-sample.csv"), as: UTF8.self)
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["key": "ismap", "format": "ismap-csv", "csv": csv, "target": true] as [String: Any]), as: UTF8.self)
            #expect(try await kit.reviewer.post("/api/v1/cloud/catalogues", body).status == .created)
            let byok = try await kit.anonymous.get("/api/v1/cloud/catalogues/ismap/controls/8.1.2.7.PB")
            #expect((byok.object["guidance"] as? [String: Any])?["applicability"] as? String == "on-request")
            #expect(try await kit.anonymous.get("/api/v1/cloud/catalogues/ismap/controls?applicability=on-request").object["total"] as? Int == 2)
            var browser = Browser(client)
            let page = try await browser.get("/cloud/catalogues/ismap/controls/8.1.2.7.PB")
            #expect(page.body.contains("利用者の求めに応じて実装") && page.body.contains("代替策") && page.body.contains("HSM"))
            // Guidance is edited by reviewers with a public record; on-request needs alternatives.
            let refused = try await kit.reviewer.call(.put, "/api/v1/cloud/catalogues/ismap/controls/9.2.1.1.B/guidance", json: #"{"applicability":"on-request"}"#)
            #expect(refused.pointers == ["/alternativesJa"])
            let edited = try await kit.reviewer.call(.put, "/api/v1/cloud/catalogues/ismap/controls/9.2.1.1.B/guidance",
                                                     json: #"{"applicability":"optional","purposeJa":"目的"}"#)
            #expect((edited.object["guidance"] as? [String: Any])?["applicability"] as? String == "optional")
            #expect(try await TransparencyLogStore.indexes(ofRecord: "ismap:9.2.1.1.B", on: platform.services.db).count == 1)
            // The CSV export of the edited catalogue reimports to the same catalogue.
            let exportedCSV = try await browser.get("/cloud/catalogues/ismap/catalogue.csv")
            #expect(exportedCSV.body.contains("9.2.1.1.B") && exportedCSV.body.contains("optional"))

            // Crosswalks: ISO → ISMAP (CSV) and NIST → ISO (OSCAL mapping), then the calculator.
            let iso = String(decoding: try CloudDemo.sample("iso27001-sample.json"), as: UTF8.self)
            #expect(try await kit.reviewer.post("/api/v1/cloud/catalogues", #"{"key":"iso","format":"oscal","evidenceFor":["iso-27001"],"document":"# + iso + "}").status == .created)
            let isoCSV = String(decoding: try CloudDemo.sample("crosswalk-iso27001-ismap.csv"), as: UTF8.self)
            let crosswalk = String(decoding: try JSONSerialization.data(withJSONObject: ["key": "iso-ismap", "format": "csv", "csv": isoCSV, "title": "ISO→ISMAP", "source": "iso", "target": "ismap"]), as: UTF8.self)
            #expect(try await kit.reviewer.post("/api/v1/cloud/crosswalks", crosswalk).status == .created)
            let typo = String(decoding: try JSONSerialization.data(withJSONObject: ["key": "typo", "format": "csv", "csv": "source,relationship,target\nA.5.1,equal-to,99.9\n", "title": "t", "source": "iso", "target": "ismap"]), as: UTF8.self)
            let typoReply = try await kit.reviewer.post("/api/v1/cloud/crosswalks", typo)
            #expect(typoReply.status == .unprocessableContent && (typoReply.errors.first?["detail"] as? String)?.contains("99.9") == true)
            let mapping = String(decoding: try CloudDemo.sample("crosswalk-nist-iso27001.json"), as: UTF8.self)
            let nist = try await kit.reviewer.post("/api/v1/cloud/crosswalks", #"{"key":"nist-iso","format":"oscal","source":"nist-low","target":"iso","document":"# + mapping + "}")
            #expect(nist.status == .created, "\(nist.text)")
            let roundTrip = try await kit.anonymous.get("/api/v1/cloud/crosswalks/nist-iso")
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: roundTrip.body)) as? NSDictionary) == (try JSONSerialization.jsonObject(with: Data(mapping.utf8)) as? NSDictionary))

            let isoOnly = try await kit.anonymous.post("/api/v1/cloud/audit-scope", #"{"certifications":["iso-27001"],"cycle":"biennial"}"#)
            #expect(isoOnly.status == .ok, "\(isoOnly.text)")
            let fedramp = try await kit.anonymous.post("/api/v1/cloud/audit-scope", #"{"certifications":["fedramp-moderate"]}"#)
            let none = try await kit.anonymous.post("/api/v1/cloud/audit-scope", #"{"certifications":[]}"#)
            let total = try #require(isoOnly.object["controls"] as? Int)
            #expect(total == 34)
            #expect((isoOnly.object["full"] as? Int ?? 0) > (fedramp.object["full"] as? Int ?? 0))
            #expect((fedramp.object["full"] as? Int ?? 0) > 0)   // through the chain NIST → ISO → ISMAP
            #expect(none.object["full"] as? Int == 0)
            let results = try #require(fedramp.object["results"] as? [[String: Any]])
            let chained = try #require(results.first { $0["id"] as? String == "9.2.1.1.B" })
            #expect(chained["coverage"] as? String == "full")
            #expect((chained["path"] as? [String])?.count == 2)
            let byokResult = try #require((isoOnly.object["results"] as? [[String: Any]])?.first { $0["id"] as? String == "10.1.2.20.PB" })
            #expect(byokResult["coverage"] as? String == "partial")
            let scopeCSV = try await browser.get("/cloud/audit-scope.csv?certification=iso-27001&cycle=annual")
            #expect(scopeCSV.body.contains("10.1.2.20.PB,") && scopeCSV.body.contains("partial"))
            let scopePage = try await browser.get("/cloud/audit-scope?run=1&certification=iso-27001&cycle=biennial")
            #expect(scopePage.body.contains("監査を省略できる割合") && scopePage.body.contains("円"))
        }
    }

    @Test("the demo loads once and every public page renders; the snapshot is logged")
    func demo() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let module = CloudAssuranceModule()
            try await module.loadDemo(services: platform.services)
            let services = try await CloudServiceRecord.query(on: platform.services.db).count()
            let events = try await StatusEventRecord.query(on: platform.services.db).count()
            try await module.loadDemo(services: platform.services)
            #expect(try await CloudServiceRecord.query(on: platform.services.db).count() == services)
            #expect(try await StatusEventRecord.query(on: platform.services.db).count() == events)
            #expect(services == 9)

            let kit = try await CloudKit(platform, client)
            let ismap = try await kit.list("ismap"), liu = try await kit.list("liu"), ready = try await kit.list("ready", query: "?status=all"), fast = try await kit.list("fast-track", query: "?status=all")
            #expect(ismap.count == 2 && liu.count == 2)
            #expect(Set(ready.compactMap { $0["status"] as? String }) == ["listed", "lapsed", "registered"])
            #expect(Set(fast.compactMap { $0["status"] as? String }) == ["provisional", "promoted", "expired"])
            let stats = try await kit.anonymous.get("/api/v1/cloud/statistics")
            #expect(stats.object["readyToRegistrationSamples"] as? Int == 1)
            #expect((stats.object["fastTrackOutcomes"] as? [String: Int])?["expired"] == 1)

            var browser = Browser(client)
            for path in ["/cloud", "/cloud/lists/ismap", "/cloud/lists/liu", "/cloud/lists/ready", "/cloud/lists/fast-track", "/cloud/lists/fast-track?status=all&sort=-since",
                         "/cloud/catalogues", "/cloud/catalogues/ismap-sample", "/cloud/catalogues/nist-800-53r5-low?q=access", "/cloud/catalogues/nist-800-53r5-moderate-profile",
                         "/cloud/catalogues/nist-800-53r5-low/controls/ac-2", "/cloud/catalogues/oscal-basic-sample/controls/s1.1.1", "/cloud/crosswalks/iso27001-to-ismap",
                         "/cloud/crosswalks/nist-low-to-iso27001", "/cloud/question-sets/ipa-fast-track/1", "/cloud/statistics", "/cloud/applicability",
                         "/cloud/applicability?organisation=central-ministry&confidentiality=2&serviceModel=saas&lowImpact=true", "/cloud/audit-scope",
                         "/cloud/audit-scope?run=1&service=CS-2026-0001", "/cloud/data.json", "/cloud/lists/ismap.csv", "/cloud/lists/liu.atom", "/cloud/static/cloud.css"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                // A missing catalogue key would show as its path, e.g. "cloud.status.ready.listed".
                #expect(page.body.firstMatch(of: /cloud\.(?!css)[a-zA-Z]+/) == nil, "\(path) shows a catalogue key")
            }
            let checker = try await browser.get("/cloud/applicability?organisation=central-ministry&confidentiality=2&serviceModel=saas&lowImpact=true")
            #expect(checker.body.contains("ISMAP-LIU") && checker.body.contains("デモ用の規則例"))
            let statistics = try await browser.get("/cloud/statistics")
            #expect(statistics.body.contains("<svg") && statistics.body.contains("<table"))
            // Every service page, in both languages, for the public and for the provider.
            _ = try await browser.get("/cloud")
            for service in try await CloudServiceRecord.query(on: platform.services.db).filter(\.$isPublic == true).all() {
                #expect(try await browser.get("/cloud/services/\(service.number)").status == .ok)
                #expect(try await browser.get("/cloud/services/\(service.number)?lang=en").status == .ok)
            }
            var provider = Browser(client)
            _ = try await provider.signIn(CloudKit.providerEmail)
            let my = try await provider.get("/cloud/my")
            #expect(my.body.contains("みなとドライブ（デモ）"))
            let minato = try #require(try await Account.query(on: platform.services.db).filter(\.$email == CloudKit.providerEmail).first()?.$organisation.id)
            let drive = try #require(try await FastTrackRecord.query(on: platform.services.db).filter(\.$status == "provisional").filter(\.$organisationID == minato).first())
            let workflow = try await provider.get("/cloud/fast-track-applications/\(drive.id!)")
            #expect(workflow.status == .ok)
            var reviewer = Browser(client)
            _ = try await reviewer.signIn(DemoAccounts.reviewer)
            #expect(try await reviewer.get("/cloud/review").body.contains("瀬戸内ヘルプデスク"))
            var admin = Browser(client)
            _ = try await admin.signIn(DemoAccounts.admin)
            #expect(try await admin.get("/cloud/admin").status == .ok)

            // The snapshot of today is in the log and served as data.json.
            let snapshots = try await kit.anonymous.get("/api/v1/cloud/snapshots")
            let first = try #require((snapshots.object["items"] as? [[String: Any]])?.first)
            #expect(first["date"] as? String == "2026-06-01" && first["logIndex"] != nil)
            let body = try await kit.anonymous.get("/api/v1/cloud/snapshots/2026-06-01")
            #expect(SHA256Hex.of(Data(buffer: body.body)) == first["sha256"] as? String)
            #expect(try await browser.get("/cloud/data.json").body == body.text)
        }
    }

    @Test("the daily snapshot job stores one snapshot per day")
    func snapshotJob() async throws {
        let clock = CloudKit.clock(2026, 6, 1)
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: clock) { platform, client in
            let kit = try await CloudKit(platform, client)
            _ = try await kit.runJob("cloud.snapshot")
            _ = try await kit.runJob("cloud.snapshot")
            clock.advance(by: 86_400)
            _ = try await kit.runJob("cloud.snapshot")
            #expect(try await SnapshotRecord.query(on: platform.services.db).count() == 2)
            let snapshot = try await kit.anonymous.get("/api/v1/cloud/snapshots/2026-06-02")
            #expect(snapshot.object["procurementNote"] as? String != nil)
            #expect((snapshot.object["lists"] as? [String: Any])?.keys.sorted() == ["fast-track", "ismap", "liu", "ready"])
        }
    }
}

enum SHA256Hex {
    static func of(_ data: Data) -> String { MerkleHashing.sha256(data).map { String(format: "%02x", $0) }.joined() }
}

/// Not part of the normal run: `SHINRAI_CLOUD_BENCH=1 swift test --filter CloudAssuranceBenchmarkTests`.
@Suite("Benchmark (opt-in)", .enabled(if: ProcessInfo.processInfo.environment["SHINRAI_CLOUD_BENCH"] != nil))
struct CloudAssuranceBenchmarkTests {
    @Test("list page and JSON list with 10,000 services and 2,000 controls")
    func benchmark() async throws {
        let count = Int(ProcessInfo.processInfo.environment["SHINRAI_CLOUD_BENCH_SERVICES"] ?? "") ?? 10_000
        try await TestPlatform.with(modules: [CloudAssuranceModule()], demo: false) { platform in
            for line in try await CloudAssuranceBenchmark.run(platform: platform, services: count, controls: 2_000, runs: 20, port: 18_000 + Int.random(in: 0..<1000)) {
                print("BENCH " + line)
            }
        }
    }
}
