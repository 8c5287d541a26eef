import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Pages of the needs board.
struct NeedWeb {
    let web: UseCaseWeb
    var services: Services { web.services }
    var needs: NeedService { NeedService(services: services) }
    var limit: Int { services.config.maxBodyBytes }

    static let fields = ["title", "problem", "industry", "category", "constraints", "budgetMinYen", "budgetMaxYen", "region", "deadline", "contactDepartment"]

    func register(_ routes: Routes) {
        routes.get("/usecases/needs") { request, context in try await list(request, context) }
        routes.get("/usecases/needs/new") { request, context in
            let identity = try context.requireIdentity()
            guard identity.organisationID != nil else { throw Problem.forbidden }
            return try await formPage(request, context, values: ["region": "00"], problem: nil)
        }
        routes.post("/usecases/needs/new") { request, context in try await create(request, context) }
        routes.get("/usecases/needs/{number}") { request, context in try await detail(request, context, problem: nil, typed: [:]) }
        routes.post("/usecases/needs/{number}/responses") { request, context in try await respond(request, context) }
        routes.post("/usecases/needs/{number}/close") { request, context in try await close(request, context) }
    }

    func t(_ key: String, _ context: AppContext) -> String { web.t(key, context) }

    func regionName(_ code: String?, _ context: AppContext) -> String {
        guard let code, let n = Int(code) else { return "—" }
        if n == 0 { return t("usecases.needs.nationwide", context) }
        return JapanesePrefecture.byCode(n)?.name(context.language) ?? code
    }

    func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try ShinraiKit.PageRequest.parse(request, defaultLimit: 20)
        let filter = try NeedFilter.parse(request, strict: false)
        let (items, total) = try await needs.list(status: filter.status, text: filter.text, industry: filter.industry, page: page)
        let names = try await UseCaseAPI(services: services, search: web.search).organisationNames(items.map(\.organisationID))
        let vm = try await web.viewModels(context)
        let terms = SearchText.terms(filter.text)
        let rows = items.map { need -> [String: Any] in
            ["href": "/usecases/needs/\(need.number)", "number": need.number, "title": ViewModels.runs(SearchText.highlight(need.title, terms: terms)),
             "organisation": names[need.organisationID] ?? "", "industry": vm.labels.label(.industry, need.industry, context.language),
             "region": regionName(need.region, context), "deadline": need.deadline ?? "—", "responses": need.responses,
             "status": t("usecases.needStatus.\(need.statusRaw)", context), "posted": vm.date(need.createdAt)]
        }
        var query: [(String, String)] = []
        if !filter.text.isEmpty { query.append(("q", filter.text)) }
        if let industry = filter.industry { query.append(("industry", industry)) }
        query.append(("status", filter.status?.rawValue ?? "all"))
        let statuses = (NeedStatus.allCases.map(\.rawValue) + ["all"]).map { s -> [String: Any] in
            ["value": s, "label": t("usecases.needStatus.\(s)", context), "selected": (filter.status?.rawValue ?? "all") == s]
        }
        let industries = [["value": "", "label": t("usecases.needs.anyIndustry", context), "selected": filter.industry == nil] as [String: Any]]
            + JSIC.codes.map { ["value": $0, "label": "\($0) \(vm.t(Label.industry($0)))", "selected": filter.industry == $0] }
        return web.page("usecases-needs", title: t("usecases.needs.title", context), crumbs: [(t("usecases.needs.title", context), nil)], nav: "needs",
                        values: ["items": rows, "hasItems": !rows.isEmpty, "total": total, "q": filter.text, "statuses": statuses,
                                 "industries": industries, "canPost": context.identity?.organisationID != nil,
                                 "pager": Pager(page: page, total: total, path: "/usecases/needs", query: query).values(context, services.views)],
                        request: request, context: context)
    }

    func formPage(_ request: Request, _ context: AppContext, values typed: [String: String], problem: Problem?) async throws -> Response {
        let vm = try await web.viewModels(context)
        var values: [String: Any] = typed
        func options(_ items: [(String, String)], _ selected: String?) -> [[String: Any]] {
            items.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (selected ?? "")] }
        }
        values["industries"] = options(JSIC.codes.map { ($0, "\($0) \(vm.t(Label.industry($0)))") }, typed["industry"])
        values["categories"] = options(try await web.service.categories().map { ($0.slug, $0.name(context.language)) }, typed["category"])
        values["regions"] = options([("00", t("usecases.needs.nationwide", context))] + JapanesePrefecture.all.map { ($0.twoDigitCode, $0.name(context.language)) }, typed["region"])
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        let title = t("usecases.needs.newTitle", context)
        return web.page("usecases-need-form", title: title, crumbs: [(t("usecases.needs.title", context), "/usecases/needs"), (title, nil)], nav: "needs",
                        values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    func create(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: limit)
        var typed: [String: String] = [:]
        for field in Self.fields { typed[field] = form.first(field) ?? "" }
        var errors = Check()
        func yen(_ name: String) -> Int? {
            let text = SearchText.normalise(typed[name] ?? "").replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "円", with: "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
            guard let value = Int(text) else { errors.add("/\(name)", "type", ja: "金額は整数（円）で入力してください。", en: "Enter whole yen."); return nil }
            return value
        }
        let low = yen("budgetMinYen"), high = yen("budgetMaxYen")
        var deadline: LocalDate?
        if let text = typed["deadline"], !text.isEmpty {
            deadline = LocalDate(text)
            if deadline == nil { errors.add("/deadline", "invalid", ja: "回答期限は YYYY-MM-DD の形の日付で入力してください。", en: "Enter the deadline as YYYY-MM-DD.") }
        }
        do {
            if !errors.errors.isEmpty { throw Problem.validation(errors.errors) }
            let need = try await needs.create(NeedContent(title: typed["title"] ?? "", problem: typed["problem"] ?? "", industry: typed["industry"] ?? "",
                                                          category: typed["category"], constraints: typed["constraints"], budgetMinYen: low, budgetMaxYen: high,
                                                          region: typed["region"], deadline: deadline, contactDepartment: typed["contactDepartment"] ?? ""),
                                              by: Principal(identity))
            return UseCaseWeb.seeOther("/usecases/needs/\(need.number)?done=need-posted")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await formPage(request, context, values: typed, problem: problem)
        }
    }

    func detail(_ request: Request, _ context: AppContext, problem: Problem?, typed: [String: String]) async throws -> Response {
        guard let number = context.parameters.get("number"), let need = try await needs.need(number) else { throw Problem.notFound }
        let content = try need.content()
        let vm = try await web.viewModels(context)
        let principal = context.identity.map(Principal.init)
        let api = UseCaseAPI(services: services, search: web.search)
        let dto = try await api.needDTO(need, principal: principal)
        let matches = try await needs.matches(for: need)
        var values: [String: Any] = typed
        values.merge([
            "number": need.number, "title": content.title, "problem": content.problem, "organisation": dto.organisationName,
            "status": t("usecases.needStatus.\(need.statusRaw)", context), "isOpen": need.status == .open,
            "industry": "\(content.industry) \(vm.t(Label.industry(content.industry)))",
            "category": content.category.map { vm.labels.label(.category, $0, context.language) } ?? "—",
            "constraints": content.constraints ?? "", "hasConstraints": content.constraints != nil,
            "budget": budgetText(content, vm), "region": regionName(content.region, context), "deadline": content.deadline?.iso ?? "—",
            "department": content.contactDepartment, "posted": vm.dateTime(need.createdAt), "responseCount": need.responses,
            "matches": matches.useCases.map { vm.summary($0, terms: []) }, "hasMatches": !matches.useCases.isEmpty,
            "organisations": matches.organisations.map { ["name": $0.name, "cases": $0.cases] }, "hasOrganisations": !matches.organisations.isEmpty,
        ]) { $1 }
        if let solved = need.solvedBy { values["solvedBy"] = solved; values["solvedHref"] = "/usecases/\(solved)" }
        if let closed = need.closedAt { values["closed"] = vm.dateTime(closed) }
        if let note = need.closingNote { values["closingNote"] = note }
        if let responses = dto.responses {
            values["responses"] = responses.map { r -> [String: Any] in
                ["organisation": r.organisationName, "message": r.message, "at": vm.dateTime(r.createdAt),
                 "usecase": r.usecaseNumber ?? "", "usecaseHref": r.usecaseNumber.map { "/usecases/\($0)" } ?? "", "hasUsecase": r.usecaseNumber != nil]
            }
            values["showResponses"] = true
        }
        if let identity = context.identity, need.status == .open {
            values["canRespond"] = identity.organisationID != nil && identity.organisationID != need.organisationID
            values["canClose"] = identity.isReviewer || identity.organisationID == need.organisationID
        }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return web.page("usecases-need", title: "\(content.title)（\(need.number)）",
                        crumbs: [(t("usecases.needs.title", context), "/usecases/needs"), (need.number, nil)], nav: "needs",
                        values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    func budgetText(_ content: NeedContent, _ vm: ViewModels) -> String {
        switch (content.budgetMinYen, content.budgetMaxYen) {
        case let (low?, high?): return "\(vm.yen(low)) 〜 \(vm.yen(high))"
        case let (low?, nil): return "\(vm.yen(low)) 〜"
        case let (nil, high?): return "〜 \(vm.yen(high))"
        case (nil, nil): return "—"
        }
    }

    func respond(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let number = context.parameters.get("number") else { throw Problem.notFound }
        let form = try await FormData.read(request, limit: limit)
        let typed = ["message": form.first("message") ?? "", "usecaseNumber": form.first("usecaseNumber") ?? ""]
        do {
            _ = try await needs.respond(to: number, .init(message: typed["message"]!, usecaseNumber: typed["usecaseNumber"]), by: Principal(identity))
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await detail(request, context, problem: problem, typed: typed)
        }
        return UseCaseWeb.seeOther("/usecases/needs/\(number)?done=responded")
    }

    func close(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let number = context.parameters.get("number") else { throw Problem.notFound }
        let form = try await FormData.read(request, limit: limit)
        let typed = ["solvedByTyped": form.first("solvedBy") ?? "", "note": form.first("note") ?? ""]
        do {
            _ = try await needs.close(number, .init(solvedBy: typed["solvedByTyped"], note: typed["note"]), by: Principal(identity))
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await detail(request, context, problem: problem, typed: typed)
        }
        return UseCaseWeb.seeOther("/usecases/needs/\(number)?done=closed")
    }
}
