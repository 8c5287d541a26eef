import FluentKit
import Foundation
import ShinraiKit

/// Organisations of the demo data: real municipalities' codes (the content is invented and marked
/// デモ), fictional companies with valid 法人番号.
enum DemoOrganisations {
    struct Entry {
        let key: String
        let name: String
        let nameEn: String
        let kind: OrganisationKind
        /// 5 digits of the 全国地方公共団体コード, or 12 digits of the 法人番号, without the check digit.
        let base: String
        let type: OrganisationType
        let scale: MunicipalityScale?
    }

    static let all: [Entry] = [
        .init(key: "sapporo", name: "札幌市（デモ）", nameEn: "Sapporo City (demo)", kind: .municipality, base: "01100", type: .municipality, scale: .designatedCity),
        .init(key: "sendai", name: "仙台市（デモ）", nameEn: "Sendai City (demo)", kind: .municipality, base: "04100", type: .municipality, scale: .designatedCity),
        .init(key: "yokohama", name: "横浜市（デモ）", nameEn: "Yokohama City (demo)", kind: .municipality, base: "14100", type: .municipality, scale: .designatedCity),
        .init(key: "takamatsu", name: "高松市（デモ）", nameEn: "Takamatsu City (demo)", kind: .municipality, base: "37201", type: .municipality, scale: .coreCity),
        .init(key: "matsumoto", name: "松本市（デモ）", nameEn: "Matsumoto City (demo)", kind: .municipality, base: "20202", type: .municipality, scale: .coreCity),
        .init(key: "tsukuba", name: "つくば市（デモ）", nameEn: "Tsukuba City (demo)", kind: .municipality, base: "08220", type: .municipality, scale: .city),
        .init(key: "sabae", name: "鯖江市（デモ）", nameEn: "Sabae City (demo)", kind: .municipality, base: "18207", type: .municipality, scale: .city),
        .init(key: "kamiyama", name: "神山町（デモ）", nameEn: "Kamiyama Town (demo)", kind: .municipality, base: "36342", type: .municipality, scale: .townVillage),
        .init(key: "niseko", name: "ニセコ町（デモ）", nameEn: "Niseko Town (demo)", kind: .municipality, base: "01395", type: .municipality, scale: .townVillage),
        .init(key: "obuse", name: "小布施町（デモ）", nameEn: "Obuse Town (demo)", kind: .municipality, base: "20543", type: .municipality, scale: .townVillage),
        .init(key: "nishiawakura", name: "西粟倉村（デモ）", nameEn: "Nishiawakura Village (demo)", kind: .municipality, base: "33643", type: .municipality, scale: .townVillage),
        .init(key: "shizuoka", name: "静岡県（デモ）", nameEn: "Shizuoka Prefecture (demo)", kind: .municipality, base: "22000", type: .municipality, scale: .prefecture),
        .init(key: "shibuya", name: "渋谷区（デモ）", nameEn: "Shibuya City (demo)", kind: .municipality, base: "13113", type: .municipality, scale: .specialWard),
        .init(key: "midori", name: "株式会社みどり食品（デモ）", nameEn: "Midori Foods (demo)", kind: .company, base: "020401991001", type: .sme, scale: nil),
        .init(key: "yamamoto", name: "有限会社山本精密（デモ）", nameEn: "Yamamoto Precision (demo)", kind: .company, base: "020401991002", type: .sme, scale: nil),
        .init(key: "hikari", name: "株式会社ひかり工務店（デモ）", nameEn: "Hikari Builders (demo)", kind: .company, base: "020401991003", type: .sme, scale: nil),
        .init(key: "yukemuri", name: "湯けむり旅館株式会社（デモ）", nameEn: "Yukemuri Ryokan (demo)", kind: .company, base: "020401991004", type: .sme, scale: nil),
        .init(key: "unyu", name: "株式会社さくら運輸（デモ）", nameEn: "Sakura Transport (demo)", kind: .company, base: "020401991005", type: .sme, scale: nil),
        .init(key: "aoba", name: "医療法人あおば会（デモ）", nameEn: "Aoba Medical Corporation (demo)", kind: .other, base: "020401991006", type: .other, scale: nil),
        .init(key: "hidamari", name: "社会福祉法人ひだまり（デモ）", nameEn: "Hidamari Social Welfare Corporation (demo)", kind: .other, base: "020401991007", type: .other, scale: nil),
        .init(key: "bank", name: "株式会社みなと地方銀行（デモ）", nameEn: "Minato Regional Bank (demo)", kind: .company, base: "020401991008", type: .large, scale: nil),
        .init(key: "towa", name: "東和電機株式会社（デモ）", nameEn: "Towa Electric (demo)", kind: .company, base: "020401991009", type: .large, scale: nil),
        .init(key: "tsubasa", name: "税理士法人つばさ会計（デモ）", nameEn: "Tsubasa Tax Accountants (demo)", kind: .company, base: "020401991010", type: .sme, scale: nil),
        .init(key: "komedokoro", name: "株式会社こめどころ農園（デモ）", nameEn: "Komedokoro Farm (demo)", kind: .company, base: "020401991011", type: .sme, scale: nil),
        .init(key: "misaki", name: "みさき漁業協同組合（デモ）", nameEn: "Misaki Fisheries Cooperative (demo)", kind: .other, base: "020401991012", type: .other, scale: nil),
        .init(key: "gakuen", name: "学校法人さくら学園（デモ）", nameEn: "Sakura Gakuen School Corporation (demo)", kind: .other, base: "020401991013", type: .other, scale: nil),
        .init(key: "kotonoha", name: "株式会社ことのは書店（デモ）", nameEn: "Kotonoha Books (demo)", kind: .company, base: "020401991014", type: .sme, scale: nil),
    ]

    /// The kernel's demo organisations (DemoAccounts), found by their identifiers.
    static let kernel: [(key: String, base: String, type: OrganisationType, scale: MunicipalityScale?)] = [
        ("agency", "000012990001", .government, nil), ("sakura", "010401990002", .sme, nil),
        ("minato", "010401990003", .large, nil), ("chiyoda", "13101", .municipality, .specialWard),
    ]

    static func identifier(_ base: String) -> (corporate: String?, local: String?) {
        if base.count == 5 { return (nil, base + String(LocalGovernmentCode.checkDigit(for: base))) }
        return (String(CorporateNumber.checkDigit(for: base)) + base, nil)
    }

    static func find(_ base: String, on db: any Database) async throws -> Organisation? {
        let id = identifier(base)
        if let local = id.local { return try await Organisation.query(on: db).filter(\.$localGovernmentCode == local).first() }
        return try await Organisation.query(on: db).filter(\.$corporateNumber == id.corporate!).first()
    }

    /// Every demo organisation by key, creating the module's own ones when missing.
    static func ensure(services: Services) async throws -> [String: (Organisation, OrganisationType, MunicipalityScale?)] {
        var result: [String: (Organisation, OrganisationType, MunicipalityScale?)] = [:]
        let accounts = AccountService(services)
        for entry in all {
            var organisation = try await find(entry.base, on: services.db)
            if organisation == nil {
                let id = identifier(entry.base)
                organisation = try await accounts.createOrganisation(
                    .init(name: entry.name, nameEn: entry.nameEn, kind: entry.kind, corporateNumber: id.corporate, localGovernmentCode: id.local),
                    actor: .system("demo"))
            }
            result[entry.key] = (organisation!, entry.type, entry.scale)
        }
        for entry in kernel {
            if let organisation = try await find(entry.base, on: services.db) { result[entry.key] = (organisation, entry.type, entry.scale) }
        }
        return result
    }
}
