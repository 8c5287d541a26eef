import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Use case API: documented shapes, bad input, permissions")
struct APIContractTests {
    @Test("every use-case operation answers with the documented status and a body that matches its schema")
    func contract() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            try await UseCasesModule().loadDemo(services: platform.services)
            let checker = SchemaChecker(document: platform.openAPIDocument)
            var exercised = Set<String>()
            let member = try await Session.signIn(platform, client, Fixture.member)
            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let anonymous = APIClient(client)

            func call(_ api: APIClient, _ method: HTTPRequest.Method, _ path: String, template: String, body: String? = nil,
                      expect status: HTTPResponse.Status) async throws -> APIClient.Reply {
                let reply = try await api.call(method, path, json: body)
                #expect(reply.status == status, "\(method) \(path): \(reply.status) \(reply.text.prefix(500))")
                exercised.insert("\(method.rawValue) \(template)")
                if let schema = checker.responseSchema(method.rawValue, template, status: Int(status.code)), let json = reply.json {
                    let problems = checker.check(json, schema)
                    #expect(problems.isEmpty, "\(method) \(path): \(problems.prefix(5))")
                }
                if let requestSchema = checker.requestSchema(method.rawValue, template), let body,
                   let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) {
                    #expect(checker.check(json, requestSchema).isEmpty, "request body of \(method) \(template) does not match its schema")
                }
                return reply
            }

            let search = try await call(anonymous, .get, "/api/v1/usecases?q=%E8%AD%B0%E4%BA%8B%E9%8C%B2&industry=S&sort=reused&limit=5", template: "/api/v1/usecases", expect: .ok)
            let number = try #require((search.object["items"] as? [[String: Any]])?.first?["number"] as? String)
            _ = try await call(anonymous, .get, "/api/v1/usecases/\(number)", template: "/api/v1/usecases/{number}", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecases/\(number)/versions", template: "/api/v1/usecases/{number}/versions", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecases/\(number)/versions/1", template: "/api/v1/usecases/{number}/versions/{version}", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecases/\(number)/similar", template: "/api/v1/usecases/{number}/similar", expect: .ok)
            _ = try await call(anonymous, .post, "/api/v1/usecases/\(number)/prompts/1/fill", template: "/api/v1/usecases/{number}/prompts/{index}/fill",
                               body: #"{"values":{"市名":"函館市"}}"#, expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecase-taxonomies", template: "/api/v1/usecase-taxonomies", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecase-categories?includeInactive=true", template: "/api/v1/usecase-categories", expect: .ok)
            _ = try await call(reviewer.api, .post, "/api/v1/usecase-categories", template: "/api/v1/usecase-categories",
                               body: #"{"slug":"meeting-prep","name":"会議準備","nameEn":"Meeting preparation"}"#, expect: .created)
            _ = try await call(reviewer.api, .put, "/api/v1/usecase-categories/meeting-prep", template: "/api/v1/usecase-categories/{slug}",
                               body: #"{"active":false,"position":5}"#, expect: .ok)

            let created = try await call(member.api, .post, "/api/v1/usecase-submissions", template: "/api/v1/usecase-submissions",
                                         body: Fixture.json(Fixture.content(organisationType: .sme, prompts: [Fixture.prompt])), expect: .created)
            let id = try #require(created.object["id"] as? String)
            _ = try await call(member.api, .get, "/api/v1/usecase-submissions?status=draft", template: "/api/v1/usecase-submissions", expect: .ok)
            _ = try await call(member.api, .get, "/api/v1/usecase-submissions/\(id)", template: "/api/v1/usecase-submissions/{id}", expect: .ok)
            _ = try await call(member.api, .put, "/api/v1/usecase-submissions/\(id)?revision=1", template: "/api/v1/usecase-submissions/{id}",
                               body: Fixture.json(Fixture.content(title: "改訂", organisationType: .sme)), expect: .ok)
            _ = try await call(member.api, .post, "/api/v1/usecase-submissions/\(id)/submit", template: "/api/v1/usecase-submissions/{id}/submit", body: "{}", expect: .ok)
            _ = try await call(member.api, .post, "/api/v1/usecase-submissions/\(id)/recall", template: "/api/v1/usecase-submissions/{id}/recall", body: "{}", expect: .ok)
            _ = try await member.act(id, "submit")
            _ = try await call(reviewer.api, .post, "/api/v1/usecase-submissions/\(id)/request-changes", template: "/api/v1/usecase-submissions/{id}/request-changes",
                               body: #"{"comment":"効果の数値を追記してください。"}"#, expect: .ok)
            _ = try await member.act(id, "submit")
            let published = try await call(reviewer.api, .post, "/api/v1/usecase-submissions/\(id)/publish", template: "/api/v1/usecase-submissions/{id}/publish",
                                           body: #"{"comment":null,"revision":null}"#, expect: .ok)
            let ownNumber = try #require(published.object["number"] as? String)
            _ = try await call(member.api, .post, "/api/v1/usecase-submissions/\(id)/withdraw", template: "/api/v1/usecase-submissions/{id}/withdraw",
                               body: #"{"comment":"重複のため"}"#, expect: .ok)
            let draft = try await member.create(Fixture.content(organisationType: .sme))
            _ = try await call(member.api, .delete, "/api/v1/usecase-submissions/\(draft)", template: "/api/v1/usecase-submissions/{id}", expect: .noContent)

            let csv = "Use Case Name,Agency,What is the intended purpose and expected benefits of the AI?,Describe the AI system’s outputs.,Stage of Development\nAI triage,Department of Examples,Sort incoming mail.,\"1. Classify\n2. Route\",Operation and Maintenance\n"
            let importBody = String(decoding: try JSONSerialization.data(withJSONObject: ["format": USInventory.formatName, "csv": csv, "dryRun": true]), as: UTF8.self)
            _ = try await call(city.api, .post, "/api/v1/usecase-imports", template: "/api/v1/usecase-imports", body: importBody, expect: .ok)

            let need = try await call(city.api, .post, "/api/v1/usecase-needs", template: "/api/v1/usecase-needs",
                                      body: #"{"title":"窓口の多言語対応","problem":"外国人住民の来庁が増えた。","industry":"S","category":"translation","budgetMaxYen":500000,"region":"13","deadline":"2099-03-31","contactDepartment":"区民課"}"#,
                                      expect: .created)
            let needNumber = try #require(need.object["number"] as? String)
            _ = try await call(anonymous, .get, "/api/v1/usecase-needs?status=all&q=%E7%AA%93%E5%8F%A3", template: "/api/v1/usecase-needs", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecase-needs/\(needNumber)", template: "/api/v1/usecase-needs/{number}", expect: .ok)
            _ = try await call(anonymous, .get, "/api/v1/usecase-needs/\(needNumber)/matches", template: "/api/v1/usecase-needs/{number}/matches", expect: .ok)
            _ = try await call(member.api, .post, "/api/v1/usecase-needs/\(needNumber)/responses", template: "/api/v1/usecase-needs/{number}/responses",
                               body: #"{"message":"翻訳の仕組みをご提案できます。"}"#, expect: .created)
            _ = try await call(city.api, .post, "/api/v1/usecase-needs/\(needNumber)/close", template: "/api/v1/usecase-needs/{number}/close",
                               body: "{\"solvedBy\":\"\(number)\",\"note\":\"参考にしました\"}", expect: .ok)
            _ = ownNumber

            let documented = platform.routes.operations.filter { $0.tag == "usecases" }.map { "\($0.method) \($0.path)" }
            #expect(Set(documented).subtracting(exercised).sorted() == [])
        }
    }
}
