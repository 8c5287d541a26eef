import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CyberDisclosure

/// Shared set-up for the HTTP tests: the demo member's organisation registered as a listed company.
enum Fixture {
    /// 法人番号 of さくら情報システム株式会社（デモ）, the organisation of member@demo.shinrai.example.
    static let memberCorporateNumber = "\(CorporateNumber.checkDigit(for: "010401990002"))010401990002"
    static let cloudCorporateNumber = "\(CorporateNumber.checkDigit(for: "010401990003"))010401990003"

    static func number(_ base: String) -> String { "\(CorporateNumber.checkDigit(for: base))\(base)" }

    static func reviewer(_ platform: Platform, _ client: any TestClientProtocol) async throws -> APIClient {
        APIClient(client, token: try await platform.token(for: DemoAccounts.reviewer))
    }

    static func member(_ platform: Platform, _ client: any TestClientProtocol) async throws -> APIClient {
        APIClient(client, token: try await platform.token(for: DemoAccounts.member))
    }

    /// Registers the member's organisation as listed company `code`.
    @discardableResult
    static func registerMemberCompany(_ platform: Platform, _ client: any TestClientProtocol, code: String = "130A",
                                      sec: Bool = false, nis2: Bool = false) async throws -> APIClient.Reply {
        let reply = try await reviewer(platform, client).post("/api/v1/disclosure/companies", """
            {"corporateNumber":"\(memberCorporateNumber)","securitiesCode":"\(code)","name":"さくら情報システム株式会社（デモ）",
             "marketSegment":"prime","fiscalYearEndMonth":3,"secRegistrant":\(sec),"nis2Entity":\(nis2)}
            """)
        #expect(reply.status == .created, "\(reply.text)")
        return reply
    }

    static let completeContent = """
        {"title":"ランサムウェアによるシステム障害","summary":"2026年4月29日夜、基幹サーバがランサムウェアにより暗号化された。",
         "systemsAffected":"受注管理システム、社内ファイルサーバ","dataAffected":"取引先の連絡先情報の一部","affectedPeople":1200,
         "businessImpact":"受注業務を4月30日から停止している。","countermeasures":"ネットワークを遮断し、外部専門家と調査中。",
         "responseStatus":"contained","financialImpact":{"kind":"undetermined","undeterminedReason":"復旧費用を調査中のため"},
         "cause":"VPN機器の脆弱性","personalDataItems":"氏名、メールアドレス","secondaryDamage":"現時点で確認されていない","crossBorderImpact":"なし"}
        """

    static func incidentJSON(discovered: String = "2026-04-30T09:00:00+09:00", determined: String = "2026-04-30T21:00:00+09:00",
                             personalData: Bool = false, malicious: Bool = false, content: String = completeContent) -> String {
        """
        {"discoveredAt":"\(discovered)","determinedAt":"\(determined)","personalData":\(personalData),"malicious":\(malicious),"content":\(content)}
        """
    }

    static func logSize(_ platform: Platform) async throws -> Int64 {
        try await TransparencyLogStore.head(on: platform.services.db).size
    }
}

extension APIClient {
    func put(_ path: String, _ json: String) async throws -> Reply { try await call(.put, path, json: json) }
}

extension APIClient.Reply {
    var errorPointers: Set<String> {
        Set((object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
    }

    func obligation(_ key: String) -> [String: Any]? {
        (object["obligations"] as? [[String: Any]])?.first { $0["key"] as? String == key }
    }
}
