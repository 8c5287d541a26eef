import Foundation
import HTTPTypes
import SQLKit

/// The per-token request budget of the API: at most `limit` requests in each fixed window of
/// `window` seconds. Counters live in the database, so every instance on one PostgreSQL
/// counts against the same budget; each request costs one upsert.
public struct APIRateLimit: Sendable {
    public let limit: Int
    public let window: Int
    let sql: any SQLDatabase

    public static let windowSeconds = 60

    public init(limit: Int, window: Int = APIRateLimit.windowSeconds, sql: any SQLDatabase) {
        self.limit = limit; self.window = window; self.sql = sql
    }

    public init(_ services: Services) {
        self.init(limit: services.config.apiRateLimit, sql: services.sql)
    }

    /// Off when the configured limit is 0.
    public var isEnabled: Bool { limit > 0 }

    /// Where one token stands in the current window after a request.
    public struct Usage: Sendable, Equatable {
        public let limit: Int
        /// Requests counted in this window, the current one included.
        public let requests: Int
        /// Whole seconds until the window ends (at least 1).
        public let resetSeconds: Int

        public var exceeded: Bool { requests > limit }
        public var remaining: Int { max(0, limit - requests) }

        /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
        public func apply(to headers: inout HTTPFields) {
            headers[APIRateLimit.limitHeader] = "\(limit)"
            headers[APIRateLimit.remainingHeader] = "\(remaining)"
            headers[APIRateLimit.resetHeader] = "\(resetSeconds)"
        }
    }

    public static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    public static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    public static let resetHeader = HTTPField.Name("RateLimit-Reset")!

    /// Start of the window that holds `instant`, in Unix seconds.
    public func windowStart(_ instant: Date) -> Int64 {
        let seconds = Int64(floor(instant.timeIntervalSince1970))
        let size = Int64(window)
        return seconds - ((seconds % size) + size) % size
    }

    /// Counts one request of `tokenID` at `instant` and returns the token's usage.
    public func record(tokenID: UUID, at instant: Date) async throws -> Usage {
        let start = windowStart(instant)
        let row = try await sql.raw("""
            INSERT INTO api_rate_windows (token_id, window_start, requests) VALUES (\(bind: tokenID), \(bind: start), 1)
            ON CONFLICT (token_id, window_start) DO UPDATE SET requests = api_rate_windows.requests + 1
            RETURNING requests
            """).first()
        let requests = try row?.decode(column: "requests", as: Int.self) ?? 1
        let reset = max(1, Int(ceil(Double(start + Int64(window)) - instant.timeIntervalSince1970)))
        return Usage(limit: limit, requests: requests, resetSeconds: reset)
    }

    /// The requests counted for `tokenID` in the window holding `instant` (0 if none).
    public func requests(tokenID: UUID, at instant: Date) async throws -> Int {
        let row = try await sql.raw("""
            SELECT requests FROM api_rate_windows WHERE token_id = \(bind: tokenID) AND window_start = \(bind: windowStart(instant))
            """).first()
        return try row?.decode(column: "requests", as: Int.self) ?? 0
    }

    /// Deletes the counters of windows that ended before `instant`; returns how many.
    @discardableResult
    public func prune(before instant: Date) async throws -> Int {
        let current = windowStart(instant)
        let old = try await sql.raw("SELECT COUNT(*) AS n FROM api_rate_windows WHERE window_start < \(bind: current)").first()
        let count = try old?.decode(column: "n", as: Int.self) ?? 0
        try await sql.raw("DELETE FROM api_rate_windows WHERE window_start < \(bind: current)").run()
        return count
    }
}
