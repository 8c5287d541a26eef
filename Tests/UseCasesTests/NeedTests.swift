import Foundation
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Needs: matching, responses, closing as solved")
struct NeedTests {
    static func need(title: String = "会議録の要約を住民向けに作りたい", category: String? = "minutes", industry: String = "S") -> String {
        let object: [String: Any] = ["title": title, "problem": "議会の会議録が長く、住民に読まれていない。議事録を要約した資料を作りたい。",
                                     "industry": industry, "category": category as Any, "constraints": "LGWAN接続系で使えること",
                                     "budgetMinYen": 0, "budgetMaxYen": 500_000, "region": "13", "contactDepartment": "広報課"]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object.filter { !($0.value is NSNull) }), as: UTF8.self)
    }

    @Test("a need is matched with similar published cases and the organisations that published them; the requester sees the responses and closes it as solved")
    func wholeFlow() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let member = try await Session.signIn(platform, client, Fixture.member)
            let cloud = try await Session.signIn(platform, client, Fixture.cloud)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let anonymous = APIClient(client)
            // The SME published a minutes case; the city published one too; an unrelated case in another industry and category.
            let memberCase = try await publish(Fixture.content(title: "会議録の要約サービス", summary: "議事録を要約して配布する。", organisationType: .sme),
                                               by: member, moderator: reviewer)
            let cityCase = try await publish(Fixture.content(title: "庁内会議の議事録要約"), by: city, moderator: reviewer)
            let unrelated = try await publish(Fixture.content(title: "在庫の需要予測", summary: "販売データから発注量を決める。", category: "data-analysis",
                                                              industry: "I", organisationType: .sme), by: cloud, moderator: reviewer)

            let posted = try await city.api.post("/api/v1/usecase-needs", Self.need())
            #expect(posted.status == .created, "\(posted.text)")
            let number = try #require(posted.object["number"] as? String)

            // Matching: similar cases (any organisation's), and organisations other than the requester.
            let matches = try await anonymous.get("/api/v1/usecase-needs/\(number)/matches")
            let cases = (matches.object["useCases"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            #expect(Set(cases).isSuperset(of: [memberCase, cityCase]))
            #expect(!cases.contains(unrelated))
            let organisations = (matches.object["organisations"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(organisations.count == 1, "\(organisations)")
            #expect(!organisations.contains("千代田区（デモ）"))

            // Responses: not to one's own need, only with one's own published case, never after closing.
            #expect(try await city.api.post("/api/v1/usecase-needs/\(number)/responses", #"{"message":"自分で回答"}"#).status == .conflict)
            #expect(try await member.api.post("/api/v1/usecase-needs/\(number)/responses",
                                              #"{"message":"当社の事例です","usecaseNumber":"\#(cityCase)"}"#).status == .unprocessableContent)
            #expect(try await member.api.post("/api/v1/usecase-needs/\(number)/responses", #"{"message":"  "}"#).status == .unprocessableContent)
            let answered = try await member.api.post("/api/v1/usecase-needs/\(number)/responses",
                                                     #"{"message":"当社の要約サービスで対応できます。","usecaseNumber":"\#(memberCase)"}"#)
            #expect(answered.status == .created, "\(answered.text)")
            #expect(try await cloud.api.post("/api/v1/usecase-needs/\(number)/responses", #"{"message":"クラウド基盤を提供できます。"}"#).status == .created)

            // The requester sees every response; a responder its own; the public only the count.
            let forRequester = try await city.api.get("/api/v1/usecase-needs/\(number)")
            #expect((forRequester.object["responses"] as? [[String: Any]])?.count == 2)
            #expect((forRequester.object["responses"] as? [[String: Any]])?.first?["usecaseNumber"] as? String == memberCase)
            let forCloud = try await cloud.api.get("/api/v1/usecase-needs/\(number)")
            #expect((forCloud.object["responses"] as? [[String: Any]])?.map { $0["message"] as? String } == ["クラウド基盤を提供できます。"])
            let forPublic = try await anonymous.get("/api/v1/usecase-needs/\(number)")
            #expect(forPublic.object["responses"] == nil)
            #expect(forPublic.object["responseCount"] as? Int == 2)
            var requesterBrowser = Browser(client)
            try await requesterBrowser.signIn(Fixture.city)
            let page = try await requesterBrowser.get("/usecases/needs/\(number)")
            #expect(page.body.contains("当社の要約サービスで対応できます。"))
            #expect(page.body.contains("/usecases/\(memberCase)"))
            var visitor = Browser(client)
            #expect(!(try await visitor.get("/usecases/needs/\(number)")).body.contains("当社の要約サービスで対応できます。"))

            // Closing: only the requester (or a moderator); as solved only with a published case.
            #expect(try await member.api.post("/api/v1/usecase-needs/\(number)/close", #"{"solvedBy":"\#(memberCase)"}"#).status == .forbidden)
            #expect(try await city.api.post("/api/v1/usecase-needs/\(number)/close", #"{"solvedBy":"UC-1999-0001"}"#).status == .unprocessableContent)
            let closed = try await city.api.post("/api/v1/usecase-needs/\(number)/close", #"{"solvedBy":"\#(memberCase)","note":"導入を決めました"}"#)
            #expect(closed.status == .ok)
            #expect(closed.object["status"] as? String == "solved")
            #expect(closed.object["solvedBy"] as? String == memberCase)
            let solvedPage = try await visitor.get("/usecases/needs/\(number)")
            #expect(solvedPage.body.contains("href=\"/usecases/\(memberCase)\""))
            #expect(try await cloud.api.post("/api/v1/usecase-needs/\(number)/responses", #"{"message":"まだ間に合いますか"}"#).status == .conflict)
            #expect(try await anonymous.get("/api/v1/usecase-needs").object["total"] as? Int == 0)           // open ones by default
            #expect(try await anonymous.get("/api/v1/usecase-needs?status=solved").object["total"] as? Int == 1)
        }
    }

    @Test("a need is checked like any other input")
    func validation() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let bad = #"{"title":"","problem":"x","industry":"Z","category":"nope","budgetMinYen":10,"budgetMaxYen":5,"region":"48","deadline":"2000-01-01","contactDepartment":"課"}"#
            let reply = try await city.api.post("/api/v1/usecase-needs", bad)
            #expect(reply.status == .unprocessableContent)
            let pointers = Set((reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
            #expect(pointers == ["/title", "/industry", "/category", "/budgetMaxYen", "/region", "/deadline"])
            #expect(try await platform.count(NeedRecord.self) == 0)
        }
    }
}
