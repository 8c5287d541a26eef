import FluentKit
import Foundation
import ShinraiKit

/// Demo data for `serve --demo`: 30 fictional listed companies （デモ） in an index with two dated
/// constituent lists, two years of annual disclosures of uneven quality, both surveys, and
/// incidents that show every state of the clocks (published on time, late, amended, delayed by a
/// reviewer, other regimes recorded, a draft with a running clock, a pending delay request).
/// The demo member (さくら情報システム株式会社（デモ）) files as listed company 3A1C.
///
/// Idempotent: nothing happens when the member's company is already registered. Everything goes
/// through the same services as real use (validation, audit trail, transparency log); history is
/// written by giving the services the time it happened.
struct DisclosureDemo {
    let services: Services
    static let actor = Actor.system("demo")
    static let reviewer = Actor(accountID: nil, label: "審査 花子（デモ）")
    static let memberBase = "010401990002"
    static let memberCode = "3A1C"
    static let indexCode = "DEMO30"

    struct DemoCompany {
        let name: String
        let nameEn: String
        let code: String
        let base: String
        let segment: MarketSegment
        let fiscalYearEndMonth: Int
        let sec: Bool
        let nis2: Bool
    }

    static let stems: [(String, String)] = [
        ("あおば", "Aoba"), ("いろは", "Iroha"), ("うみかぜ", "Umikaze"), ("えにし", "Enishi"), ("おおぞら", "Ozora"), ("かもめ", "Kamome"),
        ("きらり", "Kirari"), ("くすのき", "Kusunoki"), ("けやき", "Keyaki"), ("こだま", "Kodama"), ("さざなみ", "Sazanami"), ("しらかば", "Shirakaba"),
        ("すばる", "Subaru"), ("せせらぎ", "Seseragi"), ("そよかぜ", "Soyokaze"), ("たちばな", "Tachibana"), ("ちとせ", "Chitose"), ("つばさ", "Tsubasa"),
        ("ときわ", "Tokiwa"), ("なぎさ", "Nagisa"), ("にじいろ", "Nijiiro"), ("ぬくもり", "Nukumori"), ("はやて", "Hayate"), ("ひばり", "Hibari"),
        ("ふたば", "Futaba"), ("ほしぞら", "Hoshizora"), ("まほろば", "Mahoroba"), ("みなも", "Minamo"), ("むさしの", "Musashino"),
    ]
    static let sectors: [(String, String)] = [
        ("電機", "Electric"), ("銀行", "Bank"), ("物産", "Trading"), ("製薬", "Pharmaceutical"), ("商事", "Corporation"),
        ("電鉄", "Railway"), ("食品", "Foods"), ("化学", "Chemical"), ("建設", "Construction"), ("通信", "Telecom"),
    ]

    static var companies: [DemoCompany] {
        stems.enumerated().map { index, stem in
            let sector = sectors[index % sectors.count]
            let letters = ["C", "D", "F", "G", "H"]
            let code = index % 6 == 5 ? "\(index % 9 + 1)A\(index % 10)\(letters[index % 5])" : String(9000 + index * 31)
            return DemoCompany(name: "\(stem.0)\(sector.0)株式会社（デモ）", nameEn: "\(stem.1) \(sector.1) (demo)", code: code,
                               base: "01990199" + String(format: "%04d", 2000 + index),
                               segment: [MarketSegment.prime, .standard, .growth][index % 3], fiscalYearEndMonth: index % 4 == 3 ? 12 : 3,
                               sec: index % 10 == 1, nis2: index % 10 == 1 || index % 10 == 4)
        }
    }

    func load() async throws {
        let db = services.db
        let memberNumber = "\(CorporateNumber.checkDigit(for: Self.memberBase))\(Self.memberBase)"
        guard let memberOrg = try await Organisation.query(on: db).filter(\.$corporateNumber == memberNumber).first() else { return }
        if try await ListedCompany.query(on: db).filter(\.$corporateNumber == memberNumber).first() != nil { return }
        let companyService = CompanyService(services: services)
        let accounts = AccountService(services)
        // Whole minutes: the demo's times read naturally in the pages and the counts.
        let now = Date(timeIntervalSince1970: (services.now.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let thisYear = JapanTime.date(of: now).year

        // Companies, each with the platform organisation that files for it.
        let sakura = try await companyService.create(CompanyInput(corporateNumber: memberNumber, securitiesCode: Self.memberCode,
                                                                  name: memberOrg.name, nameEn: memberOrg.nameEn, marketSegment: .prime,
                                                                  fiscalYearEndMonth: 3), actor: Self.actor)
        var listed: [(company: ListedCompany, organisation: UUID)] = [(sakura, memberOrg.id!)]
        for demo in Self.companies {
            let number = "\(CorporateNumber.checkDigit(for: demo.base))\(demo.base)"
            var organisation = try await Organisation.query(on: db).filter(\.$corporateNumber == number).first()
            if organisation == nil {
                organisation = try await accounts.createOrganisation(.init(name: demo.name, nameEn: demo.nameEn, kind: .company, corporateNumber: number),
                                                                     actor: Self.actor)
            }
            guard let organisation else { continue }
            let company = try await companyService.create(CompanyInput(corporateNumber: number, securitiesCode: demo.code, name: demo.name,
                                                                       nameEn: demo.nameEn, marketSegment: demo.segment,
                                                                       fiscalYearEndMonth: demo.fiscalYearEndMonth, secRegistrant: demo.sec,
                                                                       nis2Entity: demo.nis2), actor: Self.actor)
            listed.append((company, organisation.id!))
        }

        // The index: 28 constituents from 1 April last year, 30 from 1 April this year.
        let index = try await companyService.createIndex(.init(code: Self.indexCode, name: "デモ30指数（デモ）", nameEn: "Demo 30 Index (demo)"), actor: Self.actor)
        let codes = listed.map(\.company.securitiesCode)
        _ = try await companyService.importConstituents(index: index, effectiveDate: "\(thisYear - 1)-04-01",
                                                        csv: "証券コード\n" + codes.dropLast(2).joined(separator: "\n"), actor: Self.actor)
        _ = try await companyService.importConstituents(index: index, effectiveDate: "\(thisYear)-04-01",
                                                        csv: "証券コード\n" + codes.joined(separator: "\n"), actor: Self.actor)

        // Annual disclosures for the two last fiscal years, published about three months after each year end.
        for (position, entry) in listed.enumerated() {
            for fiscalYear in [thisYear - 2, thisYear - 1] {
                let improved = fiscalYear == thisYear - 1 && position % 3 != 0 ? 1 : 0
                let tier = min(4, (position * 7 + fiscalYear) % 5 + improved)
                if tier == 0 || (position == 0 && fiscalYear == thisYear - 1) { continue }
                let filed = JapanTime.startOfDay(FiscalYear.endDate(fiscalYear, endMonth: entry.company.fiscalYearEndMonth)).addingTimeInterval(86 * 86400 + 10 * 3600)
                guard filed < now else { continue }
                let annualService = AnnualService(services: services, at: filed)
                let annual = try await annualService.create(.init(fiscalYear: fiscalYear, content: nil), company: entry.company,
                                                            organisationID: entry.organisation, actor: Self.actor)
                try await annualService.update(annual, content: Self.annualContent(tier: tier, seed: position), actor: Self.actor)
                guard let fresh = try await AnnualDisclosure.find(annual.id!, on: db) else { continue }
                try await annualService.submit(fresh, actor: Self.actor)
            }
        }
        let surveys = SurveyService(services: services)
        for fiscalYear in [thisYear - 2, thisYear - 1] {
            _ = try await surveys.run(.init(index: Self.indexCode, fiscalYear: fiscalYear, asOf: "\(fiscalYear + 1)-04-01"), actor: Self.reviewer)
        }
        try await loadIncidents(listed, now: now)
    }

    // MARK: incidents

    func loadIncidents(_ listed: [(company: ListedCompany, organisation: UUID)], now: Date) async throws {
        let day: TimeInterval = 86400
        func service(_ time: Date) -> IncidentService { IncidentService(services: services, at: time) }
        func record(_ position: Int, discovered: Date, determined: Date, personalData: Bool = false, malicious: Bool = false,
                    content: IncidentContent) async throws -> Incident {
            try await service(determined.addingTimeInterval(600)).create(
                .init(occurredAt: discovered.addingTimeInterval(-2 * day), discoveredAt: discovered, determinedAt: determined,
                      personalData: personalData, malicious: malicious, content: content),
                company: listed[position].company, organisationID: listed[position].organisation, actor: Self.actor)
        }
        func publish(_ incident: Incident, at time: Date) async throws {
            guard let fresh = try await Incident.find(incident.id!, on: services.db) else { return }
            try await service(time).submit(fresh, actor: Self.actor)
        }

        // An older incident disclosed on time (published first, so public numbers follow publication order).
        let oldDetermined = now.addingTimeInterval(-200 * day)
        let old = try await record(11, discovered: oldDetermined.addingTimeInterval(-day), determined: oldDetermined, content: Self.accountTakeover)
        try await publish(old, at: oldDetermined.addingTimeInterval(day))

        // 1. Ransomware with personal data at a dual-listed company in scope of NIS2: every regime, an amendment.
        let ransomDiscovered = now.addingTimeInterval(-41 * day)
        let ransom = try await record(2, discovered: ransomDiscovered, determined: ransomDiscovered.addingTimeInterval(day + 3600),
                                      personalData: true, malicious: true, content: Self.ransomware(undetermined: true))
        try await publish(ransom, at: ransom.determinedAt.addingTimeInterval(2 * day))
        for (rule, offset, reference) in [("ppc-preliminary", 3 * day, "PPC-速報-0412"), ("nis2-early-warning", 20 * 3600, "CSIRT-EW-118"),
                                          ("nis2-notification", 60 * 3600, "CSIRT-N-118"), ("sec-8k", 3 * day, "0001234567-26-000042")] {
            let base = rule.hasPrefix("ppc") ? ransom.discoveredAt : ransom.determinedAt
            _ = try await service(base.addingTimeInterval(offset + 60)).recordSubmission(ransom, ruleCode: rule,
                                                                                       .init(submittedAt: base.addingTimeInterval(offset), reference: reference),
                                                                                       actor: Self.actor)
        }
        let available = ransom.determinedAt.addingTimeInterval(16 * day)
        guard let ransomFresh = try await Incident.find(ransom.id!, on: services.db) else { return }
        try await service(available.addingTimeInterval(3600)).startAmendment(ransomFresh, .init(informationAvailableAt: available,
                                                                                                  reason: "復旧費用と特別損失の見込額が判明したため、財務的影響を更新する。"),
                                                                              actor: Self.actor)
        if let draft = try await Incident.find(ransom.id!, on: services.db) {
            try await service(available.addingTimeInterval(7200)).update(draft, .init(content: Self.ransomware(undetermined: false)), actor: Self.actor)
            try await publish(draft, at: available.addingTimeInterval(2 * day))
        }

        // 2. A supply-chain intrusion disclosed after the deadline (marked late in public).
        let lateDetermined = now.addingTimeInterval(-32 * day)
        let late = try await record(5, discovered: lateDetermined.addingTimeInterval(-day), determined: lateDetermined, content: Self.supplyChainIncident)
        try await publish(late, at: lateDetermined.addingTimeInterval(16 * day))

        // 3. Disclosure delayed at the request of the police: approved by a reviewer, ended early, then published on time.
        let delayDetermined = now.addingTimeInterval(-20 * day)
        let delayed = try await record(8, discovered: delayDetermined.addingTimeInterval(-3600 * 5), determined: delayDetermined, content: Self.ddos)
        let request = try await service(delayDetermined.addingTimeInterval(day)).requestDelay(
            delayed, .init(grounds: "警察から、攻撃者の特定に向けた捜査が進行中であり、公表が捜査に重大な支障を及ぼすおそれがあるとして、公表の延期を要請されている。",
                           until: delayDetermined.addingTimeInterval(10 * day)), actor: Self.actor)
        _ = try await service(delayDetermined.addingTimeInterval(day + 3 * 3600)).decideDelay(
            request.id!, .init(decision: .approve, until: delayDetermined.addingTimeInterval(8 * day), note: "捜査機関の要請文書を確認した。"), actor: Self.reviewer)
        try await IncidentService(services: services, at: delayDetermined.addingTimeInterval(6 * day)).endDelay(request.id!, actor: Self.actor)
        try await publish(delayed, at: delayDetermined.addingTimeInterval(8 * day))

        // 5. A draft of another company with its clock running and a delay request waiting for a reviewer.
        let pendingDetermined = now.addingTimeInterval(-day)
        let pending = try await record(14, discovered: pendingDetermined.addingTimeInterval(-7200), determined: pendingDetermined, content: Self.ddos)
        _ = try await service(now.addingTimeInterval(-3600)).requestDelay(
            pending, .init(grounds: "攻撃が継続しており、公表により同種の攻撃を誘発するおそれがあるとして、所管省庁から公表時期の調整を求められている。",
                           until: now.addingTimeInterval(7 * day)), actor: Self.actor)

        // 6. The demo member's own draft: determined yesterday, the financial impact still to be written.
        _ = try await record(0, discovered: now.addingTimeInterval(-day - 7200), determined: now.addingTimeInterval(-day), content: Self.fileServerIntrusion)
    }

    // MARK: content

    static func ransomware(undetermined: Bool) -> IncidentContent {
        var content = IncidentContent(title: "ランサムウェアによる基幹システムの停止と個人情報漏えいのおそれ")
        content.summary = "当社の基幹システムのサーバがランサムウェアに感染し、データが暗号化された。攻撃者は窃取したとするデータの公開を示唆している。"
        content.systemsAffected = "受注管理システム、物流管理システム、社内ファイルサーバ"
        content.dataAffected = "顧客の氏名・住所・電話番号、取引先担当者の連絡先"
        content.affectedPeople = 38_000
        content.affectedPeopleNote = "調査中のため推計値"
        content.businessImpact = "受注と出荷を4日間停止した。現在は手作業で一部の出荷を再開している。"
        content.countermeasures = "感染したサーバをネットワークから切り離し、外部の専門機関と調査している。警察と個人情報保護委員会に報告済み。"
        content.responseStatus = undetermined ? .contained : .recovering
        content.financialImpact = undetermined ? FinancialImpact(kind: .undetermined, undeterminedReason: "復旧費用と逸失利益を算定中のため")
            : FinancialImpact(kind: .range, minYen: 1_200_000_000, maxYen: 1_800_000_000)
        content.cause = "保守用VPN機器の既知の脆弱性を悪用された。"
        content.personalDataItems = "氏名、住所、電話番号、購入履歴"
        content.secondaryDamage = "現時点で不正利用は確認されていない。"
        content.crossBorderImpact = "欧州子会社の受注システムにも影響が及んだ。"
        return content
    }

    /// The demo member's draft: everything but the financial impact is written.
    static var fileServerIntrusion: IncidentContent {
        var content = IncidentContent(title: "社内ファイルサーバへの不正アクセス")
        content.summary = "退職者のアカウントが無効化されておらず、外部から社内ファイルサーバに不正にログインされた。設計書と見積書の一部が持ち出されたおそれがある。"
        content.systemsAffected = "社内ファイルサーバ、リモートアクセス用VPN"
        content.dataAffected = "取引先向けの設計書・見積書（個人データを含まない）"
        content.affectedPeople = 0
        content.businessImpact = "調査のためリモートアクセスを停止し、社外からの業務を一時的に制限している。"
        content.countermeasures = "全アカウントを棚卸しして不要なアカウントを無効化し、外部の専門機関とログを調査している。"
        content.responseStatus = .investigating
        content.cause = "退職時のアカウント削除手続の漏れ"
        return content
    }

    static var supplyChainIncident: IncidentContent {
        var content = IncidentContent(title: "業務委託先経由の不正アクセス")
        content.summary = "システム保守の委託先のアカウントが悪用され、当社の設計情報サーバに不正アクセスされた。"
        content.systemsAffected = "設計情報管理サーバ"
        content.dataAffected = "製品の設計図面の一部（個人情報を含まない）"
        content.affectedPeople = 0
        content.businessImpact = "設計業務を2日間停止した。製品の供給への影響はない。"
        content.countermeasures = "委託先のアクセス権を停止し、全委託先のアカウントを棚卸しした。"
        content.responseStatus = .recovered
        content.financialImpact = FinancialImpact(kind: .amount, amountYen: 45_000_000)
        content.cause = "委託先の多要素認証の未設定"
        return content
    }

    static var ddos: IncidentContent {
        var content = IncidentContent(title: "大規模なDDoS攻撃によるオンラインサービスの停止")
        content.summary = "会員向けオンラインサービスが大規模なDDoS攻撃を受け、約30時間にわたり利用できなくなった。"
        content.systemsAffected = "会員向けウェブサイト、スマートフォンアプリ"
        content.dataAffected = "なし（情報の漏えいは確認されていない）"
        content.affectedPeople = 1_250_000
        content.affectedPeopleNote = "サービスを利用できなかった会員数"
        content.businessImpact = "オンライン経由の受付を停止し、店頭窓口で対応した。"
        content.countermeasures = "DDoS対策サービスを増強し、攻撃元の遮断を継続している。"
        content.responseStatus = .recovered
        content.financialImpact = FinancialImpact(kind: .range, minYen: 80_000_000, maxYen: 150_000_000)
        return content
    }

    static var accountTakeover: IncidentContent {
        var content = IncidentContent(title: "会員アカウントへのパスワードリスト攻撃")
        content.summary = "他社から流出したとみられるIDとパスワードの組み合わせにより、会員アカウントに不正ログインされた。"
        content.systemsAffected = "会員ポイントサイト"
        content.dataAffected = "会員のポイント残高（ポイントの不正交換。氏名等の個人データの閲覧・持ち出しは確認されていない）"
        content.affectedPeople = 2_300
        content.businessImpact = "ポイント交換を一時停止した。"
        content.countermeasures = "対象アカウントのパスワードを初期化し、多要素認証を導入した。"
        content.responseStatus = .recovered
        content.financialImpact = FinancialImpact(kind: .amount, amountYen: 12_000_000)
        return content
    }

    /// Sentences per item; a higher tier writes more of them and gives more figures.
    static let sentences: [AnnualItem: [String]] = [
        .governance: ["当社は最高情報セキュリティ責任者（CISO）を任命し、サイバーセキュリティに関する全社方針を定めています。",
                      "CISOは情報セキュリティ分野で20年以上の経験を持ち、CISSP等の資格を保有しています。",
                      "取締役会はCISOから定期的に報告を受け、リスク対応の状況を監督しています。",
                      "社外取締役1名がサイバーセキュリティの専門家であり、監督の実効性を高めています。"],
        .informationAssets: ["当社が守るべき情報資産として、顧客情報、技術情報、生産管理システムを特定しています。",
                             "情報資産は重要度に応じて区分し、台帳で管理しています。",
                             "特に重要な資産については、アクセスできる者を限定し、操作を記録しています。",
                             "台帳は年1回見直し、新たなシステムの導入時にも更新しています。"],
        .riskManagement: ["サイバーセキュリティリスクは全社的リスク管理の枠組みに統合して管理しています。",
                          "NIST サイバーセキュリティフレームワークに基づき、毎年リスク評価を行っています。",
                          "外部の専門機関による第三者評価と脆弱性診断を定期的に実施しています。",
                          "評価の結果は経営会議に報告し、対策の優先順位を決めています。"],
        .seriousIncidents: ["当年度において、事業に重要な影響を及ぼす重大なインシデントは発生しておりません。",
                            "軽微なインシデントは社内規程に従い記録し、再発防止策を講じています。",
                            "インシデント対応体制としてCSIRTを設置し、24時間の監視を行っています。",
                            "発生したインシデントは件数と対応時間を集計し、取締役会に報告しています。"],
        .educationDrills: ["全従業員を対象に、年1回以上の情報セキュリティ研修を実施しています。",
                           "標的型メール訓練を年2回実施し、開封率の低減を図っています。",
                           "経営層も参加するインシデント対応の机上演習を実施しています。",
                           "研修の受講状況は部門ごとに集計し、未受講者には再受講を求めています。"],
        .supplyChain: ["重要な取引先・委託先に対して、セキュリティ要件を契約で定めています。",
                       "委託先にはセキュリティの自己評価を求め、結果を確認しています。",
                       "重要な委託先については、現地監査を含む評価を行っています。",
                       "評価の結果、改善が必要な委託先には是正計画の提出を求めています。"],
    ]

    static func annualContent(tier: Int, seed: Int) -> AnnualContent {
        var content = AnnualContent()
        for item in AnnualItem.allCases {
            let lines = sentences[item] ?? []
            let count = min(lines.count, tier >= 4 ? 4 : (tier == 3 ? 3 : (tier == 2 ? 2 : 1)))
            switch (tier, item) {
            case (1, .informationAssets), (1, .supplyChain):
                // The weakest filers say nothing of substance here (scored 0: absent).
                content[item].text = "該当事項はありません。"
            case (1, .riskManagement), (1, .educationDrills):
                content[item].text = "当社は\(item.label(.ja))について、社内規程に基づき適切に対応しています。"
            default:
                content[item].text = lines.prefix(count).joined()
            }
        }
        content.seriousIncidents.figures["seriousIncidents"] = .number(seed % 7 == 2 ? 1 : 0)
        if tier >= 2 {
            content.governance.figures["responsibleOfficer"] = .flag(true)
            content.governance.figures["boardReportsPerYear"] = .number(2 + seed % 3)
            content.educationDrills.figures["trainingSessions"] = .number(1 + seed % 4)
            content.riskManagement.figures["integratedWithERM"] = .flag(seed % 2 == 0)
        }
        if tier >= 3 {
            content.governance.figures["reportsToBoard"] = .flag(true)
            content.informationAssets.figures["assetCategories"] = .number(3 + seed % 5)
            content.informationAssets.figures["inventoryMaintained"] = .flag(true)
            content.riskManagement.figures["thirdPartyAssessors"] = .flag(true)
            content.educationDrills.figures["participationPercent"] = .number(85 + seed % 15)
            content.educationDrills.figures["drills"] = .number(1 + seed % 3)
            content.seriousIncidents.figures["materiallyAffected"] = .flag(false)
        }
        if tier >= 4 {
            content.governance.figures["directorsWithExpertise"] = .number(1 + seed % 2)
            content.riskManagement.figures["assessmentsPerYear"] = .number(2)
            content.supplyChain.figures["criticalSuppliers"] = .number(20 + seed)
            content.supplyChain.figures["suppliersAssessed"] = .number(15 + seed)
            content.supplyChain.figures["oversightProcess"] = .flag(true)
        }
        return content
    }
}
