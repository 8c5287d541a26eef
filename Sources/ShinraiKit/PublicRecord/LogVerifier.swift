import AsyncHTTPClient
import FluentKit
import SQLKit
import Foundation
import NIOCore

/// Re-derives the whole log and checks it against the signed checkpoint; reports the first
/// mismatch. Works on the local database or, through the public API, on any server.
public enum LogVerifier {
    public struct Report: Sendable {
        public var size: Int64
        public var root: Data
        public var problems: [String]
        public var ok: Bool { problems.isEmpty }
    }

    /// A source of entries, the checkpoint and the verifier key.
    public protocol Source: Sendable {
        func verifierKey() async throws -> String
        func checkpoint() async throws -> String
        /// Canonical entry bytes and stored leaf hashes for [start, end).
        func entries(from start: Int64, to end: Int64) async throws -> [(index: Int64, canonical: Data, leafHash: Data)]
    }

    public static func verify(_ source: some Source, origin: String? = nil, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> Report {
        var problems: [String] = []
        let verifier = try NoteVerifier(verifierKey: try await source.verifierKey())
        let note = try await source.checkpoint()
        let checkpoint: LogCheckpoint
        do {
            checkpoint = try LogCheckpoint.open(note, verifier: verifier, origin: origin)
        } catch {
            return Report(size: 0, root: Data(), problems: ["checkpoint signature or format is invalid: \(error)"])
        }
        var leafHashes: [Data] = []
        leafHashes.reserveCapacity(Int(checkpoint.size))
        var start: Int64 = 0
        while start < checkpoint.size {
            let end = min(start + 1000, checkpoint.size)
            let batch = try await source.entries(from: start, to: end)
            if batch.count != Int(end - start) { problems.append("entries \(start)..<\(end): expected \(end - start), got \(batch.count)") }
            for item in batch {
                if item.index != Int64(leafHashes.count) {
                    problems.append("entry \(leafHashes.count): index \(item.index) out of sequence")
                }
                do { _ = try LogEntry(canonicalJSON: item.canonical) } catch {
                    problems.append("entry \(item.index): not a canonical log entry (\(error))")
                }
                let computed = MerkleHashing.leafHash(item.canonical)
                if computed != item.leafHash { problems.append("entry \(item.index): stored leaf hash does not match its content") }
                leafHashes.append(computed)
            }
            progress?(end, checkpoint.size)
            start = end
            if !problems.isEmpty { break }
        }
        if problems.isEmpty {
            let root = MerkleTree.recomputeRoot(leafHashes: leafHashes)
            if root != checkpoint.rootHash {
                problems.append("re-derived root \(root.base64EncodedString()) differs from the signed checkpoint root \(checkpoint.rootHash.base64EncodedString())")
            }
        }
        return Report(size: checkpoint.size, root: checkpoint.rootHash, problems: problems)
    }

    /// The local database; also checks the stored subtree hashes behind proofs.
    public struct Local: Source {
        public let services: Services
        public init(services: Services) { self.services = services }
        public func verifierKey() async throws -> String { try await services.logSigning.signer(db: services.db).verifier.verifierKey }
        public func checkpoint() async throws -> String { try await services.logSigning.checkpoint(db: services.db).note }
        public func entries(from start: Int64, to end: Int64) async throws -> [(index: Int64, canonical: Data, leafHash: Data)] {
            try await TransparencyLogStore.rawEntries(from: start, to: end, on: services.db)
        }
    }

    /// A server's public API.
    public struct Remote: Source {
        public let baseURL: String
        public init(baseURL: String) { self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL }

        func get(_ path: String) async throws -> ByteBuffer {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(30))
            guard response.status == .ok else { throw RemoteError.status(path, Int(response.status.code)) }
            return try await response.body.collect(upTo: 64 << 20)
        }
        public func verifierKey() async throws -> String {
            let object = try JSONSerialization.jsonObject(with: Data(buffer: try await get("/api/v1/log/key"))) as? [String: Any]
            guard let key = object?["verifierKey"] as? String else { throw RemoteError.malformed("/api/v1/log/key") }
            return key
        }
        public func checkpoint() async throws -> String { String(buffer: try await get("/api/v1/log/checkpoint")) }
        public func entries(from start: Int64, to end: Int64) async throws -> [(index: Int64, canonical: Data, leafHash: Data)] {
            let array = try JSONSerialization.jsonObject(with: Data(buffer: try await get("/api/v1/log/entries?start=\(start)&end=\(end)"))) as? [[String: Any]]
            return try (array ?? []).map { item in
                guard let index = (item["index"] as? NSNumber)?.int64Value, let canonical = (item["canonical"] as? String).flatMap({ Data(base64Encoded: $0) }),
                      let leaf = (item["leafHash"] as? String).flatMap({ Data(base64Encoded: $0) }) else { throw RemoteError.malformed("entries") }
                return (index, canonical, leaf)
            }
        }
        enum RemoteError: Error, CustomStringConvertible {
            case status(String, Int)
            case malformed(String)
            var description: String {
                switch self {
                case let .status(path, code): return "\(path) answered HTTP \(code)"
                case .malformed(let what): return "\(what): unexpected response"
                }
            }
        }
    }

    /// Checks that the stored perfect-subtree hashes (what proofs are built from) agree with
    /// the entries: every stored node is recomputed from the leaves it covers.
    public static func verifyStoredNodes(services: Services) async throws -> [String] {
        let head = try await TransparencyLogStore.head(on: services.db)
        var problems: [String] = []
        let stored = try await TransparencyLogStore.rawEntries(from: 0, to: head.size, on: services.db)
        var level: [Data] = stored.map { MerkleHashing.leafHash($0.canonical) }
        var height = 0
        let reader = DatabaseNodeReader(db: services.db)
        while !level.isEmpty {
            let ids = (0..<level.count).map { MerkleNodeID(level: height, index: Int64($0)) }
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[chunk..<min(chunk + 500, ids.count)])
                let found = try await reader.hashes(for: slice)
                for id in slice where found[id] != level[Int(id.index)] {
                    problems.append("stored node \(id) does not match the entries")
                    if problems.count >= 10 { return problems }
                }
            }
            var next: [Data] = []
            var i = 0
            while i + 1 < level.count { next.append(MerkleHashing.nodeHash(level[i], level[i + 1])); i += 2 }
            level = next
            height += 1
        }
        if MerkleTree.recomputeRoot(leafHashes: stored.map { MerkleHashing.leafHash($0.canonical) }) != head.root {
            problems.append("the head root does not match the entries")
        }
        return problems
    }
}

extension TransparencyLogStore {
    /// Entries as stored (canonical bytes and stored leaf hash), without parsing.
    public static func rawEntries(from start: Int64, to end: Int64, on db: any Database) async throws -> [(index: Int64, canonical: Data, leafHash: Data)] {
        let rows = try await (db as! any SQLDatabase).select().columns("idx", "leaf_hash", "entry").from("log_entries")
            .where("idx", .greaterThanOrEqual, start).where("idx", .lessThan, end).orderBy("idx").all()
        return try rows.map { row in
            (try row.decode(column: "idx", as: Int64.self), Data(try row.decode(column: "entry", as: String.self).utf8),
             TLogHex.decode(try row.decode(column: "leaf_hash", as: String.self)) ?? Data())
        }
    }
}
