import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Pages for organisations (their use cases, the form, submission) and moderators (queue,
/// decisions, categories), plus imports.
struct WorkspaceWeb {
    let web: UseCaseWeb
    var services: Services { web.services }
    var service: UseCaseService { web.service }
    var limit: Int { services.config.maxBodyBytes }

    func register(_ routes: Routes) {
        routes.get("/usecases/mine") { request, context in try await mine(request, context) }
        routes.get("/usecases/new") { request, context in
            let identity = try context.requireIdentity()
            guard let organisationID = identity.organisationID else { throw Problem.forbidden }
            var form = ContentForm()
            if let organisation = try await service.organisation(organisationID) {
                form.values["organisationType"] = OrganisationType.suggested(for: organisation.kind).rawValue
            }
            form.values["licence"] = Licence.ccBy.rawValue
            return try await formPage(request, context, form: form, record: nil, problem: nil)
        }
        routes.post("/usecases/new") { request, context in try await save(request, context, id: nil) }
        routes.get("/usecases/manage/{id}") { request, context in try await manage(request, context, problem: nil) }
        routes.get("/usecases/manage/{id}/edit") { request, context in
            let record = try await service.record(try id(context), visibleTo: Principal(try context.requireIdentity()))
            return try await formPage(request, context, form: ContentForm(content: try record.content()), record: record, problem: nil)
        }
        routes.post("/usecases/manage/{id}/edit") { request, context in try await save(request, context, id: try id(context)) }
        for action in [WorkflowAction.submit, .recall, .requestChanges, .publish, .withdraw, .discard] {
            routes.post("/usecases/manage/{id}/\(action.rawValue)") { request, context in try await act(action, request, context) }
        }
        routes.get("/usecases/moderation") { request, context in try await moderation(request, context) }
        routes.get("/usecases/categories") { request, context in try await categories(request, context, problem: nil, values: [:]) }
        routes.post("/usecases/categories") { request, context in try await saveCategory(request, context, slug: nil) }
        routes.post("/usecases/categories/{slug}") { request, context in try await saveCategory(request, context, slug: context.parameters.get("slug")) }
        routes.get("/usecases/import") { request, context in try await importPage(request, context, report: nil, problem: nil, csv: "") }
        routes.post("/usecases/import") { request, context in try await runImport(request, context) }
    }

    func id(_ context: AppContext) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        return id
    }

    func t(_ key: String, _ context: AppContext) -> String { web.t(key, context) }

    // MARK: lists

    func submissionRows(_ items: [SubmissionItemDTO], _ vm: ViewModels) -> [[String: Any]] {
        items.map { item in
            ["href": "/usecases/manage/\(item.id)", "title": item.title, "number": item.number ?? "—",
             "status": vm.statusLabel(SubmissionStatus(rawValue: item.status) ?? .draft), "statusKey": item.status,
             "version": item.publishedVersion, "organisation": item.organisationName, "updated": vm.dateTime(item.updatedAt),
             "submitted": item.submittedAt.map(vm.dateTime) ?? "—"]
        }
    }

    func mine(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.organisationID != nil else { throw Problem.forbidden }
        let page = try ShinraiKit.PageRequest.parse(request, defaultLimit: 50)
        let (items, total) = try await WorkspaceQueries(services: services).submissions(for: Principal(identity), status: nil, page: page, ownOnly: true)
        let vm = try await web.viewModels(context)
        return web.page("usecases-mine", title: t("usecases.mine.title", context), crumbs: [(t("usecases.mine.title", context), nil)], nav: "mine",
                        values: ["items": submissionRows(items, vm), "hasItems": !items.isEmpty, "total": total,
                                 "organisation": identity.organisationName ?? "",
                                 "pager": Pager(page: page, total: total, path: "/usecases/mine").values(context, services.views)],
                        request: request, context: context)
    }

    func moderation(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.reviewer)
        let page = try ShinraiKit.PageRequest.parse(request, defaultLimit: 50)
        let (items, total) = try await WorkspaceQueries(services: services).submissions(for: Principal(identity), status: .submitted, page: page)
        let vm = try await web.viewModels(context)
        return web.page("usecases-moderation", title: t("usecases.moderation.title", context), crumbs: [(t("usecases.moderation.title", context), nil)],
                        nav: "moderation",
                        values: ["items": submissionRows(items, vm), "hasItems": !items.isEmpty, "total": total,
                                 "pager": Pager(page: page, total: total, path: "/usecases/moderation").values(context, services.views)],
                        request: request, context: context)
    }

    // MARK: the form

    func formPage(_ request: Request, _ context: AppContext, form: ContentForm, record: UseCaseRecord?, problem: Problem?) async throws -> Response {
        let vm = try await web.viewModels(context)
        var errors: [String: Any] = [:]
        if let problem {
            let rewritten = Problem(status: problem.status, slug: problem.slug, title: problem.title, detail: problem.detail,
                                    errors: ContentForm.formErrors(problem.errors))
            errors = FormErrors(rewritten, language: context.language).values
        }
        var values = form.templateValues(vm, categories: try await service.categories(includeInactive: true), errors: errors)
        values.merge(errors) { $1 }
        let title: String
        var crumbs: [(String, String?)] = [(t("usecases.mine.title", context), "/usecases/mine")]
        if let record {
            values["action"] = "/usecases/manage/\(record.id!)/edit"
            values["revision"] = record.revision
            values["cancelHref"] = "/usecases/manage/\(record.id!)"
            values["isPublishedRevision"] = record.publishedVersion > 0
            title = "\(t("usecases.form.editTitle", context)): \(record.title)"
            crumbs += [(record.title, "/usecases/manage/\(record.id!)"), (t("usecases.form.editTitle", context), nil)]
        } else {
            values["action"] = "/usecases/new"
            values["cancelHref"] = "/usecases/mine"
            title = t("usecases.form.newTitle", context)
            crumbs.append((title, nil))
        }
        values["formTitle"] = title
        return web.page("usecases-form", title: title, crumbs: crumbs, nav: "mine", values: values,
                        status: problem?.status ?? .ok, request: request, context: context)
    }

    func save(_ request: Request, _ context: AppContext, id: UUID?) async throws -> Response {
        let identity = try context.requireIdentity()
        let principal = Principal(identity)
        let form = try await FormData.read(request, limit: limit)
        let input = ContentForm(form: form)
        var record: UseCaseRecord?
        if let id { record = try await service.record(id, visibleTo: principal) }
        do {
            let (content, errors) = input.content()
            guard let content else { throw Problem.validation(errors) }
            if let id {
                let revision = form.first("revision").flatMap { Int($0) }
                _ = try await service.update(id, with: content, expectedRevision: revision, by: principal)
                return UseCaseWeb.seeOther("/usecases/manage/\(id)?done=saved")
            }
            guard let organisationID = identity.organisationID else { throw Problem.forbidden }
            let created = try await service.create(content, for: organisationID, by: principal)
            return UseCaseWeb.seeOther("/usecases/manage/\(created.id!)?done=created")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            // Show the form again with what was typed; a conflict reloads the newer revision number.
            if problem.status == .conflict, let id { record = try await service.record(id, visibleTo: principal) }
            return try await formPage(request, context, form: input, record: record, problem: problem)
        }
    }

    // MARK: manage one submission

    func manage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let principal = Principal(try context.requireIdentity())
        let record = try await service.record(try id(context), visibleTo: principal)
        let vm = try await web.viewModels(context)
        let allowed = Workflow.allowed(from: record.status, everPublished: record.publishedVersion > 0, listed: record.listed,
                                       by: principal.standing(owner: record.organisationID))
        let organisation = try await service.organisation(record.organisationID)
        var values: [String: Any] = [
            "id": record.id!.uuidString, "title": record.title, "status": vm.statusLabel(record.status), "statusKey": record.statusRaw,
            "revision": record.revision, "number": record.number ?? "", "hasNumber": record.number != nil,
            "publishedVersion": record.publishedVersion, "listed": record.listed, "organisation": organisation?.name ?? "",
            "created": vm.dateTime(record.createdAt), "updated": vm.dateTime(record.updatedAt),
            "preview": vm.content(try record.content(), promptBase: nil),
            "history": try await service.history(of: record.id!).map { h -> [String: Any] in
                ["action": vm.t("usecases.history.\(h.action)"), "comment": h.comment ?? "", "hasComment": h.comment != nil,
                 "actor": h.actorLabel, "at": vm.dateTime(h.at)]
            },
            "base": "/usecases/manage/\(record.id!)",
        ]
        for action in allowed { values["can_\(action.rawValue.replacingOccurrences(of: "-", with: "_"))"] = true }
        values["hasActions"] = !allowed.isEmpty
        values["isRevisionOfPublished"] = record.publishedVersion > 0 && record.status != .published && record.status != .withdrawn
        if let number = record.number, record.publishedVersion > 0 { values["publicHref"] = "/usecases/\(number)" }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return web.page("usecases-manage", title: record.title,
                        crumbs: [(principal.organisationID == record.organisationID ? t("usecases.mine.title", context) : t("usecases.moderation.title", context),
                                  principal.organisationID == record.organisationID ? "/usecases/mine" : "/usecases/moderation"), (record.title, nil)],
                        nav: principal.organisationID == record.organisationID ? "mine" : "moderation", values: values,
                        status: problem?.status ?? .ok, request: request, context: context)
    }

    func act(_ action: WorkflowAction, _ request: Request, _ context: AppContext) async throws -> Response {
        let principal = Principal(try context.requireIdentity())
        let id = try id(context)
        let form = try await FormData.read(request, limit: limit)
        let revision = form.first("revision").flatMap { Int($0) }
        do {
            if action == .discard {
                try await service.discard(id, expectedRevision: revision, by: principal)
                return UseCaseWeb.seeOther("/usecases/mine?done=discarded")
            }
            _ = try await service.perform(action, on: id, comment: form.first("comment"), expectedRevision: revision, by: principal)
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await manage(request, context, problem: Problem(status: problem.status, slug: problem.slug, title: problem.title,
                                                                       detail: problem.detail,
                                                                       errors: problem.errors.map { FieldError(pointer: "/comment_\(action.rawValue.replacingOccurrences(of: "-", with: "_"))", code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }))
        }
        let notice: Notice
        switch action {
        case .submit: notice = .submitted
        case .recall: notice = .recalled
        case .requestChanges: notice = .changesRequested
        case .publish: notice = .published
        case .withdraw: notice = .withdrawn
        case .edit, .discard: notice = .saved
        }
        let next = action == .publish || action == .requestChanges ? "/usecases/moderation" : "/usecases/manage/\(id)"
        return UseCaseWeb.seeOther("\(next)?done=\(notice.rawValue)")
    }

    // MARK: categories

    func categories(_ request: Request, _ context: AppContext, problem: Problem?, values typed: [String: String]) async throws -> Response {
        try context.require(.reviewer)
        let records = try await service.categories(includeInactive: true)
        var values: [String: Any] = typed
        values["categories"] = records.map { c -> [String: Any] in
            ["slug": c.slug, "name": c.nameJa, "nameEn": c.nameEn, "position": c.position, "active": c.active, "action": "/usecases/categories/\(c.slug)"]
        }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return web.page("usecases-categories", title: t("usecases.categories.title", context), crumbs: [(t("usecases.categories.title", context), nil)],
                        nav: "categories", values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    func saveCategory(_ request: Request, _ context: AppContext, slug: String?) async throws -> Response {
        let identity = try context.require(.reviewer)
        let form = try await FormData.read(request, limit: limit)
        let taxonomy = CategoryService(services: services)
        let position = form.text("position").map { Int(SearchText.normalise($0)) ?? -1 }
        do {
            if let slug {
                _ = try await taxonomy.update(slug, with: .init(name: form.first("name"), nameEn: form.first("nameEn"), position: position,
                                                                  active: form.first("active").map { $0 == "yes" }), by: Principal(identity))
            } else {
                _ = try await taxonomy.create(.init(slug: form.first("slug") ?? "", name: form.first("name") ?? "", nameEn: form.first("nameEn") ?? "",
                                                      position: position, active: true), by: Principal(identity))
            }
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            let typed = slug == nil ? ["slug": form.first("slug") ?? "", "name": form.first("name") ?? "", "nameEn": form.first("nameEn") ?? "",
                                       "position": form.first("position") ?? ""] : [:]
            return try await categories(request, context, problem: problem, values: typed)
        }
        return UseCaseWeb.seeOther("/usecases/categories?done=category-saved")
    }

    // MARK: import

    func importPage(_ request: Request, _ context: AppContext, report: ImportService.Report?, problem: Problem?, csv: String) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.organisationID != nil else { throw Problem.forbidden }
        var values: [String: Any] = ["csv": csv, "format": USInventory.formatName, "columns": USInventory.Column.allCases.map(\.rawValue)]
        if let report {
            values["report"] = [
                "rows": report.rows, "valid": report.valid, "created": report.created.count, "dryRun": report.dryRun,
                "hasErrors": !report.errors.isEmpty, "wrote": !report.created.isEmpty,
                "errors": report.errors.map { ["line": $0.line, "column": $0.column, "message": context.language == .ja ? $0.detailJa : $0.detail] },
                "drafts": report.created.map { ["href": "/usecases/manage/\($0.id)", "title": $0.title] },
            ] as [String: Any]
        }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        let status: HTTPResponse.Status = problem?.status ?? (report.map { !$0.errors.isEmpty && $0.created.isEmpty ? .unprocessableContent : .ok } ?? .ok)
        return web.page("usecases-import", title: t("usecases.import.title", context), crumbs: [(t("usecases.import.title", context), nil)],
                        nav: "import", values: values, status: status, request: request, context: context)
    }

    func runImport(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: limit)
        let csv = form.first("csv") ?? ""
        if csv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return try await importPage(request, context, report: nil, problem: .validation([
                FieldError(pointer: "/csv", code: "missing", detail: "Paste the CSV text.", detailJa: "CSVの内容を貼り付けてください。")]), csv: csv)
        }
        let report = try await ImportService(services: services).run(csv: Data(csv.utf8), dryRun: form.first("mode") == "check",
                                                                     skipInvalid: form.first("skipInvalid") == "yes", by: Principal(identity))
        return try await importPage(request, context, report: report, problem: nil, csv: report.created.isEmpty ? csv : "")
    }
}
