import FluentKit
import Foundation
import SQLKit

/// Writes a public record change: the audit event and the transparency-log entry, in the
/// caller's transaction. Modules call this for every listing, status change, publication
/// and issued credential.
public enum PublicRecord {
    /// Returns the log index of the new entry.
    @discardableResult
    public static func publish(on db: any Database, actor: Actor, organisationID: UUID?, type: String, subject: String,
                               recordNumber: String, content: some Encodable, targetType: String, targetID: String,
                               summary: [String: String], at time: Date) async throws -> Int64 {
        let entry = try LogEntry(type: type, subject: subject, recordNumber: recordNumber, content: content, time: time)
        let index = try await TransparencyLogStore.append([entry], on: db)
        var summary = summary
        summary["logIndex"] = String(index)
        try await AuditTrail.record(on: db, actor: actor, organisationID: organisationID, action: type,
                                    targetType: targetType, targetID: targetID, summary: summary, at: time)
        return index
    }
}

/// The checkpoint signer. The key lives in a 0600 file in the data directory by default, or in
/// the database (`SHINRAI_LOG_KEY=database`) so that several instances sign with one key.
public final class LogSigning: @unchecked Sendable {
    public enum Storage: Sendable, Equatable {
        case file(String)
        case database
    }

    public let origin: String
    public let storage: Storage
    private let lock = NSLock()
    private var cached: NoteSigner?

    public init(origin: String, storage: Storage) { self.origin = origin; self.storage = storage }

    public func signer(db: any Database) async throws -> NoteSigner {
        if let signer = lock.withLock({ cached }) { return signer }
        let signer: NoteSigner
        switch storage {
        case .file(let path):
            signer = try LogSigningKeyFile.loadOrCreate(at: path, name: origin).signer
        case .database:
            let sql = db as! any SQLDatabase
            let fresh = try NoteSigner.generate(name: origin)
            // First instance to start wins; everyone then reads the same key.
            try await sql.insert(into: "log_keys").columns("name", "private_key", "created_at")
                .values(SQLBind(origin), SQLBind(fresh.privateKeyString), SQLBind(Date()))
                .ignoringConflicts(with: ["name"]).run()
            guard let row = try await sql.select().column("private_key").from("log_keys").where("name", .equal, origin).first() else {
                throw TransparencyLogError.missingHead
            }
            signer = try NoteSigner(privateKeyString: try row.decode(column: "private_key", as: String.self))
        }
        lock.withLock { cached = signer }
        return signer
    }

    /// A signed checkpoint (C2SP tlog-checkpoint + signed-note) of the current head.
    public func checkpoint(db: any Database) async throws -> (head: TransparencyLogStore.Head, note: String) {
        let head = try await TransparencyLogStore.head(on: db)
        let note = try LogCheckpoint(origin: origin, size: head.size, rootHash: head.root).signed(by: try await signer(db: db))
        return (head, note)
    }
}
