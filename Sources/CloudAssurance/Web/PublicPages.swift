import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Pages anyone can read: the hub, the four lists with exports, service pages, statistics.
struct PublicPages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }

    func register(_ routes: Routes) {
        routes.get("/cloud") { request, context in try await hub(request, context) }
        for list in CloudList.allCases {
            routes.get("/cloud/lists/\(list.slug)") { request, context in try await listPage(list, request, context) }
            routes.get("/cloud/lists/\(list.slug).csv") { request, _ in try await listCSV(list, request) }
            routes.get("/cloud/lists/\(list.slug).atom") { request, _ in try await listAtom(list, request) }
        }
        routes.get("/cloud/data.json") { request, _ in try await dataJSON(request) }
        routes.get("/cloud/services/{number}") { request, context in try await servicePage(request, context) }
        routes.get("/cloud/statistics") { request, context in try await statistics(request, context) }
    }

    // MARK: hub

    func hub(_ request: Request, _ context: AppContext) async throws -> Response {
        var lists: [[String: Any]] = []
        for list in CloudList.allCases {
            let count = try await ListEntryRecord.query(on: db).filter(\.$list == list.rawValue).filter(\.$isPublic == true).filter(\.$status ~~ list.currentStatuses).count()
            let key = list == .fastTrack ? "fastTrack" : list.rawValue
            lists.append(["href": "/cloud/lists/\(list.slug)", "name": kit.listName(list.rawValue, context), "count": count,
                          "description": kit.t("cloud.hub.\(key)", context), "section": kit.t("cloud.hub.\(key)Section", context)])
        }
        let latest = try await SnapshotRecord.query(on: db).sort(\.$date, .descending).field(\.$id).field(\.$date).field(\.$sha256).field(\.$logIndex).first()
        var values: [String: Any] = ["lists": lists, "hasSnapshot": latest != nil]
        if let latest {
            values["snapshotDate"] = kit.date(latest.date, context)
            values["snapshotHref"] = "/api/v1/cloud/snapshots/\(latest.date)"
            values["snapshotHash"] = latest.sha256
            if let index = latest.logIndex { values["snapshotLog"] = String(index) }
        }
        return kit.page("cloud-home", title: kit.t("cloud.title", context), crumbs: [], values: values, request: request, context: context)
    }

    // MARK: lists

    func listPage(_ list: CloudList, _ request: Request, _ context: AppContext) async throws -> Response {
        let page = try PageRequest.parse(request)
        let query = try ListQuery.parse(list, query: request.query)
        let (items, total) = try await query.page(page, on: db)
        let rows = items.map { row(list, $0, context) }
        let name = kit.listName(list.rawValue, context)
        let statusOptions = [("", kit.t("cloud.filter.current", context))] + list.publicStatuses.map { ($0, kit.status(list, $0, context)) } + [("all", kit.t("cloud.filter.all", context))]
        let regionOptions = [("", kit.t("cloud.filter.any", context)), ("JP", kit.t("cloud.filter.japan", context))]
            + JapanesePrefecture.all.map { (String(format: "JP-%02d", $0.code), $0.name(context.language)) }
            + ["US", "SG", "IE", "DE", "GB", "AU", "KR"].map { ($0, RegionCode.label($0, context.language)) }
        let sortOptions: [(String, String)] = ListQuery.Sort.allCases.flatMap { sort in
            [(sort.rawValue, kit.t("cloud.sort.\(sort.rawValue)", context) + " ↑"), ("-" + sort.rawValue, kit.t("cloud.sort.\(sort.rawValue)", context) + " ↓")]
        }
        func options(_ items: [(String, String)], selected: String) -> [[String: Any]] {
            items.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
        }
        let exportQuery = URLQuery.build(query.queryItems)
        let key = list == .fastTrack ? "fastTrack" : list.rawValue
        return kit.page("cloud-list", title: name, crumbs: [(name, nil)], values: [
            "listName": name, "intro": try await kit.cycleText("cloud.listIntro.\(key)", context), "slug": list.slug, "total": total, "rows": rows, "hasRows": !rows.isEmpty,
            "isFastTrack": list == .fastTrack, "isReady": list == .ready, "isLIU": list == .liu,
            "sinceLabel": kit.t("cloud.since.\(key)", context), "untilLabel": kit.t("cloud.until.\(key)", context), "hasUntil": list == .fastTrack || list == .ready,
            // The search box shows what the visitor typed; the search itself uses the normalised term.
            "q": String((request.query["q"] ?? query.q ?? "").prefix(100)), "poc": query.poc == true,
            "models": options([("", kit.t("cloud.filter.any", context))] + ServiceModel.allCases.map { ($0.rawValue, $0.label) }, selected: query.serviceModel?.rawValue ?? ""),
            "regions": options(regionOptions, selected: query.region ?? ""),
            "certifications": options([("", kit.t("cloud.filter.any", context))] + CertificationKind.allCases.map { ($0.rawValue, $0.label(context.language)) },
                                      selected: query.certification?.rawValue ?? ""),
            "statuses": options(statusOptions, selected: query.statusParameter ?? ""),
            "sorts": options(sortOptions, selected: (query.descending ? "-" : "") + query.sort.rawValue),
            "corporateNumber": query.corporateNumber ?? "",
            "csvHref": "/cloud/lists/\(list.slug).csv?\(exportQuery)", "atomHref": "/cloud/lists/\(list.slug).atom",
            "jsonHref": "/api/v1/cloud/lists/\(list.slug)?\(exportQuery)",
            // The pager keeps the filters and a page size given in the address.
            "pager": Pager(page: page, total: total, path: "/cloud/lists/\(list.slug)",
                           query: query.queryItems + (request.uri.queryParameters["limit"] != nil ? [("limit", String(page.limit))] : [])).values(context, services.views),
        ], request: request, context: context)
    }

    func row(_ list: CloudList, _ entry: ListEntryRecord, _ context: AppContext) -> [String: Any] {
        let details = entry.detailMap
        var notes: [String] = []
        if list == .ready {
            notes.append(kit.t("cloud.field.targetList", context) + ": " + kit.listName(details["targetList"] ?? "", context))
            notes.append(kit.t("cloud.field.targetApplicationDate", context) + ": " + kit.date(details["targetApplicationDate"], context))
            if details["pocAvailable"] == "true" { notes.append(kit.t("cloud.field.pocAvailable", context)) }
        }
        if list == .fastTrack, let number = details["certificateNumber"] {
            notes.append(kit.paren("ISO/IEC 27017: \(number)", details["certificationBody"] ?? "", context))
        }
        if (list == .liu || list == .ismap), details["source"] == "fast-track" { notes.append(kit.t("cloud.note.viaFastTrack", context)) }
        return [
            "href": "/cloud/services/\(entry.serviceNumber)", "name": entry.serviceName, "nameEn": entry.serviceNameEn ?? "", "hasNameEn": entry.serviceNameEn != nil,
            "provider": entry.providerName, "corporateNumber": entry.providerCorporateNumber ?? "", "record": entry.recordNumber,
            "model": ServiceModel(rawValue: entry.serviceModel)?.label ?? entry.serviceModel, "status": kit.status(list, entry.status, context),
            "statusClass": ["listed", "provisional", "registered", "applied"].contains(entry.status) ? "status-live" : "status-preparing",
            "since": kit.date(entry.since, context), "until": kit.date(entry.until, context),
            "regions": entry.regions.split(separator: ",").map { RegionCode.label(String($0), context.language) }.joined(separator: context.language == .ja ? "、" : ", "),
            "certs": entry.certKinds.split(separator: ",").compactMap { CertificationKind(rawValue: String($0))?.label(context.language) }.joined(separator: ", "),
            "notes": notes, "hasNotes": !notes.isEmpty,
        ]
    }

    static let csvColumns = ["list", "record_number", "status", "since", "until", "service_number", "service_name", "service_name_en", "service_model",
                             "provider", "corporate_number", "regions", "certifications", "details", "url"]

    func listCSV(_ list: CloudList, _ request: Request) async throws -> Response {
        let query = try ListQuery.parse(list, query: request.query)
        var writer = CSVWriter()
        writer.addRow(texts: Self.csvColumns)
        for entry in try await query.all(on: db) {
            let details = entry.detailMap.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            writer.addRow(texts: [entry.list, entry.recordNumber, entry.status, entry.since ?? "", entry.until ?? "", entry.serviceNumber, entry.serviceName,
                                  entry.serviceNameEn ?? "", entry.serviceModel, entry.providerName, entry.providerCorporateNumber ?? "",
                                  entry.regions.trimmingCharacters(in: CharacterSet(charactersIn: ",")).replacingOccurrences(of: ",", with: " "),
                                  entry.certKinds.trimmingCharacters(in: CharacterSet(charactersIn: ",")).replacingOccurrences(of: ",", with: " "),
                                  details, services.config.publicBaseURL + "/cloud/services/\(entry.serviceNumber)"])
        }
        return API.cacheable(writer.data, contentType: "text/csv; charset=utf-8", request: request, filename: "\(list.slug).csv")
    }

    func listAtom(_ list: CloudList, _ request: Request) async throws -> Response {
        let base = services.config.publicBaseURL
        let entries = try await ListEntryRecord.query(on: db).filter(\.$list == list.rawValue).filter(\.$isPublic == true)
            .sort(\.$changedAt, .descending).sort(\.$recordNumber).limit(100).all()
        let title = services.views.catalogue.text("cloud.lists.\(list == .fastTrack ? "fastTrack" : list.rawValue)", .ja)
        let feed = AtomFeed(id: AtomFeed.tagURI(authority: URL(string: base)?.host ?? "shinrai.example", date: "2026", specific: "cloud:\(list.slug)"),
                            title: title, updated: entries.first?.changedAt ?? Date(timeIntervalSince1970: 0),
                            selfLink: base + "/cloud/lists/\(list.slug).atom", alternateLink: base + "/cloud/lists/\(list.slug)", language: "ja",
                            entries: entries.map { entry in
                                let status = services.views.catalogue.text("cloud.status.\(list == .ready ? "ready" : list == .fastTrack ? "fastTrack" : "registration").\(entry.status)", .ja)
                                var summary = "\(entry.providerName) / \(entry.recordNumber) / \(status)"
                                if let until = entry.until, list == .fastTrack { summary += " / 暫定ステータス満了日 \(until)" }
                                return AtomFeed.Entry(id: AtomFeed.tagURI(authority: URL(string: base)?.host ?? "shinrai.example", date: "2026",
                                                                          specific: "cloud:\(entry.recordNumber):\(entry.status)"),
                                                      title: "\(entry.serviceName)（\(status)）", updated: entry.changedAt,
                                                      link: base + "/cloud/services/\(entry.serviceNumber)", summary: summary,
                                                      authors: [.init(name: entry.providerName)], categories: [entry.status])
                            })
        return API.cacheable(Data(feed.xml().utf8), contentType: AtomFeed.contentType, request: request)
    }

    /// The latest daily snapshot (the list as of today when none was taken yet).
    func dataJSON(_ request: Request) async throws -> Response {
        if let snapshot = try await SnapshotRecord.query(on: db).sort(\.$date, .descending).first() {
            return API.cacheable(Data(snapshot.body.utf8), contentType: "application/json; charset=utf-8", request: request)
        }
        let body = try await SnapshotDesk(services: services).build(date: kit.today)
        return API.cacheable(body, contentType: "application/json; charset=utf-8", request: request)
    }

    // MARK: service page

    func servicePage(_ request: Request, _ context: AppContext) async throws -> Response {
        let views = RecordViews(services: services)
        let (service, role) = try await views.service(number: try context.path("number"), context: context)
        let dto = try await ServiceView.dto(service, on: db, today: kit.today, includePrivate: role != nil)
        var query = StatusEventRecord.query(on: db).filter(\.$serviceID == service.id!)
        if role == nil { query = query.filter(\.$isPublic == true) }
        let events = try await query.sort(\.$seq).all().map(StatusEventDTO.init)
        var statuses: [[String: Any]] = []
        for item in dto.lists {
            let list = CloudList(rawValue: item.list) ?? .ismap
            let key = list == .fastTrack ? "fastTrack" : list.rawValue
            statuses.append(["list": kit.listName(item.list, context), "record": item.recordNumber, "status": kit.status(list, item.status, context),
                             "since": kit.date(item.since, context), "until": kit.date(item.until, context), "hasUntil": item.until != nil,
                             "sinceLabel": kit.t("cloud.since.\(key)", context), "untilLabel": kit.t("cloud.until.\(key)", context),
                             "href": try await recordHref(list, number: item.recordNumber, role: role),
                             "isProvisional": list == .fastTrack && item.status == FastTrackStatus.provisional.rawValue])
        }
        let files = role == nil ? [] : try await Registry(services: services).attachments(ownerType: "cloud.certification", ownerIDs: dto.certifications.map(\.id))
        let certs = dto.certifications.map { c -> [String: Any] in
            [
                "label": CertificationKind(rawValue: c.kind)?.label(context.language) ?? c.label, "issuer": c.issuer, "number": c.certificateNumber, "scope": c.scope, "from": kit.date(c.validFrom, context),
                "until": kit.date(c.validUntil, context), "valid": c.valid, "verified": c.verified, "covers": c.coversService,
                "removeAction": "/cloud/manage/services/\(service.number)/certifications/\(c.id)/remove",
                "verifyAction": "/cloud/manage/services/\(service.number)/certifications/\(c.id)/verify",
                "files": files.filter { $0.ownerID == c.id }.map { ["name": $0.filename, "href": "/api/v1/cloud/attachments/\($0.id!)"] },
            ]
        }
        let contacts = dto.contacts.map { c -> [String: Any] in
            WebKit.nonEmpty(["role": kit.t("cloud.contactRole.\(c.role)", context), "name": c.name ?? "", "email": c.email ?? "", "phone": c.phone ?? ""])
        }
        return kit.page("cloud-service", title: service.name, crumbs: [(service.name, nil)], values: [
            "service": WebKit.nonEmpty([
                "number": service.number, "name": service.name, "nameEn": service.nameEn ?? "", "model": service.model.label,
                "description": service.description, "descriptionEn": service.descriptionEn ?? "", "website": service.website ?? "",
                "law": service.governingLaw, "court": service.jurisdiction, "provider": dto.provider.name, "corporateNumber": dto.provider.corporateNumber ?? "",
                "regions": service.regionCodes.map { kit.paren(RegionCode.label($0, context.language), $0, context) },
            ]),
            "contacts": contacts, "certs": certs, "hasCerts": !certs.isEmpty, "statuses": statuses, "hasStatuses": !statuses.isEmpty,
            "history": kit.history(events, context), "hasHistory": !events.isEmpty,
            "canManage": role != nil, "isReviewer": role == .reviewer, "isPublic": service.isPublic,
            "editHref": "/cloud/manage/services/\(service.number)/edit", "certHref": "/cloud/manage/services/\(service.number)/certifications/new",
            "readyHref": "/cloud/apply/ready?service=\(service.id!)", "fastTrackHref": "/cloud/apply/fast-track?service=\(service.id!)",
            "registrationHref": "/cloud/apply/registration?service=\(service.id!)", "auditScopeHref": "/cloud/audit-scope?service=\(service.number)",
            "apiHref": "/api/v1/cloud/services/\(service.number)",
        ], request: request, context: context)
    }

    /// Owners and reviewers go to the workflow page; the public to the page of the published record.
    func recordHref(_ list: CloudList, number: String, role: WorkflowRole?) async throws -> String {
        switch list {
        case .ready:
            guard let r = try await ReadyListingRecord.query(on: db).filter(\.$number == number).first() else { return "#" }
            return "/cloud/ready-listings/\(r.id!)"
        case .fastTrack:
            guard let r = try await FastTrackRecord.query(on: db).filter(\.$number == number).first() else { return "#" }
            return "/cloud/fast-track-applications/\(r.id!)"
        case .ismap, .liu:
            guard let r = try await RegistrationRecord.query(on: db).filter(\.$number == number).first() else { return "#" }
            return "/cloud/registrations/\(r.id!)"
        }
    }

    // MARK: statistics

    func statistics(_ request: Request, _ context: AppContext) async throws -> Response {
        let figures = try await StatisticsDesk(services: services).figures(today: kit.today)
        let names = CloudList.allCases.map { kit.listName($0.rawValue, context) }
        let overTimeSeries = CloudList.allCases.map { ChartSeries(name: kit.listName($0.rawValue, context), values: (figures.series[$0] ?? []).map(Double.init)) }
        let overTitle = kit.t("cloud.stats.overTime", context)
        let overTime = SVGChart.line(title: overTitle, description: kit.t("cloud.stats.overTimeDesc", context), series: overTimeSeries,
                                     categories: figures.months, id: "cloud-over-time", noDataText: kit.t("cloud.stats.noData", context))
        let overTable = SVGChart.table(title: overTitle, series: overTimeSeries, categories: figures.months, categoryHeader: kit.t("cloud.stats.month", context))
        let modelSeries = ServiceModel.allCases.map { model in ChartSeries(name: model.label, values: CloudList.allCases.map { Double(figures.byModel[$0]?[model] ?? 0) }) }
        let modelTitle = kit.t("cloud.stats.byModel", context)
        let byModel = SVGChart.bar(title: modelTitle, description: kit.t("cloud.stats.byModelDesc", context), series: modelSeries, categories: names,
                                   id: "cloud-by-model", noDataText: kit.t("cloud.stats.noData", context))
        let modelTable = SVGChart.table(title: modelTitle, series: modelSeries, categories: names, categoryHeader: kit.t("cloud.stats.list", context))
        let outcomes: [FastTrackStatus] = [.provisional, .promoted, .expired, .withdrawn, .revoked]
        let outcomeSeries = [ChartSeries(name: kit.t("cloud.stats.applications", context), values: outcomes.map { Double(figures.fastTrack[$0] ?? 0) })]
        let outcomeLabels = outcomes.map { kit.status(.fastTrack, $0.rawValue, context) }
        let outcomeTitle = kit.t("cloud.stats.fastTrack", context)
        let fastTrack = SVGChart.bar(title: outcomeTitle, description: kit.t("cloud.stats.fastTrackDesc", context), series: outcomeSeries, categories: outcomeLabels,
                                     id: "cloud-fast-track", noDataText: kit.t("cloud.stats.noData", context))
        let fastTrackTable = SVGChart.table(title: outcomeTitle, series: outcomeSeries, categories: outcomeLabels, categoryHeader: kit.t("cloud.stats.status", context))
        let median = MarketStatistics.median(figures.readyDays)
        return kit.page("cloud-statistics", title: kit.t("cloud.stats.title", context), crumbs: [(kit.t("cloud.stats.title", context), nil)], values: [
            "overTime": overTime, "overTimeTable": overTable.html(), "byModel": byModel, "byModelTable": modelTable.html(),
            "fastTrack": fastTrack, "fastTrackTable": fastTrackTable.html(),
            "median": median.map { SVGChart.defaultFormat($0) } ?? "—", "samples": figures.readyDays.count, "hasMedian": median != nil,
        ], request: request, context: context)
    }
}
