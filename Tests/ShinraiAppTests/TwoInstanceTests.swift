import AsyncHTTPClient
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SQLKit
import ShinraiKit
import ShinraiTestSupport
import Testing

/// Two `shinrai serve` processes on one PostgreSQL database (PostgreSQL pass only).
@Suite("Two instances, one PostgreSQL", .enabled(if: TestPlatform.postgresURL != nil))
struct TwoInstanceTests {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SHINRAI_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/shinrai").path
    }

    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let log: URL
        init(databaseURL: String, port: Int, demo: Bool, dataDirectory: String) throws {
            self.port = port
            log = URL(fileURLWithPath: dataDirectory + "/server-\(port).log")
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: TwoInstanceTests.binary)
            process.arguments = ["serve", "--database", databaseURL, "--port", "\(port)", "--data-dir", dataDirectory] + (demo ? ["--demo"] : [])
            var environment = ProcessInfo.processInfo.environment
            environment["SHINRAI_LOG_KEY"] = "database"
            environment["SHINRAI_SCHEDULER_TICK"] = "1"
            environment["SHINRAI_BCRYPT_COST"] = "4"
            environment["SHINRAI_LOG_LEVEL"] = "warning"
            process.environment = environment
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }
        var base: String { "http://127.0.0.1:\(port)" }
        func stop() {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }
    }

    /// Redirects are not followed: the test looks at them.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    static func request(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), response.headers, String(buffer: try await response.body.collect(upTo: 8 << 20)))
    }

    static func waitReady(_ server: Server) async throws {
        for _ in 0..<240 {
            if let reply = try? await request(.GET, server.base + "/readyz"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        let log = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
        Issue.record("server on \(server.port) did not become ready:\n\(log.suffix(2000))")
        throw CancellationError()
    }

    static func cookies(_ headers: HTTPHeaders) -> [String: String] {
        var jar: [String: String] = [:]
        for value in headers["set-cookie"] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { jar[String(pair[0])] = String(pair[1]) }
        }
        return jar
    }

    @Test("sessions are shared, concurrent public-record writes form one consistent log, a job runs once per due time")
    func twoInstances() async throws {
        let baseURL = try #require(TestPlatform.postgresURL)
        var logger = Logger(label: "two-instances")
        logger.logLevel = .critical
        let name = "shinrai_two_" + UUID().uuidString.prefix(8).lowercased()
        let admin = try DatabaseRuntime(location: .postgres(baseURL), logger: logger)
        _ = try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").all()
        var components = try #require(URLComponents(string: baseURL))
        components.path = "/" + name
        let url = try #require(components.string)
        let dataDirectory = NSTemporaryDirectory() + "shinrai-two-" + name
        let portA = Int.random(in: 20000..<30000), portB = Int.random(in: 30000..<40000)
        let a = try Server(databaseURL: url, port: portA, demo: true, dataDirectory: dataDirectory + "/a")
        var b: Server?
        let db = try DatabaseRuntime(location: .postgres(url), logger: logger)
        defer {
            a.stop(); b?.stop()
        }
        do {
            try await Self.waitReady(a)
            b = try Server(databaseURL: url, port: portB, demo: false, dataDirectory: dataDirectory + "/b")
            let b = b!
            try await Self.waitReady(b)

            // A session created on A is valid on B.
            let form = try await Self.request(.GET, a.base + "/login")
            var jar = Self.cookies(form.headers)
            let csrf = try #require(form.body.firstMatch(of: /name="_csrf" value="([^"]+)"/)).1
            let login = try await Self.request(.POST, a.base + "/login", headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")),
            ], body: URLQuery.build([("_csrf", String(csrf)), ("email", DemoAccounts.admin), ("password", DemoAccounts.password), ("next", "/account")]))
            #expect(login.status == 303)
            jar.merge(Self.cookies(login.headers)) { $1 }
            let onB = try await Self.request(.GET, b.base + "/account", headers: [("Cookie", jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))])
            #expect(onB.status == 200)
            #expect(onB.body.contains(DemoAccounts.admin))

            // Concurrent public-record writes through both instances.
            let tokenCreation = Process()
            tokenCreation.executableURL = URL(fileURLWithPath: Self.binary)
            tokenCreation.arguments = ["tokens", "create", DemoAccounts.admin, "--database", url, "--name", "two-instances"]
            let pipe = Pipe()
            tokenCreation.standardOutput = pipe
            try tokenCreation.run()
            tokenCreation.waitUntilExit()
            let token = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").last.map(String.init) ?? ""
            #expect(token.hasPrefix("shr_"))
            let writes = 24
            // The demo data of every module is already logged; count from there.
            let before = try await LogVerifier.verify(LogVerifier.Remote(baseURL: a.base)).size
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<writes {
                    let base = String(format: "0104019%05d", n + 100)
                    let number = "\(CorporateNumber.checkDigit(for: base))\(base)"
                    let server = n % 2 == 0 ? a : b
                    group.addTask {
                        try await Self.request(.POST, server.base + "/api/v1/organisations",
                                               headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                               body: #"{"name":"並行登録\#(n)","kind":"company","corporateNumber":"\#(number)"}"#).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            let reportA = try await LogVerifier.verify(LogVerifier.Remote(baseURL: a.base))
            let reportB = try await LogVerifier.verify(LogVerifier.Remote(baseURL: b.base))
            #expect(reportA.ok, "\(reportA.problems)")
            #expect(reportB.ok, "\(reportB.problems)")
            #expect(reportA.size == before + Int64(writes))
            #expect(reportA.root == reportB.root)
            let indexes = try await db.sql.raw("SELECT idx FROM log_entries ORDER BY idx").all().map { try $0.decode(column: "idx", as: Int64.self) }
            #expect(indexes == Array(0..<(before + Int64(writes))), "no gaps, no duplicates")

            // The webhook delivery job (every 30 s) runs once per due time, not once per instance.
            var runs: [(String, Date)] = []
            for _ in 0..<90 {
                runs = try await db.sql.raw("SELECT instance, due_at FROM job_runs WHERE name = 'webhooks.deliver'").all().map {
                    (try $0.decode(column: "instance", as: String.self), try $0.decode(column: "due_at", as: Date.self))
                }
                if !runs.isEmpty { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            try await Task.sleep(for: .seconds(3))
            runs = try await db.sql.raw("SELECT instance, due_at FROM job_runs WHERE name = 'webhooks.deliver'").all().map {
                (try $0.decode(column: "instance", as: String.self), try $0.decode(column: "due_at", as: Date.self))
            }
            #expect(!runs.isEmpty)
            let perDueTime = Dictionary(grouping: runs, by: { $0.1 }).mapValues(\.count)
            #expect(perDueTime.values.allSatisfy { $0 == 1 }, "\(perDueTime)")
        } catch {
            a.stop(); b?.stop()
            await db.shutdown()
            _ = try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").all()
            await admin.shutdown()
            throw error
        }
        a.stop(); b?.stop()
        await db.shutdown()
        _ = try await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").all()
        await admin.shutdown()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
