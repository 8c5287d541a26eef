import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import ServiceLifecycle

/// Owns FluentKit's `Databases` (thread pool + event loop group), runs migrations and shuts
/// down through the service lifecycle.
public final class DatabaseRuntime: Service, @unchecked Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    public let threadPool: NIOThreadPool
    public let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    /// SQLite allows one writer; pinning every query to one event loop gives one connection and
    /// serialises writes instead of failing with SQLITE_BUSY.
    private let pinnedLoop: (any EventLoop)?
    private let shutdownOnce = ShutdownFlag()

    public init(location: DatabaseLocation, postgresSearchPath: [String]? = nil, postgresConnectionsPerLoop: Int = 4, logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.location = location
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        self.databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        switch location {
        case .sqliteFile(let path):
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            pinnedLoop = eventLoopGroup.next()
        case .sqliteMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
            pinnedLoop = eventLoopGroup.next()
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = postgresSearchPath
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: postgresConnectionsPerLoop, sqlLogLevel: .trace), as: .psql)
            pinnedLoop = nil
        }
    }

    /// A database handle for one unit of work.
    public var db: any Database {
        databases.database(logger: logger, on: pinnedLoop ?? eventLoopGroup.any())!
    }

    public var sql: any SQLDatabase { db as! any SQLDatabase }

    public var isPostgres: Bool { location.isPostgres }

    public func migrate(_ migrationList: [any Migration]) async throws {
        let migrations = Migrations()
        migrations.add(migrationList)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: pinnedLoop ?? eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        if case .sqliteFile = location {
            // WAL lets public reads proceed while a write is in progress.
            _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
        }
    }

    /// True when a trivial query succeeds (used by /readyz).
    public func ping() async -> Bool {
        do { _ = try await sql.raw("SELECT 1 AS ok").all(); return true } catch { return false }
    }

    public func run() async throws {
        // Waits for graceful shutdown, then closes pools; the HTTP server stops first.
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        guard shutdownOnce.claim() else { return }
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }
}

final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func claim() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
