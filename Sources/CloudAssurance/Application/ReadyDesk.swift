import FluentKit
import Foundation
import ShinraiKit

/// ISMAP-Ready (§2.3): declarations, review, six-monthly progress reports, lapse, links to
/// applications and registrations, withdrawal.
struct ReadyDesk {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }
    var today: LocalDate { JapanTime.date(of: services.now) }

    /// Evidence may be attached by the provider until the declaration ends.
    static func checkEvidenceAllowed(_ listing: ReadyListingRecord, role: WorkflowRole?) throws {
        guard let role else { throw Problem.notFound }
        guard role == .provider else { throw Problem.forbidden }
        guard ![ReadyStatus.registered, .withdrawn].contains(listing.state) else {
            throw Problem.conflict(.init(ja: "この申告は終了しているため、書類を添付できません。", en: "This declaration has ended; files can no longer be attached."))
        }
    }

    func listing(_ id: UUID) async throws -> ReadyListingRecord {
        guard let listing = try await ReadyListingRecord.find(id, on: db) else { throw Problem.notFound }
        return listing
    }

    func declare(_ input: ReadyDeclarationInput, identity: Identity) async throws -> ReadyListingRecord {
        let (service, role) = try await Registry(services: services).owned(input.serviceId, identity: identity)
        guard role == .provider else { throw Problem.forbidden }
        let valid = try input.validate(today: today)
        return try await db.transaction { db in
            let open = try await ReadyListingRecord.query(on: db).filter(\.$serviceID == service.id!)
                .filter(\.$status ~~ [ReadyStatus.draft, .submitted, .returned, .listed, .lapsed, .applied].map(\.rawValue)).first()
            if let open {
                throw Problem.conflict(.init(ja: "このサービスには手続中のISMAP-Ready申告（\(open.number)）があります。",
                                             en: "This service already has an ISMAP-Ready declaration in progress (\(open.number))."),
                                       errors: [FieldError(pointer: "/serviceId", code: "duplicate",
                                                           detail: "This service already has an ISMAP-Ready declaration in progress (\(open.number)); continue or withdraw it instead of declaring again.",
                                                           detailJa: "このサービスには手続中のISMAP-Ready申告（\(open.number)）があります。新たに申告せず、その申告を続けるか取り下げてください。")])
            }
            let listing = ReadyListingRecord()
            listing.number = try await Numbering.next("RDY", today: today, on: db)
            listing.serviceID = service.id!
            listing.organisationID = service.organisationID
            listing.status = ReadyStatus.draft.rawValue
            apply(valid, to: listing)
            listing.createdAt = now
            try await listing.create(on: db)
            try await StatusChange(list: .ready, recordID: listing.id!, recordNumber: listing.number, service: service, from: nil,
                                   to: ReadyStatus.draft.rawValue, event: "create", isPublic: false).write(on: db, actor: Actor(identity), at: now)
            try await ListIndex.save(ListIndex.entry(ready: listing), service: service, on: db, at: now)
            return listing
        }
    }

    func apply(_ valid: ReadyDeclarationInput.Valid, to listing: ReadyListingRecord) {
        listing.auditFirm = valid.auditFirm
        listing.auditContractDate = valid.auditContractDate.iso
        listing.gapAssessmentDate = valid.gapAssessmentDate?.iso
        listing.targetList = valid.targetList.rawValue
        listing.targetApplicationDate = valid.targetApplicationDate.iso
        listing.scope = valid.scope
        listing.pocAvailable = valid.pocAvailable
        listing.updatedAt = now
    }

    /// Corrections are possible while the declaration is a draft or was returned.
    func update(_ listing: ReadyListingRecord, _ input: ReadyDeclarationInput, identity: Identity) async throws {
        let role = try Access.require(identity, organisation: listing.organisationID)
        guard role == .provider else { throw Problem.forbidden }
        guard [.draft, .returned].contains(listing.state) else {
            throw Problem.conflict(.init(ja: "下書きか差戻し中の申告だけを修正できます。", en: "Only draft or returned declarations can be changed."))
        }
        var input = input
        input.serviceId = listing.serviceID
        let valid = try input.validate(today: today)
        try await db.transaction { db in
            apply(valid, to: listing)
            try await listing.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: listing.organisationID, action: "cloud.ready.update",
                                        targetType: "cloud.ready", targetID: listing.id!.uuidString, summary: ["number": listing.number], at: now)
            let service = try await Registry(services: services).service(id: listing.serviceID, on: db)
            try await ListIndex.save(ListIndex.entry(ready: listing), service: service, on: db, at: now)
        }
    }

    /// Runs one workflow event. `reason` is required for returns; `reference` for applied/registered.
    func perform(_ event: ReadyEvent, on listing: ReadyListingRecord, actor: Actor, role: WorkflowRole, reason: String? = nil,
                 reference: String? = nil, registration: RegistrationRecord? = nil, on outer: (any Database)? = nil) async throws {
        let from = listing.state
        let to = try ReadyWorkflow.next(from: from, on: event, by: role).orThrow()
        if event == .submit {
            // The declared facts must still hold on the day of submission.
            let input = ReadyDeclarationInput(serviceId: listing.serviceID, auditFirm: listing.auditFirm, auditContractDate: listing.auditContractDate,
                                              gapAssessmentDone: listing.gapAssessmentDate != nil, gapAssessmentDate: listing.gapAssessmentDate,
                                              targetList: listing.targetList, targetApplicationDate: listing.targetApplicationDate, scope: listing.scope,
                                              pocAvailable: listing.pocAvailable)
            _ = try input.validate(today: today)
        }
        let work: @Sendable (any Database) async throws -> Void = { db in
            let service = try await Registry(services: services).service(id: listing.serviceID, on: db)
            let settings = try await CloudSettings.load(on: db)
            switch (event, to) {
            case (.list, _):
                listing.listedOn = today.iso
                listing.nextReportDue = CivilPeriod.day(months: settings.reportIntervalMonths, after: today).iso
                listing.lastReason = nil
            case (.return, _):
                listing.lastReason = reason
            case (.markApplied, _):
                listing.appliedReference = reference
            case (.markRegistered, _):
                listing.registrationID = registration?.id
                listing.appliedReference = listing.appliedReference ?? registration?.number
                listing.nextReportDue = nil
            case (.fileReport, _):
                let due = listing.nextReportDue.flatMap(LocalDate.init)
                // The schedule continues from the period reported on; a late report that reinstates a
                // lapsed listing starts a new period from today.
                let base = (from == .lapsed ? nil : due) ?? today
                listing.nextReportDue = CivilPeriod.day(months: settings.reportIntervalMonths, after: base).iso
            default: break
            }
            listing.status = to.rawValue
            listing.updatedAt = now
            try await listing.save(on: db)
            let wasPublic = listing.listedOn != nil
            let isPublic = to.isPublic && wasPublic
            var details: [String: String] = ["targetList": listing.targetList, "targetApplicationDate": listing.targetApplicationDate]
            if let due = listing.nextReportDue { details["nextReportDue"] = due }
            if let reference = listing.appliedReference { details["reference"] = reference }
            let eventName = event == .fileReport && from == .lapsed ? "reinstate" : event.rawValue
            try await StatusChange(list: .ready, recordID: listing.id!, recordNumber: listing.number, service: service, from: from.rawValue,
                                   to: to.rawValue, event: eventName, reason: reason, isPublic: isPublic, details: details)
                .write(on: db, actor: actor, at: now)
            try await ListIndex.save(ListIndex.entry(ready: listing), service: service, on: db, at: now)
            try await notify(event, listing: listing, service: service, reason: reason, on: db)
        }
        if let outer { try await work(outer) } else { try await db.transaction { try await work($0) } }
    }

    func notify(_ event: ReadyEvent, listing: ReadyListingRecord, service: CloudServiceRecord, reason: String?, on db: any Database) async throws {
        let link = "/cloud/ready-listings/\(listing.id!)"
        switch event {
        case .submit:
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.ready.submitted", subject: "ISMAP-Ready申告の審査依頼: \(service.name)",
                                            body: "\(listing.number) が提出されました。", link: link, at: now)
        case .list:
            try await Notifications.enqueue(on: db, to: .organisation(listing.organisationID), kind: "cloud.ready.listed",
                                            subject: "ISMAP-Readyリストに掲載されました: \(service.name)",
                                            body: "\(listing.number) を掲載しました。次回の進捗報告期限は \(listing.nextReportDue ?? "") です。", link: link, at: now)
        case .return:
            try await Notifications.enqueue(on: db, to: .organisation(listing.organisationID), kind: "cloud.ready.returned",
                                            subject: "ISMAP-Ready申告が差し戻されました: \(service.name)", body: reason ?? "", link: link, at: now)
        case .lapse:
            try await Notifications.enqueue(on: db, to: .organisation(listing.organisationID), kind: "cloud.ready.lapsed",
                                            subject: "ISMAP-Ready掲載が失効扱いになりました: \(service.name)",
                                            body: "進捗報告が期限と猶予期間を過ぎても提出されなかったため、\(listing.number) を「失効」と表示しています。報告を提出すると掲載に戻ります。",
                                            link: link, at: now)
        case .fileReport, .markApplied:
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.ready.\(event.rawValue)", subject: "ISMAP-Ready: \(service.name)",
                                            body: "\(listing.number): \(services.views.catalogue.text("cloud.event.\(event.rawValue)", .ja))", link: link, at: now)
        default: break
        }
    }

    func fileReport(_ listing: ReadyListingRecord, _ input: ReadyReportInput, identity: Identity) async throws {
        let role = try Access.require(identity, organisation: listing.organisationID)
        let valid = try input.validate(today: today)
        _ = try ReadyWorkflow.next(from: listing.state, on: .fileReport, by: role).orThrow()
        try await db.transaction { db in
            let report = ReadyReportRecord()
            report.listingID = listing.id!
            report.filedAt = now
            report.periodDue = listing.nextReportDue
            report.progress = valid.progress
            report.targetApplicationDate = valid.targetApplicationDate?.iso
            report.filedBy = identity.actorLabel
            try await report.create(on: db)
            if let target = valid.targetApplicationDate { listing.targetApplicationDate = target.iso }
            try await perform(.fileReport, on: listing, actor: Actor(identity), role: role, on: db)
        }
    }

    // MARK: the daily job

    /// Reminds providers before a report is due and on the due day, and lapses listings whose
    /// report is overdue beyond the grace period. Idempotent for a day.
    func runDaily(today: LocalDate) async throws -> String {
        let settings = try await CloudSettings.load(on: db)
        let listed = try await ReadyListingRecord.query(on: db).filter(\.$status == ReadyStatus.listed.rawValue).all()
        var lapsed = 0, reminded = 0
        for listing in listed {
            guard let dueText = listing.nextReportDue, let due = LocalDate(dueText) else { continue }
            let lapseOn = due.adding(days: settings.reportGraceDays + 1)
            if today >= lapseOn {
                try await perform(.lapse, on: listing, actor: .system("cloud.ready.reports"), role: .system)
                lapsed += 1
                continue
            }
            let notice = due.adding(days: -settings.reportNoticeDays)
            let kind: String? = today > due ? "ready-overdue-\(dueText)" : today >= notice ? "ready-due-\(dueText)" : nil
            guard let kind else { continue }
            let sent = try await db.transaction { db -> Bool in
                guard try await Reminders.claim(recordID: listing.id!, kind: kind, on: db, at: now) else { return false }
                let service = try await Registry(services: services).service(id: listing.serviceID, on: db)
                let overdue = today > due
                try await Notifications.enqueue(on: db, to: .organisation(listing.organisationID), kind: "cloud.ready.report-due",
                    subject: overdue ? "ISMAP-Ready進捗報告の期限を過ぎています: \(service.name)" : "ISMAP-Ready進捗報告の期限が近づいています: \(service.name)",
                    body: overdue ? "\(listing.number) の報告期限（\(dueText)）を過ぎています。\(lapseOn.previous.iso) までに提出されないと「失効」になります。"
                                  : "\(listing.number) の進捗報告の期限は \(dueText) です。",
                    link: "/cloud/ready-listings/\(listing.id!)", at: now)
                return true
            }
            if sent { reminded += 1 }
        }
        return "ready: \(lapsed) lapsed, \(reminded) reminded"
    }
}

/// Sent reminders, claimed with a unique row so each is sent once even with several instances.
enum Reminders {
    static func claim(recordID: UUID, kind: String, on db: any Database, at now: Date) async throws -> Bool {
        if try await ReminderRecord.query(on: db).filter(\.$recordID == recordID).filter(\.$kind == kind).first() != nil { return false }
        let row = ReminderRecord()
        row.recordID = recordID
        row.kind = kind
        row.sentAt = now
        try await row.create(on: db)
        return true
    }

    static func sent(recordID: UUID, on db: any Database) async throws -> Set<String> {
        Set(try await ReminderRecord.query(on: db).filter(\.$recordID == recordID).all().map(\.kind))
    }
}
