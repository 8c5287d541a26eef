import FluentKit
import Foundation
import SQLKit

/// The transparency log in the database: entries, the perfect-subtree hashes that proofs are
/// read from, and a one-row head (size and root). Appends run inside the caller's transaction
/// and lock the head row, so concurrent writers on several instances serialise: no gaps, no
/// duplicate index, no fork.
public enum TransparencyLogStore {
    public struct StoredEntry: Sendable {
        public let index: Int64
        public let leafHash: Data
        public let entry: LogEntry
        public let entryJSON: Data
    }

    public struct Head: Sendable, Equatable {
        public let size: Int64
        public let root: Data
    }

    // MARK: append

    /// Appends entries in order; returns the index of the first one.
    @discardableResult
    public static func append(_ entries: [LogEntry], on db: any Database) async throws -> Int64 {
        let sql = db as! any SQLDatabase
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard let row = try await sql.raw("SELECT size FROM log_head WHERE id = 1\(unsafeRaw: lock)").first() else {
            throw TransparencyLogError.missingHead
        }
        let size = try row.decode(column: "size", as: Int64.self)
        let frontierIDs = MerkleTree.frontierIDs(size: size)
        let stored = try await DatabaseNodeReader(db: db).hashes(for: frontierIDs)
        let frontier = try frontierIDs.map { id -> Data in
            guard let hash = stored[id] else { throw TransparencyLogError.missingNode(id.description) }
            return hash
        }
        let encoded = entries.map { $0.canonicalJSON() }
        let leafHashes = encoded.map { MerkleHashing.leafHash($0) }
        let plan = try MerkleTree.appendPlan(existingSize: size, frontier: frontier, newLeafHashes: leafHashes)
        // Batched multi-row inserts keep large appends fast on both databases.
        for chunk in stride(from: 0, to: entries.count, by: 200) {
            let end = min(chunk + 200, entries.count)
            let insert = sql.insert(into: "log_entries").columns("idx", "leaf_hash", "entry", "type", "record_number", "created_at")
            for i in chunk..<end {
                insert.values(SQLBind(size + Int64(i)), SQLBind(TLogHex.encode(leafHashes[i])), SQLBind(String(decoding: encoded[i], as: UTF8.self)),
                              SQLBind(entries[i].type), SQLBind(entries[i].recordNumber), SQLBind(entries[i].time))
            }
            try await insert.run()
        }
        for chunk in stride(from: 0, to: plan.newNodes.count, by: 400) {
            let insert = sql.insert(into: "log_nodes").columns("storage_key", "hash")
            for node in plan.newNodes[chunk..<min(chunk + 400, plan.newNodes.count)] {
                insert.values(SQLBind(node.id.storageKey), SQLBind(TLogHex.encode(node.hash)))
            }
            try await insert.run()
        }
        try await sql.update("log_head").set("size", to: plan.newSize).set("root_hash", to: TLogHex.encode(plan.root))
            .where("id", .equal, 1).where("size", .equal, size).run()
        return size
    }

    // MARK: reads

    public static func head(on db: any Database) async throws -> Head {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("SELECT size, root_hash FROM log_head WHERE id = 1").first() else { throw TransparencyLogError.missingHead }
        let root = try row.decode(column: "root_hash", as: String.self)
        return Head(size: try row.decode(column: "size", as: Int64.self), root: TLogHex.decode(root) ?? Data())
    }

    public static func entries(from start: Int64, to end: Int64, on db: any Database) async throws -> [StoredEntry] {
        let rows = try await (db as! any SQLDatabase).select().columns("idx", "leaf_hash", "entry").from("log_entries")
            .where("idx", .greaterThanOrEqual, start).where("idx", .lessThan, end).orderBy("idx").all()
        return try rows.map(decodeEntry)
    }

    public static func entry(index: Int64, on db: any Database) async throws -> StoredEntry? {
        try await entries(from: index, to: index + 1, on: db).first
    }

    public static func index(ofLeafHash hash: Data, on db: any Database) async throws -> Int64? {
        try await (db as! any SQLDatabase).select().column("idx").from("log_entries")
            .where("leaf_hash", .equal, TLogHex.encode(hash)).orderBy("idx").first()?.decode(column: "idx", as: Int64.self)
    }

    /// Log indexes of a public record, oldest first (record pages list every version).
    public static func indexes(ofRecord number: String, on db: any Database) async throws -> [Int64] {
        try await (db as! any SQLDatabase).select().column("idx").from("log_entries").where("record_number", .equal, number)
            .orderBy("idx").all().map { try $0.decode(column: "idx", as: Int64.self) }
    }

    static func decodeEntry(_ row: any SQLRow) throws -> StoredEntry {
        let json = Data(try row.decode(column: "entry", as: String.self).utf8)
        return StoredEntry(index: try row.decode(column: "idx", as: Int64.self),
                           leafHash: TLogHex.decode(try row.decode(column: "leaf_hash", as: String.self)) ?? Data(),
                           entry: try LogEntry(canonicalJSON: json), entryJSON: json)
    }

    // MARK: proofs (O(log n) stored hashes, one query each)

    public static func inclusionProof(index: Int64, size: Int64, on db: any Database) async throws -> [Data] {
        try await MerkleTree.inclusionProof(index: index, size: size, reader: DatabaseNodeReader(db: db))
    }

    public static func consistencyProof(first: Int64, second: Int64, on db: any Database) async throws -> [Data] {
        try await MerkleTree.consistencyProof(first: first, second: second, reader: DatabaseNodeReader(db: db))
    }

    public static func root(size: Int64, on db: any Database) async throws -> Data {
        try await MerkleTree.root(size: size, reader: DatabaseNodeReader(db: db))
    }
}

public enum TransparencyLogError: Error, CustomStringConvertible {
    case missingHead
    case missingNode(String)
    public var description: String {
        switch self {
        case .missingHead: return "the log head row is missing (run migrations)"
        case .missingNode(let id): return "stored node \(id) is missing"
        }
    }
}

/// Reads stored perfect-subtree hashes in one query.
struct DatabaseNodeReader: MerkleNodeReader {
    let db: any Database

    func hashes(for ids: [MerkleNodeID]) async throws -> [MerkleNodeID: Data] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (db as! any SQLDatabase).select().columns("storage_key", "hash").from("log_nodes")
            .where("storage_key", .in, ids.map(\.storageKey)).all()
        var result: [MerkleNodeID: Data] = [:]
        for row in rows {
            let key = try row.decode(column: "storage_key", as: Int64.self)
            result[MerkleNodeID(storageKey: key)] = TLogHex.decode(try row.decode(column: "hash", as: String.self))
        }
        return result
    }
}
