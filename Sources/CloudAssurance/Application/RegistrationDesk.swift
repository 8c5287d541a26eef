import FluentKit
import Foundation
import ShinraiKit

/// ISMAP and ISMAP-LIU registrations (§2.2): applications, decisions, suspension, removal,
/// withdrawal and the agencies using a service. An LIU application needs no business-impact
/// assessment, and a registration never depends on a sponsoring agency.
struct RegistrationDesk {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }
    var today: LocalDate { JapanTime.date(of: services.now) }
    /// Notifications are written in Japanese, with the words the pages use.
    func label(_ key: String) -> String { services.views.catalogue.text(key, .ja) }

    func registration(_ id: UUID) async throws -> RegistrationRecord {
        guard let record = try await RegistrationRecord.find(id, on: db) else { throw Problem.notFound }
        return record
    }

    static let openStatuses: [RegistrationStatus] = [.draft, .submitted, .returned, .registered, .suspended]

    func ensureNoOpen(service: CloudServiceRecord, list: CloudList, on db: any Database) async throws {
        if let open = try await RegistrationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$list == list.rawValue)
            .filter(\.$status ~~ Self.openStatuses.map(\.rawValue)).first() {
            throw Problem.conflict(.init(ja: "このサービスには同じリストへの申請・登録（\(open.number)）がすでにあります。",
                                         en: "This service already has an application or registration for this list (\(open.number))."),
                                   errors: [FieldError(pointer: "/serviceId", code: "duplicate",
                                                       detail: "This service already has an application or registration for this list (\(open.number)).",
                                                       detailJa: "このサービスには同じリストへの申請・登録（\(open.number)）がすでにあります。")])
        }
    }

    func apply(_ input: RegistrationInput, identity: Identity) async throws -> RegistrationRecord {
        let (service, role) = try await Registry(services: services).owned(input.serviceId, identity: identity)
        guard role == .provider else { throw Problem.forbidden }
        let valid = try input.validate(today: today)
        return try await db.transaction { db in
            let list: CloudList = valid.list == .ismap ? .ismap : .liu
            try await ensureNoOpen(service: service, list: list, on: db)
            let record = RegistrationRecord()
            record.number = try await Numbering.next(list == .ismap ? "ISMAP" : "LIU", today: today, on: db)
            record.serviceID = service.id!
            record.organisationID = service.organisationID
            record.list = list.rawValue
            record.status = RegistrationStatus.draft.rawValue
            record.source = "application"
            record.createdAt = now
            fill(record, valid)
            try await record.create(on: db)
            try await replaceSponsors(of: record, with: valid.sponsors, on: db)
            try await StatusChange(list: list, recordID: record.id!, recordNumber: record.number, service: service, from: nil,
                                   to: RegistrationStatus.draft.rawValue, event: "create", isPublic: false).write(on: db, actor: Actor(identity), at: now)
            try await ListIndex.save(ListIndex.entry(registration: record, sponsors: valid.sponsors.count), service: service, on: db, at: now)
            return record
        }
    }

    func fill(_ record: RegistrationRecord, _ valid: RegistrationInput.Valid) {
        record.auditFirm = valid.auditFirm
        record.auditReportDate = valid.auditReportDate.iso
        record.scope = valid.scope
        record.biaAgency = valid.biaAgency
        record.biaDate = valid.biaDate?.iso
        record.biaSummary = valid.biaSummary
        record.updatedAt = now
    }

    func update(_ record: RegistrationRecord, _ input: RegistrationInput, identity: Identity) async throws {
        let role = try Access.require(identity, organisation: record.organisationID)
        guard role == .provider else { throw Problem.forbidden }
        guard [.draft, .returned].contains(record.state) else {
            throw Problem.conflict(.init(ja: "下書きか差戻し中の申請だけを修正できます。", en: "Only draft or returned applications can be changed."))
        }
        var input = input
        input.serviceId = record.serviceID
        input.list = record.list
        let valid = try input.validate(today: today)
        try await db.transaction { db in
            fill(record, valid)
            try await record.save(on: db)
            try await replaceSponsors(of: record, with: valid.sponsors, on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.registration.update",
                                        targetType: "cloud.\(record.list)", targetID: record.id!.uuidString, summary: ["number": record.number], at: now)
        }
    }

    func replaceSponsors(of record: RegistrationRecord, with names: [String], on db: any Database) async throws {
        let current = try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$until == nil).all()
        for sponsor in current where !names.contains(sponsor.agency) { try await sponsor.delete(on: db) }
        for name in names where !current.contains(where: { $0.agency == name }) {
            let sponsor = SponsorRecord()
            sponsor.registrationID = record.id!
            sponsor.agency = name
            sponsor.since = today.iso
            try await sponsor.create(on: db)
        }
    }

    func perform(_ event: RegistrationEvent, on record: RegistrationRecord, actor: Actor, role: WorkflowRole, reason: String? = nil,
                 on outer: (any Database)? = nil) async throws {
        let from = record.state
        let to = try RegistrationWorkflow.next(from: from, on: event, by: role).orThrow()
        if [.return, .suspend, .remove].contains(event) && (reason ?? "").isEmpty {
            throw Problem.validation([FieldError(pointer: "/reason", code: "missing", detail: "Give the reasons.", detailJa: "理由を入力してください。")])
        }
        let work: @Sendable (any Database) async throws -> Void = { db in
            let service = try await Registry(services: services).service(id: record.serviceID, on: db)
            if event == .register {
                record.registeredOn = today.iso
                record.lastReason = nil
            }
            if [.return, .suspend, .remove].contains(event) { record.lastReason = reason }
            record.status = to.rawValue
            record.updatedAt = now
            try await record.save(on: db)
            let isPublic = to.isPublic && record.registeredOn != nil
            try await StatusChange(list: record.cloudList, recordID: record.id!, recordNumber: record.number, service: service, from: from.rawValue,
                                   to: to.rawValue, event: event.rawValue, reason: reason, isPublic: isPublic,
                                   details: ["source": record.source, "businessImpactAssessment": record.biaAgency == nil ? "false" : "true"])
                .write(on: db, actor: actor, at: now)
            let sponsors = try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$until == nil).count()
            try await ListIndex.save(ListIndex.entry(registration: record, sponsors: sponsors), service: service, on: db, at: now)
            if event == .register { try await linkReady(service: service, registration: record, on: db) }
            try await notify(event, record: record, service: service, reason: reason, on: db)
        }
        if let outer { try await work(outer) } else { try await db.transaction { try await work($0) } }
    }

    /// A registration completes the service's ISMAP-Ready listing and links it.
    func linkReady(service: CloudServiceRecord, registration: RegistrationRecord, on db: any Database) async throws {
        let open = try await ReadyListingRecord.query(on: db).filter(\.$serviceID == service.id!)
            .filter(\.$status ~~ [ReadyStatus.listed, .lapsed, .applied].map(\.rawValue)).all()
        for listing in open {
            try await ReadyDesk(services: services).perform(.markRegistered, on: listing, actor: .system("cloud.registration"), role: .system,
                                                             registration: registration, on: db)
        }
    }

    func notify(_ event: RegistrationEvent, record: RegistrationRecord, service: CloudServiceRecord, reason: String?, on db: any Database) async throws {
        let link = "/cloud/registrations/\(record.id!)"
        let listName = record.cloudList == .ismap ? "ISMAP" : "ISMAP-LIU"
        if event == .submit {
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.registration.submitted", subject: "\(listName)申請の審査依頼: \(service.name)",
                                            body: "\(record.number) が提出されました。", link: link, at: now)
        } else if [.return, .register, .suspend, .reinstate, .remove].contains(event) {
            try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.registration.\(event.rawValue)",
                                            subject: "\(listName): \(service.name)（\(label("cloud.event.\(event.rawValue)"))）", body: reason ?? record.number, link: link, at: now)
        }
    }

    /// Reviewers enter an existing registration (e.g. one made before Shinrai was introduced).
    func record(service: CloudServiceRecord, list: CloudList, registeredOn: LocalDate, auditFirm: String?, identity: Identity,
                source: String = "record", fastTrackID: UUID? = nil, on outer: (any Database)? = nil) async throws -> RegistrationRecord {
        let work: @Sendable (any Database) async throws -> RegistrationRecord = { db in
            try await ensureNoOpen(service: service, list: list, on: db)
            let record = RegistrationRecord()
            record.number = try await Numbering.next(list == .ismap ? "ISMAP" : "LIU", today: today, on: db)
            record.serviceID = service.id!
            record.organisationID = service.organisationID
            record.list = list.rawValue
            record.status = RegistrationStatus.registered.rawValue
            record.registeredOn = registeredOn.iso
            record.auditFirm = auditFirm
            record.source = source
            record.fastTrackID = fastTrackID
            record.createdAt = now
            record.updatedAt = now
            try await record.create(on: db)
            try await StatusChange(list: list, recordID: record.id!, recordNumber: record.number, service: service, from: nil,
                                   to: RegistrationStatus.registered.rawValue, event: "register", isPublic: true,
                                   details: ["source": source, "registeredOn": registeredOn.iso]).write(on: db, actor: Actor(identity), at: now)
            try await ListIndex.save(ListIndex.entry(registration: record, sponsors: 0), service: service, on: db, at: now)
            try await linkReady(service: service, registration: record, on: db)
            return record
        }
        if let outer { return try await work(outer) }
        return try await db.transaction { try await work($0) }
    }

    /// Records that an agency stopped using the service. The registration stays on its list (§2.2).
    func endSponsor(_ sponsor: SponsorRecord, of record: RegistrationRecord, identity: Identity) async throws {
        guard sponsor.until == nil else { throw Problem.conflict(.init(ja: "すでに利用終了として記録されています。", en: "Already recorded as ended.")) }
        try await db.transaction { db in
            sponsor.until = today.iso
            try await sponsor.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.registration.sponsor-ended",
                                        targetType: "cloud.\(record.list)", targetID: record.id!.uuidString,
                                        summary: ["agency": sponsor.agency, "until": today.iso, "status": record.status], at: now)
            let service = try await Registry(services: services).service(id: record.serviceID, on: db)
            let sponsors = try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$until == nil).count()
            try await ListIndex.save(ListIndex.entry(registration: record, sponsors: sponsors), service: service, on: db, at: now)
        }
    }

    func addSponsor(_ name: String?, to record: RegistrationRecord, identity: Identity) async throws {
        var check = InputCheck()
        let agency = check.text("/agency", name, label: .init(ja: "利用機関名", en: "agency name"), max: 200)
        try check.throwIfAny()
        try await db.transaction { db in
            if try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$agency == agency).filter(\.$until == nil).first() != nil {
                throw Problem.conflict(.init(ja: "この機関はすでに利用中として記録されています。", en: "This agency is already recorded."))
            }
            let sponsor = SponsorRecord()
            sponsor.registrationID = record.id!
            sponsor.agency = agency
            sponsor.since = today.iso
            try await sponsor.create(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.registration.sponsor-added",
                                        targetType: "cloud.\(record.list)", targetID: record.id!.uuidString, summary: ["agency": agency], at: now)
            let service = try await Registry(services: services).service(id: record.serviceID, on: db)
            let sponsors = try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$until == nil).count()
            try await ListIndex.save(ListIndex.entry(registration: record, sponsors: sponsors), service: service, on: db, at: now)
        }
    }
}
