import FluentKit
import Foundation
import HTTPTypes
import Hummingbird

/// The inbox, webhook management and the scheduled-jobs page.
struct NotificationRoutes {
    let services: Services
    var views: Views { services.views }
    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text(key, context.language) }

    struct NotificationDTO: Codable, Sendable {
        var id: UUID
        var kind: String
        var subject: String
        var body: String
        var link: String?
        var createdAt: Date
        var readAt: Date?
        init(_ r: NotificationRecord) {
            id = r.id!; kind = r.kind; subject = r.subject; body = r.body; link = r.link; createdAt = r.createdAt; readAt = r.readAt
        }
    }

    struct WebhookDTO: Codable, Sendable {
        var id: UUID
        var url: String
        var active: Bool
        var createdAt: Date
        var secret: String?
        init(_ w: Webhook, secret: String? = nil) { id = w.id!; url = w.url; active = w.active; createdAt = w.createdAt; self.secret = secret }
    }

    struct DeliveryDTO: Codable, Sendable {
        var id: UUID
        var status: String
        var attempts: Int
        var nextAttemptAt: Date
        var lastResponse: String?
        var createdAt: Date
        var deliveredAt: Date?
        init(_ d: WebhookDelivery) {
            id = d.id!; status = d.status; attempts = d.attempts; nextAttemptAt = d.nextAttemptAt; lastResponse = d.lastResponse
            createdAt = d.createdAt; deliveredAt = d.deliveredAt
        }
    }

    struct WebhookInput: Codable, Sendable { var url: String }

    /// Creates a webhook for the caller's organisation after checking the URL.
    func createWebhook(_ identity: Identity, url raw: String) async throws -> (Webhook, String) {
        guard let org = identity.organisationID else { throw Problem.forbidden }
        let url = raw.trimmingCharacters(in: .whitespaces)
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["https", "http"].contains(scheme),
              parsed.host?.isEmpty == false, url.count <= 500 else {
            throw Problem.validation([FieldError(pointer: "/url", code: "invalid", detail: "Enter an http(s) URL of at most 500 characters.",
                                                 detailJa: "500文字以内の http(s) のURLを入力してください。")])
        }
        let secret = "whsec_" + AccountService.randomToken()
        let now = services.now
        let hook = try await services.db.transaction { db -> Webhook in
            let hook = Webhook()
            hook.organisationID = org; hook.url = url; hook.secret = secret; hook.active = true; hook.createdAt = now
            try await hook.create(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: org, action: "webhook.create",
                                        targetType: "webhook", targetID: hook.id!.uuidString, summary: ["url": url], at: now)
            return hook
        }
        return (hook, secret)
    }

    func register(_ routes: Routes) {
        routes.schema("Notification", .object([
            "id": .uuid, "kind": .string(), "subject": .string(), "body": .string(), "link": .nullable(.string()),
            "createdAt": .dateTime, "readAt": .nullable(.dateTime),
        ], required: ["id", "kind", "subject", "body", "createdAt"]))
        routes.schema("Webhook", .object([
            "id": .uuid, "url": .string(), "active": .boolean(), "createdAt": .dateTime,
            "secret": .nullable(.string(description: "HMAC-SHA256 key; returned once, on creation")),
        ], required: ["id", "url", "active", "createdAt"]))
        routes.schema("WebhookInput", .object(["url": .string(format: "uri", maxLength: 500)], required: ["url"], additional: false))
        routes.schema("WebhookDelivery", .object([
            "id": .uuid, "status": .string(enumValues: ["pending", "delivered", "failed"]), "attempts": .integer(minimum: 0),
            "nextAttemptAt": .dateTime, "lastResponse": .nullable(.string()), "createdAt": .dateTime, "deliveredAt": .nullable(.dateTime),
        ], required: ["id", "status", "attempts", "nextAttemptAt", "createdAt"]))
        let idParam = APIOperation.Parameter("id", in: .path, schema: .uuid, description: "Identifier")

        routes.api(.init(method: "GET", path: "/api/v1/notifications", operationID: "listNotifications", summary: "The caller's inbox, newest first",
                         tag: "notifications", parameters: PageRequest.parameters,
                         responses: [200: .init("Page of notifications", schema: PageOf<NotificationDTO>.schema(.ref("Notification")))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try PageRequest.parse(request)
            let query = NotificationRecord.query(on: services.db).filter(\.$accountID == identity.accountID)
            let total = try await query.count()
            let items = try await query.sort(\.$createdAt, .descending).range(page.offset..<(page.offset + page.limit)).all()
            return try API.json(PageOf(items: items.map(NotificationDTO.init), total: total, request: page))
        }
        routes.api(.init(method: "POST", path: "/api/v1/notifications/{id}/read", operationID: "markNotificationRead", summary: "Mark a notification read",
                         tag: "notifications", parameters: [idParam], responses: [204: .init("Marked", schema: nil)], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            try await markRead(context.parameters.get("id", as: UUID.self), identity)
            return Response(status: .noContent)
        }
        routes.api(.init(method: "GET", path: "/api/v1/webhooks", operationID: "listWebhooks", summary: "Webhooks of the caller's organisation",
                         tag: "notifications", responses: [200: .init("Webhooks", schema: .array(.ref("Webhook")))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let org = identity.organisationID else { throw Problem.forbidden }
            return try API.json(try await Webhook.query(on: services.db).filter(\.$organisationID == org).sort(\.$createdAt).all().map { WebhookDTO($0) })
        }
        routes.api(.init(method: "POST", path: "/api/v1/webhooks", operationID: "createWebhook",
                         summary: "Add a webhook for the caller's organisation (JSON POSTs signed with HMAC-SHA256)", tag: "notifications",
                         requestBody: .ref("WebhookInput"), responses: [201: .init("Created", schema: .ref("Webhook"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(WebhookInput.self, from: request, limit: services.config.maxBodyBytes)
            let (hook, secret) = try await createWebhook(identity, url: input.url)
            return try API.json(WebhookDTO(hook, secret: secret), status: .created)
        }
        routes.api(.init(method: "GET", path: "/api/v1/webhooks/{id}/deliveries", operationID: "listWebhookDeliveries",
                         summary: "Delivery attempts of a webhook", tag: "notifications", parameters: [idParam] + PageRequest.parameters,
                         responses: [200: .init("Page of deliveries", schema: PageOf<DeliveryDTO>.schema(.ref("WebhookDelivery")))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self), let hook = try await Webhook.find(id, on: services.db),
                  identity.organisationID == hook.organisationID || identity.isAdmin else { throw Problem.notFound }
            let page = try PageRequest.parse(request)
            let query = WebhookDelivery.query(on: services.db).filter(\.$webhookID == id)
            let total = try await query.count()
            let items = try await query.sort(\.$createdAt, .descending).range(page.offset..<(page.offset + page.limit)).all()
            return try API.json(PageOf(items: items.map(DeliveryDTO.init), total: total, request: page))
        }

        routes.get("/inbox") { request, context in try await inbox(request, context) }
        routes.post("/inbox/{id}/read") { _, context in
            let identity = try context.requireIdentity()
            try await markRead(context.parameters.get("id", as: UUID.self), identity)
            return Response(status: .seeOther, headers: [.location: "/inbox"])
        }
        routes.get("/account/webhooks") { request, context in try await webhooks(request, context, problem: nil, secret: nil) }
        routes.post("/account/webhooks") { request, context in
            let identity = try context.requireIdentity()
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                let (_, secret) = try await createWebhook(identity, url: form.first("url") ?? "")
                return try await webhooks(request, context, problem: nil, secret: secret)
            } catch let problem as Problem {
                return try await webhooks(request, context, problem: problem, secret: nil)
            }
        }
        routes.get("/admin/jobs") { request, context in try await jobs(request, context) }
    }

    func markRead(_ id: UUID?, _ identity: Identity) async throws {
        guard let id, let record = try await NotificationRecord.find(id, on: services.db), record.accountID == identity.accountID else {
            throw Problem.notFound
        }
        if record.readAt == nil {
            record.readAt = services.now
            try await record.save(on: services.db)
        }
    }

    func inbox(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try PageRequest.parse(request)
        let query = NotificationRecord.query(on: services.db).filter(\.$accountID == identity.accountID)
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending).range(page.offset..<(page.offset + page.limit)).all()
        let rows = items.map { n -> [String: Any] in
            ["id": n.id!.uuidString, "subject": n.subject, "body": n.body, "link": n.link as Any, "unread": n.readAt == nil,
             "time": JapaneseDate.dateTime(n.createdAt, language: context.language)]
        }
        return views.page(Page("inbox", title: t("inbox.title", context), breadcrumbs: [(t("inbox.title", context), nil)],
                               values: ["notifications": rows, "hasNotifications": !rows.isEmpty,
                                        "pager": Pager(page: page, total: total, path: "/inbox").values(context, views)]),
                          request: request, context: context)
    }

    func webhooks(_ request: Request, _ context: AppContext, problem: Problem?, secret: String?) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let org = identity.organisationID else { throw Problem.forbidden }
        let hooks = try await Webhook.query(on: services.db).filter(\.$organisationID == org).sort(\.$createdAt).all()
        var rows: [[String: Any]] = []
        for hook in hooks {
            let deliveries = try await WebhookDelivery.query(on: services.db).filter(\.$webhookID == hook.id!).sort(\.$createdAt, .descending).limit(10).all()
            rows.append(["url": hook.url, "active": hook.active, "deliveries": deliveries.map { d -> [String: Any] in
                ["status": t("webhooks.status.\(d.status)", context), "attempts": d.attempts, "response": d.lastResponse ?? "—",
                 "time": JapaneseDate.dateTime(d.createdAt, language: context.language)]
            }, "hasDeliveries": !deliveries.isEmpty])
        }
        var values: [String: Any] = ["webhooks": rows, "hasWebhooks": !rows.isEmpty]
        if let secret { values["secret"] = secret }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return views.page(Page("webhooks", title: t("webhooks.title", context),
                               breadcrumbs: [(t("account.title", context), "/account"), (t("webhooks.title", context), nil)],
                               values: values, status: problem?.status ?? .ok), request: request, context: context)
    }

    func jobs(_ request: Request, _ context: AppContext) async throws -> Response {
        try context.require(.admin)
        let schedules = try await JobScheduleRecord.query(on: services.db).sort(\.$name).all().map { s -> [String: Any] in
            ["name": s.name, "next": JapaneseDate.dateTime(s.nextDueAt, language: context.language), "lease": s.leaseOwner ?? "—"]
        }
        let runs = try await JobRun.query(on: services.db).sort(\.$startedAt, .descending).limit(50).all().map { r -> [String: Any] in
            ["name": r.name, "started": JapaneseDate.dateTime(r.startedAt, language: context.language),
             "finished": r.finishedAt.map { JapaneseDate.dateTime($0, language: context.language) } ?? "—",
             "outcome": t("jobs.outcome.\(r.outcome)", context), "message": r.message, "instance": r.instance]
        }
        return views.page(Page("jobs", title: t("jobs.title", context), section: "admin", breadcrumbs: [(t("jobs.title", context), nil)],
                               values: ["schedules": schedules, "runs": runs, "hasRuns": !runs.isEmpty]),
                          request: request, context: context)
    }
}
