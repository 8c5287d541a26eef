import FluentKit
import Foundation
import ShinraiKit

/// Reminders before each deadline (72, 24 and 6 hours before, when the clock is longer than that)
/// and once when a deadline has passed. Each mark is sent once per obligation.
enum DeadlineReminders {
    static let marks: [(name: String, seconds: TimeInterval)] = [("72h", 72 * 3600), ("24h", 24 * 3600), ("6h", 6 * 3600)]

    static func job(services: Services) -> ScheduledJob {
        ScheduledJob(name: "disclosure.deadline-reminders", schedule: .every(seconds: 3600)) { context in
            try await run(services: context.services)
        }
    }

    @discardableResult
    static func run(services: Services) async throws -> String {
        let incidents = IncidentService(services: services)
        let now = services.now
        var sent = 0, overdue = 0
        for incident in try await incidents.candidatesForClocks() {
            let snapshot = try await incidents.snapshot(incident)
            let already = Set(try await ReminderSent.query(on: services.db).filter(\.$incidentID == incident.id!).all().map { "\($0.obligationKey)|\($0.threshold)" })
            for obligation in snapshot.obligations where obligation.status == .open || obligation.status == .overdue {
                var due: [String] = []
                var announce: String?
                if obligation.status == .overdue {
                    if !already.contains("\(obligation.key)|overdue") { due = ["overdue"]; announce = "overdue" }
                } else {
                    let total = obligation.deadline.due.timeIntervalSince(obligation.trigger)
                    let remaining = obligation.deadline.remaining(at: now)
                    let reached = marks.filter { $0.seconds < total && remaining <= $0.seconds }.map(\.name)
                    let fresh = reached.filter { !already.contains("\(obligation.key)|\($0)") }
                    if let urgent = reached.last, fresh.contains(urgent) { announce = urgent }
                    due = fresh
                }
                guard !due.isEmpty else { continue }
                let marksToRecord = due, message = announce
                try await services.db.transaction { db in
                    for mark in marksToRecord {
                        let record = ReminderSent()
                        record.incidentID = incident.id!
                        record.obligationKey = obligation.key
                        record.threshold = mark
                        record.sentAt = now
                        try await record.create(on: db)
                    }
                    guard let announce = message else { return }
                    let name = obligation.rule.nameJa + (obligation.version.map { $0 > 1 ? "（第\($0)版）" : "" } ?? "")
                    let nameEn = obligation.rule.nameEn + (obligation.version.map { $0 > 1 ? " (version \($0))" : "" } ?? "")
                    let label = "\(snapshot.company.securitiesCode) \(incident.number ?? incident.title)"
                    let dueText = JapaneseDate.dateTime(obligation.deadline.due, language: .ja)
                    let subject = announce == "overdue"
                        ? "期限超過: \(name) / Overdue: \(nameEn) — \(label)"
                        : "期限が近づいています（\(dueText)）: \(name) / Deadline approaching: \(nameEn) — \(label)"
                    let body = "\(incident.title)\n期限 / Due: \(JapanTime.iso8601(obligation.deadline.due))"
                    let link = "/disclosure/incidents/\(incident.publicID)"
                    try await Notifications.enqueue(on: db, to: .organisation(incident.organisationID), kind: "disclosure.deadline.\(announce)",
                                                    subject: subject, body: body, link: link, at: now)
                    if announce == "overdue" {
                        try await Notifications.enqueue(on: db, to: .reviewers, kind: "disclosure.deadline.overdue", subject: subject, body: body, link: link, at: now)
                    }
                }
                if announce == "overdue" { overdue += 1 } else if announce != nil { sent += 1 }
            }
        }
        return "reminders sent \(sent), overdue notices \(overdue)"
    }
}
