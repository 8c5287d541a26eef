import FluentKit
import SQLKit

/// Version 1 of the kernel schema: organisations, accounts, sessions, tokens, throttles, audit.
enum KernelV1 {
    struct CreateOrganisations: AsyncMigration {
        var name: String { "kernel.v1.organisations" }
        func prepare(on db: any Database) async throws {
            try await db.schema("organisations")
                .id()
                .field("name", .string, .required)
                .field("name_en", .string)
                .field("kind", .string, .required)
                .field("corporate_number", .string)
                .field("local_government_code", .string)
                .field("created_at", .datetime)
                .field("updated_at", .datetime)
                .unique(on: "corporate_number")
                .unique(on: "local_government_code")
                .create()
        }
        func revert(on db: any Database) async throws { try await db.schema("organisations").delete() }
    }

    struct CreateAccounts: AsyncMigration {
        var name: String { "kernel.v1.accounts" }
        func prepare(on db: any Database) async throws {
            try await db.schema("accounts")
                .id()
                .field("email", .string, .required)
                .field("display_name", .string, .required)
                .field("password_hash", .string, .required)
                .field("role", .string, .required)
                .field("organisation_id", .uuid, .references("organisations", "id"))
                .field("active", .bool, .required)
                .field("created_at", .datetime)
                .field("password_changed_at", .datetime)
                .unique(on: "email")
                .create()
            try await db.schema("sessions")
                .id()
                .field("token_hash", .string, .required)
                .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
                .field("csrf_token", .string, .required)
                .field("created_at", .datetime, .required)
                .field("expires_at", .datetime, .required)
                .unique(on: "token_hash")
                .create()
            try await db.schema("api_tokens")
                .id()
                .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
                .field("name", .string, .required)
                .field("token_hash", .string, .required)
                .field("prefix", .string, .required)
                .field("created_at", .datetime, .required)
                .field("last_used_at", .datetime)
                .field("revoked_at", .datetime)
                .unique(on: "token_hash")
                .create()
            try await db.schema("login_throttles")
                .id()
                .field("subject", .string, .required)
                .field("failures", .int, .required)
                .field("window_start", .datetime, .required)
                .field("locked_until", .datetime)
                .unique(on: "subject")
                .create()
        }
        func revert(on db: any Database) async throws {
            for table in ["login_throttles", "api_tokens", "sessions", "accounts"] { try await db.schema(table).delete() }
        }
    }

    struct CreateAuditEvents: AsyncMigration {
        var name: String { "kernel.v1.audit-events" }
        func prepare(on db: any Database) async throws {
            try await db.schema("audit_events")
                .id()
                .field("occurred_at", .datetime, .required)
                .field("actor_account_id", .uuid)
                .field("actor_label", .string, .required)
                .field("organisation_id", .uuid)
                .field("action", .string, .required)
                .field("target_type", .string, .required)
                .field("target_id", .string, .required)
                .field("summary", .string, .required)
                .create()
            let sql = db as! any SQLDatabase
            try await sql.create(index: "audit_events_occurred_at").on("audit_events").column("occurred_at").run()
            try await sql.create(index: "audit_events_organisation").on("audit_events").column("organisation_id").run()
        }
        func revert(on db: any Database) async throws { try await db.schema("audit_events").delete() }
    }

    static var all: [any Migration] { [CreateOrganisations(), CreateAccounts(), CreateAuditEvents(), CreateJobs(), CreateNotifications(), CreateTransparencyLog()] }
}
