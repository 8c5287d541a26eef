import FluentKit
import Foundation
import SQLKit

extension KernelV1 {
    /// Tables of the transparency log. Keys are the log's own integers, not UUIDs: an entry is
    /// addressed by its index and a node by (level, index) packed into one 64-bit key.
    struct CreateTransparencyLog: AsyncMigration {
        var name: String { "kernel.v1.transparency-log" }
        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await sql.create(table: "log_entries")
                .column("idx", type: .bigint, .primaryKey(autoIncrement: false))
                .column("leaf_hash", type: .text, .notNull)
                .column("entry", type: .text, .notNull)
                .column("type", type: .text, .notNull)
                .column("record_number", type: .text, .notNull)
                .column("created_at", type: .timestamp, .notNull)
                .run()
            try await sql.create(index: "log_entries_leaf_hash").on("log_entries").column("leaf_hash").run()
            try await sql.create(index: "log_entries_record").on("log_entries").column("record_number").run()
            try await sql.create(table: "log_nodes")
                .column("storage_key", type: .bigint, .primaryKey(autoIncrement: false))
                .column("hash", type: .text, .notNull)
                .run()
            try await sql.create(table: "log_head")
                .column("id", type: .int, .primaryKey(autoIncrement: false))
                .column("size", type: .bigint, .notNull)
                .column("root_hash", type: .text, .notNull)
                .run()
            try await sql.insert(into: "log_head").columns("id", "size", "root_hash")
                .values(SQLBind(1), SQLBind(Int64(0)), SQLBind(TLogHex.encode(MerkleHashing.sha256(Data())))).run()
            try await sql.create(table: "log_keys")
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("private_key", type: .text, .notNull)
                .column("created_at", type: .timestamp, .notNull)
                .run()
        }
        func revert(on db: any Database) async throws {
            for table in ["log_keys", "log_head", "log_nodes", "log_entries"] { try await db.schema(table).delete() }
        }
    }
}
