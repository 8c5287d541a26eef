import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShinraiKit

/// A platform on a throwaway database: a temporary SQLite file by default, or a fresh schema
/// in the PostgreSQL server named by `SHINRAI_TEST_DATABASE_URL`.
public enum TestPlatform {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SHINRAI_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func config(databaseURL: String) -> ShinraiConfig {
        var config = ShinraiConfig.defaults
        config.databaseURL = databaseURL
        config.bcryptCost = 4
        config.dataDirectory = NSTemporaryDirectory() + "shinrai-test-" + UUID().uuidString
        config.runJobs = false
        // Tests run in parallel against one server: keep each platform's pool small.
        config.postgresConnectionsPerLoop = 1
        return config
    }

    /// Runs `body` with a migrated platform (and demo accounts when `demo` is true), then
    /// drops the database.
    public static func with<T>(modules: [any ShinraiModule] = [], demo: Bool = true, clock: Clock = Clock(),
                               configure: (inout ShinraiConfig) -> Void = { _ in },
                               _ body: (Platform) async throws -> T) async throws -> T {
        var logger = Logger(label: "shinrai-test")
        logger.logLevel = .critical
        var cleanup: () async throws -> Void = {}
        var config: ShinraiConfig
        var searchPath: [String]?
        if let url = postgresURL {
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try DatabaseRuntime(location: .postgres(url), postgresConnectionsPerLoop: 1, logger: logger)
            _ = try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").all()
            await admin.shutdown()
            config = Self.config(databaseURL: url)
            searchPath = [schema, "public"]
            cleanup = {
                let admin = try DatabaseRuntime(location: .postgres(url), postgresConnectionsPerLoop: 1, logger: logger)
                _ = try? await admin.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").all()
                await admin.shutdown()
            }
        } else {
            let file = NSTemporaryDirectory() + "shinrai-test-\(UUID().uuidString).sqlite"
            config = Self.config(databaseURL: "sqlite:\(file)")
            cleanup = {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            }
        }
        configure(&config)
        let platform = try Platform(config: config, modules: modules, logger: logger, clock: clock, postgresSearchPath: searchPath)
        do {
            try await platform.migrate()
            if demo { try await DemoAccounts.load(services: platform.services) }
            let result = try await body(platform)
            await platform.shutdown()
            try await cleanup()
            try? FileManager.default.removeItem(atPath: config.dataDirectory)
            return result
        } catch {
            await platform.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// `with` plus an in-process HTTP client (`app.test(.router)`).
    public static func withClient<T: Sendable>(modules: [any ShinraiModule] = [], demo: Bool = true, clock: Clock = Clock(),
                                               _ body: @escaping @Sendable (Platform, any TestClientProtocol) async throws -> T) async throws -> T {
        try await with(modules: modules, demo: demo, clock: clock) { platform in
            let app = Application(router: platform.router, logger: platform.services.logger)
            return try await app.test(.router) { client in try await body(platform, client) }
        }
    }
}

/// A browser: keeps cookies, reads the CSRF token from pages, posts forms.
public struct Browser: Sendable {
    public let client: any TestClientProtocol
    public private(set) var cookies: [String: String] = [:]
    public private(set) var csrf: String = ""

    public init(_ client: any TestClientProtocol) { self.client = client }

    public struct Page: Sendable {
        public let status: HTTPResponse.Status
        public let headers: HTTPFields
        public let body: String
        public var location: String? { headers[.location] }
    }

    mutating func absorb(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = String(pair[1])
            if value.isEmpty { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = value }
        }
        let body = String(buffer: response.body)
        if let range = body.range(of: "name=\"_csrf\" value=\"") {
            csrf = String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    var cookieHeader: HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return headers
    }

    @discardableResult
    public mutating func get(_ path: String) async throws -> Page {
        let response = try await client.execute(uri: path, method: .get, headers: cookieHeader, body: nil)
        absorb(response)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Posts a form; `_csrf` is added from the last page unless `csrf` overrides it.
    @discardableResult
    public mutating func post(_ path: String, _ fields: [(String, String)], csrf override: String? = nil) async throws -> Page {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = URLQuery.build([("_csrf", override ?? csrf)] + fields)
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        absorb(response)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Posts a `multipart/form-data` form as a browser does when a form sends files;
    /// each file is (field name, file name, content type, bytes).
    @discardableResult
    public mutating func upload(_ path: String, _ fields: [(String, String)], files: [(String, String, String, Data)],
                                csrf override: String? = nil) async throws -> Page {
        let boundary = "----ShinraiFormBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        func add(_ text: String) { body.append(Data(text.utf8)) }
        for (name, value) in [("_csrf", override ?? csrf)] + fields {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, filename, type, data) in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n")
            body.append(data)
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        var headers = cookieHeader
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        absorb(response)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    public mutating func signIn(_ email: String, password: String = DemoAccounts.password) async throws -> Page {
        try await get("/login")
        return try await post("/login", [("email", email), ("password", password), ("next", "/")])
    }
}

/// JSON API calls with an optional bearer token.
public struct APIClient: Sendable {
    public let client: any TestClientProtocol
    public var token: String?

    public init(_ client: any TestClientProtocol, token: String? = nil) { self.client = client; self.token = token }

    public struct Reply: Sendable {
        public let status: HTTPResponse.Status
        public let headers: HTTPFields
        public let body: ByteBuffer
        public var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) }
        public var object: [String: Any] { json as? [String: Any] ?? [:] }
        public var text: String { String(buffer: body) }
        public var isProblem: Bool { headers[.contentType]?.hasPrefix("application/problem+json") ?? false }
    }

    public func call(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    public func get(_ path: String) async throws -> Reply { try await call(.get, path) }
    public func post(_ path: String, _ json: String) async throws -> Reply { try await call(.post, path, json: json) }
}

extension Platform {
    /// Issues an API token for a demo or test account.
    public func token(for email: String) async throws -> String {
        guard let account = try await Account.query(on: services.db).filter(\.$email == email).first() else {
            throw Problem.notFound
        }
        return try await AccountService(services).createToken(for: account.id!, name: "test", actor: .system("test")).token
    }

    public func count<M: Model>(_ model: M.Type) async throws -> Int { try await M.query(on: services.db).count() }
}
