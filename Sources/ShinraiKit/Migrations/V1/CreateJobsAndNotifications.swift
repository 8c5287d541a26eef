import FluentKit
import SQLKit

extension KernelV1 {
    struct CreateJobs: AsyncMigration {
        var name: String { "kernel.v1.jobs" }
        func prepare(on db: any Database) async throws {
            try await db.schema("job_schedules")
                .id()
                .field("name", .string, .required)
                .field("next_due_at", .datetime, .required)
                .field("lease_owner", .string)
                .field("lease_until", .datetime)
                .unique(on: "name")
                .create()
            try await db.schema("job_runs")
                .id()
                .field("name", .string, .required)
                .field("due_at", .datetime, .required)
                .field("instance", .string, .required)
                .field("started_at", .datetime, .required)
                .field("finished_at", .datetime)
                .field("outcome", .string, .required)
                .field("message", .string, .required)
                .create()
            try await (db as! any SQLDatabase).create(index: "job_runs_name_started").on("job_runs").column("name").column("started_at").run()
        }
        func revert(on db: any Database) async throws {
            try await db.schema("job_runs").delete()
            try await db.schema("job_schedules").delete()
        }
    }

    struct CreateNotifications: AsyncMigration {
        var name: String { "kernel.v1.notifications" }
        func prepare(on db: any Database) async throws {
            try await db.schema("notifications")
                .id()
                .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
                .field("organisation_id", .uuid)
                .field("kind", .string, .required)
                .field("subject", .string, .required)
                .field("body", .string, .required)
                .field("link", .string)
                .field("created_at", .datetime, .required)
                .field("read_at", .datetime)
                .create()
            try await (db as! any SQLDatabase).create(index: "notifications_account").on("notifications").column("account_id").column("read_at").run()
            try await db.schema("webhooks")
                .id()
                .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
                .field("url", .string, .required)
                .field("secret", .string, .required)
                .field("active", .bool, .required)
                .field("created_at", .datetime, .required)
                .create()
            try await db.schema("webhook_deliveries")
                .id()
                .field("webhook_id", .uuid, .required, .references("webhooks", "id", onDelete: .cascade))
                .field("payload", .string, .required)
                .field("status", .string, .required)
                .field("attempts", .int, .required)
                .field("next_attempt_at", .datetime, .required)
                .field("last_response", .string)
                .field("created_at", .datetime, .required)
                .field("delivered_at", .datetime)
                .create()
            try await (db as! any SQLDatabase).create(index: "webhook_deliveries_due").on("webhook_deliveries").column("status").column("next_attempt_at").run()
        }
        func revert(on db: any Database) async throws {
            for table in ["webhook_deliveries", "webhooks", "notifications"] { try await db.schema(table).delete() }
        }
    }
}
