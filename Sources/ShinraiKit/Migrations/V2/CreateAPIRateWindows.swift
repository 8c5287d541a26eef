import FluentKit

/// Version 2 of the kernel schema: per-token request counters for the API rate limit.
enum KernelV2 {
    /// One row per token and fixed window. The window is its start in Unix seconds, so the key
    /// compares exactly on every database; `requests` counts every request sent in the window.
    struct CreateAPIRateWindows: AsyncMigration {
        var name: String { "kernel.v2.api-rate-windows" }
        func prepare(on db: any Database) async throws {
            try await db.schema("api_rate_windows")
                .field("token_id", .uuid, .required, .references("api_tokens", "id", onDelete: .cascade))
                .field("window_start", .int64, .required)
                .field("requests", .int64, .required)
                .compositeIdentifier(over: "token_id", "window_start")
                .create()
        }
        func revert(on db: any Database) async throws { try await db.schema("api_rate_windows").delete() }
    }

    static var all: [any Migration] { [CreateAPIRateWindows()] }
}
