import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import Sovereignty

@Suite("Sovereignty figures, parameters, targets and records")
struct SovereigntyFigureTests {
    static let module: [any ShinraiModule] = [SovereigntyModule()]

    func cell(_ reply: APIClient.Reply, _ year: Int, _ dimension: String = "overall", _ key: String = "all") -> [String: Any]? {
        (reply.object["cells"] as? [[String: Any]])?.first {
            $0["fiscalYear"] as? Int == year && $0["dimension"] as? String == dimension && $0["key"] as? String == key
        }
    }

    @Test("a year is computed with the parameters in force for that year; every version is a public record")
    func parameterVersioning() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            // Domestic in everything except development (abroad): 510/600 = 0.85 under version 1.
            let product = try await platform.offering(vendor: sakura, name: "EDR", development: ["US"])
            for year in [2024, 2025] { try await platform.declare("city@demo.shinrai.example", product, year: year, spend: 1000) }

            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            let weights = #"{"control":25,"jurisdiction":20,"data":20,"operations":15,"development":15,"support":5}"#
            // v2 from FY2000 lowers the minimum to one declarer; v3 from FY2025 weighs development only.
            let v2 = try await admin.post("/api/v1/sovereignty/parameter-versions",
                                          #"{"effectiveFrom":2000,"weights":\#(weights),"thresholds":[0.2,0.4,0.6,0.8],"domesticLevel":3,"minimumDeclarers":1,"note":"one declarer"}"#)
            #expect(v2.status == .created && v2.object["version"] as? Int == 2)
            let v3 = try await admin.post("/api/v1/sovereignty/parameter-versions",
                                          #"{"effectiveFrom":2025,"weights":{"control":0,"jurisdiction":0,"data":0,"operations":0,"development":1,"support":0},"thresholds":[0.2,0.4,0.6,0.8],"domesticLevel":3,"minimumDeclarers":1,"note":"development only"}"#)
            #expect(v3.status == .created && v3.object["version"] as? Int == 3)

            let indicator = try await APIClient(client).get("/api/v1/sovereignty/indicator")
            #expect(cell(indicator, 2024)?["parameterVersion"] as? Int == 2)
            #expect(cell(indicator, 2024)?["rate"] as? Double == 1)
            #expect(cell(indicator, 2024)?["weightedRate"] as? Double == 0.85)
            #expect(cell(indicator, 2025)?["parameterVersion"] as? Int == 3)
            #expect(cell(indicator, 2025)?["rate"] as? Double == 0)
            #expect(cell(indicator, 2025)?["weightedRate"] as? Double == 0)
            // The offering's own page uses the version of the year asked for.
            #expect(((try await APIClient(client).get("/api/v1/sovereignty/offerings/\(product.id!)?year=2024")).object["assessment"] as? [String: Any])?["domestic"] as? Bool == true)
            #expect(((try await APIClient(client).get("/api/v1/sovereignty/offerings/\(product.id!)?year=2026")).object["assessment"] as? [String: Any])?["domestic"] as? Bool == false)

            let methodology = try await APIClient(client).get("/api/v1/sovereignty/methodology")
            #expect((methodology.object["current"] as? [String: Any])?["version"] as? Int == 3)
            #expect((methodology.object["versions"] as? [[String: Any]])?.count == 3)
            let yearVersions = methodology.object["yearVersions"] as? [[String: Any]] ?? []
            #expect(yearVersions.contains { $0["fiscalYear"] as? Int == 2024 && $0["version"] as? Int == 2 })
            #expect(yearVersions.contains { $0["fiscalYear"] as? Int == 2025 && $0["version"] as? Int == 3 })
            for n in 1...3 { #expect(try await TransparencyLogStore.indexes(ofRecord: "SOV-PARAMS-\(n)", on: platform.services.db).count == 1) }

            // Invalid versions are refused, and members may not add versions.
            let bad = try await admin.post("/api/v1/sovereignty/parameter-versions",
                                           #"{"effectiveFrom":1999,"weights":\#(weights),"thresholds":[0.6,0.4,0.6,0.80001],"domesticLevel":0,"minimumDeclarers":1,"note":""}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.errorPointers).isSuperset(of: ["/thresholds/3"]))
            let bad2 = try await admin.post("/api/v1/sovereignty/parameter-versions",
                                            #"{"effectiveFrom":1999,"weights":\#(weights),"thresholds":[0.6,0.4,0.6,0.8],"domesticLevel":0,"minimumDeclarers":1,"note":""}"#)
            #expect(Set(bad2.errorPointers) == ["/effectiveFrom", "/thresholds", "/domesticLevel", "/note"])
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            #expect(try await member.post("/api/v1/sovereignty/parameter-versions", #"{"effectiveFrom":2026,"weights":\#(weights),"thresholds":[0.2,0.4,0.6,0.8],"domesticLevel":3,"minimumDeclarers":1,"note":"x"}"#).status == .forbidden)
            #expect(try await ParameterVersion.query(on: platform.services.db).count() == 3)
        }
    }

    @Test("suppression, breakdowns by kind, category, sector and use, targets and the gap, government adoption")
    func breakdownsAndTargets() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let minato = try await platform.organisation("cloud@demo.shinrai.example")
            let domestic = try await platform.offering(vendor: sakura, name: "EDR")
            let foreign = try await platform.offering(vendor: minato, name: "Foreign EDR", country: "US")
            // Three municipalities use the domestic product in government systems, three companies the foreign one.
            for n in 1...3 {
                let city = try await platform.declarer("city\(n)", number: n, kind: .municipality)
                try await platform.declare(city.email, domestic, year: 2025, spend: 1_000_000, government: true)
                let company = try await platform.declarer("company\(n)", number: 10 + n)
                try await platform.declare(company.email, foreign, year: 2025, spend: 2_000_000)
            }
            // One company also reports units only for the domestic product, in government systems: no declaration of that
            // product gives a unit price, so it is counted but not valued.
            try await platform.declare("company1@test.example", domestic, year: 2025, units: 40, government: true)

            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2025,"scope":"overall","rate":0.4,"note":"plan"}"#).status == .ok)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2030,"scope":"product","rate":0.5}"#).status == .ok)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2030,"scope":"product","rate":0.55}"#).object["revision"] as? Int == 2)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2031,"scope":"product","rate":null}"#).status == .notFound)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2025,"scope":"galaxy","rate":1.5}"#).status == .unprocessableContent)
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            #expect(try await member.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2025,"scope":"overall","rate":0.9}"#).status == .forbidden)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "SOV-TARGET-2030-product", on: platform.services.db).count == 2)
            // A removal is a revision of the record too: the target set again continues the numbering.
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2031,"scope":"service","rate":0.3}"#).object["revision"] as? Int == 1)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2031,"scope":"service","rate":null}"#).status == .noContent)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2031,"scope":"service","rate":0.35}"#).object["revision"] as? Int == 3)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "SOV-TARGET-2031-service", on: platform.services.db).count == 3)
            #expect(try await admin.post("/api/v1/sovereignty/targets", #"{"fiscalYear":2031,"scope":"service","rate":null}"#).status == .noContent)

            let indicator = try await APIClient(client).get("/api/v1/sovereignty/indicator?year=2025")
            let overall = try #require(cell(indicator, 2025))
            #expect(overall["status"] as? String == "published")
            #expect(overall["rate"] as? Double == 0.3333)
            #expect(overall["totalSpendYen"] as? Int == 9_000_000 && overall["domesticSpendYen"] as? Int == 3_000_000)
            #expect(overall["declarations"] as? Int == 7 && overall["declarers"] as? Int == 6 && overall["notValued"] as? Int == 1)
            #expect(overall["target"] as? Double == 0.4 && overall["gap"] as? Double == -0.0667)
            // The private sector has one domestic declarer: suppressed, and the public sector with it (else private = overall − public).
            #expect(cell(indicator, 2025, "sector", "private")?["suppression"] as? String == "too-few-declarers")
            #expect(cell(indicator, 2025, "sector", "government")?["suppression"] as? String == "complementary")
            #expect(cell(indicator, 2025, "sector", "government")?["rate"] == nil)
            #expect(cell(indicator, 2025, "system", "other-systems")?["rate"] as? Double == 0)
            #expect(cell(indicator, 2025, "system", "government-systems")?["status"] as? String == "published")
            #expect(cell(indicator, 2025, "category", "endpoint")?["rate"] as? Double == 0.3333)
            #expect(cell(indicator, 2025, "category", "siem")?["status"] as? String == "no-data")
            let adoption = try #require((indicator.object["governmentAdoption"] as? [[String: Any]])?.first)
            #expect(adoption["spendRate"] as? Double == 1 && adoption["offeringsUsed"] as? Int == 1 && adoption["domesticOfferingsUsed"] as? Int == 1)
            let trend = indicator.object["trend"] as? [[String: Any]] ?? []
            #expect(trend.contains { $0["fiscalYear"] as? Int == 2025 && $0["scope"] as? String == "overall" && $0["gap"] as? Double == -0.0667 })
            // Trend years run to the last target.
            let fullTrend = try await APIClient(client).get("/api/v1/sovereignty/indicator")
            #expect((fullTrend.object["trend"] as? [[String: Any]])?.contains { $0["fiscalYear"] as? Int == 2030 && $0["target"] as? Double == 0.55 } == true)

            let csv = try await APIClient(client).get("/api/v1/sovereignty/indicator.csv?year=2025")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(csv.text.contains("2025,overall,all,全体,Overall,published,,7,6,"))
            let etag = try #require(csv.headers[.eTag])
            #expect(try await APIClient(client).call(.get, "/api/v1/sovereignty/indicator.csv?year=2025", headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await APIClient(client).get("/api/v1/sovereignty/indicator.csv?table=government-adoption").text.contains("2025,published,4,1,1,1,1"))
            #expect(try await APIClient(client).get("/api/v1/sovereignty/targets").array.count == 2)
        }
    }

    @Test("publishing a yearly figure writes a public record whose content hash matches; unchanged figures are not republished")
    func publication() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let product = try await platform.offering(vendor: sakura, name: "EDR")
            try await platform.declare("city@demo.shinrai.example", product, year: 2025, spend: 500)
            let reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            #expect(try await member.post("/api/v1/sovereignty/publications", #"{"fiscalYear":2025}"#).status == .forbidden)
            #expect(try await reviewer.post("/api/v1/sovereignty/publications", #"{"fiscalYear":2019}"#).status == .unprocessableContent)

            let first = try await reviewer.post("/api/v1/sovereignty/publications", #"{"fiscalYear":2025}"#)
            #expect(first.status == .created)
            #expect(first.object["recordNumber"] as? String == "SSR-2025" && first.object["revision"] as? Int == 1)
            let content = try #require(first.object["content"] as? String)
            let hash = TLogHex.encode(MerkleHashing.sha256(Data(content.utf8)))
            #expect(first.object["contentHash"] as? String == hash)
            let index = try #require(first.object["logIndex"] as? Int)
            let entry = try #require(try await TransparencyLogStore.entry(index: Int64(index), on: platform.services.db))
            #expect(entry.entry.contentHash == hash && entry.entry.recordNumber == "SSR-2025" && entry.entry.type == "sovereignty.indicator")
            // The figure rests on one declarer: the published content carries no spend.
            #expect(!content.contains("totalSpendYen") && content.contains("\"suppressed\""))

            #expect(try await reviewer.post("/api/v1/sovereignty/publications", #"{"fiscalYear":2025}"#).status == .conflict)
            try await platform.declare(DemoAccounts.member, product, year: 2025, spend: 700)
            let second = try await reviewer.post("/api/v1/sovereignty/publications", #"{"fiscalYear":2025}"#)
            #expect(second.object["revision"] as? Int == 2)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "SSR-2025", on: platform.services.db).count == 2)
            let list = try await APIClient(client).get("/api/v1/sovereignty/publications?year=2025")
            #expect(list.array.map { $0["revision"] as? Int } == [2, 1])
        }
    }

    @Test("overseas sales: only domestic vendors declare; the public sees the total when enough vendors declared")
    func overseasSales() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let minato = try await platform.organisation("cloud@demo.shinrai.example")
            _ = try await platform.offering(vendor: minato, name: "Foreign", country: "US")
            let cloud = APIClient(client, token: try await platform.token(for: "cloud@demo.shinrai.example"))
            #expect(try await cloud.post("/api/v1/sovereignty/overseas-sales", #"{"fiscalYear":2025,"amountYen":100}"#).status == .conflict)
            var emails: [String] = []
            for n in 1...3 {
                let vendor = try await platform.declarer("vendor\(n)", number: 20 + n)
                _ = try await platform.offering(vendor: vendor.id, name: "Product \(n)")
                emails.append(vendor.email)
            }
            for (n, email) in emails.enumerated() {
                let api = APIClient(client, token: try await platform.token(for: email))
                #expect(try await api.post("/api/v1/sovereignty/overseas-sales", #"{"fiscalYear":2025,"amountYen":\#((n + 1) * 1_000_000),"markets":"ASEAN"}"#).status == .ok)
                if n == 1 {
                    let suppressed = try await APIClient(client).get("/api/v1/sovereignty/indicator")
                    let year = (suppressed.object["overseasSales"] as? [[String: Any]])?.first
                    #expect(year?["status"] as? String == "suppressed" && year?["totalYen"] == nil && year?["vendors"] as? Int == 2)
                }
            }
            let api = APIClient(client, token: try await platform.token(for: emails[0]))
            #expect(try await api.post("/api/v1/sovereignty/overseas-sales", #"{"fiscalYear":2025,"amountYen":1500000}"#).status == .ok)
            #expect(try await api.post("/api/v1/sovereignty/overseas-sales", #"{"fiscalYear":2030,"amountYen":-1}"#).errorPointers.sorted() == ["/amountYen", "/fiscalYear"])
            #expect(try await api.get("/api/v1/sovereignty/overseas-sales").array.count == 1)
            let published = try await APIClient(client).get("/api/v1/sovereignty/indicator")
            let year = try #require((published.object["overseasSales"] as? [[String: Any]])?.first)
            #expect(year["status"] as? String == "published" && year["totalYen"] as? Int == 6_500_000 && year["vendors"] as? Int == 3)
        }
    }

    @Test("administrators edit categories; codes are stable and unique")
    func categories() async throws {
        try await TestPlatform.withClient(modules: Self.module) { platform, client in
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            let created = try await admin.post("/api/v1/sovereignty/categories", #"{"code":"ot-security","nameJa":"制御システムセキュリティ","nameEn":"OT security"}"#)
            #expect(created.status == .created)
            let id = try #require(created.object["id"] as? String)
            #expect(try await admin.post("/api/v1/sovereignty/categories", #"{"code":"ot-security","nameJa":"x","nameEn":"x"}"#).status == .conflict)
            #expect(try await admin.post("/api/v1/sovereignty/categories", #"{"code":"OT Security!","nameJa":"","nameEn":"x"}"#).errorPointers.sorted() == ["/code", "/nameJa"])
            #expect(try await admin.put("/api/v1/sovereignty/categories/\(id)", #"{"code":"ot","nameJa":"x","nameEn":"x"}"#).status == .unprocessableContent)
            let renamed = try await admin.put("/api/v1/sovereignty/categories/\(id)", #"{"code":"ot-security","nameJa":"OTセキュリティ","nameEn":"OT security","active":false}"#)
            #expect(renamed.object["nameJa"] as? String == "OTセキュリティ" && renamed.object["active"] as? Bool == false)
            let member = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
            #expect(try await member.post("/api/v1/sovereignty/categories", #"{"code":"z","nameJa":"z","nameEn":"z"}"#).status == .forbidden)
            // An inactive category cannot take new offerings.
            #expect(try await member.post("/api/v1/sovereignty/offerings", #"{"name":"x","kind":"product","category":"ot-security"}"#).errorPointers == ["/category"])
            #expect(try await APIClient(client).get("/api/v1/sovereignty/categories").array.count == 13)
        }
    }
}
