import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Browser pages of the module (server-rendered, every POST form carries the CSRF token).
struct DisclosureWebRoutes {
    let services: Services
    var views: Views { services.views }
    var companies: CompanyService { CompanyService(services: services) }
    var incidents: IncidentService { IncidentService(services: services) }
    var annuals: AnnualService { AnnualService(services: services) }
    var surveys: SurveyService { SurveyService(services: services) }
    var limit: Int { services.config.maxBodyBytes }
    var baseURL: String {
        let url = services.config.publicBaseURL
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func register(_ routes: Routes) {
        routes.get("/disclosure") { request, context in try await home(request, context) }
        registerIncidentPages(routes)
        registerFeeds(routes)
        registerCompanyPages(routes)
        registerAnnualPages(routes)
        registerSurveyPages(routes)
    }

    // MARK: helpers

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text("disclosure.\(key)", context.language) }

    func render(_ template: String, title: String, crumbs: [(label: String, href: String?)] = [], values: [String: Any], status: HTTPResponse.Status = .ok,
                _ request: Request, _ context: AppContext) -> Response {
        // An empty string is "true" in a Mustache section, so empty texts are left out: `{{#note}}…{{/note}}` then hides.
        var all = Self.withoutEmptyTexts(values)
        all["isReviewer"] = context.identity?.isReviewer ?? false
        all["isAdmin"] = context.identity?.isAdmin ?? false
        all["isMember"] = context.identity?.role == .member
        all["signedIn"] = context.identity != nil
        let trail: [(label: String, href: String?)] = [(t("nav.home", context), "/disclosure")] + crumbs
        return views.page(Page("disclosure-\(template)", title: title, section: "security",
                               breadcrumbs: crumbs.isEmpty ? [(t("nav.home", context), nil)] : trail, values: all, status: status),
                          request: request, context: context)
    }

    static func withoutEmptyTexts(_ values: [String: Any]) -> [String: Any] {
        func prune(_ value: Any) -> Any? {
            switch value {
            case let text as String: return text.isEmpty ? nil : text
            case let object as [String: Any]: return withoutEmptyTexts(object)
            case let list as [[String: Any]]: return list.map(withoutEmptyTexts)
            case let list as [String]: return list.filter { !$0.isEmpty }
            default: return value
            }
        }
        return values.compactMapValues(prune)
    }

    static func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }

    func when(_ date: Date?, _ context: AppContext) -> String {
        guard let date else { return "—" }
        return JapaneseDate.dateTime(date, language: context.language)
    }

    func day(_ date: Date?, _ context: AppContext) -> String {
        guard let date else { return "—" }
        return JapaneseDate.long(date, language: context.language)
    }

    /// Form errors with pointers relative to the form (the API's `/content` prefix removed).
    func formErrors(_ problem: Problem, _ context: AppContext, strip prefix: String = "/content") -> [String: Any] {
        var adjusted = problem
        adjusted.errors = problem.errors.map { error in
            var error = error
            if error.pointer.hasPrefix(prefix + "/") { error.pointer = String(error.pointer.dropFirst(prefix.count)) }
            return error
        }
        var values = FormErrors(adjusted, language: context.language).values
        if let detail = problem.detail { values["problemDetail"] = detail.text(context.language) }
        return values
    }

    func notice(_ request: Request, _ context: AppContext, allowed: [String]) -> [String: Any] {
        guard let done = request.uri.queryParameters["done"].map(String.init), allowed.contains(done) else { return [:] }
        return ["notice": t("done.\(done)", context)]
    }

    func stars(_ count: Int, _ context: AppContext) -> [String: Any] {
        ["stars": String(repeating: "★", count: count) + String(repeating: "☆", count: max(0, 5 - count)),
         "starsText": context.language == .ja ? "5段階中\(count)" : "\(count) of 5"]
    }

    func companyRow(_ company: ListedCompany, _ context: AppContext) -> [String: Any] {
        ["code": company.securitiesCode, "name": company.displayName(context.language), "corporateNumber": company.corporateNumber,
         "segment": company.marketSegment.label(context.language), "href": "/disclosure/companies/\(company.securitiesCode)",
         "fiscalYearEnd": context.language == .ja ? "\(company.fiscalYearEndMonth)月" : FiscalYear.monthNames[company.fiscalYearEndMonth - 1],
         "alphanumeric": company.securitiesCode.contains(where: \.isLetter), "sec": company.secRegistrant, "nis2": company.nis2Entity]
    }

    // MARK: home

    func home(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = ShinraiKit.PageRequest(limit: 5, page: 1)
        let (latest, _) = try await incidents.publicList(.init(), page: page)
        let byID = try await DisclosureStore.companies(ids: latest.map(\.companyID), on: services.db)
        let rows = latest.compactMap { incident in byID[incident.companyID].map { incidentRow(incident, company: $0, context) } }
        let (surveyList, _) = try await surveys.list(page: .init(limit: 1, page: 1))
        var values: [String: Any] = ["latest": rows, "hasLatest": !rows.isEmpty]
        if let survey = surveyList.first {
            values["survey"] = ["number": survey.number, "href": "/disclosure/surveys/\(survey.number)",
                                "fiscalYear": FiscalYear.shortLabel(survey.fiscalYear, context.language),
                                "companies": survey.companies, "disclosed": survey.disclosed, "mean": SVGChart.defaultFormat(survey.meanPercent)]
        }
        if let identity = context.identity, identity.role == .member,
           let company = try await DisclosureStore.company(forOrganisation: identity.organisationID, on: services.db) {
            values["myCompany"] = companyRow(company, context)
        }
        let example = try DeadlineEngine.deadline(.businessDays(4, .exchange), from: JapaneseDate.date(year: 2026, month: 4, day: 30, hour: 21))
        values["example"] = example.explanation(context.language)
        return render("home", title: t("home.title", context), values: values, request, context)
    }

    func incidentRow(_ incident: Incident, company: ListedCompany, _ context: AppContext) -> [String: Any] {
        ["number": incident.number ?? t("incident.draftLabel", context), "title": incident.title, "href": "/disclosure/incidents/\(incident.publicID)",
         "company": company.displayName(context.language), "code": company.securitiesCode, "companyHref": "/disclosure/companies/\(company.securitiesCode)",
         "determined": when(incident.determinedAt, context), "published": when(incident.firstPublishedAt, context),
         "updated": when(incident.latestPublishedAt, context), "due": when(incident.firstDueAt, context), "late": incident.late,
         "versions": incident.latestVersion, "isDraft": incident.status == .draft, "hasDraft": incident.draftKind != nil]
    }

    // MARK: feeds

    func registerFeeds(_ routes: Routes) {
        routes.get("/disclosure/incidents/feed.atom") { request, _ in try await atomFeed(request) }
        routes.get("/disclosure/incidents/feed.json") { request, _ in try await jsonFeed(request) }
        routes.get("/disclosure/incidents.csv") { request, context in try await incidentsCSV(request, context) }
    }

    /// Newest published versions (first publications and amendments), newest first.
    func latestVersions(limit: Int) async throws -> [(version: IncidentVersion, record: IncidentService.PublishedVersion)] {
        try await IncidentVersion.query(on: services.db).sort(\.$publishedAt, .descending).sort(\.$id).limit(limit).all().compactMap { version in
            (try? DisclosureJSON.decode(IncidentService.PublishedVersion.self, version.content)).map { (version, $0) }
        }
    }

    func feedSummary(_ record: IncidentService.PublishedVersion) -> String {
        var lines = ["\(record.company.securitiesCode) \(record.company.name)", record.content.summary ?? ""]
        if record.clock.late { lines.append("期限後の開示 / Filed after the deadline (\(record.clock.due))") }
        if let reason = record.reason { lines.append("続報 / Amendment: \(reason)") }
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    func atomFeed(_ request: Request) async throws -> Response {
        let base = baseURL
        let items = try await latestVersions(limit: 50)
        let entries = items.map { item in
            AtomFeed.Entry(id: AtomFeed.tagURI(authority: URL(string: base)?.host ?? "shinrai.example", date: "2026", specific: "/disclosure/\(item.record.number)/v\(item.record.version)"),
                           title: "\(item.record.number) 第\(item.record.version)版 \(item.record.content.title)" + (item.record.clock.late ? "（期限後の開示）" : ""),
                           updated: item.version.publishedAt, published: item.version.publishedAt,
                           link: "\(base)/disclosure/incidents/\(item.record.number)/versions/\(item.record.version)",
                           summary: feedSummary(item.record), authors: [AtomFeed.Person(name: item.record.company.name)],
                           categories: [item.record.kind == .initial ? "initial" : "amendment"] + (item.record.clock.late ? ["late"] : []))
        }
        let feed = AtomFeed(id: AtomFeed.tagURI(authority: URL(string: base)?.host ?? "shinrai.example", date: "2026", specific: "/disclosure/incidents"),
                            title: "重大なサイバーインシデントの適時開示 / Cyber incident disclosures", updated: items.first?.version.publishedAt ?? services.now,
                            selfLink: "\(base)/disclosure/incidents/feed.atom", alternateLink: "\(base)/disclosure/incidents",
                            authors: [AtomFeed.Person(name: "Shinrai")], language: "ja", entries: entries)
        return API.cacheable(Data(feed.xml().utf8), contentType: AtomFeed.contentType, request: request)
    }

    /// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
    struct JSONFeed: Encodable {
        struct Item: Encodable {
            var id: String
            var url: String
            var title: String
            var content_text: String
            var date_published: String
            var tags: [String]
            var _shinrai: Extension
        }
        struct Extension: Encodable {
            var number: String
            var version: Int
            var securitiesCode: String
            var late: Bool
            var due: String
            var logIndex: Int64
        }
        var version = "https://jsonfeed.org/version/1.1"
        var title: String
        var home_page_url: String
        var feed_url: String
        var language = "ja"
        var items: [Item]
    }

    func jsonFeed(_ request: Request) async throws -> Response {
        let base = baseURL
        let items = try await latestVersions(limit: 50).map { item in
            JSONFeed.Item(id: "\(base)/disclosure/incidents/\(item.record.number)/versions/\(item.record.version)",
                          url: "\(base)/disclosure/incidents/\(item.record.number)/versions/\(item.record.version)",
                          title: "\(item.record.number) 第\(item.record.version)版 \(item.record.content.title)", content_text: feedSummary(item.record),
                          date_published: ISO8601Timestamp.format(item.version.publishedAt),
                          tags: [item.record.kind.rawValue] + (item.record.clock.late ? ["late"] : []),
                          _shinrai: .init(number: item.record.number, version: item.record.version, securitiesCode: item.record.company.securitiesCode,
                                          late: item.record.clock.late, due: item.record.clock.due, logIndex: item.version.logIndex))
        }
        let feed = JSONFeed(title: "重大なサイバーインシデントの適時開示 / Cyber incident disclosures", home_page_url: "\(base)/disclosure/incidents",
                            feed_url: "\(base)/disclosure/incidents/feed.json", items: items)
        return API.cacheable(try API.encoder.encode(feed), contentType: "application/feed+json; charset=utf-8", request: request)
    }

    func incidentsCSV(_ request: Request, _ context: AppContext) async throws -> Response {
        let filter = try DisclosureAPIRoutes.incidentFilter(queryDictionary(request))
        var writer = CSVWriter()
        writer.addRow(texts: ["開示番号 number", "証券コード securitiesCode", "会社名 company", "件名 title", "重大性の判断 determinedAt", "初回公表 firstPublishedAt",
                              "期限 dueAt", "期限後 late", "最新版 latestVersion", "最終更新 latestPublishedAt", "URL"])
        var page = 1
        while true {
            let (items, total) = try await incidents.publicList(filter, page: .init(limit: 200, page: page))
            let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: services.db)
            for incident in items {
                guard let company = byID[incident.companyID] else { continue }
                writer.addRow([.text(incident.number ?? ""), .text(company.securitiesCode), .text(company.name), .text(incident.title),
                               .text(JapanTime.iso8601(incident.determinedAt)), .text(incident.firstPublishedAt.map(JapanTime.iso8601) ?? ""),
                               .text(incident.firstDueAt.map(JapanTime.iso8601) ?? ""), .text(incident.late ? "yes" : "no"), .integer(incident.latestVersion),
                               .text(incident.latestPublishedAt.map(JapanTime.iso8601) ?? ""),
                               .text("\(baseURL)/disclosure/incidents/\(incident.publicID)")])
            }
            if page * 200 >= total || items.isEmpty { break }
            page += 1
        }
        return API.cacheable(writer.data, contentType: "text/csv; charset=utf-8", request: request, filename: "incident-disclosures.csv")
    }

    func queryDictionary(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
    }
}
