import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

/// Builders and shortcuts shared by the use-case tests.
enum Fixture {
    static let member = DemoAccounts.member          // さくら情報システム（デモ）
    static let city = "city@demo.shinrai.example"    // 千代田区（デモ）
    static let cloud = "cloud@demo.shinrai.example"  // みなとクラウド（デモ）
    static let reviewer = DemoAccounts.reviewer
    static let admin = DemoAccounts.admin

    static func content(title: String = "議事録の自動要約", summary: String = "会議の録音から議事録の要約を作成し、作成時間を短縮した。",
                        problem: String = "議事録の作成に1回あたり3時間かかっていた。", category: String = "minutes",
                        industry: String = "S", organisationType: OrganisationType = .municipality,
                        prompts: [UseCaseContent.PromptExample] = []) -> UseCaseContent {
        UseCaseContent(title: title, summary: summary, organisationType: organisationType,
                       municipalityScale: organisationType == .municipality ? .specialWard : nil,
                       industry: industry, category: category, stage: .production, problem: problem,
                       solutionSteps: ["録音を文字起こしする", "生成AIで要約する", "担当者が確認する"], prompts: prompts,
                       modelsUsed: ["Azure OpenAI Service"],
                       results: .init(hoursSavedPerMonth: 20, monthlyCostYen: 30000, quality: nil, measurement: "作業記録の比較"),
                       governance: .init(confidentiality: 2, personalData: false, humanReview: true, humanReviewNote: nil,
                                         countermeasures: [.promptInjection], otherCountermeasures: nil, riskChecks: []),
                       lessonsLearned: nil, contact: .init(department: "情報政策課", email: "ai@example.jp", url: nil))
    }

    static let prompt = UseCaseContent.PromptExample(
        title: "議事録の要約", template: "次の{{会議名}}の文字起こしを、決定事項と宿題に分けて要約してください。\n\n{{文字起こし}}",
        variables: [.init(name: "会議名", example: "地域公共交通会議"), .init(name: "文字起こし", example: "（文字起こしの本文）")],
        sampleOutput: nil)

    static func json(_ content: UseCaseContent) -> String {
        String(decoding: try! Storage.encoder.encode(content), as: UTF8.self)
    }
}

extension APIClient.Reply {
    var string: (String) -> String? { { key in self.object[key] as? String } }
}

/// An API session for one account.
struct Session {
    let api: APIClient

    static func signIn(_ platform: Platform, _ client: any TestClientProtocol, _ email: String) async throws -> Session {
        Session(api: APIClient(client, token: try await platform.token(for: email)))
    }

    @discardableResult
    func create(_ content: UseCaseContent) async throws -> String {
        let reply = try await api.post("/api/v1/usecase-submissions", Fixture.json(content))
        #expect(reply.status == .created, "\(reply.text)")
        return try #require(reply.object["id"] as? String)
    }

    @discardableResult
    func act(_ id: String, _ action: String, comment: String? = nil) async throws -> APIClient.Reply {
        let body = comment.map { "{\"comment\":\(String(decoding: try! JSONEncoder().encode($0), as: UTF8.self))}" } ?? "{}"
        return try await api.post("/api/v1/usecase-submissions/\(id)/\(action)", body)
    }
}

/// Creates, submits and publishes a use case; returns its number.
func publish(_ content: UseCaseContent, by owner: Session, moderator: Session) async throws -> String {
    let id = try await owner.create(content)
    #expect(try await owner.act(id, "submit").status == .ok)
    let reply = try await moderator.act(id, "publish")
    #expect(reply.status == .ok, "\(reply.text)")
    return try #require(reply.object["number"] as? String)
}
