import FluentKit
import Foundation
import ShinraiKit

/// The trend of the rate against its targets.
enum Trend {
    static func rows(_ snapshot: SovereigntySnapshot) -> [TrendRowDTO] {
        snapshot.trendYears.flatMap { year in
            TargetScope.all.map { scope in
                let cell = scope == TargetScope.overall ? snapshot.result.cell(year, .overall) : snapshot.result.cell(year, .kind, scope)
                let target = snapshot.targets[year]?[scope]
                let rate = cell?.rateBP
                return TrendRowDTO(fiscalYear: year, scope: scope, status: cell?.status ?? .noData, rate: share(rate),
                                   weightedRate: share(cell?.weightedRateBP), target: share(target),
                                   gap: share(rate.flatMap { r in target.map { r - $0 } }))
            }
        }
    }
}

/// The method in words, for the methodology page and API.
enum Methodology {
    static let formula = "score = Σ(weight_i × value_i) / Σ(weight_i); level = max{n : score ≥ threshold_n} (SEAL-0 when below SEAL-1); "
        + "domestic ⇔ level ≥ domesticLevel; rate = Σ value of domestic offerings / Σ value; weightedRate = Σ(value × score) / Σ value"

    static func description(_ criterion: Criterion, _ language: UILanguage) -> String {
        switch (criterion, language) {
        case (.control, .ja):
            return "本社・最終親会社・支配株主のうち日本にあるものの数 ÷ 3（親会社や支配株主がなければ自社を数えます）。"
        case (.control, .en):
            return "How many of headquarters, ultimate parent and controlling shareholders are in Japan, divided by 3 (a vendor without a parent or controlling shareholder counts itself)."
        case (.jurisdiction, .ja):
            return "契約の準拠法が日本法なら1/2、データの開示を強制できる外国法（米国CLOUD法など）の適用がないと申告されていれば1/2。"
        case (.jurisdiction, .en):
            return "1/2 when the contract is governed by Japanese law, plus 1/2 when no foreign law that can compel disclosure (such as the US CLOUD Act) is declared to apply."
        case (.data, .ja): return "データの保管・処理場所：日本のみ1、日本を含む複数国1/2、日本を含まない・不明0。"
        case (.data, .en): return "Where data is stored and processed: Japan only 1, Japan among others 1/2, elsewhere or unknown 0."
        case (.operations, .ja): return "運用場所：日本のみ1、日本を含む複数国1/2、日本を含まない・不明0。"
        case (.operations, .en): return "Where it is operated: Japan only 1, Japan among others 1/2, elsewhere or unknown 0."
        case (.development, .ja): return "開発場所（ソースコード・モデル・ハードウェア設計）：日本のみ1、日本を含む複数国1/2、それ以外0。"
        case (.development, .en): return "Where it is developed (source code, models, hardware design): Japan only 1, Japan among others 1/2, otherwise 0."
        case (.support, .ja): return "サポートの提供場所：日本のみ1、日本を含む複数国1/2、それ以外0。"
        case (.support, .en): return "Where support is given from: Japan only 1, Japan among others 1/2, otherwise 0."
        }
    }
}

/// CSV downloads of the public figures and registers (UTF-8 with BOM, formula-safe).
enum CSVExports {
    enum Table: String, CaseIterable {
        case cells
        case trend
        case governmentAdoption = "government-adoption"
        case overseasSales = "overseas-sales"
    }

    static func label(_ dimension: Dimension, _ key: String, categories: [CategoryInfo], _ language: UILanguage) -> String {
        switch dimension {
        case .category: return categories.first { $0.code == key }?.name(language) ?? key
        default: return Labels.key(dimension, key, language)
        }
    }

    static func optional(_ value: Int64?) -> CSVWriter.Cell { value.map { .integer(Int($0)) } ?? .empty }
    static func optionalShare(_ bp: Int?) -> CSVWriter.Cell { bp.map { .text(BasisPoints.decimal($0)) } ?? .empty }

    static func indicator(_ table: Table, snapshot: SovereigntySnapshot, year: Int?, dimension: Dimension?) -> Data {
        var writer = CSVWriter()
        switch table {
        case .cells:
            writer.addRow(texts: ["fiscal_year", "dimension", "key", "label_ja", "label_en", "status", "suppression", "declarations", "declarers",
                                  "valued_by_spend", "valued_by_units", "not_valued", "total_spend_yen", "domestic_spend_yen", "rate",
                                  "weighted_rate", "target", "gap", "parameter_version", "minimum_declarers"])
            for cell in snapshot.result.cells where (year == nil || cell.fiscalYear == year) && (dimension == nil || cell.dimension == dimension) {
                writer.addRow([.integer(cell.fiscalYear), .text(cell.dimension.rawValue), .text(cell.key),
                               .text(label(cell.dimension, cell.key, categories: snapshot.categories, .ja)),
                               .text(label(cell.dimension, cell.key, categories: snapshot.categories, .en)),
                               .text(cell.status.rawValue), .text(cell.suppression?.rawValue ?? ""), .integer(cell.declarations), .integer(cell.declarers),
                               .integer(cell.valuedBySpend), .integer(cell.valuedByUnits), .integer(cell.notValued),
                               optional(cell.totalSpendYen), optional(cell.domesticSpendYen), optionalShare(cell.rateBP), optionalShare(cell.weightedRateBP),
                               optionalShare(cell.targetBP), optionalShare(cell.gapBP), .integer(cell.parameterVersion), .integer(cell.minimumDeclarers)])
            }
        case .trend:
            writer.addRow(texts: ["fiscal_year", "scope", "status", "rate", "weighted_rate", "target", "gap"])
            for row in Trend.rows(snapshot) where year == nil || row.fiscalYear == year {
                writer.addRow([.integer(row.fiscalYear), .text(row.scope), .text(row.status.rawValue), bp(row.rate), bp(row.weightedRate),
                               bp(row.target), bp(row.gap)])
            }
        case .governmentAdoption:
            writer.addRow(texts: ["fiscal_year", "status", "declarers", "offerings_used", "domestic_offerings_used", "offering_share", "spend_rate"])
            for row in snapshot.result.governmentAdoption where year == nil || row.fiscalYear == year {
                writer.addRow([.integer(row.fiscalYear), .text(row.status.rawValue), .integer(row.declarers),
                               row.offeringsUsed.map { .integer($0) } ?? .empty, row.domesticOfferingsUsed.map { .integer($0) } ?? .empty,
                               optionalShare(row.offeringShareBP), optionalShare(row.spendRateBP)])
            }
        case .overseasSales:
            writer.addRow(texts: ["fiscal_year", "status", "vendors", "total_yen"])
            for row in snapshot.overseasSales where year == nil || row.fiscalYear == year {
                writer.addRow([.integer(row.fiscalYear), .text(row.status.rawValue), .integer(row.vendors), optional(row.totalYen)])
            }
        }
        return writer.data
    }

    static func bp(_ share: Double?) -> CSVWriter.Cell {
        share.map { .text(BasisPoints.decimal(Int(($0 * 10000).rounded()))) } ?? .empty
    }

    /// The §1.5 summary: one row per area of each breakdown (the `JP` country row is the
    /// domestic total), then the total. `siteTypeName` names a site type in a language.
    static func infrastructure(_ summary: InfrastructureSummary, siteTypeName: (String, UILanguage) -> String) -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: ["breakdown", "code", "name_ja", "name_en", "sites", "domestic_sites", "gpu_count", "it_power_kw",
                              "fiscal_year", "parameter_version"])
        func add(_ breakdown: String, _ area: InfrastructureSummary.Area, ja: String, en: String) {
            writer.addRow([.text(breakdown), .text(area.code), .text(ja), .text(en), .integer(area.sites), .integer(area.domesticSites),
                           .integer(area.gpuCount), .integer(area.itPowerKw), .integer(summary.fiscalYear), .integer(summary.parameterVersion)])
        }
        for area in summary.byPrefecture {
            let prefecture = JapanesePrefecture.byCode(Int(area.code) ?? 0)
            add("prefecture", area, ja: prefecture?.name(.ja) ?? area.code, en: prefecture?.name(.en) ?? area.code)
        }
        for area in summary.byCountry {
            let country = Country(area.code)
            add("country", area, ja: country?.name(.ja) ?? area.code, en: country?.name(.en) ?? area.code)
        }
        for area in summary.bySiteType { add("site-type", area, ja: siteTypeName(area.code, .ja), en: siteTypeName(area.code, .en)) }
        add("total", .init(code: "all", sites: summary.sites, domesticSites: summary.domesticSites, gpuCount: summary.gpuCount, itPowerKw: summary.itPowerKw),
            ja: "合計", en: "Total")
        return writer.data
    }

    static func offerings(_ rows: [OfferingRow]) -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: ["number", "name", "name_en", "kind", "category", "vendor", "vendor_corporate_number", "score", "level", "domestic",
                              "withdrawn", "site_type", "site_country", "prefecture", "gpu_count", "it_power_kw"])
        for row in rows {
            let o = row.offering
            writer.addRow([.text(o.number), .text(o.name), .text(o.nameEn ?? ""), .text(o.kind.rawValue), .text(o.category.code),
                           .text(o.vendor.name), .text(o.vendor.corporateNumber ?? ""), .text(BasisPoints.decimal(row.score?.scoreBP ?? 0)),
                           .text(SovereigntyLevel.code(row.score?.level ?? 0)), .text(row.score?.domestic == true ? "true" : "false"),
                           .text(o.withdrawn ? "true" : "false"), .text(o.siteType?.rawValue ?? ""), .text(o.siteCountry ?? ""),
                           o.prefecture.map { .integer($0) } ?? .empty, o.gpuCount.map { .integer($0) } ?? .empty, o.itPowerKW.map { .integer($0) } ?? .empty])
        }
        return writer.data
    }
}

/// Names of breakdown keys and vocabulary values in each language.
enum Labels {
    static func key(_ dimension: Dimension, _ key: String, _ language: UILanguage) -> String {
        let ja = language == .ja
        switch (dimension, key) {
        case (.overall, _): return ja ? "全体" : "Overall"
        case (.kind, _): return OfferingKind(rawValue: key).map { kind($0, language) } ?? key
        case (.sector, "government"): return ja ? "公的部門（府省庁・自治体）" : "Public sector (government, municipalities)"
        case (.sector, _): return ja ? "民間" : "Private sector"
        case (.system, Dimension.systemGovernment): return ja ? "政府システムでの利用" : "Use in government systems"
        case (.system, _): return ja ? "その他の利用" : "Other use"
        default: return key
        }
    }

    static func kind(_ kind: OfferingKind, _ language: UILanguage) -> String {
        switch (kind, language) {
        case (.product, .ja): return "製品"
        case (.product, .en): return "Products"
        case (.service, .ja): return "サービス"
        case (.service, .en): return "Services"
        case (.infrastructure, .ja): return "インフラ"
        case (.infrastructure, .en): return "Infrastructure"
        }
    }
}

extension SovereigntyService {
    /// Declarations a caller may read: members their organisation's, reviewers any (optionally one).
    func declarations(for identity: Identity, organisation: UUID?, year: Int?, page: ShinraiKit.PageRequest) async throws -> ([Declaration], Int) {
        var query = Declaration.query(on: db).with(\.$offering)
        if identity.isReviewer {
            if let organisation { query = query.filter(\.$organisationID == organisation) }
        } else {
            guard let own = identity.organisationID else { throw Problem.forbidden }
            if let organisation, organisation != own { throw Problem.forbidden }
            query = query.filter(\.$organisationID == own)
        }
        if let year { query = query.filter(\.$fiscalYear == year) }
        let total = try await query.count()
        let items = try await query.sort(\.$fiscalYear, .descending).sort(\.$createdAt, .descending).sort(\.$id)
            .range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }
}
