import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Public endpoints of the transparency log (see docs/transparency-log.md) and its web pages.
struct LogRoutes {
    let services: Services
    var views: Views { services.views }
    static let maxEntries: Int64 = 1000

    struct EntryDTO: Codable, Sendable {
        var index: Int64
        var leafHash: String
        var entry: LogEntry
        /// The exact canonical bytes that were hashed, base64.
        var canonical: String
    }

    struct InclusionDTO: Codable, Sendable {
        var index: Int64
        var size: Int64
        var leafHash: String
        var rootHash: String
        var auditPath: [String]
    }

    struct ConsistencyDTO: Codable, Sendable {
        var first: Int64
        var second: Int64
        var firstRootHash: String
        var secondRootHash: String
        var proof: [String]
    }

    struct KeyDTO: Codable, Sendable {
        var origin: String
        var algorithm: String
        var keyId: String
        var publicKey: String
        var verifierKey: String
    }

    static func integer(_ request: Request, _ name: String, min: Int64 = 0) throws -> Int64? {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int64(String(raw)), value >= min else {
            throw Problem.badRequest(.init(ja: "\(name) は\(min)以上の整数で指定してください。", en: "\(name) must be an integer ≥ \(min)."),
                                     errors: [FieldError(pointer: "/query/\(name)", code: "range", detail: "must be an integer ≥ \(min)")])
        }
        return value
    }

    static func outOfRange(_ detail: String) -> Problem {
        Problem.badRequest(.init(ja: "ログの範囲外です: \(detail)", en: "Outside the log: \(detail)"))
    }

    func register(_ routes: Routes) {
        let b64: JSONSchema = .string(format: "byte")
        routes.schema("LogEntry", .object([
            "index": .integer(minimum: 0), "leafHash": b64, "canonical": b64,
            "entry": .object(["type": .string(), "subject": .string(), "recordNumber": .string(), "contentHash": .string(), "time": .dateTime],
                             required: ["type", "subject", "recordNumber", "contentHash", "time"]),
        ], required: ["index", "leafHash", "entry", "canonical"]))
        routes.schema("InclusionProof", .object([
            "index": .integer(minimum: 0), "size": .integer(minimum: 1), "leafHash": b64, "rootHash": b64, "auditPath": .array(b64),
        ], required: ["index", "size", "leafHash", "rootHash", "auditPath"]))
        routes.schema("ConsistencyProof", .object([
            "first": .integer(minimum: 0), "second": .integer(minimum: 0), "firstRootHash": b64, "secondRootHash": b64, "proof": .array(b64),
        ], required: ["first", "second", "firstRootHash", "secondRootHash", "proof"]))
        routes.schema("LogKey", .object([
            "origin": .string(), "algorithm": .string(enumValues: ["Ed25519"]), "keyId": .string(), "publicKey": b64, "verifierKey": .string(),
        ], required: ["origin", "algorithm", "keyId", "publicKey", "verifierKey"]))

        routes.api(.init(method: "GET", path: "/api/v1/log/checkpoint", operationID: "getLogCheckpoint",
                         summary: "Signed checkpoint of the transparency log (C2SP tlog-checkpoint, Ed25519 signed note)", tag: "log",
                         responses: [200: .init("Signed note", contentType: "text/plain", schema: .string())], authenticated: false)) { _, _ in
            let (_, note) = try await services.logSigning.checkpoint(db: services.db)
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
                            body: .init(byteBuffer: ByteBuffer(string: note)))
        }
        routes.api(.init(method: "GET", path: "/api/v1/log/key", operationID: "getLogKey", summary: "Public key that signs checkpoints", tag: "log",
                         responses: [200: .init("Key", schema: .ref("LogKey"))], authenticated: false)) { request, _ in
            let verifier = try await services.logSigning.signer(db: services.db).verifier
            return try API.publicJSON(KeyDTO(origin: services.logSigning.origin, algorithm: "Ed25519", keyId: String(format: "%08x", verifier.keyID),
                                             publicKey: verifier.publicKey.base64EncodedString(), verifierKey: verifier.verifierKey), request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/log/entries", operationID: "listLogEntries",
                         summary: "Entries [start, end) of the log, at most 1000", tag: "log",
                         parameters: [
                            .init("start", in: .query, required: true, schema: .integer(minimum: 0), description: "First index"),
                            .init("end", in: .query, required: true, schema: .integer(minimum: 0), description: "One past the last index (≤ start + 1000, ≤ tree size)"),
                         ],
                         responses: [200: .init("Entries", schema: .array(.ref("LogEntry")))], authenticated: false)) { request, _ in
            guard let start = try Self.integer(request, "start"), let end = try Self.integer(request, "end") else {
                throw Problem.badRequest(.init(ja: "start と end を指定してください。", en: "Give start and end."))
            }
            let head = try await TransparencyLogStore.head(on: services.db)
            guard start <= end, end <= head.size, end - start <= Self.maxEntries else {
                throw Self.outOfRange("0 ≤ start ≤ end ≤ \(head.size), end − start ≤ \(Self.maxEntries)")
            }
            let entries = try await TransparencyLogStore.entries(from: start, to: end, on: services.db).map {
                EntryDTO(index: $0.index, leafHash: $0.leafHash.base64EncodedString(), entry: $0.entry, canonical: $0.entryJSON.base64EncodedString())
            }
            return try API.json(entries)
        }
        routes.api(.init(method: "GET", path: "/api/v1/log/proof/inclusion", operationID: "getInclusionProof",
                         summary: "RFC 9162 inclusion proof of an entry (by index or by leaf hash) in the tree of a given size", tag: "log",
                         parameters: [
                            .init("index", in: .query, schema: .integer(minimum: 0), description: "Entry index (or give leafHash)"),
                            .init("leafHash", in: .query, schema: .string(format: "byte"), description: "Base64 leaf hash"),
                            .init("size", in: .query, schema: .integer(minimum: 1), description: "Tree size (default: current)"),
                         ],
                         responses: [200: .init("Proof", schema: .ref("InclusionProof"))], authenticated: false)) { request, _ in
            try API.json(try await inclusion(request))
        }
        routes.api(.init(method: "GET", path: "/api/v1/log/proof/consistency", operationID: "getConsistencyProof",
                         summary: "RFC 9162 consistency proof between two tree sizes", tag: "log",
                         parameters: [
                            .init("first", in: .query, required: true, schema: .integer(minimum: 0), description: "Earlier tree size"),
                            .init("second", in: .query, required: true, schema: .integer(minimum: 0), description: "Later tree size (≤ current)"),
                         ],
                         responses: [200: .init("Proof", schema: .ref("ConsistencyProof"))], authenticated: false)) { request, _ in
            guard let first = try Self.integer(request, "first"), let second = try Self.integer(request, "second") else {
                throw Problem.badRequest(.init(ja: "first と second を指定してください。", en: "Give first and second."))
            }
            let head = try await TransparencyLogStore.head(on: services.db)
            guard first <= second, second <= head.size else { throw Self.outOfRange("0 ≤ first ≤ second ≤ \(head.size)") }
            let proof = try await TransparencyLogStore.consistencyProof(first: first, second: second, on: services.db)
            let firstRoot = try await TransparencyLogStore.root(size: first, on: services.db)
            let secondRoot = try await TransparencyLogStore.root(size: second, on: services.db)
            return try API.json(ConsistencyDTO(first: first, second: second, firstRootHash: firstRoot.base64EncodedString(),
                                               secondRootHash: secondRoot.base64EncodedString(), proof: proof.map { $0.base64EncodedString() }))
        }

        routes.get("/log") { request, context in try await logPage(request, context) }
        routes.get("/log/entries/{index}") { request, context in try await entryPage(request, context) }
    }

    func inclusion(_ request: Request) async throws -> InclusionDTO {
        let head = try await TransparencyLogStore.head(on: services.db)
        let size = try Self.integer(request, "size", min: 1) ?? head.size
        guard size <= head.size, size >= 1 else { throw Self.outOfRange("size ≤ \(head.size)") }
        var index = try Self.integer(request, "index")
        if index == nil, let raw = request.uri.queryParameters["leafHash"] {
            guard let hash = Data(base64Encoded: String(raw)), hash.count == 32 else {
                throw Problem.badRequest(.init(ja: "leafHash はbase64の32バイトで指定してください。", en: "leafHash must be 32 bytes in base64."))
            }
            index = try await TransparencyLogStore.index(ofLeafHash: hash, on: services.db)
            if index == nil { throw Problem.notFound }
        }
        guard let index else { throw Problem.badRequest(.init(ja: "index か leafHash を指定してください。", en: "Give index or leafHash.")) }
        guard index < size else { throw Self.outOfRange("index < size (\(size))") }
        guard let entry = try await TransparencyLogStore.entry(index: index, on: services.db) else { throw Problem.notFound }
        let proof = try await TransparencyLogStore.inclusionProof(index: index, size: size, on: services.db)
        let root = try await TransparencyLogStore.root(size: size, on: services.db)
        return InclusionDTO(index: index, size: size, leafHash: entry.leafHash.base64EncodedString(), rootHash: root.base64EncodedString(),
                            auditPath: proof.map { $0.base64EncodedString() })
    }

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text(key, context.language) }

    func logPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let (head, note) = try await services.logSigning.checkpoint(db: services.db)
        let start = max(0, head.size - 20)
        let recent = try await TransparencyLogStore.entries(from: start, to: head.size, on: services.db).reversed().map { e -> [String: Any] in
            ["index": e.index, "type": e.entry.type, "subject": e.entry.subject, "recordNumber": e.entry.recordNumber,
             "time": JapaneseDate.dateTime(e.entry.time, language: context.language)]
        }
        let verifier = try await services.logSigning.signer(db: services.db).verifier
        return views.page(Page("log", title: t("log.title", context), breadcrumbs: [(t("log.title", context), nil)], values: [
            "size": head.size, "root": head.root.base64EncodedString(), "note": note, "verifierKey": verifier.verifierKey,
            "entries": Array(recent), "hasEntries": !recent.isEmpty,
        ]), request: request, context: context)
    }

    func entryPage(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let raw = context.parameters.get("index"), let index = Int64(raw), index >= 0,
              let entry = try await TransparencyLogStore.entry(index: index, on: services.db) else { throw Problem.notFound }
        let head = try await TransparencyLogStore.head(on: services.db)
        let proof = try await TransparencyLogStore.inclusionProof(index: index, size: head.size, on: services.db)
        let title = "\(t("log.entry", context)) #\(index)"
        return views.page(Page("log-entry", title: title, breadcrumbs: [(t("log.title", context), "/log"), (title, nil)], values: [
            "index": index, "type": entry.entry.type, "subject": entry.entry.subject, "recordNumber": entry.entry.recordNumber,
            "contentHash": entry.entry.contentHash, "time": JapaneseDate.dateTime(entry.entry.time, language: context.language),
            "canonical": String(decoding: entry.entryJSON, as: UTF8.self), "leafHash": entry.leafHash.base64EncodedString(),
            "size": head.size, "root": head.root.base64EncodedString(), "auditPath": proof.map { $0.base64EncodedString() },
            "proofHref": "/api/v1/log/proof/inclusion?index=\(index)&size=\(head.size)",
        ]), request: request, context: context)
    }
}
