import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import Sovereignty

@Suite("Sovereignty API")
struct SovereigntyAPITests {
    static let module: [any ShinraiModule] = [SovereigntyModule()]

    @Test("a vendor saves its profile and registers an offering; others cannot; the public sees the score and can filter on domestic")
    func vendorFlow() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let minato = try await platform.organisation("cloud@demo.shinrai.example")
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let profile = #"{"headquarters":"jp","governingLaw":"JP","foreignLaws":[],"development":["JP"],"operation":["JP"],"support":["JP"],"dataLocation":["JP"],"evidence":[{"label":"IR","url":"https://sakura.example.jp/ir"}]}"#
            let saved = try await member.put("/api/v1/sovereignty/vendors/\(sakura)/profile", profile)
            #expect(saved.status == .ok)
            #expect(saved.object["status"] as? String == "declared")
            #expect((saved.object["assessment"] as? [String: Any])?["levelCode"] as? String == "SEAL-4")
            #expect(saved.object["domesticVendor"] as? Bool == true)
            // Not the member's organisation; not signed in.
            #expect(try await member.put("/api/v1/sovereignty/vendors/\(minato)/profile", profile).status == .forbidden)
            #expect(try await APIClient(client).put("/api/v1/sovereignty/vendors/\(sakura)/profile", profile).status == .unauthorized)

            let created = try await member.post("/api/v1/sovereignty/offerings",
                                                #"{"name":"さくらEDR","kind":"product","category":"endpoint","unit":"devices","development":["JP","VN"]}"#)
            #expect(created.status == .created)
            let number = try #require(created.object["number"] as? String)
            #expect(number == "SVO-2026-0001")
            let id = try #require(created.object["id"] as? String)
            // development JP+VN: (25 + 20 + 20 + 15 + 15×½ + 5) ÷ 100 = 0.925
            let assessment = try #require(created.object["assessment"] as? [String: Any])
            #expect(assessment["score"] as? Double == 0.925)
            #expect(assessment["domestic"] as? Bool == true)

            // Another vendor's member may not edit it; a reviewer may.
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            #expect(try await cloud.put("/api/v1/sovereignty/offerings/\(id)", #"{"name":"x","kind":"product","category":"endpoint"}"#).status == .forbidden)
            #expect(try await cloud.post("/api/v1/sovereignty/offerings", #"{"vendorId":"\#(sakura)","name":"x","kind":"product","category":"endpoint"}"#).status == .forbidden)

            // A foreign product of another vendor, registered by the operating agency.
            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await reviewer.put("/api/v1/sovereignty/vendors/\(minato)/profile",
                                           #"{"headquarters":"US","governingLaw":"US","foreignLaws":["us-cloud-act"],"development":["US"],"operation":["US"],"support":["US"],"dataLocation":["US"]}"#).status == .ok)
            #expect(try await reviewer.post("/api/v1/sovereignty/offerings", #"{"vendorId":"\#(minato)","name":"Foreign EDR","kind":"product","category":"endpoint"}"#).status == .created)

            let anonymous = APIClient(client)
            let all = try await anonymous.get("/api/v1/sovereignty/offerings")
            #expect(all.status == .ok && all.object["total"] as? Int == 2)
            #expect(all.headers[.eTag] != nil)
            let domestic = try await anonymous.get("/api/v1/sovereignty/offerings?domestic=true")
            #expect(domestic.items.map { $0["number"] as? String } == [number])
            #expect(try await anonymous.get("/api/v1/sovereignty/offerings?domestic=false").items.count == 1)
            #expect(try await anonymous.get("/api/v1/sovereignty/offerings?category=endpoint&kind=product&q=EDR").object["total"] as? Int == 2)
            let csv = try await anonymous.get("/api/v1/sovereignty/offerings.csv?domestic=true")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains(number) && !csv.text.contains("Foreign EDR"))

            // Withdrawn offerings leave the default list but stay readable and logged.
            #expect(try await member.post("/api/v1/sovereignty/offerings/\(id)/withdraw", "").status == .ok)
            #expect(try await member.post("/api/v1/sovereignty/offerings/\(id)/withdraw", "").status == .conflict)
            #expect(try await anonymous.get("/api/v1/sovereignty/offerings?domestic=true").items.isEmpty)
            #expect(try await anonymous.get("/api/v1/sovereignty/offerings/\(id)").object["withdrawn"] as? Bool == true)
            #expect(try await TransparencyLogStore.indexes(ofRecord: number, on: platform.services.db).count == 2)

            // The reviewer verifies the profile; the vendor's next change makes it self-declared again.
            let verified = try await reviewer.post("/api/v1/sovereignty/vendors/\(sakura)/verify", "")
            #expect(verified.object["status"] as? String == "verified")
            #expect(try await member.post("/api/v1/sovereignty/vendors/\(sakura)/verify", "").status == .forbidden)
            #expect(try await member.put("/api/v1/sovereignty/vendors/\(sakura)/profile", profile).object["status"] as? String == "declared")
        }
    }

    @Test("the reuse API gives a vendor's or a site's profile and level, in Swift and over HTTP, also by corporate number")
    func reuse() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let minato = try await platform.organisation("cloud@demo.shinrai.example")
            let site = try await platform.offering(vendor: minato, name: "石狩DC", kind: .infrastructure, category: "compute")
            let vendor = try #require(try await SovereigntyDirectory.vendor(minato, on: platform.services.db, fiscalYear: 2026))
            #expect(vendor.assessment.levelCode == "SEAL-4" && vendor.status == .verified && vendor.domesticVendor)
            let number = try #require(vendor.corporateNumber)
            #expect(try await SovereigntyDirectory.vendor(corporateNumber: number, on: platform.services.db, fiscalYear: 2026)?.organisationId == minato)
            let offering = try #require(try await SovereigntyDirectory.offering(site.id!, on: platform.services.db, fiscalYear: 2026))
            #expect(offering.site?.prefecture == 13 && offering.assessment.domestic)
            #expect(try await SovereigntyDirectory.vendor(UUID(), on: platform.services.db, fiscalYear: 2026) == nil)

            let api = APIClient(client)
            let byNumber = try await api.get("/api/v1/sovereignty/vendors?corporateNumber=\(number)")
            #expect(byNumber.items.first?["organisationId"] as? String == minato.uuidString)
            #expect(try await api.get("/api/v1/sovereignty/vendors?corporateNumber=0000000000000").status == .badRequest)
            let http = try await api.get("/api/v1/sovereignty/vendors/\(minato)")
            #expect(http.status == .ok && (http.object["assessment"] as? [String: Any])?["level"] as? Int == 4)
            #expect(try await api.get("/api/v1/sovereignty/offerings/\(site.id!)").object["site"] != nil)
            #expect(try await api.get("/api/v1/sovereignty/vendors/\(UUID())").status == .notFound)
            #expect(try await api.get("/api/v1/sovereignty/offerings/not-a-uuid").status == .notFound)
            let infrastructure = try await api.get("/api/v1/sovereignty/infrastructure")
            #expect(infrastructure.object["sitesInJapan"] as? Int == 1 && infrastructure.object["prefecturesWithSites"] as? Int == 1)
            // The same figures as CSV: one row per prefecture, country and site type, then the total.
            let csv = try await api.get("/api/v1/sovereignty/infrastructure.csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.count == 5)
            #expect(lines.contains { $0.hasPrefix("prefecture,13,東京都,Tokyo,1,1,") })
            #expect(lines.contains { $0.hasPrefix("country,JP,日本,Japan,1,1,") })
            #expect(lines.contains { $0.hasPrefix("site-type,data-centre,データセンター,") })
            #expect(lines.last?.hasPrefix("total,all,合計,Total,1,1,") == true)
        }
    }

    @Test("an organisation sees and edits only its own declarations; the public sees aggregates only")
    func declarationAccess() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let edr = try await platform.offering(vendor: sakura, name: "EDR")
            let city = APIClient(client, token: try await platform.token(for: "city@demo.shinrai.example"))
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let created = try await city.post("/api/v1/sovereignty/declarations",
                                              #"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":1200000,"units":300,"governmentSystem":true}"#)
            #expect(created.status == .created)
            #expect(created.object["sector"] as? String == "government")
            let id = try #require(created.object["id"] as? String)
            #expect(try await city.post("/api/v1/sovereignty/declarations", #"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":1,"governmentSystem":true}"#).status == .conflict)

            #expect(try await member.get("/api/v1/sovereignty/declarations/\(id)").status == .notFound)
            #expect(try await member.put("/api/v1/sovereignty/declarations/\(id)", #"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":1}"#).status == .notFound)
            #expect(try await member.delete("/api/v1/sovereignty/declarations/\(id)").status == .notFound)
            #expect(try await member.get("/api/v1/sovereignty/declarations").object["total"] as? Int == 0)
            let cityOrg = try await platform.organisation("city@demo.shinrai.example")
            #expect(try await member.get("/api/v1/sovereignty/declarations?organisationId=\(cityOrg)").status == .forbidden)
            #expect(try await APIClient(client).get("/api/v1/sovereignty/declarations").status == .unauthorized)
            // Reviewers read all but do not write.
            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await reviewer.get("/api/v1/sovereignty/declarations").object["total"] as? Int == 1)
            #expect(try await reviewer.put("/api/v1/sovereignty/declarations/\(id)", #"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":1}"#).status == .forbidden)

            // The public indicator names no organisation and, resting on one declarer, shows no spend.
            let indicator = try await APIClient(client).get("/api/v1/sovereignty/indicator?year=2025")
            #expect(indicator.status == .ok)
            #expect(!indicator.text.contains(cityOrg.uuidString) && !indicator.text.contains(id))
            let overall = try #require((indicator.object["cells"] as? [[String: Any]])?.first { $0["dimension"] as? String == "overall" })
            #expect(overall["status"] as? String == "suppressed" && overall["rate"] == nil && overall["totalSpendYen"] == nil)
            #expect(overall["declarations"] as? Int == 1 && overall["declarers"] as? Int == 1)

            let updated = try await city.put("/api/v1/sovereignty/declarations/\(id)", #"{"offering":"\#(edr.number)","fiscalYear":2025,"units":350,"governmentSystem":true}"#)
            #expect(updated.status == .ok && updated.object["spendYen"] == nil && updated.object["units"] as? Int == 350)
            // Units only, and no declaration gives this offering a unit price: counted, not valued.
            let after = try await APIClient(client).get("/api/v1/sovereignty/indicator?year=2025&dimension=overall")
            #expect((after.object["cells"] as? [[String: Any]])?.first?["status"] as? String == "no-data")
            #expect((after.object["cells"] as? [[String: Any]])?.first?["notValued"] as? Int == 1)

            #expect(try await city.delete("/api/v1/sovereignty/declarations/\(id)").status == .noContent)
            #expect(try await platform.count(Declaration.self) == 0)
            let trail = try await AuditEvent.query(on: platform.services.db).filter(\.$action ~~ "sovereignty.declaration").count()
            #expect(trail == 3)
        }
    }

    @Test("bad input is refused with a problem document and nothing is written")
    func badInput() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let edr = try await platform.offering(vendor: sakura, name: "EDR")
            let city = APIClient(client, token: try await platform.token(for: "city@demo.shinrai.example"))
            let path = "/api/v1/sovereignty/declarations"
            let cases: [(String, HTTPResponse.Status, String?)] = [
                (#"{"offering":"#, .badRequest, nil),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":10,"colour":"red"}"#, .unprocessableContent, "/colour"),
                (#"{"offering":"\#(edr.number)","fiscalYear":"2025","spendYen":10}"#, .unprocessableContent, "/fiscalYear"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":1.5}"#, .unprocessableContent, "/spendYen"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":-10}"#, .unprocessableContent, "/spendYen"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2027,"spendYen":10}"#, .unprocessableContent, "/fiscalYear"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025}"#, .unprocessableContent, "/spendYen"),
                (#"{"offering":"SVO-1999-0001","fiscalYear":2025,"spendYen":10}"#, .unprocessableContent, "/offering"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025,"units":0}"#, .unprocessableContent, "/units"),
                (#"{"offering":"\#(edr.number)","fiscalYear":2025,"spendYen":10,"organisationId":"\#(sakura)"}"#, .forbidden, nil),
            ]
            for (body, status, pointer) in cases {
                let reply = try await city.post(path, body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.isProblem, "\(body)")
                if let pointer { #expect(reply.errorPointers.contains(pointer), "\(body): \(reply.errorPointers)") }
            }
            #expect(try await city.call(.post, path, json: "{}", headers: [.contentType: "text/plain"]).status == .unsupportedMediaType)
            let huge = #"{"offering":""# + String(repeating: "x", count: 2 << 20) + #"","fiscalYear":2025,"spendYen":1}"#
            #expect(try await city.post(path, huge).status == .contentTooLarge)
            #expect(try await platform.count(Declaration.self) == 0)

            // Profiles and offerings.
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            let before = try await platform.count(Offering.self)
            let badProfile = try await member.put("/api/v1/sovereignty/vendors/\(sakura)/profile",
                                                  #"{"headquarters":"XX","development":["JP","Japan"],"foreignLaws":["other"],"evidence":[{"label":"","url":"javascript:alert(1)"}]}"#)
            #expect(badProfile.status == .unprocessableContent)
            #expect(Set(badProfile.errorPointers).isSuperset(of: ["/headquarters", "/development/1", "/foreignLawNote", "/evidence/0/label", "/evidence/0/url"]))
            #expect(try await member.put("/api/v1/sovereignty/vendors/\(sakura)/profile", #"{"headquarters":"JP","foreignLaws":["martian-law"]}"#).status == .unprocessableContent)
            let badOffering = try await member.post("/api/v1/sovereignty/offerings", #"{"name":"","kind":"infrastructure","category":"nope","siteCountry":"US","prefecture":13}"#)
            #expect(badOffering.status == .unprocessableContent)
            #expect(Set(badOffering.errorPointers).isSuperset(of: ["/name", "/category", "/siteType", "/prefecture"]))
            #expect(try await member.post("/api/v1/sovereignty/offerings", #"{"name":"x","kind":"gadget","category":"endpoint"}"#).status == .unprocessableContent)
            #expect(try await platform.count(Offering.self) == before)

            // Query parameters.
            let anonymous = APIClient(client)
            for query in ["/api/v1/sovereignty/indicator?year=abc", "/api/v1/sovereignty/indicator?dimension=colour", "/api/v1/sovereignty/offerings?limit=0",
                          "/api/v1/sovereignty/offerings?domestic=maybe", "/api/v1/sovereignty/offerings?vendorId=x", "/api/v1/sovereignty/indicator.csv?table=x",
                          "/api/v1/sovereignty/vendors?domestic=1"] {
                let reply = try await anonymous.get(query)
                #expect(reply.status == .badRequest && reply.isProblem, "\(query)")
            }
        }
    }

    @Test("CSV import: one wrong row stops the file unless only valid rows are chosen; rows name their line")
    func csvImport() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let edr = try await platform.offering(vendor: sakura, name: "EDR")
            let soc = try await platform.offering(vendor: sakura, name: "SOC", kind: .service, category: "soc")
            let city = APIClient(client, token: try await platform.token(for: "city@demo.shinrai.example"))
            let csv = "offering,fiscal_year,spend_yen,units,government_system\\n\(edr.number),2025,1000000,,yes\\n\(soc.number),2025,,12,no\\nSVO-0000-0000,2025,5,,maybe\\n"
            let refused = try await city.post("/api/v1/sovereignty/declarations/import", #"{"csv":"\#(csv)"}"#)
            #expect(refused.status == .unprocessableContent)
            // A row with an unreadable column is still checked for its offering: one round of corrections suffices.
            #expect(Set(refused.errorPointers) == ["/rows/4/governmentSystem", "/rows/4/offering"])
            #expect(try await platform.count(Declaration.self) == 0)

            let csv2 = "offering,fiscal_year,spend_yen,units,government_system\\n\(edr.number),2025,1000000,,yes\\n\(soc.number),2025,,12,no\\nSVO-0000-0000,2025,5,,no\\n\(edr.number),2025,7,,yes\\n"
            let partial = try await city.post("/api/v1/sovereignty/declarations/import", #"{"csv":"\#(csv2)","mode":"valid-only"}"#)
            #expect(partial.status == .ok)
            #expect(partial.object["created"] as? Int == 2 && partial.object["skipped"] as? Int == 2 && partial.object["imported"] as? Bool == true)
            #expect(Set(partial.errorPointers) == ["/rows/4/offering", "/rows/5/offering"])
            #expect((partial.object["errors"] as? [[String: Any]])?.contains { ($0["detail"] as? String)?.contains("line 2") == true } == true)
            #expect(try await platform.count(Declaration.self) == 2)

            // Importing again updates instead of duplicating.
            let again = try await city.post("/api/v1/sovereignty/declarations/import",
                                            #"{"csv":"提供物番号,年度,支出額（円）,政府システム\n\#(edr.number),令和7年度,\"2,000,000\",はい\n"}"#)
            #expect(again.object["updated"] as? Int == 1 && again.object["created"] as? Int == 0)
            #expect(try await Declaration.query(on: platform.services.db).filter(\.$spendYen == 2_000_000).count() == 1)

            // Unreadable files, reviewers, and anonymous callers.
            #expect(try await city.post("/api/v1/sovereignty/declarations/import", #"{"csv":"name,colour\nx,y\n"}"#).errorPointers == ["/csv"])
            #expect(try await city.post("/api/v1/sovereignty/declarations/import", #"{"csv":"x","mode":"sometimes"}"#).status == .unprocessableContent)
            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            #expect(try await reviewer.post("/api/v1/sovereignty/declarations/import", #"{"csv":"\#(csv2)"}"#).status == .forbidden)
            #expect(try await APIClient(client).post("/api/v1/sovereignty/declarations/import", #"{"csv":""}"#).status == .unauthorized)
            #expect(try await platform.count(Declaration.self) == 2)
        }
    }
}
