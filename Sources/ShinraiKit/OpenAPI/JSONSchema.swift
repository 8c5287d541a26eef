import Foundation

/// The subset of JSON Schema (2020-12, as used by OpenAPI 3.1) that the API documents.
public indirect enum JSONSchema: Sendable {
    case string(format: String? = nil, description: String? = nil, enumValues: [String]? = nil, maxLength: Int? = nil, pattern: String? = nil)
    case integer(minimum: Int? = nil, maximum: Int? = nil, description: String? = nil)
    case number(description: String? = nil)
    case boolean(description: String? = nil)
    case array(JSONSchema, maxItems: Int? = nil)
    /// `additional` false makes unknown members invalid (request bodies).
    case object([String: JSONSchema], required: [String] = [], additional: Bool = true, description: String? = nil)
    case ref(String)
    case nullable(JSONSchema)
    case any

    public static var uuid: JSONSchema { .string(format: "uuid") }
    public static var dateTime: JSONSchema { .string(format: "date-time") }
    public static var date: JSONSchema { .string(format: "date") }

    public var json: [String: Any] {
        switch self {
        case let .string(format, description, enumValues, maxLength, pattern):
            var out: [String: Any] = ["type": "string"]
            if let format { out["format"] = format }
            if let description { out["description"] = description }
            if let enumValues { out["enum"] = enumValues }
            if let maxLength { out["maxLength"] = maxLength }
            if let pattern { out["pattern"] = pattern }
            return out
        case let .integer(minimum, maximum, description):
            var out: [String: Any] = ["type": "integer"]
            if let minimum { out["minimum"] = minimum }
            if let maximum { out["maximum"] = maximum }
            if let description { out["description"] = description }
            return out
        case let .number(description):
            var out: [String: Any] = ["type": "number"]
            if let description { out["description"] = description }
            return out
        case let .boolean(description):
            var out: [String: Any] = ["type": "boolean"]
            if let description { out["description"] = description }
            return out
        case let .array(items, maxItems):
            var out: [String: Any] = ["type": "array", "items": items.json]
            if let maxItems { out["maxItems"] = maxItems }
            return out
        case let .object(properties, required, additional, description):
            var out: [String: Any] = ["type": "object", "properties": properties.mapValues { $0.json }]
            if !required.isEmpty { out["required"] = required.sorted() }
            if !additional { out["additionalProperties"] = false }
            if let description { out["description"] = description }
            return out
        case .ref(let name):
            return ["$ref": "#/components/schemas/\(name)"]
        case .nullable(let inner):
            return ["oneOf": [inner.json, ["type": "null"]]]
        case .any:
            return [:]
        }
    }
}

/// One documented API operation.
public struct APIOperation: Sendable {
    public enum ParameterLocation: String, Sendable { case path, query, header }
    public struct Parameter: Sendable {
        public var name: String
        public var location: ParameterLocation
        public var required: Bool
        public var schema: JSONSchema
        public var description: String
        public init(_ name: String, in location: ParameterLocation, required: Bool = false, schema: JSONSchema, description: String) {
            self.name = name; self.location = location; self.required = location == .path ? true : required
            self.schema = schema; self.description = description
        }
    }
    public struct ResponseSpec: Sendable {
        public var description: String
        public var contentType: String
        public var schema: JSONSchema?
        public init(_ description: String, contentType: String = "application/json", schema: JSONSchema?) {
            self.description = description; self.contentType = contentType; self.schema = schema
        }
    }

    public var method: String
    public var path: String
    public var operationID: String
    public var summary: String
    public var tag: String
    public var parameters: [Parameter]
    public var requestBody: JSONSchema?
    public var responses: [Int: ResponseSpec]
    /// Requires a bearer token.
    public var authenticated: Bool

    public init(method: String, path: String, operationID: String, summary: String, tag: String,
                parameters: [Parameter] = [], requestBody: JSONSchema? = nil,
                responses: [Int: ResponseSpec], authenticated: Bool) {
        self.method = method; self.path = path; self.operationID = operationID; self.summary = summary; self.tag = tag
        self.parameters = parameters; self.requestBody = requestBody; self.responses = responses; self.authenticated = authenticated
    }
}

/// Builds the OpenAPI 3.1 document from the registered operations.
public enum OpenAPIDocument {
    public static func build(operations: [APIOperation], schemas: [String: JSONSchema], version: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var operation: [String: Any] = [
                "operationId": op.operationID, "summary": op.summary, "tags": [op.tag],
            ]
            if !op.parameters.isEmpty {
                operation["parameters"] = op.parameters.map { p -> [String: Any] in
                    ["name": p.name, "in": p.location.rawValue, "required": p.required, "schema": p.schema.json, "description": p.description]
                }
            }
            if let body = op.requestBody {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body.json]]]
            }
            var responses: [String: Any] = [:]
            for (status, spec) in op.responses {
                var entry: [String: Any] = ["description": spec.description]
                if let schema = spec.schema { entry["content"] = [spec.contentType: ["schema": schema.json]] }
                responses["\(status)"] = entry
            }
            // Every operation can fail with a problem document (RFC 9457).
            responses["default"] = ["description": "Problem (RFC 9457)",
                                    "content": ["application/problem+json": ["schema": JSONSchema.ref("Problem").json]]]
            // Any request that carries a bearer token counts against the token's budget.
            responses["429"] = ["$ref": "#/components/responses/RateLimited"]
            operation["responses"] = responses
            operation["security"] = op.authenticated ? [["bearerAuth": [String]()]] : [[String: [String]]]()
            paths[op.path, default: [:]][op.method.lowercased()] = operation
        }
        var allSchemas = schemas
        allSchemas["Problem"] = problemSchema
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Shinrai API",
                "version": version,
                "description": "Public registries, filings and calculators of the Shinrai platform. Errors are RFC 9457 problem documents.",
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "schemas": allSchemas.mapValues { $0.json },
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]],
                "responses": ["RateLimited": rateLimitedResponse],
            ],
        ]
    }

    /// The 429 answer of `APIRateLimit`, shared by every operation.
    static var rateLimitedResponse: [String: Any] {
        func header(_ description: String) -> [String: Any] {
            ["description": description, "schema": JSONSchema.integer(minimum: 0).json]
        }
        return [
            "description": "The bearer token has sent its requests for this minute (problem type /problems/rate-limited)",
            "headers": [
                "Retry-After": header("Seconds until the window ends and the token may send again"),
                "RateLimit-Limit": header("Requests a token may send per window (one minute)"),
                "RateLimit-Remaining": header("Requests left in the current window"),
                "RateLimit-Reset": header("Seconds until the current window ends"),
            ],
            "content": ["application/problem+json": ["schema": JSONSchema.ref("Problem").json]],
        ]
    }

    static let problemSchema: JSONSchema = .object([
        "type": .string(), "title": .string(), "status": .integer(), "detail": .string(), "instance": .string(),
        "requestId": .string(),
        "errors": .array(.object(["pointer": .string(), "code": .string(), "detail": .string()], required: ["pointer", "code", "detail"])),
    ], required: ["type", "title", "status"])
}
