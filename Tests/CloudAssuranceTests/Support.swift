import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

/// API clients for the demo roles and small helpers shared by the HTTP tests.
struct CloudKit {
    let platform: Platform
    let client: any TestClientProtocol
    let provider: APIClient
    let reviewer: APIClient
    let admin: APIClient
    /// A member of another organisation (さくら情報システム).
    let other: APIClient
    let anonymous: APIClient

    static let providerEmail = "cloud@demo.shinrai.example"

    init(_ platform: Platform, _ client: any TestClientProtocol) async throws {
        self.platform = platform; self.client = client
        provider = APIClient(client, token: try await platform.token(for: Self.providerEmail))
        reviewer = APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
        admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
        other = APIClient(client, token: try await platform.token(for: DemoAccounts.member))
        anonymous = APIClient(client)
    }

    var services: Services { platform.services }

    static func clock(_ year: Int, _ month: Int, _ day: Int) -> Clock { Clock(fixed: JapaneseDate.date(year: year, month: month, day: day, hour: 10)) }

    static func serviceJSON(_ name: String, model: String = "saas") -> String {
        """
        {"name":"\(name)","serviceModel":"\(model)","description":"テスト用のサービス","governingLaw":"日本法","jurisdiction":"東京地方裁判所",
         "regions":["JP-13","JP-27"],"contacts":[{"role":"security","email":"security@example.jp"}]}
        """
    }

    /// Creates a service as the demo cloud provider; returns its number and id.
    func service(_ name: String = "テストドライブ") async throws -> (number: String, id: String) {
        let reply = try await provider.post("/api/v1/cloud/services", Self.serviceJSON(name))
        #expect(reply.status == .created, "\(reply.text)")
        return (reply.object["number"] as? String ?? "", reply.object["id"] as? String ?? "")
    }

    func event(_ client: APIClient, _ path: String, _ event: String, reason: String? = nil, reference: String? = nil) async throws -> APIClient.Reply {
        var body: [String: String] = ["event": event]
        if let reason { body["reason"] = reason }
        if let reference { body["reference"] = reference }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        return try await client.post(path, json)
    }

    func importQuestionSet() async throws {
        let document = String(decoding: try CloudDemo.sample("question-set-ipa-fast-track.json"), as: UTF8.self)
        let reply = try await reviewer.post("/api/v1/cloud/question-sets", #"{"format":"json","document":"# + document + "}")
        #expect(reply.status == .created, "\(reply.text)")
    }

    func readyJSON(_ serviceID: String) -> String {
        """
        {"serviceId":"\(serviceID)","auditFirm":"テスト監査法人","auditContractDate":"2026-05-01","gapAssessmentDone":true,"gapAssessmentDate":"2026-05-20",
         "targetList":"ismap","targetApplicationDate":"2027-03-01","scope":"本番環境","pocAvailable":true}
        """
    }

    func fastTrackJSON(_ serviceID: String, validUntil: String = "2028-03-31", covers: Bool = true) -> String {
        """
        {"serviceId":"\(serviceID)","certificate":{"issuer":"テスト認証機構","certificateNumber":"CLD-0001","scope":"テストドライブの提供","coversService":\(covers),
         "validFrom":"2025-04-01","validUntil":"\(validUntil)"}}
        """
    }

    func list(_ list: String, query: String = "") async throws -> [[String: Any]] {
        let reply = try await anonymous.get("/api/v1/cloud/lists/\(list)\(query)")
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.object["items"] as? [[String: Any]] ?? []
    }

    func notifications(kind: String) async throws -> Int {
        try await NotificationRecord.query(on: services.db).filter(\.$kind == kind).count()
    }

    func runJob(_ name: String) async throws -> String {
        let run = try #require(try await platform.scheduler.runByHand(name))
        #expect(run.outcome == "success", "\(run.message)")
        return run.message
    }
}

extension APIClient.Reply {
    var errors: [[String: Any]] { object["errors"] as? [[String: Any]] ?? [] }
    var pointers: [String] { errors.compactMap { $0["pointer"] as? String } }
}
