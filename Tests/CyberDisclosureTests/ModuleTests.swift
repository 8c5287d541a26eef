import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

@Suite("CyberDisclosure module")
struct ModuleTests {
    @Test("the module names itself, its live sections and where they start")
    func identity() {
        let module = CyberDisclosureModule()
        #expect(module.id == "cyberdisclosure")
        #expect(module.operationalSections == ["2.6", "2.7"])
        #expect(Set(module.entryPoints.keys) == module.operationalSections)
        #expect(module.migrations.map(\.name) == ["disclosure.v1.create", "disclosure.v1.seed"])
    }

    @Test("every API operation of the module is documented under /api/v1/disclosure with a schema for each reference")
    func openAPI() async throws {
        try await TestPlatform.with(modules: [CyberDisclosureModule()], demo: false) { platform in
            let operations = platform.routes.operations.filter { $0.path.hasPrefix("/api/v1/disclosure") }
            #expect(operations.count >= 30)
            let data = try JSONSerialization.data(withJSONObject: platform.openAPIDocument)
            let text = String(decoding: data, as: UTF8.self)
            let schemas = Set(((platform.openAPIDocument["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]).keys)
            for match in text.matches(of: /#\\\/components\\\/schemas\\\/([A-Za-z0-9]+)/) { #expect(schemas.contains(String(match.1))) }
            #expect(platform.routes.webRoutes.allSatisfy { !$0.path.hasPrefix("/api/") })
        }
    }

    @Test("the demo loads every state of the clocks, once; its pages render")
    func demo() async throws {
        try await TestPlatform.withClient(modules: [CyberDisclosureModule()], clock: Clock(fixed: jst(2026, 11, 20, 10))) { platform, client in
            let module = CyberDisclosureModule()
            try await module.loadDemo(services: platform.services)
            let counts = (try await platform.count(ListedCompany.self), try await platform.count(Incident.self), try await platform.count(AnnualVersion.self),
                          try await platform.count(Survey.self), try await Fixture.logSize(platform))
            try await module.loadDemo(services: platform.services)
            #expect(try await platform.count(ListedCompany.self) == counts.0)
            #expect(try await Fixture.logSize(platform) == counts.4)
            #expect(counts.0 == 30)
            #expect(counts.1 == 6)
            #expect(counts.2 > 30)
            #expect(counts.3 == 2)
            let db = platform.services.db
            #expect(try await Incident.query(on: db).filter(\.$late == true).count() == 1)
            #expect(try await IncidentVersion.query(on: db).count() == 5)
            #expect(try await DelayRequest.query(on: db).filter(\.$status == .pending).count() == 1)
            #expect(try await DelayRequest.query(on: db).filter(\.$status == .ended).count() == 1)

            let reviewer = try await Fixture.reviewer(platform, client)
            let dashboard = try await reviewer.get("/api/v1/disclosure/dashboard")
            #expect((dashboard.object["open"] as? [[String: Any]])?.isEmpty == false)
            #expect((dashboard.object["pendingDelays"] as? [[String: Any]])?.count == 1)
            #expect((dashboard.object["lateFilings"] as? [[String: Any]])?.count == 1)
            let survey = try await APIClient(client).get("/api/v1/disclosure/surveys/SRV-2026-0002")
            #expect((survey.object["survey"] as? [String: Any])?["companies"] as? Int == 30)
            #expect(survey.object["previousSurvey"] as? String == "SRV-2026-0001")

            // The member files for its company, which already has a draft with a running clock.
            let member = try await Fixture.member(platform, client)
            let own = try await member.get("/api/v1/disclosure/incidents?scope=own")
            #expect(own.object["total"] as? Int == 1)

            var browser = Browser(client)
            try await browser.signIn(DemoAccounts.reviewer)
            for path in ["/disclosure", "/disclosure/incidents", "/disclosure/dashboard", "/disclosure/surveys/SRV-2026-0002", "/disclosure/annual",
                         "/disclosure/companies", "/disclosure/indexes", "/disclosure/regimes", "/disclosure/rubric", "/disclosure/incidents/INC-2026-0001"] {
                #expect(try await browser.get(path).status == .ok, "\(path)")
            }
        }
    }
}
