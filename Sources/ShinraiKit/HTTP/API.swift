import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON API conventions shared by every module.
public enum API {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.format(date))
        }
        return encoder
    }()

    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        let data = try encoder.encode(value)
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A public list response with an ETag; answers 304 when `If-None-Match` matches.
    public static func publicJSON<T: Encodable>(_ value: T, request: Request) throws -> Response {
        let data = try encoder.encode(value)
        return cacheable(data, contentType: "application/json; charset=utf-8", request: request)
    }

    /// Any public representation (JSON, CSV, Atom) with a strong ETag over its bytes.
    public static func cacheable(_ data: Data, contentType: String, request: Request, filename: String? = nil) -> Response {
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined().prefix(32)
        let etag = "\"\(digest)\""
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=60"
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        if let match = request.headers[.ifNoneMatch],
           match.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(where: { $0 == etag || $0 == "*" || $0 == "W/\(etag)" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads and strictly decodes a JSON body: right media type, size limit, no unknown
    /// members, field-level errors.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" || (mediaType?.hasSuffix("+json") ?? false) else {
            throw Problem.unsupportedMediaType
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Problem.tooLarge
        }
        do {
            return try StrictJSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as JSONInputError {
            if error.errors.contains(where: { $0.code == "syntax" }) || error.errors.isEmpty {
                throw Problem.badRequest(.init(ja: "JSONとして読み取れません。", en: error.summary), errors: error.errors)
            }
            throw Problem.validation(error.errors)
        }
    }
}

/// `?limit=&page=` paging (limit ≤ 200).
public struct PageRequest: Sendable, Equatable {
    public var limit: Int
    public var page: Int
    public var offset: Int { (page - 1) * limit }
    public static let maxLimit = 200

    public init(limit: Int = 50, page: Int = 1) { self.limit = limit; self.page = page }

    public static func parse(_ request: Request, defaultLimit: Int = 50) throws -> PageRequest {
        let query = request.uri.queryParameters
        var errors: [FieldError] = []
        var result = PageRequest(limit: defaultLimit, page: 1)
        if let raw = query["limit"] {
            if let value = Int(String(raw)), (1...maxLimit).contains(value) { result.limit = value } else {
                errors.append(FieldError(pointer: "/query/limit", code: "range", detail: "limit must be an integer from 1 to \(maxLimit)"))
            }
        }
        if let raw = query["page"] {
            if let value = Int(String(raw)), value >= 1, value <= 1_000_000 { result.page = value } else {
                errors.append(FieldError(pointer: "/query/page", code: "range", detail: "page must be an integer from 1"))
            }
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "ページ指定が正しくありません。", en: "Invalid paging parameters."), errors: errors) }
        return result
    }

    public static var parameters: [APIOperation.Parameter] {
        [
            .init("limit", in: .query, schema: .integer(minimum: 1, maximum: maxLimit), description: "Items per page (1–200, default 50)"),
            .init("page", in: .query, schema: .integer(minimum: 1, maximum: 1_000_000), description: "Page number from 1"),
        ]
    }
}

public struct PageOf<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var page: Int
    public var nextPage: Int?

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items; self.total = total; self.limit = request.limit; self.page = request.page
        self.nextPage = request.offset + items.count < total ? request.page + 1 : nil
    }

    public static func schema(_ item: JSONSchema) -> JSONSchema {
        .object(["items": .array(item), "total": .integer(minimum: 0), "limit": .integer(), "page": .integer(),
                 "nextPage": .nullable(.integer())], required: ["items", "total", "limit", "page"])
    }
}
