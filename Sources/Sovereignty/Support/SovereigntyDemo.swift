import FluentKit
import Foundation
import ShinraiKit

/// Demo data: fictional vendors (marked （デモ）) with profiles and offerings, infrastructure
/// sites across Japan, four fiscal years of declarations by ministries, municipalities and
/// companies, a second parameter version, targets, overseas sales and two published years.
/// Idempotent: it does nothing once the demo vendors have profiles.
enum SovereigntyDemo {
    struct VendorSpec {
        var name: String
        var nameEn: String
        var kind: OrganisationKind
        var base: String
        var profile: ProfileInput
        var verified: Bool
    }

    static let jp = ["JP"]

    static let vendors: [VendorSpec] = [
        VendorSpec(name: "さくら情報システム株式会社（デモ）", nameEn: "Sakura Information Systems (demo)", kind: .company, base: "010401990002",
                   profile: ProfileInput(headquarters: "JP", governingLaw: "JP", foreignLaws: [], development: jp, operation: jp, support: jp, dataLocation: jp,
                                         evidence: [EvidenceLink(label: "有価証券報告書（デモ）", url: "https://sakura.example.jp/ir/report")]), verified: true),
        VendorSpec(name: "みなとクラウド株式会社（デモ）", nameEn: "Minato Cloud (demo)", kind: .cloudProvider, base: "010401990003",
                   profile: ProfileInput(headquarters: "JP", governingLaw: "JP", foreignLaws: [], development: jp, operation: jp, support: jp, dataLocation: jp,
                                         evidence: [EvidenceLink(label: "ISMAP登録（デモ）", url: "https://minato.example.jp/ismap")]), verified: true),
        VendorSpec(name: "日の丸セキュリティ株式会社（デモ）", nameEn: "Hinomaru Security (demo)", kind: .company, base: "010401996801",
                   profile: ProfileInput(headquarters: "JP", governingLaw: "JP", foreignLaws: [], development: jp, operation: jp, support: jp, dataLocation: jp),
                   verified: false),
        VendorSpec(name: "ミカドID株式会社（デモ）", nameEn: "Mikado ID (demo)", kind: .company, base: "010401996802",
                   profile: ProfileInput(headquarters: "JP", governingLaw: "JP", foreignLaws: [], development: ["JP", "VN"], operation: jp, support: jp, dataLocation: jp),
                   verified: true),
        VendorSpec(name: "大和脆弱性診断株式会社（デモ）", nameEn: "Yamato Vulnerability Assessment (demo)", kind: .company, base: "010401996803",
                   profile: ProfileInput(headquarters: "JP", governingLaw: "JP", foreignLaws: [], development: jp, operation: jp, support: jp, dataLocation: jp),
                   verified: false),
        VendorSpec(name: "グローバルシールド合同会社（デモ）", nameEn: "GlobalShield Japan LLC (demo)", kind: .company, base: "010401996804",
                   profile: ProfileInput(headquarters: "JP", ultimateParent: "US", controllingShareholders: ["US"], governingLaw: "JP",
                                         foreignLaws: [.usCloudAct, .usFISA702], development: ["US", "IN"], operation: ["US", "IE"], support: ["JP", "US"],
                                         dataLocation: ["US"], evidence: [EvidenceLink(label: "Annual report of the parent (demo)", url: "https://globalshield.example.com/ir")]),
                   verified: true),
        VendorSpec(name: "ノースウィンド・クラウド株式会社（デモ）", nameEn: "Northwind Cloud Japan (demo)", kind: .cloudProvider, base: "010401996805",
                   profile: ProfileInput(headquarters: "JP", ultimateParent: "US", controllingShareholders: ["US"], governingLaw: "US",
                                         foreignLaws: [.usCloudAct], development: ["US"], operation: ["US", "JP"], support: ["JP", "US"], dataLocation: ["US", "JP"]),
                   verified: false),
        VendorSpec(name: "セキュアウェーブ株式会社（デモ）", nameEn: "SecureWave K.K. (demo)", kind: .company, base: "010401996806",
                   profile: ProfileInput(headquarters: "IL", governingLaw: "IL", foreignLaws: [], development: ["IL"], operation: ["IL", "DE"], support: ["IL", "SG"],
                                         dataLocation: ["DE"]), verified: false),
    ]

    struct OfferingSpec {
        var key: String
        var vendor: Int
        var input: OfferingInput
    }

    static let offerings: [OfferingSpec] = [
        OfferingSpec(key: "sakura-edr", vendor: 0, input: OfferingInput(name: "さくらEDR（デモ）", nameEn: "Sakura EDR (demo)", kind: .product, category: "endpoint",
                                                                       description: "国内開発のエンドポイント検知・対応製品。", unit: .devices)),
        OfferingSpec(key: "sakura-soc", vendor: 0, input: OfferingInput(name: "さくらSOC監視サービス（デモ）", nameEn: "Sakura SOC (demo)", kind: .service, category: "soc",
                                                                       description: "24時間365日の国内SOC。", unit: .devices)),
        OfferingSpec(key: "minato-tokyo", vendor: 1, input: OfferingInput(name: "みなとクラウド 東京リージョン（デモ）", nameEn: "Minato Cloud Tokyo region (demo)",
                                                                         kind: .infrastructure, category: "compute", unit: .servers, siteType: .cloudRegion,
                                                                         siteCountry: "JP", prefecture: 13, gpuCount: 512, itPowerKw: 8000)),
        OfferingSpec(key: "minato-osaka", vendor: 1, input: OfferingInput(name: "みなとクラウド 大阪リージョン（デモ）", nameEn: "Minato Cloud Osaka region (demo)",
                                                                         kind: .infrastructure, category: "compute", unit: .servers, siteType: .cloudRegion,
                                                                         siteCountry: "JP", prefecture: 27, gpuCount: 256, itPowerKw: 5000)),
        OfferingSpec(key: "minato-ishikari", vendor: 1, input: OfferingInput(name: "みなと石狩AI計算基盤（デモ）", nameEn: "Minato Ishikari AI compute (demo)",
                                                                            kind: .infrastructure, category: "compute", unit: .servers, siteType: .computeCluster,
                                                                            siteCountry: "JP", prefecture: 1, gpuCount: 4096, itPowerKw: 30000)),
        OfferingSpec(key: "minato-fukuoka", vendor: 1, input: OfferingInput(name: "みなとエッジ 福岡（デモ）", nameEn: "Minato Edge Fukuoka (demo)",
                                                                           kind: .infrastructure, category: "compute", unit: .servers, siteType: .edgeSite,
                                                                           siteCountry: "JP", prefecture: 40, gpuCount: 64, itPowerKw: 600)),
        OfferingSpec(key: "minato-naha", vendor: 1, input: OfferingInput(name: "みなとエッジ 那覇（デモ）", nameEn: "Minato Edge Naha (demo)",
                                                                        kind: .infrastructure, category: "compute", unit: .servers, siteType: .edgeSite,
                                                                        siteCountry: "JP", prefecture: 47, gpuCount: 16, itPowerKw: 200)),
        OfferingSpec(key: "minato-waf", vendor: 1, input: OfferingInput(name: "みなとWAF（デモ）", nameEn: "Minato WAF (demo)", kind: .service, category: "cloud",
                                                                       unit: .sites)),
        OfferingSpec(key: "hinomaru-utm", vendor: 2, input: OfferingInput(name: "ヤマトUTM（デモ）", nameEn: "Yamato UTM (demo)", kind: .product, category: "network",
                                                                         unit: .devices)),
        OfferingSpec(key: "hinomaru-mail", vendor: 2, input: OfferingInput(name: "日の丸メールガード（デモ）", nameEn: "Hinomaru Mail Guard (demo)", kind: .service,
                                                                          category: "email-web", unit: .users)),
        OfferingSpec(key: "mikado-id", vendor: 3, input: OfferingInput(name: "ミカドID統合認証（デモ）", nameEn: "Mikado ID (demo)", kind: .service, category: "identity",
                                                                      unit: .users)),
        OfferingSpec(key: "yamato-pentest", vendor: 4, input: OfferingInput(name: "大和ペネトレーションテスト（デモ）", nameEn: "Yamato penetration testing (demo)",
                                                                           kind: .service, category: "assessment", unit: .sites)),
        OfferingSpec(key: "gs-edr", vendor: 5, input: OfferingInput(name: "GlobalShield EDR（デモ）", kind: .product, category: "endpoint", unit: .devices)),
        OfferingSpec(key: "gs-mdr", vendor: 5, input: OfferingInput(name: "GlobalShield MDR（デモ）", kind: .service, category: "soc", unit: .devices,
                                                                   operation: ["JP", "US"], dataLocation: ["JP"])),
        OfferingSpec(key: "gs-siem", vendor: 5, input: OfferingInput(name: "GlobalShield SIEM Cloud（デモ）", kind: .service, category: "siem", unit: .terabytes,
                                                                    operation: ["JP", "US"], dataLocation: ["JP"])),
        OfferingSpec(key: "sakura-siem", vendor: 0, input: OfferingInput(name: "さくらログ分析（デモ）", nameEn: "Sakura Log Analytics (demo)", kind: .product,
                                                                        category: "siem", unit: .terabytes)),
        OfferingSpec(key: "gs-id", vendor: 5, input: OfferingInput(name: "GlobalShield Identity（デモ）", kind: .service, category: "identity", unit: .users)),
        OfferingSpec(key: "nw-tokyo", vendor: 6, input: OfferingInput(name: "Northwind 東京リージョン（デモ）", nameEn: "Northwind Tokyo region (demo)",
                                                                     kind: .infrastructure, category: "compute", unit: .servers, siteType: .cloudRegion,
                                                                     siteCountry: "JP", prefecture: 13, gpuCount: 2048, itPowerKw: 40000)),
        // Operated by a separate Japanese company under Japanese law: domestic although the vendor is not.
        OfferingSpec(key: "nw-sovereign", vendor: 6, input: OfferingInput(name: "Northwind 国内主権クラウド（デモ）", nameEn: "Northwind Sovereign Cloud Japan (demo)",
                                                                         kind: .infrastructure, category: "compute", unit: .servers, governingLaw: "JP", foreignLaws: [],
                                                                         support: ["JP"], siteType: .cloudRegion, siteCountry: "JP", prefecture: 27,
                                                                         gpuCount: 1024, itPowerKw: 15000)),
        OfferingSpec(key: "nw-virginia", vendor: 6, input: OfferingInput(name: "Northwind US East region (demo)", kind: .infrastructure, category: "compute",
                                                                        unit: .servers, siteType: .cloudRegion, siteCountry: "US", gpuCount: 8192, itPowerKw: 90000)),
        OfferingSpec(key: "sw-firewall", vendor: 7, input: OfferingInput(name: "SecureWave NGFW（デモ）", kind: .product, category: "network", unit: .devices)),
        OfferingSpec(key: "sw-mail", vendor: 7, input: OfferingInput(name: "SecureWave Mail（デモ）", kind: .service, category: "email-web", unit: .users)),
    ]

    struct DeclarerSpec {
        var name: String
        var nameEn: String
        var kind: OrganisationKind
        /// 法人番号 base (12 digits) or 全国地方公共団体コード base (5 digits).
        var base: String
        /// Relative size of its security budget.
        var size: Int
    }

    static let declarers: [DeclarerSpec] = [
        DeclarerSpec(name: "信頼運営機構（デモ）", nameEn: "Shinrai Operating Agency (demo)", kind: .government, base: "000012990001", size: 6),
        DeclarerSpec(name: "デジタル行政庁（デモ）", nameEn: "Digital Administration Agency (demo)", kind: .government, base: "000012996801", size: 9),
        DeclarerSpec(name: "経済安全推進庁（デモ）", nameEn: "Economic Security Agency (demo)", kind: .government, base: "000012996802", size: 7),
        DeclarerSpec(name: "国立サイバー研究所（デモ）", nameEn: "National Cyber Institute (demo)", kind: .government, base: "000012996803", size: 4),
        DeclarerSpec(name: "千代田区（デモ）", nameEn: "Chiyoda City (demo)", kind: .municipality, base: "13101", size: 3),
        DeclarerSpec(name: "横浜市（デモ）", nameEn: "Yokohama City (demo)", kind: .municipality, base: "14100", size: 8),
        DeclarerSpec(name: "大阪市（デモ）", nameEn: "Osaka City (demo)", kind: .municipality, base: "27100", size: 8),
        DeclarerSpec(name: "札幌市（デモ）", nameEn: "Sapporo City (demo)", kind: .municipality, base: "01100", size: 5),
        DeclarerSpec(name: "福岡市（デモ）", nameEn: "Fukuoka City (demo)", kind: .municipality, base: "40130", size: 5),
        DeclarerSpec(name: "さくら情報システム株式会社（デモ）", nameEn: "Sakura Information Systems (demo)", kind: .company, base: "010401990002", size: 3),
        DeclarerSpec(name: "東都銀行株式会社（デモ）", nameEn: "Toto Bank (demo)", kind: .company, base: "010401996811", size: 10),
        DeclarerSpec(name: "浪速電力株式会社（デモ）", nameEn: "Naniwa Electric Power (demo)", kind: .company, base: "010401996812", size: 9),
        DeclarerSpec(name: "北斗物流株式会社（デモ）", nameEn: "Hokuto Logistics (demo)", kind: .company, base: "010401996813", size: 4),
        DeclarerSpec(name: "瀬戸内製造株式会社（デモ）", nameEn: "Setouchi Manufacturing (demo)", kind: .company, base: "010401996814", size: 6),
        DeclarerSpec(name: "みなと総合病院（デモ）", nameEn: "Minato General Hospital (demo)", kind: .company, base: "010401996815", size: 3),
    ]

    /// Each category's choice between a domestic and a foreign offering, and the yearly spend of
    /// a declarer of size 1 (yen).
    static let choices: [(domestic: String, foreign: String?, unitPrice: Int64, unitsPerSize: Int64)] = [
        ("sakura-edr", "gs-edr", 9_000, 300),
        ("sakura-soc", "gs-mdr", 40_000, 120),
        ("sakura-siem", "gs-siem", 250_000, 8),
        ("hinomaru-utm", "sw-firewall", 600_000, 4),
        ("hinomaru-mail", "sw-mail", 4_000, 400),
        ("mikado-id", "gs-id", 3_000, 500),
        ("minato-tokyo", "nw-tokyo", 1_200_000, 6),
        ("nw-sovereign", "nw-virginia", 1_500_000, 3),
        ("yamato-pentest", nil, 2_500_000, 1),
    ]

    /// A deterministic number in 0..<1000 for a combination (the demo needs no randomness).
    static func dice(_ parts: Int...) -> Int {
        var h: UInt64 = 1469598103934665603
        for p in parts { h = (h ^ UInt64(bitPattern: Int64(p))) &* 1099511628211 }
        return Int(h % 1000)
    }

    static func load(services: Services) async throws {
        let db = services.db
        let accounts = AccountService(services)
        let system = Actor.system("demo")
        let sakuraNumber = corporateNumber("010401990002")
        if let sakura = try await Organisation.query(on: db).filter(\.$corporateNumber == sakuraNumber).first(),
           try await VendorProfile.query(on: db).filter(\.$organisation.$id == sakura.id!).first() != nil {
            return
        }
        let service = SovereigntyService(services: services)
        let admin = try await Account.query(on: db).filter(\.$email == DemoAccounts.admin).first()
        func identity(_ role: Role, _ org: UUID?) -> Identity {
            Identity(accountID: admin?.id ?? UUID(), email: admin?.email ?? "system:demo", displayName: admin?.displayName ?? "デモデータ",
                     role: role, organisationID: org, organisationName: nil)
        }

        func organisation(_ name: String, _ nameEn: String, _ kind: OrganisationKind, _ base: String) async throws -> Organisation {
            if kind == .municipality {
                let code = base + "\(LocalGovernmentCode.checkDigit(for: base))"
                if let found = try await Organisation.query(on: db).filter(\.$localGovernmentCode == code).first() { return found }
                return try await accounts.createOrganisation(.init(name: name, nameEn: nameEn, kind: kind, localGovernmentCode: code), actor: system)
            }
            let number = corporateNumber(base)
            if let found = try await Organisation.query(on: db).filter(\.$corporateNumber == number).first() { return found }
            return try await accounts.createOrganisation(.init(name: name, nameEn: nameEn, kind: kind, corporateNumber: number), actor: system)
        }

        // Vendors, their profiles (some verified by the operating agency) and offerings.
        var vendorIDs: [UUID] = []
        for spec in vendors {
            let org = try await organisation(spec.name, spec.nameEn, spec.kind, spec.base)
            vendorIDs.append(org.id!)
            try await service.saveProfile(of: org.id!, spec.profile, by: identity(spec.verified ? .reviewer : .member, org.id))
        }
        var offeringNumbers: [String: String] = [:]
        for spec in offerings {
            var input = spec.input
            input.vendorId = vendorIDs[spec.vendor]
            offeringNumbers[spec.key] = try await service.createOffering(input, by: identity(.reviewer, nil)).number
        }

        // Version 2 of the parameters from four years back weighs data location more.
        let year = FiscalYear.of(services.now)
        var v2 = ScoringParameters.initial
        v2.weights.data = 25
        v2.weights.support = 0
        _ = try await service.createParameterVersion(
            ParameterInput(effectiveFrom: year - 1, weights: v2.weights, thresholds: v2.thresholds.map { Decimal($0) / 10000 },
                           domesticLevel: v2.domesticLevel, minimumDeclarers: v2.minimumDeclarers,
                           note: "データの所在の重みを引き上げ、サポートの重みをなくす（デモ）"),
            by: identity(.admin, nil))

        // Four fiscal years of declarations, imported as CSV per organisation; domestic shares grow.
        let years = Array((year - 4)...(year - 1))
        for (d, declarer) in declarers.enumerated() {
            let org = try await organisation(declarer.name, declarer.nameEn, declarer.kind, declarer.base)
            let isPublic = declarer.kind == .government || declarer.kind == .municipality
            var csv = CSVWriter(includeBOM: false)
            csv.addRow(texts: DeclarationCSV.columns.map(\.en))
            for (y, fy) in years.enumerated() {
                for (c, choice) in choices.enumerated() {
                    if dice(d, c, 7) < 150 { continue }  // not every organisation uses every category
                    let domesticChance = 180 + 90 * y + (isPublic ? 60 : 0) + (c == 6 ? 80 : 0)
                    guard let key = dice(d, fy, c) < domesticChance ? choice.domestic : choice.foreign else { continue }
                    let units = choice.unitsPerSize * Int64(declarer.size) * Int64(90 + dice(d, fy, c, 1) % 30) / 100
                    let spend = units * choice.unitPrice * Int64(95 + dice(d, fy, c, 2) % 15) / 100
                    // Some municipalities know only their device counts.
                    let unitsOnly = declarer.kind == .municipality && c == 0 && dice(d, fy, 3) < 400
                    csv.addRow([.text(offeringNumbers[key]!), .integer(fy), unitsOnly ? .empty : .integer(Int(spend)),
                                (unitsOnly || dice(d, fy, c, 4) < 500) ? .integer(Int(max(units, 1))) : .empty,
                                .text(isPublic && choice.foreign != nil ? "yes" : "no"), .empty])
                }
            }
            _ = try await service.importDeclarations(csv: csv.text, mode: .allOrNothing, organisationID: org.id!, by: identity(.admin, nil))
        }

        // Targets (overall and per kind) and overseas sales of the domestic vendors.
        let adminIdentity = identity(.admin, nil)
        for (offset, rate) in [(-3, "0.30"), (-2, "0.35"), (-1, "0.45"), (0, "0.50"), (1, "0.55"), (4, "0.65")] {
            _ = try await service.setTarget(TargetInput(fiscalYear: year + offset, scope: TargetScope.overall, rate: Decimal(string: rate), note: "デモ目標"), by: adminIdentity)
        }
        for (kind, rate) in [("product", "0.45"), ("service", "0.55"), ("infrastructure", "0.60")] {
            _ = try await service.setTarget(TargetInput(fiscalYear: year, scope: kind, rate: Decimal(string: rate)), by: adminIdentity)
        }
        for (v, amounts) in [(0, [120, 180, 260]), (1, [40, 90, 150]), (2, [300, 320, 410]), (3, [15, 30, 55]), (4, [60, 75, 80])] {
            for (i, amount) in amounts.enumerated() {
                _ = try await service.saveOverseasSales(OverseasSalesInput(organisationId: vendorIDs[v], fiscalYear: year - 3 + i,
                                                                           amountYen: Int64(amount) * 1_000_000, markets: "ASEAN, US"),
                                                        by: identity(.admin, nil))
            }
        }
        // The two oldest complete years are published.
        for fy in years.prefix(2) { _ = try await service.publish(fiscalYear: fy, actor: system) }
    }

    static func corporateNumber(_ base: String) -> String { "\(CorporateNumber.checkDigit(for: base))\(base)" }
}
