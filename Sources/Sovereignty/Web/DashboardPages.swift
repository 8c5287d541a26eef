import FluentKit
import Foundation
import Hummingbird
import ShinraiKit

extension SovereigntyWeb {
    func registerPublic(_ routes: Routes) {
        routes.get("/sovereignty") { request, context in try await dashboard(request, context) }
        routes.get("/sovereignty/methodology") { request, context in try await methodology(request, context) }
        routes.get("/sovereignty/offerings") { request, context in try await offerings(request, context) }
        routes.get("/sovereignty/offerings/{id}") { request, context in try await offering(request, context) }
        routes.get("/sovereignty/vendors") { request, context in try await vendors(request, context) }
        routes.get("/sovereignty/vendors/{id}") { request, context in try await vendor(request, context) }
        routes.get("/sovereignty/infrastructure") { request, context in try await infrastructure(request, context) }
        routes.get("/sovereignty/publications") { request, context in try await publications(request, context) }
        routes.post("/sovereignty/publications") { request, context in try await publish(request, context) }
    }

    // MARK: dashboard

    func cellRow(_ cell: IndicatorCell, label: String, _ context: AppContext) -> [String: Any] {
        let lang = context.language
        var row: [String: Any] = [
            "label": label, "rate": Format.percent(cell.rateBP), "weighted": Format.percent(cell.weightedRateBP),
            "domestic": Format.yen(cell.domesticSpendYen, lang), "total": Format.yen(cell.totalSpendYen, lang),
            "declarations": Format.grouped(cell.declarations), "declarers": Format.grouped(cell.declarers),
            "published": cell.status == .published, "hasTarget": cell.targetBP != nil,
            "target": Format.percent(cell.targetBP), "gap": Format.points(cell.gapBP, lang),
            "behind": (cell.gapBP ?? 0) < 0,
            "valuedByUnits": cell.valuedByUnits, "notValued": cell.notValued, "hasUnits": cell.valuedByUnits + cell.notValued > 0,
        ]
        switch cell.status {
        case .published: row["note"] = ""
        case .noData: row["note"] = t("cell.noData", context)
        case .suppressed:
            row["note"] = cell.suppression == .complementary ? t("cell.complementary", context)
                : String(format: t("cell.tooFew", context), cell.minimumDeclarers)
        }
        return row
    }

    func dashboard(_ request: Request, _ context: AppContext) async throws -> Response {
        let lang = context.language
        let snapshot = try await service.snapshot()
        let result = snapshot.result
        let query = Self.query(request)
        var year = result.years.last ?? service.currentFiscalYear
        if let raw = query["year"] {
            guard let value = Int(raw), result.years.contains(value) else { throw Problem.notFound }
            year = value
        }
        var values: [String: Any] = [
            "hasData": !result.years.isEmpty, "year": year, "yearLabel": FiscalYear.label(year, lang),
            "years": result.years.reversed().map { ["value": $0, "label": FiscalYear.label($0, lang), "selected": $0 == year] as [String: Any] },
        ]
        if let overall = result.cell(year, .overall) {
            values["headline"] = cellRow(overall, label: Labels.key(.overall, Dimension.overallKey, lang), context)
            values["parameterVersion"] = overall.parameterVersion
            values["minimumDeclarers"] = overall.minimumDeclarers
        }
        values["kinds"] = result.cells(year, .kind).map { cellRow($0, label: Labels.key(.kind, $0.key, lang), context) }
        let activeCodes = Set(snapshot.categories.filter(\.active).map(\.code))
        values["categories"] = result.cells(year, .category).filter { $0.declarations > 0 || activeCodes.contains($0.key) }
            .map { cellRow($0, label: CSVExports.label(.category, $0.key, categories: snapshot.categories, lang), context) }
        values["sectors"] = result.cells(year, .sector).map { cellRow($0, label: Labels.key(.sector, $0.key, lang), context) }
        values["systems"] = result.cells(year, .system).map { cellRow($0, label: Labels.key(.system, $0.key, lang), context) }

        // Trend against targets (overall), as a chart and a table.
        let categories = snapshot.trendYears.map { FiscalYear.shortLabel($0, lang) }
        let percent: (Int?) -> Double? = { $0.map { Double($0) / 100 } }
        let series = [
            ChartSeries(name: t("chart.rate", context), values: snapshot.trendYears.map { percent(result.cell($0, .overall)?.rateBP) }),
            ChartSeries(name: t("chart.weighted", context), values: snapshot.trendYears.map { percent(result.cell($0, .overall)?.weightedRateBP) }),
            ChartSeries(name: t("chart.target", context), values: snapshot.trendYears.map { percent(snapshot.targets[$0]?[TargetScope.overall]) }),
        ]
        let format: (Double) -> String = { String(format: "%.1f%%", $0) }
        if !snapshot.trendYears.isEmpty {
            values["trendChart"] = SVGChart.line(title: t("chart.trendTitle", context), description: t("chart.trendDescription", context),
                                                 series: series, categories: categories, valueFormat: format, id: "sovereignty-trend",
                                                 noDataText: t("cell.noData", context))
            values["trendTable"] = SVGChart.table(title: t("chart.trendTitle", context), series: series, categories: categories,
                                                  categoryHeader: t("fiscalYear", context), valueFormat: format).html(className: "stack-table")
        }
        // Each kind with a target gets its own chart of actual against target.
        values["kindTrends"] = OfferingKind.allCases.filter { kind in snapshot.trendYears.contains { snapshot.targets[$0]?[kind.rawValue] != nil } }
            .map { kind -> [String: Any] in
                let name = Labels.key(.kind, kind.rawValue, lang)
                let title = String(format: t("chart.kindTrendTitle", context), name)
                let kindSeries = [
                    ChartSeries(name: t("chart.rate", context), values: snapshot.trendYears.map { percent(result.cell($0, .kind, kind.rawValue)?.rateBP) }),
                    ChartSeries(name: t("chart.target", context), values: snapshot.trendYears.map { percent(snapshot.targets[$0]?[kind.rawValue]) }),
                ]
                return ["title": title,
                        "chart": SVGChart.line(title: title, description: t("chart.kindTrendDescription", context), series: kindSeries,
                                               categories: categories, valueFormat: format, id: "sovereignty-trend-\(kind.rawValue)",
                                               noDataText: t("cell.noData", context)),
                        "table": SVGChart.table(title: title, series: kindSeries, categories: categories, categoryHeader: t("fiscalYear", context),
                                                valueFormat: format).html(className: "stack-table")]
            }
        // Every year of the overall rate; the kinds where they have a target.
        values["trend"] = Trend.rows(snapshot).filter { $0.target != nil || ($0.scope == TargetScope.overall && $0.rate != nil) }.map { row -> [String: Any] in
            ["year": FiscalYear.shortLabel(row.fiscalYear, lang),
             "scope": row.scope == TargetScope.overall ? Labels.key(.overall, "", lang) : Labels.key(.kind, row.scope, lang),
             "rate": Format.percent(row.rate.map { Int(($0 * 10000).rounded()) }),
             "target": Format.percent(row.target.map { Int(($0 * 10000).rounded()) }),
             "gap": Format.points(row.gap.map { Int(($0 * 10000).rounded()) }, lang), "behind": (row.gap ?? 0) < 0]
        }

        // Category rates as bars (published cells only).
        let published = result.cells(year, .category).filter { $0.status == .published }
        if !published.isEmpty {
            let names = published.map { CSVExports.label(.category, $0.key, categories: snapshot.categories, lang) }
            let bars = [ChartSeries(name: t("chart.rate", context), values: published.map { percent($0.rateBP) })]
            values["categoryChart"] = SVGChart.bar(title: t("chart.categoryTitle", context), description: t("chart.categoryDescription", context),
                                                   series: bars, categories: names, valueFormat: format, width: 720, height: 340, id: "sovereignty-categories")
        }

        values["adoption"] = result.governmentAdoption.reversed().map { a -> [String: Any] in
            ["year": FiscalYear.shortLabel(a.fiscalYear, lang), "published": a.status == .published,
             "rate": Format.percent(a.spendRateBP), "share": Format.percent(a.offeringShareBP),
             "used": a.offeringsUsed.map(Format.grouped) ?? "—", "domestic": a.domesticOfferingsUsed.map(Format.grouped) ?? "—",
             "declarers": Format.grouped(a.declarers),
             "note": a.status == .published ? "" : t(a.status == .noData ? "cell.noData" : "cell.suppressed", context)]
        }
        values["hasAdoption"] = !result.governmentAdoption.isEmpty
        values["sales"] = snapshot.overseasSales.reversed().map { s -> [String: Any] in
            ["year": FiscalYear.shortLabel(s.fiscalYear, lang), "published": s.status == .published, "total": Format.yen(s.totalYen, lang),
             "vendors": Format.grouped(s.vendors), "note": s.status == .published ? "" : t("cell.suppressed", context)]
        }
        values["hasSales"] = !snapshot.overseasSales.isEmpty

        let publications = try await Publication.query(on: services.db).sort(\.$fiscalYear, .descending).sort(\.$revision, .descending).limit(10).all()
        values["publications"] = publications.map { publicationRow($0, context) }
        values["hasPublications"] = !publications.isEmpty
        values["yearPublished"] = publications.contains { $0.fiscalYear == year }
        values["canPublish"] = context.identity?.isReviewer ?? false
        values["csvYear"] = "/api/v1/sovereignty/indicator.csv?year=\(year)"
        values["publishedNotice"] = query["done"] == "published"
        return page("sovereignty-dashboard", title: t("title", context), values: values, request, context)
    }

    func publicationRow(_ p: Publication, _ context: AppContext) -> [String: Any] {
        ["recordNumber": p.recordNumber, "revision": p.revision, "rate": Format.percent(p.rateBP), "index": p.logIndex,
         "date": JapaneseDate.dateTime(p.publishedAt, language: context.language), "year": FiscalYear.shortLabel(p.fiscalYear, context.language),
         "hash": p.contentHash, "version": p.parameterVersion]
    }

    func publish(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.reviewer)
        let form = try await FormData.read(request, limit: limit)
        guard let year = form.text("fiscalYear").flatMap(Int.init) else { throw Problem.badRequest(.init(ja: "年度を指定してください。", en: "Give the fiscal year.")) }
        // A refusal (nothing changed, no data) is shown on the error page with its reason.
        _ = try await service.publish(fiscalYear: year, by: identity)
        return Self.redirect("/sovereignty?year=\(year)&done=published")
    }

    func publications(_ request: Request, _ context: AppContext) async throws -> Response {
        let items = try await Publication.query(on: services.db).sort(\.$fiscalYear, .descending).sort(\.$revision, .descending).all()
        return page("sovereignty-publications", title: t("publications.title", context),
                    values: ["publications": items.map { publicationRow($0, context) }, "hasPublications": !items.isEmpty], request, context)
    }

    // MARK: methodology

    func methodology(_ request: Request, _ context: AppContext) async throws -> Response {
        let lang = context.language
        let versions = try await ParameterStore.versions(on: services.db)
        let year = service.currentFiscalYear
        guard let current = ParameterStore.inForce(year, among: versions) else { throw Problem.notFound }
        let p = current.parameters
        let total = max(p.weights.total, 1)
        let criteria = Criterion.allCases.map { c -> [String: Any] in
            ["name": t("criterion.\(c.rawValue)", context), "eu": c.euObjective, "description": Methodology.description(c, lang),
             "weight": p.weights[c], "share": BasisPoints.percent(Scoring.roundHalfUp(p.weights[c] * 10000, total))]
        }
        let levels = (0...4).map { level -> [String: Any] in
            ["code": SovereigntyLevel.code(level), "name": t("level.\(level)", context),
             "from": level == 0 ? "0" : BasisPoints.decimal(p.thresholds[level - 1]),
             "below": level == 4 ? "—" : BasisPoints.decimal(p.thresholds[level]), "domestic": level >= p.domesticLevel]
        }
        let snapshot = try await service.snapshot()
        let years = Set(snapshot.trendYears).union([year]).sorted()
        let versionRows = versions.reversed().map { v -> [String: Any] in
            let vp = v.parameters
            return ["version": v.version, "from": FiscalYear.shortLabel(v.effectiveFrom, lang), "note": v.note,
                    "weights": Criterion.allCases.map { "\(t("criterion.\($0.rawValue)", context)) \(vp.weights[$0])" }.joined(separator: lang == .ja ? "、" : ", "),
                    "thresholds": vp.thresholds.map(BasisPoints.decimal).joined(separator: " / "),
                    "domesticLevel": SovereigntyLevel.code(vp.domesticLevel), "minimumDeclarers": vp.minimumDeclarers,
                    "created": Format.date(v.createdAt, lang), "index": v.logIndex as Any, "hasIndex": v.logIndex != nil, "current": v.id == current.id]
        }
        let yearRows = years.compactMap { y -> [String: Any]? in
            ParameterStore.inForce(y, among: versions).map { ["year": FiscalYear.shortLabel(y, lang), "version": $0.version] }
        }
        // A worked example with the current weights: a foreign vendor's domestic cloud region.
        let example = Scoring.assess(ResolvedFacts(
            vendor: VendorFacts(headquarters: Country("US")!, governingLaw: Country("US"), foreignLaws: [.usCloudAct],
                                development: [Country("US")!], operation: [Country("US")!], support: [.japan, Country("US")!], dataLocation: [Country("US")!]),
            offering: OfferingFacts(governingLaw: .japan, operation: [.japan], support: [.japan], dataLocation: [.japan])), with: p)
        let exampleRows = example.criteria.map { r -> [String: Any] in
            ["name": t("criterion.\(r.criterion.rawValue)", context), "value": r.fractionText, "weight": r.weight,
             "contribution": BasisPoints.decimal(r.contributionBP)]
        }
        return page("sovereignty-methodology", title: t("methodology.title", context), values: [
            "criteria": criteria, "levels": levels, "versions": versionRows, "yearVersions": yearRows,
            "currentVersion": current.version, "currentFrom": FiscalYear.shortLabel(current.effectiveFrom, lang),
            "domesticLevel": SovereigntyLevel.code(p.domesticLevel), "minimumDeclarers": p.minimumDeclarers, "totalWeight": p.weights.total,
            "formula": Methodology.formula, "example": exampleRows, "exampleScore": Format.score(example.scoreBP),
            "exampleLevel": SovereigntyLevel.code(example.level), "exampleDomestic": example.domestic,
        ], request, context)
    }
}
