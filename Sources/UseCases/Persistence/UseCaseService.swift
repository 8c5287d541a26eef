import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// Writes and reads of use cases. Every write runs in one transaction with its audit event (and,
/// for publications and withdrawals, the transparency-log entry) and its notifications.
struct UseCaseService: Sendable {
    let services: Services

    // MARK: categories

    func categories(includeInactive: Bool = false, on db: (any Database)? = nil) async throws -> [CategoryRecord] {
        var query = CategoryRecord.query(on: db ?? services.db)
        if !includeInactive { query = query.filter(\.$active == true) }
        return try await query.sort(\.$position).sort(\.$slug).all()
    }

    func activeCategorySlugs(on db: (any Database)? = nil) async throws -> Set<String> {
        Set(try await categories(on: db).map(\.slug))
    }

    // MARK: reads

    func record(_ id: UUID, visibleTo principal: Principal) async throws -> UseCaseRecord {
        guard let record = try await UseCaseRecord.find(id, on: services.db), principal.canSee(owner: record.organisationID) else {
            throw Problem.notFound
        }
        return record
    }

    /// The latest public version of a listed use case, or the record of a withdrawn one.
    func publicRecord(number: String) async throws -> (record: UseCaseRecord, latest: UseCaseVersionRecord)? {
        guard UseCaseNumbers.isUseCaseNumber(number),
              let record = try await UseCaseRecord.query(on: services.db).filter(\.$number == number).first(),
              record.publishedVersion > 0,
              let latest = try await version(of: record.id!, number: record.publishedVersion) else { return nil }
        return (record, latest)
    }

    func version(of id: UUID, number: Int) async throws -> UseCaseVersionRecord? {
        try await UseCaseVersionRecord.query(on: services.db).filter(\.$usecaseID == id).filter(\.$version == number).first()
    }

    func versions(of id: UUID) async throws -> [UseCaseVersionRecord] {
        try await UseCaseVersionRecord.query(on: services.db).filter(\.$usecaseID == id).sort(\.$version, .descending).all()
    }

    func history(of id: UUID) async throws -> [UseCaseReviewRecord] {
        try await UseCaseReviewRecord.query(on: services.db).filter(\.$usecaseID == id).sort(\.$at, .descending).all()
    }

    func organisation(_ id: UUID) async throws -> Organisation? {
        try await Organisation.find(id, on: services.db)
    }

    // MARK: writes

    func create(_ input: UseCaseContent, for organisationID: UUID, by principal: Principal, at time: Date? = nil) async throws -> UseCaseRecord {
        guard principal.isSystem || principal.organisationID == organisationID else { throw Problem.forbidden }
        let now = time ?? services.now
        return try await services.db.transaction { db in
            try await insertDraft(try await validated(input, on: db), for: organisationID, by: principal, at: now, on: db)
        }
    }

    /// Writes a new draft of already validated content, in the caller's transaction.
    func insertDraft(_ content: UseCaseContent, for organisationID: UUID, by principal: Principal, at now: Date,
                     on db: any Database, action: String = "usecase.create") async throws -> UseCaseRecord {
        let record = UseCaseRecord()
        record.organisationID = organisationID
        record.status = .draft
        try record.setContent(content)
        record.revision = 1; record.publishedVersion = 0; record.listed = false; record.views = 0; record.reuses = 0
        record.createdAt = now; record.updatedAt = now; record.createdBy = principal.actor.label
        try await record.create(on: db)
        try await note(record, action: "created", comment: nil, by: principal, at: now, on: db)
        try await AuditTrail.record(on: db, actor: principal.actor, organisationID: organisationID, action: action,
                                    targetType: "usecase", targetID: record.id!.uuidString, summary: ["title": content.title], at: now)
        return record
    }

    func update(_ id: UUID, with input: UseCaseContent, expectedRevision: Int?, by principal: Principal) async throws -> UseCaseRecord {
        let now = services.now
        return try await services.db.transaction { db in
            let record = try await claim(id, expectedRevision: expectedRevision, visibleTo: principal, on: db)
            let next = try step(.edit, record, principal)
            let content = try await validated(input, on: db)
            try record.setContent(content)
            record.status = next
            record.updatedAt = now
            try await record.save(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: record.organisationID, action: "usecase.update",
                                        targetType: "usecase", targetID: id.uuidString,
                                        summary: ["title": content.title, "status": next.rawValue, "revision": String(record.revision)], at: now)
            return record
        }
    }

    /// Submit, recall, request changes, publish, withdraw. `comment` is the moderator's request,
    /// the change note of a publication, or the reason for a withdrawal.
    func perform(_ action: WorkflowAction, on id: UUID, comment rawComment: String?, expectedRevision: Int?,
                 by principal: Principal, at time: Date? = nil) async throws -> UseCaseRecord {
        precondition(action != .edit && action != .discard, "edits and discards have their own functions")
        let comment = rawComment.map(Clean.text)?.nilIfEmpty
        if let comment, comment.count > UseCaseContent.limits.note {
            throw Problem.validation([FieldError(pointer: "/comment", code: "range", detail: "The comment is at most 2000 characters.", detailJa: "コメントは2000文字以内にしてください。")])
        }
        if (action == .requestChanges || action == .withdraw) && comment == nil {
            let ja = action == .withdraw ? "取り下げの理由を入力してください。" : "修正してほしい点を入力してください。"
            let en = action == .withdraw ? "Give the reason for the withdrawal." : "Say what should be changed."
            throw Problem.validation([FieldError(pointer: "/comment", code: "missing", detail: en, detailJa: ja)])
        }
        let now = time ?? services.now
        return try await services.db.transaction { db in
            let record = try await claim(id, expectedRevision: expectedRevision, visibleTo: principal, on: db)
            let next = try step(action, record, principal)
            switch action {
            case .submit:
                // Content written before a category was retired must be fixed before review.
                _ = try await validated(try record.content(), on: db)
                record.submittedAt = now
                try await Notifications.enqueue(on: db, to: .reviewers, kind: "usecase.submitted",
                                                subject: "活用事例の審査依頼: \(record.title)",
                                                body: "「\(record.title)」が審査に提出されました。", link: "/usecases/manage/\(id)", at: now)
            case .requestChanges:
                try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "usecase.changes-requested",
                                                subject: "活用事例の修正依頼: \(record.title)",
                                                body: comment ?? "", link: "/usecases/manage/\(id)", at: now)
            case .publish:
                try await publish(record, note: comment, by: principal, at: now, on: db)
                try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "usecase.published",
                                                subject: "活用事例を公開しました: \(record.number ?? "")",
                                                body: "「\(record.title)」を公開しました（第\(record.publishedVersion)版）。",
                                                link: "/usecases/\(record.number ?? "")", at: now)
            case .withdraw:
                try await withdraw(record, reason: comment ?? "", by: principal, at: now, on: db)
                if principal.organisationID != record.organisationID {
                    try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "usecase.withdrawn",
                                                    subject: "活用事例の公開を取り下げました: \(record.number ?? "")",
                                                    body: comment ?? "", link: "/usecases/manage/\(id)", at: now)
                }
            case .recall, .edit, .discard:
                break
            }
            record.status = next
            record.updatedAt = now
            try await record.save(on: db)
            try await note(record, action: action.rawValue, comment: comment, by: principal, at: now, on: db)
            if action != .publish && action != .withdraw {
                try await AuditTrail.record(on: db, actor: principal.actor, organisationID: record.organisationID, action: "usecase.\(action.rawValue)",
                                            targetType: "usecase", targetID: id.uuidString,
                                            summary: ["title": record.title, "status": next.rawValue, "comment": comment ?? ""], at: now)
            }
            return record
        }
    }

    /// Deletes a draft that was never published.
    func discard(_ id: UUID, expectedRevision: Int?, by principal: Principal) async throws {
        let now = services.now
        try await services.db.transaction { db in
            let record = try await claim(id, expectedRevision: expectedRevision, visibleTo: principal, on: db)
            _ = try step(.discard, record, principal)
            try await UseCaseReviewRecord.query(on: db).filter(\.$usecaseID == id).delete()
            try await record.delete(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: record.organisationID, action: "usecase.discard",
                                        targetType: "usecase", targetID: id.uuidString, summary: ["title": record.title], at: now)
        }
    }

    // MARK: counters (anonymous totals only: nothing about who viewed or reused)

    func countView(_ id: UUID) async throws {
        try await services.sql.raw("UPDATE usecases SET views = views + 1 WHERE id = \(bind: id)").run()
    }

    func countReuse(_ id: UUID) async throws {
        try await services.db.transaction { db in
            let sql = db as! any SQLDatabase
            guard let row = try await sql.raw("UPDATE usecases SET reuses = reuses + 1 WHERE id = \(bind: id) RETURNING reuses").first() else { return }
            try await SearchIndex.setReuses(id: id, to: try row.decode(column: "reuses", as: Int.self), on: sql)
        }
    }

    // MARK: steps inside a transaction

    func validated(_ input: UseCaseContent, on db: any Database) async throws -> UseCaseContent {
        let content = input.normalised()
        let errors = content.validationErrors(categories: try await activeCategorySlugs(on: db))
        if !errors.isEmpty { throw Problem.validation(errors) }
        return content
    }

    /// Locks the submission for this change: its revision must still be the one the person saw.
    func claim(_ id: UUID, expectedRevision: Int?, visibleTo principal: Principal, on db: any Database) async throws -> UseCaseRecord {
        guard let seen = try await UseCaseRecord.find(id, on: db), principal.canSee(owner: seen.organisationID) else { throw Problem.notFound }
        let expected = expectedRevision ?? seen.revision
        let claimed = try await (db as! any SQLDatabase)
            .raw("UPDATE usecases SET revision = revision + 1 WHERE id = \(bind: id) AND revision = \(bind: expected) RETURNING revision").all()
        guard claimed.count == 1, let record = try await UseCaseRecord.find(id, on: db) else {
            throw Problem.conflict(.init(ja: "この事例は他の人が先に変更しました。最新の内容を読み込んでからやり直してください。",
                                         en: "Someone else changed this use case first. Reload it and try again."))
        }
        return record
    }

    func step(_ action: WorkflowAction, _ record: UseCaseRecord, _ principal: Principal) throws -> SubmissionStatus {
        switch Workflow.next(after: action, from: record.status, everPublished: record.publishedVersion > 0, listed: record.listed,
                             by: principal.standing(owner: record.organisationID)) {
        case .success(let next): return next
        case .failure(let refusal): throw Workflow.problem(refusal, action: action)
        }
    }

    func note(_ record: UseCaseRecord, action: String, comment: String?, by principal: Principal, at time: Date, on db: any Database) async throws {
        let entry = UseCaseReviewRecord()
        entry.usecaseID = record.id!; entry.action = action; entry.comment = comment
        entry.actorLabel = principal.actor.label; entry.actorAccountID = principal.actor.accountID; entry.at = time
        try await entry.create(on: db)
    }

    /// Writes the next version, logs it as a public record and refreshes the search row.
    func publish(_ record: UseCaseRecord, note changeNote: String?, by principal: Principal, at now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let time = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let content = try record.content()
        guard let organisation = try await Organisation.find(record.organisationID, on: db) else { throw Problem.notFound }
        if record.number == nil {
            let year = JapaneseDate.components(time).year
            record.number = UseCaseNumbers.format(prefix: "UC", year: year, sequence: try await UseCaseNumbers.next("UC-\(year)", on: sql))
        }
        if record.searchSeq == nil { record.searchSeq = try await UseCaseNumbers.next("usecase-search", on: sql) }
        let number = record.number!
        let version = record.publishedVersion + 1
        let published = PublishedUseCase(number: number, version: version, publishedAt: time,
                                         organisation: .init(id: organisation.id!, name: organisation.name,
                                                             corporateNumber: organisation.corporateNumber, localGovernmentCode: organisation.localGovernmentCode),
                                         content: content, note: changeNote)
        let logIndex = try await PublicRecord.publish(
            on: db, actor: principal.actor, organisationID: record.organisationID,
            type: version == 1 ? "usecase.published" : "usecase.updated", subject: content.title, recordNumber: number,
            content: published, targetType: "usecase", targetID: record.id!.uuidString,
            summary: ["number": number, "version": String(version), "title": content.title], at: time)
        let stored = UseCaseVersionRecord()
        stored.usecaseID = record.id!; stored.number = number; stored.version = version
        stored.recordJSON = String(decoding: try Storage.encoder.encode(published), as: UTF8.self)
        stored.contentHash = try published.contentHash
        stored.publishedAt = time; stored.publishedBy = principal.actor.label; stored.logIndex = logIndex; stored.note = changeNote
        try await stored.create(on: db)
        record.publishedVersion = version
        record.listed = true
        record.withdrawnAt = nil; record.withdrawnReason = nil
        if record.firstPublishedAt == nil { record.firstPublishedAt = time }
        let categoryNames = try await CategoryRecord.query(on: db).filter(\.$slug == content.category).first().map { [$0.nameJa, $0.nameEn] } ?? []
        try await SearchIndex.put(SearchIndex.Row(id: record.id!, seq: record.searchSeq!, published: published,
                                                  firstPublishedAt: record.firstPublishedAt!, reuses: record.reuses),
                                  text: SearchIndex.document(for: published, categoryNames: categoryNames, catalogue: services.views.catalogue), on: sql)
    }

    func withdraw(_ record: UseCaseRecord, reason: String, by principal: Principal, at now: Date, on db: any Database) async throws {
        let time = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        guard let number = record.number else { throw Problem.notFound }
        try await PublicRecord.publish(on: db, actor: principal.actor, organisationID: record.organisationID, type: "usecase.withdrawn",
                                       subject: record.title, recordNumber: number,
                                       content: WithdrawnUseCase(number: number, lastVersion: record.publishedVersion, withdrawnAt: time, reason: reason),
                                       targetType: "usecase", targetID: record.id!.uuidString,
                                       summary: ["number": number, "reason": reason], at: time)
        record.listed = false
        record.withdrawnAt = time
        record.withdrawnReason = reason
        if let seq = record.searchSeq { try await SearchIndex.remove(id: record.id!, seq: seq, on: db as! any SQLDatabase) }
    }
}

/// Public numbers: `UC-2026-0001` for use cases, `ND-2026-0001` for needs, counted per year in Japan.
enum UseCaseNumbers {
    static func format(prefix: String, year: Int, sequence: Int64) -> String {
        let digits = String(sequence)
        return "\(prefix)-\(year)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func isUseCaseNumber(_ text: String) -> Bool { matches(text, prefix: "UC") }
    static func isNeedNumber(_ text: String) -> Bool { matches(text, prefix: "ND") }

    static func matches(_ text: String, prefix: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == prefix && parts[1].count == 4 && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber)
            && (4...9).contains(parts[2].count) && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber)
    }

    /// The next value of a named counter, in the caller's transaction (the row lock serialises writers).
    static func next(_ name: String, on sql: any SQLDatabase) async throws -> Int64 {
        try await sql.insert(into: "usecase_counters").columns("name", "value").values(SQLBind(name), SQLBind(Int64(0)))
            .ignoringConflicts(with: ["name"]).run()
        guard let row = try await sql.raw("UPDATE usecase_counters SET value = value + 1 WHERE name = \(bind: name) RETURNING value").first() else {
            throw Problem.internalError
        }
        return try row.decode(column: "value", as: Int64.self)
    }
}
