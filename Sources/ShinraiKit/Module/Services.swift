import FluentKit
import Foundation
import HummingbirdBcrypt
import Logging
import NIOPosix
import Prometheus
import SQLKit

/// Shared services handed to every module.
public struct Services: Sendable {
    public let config: ShinraiConfig
    public let database: DatabaseRuntime
    public let views: Views
    public let passwords: PasswordHasher
    public let metrics: PrometheusCollectorRegistry
    public let logger: Logger
    /// Current time; tests move it.
    public let clock: Clock
    /// Signs transparency-log checkpoints.
    public let logSigning: LogSigning

    public init(config: ShinraiConfig, database: DatabaseRuntime, views: Views, metrics: PrometheusCollectorRegistry,
                logger: Logger, clock: Clock = Clock()) {
        self.config = config; self.database = database; self.views = views; self.metrics = metrics
        self.logger = logger; self.clock = clock
        self.passwords = PasswordHasher(cost: config.bcryptCost, threadPool: database.threadPool)
        self.logSigning = LogSigning(origin: config.logOrigin, storage: config.logKeyStorage)
    }

    public var db: any Database { database.db }
    public var sql: any SQLDatabase { database.sql }
    public var now: Date { clock.now }
}

/// Wall-clock time, or a fixed/moving time in tests.
public final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    private var fixed: Date?
    public init(fixed: Date? = nil) { self.fixed = fixed }
    public var now: Date {
        lock.lock(); defer { lock.unlock() }
        return (fixed ?? Date()).addingTimeInterval(offset)
    }
    public func advance(by seconds: TimeInterval) { lock.lock(); offset += seconds; lock.unlock() }
    public func set(_ date: Date) { lock.lock(); fixed = date; offset = 0; lock.unlock() }
}

/// Bcrypt on the thread pool: hashing is slow by design and must not block an event loop.
public struct PasswordHasher: Sendable {
    public let cost: Int
    let threadPool: NIOThreadPool

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await threadPool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the same time as a real check, for addresses that have no account, so response
    /// times do not reveal which addresses exist.
    public func verifyAgainstDummy(_ password: String) async throws {
        let dummy = try await DummyHash.shared.value(cost: cost) { try await hash(AccountService.randomToken()) }
        _ = try await verify(password, hash: dummy)
    }
}

final class DummyHash: @unchecked Sendable {
    static let shared = DummyHash()
    private let lock = NSLock()
    private var hashes: [Int: String] = [:]
    func value(cost: Int, make: () async throws -> String) async throws -> String {
        if let hash = lock.withLock({ hashes[cost] }) { return hash }
        let hash = try await make()
        lock.withLock { hashes[cost] = hash }
        return hash
    }
}
