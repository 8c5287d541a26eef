import FluentKit
import Foundation
import Hummingbird
import ShinraiKit

extension SovereigntyWeb {
    func currentVersion() async throws -> ParameterVersion {
        let versions = try await ParameterStore.versions(on: services.db)
        guard let version = ParameterStore.inForce(service.currentFiscalYear, among: versions) else { throw Problem.notFound }
        return version
    }

    func kindOptions(_ selected: OfferingKind?, _ context: AppContext) -> [[String: Any]] {
        OfferingKind.allCases.map { ["value": $0.rawValue, "label": Labels.kind($0, context.language), "selected": $0 == selected] }
    }

    func categoryOptions(_ selected: String?, activeOnly: Bool, _ context: AppContext) async throws -> [[String: Any]] {
        try await SecurityCategory.query(on: services.db).sort(\.$sortOrder).all()
            .filter { !activeOnly || $0.active || $0.code == selected }
            .map { ["value": $0.code, "label": $0.name(context.language), "selected": $0.code == selected] }
    }

    func offeringRow(_ row: OfferingRow, _ context: AppContext) -> [String: Any] {
        let o = row.offering
        var place = ""
        if o.kind == .infrastructure, let country = o.siteCountry.flatMap(Country.init) {
            place = country.name(context.language)
            if let p = o.prefecture.flatMap(JapanesePrefecture.byCode) { place = p.name(context.language) }
        }
        return ["id": o.id!.uuidString, "number": o.number, "name": o.name(context.language), "vendor": o.vendor.name,
                "vendorId": o.$vendor.id.uuidString, "kind": Labels.kind(o.kind, context.language), "category": o.category.name(context.language),
                "score": Format.score(row.score?.scoreBP ?? 0), "level": SovereigntyLevel.code(row.score?.level ?? 0),
                "domestic": row.score?.domestic ?? false, "withdrawn": o.withdrawn, "place": place]
    }

    /// The choices of the "domestic" filter that every offering list carries.
    func domesticOptions(_ selected: Bool?, _ context: AppContext) -> [[String: Any]] {
        let current = selected.map { $0 ? "true" : "false" } ?? ""
        return [("", t("filter.any", context)), ("true", t("filter.domestic", context)), ("false", t("filter.foreign", context))]
            .map { ["value": $0.0, "label": $0.1, "selected": $0.0 == current] }
    }

    /// Reads `?domestic=` for a list that is not the register (a vendor's offerings, the
    /// infrastructure sites); returns the choice and the values of the filter form.
    func domesticFilter(_ request: Request, action: String, _ context: AppContext) throws -> (domestic: Bool?, form: [String: Any]) {
        let domestic = try OfferingFilter.parse(["domestic": Self.query(request)["domestic"] ?? ""]).domestic
        return (domestic, ["action": action, "options": domesticOptions(domestic, context)])
    }

    static func matching(_ rows: [OfferingRow], domestic: Bool?) -> [OfferingRow] {
        guard let domestic else { return rows }
        return rows.filter { ($0.score?.domestic ?? false) == domestic }
    }

    // MARK: offerings

    func offerings(_ request: Request, _ context: AppContext) async throws -> Response {
        let query = Self.query(request)
        let pageRequest = try ShinraiKit.PageRequest.parse(request)
        let filter = try OfferingFilter.parse(query)
        let version = try await currentVersion()
        let (rows, total) = try await OfferingQueries.list(filter, version: version, page: pageRequest, on: services.db)
        let csvQuery = URLQuery.build(filter.queryItems)
        return page("sovereignty-offerings", title: t("offerings.title", context), values: [
            "offerings": rows.map { offeringRow($0, context) }, "total": Format.grouped(total), "hasOfferings": !rows.isEmpty,
            "kinds": kindOptions(filter.kind, context), "categories": try await categoryOptions(filter.category, activeOnly: false, context),
            "domesticOptions": domesticOptions(filter.domestic, context), "q": filter.text ?? "", "withdrawn": filter.includeWithdrawn,
            "csvHref": "/api/v1/sovereignty/offerings.csv" + (csvQuery.isEmpty ? "" : "?\(csvQuery)"),
            "versionNumber": version.version, "canCreate": context.identity != nil,
            "pager": Pager(page: pageRequest, total: total, path: "/sovereignty/offerings", query: filter.queryItems).values(context, views),
        ], request, context)
    }

    func factRows(_ facts: ResolvedFacts, _ context: AppContext) -> [[String: Any]] {
        let lang = context.language
        let none = t("facts.none", context)
        func list(_ c: [Country]) -> String { c.isEmpty ? t("facts.unknown", context) : CountryList.names(c, lang) }
        var rows: [[String: Any]] = []
        if let vendor = facts.vendor {
            rows.append(["label": t("facts.headquarters", context), "value": vendor.headquarters.name(lang), "own": false])
            rows.append(["label": t("facts.ultimateParent", context), "value": vendor.ultimateParent?.name(lang) ?? t("facts.noParent", context), "own": false])
            rows.append(["label": t("facts.controllingShareholders", context),
                         "value": vendor.controllingShareholders.isEmpty ? none : CountryList.names(vendor.controllingShareholders, lang), "own": false])
        } else {
            rows.append(["label": t("facts.vendorProfile", context), "value": t("facts.noProfile", context), "own": false])
        }
        rows.append(["label": t("facts.governingLaw", context), "value": facts.governingLaw?.name(lang) ?? t("facts.unknown", context),
                     "own": facts.fromOffering.contains("governingLaw")])
        rows.append(["label": t("facts.foreignLaws", context),
                     "value": facts.foreignLaws.map { $0.isEmpty ? none : $0.map { t("law.\($0.rawValue)", context) }.joined(separator: lang == .ja ? "、" : ", ") }
                        ?? t("facts.unknown", context),
                     "own": facts.fromOffering.contains("foreignLaws")])
        for (key, value) in [("development", facts.development), ("operation", facts.operation), ("support", facts.support), ("dataLocation", facts.dataLocation)] {
            rows.append(["label": t("facts.\(key)", context), "value": list(value), "own": facts.fromOffering.contains(key)])
        }
        return rows
    }

    func levelValues(_ level: SovereigntyDirectory.Level, _ context: AppContext) -> [String: Any] {
        ["score": String(format: "%.4f", level.score), "levelCode": level.levelCode, "levelName": t("level.\(level.level)", context),
         "domestic": level.domestic, "version": level.parameterVersion,
         "criteria": level.criteria.map { c -> [String: Any] in
             ["name": t("criterion.\(c.criterion.rawValue)", context), "eu": c.euObjective, "value": c.valueText, "weight": c.weight,
              "contribution": String(format: "%.4f", c.contribution)]
         }]
    }

    func logRows(_ recordNumber: String) async throws -> [[String: Any]] {
        try await TransparencyLogStore.indexes(ofRecord: recordNumber, on: services.db).reversed().map { ["index": $0] }
    }

    func offering(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self),
              let item = try await SovereigntyDirectory.offering(id, on: services.db, fiscalYear: service.currentFiscalYear) else { throw Problem.notFound }
        let lang = context.language
        var values: [String: Any] = [
            "id": id.uuidString, "number": item.number, "name": lang == .en ? (item.nameEn ?? item.name) : item.name, "nameEn": item.nameEn ?? "",
            "vendor": item.vendorName, "vendorId": item.vendorId.uuidString, "kind": Labels.kind(item.kind, lang),
            "category": try await SecurityCategory.query(on: services.db).filter(\.$code == item.category).first()?.name(lang) ?? item.category,
            "description": item.description, "withdrawn": item.withdrawn, "unit": t("unit.\(item.unit.rawValue)", context),
            "facts": factRows(item.facts, context), "revision": item.revision, "updated": Format.date(item.updatedAt, lang),
            "log": try await logRows(item.number), "canEdit": context.identity?.canAccess(organisation: item.vendorId) ?? false,
            "yearLabel": FiscalYear.label(service.currentFiscalYear, lang),
        ]
        values.merge(levelValues(item.assessment, context)) { $1 }
        if let site = item.site {
            values["site"] = [
                "type": t("site.\(site.type.rawValue)", context), "country": site.country.name(lang),
                "prefecture": site.prefecture.flatMap(JapanesePrefecture.byCode)?.name(lang) ?? "—",
                "gpus": site.gpuCount.map(Format.grouped) ?? "—", "power": site.itPowerKw.map { Format.grouped($0) + " kW" } ?? "—",
            ]
        }
        return page("sovereignty-offering", title: values["name"] as! String, crumbs: [(t("offerings.title", context), "/sovereignty/offerings")],
                    values: values, request, context)
    }

    // MARK: vendors

    func vendors(_ request: Request, _ context: AppContext) async throws -> Response {
        let pageRequest = try ShinraiKit.PageRequest.parse(request)
        let query = Self.query(request)
        var domestic: Bool?
        switch query["domestic"] ?? "" {
        case "": break
        case "true": domestic = true
        case "false": domestic = false
        default: throw Problem.badRequest(.init(ja: "絞り込みの指定が正しくありません。", en: "Invalid filter."))
        }
        let rows = try await VendorQueries.list(version: try await currentVersion(), corporateNumber: nil, domestic: domestic, on: services.db)
        let items = rows.dropFirst(pageRequest.offset).prefix(pageRequest.limit).map { row -> [String: Any] in
            ["id": row.profile.$organisation.id.uuidString, "name": row.profile.organisation.name,
             "headquarters": Country(row.profile.headquarters)?.name(context.language) ?? row.profile.headquarters,
             "verified": row.profile.status == .verified, "score": Format.score(row.assessment.scoreBP),
             "level": SovereigntyLevel.code(row.assessment.level), "domestic": row.assessment.domestic, "offerings": row.offerings]
        }
        let options: [[String: Any]] = [("", t("filter.any", context)), ("true", t("filter.domestic", context)), ("false", t("filter.foreign", context))]
            .map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (query["domestic"] ?? "")] }
        return page("sovereignty-vendors", title: t("vendors.title", context), values: [
            "vendors": Array(items), "hasVendors": !items.isEmpty, "total": rows.count, "domesticOptions": options,
            "pager": Pager(page: pageRequest, total: rows.count, path: "/sovereignty/vendors",
                           query: domestic.map { [("domestic", $0 ? "true" : "false")] } ?? []).values(context, views),
        ], request, context)
    }

    func vendor(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self), let organisation = try await Organisation.find(id, on: services.db) else { throw Problem.notFound }
        let lang = context.language
        let profile = try await SovereigntyDirectory.vendor(id, on: services.db, fiscalYear: service.currentFiscalYear)
        let canEdit = context.identity?.canAccess(organisation: id) ?? false
        // Organisations without a profile and without offerings are not vendors to the public.
        let version = try await currentVersion()
        let offerings = try await OfferingQueries.list(OfferingFilter(vendorID: id, includeWithdrawn: true), version: version, page: nil, on: services.db).rows
        guard profile != nil || !offerings.isEmpty || canEdit else { throw Problem.notFound }
        let filter = try domesticFilter(request, action: "/sovereignty/vendors/\(id)", context)
        let shown = Self.matching(offerings, domestic: filter.domestic)
        var values: [String: Any] = [
            "id": id.uuidString, "name": organisation.name, "nameEn": organisation.nameEn ?? "", "corporateNumber": organisation.corporateNumber ?? "",
            "hasProfile": profile != nil, "canEdit": canEdit, "canVerify": (context.identity?.isReviewer ?? false) && profile?.status == .declared,
            "offerings": shown.map { offeringRow($0, context) }, "hasOfferings": !shown.isEmpty,
            "domesticFilter": offerings.isEmpty ? [:] : filter.form, "hasAnyOfferings": !offerings.isEmpty,
            "log": try await logRows(SovereigntyService.profileRecordNumber(organisation)),
            "saved": Self.query(request)["done"] == "saved", "verifiedNotice": Self.query(request)["done"] == "verified",
        ]
        if let profile {
            values.merge(levelValues(profile.assessment, context)) { $1 }
            values["facts"] = factRows(ResolvedFacts(vendor: profile.facts), context)
            values["foreignLawNote"] = profile.foreignLawNote
            values["evidence"] = profile.evidence.map { ["label": $0.label, "url": $0.url] }
            values["hasEvidence"] = !profile.evidence.isEmpty
            values["verified"] = profile.status == .verified
            values["verifiedAt"] = profile.verifiedAt.map { Format.date($0, lang) } ?? ""
            values["revision"] = profile.revision
            values["domesticVendor"] = profile.domesticVendor
            values["updated"] = Format.date(profile.updatedAt, lang)
        }
        if canEdit {
            let sales = try await OverseasSale.query(on: services.db).filter(\.$organisationID == id).sort(\.$fiscalYear, .descending).all()
            values["sales"] = sales.map { ["year": FiscalYear.shortLabel($0.fiscalYear, lang), "amount": Format.yen($0.amountYen, lang), "markets": $0.markets] }
            values["hasSales"] = !sales.isEmpty
        }
        return page("sovereignty-vendor", title: organisation.name, crumbs: [(t("vendors.title", context), "/sovereignty/vendors")],
                    values: values, request, context)
    }

    // MARK: infrastructure (§1.5)

    func infrastructure(_ request: Request, _ context: AppContext) async throws -> Response {
        let lang = context.language
        let version = try await currentVersion()
        let rows = try await OfferingQueries.list(OfferingFilter(kind: .infrastructure), version: version, page: nil, on: services.db).rows
        let summary = InfrastructureSummary.compute(rows, fiscalYear: service.currentFiscalYear, version: version.version)
        let filter = try domesticFilter(request, action: "/sovereignty/infrastructure", context)
        let shown = Self.matching(rows, domestic: filter.domestic)
        let prefectures = summary.byPrefecture.map { area -> [String: Any] in
            ["name": JapanesePrefecture.byCode(Int(area.code) ?? 0)?.name(lang) ?? area.code, "sites": area.sites, "domestic": area.domesticSites,
             "gpus": Format.grouped(area.gpuCount), "power": Format.grouped(area.itPowerKw)]
        }
        let countries = summary.byCountry.map { area -> [String: Any] in
            ["name": Country(area.code)?.name(lang) ?? area.code, "sites": area.sites, "domestic": area.domesticSites,
             "gpus": Format.grouped(area.gpuCount), "power": Format.grouped(area.itPowerKw)]
        }
        var values: [String: Any] = [
            "sites": summary.sites, "domesticSites": summary.domesticSites, "sitesInJapan": summary.sitesInJapan,
            "prefecturesWithSites": summary.prefecturesWithSites, "gpus": Format.grouped(summary.gpuCount),
            "gpusInJapan": Format.grouped(summary.gpuCountInJapan), "power": Format.grouped(summary.itPowerKw),
            "powerInJapan": Format.grouped(summary.itPowerKwInJapan),
            "prefectures": prefectures, "hasPrefectures": !prefectures.isEmpty, "countries": countries,
            "types": summary.bySiteType.map { ["name": t("site.\($0.code)", context), "sites": $0.sites, "domestic": $0.domesticSites] },
            "siteTable": ["offerings": shown.map { offeringRow($0, context) }], "hasSites": !shown.isEmpty,
            "domesticFilter": rows.isEmpty ? [:] : filter.form, "hasAnySites": !rows.isEmpty,
        ]
        if !summary.byPrefecture.isEmpty {
            let names = summary.byPrefecture.map { JapanesePrefecture.byCode(Int($0.code) ?? 0)?.name(lang) ?? $0.code }
            values["chart"] = SVGChart.bar(title: t("infrastructure.chartTitle", context), description: t("infrastructure.chartDescription", context),
                                           series: [ChartSeries(name: t("infrastructure.sites", context), values: summary.byPrefecture.map { Double($0.sites) }),
                                                    ChartSeries(name: t("infrastructure.domesticSites", context), values: summary.byPrefecture.map { Double($0.domesticSites) })],
                                           categories: names, width: 720, height: 320, id: "sovereignty-sites")
        }
        return page("sovereignty-infrastructure", title: t("infrastructure.title", context), values: values, request, context)
    }
}
