import FluentKit
import Foundation
import HTTPTypes
import Hummingbird

/// JSON API of the kernel: who am I, organisations, accounts, tokens, audit trail, proposals.
struct KernelAPIRoutes {
    let services: Services
    let modules: [any ShinraiModule]
    var accounts: AccountService { AccountService(services) }

    struct OrganisationDTO: Codable, Sendable {
        var id: UUID
        var name: String
        var nameEn: String?
        var kind: OrganisationKind
        var corporateNumber: String?
        var localGovernmentCode: String?
        init(_ org: Organisation) {
            id = org.id!; name = org.name; nameEn = org.nameEn; kind = org.kind
            corporateNumber = org.corporateNumber; localGovernmentCode = org.localGovernmentCode
        }
    }

    struct AccountDTO: Codable, Sendable {
        var id: UUID
        var email: String
        var displayName: String
        var role: Role
        var organisationId: UUID?
        init(_ account: Account) {
            id = account.id!; email = account.email; displayName = account.displayName; role = account.role
            organisationId = account.$organisation.id
        }
    }

    struct MeDTO: Codable, Sendable {
        var accountId: UUID
        var email: String
        var displayName: String
        var role: Role
        var organisationId: UUID?
        var organisationName: String?
    }

    struct TokenDTO: Codable, Sendable {
        var id: UUID
        var name: String
        var prefix: String
        var createdAt: Date
        var lastUsedAt: Date?
        var revokedAt: Date?
        var token: String?
        init(_ record: APIToken, token: String? = nil) {
            id = record.id!; name = record.name; prefix = record.prefix; createdAt = record.createdAt
            lastUsedAt = record.lastUsedAt; revokedAt = record.revokedAt; self.token = token
        }
    }

    struct TokenInput: Codable, Sendable { var name: String }

    struct AuditEventDTO: Codable, Sendable {
        var id: UUID
        var occurredAt: Date
        var actor: String
        var organisationId: UUID?
        var action: String
        var targetType: String
        var targetId: String
        var summary: String
    }

    struct ProposalDTO: Codable, Sendable {
        var section: String
        var title: String
        var titleEn: String
        var module: String
        var pillar: String
        var status: String
    }

    static let schemas: [String: JSONSchema] = [
        "Organisation": .object([
            "id": .uuid, "name": .string(), "nameEn": .nullable(.string()), "kind": .string(enumValues: OrganisationKind.allCases.map(\.rawValue)),
            "corporateNumber": .nullable(.string(pattern: "^[0-9]{13}$")), "localGovernmentCode": .nullable(.string(pattern: "^[0-9]{6}$")),
        ], required: ["id", "name", "kind"]),
        "OrganisationInput": .object([
            "name": .string(maxLength: 200), "nameEn": .nullable(.string(maxLength: 200)),
            "kind": .string(enumValues: OrganisationKind.allCases.map(\.rawValue)),
            "corporateNumber": .nullable(.string(description: "法人番号, 13 digits with check digit")),
            "localGovernmentCode": .nullable(.string(description: "全国地方公共団体コード, 6 digits with check digit")),
        ], required: ["name", "kind"], additional: false),
        "Account": .object([
            "id": .uuid, "email": .string(), "displayName": .string(), "role": .string(enumValues: Role.allCases.map(\.rawValue)),
            "organisationId": .nullable(.uuid),
        ], required: ["id", "email", "displayName", "role"]),
        "AccountInput": .object([
            "email": .string(format: "email"), "displayName": .string(maxLength: 100), "password": .string(maxLength: 128),
            "role": .string(enumValues: Role.allCases.map(\.rawValue)), "organisationId": .nullable(.uuid),
        ], required: ["email", "displayName", "password", "role"], additional: false),
        "Me": .object([
            "accountId": .uuid, "email": .string(), "displayName": .string(), "role": .string(enumValues: Role.allCases.map(\.rawValue)),
            "organisationId": .nullable(.uuid), "organisationName": .nullable(.string()),
        ], required: ["accountId", "email", "displayName", "role"]),
        "Token": .object([
            "id": .uuid, "name": .string(), "prefix": .string(), "createdAt": .dateTime, "lastUsedAt": .nullable(.dateTime),
            "revokedAt": .nullable(.dateTime), "token": .nullable(.string(description: "The secret; returned once, on creation")),
        ], required: ["id", "name", "prefix", "createdAt"]),
        "TokenInput": .object(["name": .string(maxLength: 100)], required: ["name"], additional: false),
        "AuditEvent": .object([
            "id": .uuid, "occurredAt": .dateTime, "actor": .string(), "organisationId": .nullable(.uuid), "action": .string(),
            "targetType": .string(), "targetId": .string(), "summary": .string(description: "JSON object describing the change"),
        ], required: ["id", "occurredAt", "actor", "action", "targetType", "targetId", "summary"]),
        "Proposal": .object([
            "section": .string(), "title": .string(), "titleEn": .string(), "module": .string(),
            "pillar": .string(enumValues: Proposal.Pillar.allCases.map(\.rawValue)), "status": .string(enumValues: ["live", "preparing"]),
        ], required: ["section", "title", "titleEn", "module", "pillar", "status"]),
    ]

    func register(_ routes: Routes) {
        for (name, schema) in Self.schemas { routes.schema(name, schema) }
        let idParam = APIOperation.Parameter("id", in: .path, schema: .uuid, description: "Identifier")

        routes.api(.init(method: "GET", path: "/api/v1/proposals", operationID: "listProposals", summary: "The proposals of the paper and their status",
                         tag: "platform", responses: [200: .init("Proposals", schema: .array(.ref("Proposal")))], authenticated: false)) { request, _ in
            let operational = modules.reduce(into: Set<String>()) { $0.formUnion($1.operationalSections) }
            let items = ProposalMap.all.map {
                ProposalDTO(section: $0.section, title: $0.titleJa, titleEn: $0.titleEn, module: $0.module, pillar: $0.pillar.rawValue,
                            status: operational.contains($0.section) ? "live" : "preparing")
            }
            return try API.publicJSON(items, request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/me", operationID: "getMe", summary: "The caller's account", tag: "accounts",
                         responses: [200: .init("Account of the token", schema: .ref("Me"))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            return try API.json(MeDTO(accountId: identity.accountID, email: identity.email, displayName: identity.displayName, role: identity.role,
                                      organisationId: identity.organisationID, organisationName: identity.organisationName))
        }

        routes.api(.init(method: "GET", path: "/api/v1/organisations", operationID: "listOrganisations",
                         summary: "Organisations (reviewers and administrators see all, members their own)", tag: "accounts",
                         parameters: PageRequest.parameters,
                         responses: [200: .init("Page of organisations", schema: PageOf<OrganisationDTO>.schema(.ref("Organisation")))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try PageRequest.parse(request)
            var query = Organisation.query(on: services.db)
            if !identity.isReviewer { query = query.filter(\.$id == (identity.organisationID ?? UUID())) }
            let total = try await query.count()
            let items = try await query.sort(\.$name).sort(\.$id).range(page.offset..<(page.offset + page.limit)).all()
            return try API.json(PageOf(items: items.map(OrganisationDTO.init), total: total, request: page))
        }

        routes.api(.init(method: "POST", path: "/api/v1/organisations", operationID: "createOrganisation", summary: "Register an organisation (administrators)",
                         tag: "accounts", requestBody: .ref("OrganisationInput"),
                         responses: [201: .init("Created", schema: .ref("Organisation"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(AccountService.OrganisationInput.self, from: request, limit: services.config.maxBodyBytes)
            let org = try await accounts.createOrganisation(input, actor: Actor(identity))
            return try API.json(OrganisationDTO(org), status: .created, headers: [.location: "/api/v1/organisations/\(org.id!)"])
        }

        routes.api(.init(method: "GET", path: "/api/v1/organisations/{id}", operationID: "getOrganisation", summary: "One organisation",
                         tag: "accounts", parameters: [idParam],
                         responses: [200: .init("Organisation", schema: .ref("Organisation"))], authenticated: true)) { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            try context.requireAccess(organisation: id)
            guard let org = try await Organisation.find(id, on: services.db) else { throw Problem.notFound }
            return try API.json(OrganisationDTO(org))
        }

        routes.api(.init(method: "GET", path: "/api/v1/accounts", operationID: "listAccounts", summary: "Accounts (administrators)", tag: "accounts",
                         parameters: PageRequest.parameters,
                         responses: [200: .init("Page of accounts", schema: PageOf<AccountDTO>.schema(.ref("Account")))], authenticated: true)) { request, context in
            try context.require(.admin)
            let page = try PageRequest.parse(request)
            let query = Account.query(on: services.db)
            let total = try await query.count()
            let items = try await query.sort(\.$email).range(page.offset..<(page.offset + page.limit)).all()
            return try API.json(PageOf(items: items.map(AccountDTO.init), total: total, request: page))
        }

        routes.api(.init(method: "POST", path: "/api/v1/accounts", operationID: "createAccount", summary: "Create an account (administrators)",
                         tag: "accounts", requestBody: .ref("AccountInput"),
                         responses: [201: .init("Created", schema: .ref("Account"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(AccountService.AccountInput.self, from: request, limit: services.config.maxBodyBytes)
            let account = try await accounts.createAccount(input, actor: Actor(identity))
            return try API.json(AccountDTO(account), status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/tokens", operationID: "listTokens", summary: "The caller's API tokens", tag: "accounts",
                         responses: [200: .init("Tokens", schema: .array(.ref("Token")))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            return try API.json(try await accounts.tokens(of: identity.accountID).map { TokenDTO($0) })
        }

        routes.api(.init(method: "POST", path: "/api/v1/tokens", operationID: "createToken", summary: "Create an API token (the secret is returned once)",
                         tag: "accounts", requestBody: .ref("TokenInput"),
                         responses: [201: .init("Created", schema: .ref("Token"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(TokenInput.self, from: request, limit: services.config.maxBodyBytes)
            let issued = try await accounts.createToken(for: identity.accountID, name: input.name, actor: Actor(identity))
            return try API.json(TokenDTO(issued.record, token: issued.token), status: .created)
        }

        routes.api(.init(method: "DELETE", path: "/api/v1/tokens/{id}", operationID: "revokeToken", summary: "Revoke an API token",
                         tag: "accounts", parameters: [idParam], responses: [204: .init("Revoked", schema: nil)], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            try await accounts.revokeToken(id, by: identity)
            return Response(status: .noContent)
        }

        routes.api(.init(method: "GET", path: "/api/v1/audit-events", operationID: "listAuditEvents",
                         summary: "Audit trail (administrators: all; others: their organisation's records)", tag: "audit",
                         parameters: PageRequest.parameters + [
                            .init("action", in: .query, schema: .string(maxLength: 100), description: "Filter by action, e.g. organisation.create"),
                            .init("targetType", in: .query, schema: .string(maxLength: 100), description: "Filter by target type"),
                            .init("actor", in: .query, schema: .string(maxLength: 200), description: "Actor name or e-mail contains"),
                         ],
                         responses: [200: .init("Page of events", schema: PageOf<AuditEventDTO>.schema(.ref("AuditEvent")))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try PageRequest.parse(request)
            let filter = try AuditTrail.filter(for: request, identity: identity)
            let (items, total) = try await AuditTrail.search(on: services.db, filter: filter, page: page)
            let dtos = items.map {
                AuditEventDTO(id: $0.id!, occurredAt: $0.occurredAt, actor: $0.actorLabel, organisationId: $0.organisationID, action: $0.action,
                              targetType: $0.targetType, targetId: $0.targetID, summary: $0.summary)
            }
            return try API.json(PageOf(items: dtos, total: total, request: page))
        }
    }
}
