import FluentKit
import Foundation
import ShinraiKit

/// Cloud service assurance (seed §2.1–2.5): the ISMAP, ISMAP-LIU, ISMAP-Ready and Fast Track
/// lists, their workflows, control catalogues with the §2.1 metadata, crosswalks and the
/// audit-scope calculator, the applicability checker and market statistics.
public struct CloudAssuranceModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "cloudassurance" }
    public var migrations: [any Migration] { CloudV1.all }
    public var operationalSections: Set<String> { ["2.1", "2.2", "2.3", "2.4", "2.5"] }
    public var entryPoints: [String: String] {
        ["2.1": "/cloud/catalogues", "2.2": "/cloud/lists/liu", "2.3": "/cloud/lists/ready", "2.4": "/cloud/lists/fast-track", "2.5": "/cloud/audit-scope"]
    }

    public func routes(_ routes: Routes, services: Services) {
        CloudWeb(services: services).register(routes)
        CloudAPI(services: services).register(routes)
    }

    public func jobs(services: Services) -> [ScheduledJob] {
        [
            // After midnight in Japan: a status whose last day was yesterday ends now.
            ScheduledJob(name: "cloud.fast-track.expiry", schedule: .daily(hour: 0, minute: 5)) { context in
                try await FastTrackDesk(services: context.services).runDaily(today: JapanTime.date(of: context.dueAt))
            },
            ScheduledJob(name: "cloud.ready.reports", schedule: .daily(hour: 0, minute: 5)) { context in
                try await ReadyDesk(services: context.services).runDaily(today: JapanTime.date(of: context.dueAt))
            },
            ScheduledJob(name: "cloud.snapshot", schedule: .daily(hour: 0, minute: 10)) { context in
                let today = JapanTime.date(of: context.dueAt)
                try await CertificateExpiry(services: context.services).refresh(today: today)
                let snapshot = try await SnapshotDesk(services: context.services).store(date: today)
                return "snapshot \(snapshot.date): \(snapshot.entryCount) entries, sha256 \(snapshot.sha256.prefix(16))…"
            },
        ]
    }

    public func loadDemo(services: Services) async throws {
        try await CloudDemo(services: services).load()
    }
}

/// Certifications that ended yesterday drop out of the list filters.
struct CertificateExpiry {
    let services: Services
    func refresh(today: LocalDate) async throws {
        let ended = try await CertificationRecord.query(on: services.db).filter(\.$validUntil == today.previous.iso).all()
        for serviceID in Set(ended.map(\.serviceID)) {
            guard let service = try await CloudServiceRecord.find(serviceID, on: services.db) else { continue }
            try await services.db.transaction { db in try await ListIndex.refresh(service: service, on: db, at: services.now) }
        }
    }
}
