import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Public record numbers: `CS-2026-0001`, `RDY-2026-0007`, `FT-2026-0003`, `ISMAP-2026-0001`, `LIU-2026-0002`.
enum Numbering {
    static func next(_ prefix: String, today: LocalDate, on db: any Database) async throws -> String {
        let value = try await counter("\(prefix)-\(today.year)", on: db)
        return "\(prefix)-\(today.year)-" + String(format: "%04d", value)
    }

    /// The next value of a named counter, in the caller's transaction.
    static func counter(_ key: String, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        try await sql.insert(into: "cloud_counters").columns("id", "key", "value")
            .values(SQLBind(UUID()), SQLBind(key), SQLBind(0)).ignoringConflicts(with: ["key"]).run()
        let row = try await sql.update("cloud_counters").set(SQLIdentifier("value"), to: SQLRaw("value + 1"))
            .where("key", .equal, key).returning("value").first()
        return try row?.decode(column: "value", as: Int.self) ?? 1
    }
}

/// Parameters administrators may change (stored as one JSON value).
public struct CloudSettings: Codable, Sendable, Equatable {
    /// ISMAP-Ready progress reports are due every this many months.
    public var reportIntervalMonths: Int
    /// Days after a missed report before the listing lapses.
    public var reportGraceDays: Int
    /// Days before a report is due when the provider is reminded.
    public var reportNoticeDays: Int
    public var costs: AuditUnitCosts
    /// Longest chain of crosswalks the audit-scope calculator follows.
    public var maxMappingHops: Int
    /// The question set (code) bound to new provisional statuses.
    public var questionSetCode: String

    public static let defaults = CloudSettings(reportIntervalMonths: 6, reportGraceDays: 30, reportNoticeDays: 14, costs: .defaults,
                                               maxMappingHops: 3, questionSetCode: "ipa-fast-track")

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        func range(_ pointer: String, _ value: Int, _ bounds: ClosedRange<Int>) {
            if !bounds.contains(value) {
                errors.append(FieldError(pointer: pointer, code: "range", detail: "Must be between \(bounds.lowerBound) and \(bounds.upperBound).",
                                         detailJa: "\(bounds.lowerBound)から\(bounds.upperBound)の範囲で入力してください。"))
            }
        }
        range("/reportIntervalMonths", reportIntervalMonths, 1...24)
        range("/reportGraceDays", reportGraceDays, 0...365)
        range("/reportNoticeDays", reportNoticeDays, 0...90)
        range("/maxMappingHops", maxMappingHops, 1...5)
        range("/costs/baseFeeYen", costs.baseFeeYen, 0...1_000_000_000)
        range("/costs/perControlYen", costs.perControlYen, 0...100_000_000)
        range("/costs/partialPercent", costs.partialPercent, 0...100)
        range("/costs/reuseReviewYen", costs.reuseReviewYen, 0...100_000_000)
        if questionSetCode.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) == nil {
            errors.append(FieldError(pointer: "/questionSetCode", code: "invalid", detail: "Lower-case letters, digits and hyphens.", detailJa: "英小文字・数字・ハイフンで入力してください。"))
        }
        return errors
    }

    static func load(on db: any Database) async throws -> CloudSettings {
        guard let row = try await SettingRecord.query(on: db).filter(\.$key == "settings").first(),
              let value = try? JSONDecoder().decode(CloudSettings.self, from: Data(row.value.utf8)) else { return .defaults }
        return value
    }

    func save(on db: any Database, by actor: Actor, at now: Date) async throws {
        let row = try await SettingRecord.query(on: db).filter(\.$key == "settings").first() ?? SettingRecord()
        row.key = "settings"
        row.value = String(decoding: try API.encoder.encode(self), as: UTF8.self)
        row.updatedAt = now
        row.updatedBy = actor.label
        try await row.save(on: db)
    }
}

/// What a public record of the registry says (the transparency log keeps its hash).
struct PublicStatusContent: Encodable {
    var list: String
    var recordNumber: String
    var status: String
    var event: String
    var date: String
    var serviceNumber: String
    var serviceName: String
    var provider: String
    var providerCorporateNumber: String?
    var reason: String?
    var details: [String: String]
}

/// Writes a status change: the status history, the public record (audit trail and transparency
/// log) when the new state is public, or an audit event when it is not, and the list index.
struct StatusChange {
    var list: CloudList
    var recordID: UUID
    var recordNumber: String
    var service: CloudServiceRecord
    var from: String?
    var to: String
    var event: String
    var reason: String?
    var isPublic: Bool
    var details: [String: String] = [:]

    @discardableResult
    func write(on db: any Database, actor: Actor, at now: Date) async throws -> Int64? {
        let provider = try await Organisation.find(service.organisationID, on: db)
        let today = JapanTime.date(of: now)
        var logIndex: Int64?
        let summary = ["list": list.rawValue, "record": recordNumber, "from": from ?? "", "to": to, "event": event]
        if isPublic {
            let content = PublicStatusContent(list: list.rawValue, recordNumber: recordNumber, status: to, event: event, date: today.iso,
                                              serviceNumber: service.number, serviceName: service.name, provider: provider?.name ?? "",
                                              providerCorporateNumber: provider?.corporateNumber, reason: reason, details: details)
            logIndex = try await PublicRecord.publish(on: db, actor: actor, organisationID: service.organisationID, type: "cloud.\(list.rawValue).\(event)",
                                                      subject: service.name, recordNumber: recordNumber, content: content,
                                                      targetType: "cloud.\(list.rawValue)", targetID: recordID.uuidString, summary: summary, at: now)
            if !service.isPublic {
                service.isPublic = true
                try await service.save(on: db)
            }
        } else {
            try await AuditTrail.record(on: db, actor: actor, organisationID: service.organisationID, action: "cloud.\(list.rawValue).\(event)",
                                        targetType: "cloud.\(list.rawValue)", targetID: recordID.uuidString, summary: summary, at: now)
        }
        let record = StatusEventRecord()
        record.list = list.rawValue
        record.recordID = recordID
        record.recordNumber = recordNumber
        record.serviceID = service.id!
        record.organisationID = service.organisationID
        record.fromStatus = from
        record.toStatus = to
        record.event = event
        record.onDate = today.iso
        record.at = now
        record.actor = actor.label
        record.reason = reason
        record.isPublic = isPublic
        record.logIndex = logIndex
        record.seq = Int64(try await Numbering.counter("status-events", on: db))
        try await record.create(on: db)
        return logIndex
    }
}

/// Keeps `cloud_list_entries` in step with the records and their services.
enum ListIndex {
    struct Entry {
        var list: CloudList
        var recordID: UUID
        var recordNumber: String
        var status: String
        var isPublic: Bool
        var since: String?
        var until: String?
        var details: [String: String]
    }

    static func entry(ready r: ReadyListingRecord) -> Entry {
        Entry(list: .ready, recordID: r.id!, recordNumber: r.number, status: r.status, isPublic: r.state.isPublic && r.listedOn != nil,
              since: r.listedOn, until: r.state == .listed || r.state == .lapsed ? r.nextReportDue : nil,
              details: ["targetList": r.targetList, "targetApplicationDate": r.targetApplicationDate, "pocAvailable": r.pocAvailable ? "true" : "false",
                        "auditFirm": r.auditFirm, "scope": r.scope])
    }

    static func entry(fastTrack r: FastTrackRecord, certificate: CertificationRecord?) -> Entry {
        var details: [String: String] = [:]
        if let certificate {
            details = ["certificateNumber": certificate.certificateNumber, "certificationBody": certificate.issuer,
                       "certificateValidUntil": certificate.validUntil, "certificateScope": certificate.scope]
        }
        return Entry(list: .fastTrack, recordID: r.id!, recordNumber: r.number, status: r.status, isPublic: r.state.isPublic && r.grantedOn != nil,
                     since: r.grantedOn, until: r.provisionalUntil, details: details)
    }

    static func entry(registration r: RegistrationRecord, sponsors: Int) -> Entry {
        var details = ["source": r.source, "businessImpactAssessment": r.biaAgency == nil ? "false" : "true", "sponsors": String(sponsors)]
        if let firm = r.auditFirm { details["auditFirm"] = firm }
        return Entry(list: r.cloudList, recordID: r.id!, recordNumber: r.number, status: r.status, isPublic: r.state.isPublic && r.registeredOn != nil,
                     since: r.registeredOn, until: nil, details: details)
    }

    /// Writes one entry with the current service facts.
    static func save(_ entry: Entry, service: CloudServiceRecord, on db: any Database, at now: Date) async throws {
        let facts = try await ServiceFacts.load(service, on: db, today: JapanTime.date(of: now))
        let row = try await ListEntryRecord.query(on: db).filter(\.$list == entry.list.rawValue).filter(\.$recordID == entry.recordID).first() ?? ListEntryRecord()
        let changed = row.id == nil || row.status != entry.status
        row.list = entry.list.rawValue
        row.recordID = entry.recordID
        row.recordNumber = entry.recordNumber
        row.serviceID = service.id!
        row.organisationID = service.organisationID
        row.status = entry.status
        row.isPublic = entry.isPublic
        row.since = entry.since
        row.until = entry.until
        if changed { row.changedAt = now }
        facts.apply(to: row)
        row.search = SearchText.normalize([facts.search, entry.recordNumber].joined(separator: " "))
        row.details = String(decoding: try API.encoder.encode(entry.details), as: UTF8.self)
        try await row.save(on: db)
    }

    /// Refreshes every entry of a service (after its description or certifications changed).
    static func refresh(service: CloudServiceRecord, on db: any Database, at now: Date) async throws {
        let facts = try await ServiceFacts.load(service, on: db, today: JapanTime.date(of: now))
        for row in try await ListEntryRecord.query(on: db).filter(\.$serviceID == service.id!).all() {
            facts.apply(to: row)
            row.search = SearchText.normalize([facts.search, row.recordNumber].joined(separator: " "))
            try await row.save(on: db)
        }
    }
}

/// The service facts copied into list entries.
struct ServiceFacts {
    var service: CloudServiceRecord
    var providerName: String
    var corporateNumber: String?
    var certKinds: [String]

    static func load(_ service: CloudServiceRecord, on db: any Database, today: LocalDate) async throws -> ServiceFacts {
        let provider = try await Organisation.find(service.organisationID, on: db)
        let certs = try await CertificationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$removedAt == nil).all()
        let kinds = Set(certs.filter { $0.isValid(on: today) }.map(\.kind)).sorted()
        return ServiceFacts(service: service, providerName: provider?.name ?? "", corporateNumber: provider?.corporateNumber, certKinds: kinds)
    }

    var search: String {
        [service.number, service.name, service.nameEn ?? "", service.description, service.descriptionEn ?? "", providerName, corporateNumber ?? ""]
            .joined(separator: " ")
    }

    func apply(to row: ListEntryRecord) {
        row.serviceNumber = service.number
        row.serviceName = service.name
        row.serviceNameEn = service.nameEn
        row.serviceModel = service.serviceModel
        row.providerName = providerName
        row.providerCorporateNumber = corporateNumber
        row.regions = "," + service.regionCodes.joined(separator: ",") + ","
        row.certKinds = "," + certKinds.joined(separator: ",") + ","
    }
}

/// Who an identity is to a record of an organisation.
enum Access {
    /// The workflow role of an identity for a record owned by `organisation`; nil when it may
    /// not see the record at all.
    static func role(_ identity: Identity?, organisation: UUID) -> WorkflowRole? {
        guard let identity else { return nil }
        if identity.isReviewer { return .reviewer }
        return identity.organisationID == organisation ? .provider : nil
    }

    /// The role or 404 (records of other organisations are not revealed).
    @discardableResult
    static func require(_ identity: Identity, organisation: UUID) throws -> WorkflowRole {
        guard let role = role(identity, organisation: organisation) else { throw Problem.notFound }
        return role
    }
}

extension Result where Failure == WorkflowError {
    func orThrow() throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw error.problem
        }
    }
}
