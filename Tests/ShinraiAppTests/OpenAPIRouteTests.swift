import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiApp
import ShinraiKit
import ShinraiTestSupport
import Testing

@Suite("OpenAPI document matches the routes")
struct OpenAPIRouteTests {
    @Test("every registered API route is documented, and every documented operation is routed")
    func bothDirections() async throws {
        try await TestPlatform.withClient(modules: ShinraiApp.modules) { platform, client in
            let reply = try await APIClient(client).get("/api/v1/openapi.json")
            #expect(reply.status == .ok)
            let document = reply.object
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let registered = Set(platform.routes.operations.map { "\($0.method.uppercased()) \($0.path)" })
            #expect(registered == documented)
            // No API route bypasses the documenting registrar.
            #expect(platform.routes.webRoutes.allSatisfy { !$0.path.hasPrefix("/api/") })

            // Each documented operation answers on its path (not the router's "no route").
            for entry in documented.sorted() {
                let parts = entry.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                let path = String(parts[1]).replacingOccurrences(of: "\\{[^}]+\\}", with: "00000000-0000-0000-0000-000000000000", options: .regularExpression)
                let response = try await APIClient(client).call(method, path, json: method == .get || method == .delete ? nil : "{}")
                let body = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
                #expect(body?["type"] as? String != "/problems/no-route", "\(entry) is documented but not routed")
            }
        }
    }

    @Test("component references resolve and operation ids are unique")
    func references() async throws {
        try await TestPlatform.with(modules: ShinraiApp.modules, demo: false) { platform in
            let document = platform.openAPIDocument
            let data = try JSONSerialization.data(withJSONObject: document)
            let text = String(decoding: data, as: UTF8.self)
            let schemas = Set(((document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]).keys)
            let refs = text.matches(of: /#\\\/components\\\/schemas\\\/([A-Za-z0-9]+)/).map { String($0.1) }
            #expect(!refs.isEmpty)
            for ref in Set(refs) { #expect(schemas.contains(ref), "missing schema \(ref)") }
            let ids = platform.routes.operations.map(\.operationID)
            #expect(Set(ids).count == ids.count)
        }
    }
}

@Suite("Catalogues and templates")
struct CatalogueTests {
    @Test("Japanese and English catalogues have the same keys")
    func sameKeys() async throws {
        try await TestPlatform.with(modules: ShinraiApp.modules, demo: false) { platform in
            let catalogue = platform.services.views.catalogue
            let ja = catalogue.keys(.ja), en = catalogue.keys(.en)
            #expect(ja.subtracting(en).sorted() == [], "missing in English")
            #expect(en.subtracting(ja).sorted() == [], "missing in Japanese")
            #expect(ja.count > 100)
        }
    }

    @Test("every {{t.…}} key used in a template exists")
    func templateKeys() async throws {
        try await TestPlatform.with(modules: ShinraiApp.modules, demo: false) { platform in
            let views = platform.services.views
            let keys = views.catalogue.keys(.ja)
            var used = Set<String>()
            for (_, source) in views.templateSources {
                for match in source.matches(of: /\{\{[#^\/]?t\.([A-Za-z0-9_.\-]+)\}\}/) { used.insert(String(match.1)) }
            }
            #expect(!used.isEmpty)
            #expect(used.subtracting(keys).sorted() == [])
        }
    }

    @Test("the home page lists every proposal in Japanese and in English")
    func home() async throws {
        try await TestPlatform.withClient(modules: ShinraiApp.modules) { _, client in
            var browser = Browser(client)
            let ja = try await browser.get("/")
            #expect(ja.body.contains("<html lang=\"ja\">"))
            for proposal in ProposalMap.all { #expect(ja.body.contains(proposal.titleJa)) }
            #expect(ja.body.contains("準備中") || ja.body.contains("稼働中"))
            #expect(ja.body.contains("（令和"))
            let en = try await browser.get("/?lang=en")
            #expect(en.body.contains("<html lang=\"en\">"))
            for proposal in ProposalMap.all { #expect(en.body.contains(proposal.titleEn.replacingOccurrences(of: "'", with: "&#39;"))) }
            // The choice sticks through the cookie.
            #expect(try await browser.get("/login").body.contains("<html lang=\"en\">"))
        }
    }
}
