import FluentKit
import Foundation
import ShinraiKit

/// Demo data: sample catalogues and crosswalks written for Shinrai, the NIST SP 800-53 Rev.5 Low
/// baseline, a sample questionnaire, illustrative applicability rules, and fictional providers
/// （デモ） whose services go through the three workflows over the past twenty months, so the
/// lists, histories and statistics have something to show. Loading twice changes nothing.
struct CloudDemo {
    let services: Services
    var db: any Database { services.db }

    static var samples: URL { Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent("samples") }
    static func sample(_ name: String) throws -> Data { try Data(contentsOf: samples.appendingPathComponent(name)) }

    func load() async throws {
        if try await CatalogueRecord.query(on: db).filter(\.$key == "ismap-sample").first() != nil { return }
        guard let admin = try await identity("admin@demo.shinrai.example"), let reviewer = try await identity("reviewer@demo.shinrai.example") else { return }
        try await loadReference(admin: admin, reviewer: reviewer)
        try await loadProviders(reviewer: reviewer)
        try await SnapshotDesk(services: services).store(date: JapanTime.date(of: services.now))
    }

    func identity(_ email: String) async throws -> Identity? {
        guard let account = try await Account.query(on: db).filter(\.$email == email).with(\.$organisation).first() else { return nil }
        return Identity(accountID: account.id!, email: account.email, displayName: account.displayName, role: account.role,
                        organisationID: account.$organisation.id, organisationName: account.organisation?.name)
    }

    // MARK: catalogues, crosswalks, questionnaire, rules

    func loadReference(admin: Identity, reviewer: Identity) async throws {
        let actor = Actor(reviewer)
        let catalogues = CatalogueDesk(services: services)
        _ = try await catalogues.importISMAPCSV(try Self.sample("ismap-sample.csv"),
                                                options: .init(key: "ismap-sample", isTarget: true, title: "ISMAP管理基準（構造サンプル・デモ）", version: "2026-demo"), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("iso27001-sample.json"), options: .init(key: "iso27001-sample", evidenceFor: [.iso27001]), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("iso27017-sample.json"), options: .init(key: "iso27017-sample", evidenceFor: [.iso27017]), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("soc2-tsc-sample.json"), options: .init(key: "soc2-tsc-sample", evidenceFor: [.soc2Type2]), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"),
                                             options: .init(key: "nist-800-53r5-low", evidenceFor: [.fedrampLow, .fedrampModerate, .fedrampHigh, .govramp, .txramp]), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"), options: .init(key: "nist-800-53r5-moderate-profile"), actor: actor)
        _ = try await catalogues.importOSCAL(try Self.sample("basic-catalog.json"), options: .init(key: "oscal-basic-sample"), actor: actor)
        let crosswalks = CrosswalkDesk(services: services)
        _ = try await crosswalks.importCSV(try Self.sample("crosswalk-iso27001-ismap.csv"), key: "iso27001-to-ismap", title: "ISO/IEC 27001 → ISMAP（デモ用の対応表）",
                                           source: "iso27001-sample", target: "ismap-sample", actor: actor)
        _ = try await crosswalks.importCSV(try Self.sample("crosswalk-iso27017-ismap.csv"), key: "iso27017-to-ismap", title: "ISO/IEC 27017 → ISMAP（デモ用の対応表）",
                                           source: "iso27017-sample", target: "ismap-sample", actor: actor)
        _ = try await crosswalks.importCSV(try Self.sample("crosswalk-soc2-ismap.csv"), key: "soc2-to-ismap", title: "SOC 2 → ISMAP（デモ用の対応表）",
                                           source: "soc2-tsc-sample", target: "ismap-sample", actor: actor)
        _ = try await crosswalks.importOSCAL(try Self.sample("crosswalk-nist-iso27001.json"), key: "nist-low-to-iso27001", source: nil, target: nil, actor: actor)
        let set = try StrictJSONDecoder().decode(QuestionSetDocument.self, from: try Self.sample("question-set-ipa-fast-track.json"))
        _ = try await QuestionSetDesk(services: services).importSet(set, actor: actor)
        let rules = ApplicabilityDesk(services: services)
        for rule in Self.rules { _ = try await rules.save(rule, id: nil, identity: admin) }
    }

    static let government = ["central-ministry", "independent-administrative-agency", "designated-corporation"]
    static let demoCitation = "（デモ用の規則例。制度の正式な解釈ではありません）"

    static let rules: [ApplicabilityDesk.RuleInput] = [
        .init(priority: 10, organisations: government, confidentiality: ["3"], serviceModels: [], lowImpactOnly: nil, level: "required", acceptableLists: ["ismap"],
              conclusionJa: "機密性3の情報を扱う場合は、ISMAPクラウドサービスリストのサービスから選び、さらに情報の取扱いを個別に評価します。",
              conclusionEn: "For confidentiality-3 information, choose from the ISMAP list and assess the handling of the information case by case.",
              citation: "政府機関等のサイバーセキュリティ対策のための統一基準群 " + demoCitation, citationUrl: "https://www.ismap.go.jp/"),
        .init(priority: 20, organisations: government, confidentiality: ["2"], serviceModels: ["saas"], lowImpactOnly: true, level: "required",
              acceptableLists: ["ismap", "liu", "fast-track"],
              conclusionJa: "影響の小さい業務で要機密情報を扱うSaaSは、ISMAP-LIUのサービスも利用できます。Fast Track の暫定ステータスが有効なサービスからも調達できます（要望2.4）。",
              conclusionEn: "Low-impact SaaS handling confidentiality-2 information may come from the ISMAP-LIU list, and from services with a valid Fast Track provisional status (proposal 2.4).",
              citation: "ISMAP-LIU（ISMAP for Low-Impact Use）の運用 " + demoCitation, citationUrl: "https://www.ismap.go.jp/"),
        .init(priority: 30, organisations: government, confidentiality: ["2"], serviceModels: [], lowImpactOnly: nil, level: "required", acceptableLists: ["ismap"],
              conclusionJa: "要機密情報を扱うクラウドサービスは、原則としてISMAPクラウドサービスリストのサービスから調達します。",
              conclusionEn: "Cloud services handling confidentiality-2 information are in principle procured from the ISMAP list.",
              citation: "政府情報システムにおけるクラウドサービスの適切な利用に係る基本方針 " + demoCitation, citationUrl: "https://www.ismap.go.jp/"),
        .init(priority: 40, organisations: government, confidentiality: ["1"], serviceModels: [], lowImpactOnly: nil, level: "recommended",
              acceptableLists: ["ismap", "liu", "fast-track", "ready"],
              conclusionJa: "公開してよい情報だけを扱う場合、リストへの登録は求められません。選定の際はリストを参考にしてください。ISMAP-Ready の事業者はPoCの候補になります。",
              conclusionEn: "For information that may be public no list is required; the lists help in choosing, and ISMAP-Ready providers are candidates for proofs of concept.",
              citation: "政府機関等のサイバーセキュリティ対策のための統一基準群 " + demoCitation, citationUrl: nil),
        .init(priority: 50, organisations: ["local-government"], confidentiality: ["2", "3"], serviceModels: [], lowImpactOnly: nil, level: "recommended",
              acceptableLists: ["ismap", "liu"],
              conclusionJa: "地方公共団体に法令上の義務はありませんが、ISMAPクラウドサービスリストなどのサービスから選ぶことが推奨されています。",
              conclusionEn: "Local governments have no legal duty, but choosing services from the ISMAP lists is recommended.",
              citation: "地方公共団体における情報セキュリティポリシーに関するガイドライン（総務省） " + demoCitation, citationUrl: nil),
        .init(priority: 60, organisations: ["critical-infrastructure"], confidentiality: [], serviceModels: [], lowImpactOnly: nil, level: "recommended",
              acceptableLists: ["ismap", "liu"],
              conclusionJa: "重要インフラ事業者に登録サービスの利用義務はありませんが、ISMAPの登録は選定の客観的な参考になります。",
              conclusionEn: "Critical-infrastructure operators are not obliged to use registered services, but registration is an objective reference when choosing.",
              citation: "重要インフラのサイバーセキュリティに係る行動計画 " + demoCitation, citationUrl: nil),
        .init(priority: 1000, organisations: [], confidentiality: [], serviceModels: [], lowImpactOnly: nil, level: "not-required",
              acceptableLists: ["ismap", "liu", "fast-track", "ready"],
              conclusionJa: "ISMAPの利用は義務ではありません。リストは選定の参考として使えます。",
              conclusionEn: "Using ISMAP is not required; the lists can help in choosing.",
              citation: "上記の規則に当てはまらない場合 " + demoCitation, citationUrl: nil),
    ]

    // MARK: providers and their services, on a back-dated timeline

    struct Provider { var name: String; var nameEn: String; var base: String; var email: String; var person: String }

    static let providers: [Provider] = [
        .init(name: "北斗データ株式会社（デモ）", nameEn: "Hokuto Data (demo)", base: "010401990011", email: "hokuto@demo.shinrai.example", person: "北斗 太郎"),
        .init(name: "さくら坂ソフト株式会社（デモ）", nameEn: "Sakurazaka Soft (demo)", base: "010401990012", email: "sakurazaka@demo.shinrai.example", person: "桜坂 花"),
        .init(name: "瀬戸内システムズ株式会社（デモ）", nameEn: "Setouchi Systems (demo)", base: "380001990013", email: "setouchi@demo.shinrai.example", person: "瀬戸 内海"),
    ]

    func loadProviders(reviewer: Identity) async throws {
        let accounts = AccountService(services)
        var members: [Identity] = []
        if let minato = try await identity("cloud@demo.shinrai.example") { members.append(minato) }
        for provider in Self.providers {
            let number = "\(CorporateNumber.checkDigit(for: provider.base))\(provider.base)"
            let org: Organisation
            if let existing = try await Organisation.query(on: db).filter(\.$corporateNumber == number).first() { org = existing } else {
                org = try await accounts.createOrganisation(.init(name: provider.name, nameEn: provider.nameEn, kind: .cloudProvider, corporateNumber: number), actor: .system("demo"))
            }
            if try await Account.query(on: db).filter(\.$email == provider.email).first() == nil {
                _ = try await accounts.createAccount(.init(email: provider.email, displayName: provider.person, password: DemoAccounts.password, role: .member,
                                                           organisationId: org.id), actor: .system("demo"))
            }
            if let member = try await identity(provider.email) { members.append(member) }
        }
        guard members.count == 4 else { return }
        let now = services.now
        let clock = Clock(fixed: now.addingTimeInterval(-600 * 86_400))
        let demo = Services(config: services.config, database: services.database, views: services.views, metrics: services.metrics,
                            logger: services.logger, clock: clock)
        try await Timeline(services: demo, clock: clock, start: clock.now, reviewer: reviewer, minato: members[0], hokuto: members[1],
                           sakurazaka: members[2], setouchi: members[3]).run(until: now)
    }

    /// Moves a private clock through the demo history and acts as providers and reviewers.
    struct Timeline {
        let services: Services
        let clock: Clock
        let start: Date
        let reviewer: Identity
        let minato: Identity, hokuto: Identity, sakurazaka: Identity, setouchi: Identity

        var today: LocalDate { JapanTime.date(of: clock.now) }
        func day(_ n: Int) { clock.set(start.addingTimeInterval(Double(n) * 86_400 + 10 * 3600)) }
        func date(_ offset: Int) -> String { today.adding(days: offset).iso }

        func service(_ who: Identity, _ name: String, _ nameEn: String, _ model: ServiceModel, _ regions: [String], _ description: String,
                     certs: [(CertificationKind, String, String)]) async throws -> CloudServiceRecord {
            let slug = nameEn.lowercased().replacingOccurrences(of: " (demo)", with: "").replacingOccurrences(of: " ", with: "-")
            let input = ServiceInput(name: name, nameEn: nameEn, serviceModel: model.rawValue, description: description, website: "https://\(slug).example.jp",
                                     governingLaw: "日本法", jurisdiction: "東京地方裁判所", regions: regions,
                                     contacts: [.init(role: "security", name: who.displayName, email: "security@\(slug).example.jp", phone: "03-0000-0000"),
                                                .init(role: "sales", name: nil, email: "sales@\(slug).example.jp", phone: nil)])
            let registry = Registry(services: services)
            let record = try await registry.createService(input, by: who)
            for (kind, body, number) in certs {
                _ = try await registry.addCertification(to: record, .init(kind: kind.rawValue, issuer: body, certificateNumber: number,
                                                                          scope: "\(name) の設計・開発・運用・保守", coversService: true,
                                                                          validFrom: date(-200), validUntil: date(900)), by: who)
            }
            return record
        }

        func ready(_ who: Identity, _ service: CloudServiceRecord, firm: String, target: CloudList) async throws -> ReadyListingRecord {
            try await ReadyDesk(services: services).declare(.init(serviceId: service.id, auditFirm: firm, auditContractDate: date(-20), gapAssessmentDone: true,
                                                                  gapAssessmentDate: date(-5), targetList: target.rawValue, targetApplicationDate: date(300),
                                                                  scope: "\(service.name) の本番環境一式", pocAvailable: true), identity: who)
        }

        func fastTrack(_ who: Identity, _ service: CloudServiceRecord, number: String) async throws -> FastTrackRecord {
            try await FastTrackDesk(services: services).apply(.init(serviceId: service.id, certificate: .init(
                issuer: "一般財団法人デモ認証機構", certificateNumber: number, scope: "\(service.name) の提供に係るクラウドサービス", coversService: true,
                validFrom: date(-100), validUntil: date(800))), identity: who)
        }

        func act(_ event: ReadyEvent, _ listing: ReadyListingRecord, _ who: Identity, role: WorkflowRole, reason: String? = nil, reference: String? = nil) async throws {
            try await ReadyDesk(services: services).perform(event, on: listing, actor: Actor(who), role: role, reason: reason, reference: reference)
        }

        func act(_ event: FastTrackEvent, _ record: FastTrackRecord, _ who: Identity, role: WorkflowRole) async throws {
            try await FastTrackDesk(services: services).perform(event, on: record, actor: Actor(who), role: role, identity: who)
        }

        func answerAll(_ record: FastTrackRecord, _ who: Identity, upTo: Int? = nil, findings: [String: (Finding, String?)], default finding: Finding? = .ok) async throws {
            let desk = FastTrackDesk(services: services)
            let q = try await desk.questionnaire(record)
            for question in q.questions.prefix(upTo ?? q.questions.count) {
                let answer = try await desk.answer(record, questionID: question.id!, text: Self.answers[question.number] ?? "社内規程に基づき実施しています。詳細は添付の手順書のとおりです。", identity: who)
                if let (value, note) = findings[question.number] ?? finding.map({ ($0, nil) }) {
                    try await desk.review(record, answer: answer, finding: value.rawValue, note: note, identity: reviewer)
                }
            }
        }

        static let answers: [String: String] = [
            "Q1.1": "基本方針は2024年4月1日に取締役会で承認し、2025年3月に見直しました。",
            "Q3.2": "管理コンソールはすべて多要素認証必須です。緊急用アカウントのみ金庫保管の例外があります。",
            "Q4.1": "通信はTLS 1.2以上、保管データはAES-256で暗号化しています。",
            "Q4.2": "鍵は事業者管理のクラウドKMSで生成・保管しています。BYOKは現在提供していません。",
        ]

        /// Moves to day `n` of the history, running the daily jobs for every day passed (as the scheduler would).
        func to(_ n: Int) async throws {
            while progress.day < n {
                progress.day += 1
                day(progress.day)
                _ = try await ReadyDesk(services: services).runDaily(today: today)
                _ = try await FastTrackDesk(services: services).runDaily(today: today)
            }
            day(n)
        }

        final class Progress: @unchecked Sendable { var day = 0 }
        let progress = Progress()

        func run(until now: Date) async throws {
            // Days counted from 600 days ago, in order, so the log and the histories read forwards.
            day(0)
            let iaas = try await service(minato, "みなとIaaS（デモ）", "Minato IaaS (demo)", .iaas, ["JP-13", "JP-27"],
                                         "仮想サーバー・ブロックストレージ・仮想ネットワークを提供するIaaSです（デモ）。",
                                         certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-1001"), (.iso27017, "一般財団法人デモ認証機構", "CLD-DEMO-1001"),
                                                 (.soc2Type2, "デモ監査法人", "SOC2-DEMO-1001"), (.fedrampModerate, "FedRAMP PMO (demo)", "FR-DEMO-1001")])
            _ = try await RegistrationDesk(services: services).record(service: iaas, list: .ismap, registeredOn: today, auditFirm: "デモ監査法人", identity: reviewer)

            try await to(5)
            let mail = try await service(hokuto, "北斗メール（デモ）", "Hokuto Mail (demo)", .saas, ["JP-01", "JP-13"],
                                         "自治体・中小企業向けのメールとカレンダーのSaaSです（デモ）。",
                                         certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-2001")])
            let mailFT = try await fastTrack(hokuto, mail, number: "CLD-DEMO-2001")
            try await act(.submit, mailFT, hokuto, role: .provider)

            try await to(10)
            let analytics = try await service(hokuto, "北斗アナリティクス（デモ）", "Hokuto Analytics (demo)", .paas, ["JP-01"],
                                              "統計分析とダッシュボードのためのデータ基盤（PaaS）です（デモ）。",
                                              certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-2002"), (.soc2Type2, "デモ監査法人", "SOC2-DEMO-2002")])
            let analyticsReady = try await ready(hokuto, analytics, firm: "デモ監査法人", target: .liu)
            try await act(.submit, analyticsReady, hokuto, role: .provider)
            try await to(12); try await act(.verify, mailFT, reviewer, role: .reviewer)
            try await to(14); try await act(.grant, mailFT, reviewer, role: .reviewer)
            try await to(18); try await act(.list, analyticsReady, reviewer, role: .reviewer)

            try await to(30)
            let chat = try await service(sakurazaka, "さくら坂チャット（デモ）", "Sakurazaka Chat (demo)", .saas, ["JP-13", "SG"],
                                         "ビジネスチャットのSaaSです（デモ）。", certs: [])
            let chatFT = try await fastTrack(sakurazaka, chat, number: "CLD-DEMO-3002")
            try await act(.submit, chatFT, sakurazaka, role: .provider)
            try await to(33); try await act(.verify, chatFT, reviewer, role: .reviewer)
            try await to(35); try await act(.grant, chatFT, reviewer, role: .reviewer)

            try await to(40)
            let workflow = try await service(sakurazaka, "さくら坂ワークフロー（デモ）", "Sakurazaka Workflow (demo)", .saas, ["JP-13"],
                                             "申請・承認のワークフローSaaSです（デモ）。", certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-3001")])
            let workflowReady = try await ready(sakurazaka, workflow, firm: "さくら監査法人（デモ）", target: .ismap)
            try await act(.submit, workflowReady, sakurazaka, role: .provider)
            try await to(45); try await act(.return, workflowReady, reviewer, role: .reviewer, reason: "ギャップ評価の完了日を示す資料を添えてください。")
            try await to(47); try await act(.submit, workflowReady, sakurazaka, role: .provider)
            try await to(50); try await act(.list, workflowReady, reviewer, role: .reviewer)

            try await to(60)
            try await answerAll(mailFT, hokuto, findings: ["Q5.2": (.gap, "ログの保存期間が6か月です。1年以上にしてください。")])
            let item = try await FastTrackDesk(services: services).addRemediation(mailFT, .init(questionId: try await questionID(mailFT, "Q5.2"),
                title: "ログ保存期間の延長", description: "ログの保存期間を6か月から13か月に延長する。", owner: "運用部 北斗", dueDate: date(60)), identity: hokuto)
            try await to(80)
            try await answerAll(chatFT, sakurazaka, upTo: 6, findings: ["Q3.2": (.needsInfo, "例外の承認手順を示してください。")])
            try await to(90); try await FastTrackDesk(services: services).remediation(.complete, item: item, record: mailFT, identity: hokuto)
            try await to(95); try await FastTrackDesk(services: services).remediation(.close, item: item, record: mailFT, identity: reviewer)

            try await to(100)
            let govcloud = try await service(setouchi, "瀬戸内ガバメントクラウド（デモ）", "Setouchi Government Cloud (demo)", .iaas, ["JP-34", "JP-38"],
                                             "自治体向けのIaaSです（デモ）。", certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-4001"), (.iso27017, "一般財団法人デモ認証機構", "CLD-DEMO-4001")])
            _ = try await RegistrationDesk(services: services).record(service: govcloud, list: .ismap, registeredOn: today, auditFirm: "瀬戸内監査法人（デモ）", identity: reviewer)

            // ISMAP-Ready → applied → ISMAP-LIU without a business-impact assessment; later one agency stops using it.
            try await to(150)
            try await act(.markApplied, analyticsReady, hokuto, role: .provider, reference: "LIU申請 2025-07")
            let liu = try await RegistrationDesk(services: services).apply(.init(serviceId: analytics.id, list: "liu", auditFirm: "デモ監査法人", auditReportDate: date(-10),
                                                                                scope: "北斗アナリティクスの本番環境", sponsors: ["デモ県庁", "デモ市役所"]), identity: hokuto)
            try await RegistrationDesk(services: services).perform(.submit, on: liu, actor: Actor(hokuto), role: .provider)
            try await to(200); try await act(.promote, mailFT, reviewer, role: .reviewer)
            try await to(260); try await RegistrationDesk(services: services).perform(.register, on: liu, actor: Actor(reviewer), role: .reviewer)
            try await to(380)
            if let sponsor = try await SponsorRecord.query(on: services.db).filter(\.$registrationID == liu.id!).filter(\.$agency == "デモ市役所").first() {
                try await RegistrationDesk(services: services).endSponsor(sponsor, of: liu, identity: hokuto)
            }

            try await to(470)
            let drive = try await service(minato, "みなとドライブ（デモ）", "Minato Drive (demo)", .saas, ["JP-13", "JP-27"],
                                          "ファイル共有・共同編集のSaaSです（デモ）。", certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-1003")])
            let driveFT = try await fastTrack(minato, drive, number: "CLD-DEMO-1003")
            try await act(.submit, driveFT, minato, role: .provider)
            try await to(474); try await act(.verify, driveFT, reviewer, role: .reviewer)
            try await to(475); try await act(.grant, driveFT, reviewer, role: .reviewer)
            try await to(540)
            try await answerAll(driveFT, minato, upTo: 10, findings: [
                "Q3.2": (.needsInfo, "緊急用アカウントの利用手順と承認記録を示してください。"),
                "Q4.2": (.gap, "鍵の保護について、利用者の求めに応じたBYOKか、HSMでの保護と鍵アクセスログの提供などの代替策を示してください。"),
            ])
            _ = try await FastTrackDesk(services: services).addRemediation(driveFT, .init(questionId: try await questionID(driveFT, "Q4.2"),
                title: "HSMによる鍵保護と鍵アクセスログの提供", description: "鍵をHSMで保護し、鍵へのアクセスログを利用者が確認できるようにする。",
                owner: "基盤部 港", dueDate: date(120)), identity: minato)

            try await to(560)
            let accounting = try await service(minato, "みなと会計クラウド（デモ）", "Minato Accounting Cloud (demo)", .saas, ["JP-13", "JP-40"],
                                               "中小企業・自治体向けの会計SaaSです（デモ）。", certs: [(.iso27001, "一般財団法人デモ認証機構", "IS-DEMO-1002")])
            let accountingReady = try await ready(minato, accounting, firm: "みなと監査法人（デモ）", target: .ismap)
            try await act(.submit, accountingReady, minato, role: .provider)
            try await to(565); try await act(.list, accountingReady, reviewer, role: .reviewer)

            // Waiting for review today.
            try await to(598)
            let helpdesk = try await service(setouchi, "瀬戸内ヘルプデスク（デモ）", "Setouchi Helpdesk (demo)", .saas, ["JP-38"],
                                             "問い合わせ管理のSaaSです（デモ）。", certs: [])
            let helpdeskFT = try await fastTrack(setouchi, helpdesk, number: "CLD-DEMO-4002")
            try await act(.submit, helpdeskFT, setouchi, role: .provider)
            let helpdeskReady = try await ready(setouchi, helpdesk, firm: "瀬戸内監査法人（デモ）", target: .liu)
            try await act(.submit, helpdeskReady, setouchi, role: .provider)
            clock.set(now)
        }

        func questionID(_ record: FastTrackRecord, _ number: String) async throws -> UUID? {
            guard let setID = record.questionSetID else { return nil }
            return try await QuestionRecord.query(on: services.db).filter(\.$setID == setID).filter(\.$number == number).first()?.id
        }
    }
}
