import Foundation
import HTTPTypes
import Hummingbird

public typealias Handler = @Sendable (Request, AppContext) async throws -> Response

/// The only way modules register routes: web routes are recorded, API routes must carry
/// their OpenAPI operation, so the published document cannot drift from the router.
public final class Routes: @unchecked Sendable {
    public let router: Router<AppContext>
    public private(set) var operations: [APIOperation] = []
    public private(set) var schemas: [String: JSONSchema] = [:]
    public private(set) var webRoutes: [(method: HTTPRequest.Method, path: String)] = []

    public init(router: Router<AppContext>) { self.router = router }

    /// A browser route (HTML, CSV, Atom, static files). `path` uses `{name}` parameters.
    public func web(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        webRoutes.append((method, path))
        router.on(RouterPath(Self.hummingbirdPath(path)), method: method) { request, context in
            try await handler(request, context)
        }
    }

    public func get(_ path: String, _ handler: @escaping Handler) { web(.get, path, handler) }
    public func post(_ path: String, _ handler: @escaping Handler) { web(.post, path, handler) }

    /// A JSON API route documented by `operation`.
    public func api(_ operation: APIOperation, _ handler: @escaping Handler) {
        precondition(operation.path.hasPrefix("/api/v1/"), "API paths live under /api/v1/")
        precondition(!operations.contains { $0.operationID == operation.operationID }, "duplicate operationId \(operation.operationID)")
        operations.append(operation)
        let method = HTTPRequest.Method(operation.method.uppercased())!
        router.on(RouterPath(Self.hummingbirdPath(operation.path)), method: method) { request, context in
            try await handler(request, context)
        }
    }

    /// A named schema for `#/components/schemas/<name>`.
    public func schema(_ name: String, _ schema: JSONSchema) {
        schemas[name] = schema
    }

    static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            if segment.hasPrefix("{") && segment.hasSuffix("}") { return ":" + segment.dropFirst().dropLast() }
            return String(segment)
        }.joined(separator: "/")
    }

    public func openAPIDocument(version: String) -> [String: Any] {
        OpenAPIDocument.build(operations: operations, schemas: schemas, version: version)
    }
}
