import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import Sovereignty

@Suite("Sovereignty pages and demo")
struct SovereigntyWebTests {
    static let module: [any ShinraiModule] = [SovereigntyModule()]

    /// No missing catalogue key (the catalogue shows the key itself) and no Swift optional leaks into a page.
    static func clean(_ page: Browser.Page) -> Bool {
        !page.body.contains("Optional(") && page.body.range(of: #"sovereignty\.[A-Za-z]+\.[A-Za-z]"#, options: .regularExpression) == nil
    }

    @Test("public pages answer without data; signed-in pages send the public to sign in")
    func publicPages() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { _, client in
            var browser = Browser(client)
            for path in ["/sovereignty", "/sovereignty/methodology", "/sovereignty/offerings", "/sovereignty/vendors", "/sovereignty/infrastructure",
                         "/sovereignty/publications", "/sovereignty/sovereignty.css", "/sovereignty?lang=en", "/sovereignty/methodology?lang=en"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok && Self.clean(page), "\(path)")
            }
            let methodology = try await browser.get("/sovereignty/methodology")
            #expect(methodology.body.contains("SEAL-4") && methodology.body.contains("0.5000"))
            for path in ["/sovereignty/my", "/sovereignty/admin", "/sovereignty/declarations", "/sovereignty/offerings/new"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true, "\(path)")
            }
            #expect(try await browser.get("/sovereignty/offerings/\(UUID())").status == .notFound)
            #expect(try await browser.get("/sovereignty?year=1990").status == .notFound)
            #expect(try await browser.get("/sovereignty/offerings?kind=gadget").status == .badRequest)
        }
    }

    @Test("a member keeps the profile, an offering and declarations in the browser, with errors shown on the form")
    func memberForms() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            var browser = Browser(client)
            try await browser.signIn(DemoAccounts.member)
            #expect(try await browser.get("/sovereignty/my").status == .ok)
            #expect(try await browser.get("/sovereignty/vendors/\(sakura)/profile").status == .ok)
            let profile: [(String, String)] = [("headquarters", "JP"), ("governingLaw", "JP"), ("development", "JP, VN"), ("operation", "JP"),
                                               ("support", "JP"), ("dataLocation", "JP"), ("evidenceLabel1", "IR"), ("evidenceUrl1", "https://example.jp/ir")]
            // Without the form token nothing is saved.
            #expect(try await browser.post("/sovereignty/vendors/\(sakura)/profile", profile, csrf: "forged").status == .forbidden)
            let refused = try await browser.post("/sovereignty/vendors/\(sakura)/profile", [("headquarters", "XX"), ("development", "Japan")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary") && refused.body.contains("href=\"#field-headquarters\""))
            #expect(try await platform.count(VendorProfile.self) == 0)
            let saved = try await browser.post("/sovereignty/vendors/\(sakura)/profile", profile)
            #expect(saved.status == .seeOther && saved.location == "/sovereignty/vendors/\(sakura)?done=saved")
            #expect(try await browser.get(saved.location!).body.contains("IR"))

            for path in ["/sovereignty/offerings/new", "/sovereignty/offerings/new?lang=en", "/sovereignty/vendors/\(sakura)/profile?lang=en", "/sovereignty/offerings/new?lang=ja"] {
                let form = try await browser.get(path)
                #expect(form.status == .ok && Self.clean(form), "\(path)")
            }
            let badOffering = try await browser.post("/sovereignty/offerings", [("kind", "product"), ("name", ""), ("category", "endpoint"), ("foreignLawsMode", "inherit")])
            #expect(badOffering.status == .unprocessableContent && badOffering.body.contains("error-name"))
            let created = try await browser.post("/sovereignty/offerings", [("kind", "product"), ("name", "さくらEDR"), ("category", "endpoint"), ("unit", "devices"),
                                                                           ("foreignLawsMode", "none"), ("development", "")])
            #expect(created.status == .seeOther)
            let offering = try #require(try await Offering.query(on: platform.services.db).first())
            #expect(offering.foreignLaws == "")
            let page = try await browser.get(created.location!)
            #expect(page.body.contains("さくらEDR") && page.body.contains("SEAL-4") && page.body.contains("/log/entries/"))
            #expect(try await browser.post("/sovereignty/offerings/\(offering.id!)", [("name", "さくらEDR 2"), ("category", "endpoint"), ("unit", "devices"),
                                                                                   ("foreignLawsMode", "inherit")]).status == .seeOther)
            #expect(try await Offering.find(offering.id, on: platform.services.db)?.revision == 2)

            // Declarations: a form error, a declaration, an edit, then a CSV paste with one wrong row.
            #expect(try await browser.get("/sovereignty/declarations/new").status == .ok)
            let missing = try await browser.post("/sovereignty/declarations", [("offering", offering.number), ("fiscalYear", "2025"), ("governmentSystem", "false")])
            #expect(missing.status == .unprocessableContent && missing.body.contains("error-spendYen"))
            let declared = try await browser.post("/sovereignty/declarations", [("offering", offering.number), ("fiscalYear", "2025"), ("spendYen", "1,200,000"),
                                                                               ("governmentSystem", "false")])
            #expect(declared.status == .seeOther)
            let list = try await browser.get("/sovereignty/declarations?year=2025")
            #expect(list.body.contains("1,200,000円"))
            let declaration = try #require(try await Declaration.query(on: platform.services.db).first())
            #expect(try await browser.get("/sovereignty/declarations/\(declaration.id!)/edit").status == .ok)
            #expect(try await browser.post("/sovereignty/declarations/\(declaration.id!)", [("offering", offering.number), ("fiscalYear", "2025"),
                                                                                           ("units", "30"), ("governmentSystem", "false")]).status == .seeOther)
            #expect(try await Declaration.find(declaration.id, on: platform.services.db)?.units == 30)

            #expect(try await browser.get("/sovereignty/declarations/import").status == .ok)
            let csv = "offering,fiscal_year,spend_yen\n\(offering.number),2024,100\n\(offering.number),2030,100\n"
            let refusedImport = try await browser.post("/sovereignty/declarations/import", [("csv", csv), ("mode", "all-or-nothing")])
            #expect(refusedImport.status == .unprocessableContent)
            #expect(refusedImport.body.contains("<td data-label=") && refusedImport.body.contains("value=\"valid-only\" checked"))
            #expect(try await platform.count(Declaration.self) == 1)
            let partial = try await browser.post("/sovereignty/declarations/import", [("csv", csv), ("mode", "valid-only")])
            #expect(partial.status == .ok)
            #expect(try await platform.count(Declaration.self) == 2)
            // A file instead of pasted text (with a byte-order mark, as spreadsheets save it); other files are refused.
            #expect(try await browser.get("/sovereignty/declarations/import").body.contains("enctype=\"multipart/form-data\""))
            let file = Data([0xEF, 0xBB, 0xBF]) + Data("提供物番号,年度,支出額（円）\n\(offering.number),2023,\"3,000円\"\n".utf8)
            let uploaded = try await browser.upload("/sovereignty/declarations/import", [("mode", "all-or-nothing")],
                                                    files: [("file", "declarations.csv", "text/csv", file)])
            #expect(uploaded.status == .ok)
            #expect(try await Declaration.query(on: platform.services.db).filter(\.$fiscalYear == 2023).first()?.spendYen == 3000)
            let picture = try await browser.upload("/sovereignty/declarations/import", [], files: [("file", "chart.png", "image/png", Data([0x89, 0x50, 0x4E, 0x47]))])
            #expect(picture.status == .unprocessableContent && picture.body.contains("error-file"))
            let shiftJIS = try await browser.upload("/sovereignty/declarations/import", [], files: [("file", "old.csv", "text/csv", Data([0x94, 0x4E, 0x93, 0x78]))])
            #expect(shiftJIS.status == .unprocessableContent && shiftJIS.body.contains("error-file") && shiftJIS.body.contains("CSV UTF-8（コンマ区切り）"))
            #expect(try await platform.count(Declaration.self) == 3)
            let template = try await browser.get("/sovereignty/declarations/template.csv")
            #expect(template.headers[.contentType]?.hasPrefix("text/csv") == true && template.body.contains("fiscal_year"))

            #expect(try await browser.post("/sovereignty/declarations/\(declaration.id!)/delete", []).status == .seeOther)
            #expect(try await platform.count(Declaration.self) == 2)

            // Administration is for administrators.
            #expect(try await browser.get("/sovereignty/admin").status == .forbidden)
            #expect(try await browser.post("/sovereignty/admin/targets", [("fiscalYear", "2026"), ("scope", "overall"), ("rate", "30")]).status == .forbidden)
        }
    }

    @Test("a form reports every error at once, those found reading it and those of the rules")
    func allErrorsAtOnce() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            var browser = Browser(client)
            try await browser.signIn(DemoAccounts.member)
            #expect(try await browser.get("/sovereignty/offerings/new").status == .ok)
            let offering = try await browser.post("/sovereignty/offerings", [("kind", "infrastructure"), ("name", ""), ("category", "compute"),
                                                                            ("siteCountry", "XX"), ("development", "Japan"), ("gpuCount", "many"),
                                                                            ("foreignLawsMode", "inherit")])
            #expect(offering.status == .unprocessableContent)
            for id in ["error-gpuCount", "error-name", "error-siteCountry", "error-siteType", "error-development"] {
                #expect(offering.body.contains(id), "\(id)")
            }
            #expect(try await platform.count(Offering.self) == 0)

            let declaration = try await browser.post("/sovereignty/declarations", [("offering", "SVO-1999-0001"), ("fiscalYear", "2025"),
                                                                                  ("spendYen", "about a million"), ("governmentSystem", "false")])
            #expect(declaration.status == .unprocessableContent)
            #expect(declaration.body.contains("error-spendYen") && declaration.body.contains("error-offering"))
            #expect(try await platform.count(Declaration.self) == 0)
        }
    }

    @Test("every offering list has the domestic filter: the register, a vendor's page, the infrastructure sites, the member's own")
    func domesticFilterEverywhere() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            let sakura = try await platform.organisation(DemoAccounts.member)
            let minato = try await platform.organisation("cloud@demo.shinrai.example")
            let domesticSite = try await platform.offering(vendor: sakura, name: "Domestic DC", kind: .infrastructure, category: "compute")
            let product = try await platform.offering(vendor: sakura, name: "Domestic EDR")
            // The same vendor's site abroad, developed and supported there: 0.45, SEAL-2, not domestic.
            let abroad = try await platform.sovereignty.createOffering(OfferingInput(vendorId: sakura, name: "Overseas DC", kind: .infrastructure, category: "compute",
                                                                                     development: ["US"], support: ["US"], siteType: .dataCentre, siteCountry: "US"),
                                                                       by: try await platform.identity(DemoAccounts.reviewer))
            _ = try await platform.offering(vendor: minato, name: "Foreign DC", country: "US", kind: .infrastructure, category: "compute")
            var browser = Browser(client)
            let infrastructure = try await browser.get("/sovereignty/infrastructure?domestic=true")
            #expect(infrastructure.status == .ok && infrastructure.body.contains("id=\"field-domestic\""))
            #expect(infrastructure.body.contains(domesticSite.number) && !infrastructure.body.contains(abroad.number))
            let foreignSites = try await browser.get("/sovereignty/infrastructure?domestic=false")
            #expect(!foreignSites.body.contains(domesticSite.number) && foreignSites.body.contains(abroad.number) && foreignSites.body.contains("Foreign DC"))
            let vendor = try await browser.get("/sovereignty/vendors/\(sakura)?domestic=false")
            #expect(vendor.status == .ok && vendor.body.contains("id=\"field-domestic\""))
            #expect(vendor.body.contains(abroad.number) && !vendor.body.contains(product.number))
            #expect(try await browser.get("/sovereignty/vendors/\(sakura)?domestic=true").body.contains(product.number))
            #expect(try await browser.get("/sovereignty/vendors/\(sakura)?domestic=maybe").status == .badRequest)
            #expect(try await browser.get("/sovereignty/offerings?domestic=true").body.contains("id=\"field-domestic\""))
            try await browser.signIn(DemoAccounts.member)
            let own = try await browser.get("/sovereignty/my?domestic=true")
            #expect(own.status == .ok && own.body.contains(product.number) && !own.body.contains(abroad.number))
        }
    }

    @Test("administrators add a parameter version, targets and categories in the browser; reviewers publish")
    func administration() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            var admin = Browser(client)
            try await admin.signIn(DemoAccounts.admin)
            #expect(try await admin.get("/sovereignty/admin").status == .ok)
            let form = try await admin.get("/sovereignty/admin/parameters/new")
            #expect(form.status == .ok && form.body.contains("value=\"0.6\""))
            var fields: [(String, String)] = [("effectiveFrom", "2027"), ("domesticLevel", "3"), ("minimumDeclarers", "5"), ("note", "")]
            fields += Criterion.allCases.map { ("w_\($0.rawValue)", "10") }
            fields += [("threshold1", "0.2"), ("threshold2", "0.1"), ("threshold3", "0.6"), ("threshold4", "0.8")]
            let refused = try await admin.post("/sovereignty/admin/parameters", fields)
            #expect(refused.status == .unprocessableContent && refused.body.contains("error-note"))
            fields = fields.map { $0.0 == "note" ? ("note", "見直し") : ($0.0 == "threshold2" ? ("threshold2", "0.4") : $0) }
            #expect(try await admin.post("/sovereignty/admin/parameters", fields).status == .seeOther)
            #expect(try await ParameterVersion.query(on: platform.services.db).count() == 2)

            #expect(try await admin.post("/sovereignty/admin/targets", [("fiscalYear", "2027"), ("scope", "overall"), ("rate", "abc")]).status == .unprocessableContent)
            #expect(try await admin.post("/sovereignty/admin/targets", [("fiscalYear", "2027"), ("scope", "overall"), ("rate", "35.5")]).status == .seeOther)
            #expect(try await Target.query(on: platform.services.db).first()?.rateBP == 3550)
            #expect(try await admin.post("/sovereignty/admin/targets", [("fiscalYear", "2027"), ("scope", "overall"), ("rate", ""), ("remove", "1")]).status == .seeOther)
            #expect(try await platform.count(Target.self) == 0)

            #expect(try await admin.post("/sovereignty/admin/categories", [("code", "ot-security"), ("nameJa", "OT"), ("nameEn", "OT"), ("active", "true")]).status == .seeOther)
            let category = try #require(try await SecurityCategory.query(on: platform.services.db).filter(\.$code == "ot-security").first())
            #expect(try await admin.get("/sovereignty/admin/categories/\(category.id!)").status == .ok)
            #expect(try await admin.post("/sovereignty/admin/categories/\(category.id!)", [("nameJa", "OTセキュリティ"), ("nameEn", "OT security")]).status == .seeOther)
            #expect(try await SecurityCategory.find(category.id, on: platform.services.db)?.active == false)

            let sakura = try await platform.organisation(DemoAccounts.member)
            let product = try await platform.offering(vendor: sakura, name: "EDR")
            try await platform.declare("city@demo.shinrai.example", product, year: 2025, spend: 100)
            var reviewer = Browser(client)
            try await reviewer.signIn(DemoAccounts.reviewer)
            let dashboard = try await reviewer.get("/sovereignty?year=2025")
            #expect(dashboard.body.contains("action=\"/sovereignty/publications\""))
            let published = try await reviewer.post("/sovereignty/publications", [("fiscalYear", "2025")])
            #expect(published.status == .seeOther)
            #expect(try await reviewer.get(published.location!).body.contains("SSR-2025"))
            #expect(try await reviewer.post("/sovereignty/publications", [("fiscalYear", "2025")]).status == .conflict)
        }
    }

    @Test("the demo loads once, publishes figures and shows every page")
    func demo() async throws {
        try await TestPlatform.withClient(modules: Self.module, clock: Clock(fixed: juneFY2026)) { platform, client in
            try await SovereigntyModule().loadDemo(services: platform.services)
            let offerings = try await platform.count(Offering.self)
            let declarations = try await platform.count(Declaration.self)
            #expect(offerings == SovereigntyDemo.offerings.count)
            #expect(declarations > 200)
            try await SovereigntyModule().loadDemo(services: platform.services)
            #expect(try await platform.count(Offering.self) == offerings)
            #expect(try await platform.count(Declaration.self) == declarations)
            #expect(try await platform.count(Publication.self) == 2)

            let indicator = try await APIClient(client).get("/api/v1/sovereignty/indicator")
            #expect(indicator.object["years"] as? [Int] == [2022, 2023, 2024, 2025])
            let cells = indicator.object["cells"] as? [[String: Any]] ?? []
            let overall = cells.filter { $0["dimension"] as? String == "overall" }
            #expect(overall.count == 4 && overall.allSatisfy { $0["status"] as? String == "published" })
            let rates = overall.compactMap { $0["rate"] as? Double }
            #expect(rates.first! < rates.last!)

            var browser = Browser(client)
            let dashboard = try await browser.get("/sovereignty")
            #expect(dashboard.status == .ok && dashboard.body.contains("<svg") && dashboard.body.contains("SSR-2022"))
            // The demo sets targets per kind: each such kind has its own chart of actual against target.
            for kind in OfferingKind.allCases { #expect(dashboard.body.contains("id=\"sovereignty-trend-\(kind.rawValue)-title\""), "\(kind)") }
            for path in ["/sovereignty?year=2023&lang=en", "/sovereignty/offerings?domestic=true", "/sovereignty/vendors", "/sovereignty/infrastructure",
                         "/sovereignty/methodology", "/sovereignty/infrastructure?lang=en", "/sovereignty/vendors?lang=en"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok && Self.clean(page), "\(path)")
            }
            let sovereign = try #require(try await Offering.query(on: platform.services.db).filter(\.$name == "Northwind 国内主権クラウド（デモ）").first())
            let page = try await browser.get("/sovereignty/offerings/\(sovereign.id!)")
            #expect(page.body.contains("SEAL-3"))
            #expect(try await browser.get("/sovereignty/vendors/\(sovereign.$vendor.id)").status == .ok)
            try await browser.signIn("cloud@demo.shinrai.example")
            let waf = try #require(try await Offering.query(on: platform.services.db).filter(\.$name == "みなとWAF（デモ）").first())
            for path in ["/sovereignty/my", "/sovereignty/declarations", "/sovereignty/overseas-sales", "/sovereignty/declarations/new",
                         "/sovereignty/declarations/import", "/sovereignty/offerings/\(waf.id!)/edit"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok && Self.clean(page), "\(path)")
            }
            var admin = Browser(client)
            try await admin.signIn(DemoAccounts.admin)
            for path in ["/sovereignty/admin", "/sovereignty/declarations", "/sovereignty/admin/parameters/new", "/sovereignty/admin/categories/new",
                         "/sovereignty?lang=en"] {
                let page = try await admin.get(path)
                #expect(page.status == .ok && Self.clean(page), "\(path)")
            }
        }
    }
}
