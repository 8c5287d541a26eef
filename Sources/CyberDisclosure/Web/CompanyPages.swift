import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Listed companies, indexes and their constituent lists, regime rules.
extension DisclosureWebRoutes {
    func registerCompanyPages(_ routes: Routes) {
        routes.get("/disclosure/companies") { request, context in try await companyList(request, context) }
        routes.get("/disclosure/companies/new") { request, context in
            try context.require(.reviewer)
            return companyForm(request, context, values: ["fiscalYearEndMonth": "3", "marketSegment": MarketSegment.prime.rawValue], problem: nil)
        }
        routes.post("/disclosure/companies") { request, context in
            let identity = try context.require(.reviewer)
            let form = try await FormData.read(request, limit: limit)
            let names = ["corporateNumber", "securitiesCode", "name", "nameEn", "marketSegment", "fiscalYearEndMonth", "secRegistrant", "nis2Entity"]
            let values = names.reduce(into: [String: String]()) { $0[$1] = form.first($1) ?? "" }
            do {
                guard let segment = MarketSegment(rawValue: values["marketSegment"] ?? "") else {
                    throw Problem.validation([FieldError(pointer: "/marketSegment", code: FieldError.Code.missing, detail: "Choose the market segment.", detailJa: "市場区分を選んでください。")])
                }
                let input = CompanyInput(corporateNumber: values["corporateNumber"]!, securitiesCode: values["securitiesCode"]!, name: values["name"]!,
                                         nameEn: values["nameEn"], marketSegment: segment, fiscalYearEndMonth: Int(values["fiscalYearEndMonth"] ?? "") ?? 0,
                                         secRegistrant: values["secRegistrant"] == "on", nis2Entity: values["nis2Entity"] == "on")
                let company = try await companies.create(input, actor: Actor(identity))
                return Self.redirect("/disclosure/companies/\(company.securitiesCode)?done=companyCreated")
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return companyForm(request, context, values: values, problem: problem)
            }
        }
        routes.get("/disclosure/companies/{code}") { request, context in try await companyPage(request, context) }
        routes.get("/disclosure/indexes") { request, context in try await indexPage(request, context, problem: nil, values: [:]) }
        routes.post("/disclosure/indexes") { request, context in
            let identity = try context.require(.reviewer)
            let form = try await FormData.read(request, limit: limit)
            let values = ["indexCode": form.first("code") ?? "", "indexName": form.first("name") ?? "", "indexNameEn": form.first("nameEn") ?? ""]
            do {
                _ = try await companies.createIndex(.init(code: values["indexCode"]!, name: values["indexName"]!, nameEn: values["indexNameEn"]), actor: Actor(identity))
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return try await indexPage(request, context, problem: problem, values: values)
            }
            return Self.redirect("/disclosure/indexes?done=indexCreated")
        }
        routes.post("/disclosure/indexes/{code}/constituents") { request, context in
            let identity = try context.require(.reviewer)
            guard let raw = context.parameters.get("code"), let index = try await companies.index(code: raw) else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: max(limit, 2_500_000))
            let values = ["importIndex": index.code, "effectiveDate": form.first("effectiveDate") ?? "", "csv": form.first("csv") ?? ""]
            do {
                let outcome = try await companies.importConstituents(index: index, effectiveDate: values["effectiveDate"]!, csv: values["csv"]!, actor: Actor(identity))
                return Self.redirect("/disclosure/indexes?done=imported&members=\(outcome.members)&created=\(outcome.created)")
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return try await indexPage(request, context, problem: problem, values: values)
            }
        }
        routes.get("/disclosure/regimes") { request, context in try await regimesPage(request, context, problem: nil) }
        routes.post("/disclosure/regimes/{code}") { request, context in
            let identity = try context.require(.admin)
            guard let code = context.parameters.get("code"),
                  let record = try await RegimeRuleRecord.query(on: services.db).filter(\.$code == code).first() else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: limit)
            do {
                guard let kind = ClockKind(rawValue: form.first("kind") ?? ""), let calendar = ClockCalendar(rawValue: form.first("calendar") ?? ""),
                      let amount = IncidentForm.integer(form.first("amount") ?? "") else {
                    throw Problem.validation([FieldError(pointer: "/clock/amount", code: FieldError.Code.invalid, detail: "Enter the period as a whole number.",
                                                         detailJa: "期間を整数で入力してください。")])
                }
                _ = try await RegimeAdministration(services: services).update(
                    record, clock: ClockSpec(kind: kind, amount: amount, calendar: calendar, extendToBusinessDay: form.first("extend") == "on"),
                    active: form.first("active") == "on", identity: identity)
            } catch let problem as Problem where problem.status == .unprocessableContent {
                return try await regimesPage(request, context, problem: problem)
            }
            return Self.redirect("/disclosure/regimes?done=ruleSaved")
        }
    }

    func companyList(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try ShinraiKit.PageRequest.parse(request)
        let q = request.uri.queryParameters["q"].map(String.init) ?? ""
        let segment = request.uri.queryParameters["segment"].flatMap { MarketSegment(rawValue: String($0)) }
        let (items, total) = try await companies.list(.init(query: q, segment: segment), page: page)
        var query: [(String, String)] = []
        if !q.isEmpty { query.append(("q", q)) }
        if let segment { query.append(("segment", segment.rawValue)) }
        return render("companies", title: t("companies.title", context), crumbs: [(t("companies.title", context), nil)], values: [
            "rows": items.map { companyRow($0, context) }, "hasRows": !items.isEmpty, "total": total, "q": q,
            "segments": MarketSegment.allCases.map { ["value": $0.rawValue, "label": $0.label(context.language), "selected": $0 == segment] as [String: Any] },
            "pager": Pager(page: page, total: total, path: "/disclosure/companies", query: query).values(context, views),
        ] .merging(notice(request, context, allowed: [])) { $1 }, request, context)
    }

    func companyPage(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let raw = context.parameters.get("code"), let company = try await DisclosureStore.company(code: raw, on: services.db) else { throw Problem.notFound }
        let (list, _) = try await incidents.publicList(.init(company: company.securitiesCode), page: .init(limit: 200, page: 1))
        let (annualList, _) = try await annuals.publicList(.init(company: company.securitiesCode), page: .init(limit: 50, page: 1))
        let organisation = try await DisclosureStore.organisation(forCompany: company, on: services.db)
        var values: [String: Any] = notice(request, context, allowed: ["companyCreated"])
        values["company"] = companyRow(company, context)
        values["incidents"] = list.map { incidentRow($0, company: company, context) }
        values["hasIncidents"] = !list.isEmpty
        values["annual"] = annualList.map { annual -> [String: Any] in
            ["fiscalYear": FiscalYear.label(annual.fiscalYear, endMonth: company.fiscalYearEndMonth, context.language), "href": "/disclosure/annual/\(annual.id!)",
             "published": when(annual.latestPublishedAt, context), "version": annual.latestVersion]
        }
        values["hasAnnual"] = !annualList.isEmpty
        values["linked"] = organisation != nil
        values["organisation"] = organisation?.name ?? ""
        return render("company", title: "\(company.securitiesCode) \(company.displayName(context.language))",
                      crumbs: [(t("companies.title", context), "/disclosure/companies"), (company.securitiesCode, nil)], values: values, request, context)
    }

    func companyForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) -> Response {
        var data: [String: Any] = values
        data["segments"] = MarketSegment.allCases.map { ["value": $0.rawValue, "label": $0.label(context.language), "selected": values["marketSegment"] == $0.rawValue] as [String: Any] }
        data["months"] = (1...12).map { ["value": $0, "label": context.language == .ja ? "\($0)月" : FiscalYear.monthNames[$0 - 1],
                                         "selected": values["fiscalYearEndMonth"] == String($0)] as [String: Any] }
        data["secChecked"] = values["secRegistrant"] == "on"
        data["nis2Checked"] = values["nis2Entity"] == "on"
        if let problem { data.merge(formErrors(problem, context)) { $1 } }
        return render("company-form", title: t("companies.new", context),
                      crumbs: [(t("companies.title", context), "/disclosure/companies"), (t("companies.new", context), nil)],
                      values: data, status: problem?.status ?? .ok, request, context)
    }

    func indexPage(_ request: Request, _ context: AppContext, problem: Problem?, values: [String: String]) async throws -> Response {
        let documents = try await DisclosureAPIRoutes(services: services).indexDocuments()
        let indexes = try await MarketIndex.query(on: services.db).sort(\.$code).all()
        var data: [String: Any] = values
        data["indexes"] = documents.map { index -> [String: Any] in
            ["code": index.code, "name": context.language == .en ? (index.nameEn ?? index.name) : index.name,
             "snapshots": index.snapshots.reversed().map { ["effectiveDate": $0.effectiveDate, "members": $0.members,
                                                            "href": "/api/v1/disclosure/indexes/\(index.code)/constituents?asOf=\($0.effectiveDate)"] as [String: Any] },
             "importAction": "/disclosure/indexes/\(index.code)/constituents", "selected": values["importIndex"] == index.code]
        }
        data["hasIndexes"] = !indexes.isEmpty
        data.merge(notice(request, context, allowed: ["indexCreated", "imported"])) { $1 }
        if request.uri.queryParameters["done"] == "imported" {
            let members = Int(String(request.uri.queryParameters["members"] ?? "")) ?? 0
            let created = Int(String(request.uri.queryParameters["created"] ?? "")) ?? 0
            data["importSummary"] = t("indexes.importSummary", context).replacingOccurrences(of: "{members}", with: String(members))
                .replacingOccurrences(of: "{created}", with: String(created))
        }
        if let problem { data.merge(formErrors(problem, context, strip: "")) { $1 } }
        if let problem { data["rowErrors"] = problem.errors.filter { $0.pointer.hasPrefix("/rows/") || $0.pointer == "/csv" }.map { $0.detail(context.language) } }
        data["sample"] = "証券コード,法人番号,会社名,英文社名,市場区分,決算月\n130A,\(CorporateNumber.checkDigit(for: "010401990031"))010401990031,株式会社サンプル（デモ）,Sample (demo),グロース,12"
        return render("indexes", title: t("indexes.title", context), crumbs: [(t("indexes.title", context), nil)], values: data,
                      status: problem?.status ?? .ok, request, context)
    }

    func regimesPage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let rules = try await DisclosureStore.rules(on: services.db)
        let language = context.language
        var data: [String: Any] = notice(request, context, allowed: ["ruleSaved"])
        data["rules"] = rules.map { rule -> [String: Any] in
            ["code": rule.code, "regime": rule.regime.label(language), "name": rule.name(language), "basis": rule.basis(language), "note": rule.note(language) ?? "",
             "clock": rule.clock.label(language), "trigger": t("trigger.\(rule.trigger.rawValue)", context),
             "applies": language == .ja ? rule.applicability.labelJa : rule.applicability.labelEn,
             "required": rule.requiredContent.map { $0.label(language) }, "paused": rule.pausedByDelay, "active": rule.active,
             "action": "/disclosure/regimes/\(rule.code)", "amount": rule.clock.amount, "extend": rule.clock.extendToBusinessDay,
             "kinds": ClockKind.allCases.map { ["value": $0.rawValue, "label": t("clockKind.\($0.rawValue)", context), "selected": $0 == rule.clock.kind] as [String: Any] },
             "calendars": ClockCalendar.allCases.map { ["value": $0.rawValue, "label": language == .ja ? $0.labelJa : $0.labelEn, "selected": $0 == rule.clock.calendar] as [String: Any] }]
        }
        if let problem { data.merge(formErrors(problem, context, strip: "")) { $1 } }
        return render("regimes", title: t("regimes.title", context), crumbs: [(t("regimes.title", context), nil)], values: data,
                      status: problem?.status ?? .ok, request, context)
    }
}
