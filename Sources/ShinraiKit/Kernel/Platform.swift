import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Builds the whole server from the kernel and the domain modules.
public final class Platform: @unchecked Sendable {
    public let services: Services
    public let routes: Routes
    public let modules: [any ShinraiModule]
    public let scheduler: Scheduler
    public static let version = "0.1.0"

    public init(config: ShinraiConfig, modules domainModules: [any ShinraiModule], logger: Logger = Logger(label: "shinrai"),
                clock: Clock = Clock(), postgresSearchPath: [String]? = nil) throws {
        let modules: [any ShinraiModule] = [KernelModule(modules: domainModules)] + domainModules
        self.modules = modules
        let database = try DatabaseRuntime(location: try DatabaseLocation(config.databaseURL), postgresSearchPath: postgresSearchPath,
                                           postgresConnectionsPerLoop: config.postgresConnectionsPerLoop, logger: logger)
        let directories = modules.compactMap(\.resourceDirectory)
        let views = try Views.load(templateDirectories: directories.map { $0.appendingPathComponent("templates") },
                                   localeDirectories: directories.map { $0.appendingPathComponent("locales") })
        let services = Services(config: config, database: database, views: views, metrics: PrometheusCollectorRegistry(), logger: logger, clock: clock)
        self.services = services
        let router = Router(context: AppContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: IdentityMiddleware(services: services))
        router.add(middleware: ErrorMiddleware(services: services))
        router.add(middleware: CSRFMiddleware(limit: config.maxBodyBytes, uploadLimit: config.maxUploadBytes))
        routes = Routes(router: router)
        scheduler = Scheduler(services: services, jobs: modules.flatMap { $0.jobs(services: services) }, tick: .seconds(config.schedulerTick))
        OperationsRoutes(services: services).register(routes)
        for module in modules { module.routes(routes, services: services) }
        // The document describes every operation, its own route included, so it is rendered
        // once after all routes are registered.
        let document = RenderedDocument()
        routes.api(.init(method: "GET", path: "/api/v1/openapi.json", operationID: "getOpenAPI", summary: "This OpenAPI 3.1 document",
                         tag: "platform", responses: [200: .init("OpenAPI document", schema: .object([:]))], authenticated: false)) { request, _ in
            API.cacheable(document.data, contentType: "application/json; charset=utf-8", request: request)
        }
        document.data = (try? JSONSerialization.data(withJSONObject: routes.openAPIDocument(version: Self.version),
                                                     options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    public var router: Router<AppContext> { routes.router }

    /// The full document including the document's own route.
    public var openAPIDocument: [String: Any] { routes.openAPIDocument(version: Self.version) }

    public func migrate() async throws {
        try await services.database.migrate(modules.flatMap(\.migrations))
    }

    public func loadDemo() async throws {
        for module in modules { try await module.loadDemo(services: services) }
    }

    public func application(host: String, port: Int) -> some ApplicationProtocol {
        // The server stops first on shutdown, then the scheduler, then the database pools.
        Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "shinrai"),
                    services: [services.database] + (services.config.runJobs ? [scheduler as any Service] : []), logger: services.logger)
    }

    public func shutdown() async { await services.database.shutdown() }
}

/// /healthz, /readyz, /metrics and static assets.
struct OperationsRoutes {
    let services: Services

    func register(_ routes: Routes) {
        routes.get("/healthz") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        routes.get("/readyz") { _, _ in
            let ready = await services.database.ping()
            return Response(status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unavailable\n")))
        }
        routes.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.emitToBuffer())))
        }
        let staticDir = Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent("static")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: staticDir.path)) ?? []
        for file in files {
            guard let data = FileManager.default.contents(atPath: staticDir.appendingPathComponent(file).path) else { continue }
            let type = file.hasSuffix(".css") ? "text/css; charset=utf-8" : file.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
            routes.get("/static/\(file)") { request, _ in API.cacheable(data, contentType: type, request: request) }
        }
    }
}

/// Written once during start-up, read by the document route afterwards.
final class RenderedDocument: @unchecked Sendable {
    var data = Data()
}
