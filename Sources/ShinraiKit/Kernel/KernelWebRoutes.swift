import FluentKit
import Foundation
import HTTPTypes
import Hummingbird

/// Home, sign-in, account, administration and operations pages of the kernel.
struct KernelWebRoutes {
    let services: Services
    let modules: [any ShinraiModule]
    var views: Views { services.views }
    var accounts: AccountService { AccountService(services) }

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text(key, context.language) }

    func register(_ routes: Routes) {
        routes.get("/") { request, context in home(request, context) }
        for pillar in Proposal.Pillar.allCases {
            routes.get("/\(pillar.rawValue)") { request, context in pillarPage(pillar, request, context) }
        }
        routes.get("/login") { request, context in
            loginForm(request, context, email: "", next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)), problem: nil)
        }
        routes.post("/login") { request, context in try await login(request, context) }
        routes.post("/logout") { request, context in try await logout(request, context) }
        routes.get("/account") { request, context in try await account(request, context) }
        routes.post("/account/password") { request, context in try await changePassword(request, context) }
        routes.post("/account/tokens") { request, context in try await createToken(request, context) }
        routes.post("/account/tokens/{id}/revoke") { request, context in try await revokeToken(request, context) }
        routes.get("/admin/organisations") { request, context in try await organisations(request, context) }
        routes.get("/admin/organisations/new") { request, context in
            try context.require(.admin)
            return organisationForm(request, context, values: [:], problem: nil)
        }
        routes.post("/admin/organisations") { request, context in try await createOrganisation(request, context) }
        routes.get("/admin/accounts") { request, context in try await accountList(request, context) }
        routes.get("/admin/accounts/new") { request, context in
            try context.require(.admin)
            return try await accountForm(request, context, values: [:], problem: nil)
        }
        routes.post("/admin/accounts") { request, context in try await createAccount(request, context) }
        routes.get("/audit") { request, context in try await audit(request, context) }
        routes.get("/problems/{slug}") { request, context in problemPage(request, context) }
    }

    // MARK: home

    func proposalRows(_ context: AppContext, pillar: Proposal.Pillar?) -> [[String: Any]] {
        let operational = modules.reduce(into: Set<String>()) { $0.formUnion($1.operationalSections) }
        let entryPoints = modules.reduce(into: [String: String]()) { $0.merge($1.entryPoints) { first, _ in first } }
        return ProposalMap.all.filter { pillar == nil || $0.pillar == pillar }.map { p in
            let live = operational.contains(p.section)
            return [
                "section": p.section, "title": context.language == .ja ? p.titleJa : p.titleEn,
                "href": entryPoints[p.section] as Any, "hasHref": entryPoints[p.section] != nil,
                "module": p.module, "live": live,
                "status": t(live ? "home.statusLive" : "home.statusPreparing", context),
            ]
        }
    }

    func home(_ request: Request, _ context: AppContext) -> Response {
        let pillars = Proposal.Pillar.allCases.map { pillar -> [String: Any] in
            ["key": pillar.rawValue, "name": t("nav.\(pillar.rawValue)", context), "proposals": proposalRows(context, pillar: pillar)]
        }
        return views.page(Page("home", title: t("home.title", context), values: [
            "pillars": pillars, "today": JapaneseDate.long(services.now, language: context.language),
        ]), request: request, context: context)
    }

    func pillarPage(_ pillar: Proposal.Pillar, _ request: Request, _ context: AppContext) -> Response {
        let name = t("nav.\(pillar.rawValue)", context)
        return views.page(Page("pillar", title: name, section: pillar.rawValue, breadcrumbs: [(name, nil)], values: [
            "pillarName": name, "intro": t("pillar.\(pillar.rawValue)Intro", context),
            "proposals": proposalRows(context, pillar: pillar),
        ]), request: request, context: context)
    }

    // MARK: sign-in

    static func safeNext(_ next: String?) -> String {
        // Only local paths: never an open redirect.
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    func loginForm(_ request: Request, _ context: AppContext, email: String, next: String, problem: Problem?) -> Response {
        var values: [String: Any] = ["email": email, "next": next]
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return views.page(Page("login", title: t("login.title", context), breadcrumbs: [(t("login.title", context), nil)],
                               values: values, status: problem?.status ?? .ok), request: request, context: context)
    }

    func login(_ request: Request, _ context: AppContext) async throws -> Response {
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let email = form.text("email") ?? ""
        let password = form.first("password") ?? ""
        let next = Self.safeNext(form.text("next"))
        if email.isEmpty || password.isEmpty {
            return loginForm(request, context, email: email, next: next, problem: .validation([
                FieldError(pointer: "/email", code: "missing", detail: "Enter your e-mail address and password.", detailJa: "メールアドレスとパスワードを入力してください。"),
            ]))
        }
        switch try await accounts.signIn(email: email, password: password) {
        case .success(let token, _, _):
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(Cookie(name: CookieName.session, value: token, maxAge: Int(AccountService.sessionLifetime), path: "/",
                                      secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        case .invalid:
            return loginForm(request, context, email: email, next: next, problem: Problem(status: .unauthorized, slug: "sign-in-failed",
                title: .init(ja: "サインインできませんでした", en: "Sign-in failed"),
                detail: .init(ja: "メールアドレスかパスワードが違います。", en: "The e-mail address or password is not correct.")))
        case .locked(let until):
            var problem = Problem.tooManyRequests(retryAfter: max(1, Int(until.timeIntervalSince(services.now))))
            problem.detail = .init(ja: "サインインの失敗が続いたため、\(JapaneseDate.time(until, language: .ja))まで一時的にロックしています。",
                                   en: "Too many failed attempts: sign-in is locked until \(JapaneseDate.time(until, language: .en)).")
            var response = loginForm(request, context, email: email, next: next, problem: problem)
            response.headers[.retryAfter] = "\(problem.retryAfter ?? 60)"
            return response
        }
    }

    func logout(_ request: Request, _ context: AppContext) async throws -> Response {
        if let sessionID = context.identity?.sessionID { try await accounts.signOut(sessionID: sessionID) }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: CookieName.session, value: "", maxAge: 0, path: "/", secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: account

    func account(_ request: Request, _ context: AppContext, problem: Problem? = nil, newToken: String? = nil) async throws -> Response {
        let identity = try context.requireIdentity()
        let tokens = try await accounts.tokens(of: identity.accountID).map { token -> [String: Any] in
            [
                "id": token.id!.uuidString, "name": token.name, "prefix": token.prefix,
                "created": JapaneseDate.long(token.createdAt, language: context.language),
                "lastUsed": token.lastUsedAt.map { JapaneseDate.dateTime($0, language: context.language) } ?? "—",
                "revoked": token.revokedAt != nil,
            ]
        }
        var values: [String: Any] = ["tokens": tokens, "hasTokens": !tokens.isEmpty]
        if let newToken { values["newToken"] = newToken }
        if let notice = request.uri.queryParameters["done"], ["password", "revoked"].contains(String(notice)) {
            values["notice"] = t("account.done.\(notice)", context)
        }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return views.page(Page("account", title: t("account.title", context), breadcrumbs: [(t("account.title", context), nil)],
                               values: values, status: problem?.status ?? .ok), request: request, context: context)
    }

    func changePassword(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        do {
            try await accounts.changePassword(identity: identity, current: form.first("currentPassword") ?? "", new: form.first("newPassword") ?? "")
        } catch let problem as Problem {
            return try await account(request, context, problem: problem)
        }
        return Response(status: .seeOther, headers: [.location: "/account?done=password"])
    }

    func createToken(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        do {
            let issued = try await accounts.createToken(for: identity.accountID, name: form.first("name") ?? "", actor: Actor(identity))
            // Shown once, on this response only; never stored in clear.
            return try await account(request, context, newToken: issued.token)
        } catch let problem as Problem {
            return try await account(request, context, problem: problem)
        }
    }

    func revokeToken(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        try await accounts.revokeToken(id, by: identity)
        return Response(status: .seeOther, headers: [.location: "/account?done=revoked"])
    }

    // MARK: administration

    func organisations(_ request: Request, _ context: AppContext) async throws -> Response {
        try context.require(.admin, .reviewer)
        let page = try PageRequest.parse(request)
        let query = Organisation.query(on: services.db)
        let total = try await query.count()
        let items = try await query.sort(\.$name).range(page.offset..<(page.offset + page.limit)).all()
        let rows = items.map { org -> [String: Any] in
            ["name": org.name, "nameEn": org.nameEn ?? "", "kind": t("orgKind.\(org.kind.rawValue)", context),
             "identifier": org.corporateNumber ?? org.localGovernmentCode ?? "—"]
        }
        return views.page(Page("admin-organisations", title: t("admin.organisations", context), section: "admin",
                               breadcrumbs: [(t("admin.organisations", context), nil)],
                               values: ["organisations": rows, "total": total, "canCreate": context.identity?.isAdmin ?? false,
                                        "created": request.uri.queryParameters["done"] == "created",
                                        "pager": Pager(page: page, total: total, path: "/admin/organisations").values(context, views)]),
                          request: request, context: context)
    }

    func organisationForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) -> Response {
        var data: [String: Any] = values
        data["kinds"] = OrganisationKind.allCases.map { kind -> [String: Any] in
            ["value": kind.rawValue, "label": t("orgKind.\(kind.rawValue)", context), "selected": values["kind"] == kind.rawValue]
        }
        if let problem { data.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return views.page(Page("admin-organisation-form", title: t("admin.newOrganisation", context), section: "admin",
                               breadcrumbs: [(t("admin.organisations", context), "/admin/organisations"), (t("admin.newOrganisation", context), nil)],
                               values: data, status: problem?.status ?? .ok), request: request, context: context)
    }

    func createOrganisation(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let values = ["name", "nameEn", "kind", "corporateNumber", "localGovernmentCode"].reduce(into: [String: String]()) { $0[$1] = form.first($1) ?? "" }
        guard let kind = OrganisationKind(rawValue: values["kind"] ?? "") else {
            return organisationForm(request, context, values: values, problem: .validation([
                FieldError(pointer: "/kind", code: "missing", detail: "Choose the kind of organisation.", detailJa: "組織の種類を選んでください。")]))
        }
        do {
            _ = try await accounts.createOrganisation(.init(name: values["name"]!, nameEn: values["nameEn"], kind: kind,
                                                            corporateNumber: values["corporateNumber"], localGovernmentCode: values["localGovernmentCode"]),
                                                      actor: Actor(identity))
        } catch let problem as Problem {
            return organisationForm(request, context, values: values, problem: problem)
        }
        return Response(status: .seeOther, headers: [.location: "/admin/organisations?done=created"])
    }

    func accountList(_ request: Request, _ context: AppContext) async throws -> Response {
        try context.require(.admin)
        let page = try PageRequest.parse(request)
        let query = Account.query(on: services.db).with(\.$organisation)
        let total = try await query.count()
        let items = try await query.sort(\.$email).range(page.offset..<(page.offset + page.limit)).all()
        let rows = items.map { account -> [String: Any] in
            ["email": account.email, "name": account.displayName, "role": t("roles.\(account.role.rawValue)", context),
             "organisation": account.organisation?.name ?? "—"]
        }
        return views.page(Page("admin-accounts", title: t("admin.accounts", context), section: "admin",
                               breadcrumbs: [(t("admin.accounts", context), nil)],
                               values: ["accounts": rows, "total": total, "created": request.uri.queryParameters["done"] == "created",
                                        "pager": Pager(page: page, total: total, path: "/admin/accounts").values(context, views)]),
                          request: request, context: context)
    }

    func accountForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) async throws -> Response {
        var data: [String: Any] = values
        data["roles"] = Role.allCases.map { role -> [String: Any] in
            ["value": role.rawValue, "label": t("roles.\(role.rawValue)", context), "selected": values["role"] == role.rawValue]
        }
        data["organisations"] = try await Organisation.query(on: services.db).sort(\.$name).all().map { org -> [String: Any] in
            ["value": org.id!.uuidString, "label": org.name, "selected": values["organisationId"] == org.id!.uuidString]
        }
        if let problem { data.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return views.page(Page("admin-account-form", title: t("admin.newAccount", context), section: "admin",
                               breadcrumbs: [(t("admin.accounts", context), "/admin/accounts"), (t("admin.newAccount", context), nil)],
                               values: data, status: problem?.status ?? .ok), request: request, context: context)
    }

    func createAccount(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let values = ["email", "displayName", "role", "organisationId"].reduce(into: [String: String]()) { $0[$1] = form.first($1) ?? "" }
        var errors: [FieldError] = []
        let role = Role(rawValue: values["role"] ?? "")
        if role == nil { errors.append(FieldError(pointer: "/role", code: "missing", detail: "Choose a role.", detailJa: "役割を選んでください。")) }
        let orgText = values["organisationId"] ?? ""
        let orgID = UUID(uuidString: orgText)
        if !orgText.isEmpty && orgID == nil { errors.append(FieldError(pointer: "/organisationId", code: "invalid", detail: "Choose an organisation.", detailJa: "組織を選んでください。")) }
        do {
            guard let role, errors.isEmpty else { throw Problem.validation(errors) }
            _ = try await accounts.createAccount(.init(email: values["email"]!, displayName: values["displayName"]!,
                                                       password: form.first("password") ?? "", role: role, organisationId: orgID),
                                                 actor: Actor(identity))
        } catch let problem as Problem {
            return try await accountForm(request, context, values: values, problem: problem)
        }
        return Response(status: .seeOther, headers: [.location: "/admin/accounts?done=created"])
    }

    // MARK: audit trail

    func audit(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try PageRequest.parse(request)
        let filter = try AuditTrail.filter(for: request, identity: identity)
        let (items, total) = try await AuditTrail.search(on: services.db, filter: filter, page: page)
        let rows = items.map { event -> [String: Any] in
            ["time": JapaneseDate.dateTime(event.occurredAt, language: context.language), "actor": event.actorLabel,
             "action": event.action, "target": "\(event.targetType) \(event.targetID.prefix(8))", "summary": event.summary]
        }
        let filterItems = [("action", filter.action ?? ""), ("targetType", filter.targetType ?? ""), ("actor", filter.actor ?? "")].filter { !$0.1.isEmpty }
        return views.page(Page("audit", title: t("audit.title", context), section: "admin", breadcrumbs: [(t("audit.title", context), nil)],
                               values: ["events": rows, "total": total, "action": filter.action ?? "", "targetType": filter.targetType ?? "",
                                        "actor": filter.actor ?? "", "scopeAll": identity.isAdmin,
                                        "pager": Pager(page: page, total: total, path: "/audit", query: filterItems).values(context, views)]),
                          request: request, context: context)
    }

    func problemPage(_ request: Request, _ context: AppContext) -> Response {
        let slug = context.parameters.get("slug") ?? ""
        let known: [Problem] = [.unauthenticated, .forbidden, .notFound, .noRoute, .csrf, .tooLarge, .unsupportedMediaType, .internalError,
                                .validation([]), .badRequest(.init(ja: "", en: "")), .conflict(.init(ja: "", en: "")), .tooManyRequests(retryAfter: 60),
                                .rateLimited(limit: 0, retryAfter: 60)]
        let problem = known.first { $0.slug == slug }
        return views.page(Page("problem-type", title: problem?.title.text(context.language) ?? slug, values: [
            "slug": slug, "known": problem != nil, "status": problem.map { Int($0.status.code) } ?? 0,
            "titleJa": problem?.title.ja ?? "", "titleEn": problem?.title.en ?? "",
        ], status: problem == nil ? .notFound : .ok), request: request, context: context)
    }
}

/// Previous/next links for paged HTML lists.
public struct Pager {
    public let page: PageRequest
    public let total: Int
    public let path: String
    public var query: [(String, String)] = []

    public init(page: PageRequest, total: Int, path: String, query: [(String, String)] = []) {
        self.page = page; self.total = total; self.path = path; self.query = query
    }

    func href(_ number: Int) -> String {
        path + "?" + URLQuery.build(query + [("page", "\(number)")])
    }

    public func values(_ context: AppContext, _ views: Views) -> [String: Any] {
        let pages = max(1, (total + page.limit - 1) / page.limit)
        var out: [String: Any] = ["pageNumber": page.page, "pageCount": pages, "show": pages > 1]
        if page.page > 1 { out["prevHref"] = href(page.page - 1) }
        if page.page < pages { out["nextHref"] = href(page.page + 1) }
        return out
    }
}
