import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The web pages of the use-case exchange: public pages here, the workspace in WorkspaceWeb,
/// needs in NeedWeb.
struct UseCaseWeb {
    let services: Services
    let search: SearchSnapshots
    var views: Views { services.views }
    var service: UseCaseService { UseCaseService(services: services) }
    var reads: PublicUseCases { PublicUseCases(services: services, search: search) }
    var baseURL: String { services.config.publicBaseURL.hasSuffix("/") ? String(services.config.publicBaseURL.dropLast()) : services.config.publicBaseURL }

    func register(_ routes: Routes) {
        routes.get("/usecases") { request, context in try await search(request, context) }
        routes.get("/usecases/export.csv") { request, _ in try await exportCSV(request) }
        routes.get("/usecases/export/us-ai-inventory.csv") { request, _ in try await exportUSInventory(request) }
        routes.get("/usecases/feed.atom") { request, _ in try await feed(request) }
        routes.get("/usecases/assets/{file}") { request, context in try asset(request, context) }
        routes.get("/usecases/{number}") { request, context in try await detail(request, context, version: nil) }
        routes.get("/usecases/{number}/versions") { request, context in try await versions(request, context) }
        routes.get("/usecases/{number}/versions/{version}") { request, context in
            guard let version = context.parameters.get("version", as: Int.self), version >= 1 else { throw Problem.notFound }
            return try await detail(request, context, version: version)
        }
        routes.get("/usecases/{number}/prompts/{index}") { request, context in try await promptPage(request, context, form: nil) }
        routes.post("/usecases/{number}/prompts/{index}") { request, context in
            try await promptPage(request, context, form: try await FormData.read(request, limit: services.config.maxBodyBytes))
        }
        WorkspaceWeb(web: self).register(routes)
        NeedWeb(web: self).register(routes)
    }

    // MARK: shared page helpers

    func viewModels(_ context: AppContext) async throws -> ViewModels {
        ViewModels(catalogue: views.catalogue, language: context.language, labels: try await reads.labels())
    }

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text(key, context.language) }

    /// A page of the module: AI pillar highlighted, breadcrumbs from the exchange's home, sub-navigation.
    func page(_ template: String, title: String, crumbs: [(String, String?)] = [], nav: String, values: [String: Any],
              status: HTTPResponse.Status = .ok, request: Request, context: AppContext) -> Response {
        var values = values
        values["ucNav"] = ViewModels.nav(context, current: nav, catalogue: views.catalogue)
        if let notice = Notice.from(request) { values["notice"] = t("usecases.notice.\(notice.rawValue)", context) }
        let home = t("usecases.title", context)
        let trail: [(label: String, href: String?)] = [(t("nav.ai", context), "/ai")] + (crumbs.isEmpty ? [(home, nil)] : [(home, "/usecases")] + crumbs)
        return views.page(Page(template, title: title, section: "ai", breadcrumbs: trail, values: values, status: status), request: request, context: context)
    }

    static func seeOther(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }

    // MARK: search

    func search(_ request: Request, _ context: AppContext) async throws -> Response {
        let query = try SearchQuery.parse(request, strict: false, defaultLimit: 20)
        let (result, labels) = try await reads.search(query)
        let vm = ViewModels(catalogue: views.catalogue, language: context.language, labels: labels)
        let terms = query.terms
        let facets = Facet.allCases.map { facet -> [String: Any] in
            let values = labels.facetValues(facet, counts: result.facets[facet] ?? [:], selected: query.filters[facet] ?? [])
            return [
                "key": facet.rawValue, "legend": vm.t("usecases.facet.\(facet.rawValue)"), "hasValues": !values.isEmpty,
                "values": values.enumerated().map { i, v -> [String: Any] in
                    ["id": "f-\(facet.rawValue)-\(i)", "name": facet.rawValue, "value": v.value,
                     "label": context.language == .ja ? v.label : v.labelEn, "count": v.count, "checked": v.selected]
                },
            ]
        }
        let active = Facet.allCases.flatMap { facet in
            (query.filters[facet] ?? []).map { value -> [String: Any] in
                ["label": "\(vm.t("usecases.facet.\(facet.rawValue)")): \(labels.label(facet, value, context.language))",
                 "href": "/usecases?" + URLQuery.build(query.queryItems(toggling: (facet, value)))]
            }
        }
        let sorts = SearchSort.allCases.filter { $0 != .relevance || !terms.isEmpty }.map { sort -> [String: Any] in
            ["value": sort.rawValue, "label": vm.t("usecases.sort.\(sort.rawValue)"), "selected": sort == query.effectiveSort]
        }
        let exportQuery = URLQuery.build(query.queryItems())
        let values: [String: Any] = [
            "q": query.text, "hasQuery": !terms.isEmpty, "total": result.total, "items": result.rows.map { vm.summary($0, terms: terms) },
            "hasItems": !result.rows.isEmpty, "facets": facets, "active": active, "hasActive": !active.isEmpty, "sorts": sorts,
            "csvHref": "/usecases/export.csv" + (exportQuery.isEmpty ? "" : "?" + exportQuery),
            "usHref": "/usecases/export/us-ai-inventory.csv" + (exportQuery.isEmpty ? "" : "?" + exportQuery),
            "apiHref": "/api/v1/usecases" + (exportQuery.isEmpty ? "" : "?" + exportQuery),
            "pager": Pager(page: query.page, total: result.total, path: "/usecases", query: query.queryItems()).values(context, views),
            "canSubmit": context.identity?.organisationID != nil,
        ]
        return page("usecases-search", title: t("usecases.title", context), nav: "search", values: values, request: request, context: context)
    }

    // MARK: detail and versions

    func detail(_ request: Request, _ context: AppContext, version requested: Int?) async throws -> Response {
        guard let number = context.parameters.get("number"), let (record, latest) = try await service.publicRecord(number: number) else {
            throw Problem.notFound
        }
        var shown = latest
        if let requested, requested != latest.version {
            guard let older = try await service.version(of: record.id!, number: requested) else { throw Problem.notFound }
            shown = older
        }
        if requested == nil && record.listed {
            try await service.countView(record.id!)
            record.views += 1
        }
        let vm = try await viewModels(context)
        let published = try shown.record()
        let isCurrent = shown.version == latest.version
        var values = vm.content(published.content, promptBase: record.listed && isCurrent ? "/usecases/\(number)" : nil)
        values["number"] = number
        values["version"] = shown.version
        values["versionLabel"] = vm.version(shown.version)
        values["latestVersion"] = latest.version
        values["isOld"] = !isCurrent
        values["hasVersions"] = latest.version > 1
        values["currentHref"] = "/usecases/\(number)"
        values["versionsHref"] = "/usecases/\(number)/versions"
        values["published"] = vm.dateTime(shown.publishedAt)
        values["firstPublished"] = vm.date(record.firstPublishedAt ?? shown.publishedAt)
        values["organisation"] = published.organisation.name
        if let code = published.organisation.localGovernmentCode { values["localGovernmentCode"] = code }
        values["views"] = record.views
        values["reuses"] = record.reuses
        values["logIndex"] = shown.logIndex
        values["logHref"] = "/log/entries/\(shown.logIndex)"
        values["proofHref"] = PublicUseCases.proofLink(shown.logIndex)
        values["contentHash"] = shown.contentHash
        values["jsonHref"] = isCurrent ? "/api/v1/usecases/\(number)" : "/api/v1/usecases/\(number)/versions/\(shown.version)"
        if let note = shown.note { values["changeNote"] = note }
        let indexes = try await TransparencyLogStore.indexes(ofRecord: number, on: services.db)
        values["logEntries"] = indexes.map { ["index": $0, "href": "/log/entries/\($0)"] }
        if !record.listed, let at = record.withdrawnAt {
            values["withdrawn"] = ["at": vm.dateTime(at), "reason": record.withdrawnReason ?? ""]
        } else {
            let similar = try await reads.similar(to: published.content, excluding: record.id)
            values["items"] = similar.map { vm.summary($0, terms: []) }
            values["hasSimilar"] = !similar.isEmpty
        }
        if let identity = context.identity, identity.organisationID == record.organisationID || identity.isReviewer {
            values["manageHref"] = "/usecases/manage/\(record.id!)"
        }
        let title = isCurrent ? "\(published.content.title)（\(number)）" : "\(published.content.title)（\(number) \(vm.version(shown.version))）"
        var crumbs: [(String, String?)] = [(number, isCurrent ? nil : "/usecases/\(number)")]
        if !isCurrent { crumbs.append((vm.version(shown.version), nil)) }
        return page("usecases-detail", title: title, crumbs: crumbs, nav: "search", values: values, request: request, context: context)
    }

    func versions(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let number = context.parameters.get("number"), let (record, latest) = try await service.publicRecord(number: number) else {
            throw Problem.notFound
        }
        let vm = try await viewModels(context)
        let rows = try await service.versions(of: record.id!).map { v -> [String: Any] in
            ["version": v.version, "label": vm.version(v.version), "href": "/usecases/\(number)/versions/\(v.version)", "published": vm.dateTime(v.publishedAt),
             "note": v.note ?? "", "logIndex": v.logIndex, "logHref": "/log/entries/\(v.logIndex)", "hash": String(v.contentHash.prefix(16)),
             "proofHref": PublicUseCases.proofLink(v.logIndex)]
        }
        let title = try latest.record().content.title
        return page("usecases-versions", title: "\(vm.t("usecases.versions.title")): \(title)",
                    crumbs: [(number, "/usecases/\(number)"), (vm.t("usecases.versions.title"), nil)], nav: "search",
                    values: ["versions": rows, "number": number, "title": title, "withdrawn": !record.listed], request: request, context: context)
    }

    // MARK: use this prompt

    func promptPage(_ request: Request, _ context: AppContext, form: FormData?) async throws -> Response {
        guard let number = context.parameters.get("number"), let (record, latest) = try await service.publicRecord(number: number), record.listed else {
            throw Problem.notFound
        }
        let content = try latest.record().content
        let prompt = try UseCaseAPI.prompt(context, in: content)
        guard let template = try? PromptTemplate(parsing: prompt.template) else { throw Problem.notFound }
        let names = template.variableNames
        let examples = Dictionary(prompt.variables.map { ($0.name, $0.example) }, uniquingKeysWith: { a, _ in a })
        var entered: [String: String] = [:]
        if let form { for (i, name) in names.enumerated() { entered[name] = form.first("var_\(i)") ?? "" } }
        var values: [String: Any] = [
            "number": number, "index": context.parameters.get("index") ?? "1", "caseTitle": content.title, "promptTitle": prompt.title,
            "template": prompt.template, "caseHref": "/usecases/\(number)", "reuses": record.reuses,
            "licence": t(Label.licence(content.licence), context), "licenceURL": content.licence.url, "organisation": try latest.record().organisation.name,
        ]
        var status: HTTPResponse.Status = .ok
        var errorsByName: [String: String] = [:]
        if form != nil {
            let filled = template.fill(entered)
            if filled.isComplete {
                try await service.countReuse(record.id!)
                values["result"] = filled.text
                values["reuses"] = record.reuses + 1
            } else {
                let errors = filled.missing.compactMap { name -> FieldError? in
                    guard let i = names.firstIndex(of: name) else { return nil }
                    let message = FieldError(pointer: "/var_\(i)", code: "missing", detail: "Enter a value for \(name).", detailJa: "「\(name)」を入力してください。")
                    errorsByName[name] = message.detail(context.language)
                    return message
                }
                values.merge(FormErrors(.validation(errors), language: context.language).values) { $1 }
                status = .unprocessableContent
            }
        }
        values["variables"] = names.enumerated().map { i, name -> [String: Any] in
            var v: [String: Any] = ["id": "var_\(i)", "name": name, "value": entered[name] ?? "", "example": examples[name] ?? "",
                                    "long": (examples[name]?.count ?? 0) > 40 || (examples[name]?.contains("\n") ?? false)]
            if let error = errorsByName[name] { v["error"] = error }
            return v
        }
        values["hasVariables"] = !names.isEmpty
        return page("usecases-prompt", title: "\(t("usecases.prompt.title", context)): \(prompt.title)",
                    crumbs: [(number, "/usecases/\(number)"), (t("usecases.prompt.title", context), nil)], nav: "search",
                    values: values, status: status, request: request, context: context)
    }

    // MARK: exports and feed

    static let exportLimit = 20_000

    func exportCSV(_ request: Request) async throws -> Response {
        var query = try SearchQuery.parse(request, strict: false, defaultLimit: 20)
        query.sort = query.sort ?? .newest
        let cases = try await reads.currentVersions(matching: query, max: Self.exportLimit)
        let labels = try await reads.labels()
        var writer = CSVWriter()
        writer.addRow(texts: ["number", "version", "title", "summary", "organisation", "organisationType", "municipalityScale", "industry", "industryName",
                              "category", "categoryName", "stage", "confidentiality", "personalData", "humanReview", "highRisk", "hoursSavedPerMonth",
                              "monthlyCostYen", "initialCostYen", "modelsUsed", "licence", "publishedAt", "url"])
        for c in cases {
            let x = c.content
            writer.addRow([
                .text(c.number), .integer(c.version), .text(x.title), .text(x.summary), .text(c.organisation.name), .text(x.organisationType.rawValue),
                .text(x.municipalityScale?.rawValue ?? ""), .text(x.industry), .text(labels.label(.industry, x.industry, .ja)), .text(x.category),
                .text(labels.label(.category, x.category, .ja)), .text(x.stage.rawValue), .integer(x.governance.confidentiality),
                .text(x.governance.personalData ? "yes" : "no"), .text(x.governance.humanReview ? "yes" : "no"), .text(x.governance.highRisk ? "yes" : "no"),
                x.results.hoursSavedPerMonth.map { .number($0) } ?? .empty, x.results.monthlyCostYen.map { .integer($0) } ?? .empty,
                x.results.initialCostYen.map { .integer($0) } ?? .empty, .text(x.modelsUsed.joined(separator: "; ")), .text(x.licence.rawValue),
                .text(ISO8601Timestamp.format(c.publishedAt)), .text("\(baseURL)/usecases/\(c.number)"),
            ])
        }
        return API.cacheable(writer.data, contentType: "text/csv; charset=utf-8", request: request, filename: "usecases.csv")
    }

    func exportUSInventory(_ request: Request) async throws -> Response {
        var query = try SearchQuery.parse(request, strict: false, defaultLimit: 20)
        query.sort = query.sort ?? .newest
        let cases = try await reads.currentVersions(matching: query, max: Self.exportLimit)
        let labels = try await reads.labels()
        let rows = cases.map {
            USInventory.ExportRow(number: $0.number, organisationName: $0.organisation.name, content: $0.content,
                                  industryName: labels.label(.industry, $0.content.industry, .en))
        }
        return API.cacheable(USInventory.export(rows), contentType: "text/csv; charset=utf-8", request: request, filename: "usecases-us-ai-inventory.csv")
    }

    func feed(_ request: Request) async throws -> Response {
        let versions = try await reads.recentVersions(limit: 50)
        let authority = URL(string: baseURL)?.host ?? "shinrai.example"
        let labels = try await reads.labels()
        let entries = try versions.map { version -> AtomFeed.Entry in
            let record = try version.record()
            let c = record.content
            let kind = record.version == 1 ? "新規" : "更新"
            return AtomFeed.Entry(
                id: AtomFeed.tagURI(authority: authority, date: "2026", specific: "/usecases/\(record.number)/v\(record.version)"),
                title: "\(record.number) 第\(record.version)版（\(kind)） \(c.title)", updated: version.publishedAt, published: version.publishedAt,
                link: "\(baseURL)/usecases/\(record.number)/versions/\(record.version)", summary: c.summary,
                authors: [AtomFeed.Person(name: record.organisation.name)],
                categories: [c.industry, c.category, c.stage.rawValue, labels.label(.category, c.category, .ja)])
        }
        let feed = AtomFeed(id: AtomFeed.tagURI(authority: authority, date: "2026", specific: "/usecases"),
                            title: "生成AI活用事例 新着・更新 / Generative-AI use cases: new and updated", updated: versions.first?.publishedAt ?? services.now,
                            selfLink: "\(baseURL)/usecases/feed.atom", alternateLink: "\(baseURL)/usecases",
                            authors: [AtomFeed.Person(name: "Shinrai")], language: "ja", entries: entries)
        return API.cacheable(Data(feed.xml().utf8), contentType: AtomFeed.contentType, request: request)
    }

    // MARK: assets

    static let assets: [String: (Data, String)] = {
        guard let dir = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("static") else { return [:] }
        var out: [String: (Data, String)] = [:]
        for (file, type) in [("usecases.css", "text/css; charset=utf-8"), ("usecases.js", "text/javascript; charset=utf-8")] {
            if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path) { out[file] = (data, type) }
        }
        return out
    }()

    func asset(_ request: Request, _ context: AppContext) throws -> Response {
        guard let file = context.parameters.get("file"), let (data, type) = Self.assets[file] else { throw Problem.noRoute }
        return API.cacheable(data, contentType: type, request: request)
    }
}
