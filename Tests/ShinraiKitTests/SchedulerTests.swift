import FluentKit
import Foundation
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    func increment() { lock.lock(); value += 1; lock.unlock() }
}

@Suite("Scheduled jobs")
struct SchedulerTests {
    @Test("daily schedules are in Japan time; interval schedules align to the interval")
    func schedules() {
        // 2026-11-26T15:04:00Z is 2026-11-27 00:04 JST.
        let before = Date(timeIntervalSince1970: 1_795_705_440)
        let next = JobSchedule.daily(hour: 0, minute: 5).next(after: before)
        #expect(ISO8601Timestamp.format(next) == "2026-11-26T15:05:00Z")
        let after = JobSchedule.daily(hour: 0, minute: 5).next(after: next)
        #expect(after.timeIntervalSince(next) == 86400)
        #expect(JobSchedule.every(seconds: 30).next(after: Date(timeIntervalSince1970: 95)) == Date(timeIntervalSince1970: 120))
    }

    @Test("two schedulers on one database run a due job once; it runs again at the next due time")
    func exactlyOnce() async throws {
        let clock = Clock(fixed: Date(timeIntervalSince1970: 1_795_705_440))
        try await TestPlatform.with(demo: false, clock: clock) { platform in
            let counter = Counter()
            let job = ScheduledJob(name: "test.count", schedule: .every(seconds: 60)) { _ in counter.increment(); return "counted" }
            let a = Scheduler(services: platform.services, jobs: [job], instance: "a")
            let b = Scheduler(services: platform.services, jobs: [job], instance: "b")
            try await a.ensureSchedules()
            try await b.ensureSchedules()
            #expect(try await a.runDue().isEmpty, "not due yet")
            clock.advance(by: 60)
            async let ranA = a.runDue()
            async let ranB = b.runDue()
            let total = try await ranA.count + ranB.count
            #expect(total == 1)
            #expect(counter.count == 1)
            let againA = try await a.runDue()
            let againB = try await b.runDue()
            #expect(againA.isEmpty && againB.isEmpty)
            clock.advance(by: 60)
            _ = try await b.runDue()
            #expect(counter.count == 2)
            let runs = try await JobRun.query(on: platform.services.db).filter(\.$name == "test.count").all()
            #expect(runs.count == 2)
            #expect(runs.allSatisfy { $0.outcome == "success" })
        }
    }

    @Test("a crashed run's lease expires and another instance retries the same due time")
    func leaseExpiry() async throws {
        let clock = Clock(fixed: Date(timeIntervalSince1970: 1_795_705_440))
        try await TestPlatform.with(demo: false, clock: clock) { platform in
            let counter = Counter()
            let job = ScheduledJob(name: "test.retry", schedule: .every(seconds: 60)) { _ in counter.increment(); return "ok" }
            let crashed = Scheduler(services: platform.services, jobs: [job], instance: "crashed", leaseSeconds: 300)
            let healthy = Scheduler(services: platform.services, jobs: [job], instance: "healthy", leaseSeconds: 300)
            try await crashed.ensureSchedules()
            clock.advance(by: 60)
            let record = try #require(try await JobScheduleRecord.query(on: platform.services.db).filter(\.$name == "test.retry").first())
            // The crashed instance claimed the due time and never finished.
            #expect(try await crashed.claim("test.retry", dueAt: record.nextDueAt, now: platform.services.now))
            #expect(try await healthy.runDue().isEmpty, "lease still held")
            clock.advance(by: 301)
            #expect(try await healthy.runDue() == ["test.retry"])
            #expect(counter.count == 1)
        }
    }

    @Test("a failing job is recorded and retried")
    func failure() async throws {
        let clock = Clock(fixed: Date(timeIntervalSince1970: 1_795_705_440))
        try await TestPlatform.with(demo: false, clock: clock) { platform in
            struct Boom: Error {}
            let counter = Counter()
            let job = ScheduledJob(name: "test.fail", schedule: .every(seconds: 3600)) { _ in
                counter.increment()
                if counter.count == 1 { throw Boom() }
                return "second time lucky"
            }
            let scheduler = Scheduler(services: platform.services, jobs: [job], instance: "x")
            try await scheduler.ensureSchedules()
            clock.advance(by: 3600)
            _ = try await scheduler.runDue()
            #expect(try await scheduler.runDue().isEmpty, "backs off after a failure")
            clock.advance(by: 61)
            _ = try await scheduler.runDue()
            let runs = try await JobRun.query(on: platform.services.db).sort(\.$startedAt).all()
            #expect(runs.map(\.outcome) == ["failure", "success"])
        }
    }
}
