import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// Needs: posted by an organisation, answered by providers, closed (as solved, with the use case
/// that solved it, or simply closed).
struct NeedService: Sendable {
    let services: Services

    struct ResponseInput: Codable, Sendable {
        var message: String
        var usecaseNumber: String?
    }

    struct CloseInput: Codable, Sendable {
        var solvedBy: String?
        var note: String?
    }

    var categories: UseCaseService { UseCaseService(services: services) }

    static func today(_ now: Date) -> LocalDate {
        let c = JapaneseDate.components(now)
        return LocalDate(year: c.year, month: c.month, day: c.day)!
    }

    func create(_ input: NeedContent, by principal: Principal) async throws -> NeedRecord {
        guard let organisationID = principal.organisationID else { throw Problem.forbidden }
        let content = input.normalised()
        let now = services.now
        let errors = content.validationErrors(categories: try await categories.activeCategorySlugs(), today: Self.today(now), isNew: true)
        if !errors.isEmpty { throw Problem.validation(errors) }
        return try await services.db.transaction { db in
            let year = JapaneseDate.components(now).year
            let record = NeedRecord()
            record.number = UseCaseNumbers.format(prefix: "ND", year: year, sequence: try await UseCaseNumbers.next("ND-\(year)", on: db as! any SQLDatabase))
            record.organisationID = organisationID
            try record.setContent(content)
            record.status = .open; record.responses = 0; record.createdAt = now; record.updatedAt = now; record.createdBy = principal.actor.label
            try await record.create(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: organisationID, action: "usecase.need.create",
                                        targetType: "usecase-need", targetID: record.number, summary: ["title": content.title], at: now)
            return record
        }
    }

    func need(_ number: String) async throws -> NeedRecord? {
        guard UseCaseNumbers.isNeedNumber(number) else { return nil }
        return try await NeedRecord.query(on: services.db).filter(\.$number == number).first()
    }

    func list(status: NeedStatus?, text: String, industry: String?, page: ShinraiKit.PageRequest) async throws -> (items: [NeedRecord], total: Int) {
        var query = NeedRecord.query(on: services.db)
        if let status { query = query.filter(\.$statusRaw == status.rawValue) }
        if let industry { query = query.filter(\.$industry == industry) }
        for term in SearchText.terms(text) {
            query = query.filter(\.$searchText ~~ term)
        }
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$number, .descending).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    /// The requester and moderators see every response; a responder sees its own.
    func responses(to need: NeedRecord, visibleTo principal: Principal?) async throws -> [NeedResponseRecord]? {
        guard let principal else { return nil }
        var query = NeedResponseRecord.query(on: services.db).filter(\.$needID == need.id!)
        if !(principal.isModerator || principal.organisationID == need.organisationID) {
            guard let own = principal.organisationID else { return nil }
            query = query.filter(\.$organisationID == own)
        }
        return try await query.sort(\.$createdAt).all()
    }

    func respond(to number: String, _ input: ResponseInput, by principal: Principal) async throws -> NeedResponseRecord {
        guard let organisationID = principal.organisationID else { throw Problem.forbidden }
        let message = Clean.text(input.message)
        let usecase = input.usecaseNumber.map(Clean.line)?.nilIfEmpty
        var v = Check()
        v.text("/message", message, max: UseCaseContent.limits.note, ja: "回答", en: "message")
        if !v.errors.isEmpty { throw Problem.validation(v.errors) }
        let now = services.now
        return try await services.db.transaction { db in
            guard let need = try await NeedRecord.query(on: db).filter(\.$number == number).first() else { throw Problem.notFound }
            guard need.organisationID != organisationID else {
                throw Problem.conflict(.init(ja: "自分の組織のニーズには回答できません。", en: "You cannot respond to your own organisation's need."))
            }
            guard need.status == .open else {
                throw Problem.conflict(.init(ja: "このニーズは受付を終了しています。", en: "This need is closed."))
            }
            if let usecase {
                let owned = try await UseCaseRecord.query(on: db).filter(\.$number == usecase).filter(\.$listed == true).first()
                guard owned?.organisationID == organisationID else {
                    throw Problem.validation([FieldError(pointer: "/usecaseNumber", code: "invalid", detail: "Give the number of one of your organisation's published use cases.",
                                                         detailJa: "自分の組織が公開している事例の番号を入力してください。")])
                }
            }
            let response = NeedResponseRecord()
            response.needID = need.id!; response.organisationID = organisationID; response.message = message
            response.usecaseNumber = usecase; response.actorLabel = principal.actor.label; response.createdAt = now
            try await response.create(on: db)
            need.responses += 1
            need.updatedAt = now
            try await need.save(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: organisationID, action: "usecase.need.respond",
                                        targetType: "usecase-need", targetID: need.number, summary: ["usecase": usecase ?? ""], at: now)
            try await Notifications.enqueue(on: db, to: .organisation(need.organisationID), kind: "usecase.need.response",
                                            subject: "ニーズへの回答: \(need.title)", body: String(message.prefix(200)),
                                            link: "/usecases/needs/\(need.number)", at: now)
            return response
        }
    }

    func close(_ number: String, _ input: CloseInput, by principal: Principal) async throws -> NeedRecord {
        let solvedBy = input.solvedBy.map(Clean.line)?.nilIfEmpty
        let note = input.note.map(Clean.text)?.nilIfEmpty
        var v = Check()
        v.optionalText("/note", note, max: UseCaseContent.limits.note, ja: "メモ", en: "note")
        if !v.errors.isEmpty { throw Problem.validation(v.errors) }
        let now = services.now
        return try await services.db.transaction { db in
            guard let need = try await NeedRecord.query(on: db).filter(\.$number == number).first() else { throw Problem.notFound }
            guard principal.isModerator || principal.organisationID == need.organisationID else { throw Problem.forbidden }
            guard need.status == .open else { throw Problem.conflict(.init(ja: "このニーズはすでに終了しています。", en: "This need is already closed.")) }
            if let solvedBy {
                guard try await UseCaseRecord.query(on: db).filter(\.$number == solvedBy).filter(\.$listed == true).first() != nil else {
                    throw Problem.validation([FieldError(pointer: "/solvedBy", code: "invalid", detail: "No published use case has this number.",
                                                         detailJa: "この番号の公開中の事例はありません。")])
                }
            }
            need.status = solvedBy == nil ? .closed : .solved
            need.solvedBy = solvedBy; need.closingNote = note; need.closedAt = now; need.updatedAt = now
            try await need.save(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: need.organisationID, action: "usecase.need.close",
                                        targetType: "usecase-need", targetID: need.number,
                                        summary: ["status": need.statusRaw, "solvedBy": solvedBy ?? ""], at: now)
            let responders = Set(try await NeedResponseRecord.query(on: db).filter(\.$needID == need.id!).all().map(\.organisationID))
            for organisation in responders {
                try await Notifications.enqueue(on: db, to: .organisation(organisation), kind: "usecase.need.closed",
                                                subject: "回答したニーズが終了しました: \(need.title)", body: solvedBy.map { "解決した事例: \($0)" } ?? "",
                                                link: "/usecases/needs/\(need.number)", at: now)
            }
            return need
        }
    }

    struct Matches: Sendable {
        var useCases: [SearchIndex.Row]
        var organisations: [(id: UUID, name: String, cases: Int)]
    }

    /// Published cases like the need (same category or industry, ranked by shared words) and the
    /// organisations that published them (other than the one with the need).
    func matches(for need: NeedRecord, limit: Int = 8) async throws -> Matches {
        let content = try need.content()
        let pool = try await SearchIndex.neighbours(category: content.category ?? "", industry: content.industry, excluding: nil, limit: 150, on: services.sql)
        let target = SearchText.bigrams(content.title + " " + content.problem)
        let ranked = pool.map { row -> (SearchIndex.Row, Double) in
            var score = SearchText.similarity(target, SearchText.bigrams(row.title + " " + row.summary))
            if row.category == content.category { score += 0.3 }
            if row.industry == content.industry { score += 0.2 }
            return (row, score)
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.updatedAt > $1.0.updatedAt }.map(\.0)
        let top = Array(ranked.prefix(limit))
        let owners = try await UseCaseRecord.query(on: services.db).filter(\.$id ~~ ranked.prefix(30).map(\.id)).all()
        var counts: [UUID: Int] = [:]
        for owner in owners where owner.organisationID != need.organisationID { counts[owner.organisationID, default: 0] += 1 }
        let organisations = try await Organisation.query(on: services.db).filter(\.$id ~~ Array(counts.keys)).all()
            .map { (id: $0.id!, name: $0.name, cases: counts[$0.id!] ?? 0) }
            .sorted { $0.cases != $1.cases ? $0.cases > $1.cases : $0.name < $1.name }
        return Matches(useCases: top, organisations: Array(organisations.prefix(5)))
    }
}
