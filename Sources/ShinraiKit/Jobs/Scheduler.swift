import FluentKit
import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// When a job is due. Daily times are in Asia/Tokyo, because the legal days are Japanese days.
public enum JobSchedule: Sendable, Equatable {
    case daily(hour: Int, minute: Int)
    case every(seconds: Int)

    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// The first due time strictly after `instant`.
    public func next(after instant: Date) -> Date {
        switch self {
        case .every(let seconds):
            let step = Double(seconds)
            return Date(timeIntervalSince1970: (floor(instant.timeIntervalSince1970 / step) + 1) * step)
        case let .daily(hour, minute):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = Self.tokyo
            var parts = calendar.dateComponents([.year, .month, .day], from: instant)
            parts.hour = hour; parts.minute = minute; parts.second = 0
            let today = calendar.date(from: parts)!
            return today > instant ? today : calendar.date(byAdding: .day, value: 1, to: today)!
        }
    }

    public var description: String {
        switch self {
        case let .daily(hour, minute): return String(format: "daily %02d:%02d JST", hour, minute)
        case .every(let seconds): return "every \(seconds)s"
        }
    }
}

/// A unit of scheduled work registered by a module. `run` returns a one-line outcome.
public struct ScheduledJob: Sendable {
    public let name: String
    public let schedule: JobSchedule
    public let run: @Sendable (JobContext) async throws -> String
    public init(name: String, schedule: JobSchedule, run: @escaping @Sendable (JobContext) async throws -> String) {
        self.name = name; self.schedule = schedule; self.run = run
    }
}

public struct JobContext: Sendable {
    public let services: Services
    /// The due time being served (not the wall clock): a job that catches up after downtime
    /// computes with the time it was meant to run.
    public let dueAt: Date
    public let logger: Logger
}

public final class JobScheduleRecord: Model, @unchecked Sendable {
    public static let schema = "job_schedules"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "next_due_at") public var nextDueAt: Date
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_until") public var leaseUntil: Date?
    public init() {}
}

public final class JobRun: Model, @unchecked Sendable {
    public static let schema = "job_runs"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "due_at") public var dueAt: Date
    @Field(key: "instance") public var instance: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    @Field(key: "outcome") public var outcome: String
    @Field(key: "message") public var message: String
    public init() {}
}

/// Runs due jobs exactly once per due time across every instance sharing the database: an
/// instance claims a due time with a conditional UPDATE on the schedule row (a lease), and a
/// crashed run is retried by whoever sees the lease expired.
public final class Scheduler: Service, @unchecked Sendable {
    public let services: Services
    public let jobs: [ScheduledJob]
    public let instance: String
    public let leaseSeconds: TimeInterval
    public let tick: Duration

    public init(services: Services, jobs: [ScheduledJob], instance: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))",
                leaseSeconds: TimeInterval = 600, tick: Duration = .seconds(15)) {
        self.services = services; self.jobs = jobs; self.instance = instance; self.leaseSeconds = leaseSeconds; self.tick = tick
    }

    public func run() async throws {
        try await ensureSchedules()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { _ = try await runDue() } catch { services.logger.error("scheduler: \(String(reflecting: error))") }
            // Wakes at once on SIGTERM instead of finishing the nap.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.tick) }
        }
    }

    /// Creates missing schedule rows (first due time after now).
    public func ensureSchedules() async throws {
        let now = services.now
        for job in jobs {
            if try await JobScheduleRecord.query(on: services.db).filter(\.$name == job.name).first() == nil {
                let record = JobScheduleRecord()
                record.name = job.name
                record.nextDueAt = job.schedule.next(after: now)
                do { try await record.create(on: services.db) } catch {
                    // Another instance created it first (unique name): fine.
                }
            }
        }
    }

    /// Runs every job whose due time has come and that this instance could claim; returns the
    /// names that ran.
    @discardableResult
    public func runDue() async throws -> [String] {
        var ran: [String] = []
        for job in jobs {
            let now = services.now
            guard let record = try await JobScheduleRecord.query(on: services.db).filter(\.$name == job.name).first(),
                  record.nextDueAt <= now, (record.leaseUntil.map { $0 < now } ?? true) else { continue }
            guard try await claim(job.name, dueAt: record.nextDueAt, now: now) else { continue }
            let succeeded = await execute(job, dueAt: record.nextDueAt, manual: false)
            try await release(job, dueAt: record.nextDueAt, succeeded: succeeded)
            ran.append(job.name)
        }
        return ran
    }

    func claim(_ name: String, dueAt: Date, now: Date) async throws -> Bool {
        let rows = try await services.sql.update(JobScheduleRecord.schema)
            .set("lease_owner", to: instance)
            .set("lease_until", to: now.addingTimeInterval(leaseSeconds))
            .where("name", .equal, name)
            .where("next_due_at", .equal, dueAt)
            .where { $0.where("lease_until", .is, SQLLiteral.null).orWhere("lease_until", .lessThan, now) }
            .returning("name")
            .all()
        return rows.count == 1
    }

    func release(_ job: ScheduledJob, dueAt: Date, succeeded: Bool) async throws {
        let now = services.now
        var update = services.sql.update(JobScheduleRecord.schema)
        if succeeded {
            // Skip due times missed while down: one catch-up run serves them all.
            var next = job.schedule.next(after: dueAt)
            if next <= now { next = job.schedule.next(after: now) }
            update = update.set("next_due_at", to: next).set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
        } else {
            // Failed: keep the due time, retry after a minute.
            update = update.set("lease_owner", to: SQLLiteral.null).set("lease_until", to: now.addingTimeInterval(60))
        }
        try await update.where("name", .equal, job.name).where("lease_owner", .equal, instance).run()
    }

    /// Runs a job and records the run; returns whether it succeeded.
    @discardableResult
    public func execute(_ job: ScheduledJob, dueAt: Date, manual: Bool) async -> Bool {
        let run = JobRun()
        run.name = job.name
        run.dueAt = dueAt
        run.instance = manual ? "manual:\(instance)" : instance
        run.startedAt = services.now
        run.outcome = "running"
        run.message = ""
        try? await run.create(on: services.db)
        var logger = services.logger
        logger[metadataKey: "job"] = .string(job.name)
        let succeeded: Bool
        do {
            run.message = try await job.run(JobContext(services: services, dueAt: dueAt, logger: logger))
            run.outcome = "success"
            succeeded = true
        } catch {
            run.message = String(describing: error).prefix(500).description
            run.outcome = "failure"
            logger.error("job failed: \(String(reflecting: error))")
            succeeded = false
        }
        run.finishedAt = services.now
        try? await run.save(on: services.db)
        return succeeded
    }

    /// `shinrai jobs run NAME`.
    public func runByHand(_ name: String) async throws -> JobRun? {
        guard let job = jobs.first(where: { $0.name == name }) else { return nil }
        await execute(job, dueAt: services.now, manual: true)
        return try await JobRun.query(on: services.db).filter(\.$name == name).sort(\.$startedAt, .descending).first()
    }
}
