import FluentKit
import Foundation

/// What a domain module hands to the composition root.
public protocol ShinraiModule: Sendable {
    /// Short identifier, also the namespace of its catalogue keys and templates.
    var id: String { get }
    /// Folder holding `templates/*.mustache` and `locales/{ja,en}.json`, if any.
    var resourceDirectory: URL? { get }
    var migrations: [any Migration] { get }
    /// Seed sections (e.g. "2.3") whose system works end to end in this module.
    var operationalSections: Set<String> { get }
    /// The page where each of its sections starts (the home page links to it).
    var entryPoints: [String: String] { get }
    func routes(_ routes: Routes, services: Services)
    /// Scheduled work (expiries, reminders, deadline checks).
    func jobs(services: Services) -> [ScheduledJob]
    /// Loads demo data; must be idempotent.
    func loadDemo(services: Services) async throws
}

extension ShinraiModule {
    public var resourceDirectory: URL? { nil }
    public var migrations: [any Migration] { [] }
    public var operationalSections: Set<String> { [] }
    public var entryPoints: [String: String] { [:] }
    public func routes(_ routes: Routes, services: Services) {}
    public func jobs(services: Services) -> [ScheduledJob] { [] }
    public func loadDemo(services: Services) async throws {}
}

/// The proposals of the FY2026 paper and the module that carries each (MISSION.md).
public struct Proposal: Sendable {
    public let section: String
    public let titleJa: String
    public let titleEn: String
    public let module: String
    public let pillar: Pillar

    public enum Pillar: String, Sendable, CaseIterable { case ai, security, talent }
}

public enum ProposalMap {
    public static let all: [Proposal] = [
        .init(section: "1.1", titleJa: "生成AIの活用事例・課題・ニーズを共有するプラットフォーム", titleEn: "Platform to share generative-AI use cases, problems and needs", module: "UseCases", pillar: .ai),
        .init(section: "1.2", titleJa: "士業分野のAI回答に専門家の代替ではない旨を表示", titleEn: "AI answers in regulated professions note they do not replace the professional", module: "TrustedAI", pillar: .ai),
        .init(section: "1.3", titleJa: "地域のIT・DX・AI実証への法務アドバイザー伴走と加点", titleEn: "Regional IT/DX/AI pilots with legal advisors and bonus points", module: "Programs", pillar: .ai),
        .init(section: "1.4", titleJa: "中小企業のAI導入を支援するITコーディネータへの補助", titleEn: "Subsidy for IT Coordinators supporting SME AI adoption", module: "Programs", pillar: .ai),
        .init(section: "1.5", titleJa: "国内の計算資源・データセンター基盤とエッジ分散", titleEn: "Domestic compute and data-centre base, edge distribution", module: "Sovereignty", pillar: .ai),
        .init(section: "1.6", titleJa: "奨学金返還の税額控除（重点分野は上乗せ）", titleEn: "Tax credit on scholarship repayments, higher for priority fields", module: "Programs", pillar: .ai),
        .init(section: "1.7", titleJa: "成長分野のスタートアップへの転職に伴う給与差補填と税優遇", titleEn: "Salary-gap compensation and tax relief for moves to growth-field startups", module: "Programs", pillar: .ai),
        .init(section: "1.8", titleJa: "社会人インターンの地位（週・月の時間上限、労働時間通算の対象外）", titleEn: "Working-adult intern status with hour caps", module: "Programs", pillar: .ai),
        .init(section: "1.9", titleJa: "学習済みモデル・データセットの権利を開発者に帰属（GENIAC）", titleEn: "Rights in trained models and datasets stay with the developer (GENIAC)", module: "TrustedAI", pillar: .ai),
        .init(section: "1.10", titleJa: "信頼できるAIの基準・調達優遇・マルチモデル環境・AI監査基準", titleEn: "Trusted-AI criteria, procurement preference, multi-model environment, AI audit criteria", module: "TrustedAI", pillar: .ai),
        .init(section: "1.11", titleJa: "ガバメントAI（源内）に向けた府省業務のBPR", titleEn: "BPR of ministry work for the government AI (Gennai)", module: "Programs", pillar: .ai),
        .init(section: "2.1", titleJa: "BYOK要件の明確化（目的・代替策・利用者の求めに応じて）", titleEn: "BYOK requirement: purpose, alternatives, only on user request", module: "CloudAssurance", pillar: .security),
        .init(section: "2.2", titleJa: "ISMAP-LIUの業務影響評価の負担軽減", titleEn: "ISMAP-LIU without the business-impact assessment burden", module: "CloudAssurance", pillar: .security),
        .init(section: "2.3", titleJa: "ISMAP-Readyリスト", titleEn: "ISMAP-Ready list", module: "CloudAssurance", pillar: .security),
        .init(section: "2.4", titleJa: "ISMAP Fast Track（ISO/IEC 27017による18か月の暫定ステータス）", titleEn: "ISMAP Fast Track (18-month provisional status from ISO/IEC 27017)", module: "CloudAssurance", pillar: .security),
        .init(section: "2.5", titleJa: "監査コストの低減・ISMAP利用範囲の明確化・市場情報", titleEn: "Lower audit cost, clear ISMAP scope, market information", module: "CloudAssurance", pillar: .security),
        .init(section: "2.6", titleJa: "有価証券報告書のサイバーセキュリティ開示（6項目）と開示状況調査", titleEn: "Cyber-security items in the annual securities report and disclosure survey", module: "CyberDisclosure", pillar: .security),
        .init(section: "2.7", titleJa: "重大なサイバーインシデントの4営業日以内の適時開示", titleEn: "Disclosure of serious cyber incidents within 4 business days", module: "CyberDisclosure", pillar: .security),
        .init(section: "2.8", titleJa: "サイバー自給率の指標・目標・国産製品の政府調達", titleEn: "Cyber self-sufficiency indicator, targets and government adoption", module: "Sovereignty", pillar: .security),
        .init(section: "3.1", titleJa: "全ての社会人の生涯にわたるITリテラシー", titleEn: "Lifelong IT literacy for all adults", module: "Talent", pillar: .talent),
        .init(section: "3.2", titleJa: "自治体職員のDXリテラシー研修（予算・勤務時間内・指標）", titleEn: "DX literacy training of municipal staff", module: "Talent", pillar: .talent),
        .init(section: "3.3", titleJa: "国のオンライン学習ポータル（スキルマッピング・学習履歴・スキル認証）", titleEn: "National learning portal with skill mapping, history and verification", module: "Talent", pillar: .talent),
    ]
}
