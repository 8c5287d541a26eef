import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Listed companies and index constituent lists.
struct CompanyService: Sendable {
    let services: Services
    var db: any Database { services.db }

    /// The logged content of a company registration.
    struct RegisteredCompany: Encodable {
        let corporateNumber: String, securitiesCode: String, name: String, nameEn: String?, marketSegment: String, fiscalYearEndMonth: Int
    }

    func create(_ input: CompanyInput, actor: Actor) async throws -> ListedCompany {
        let valid: CompanyInput.Valid
        switch input.validated() {
        case .success(let v): valid = v
        case .failure(let errors): throw Problem.validation(errors.errors)
        }
        let now = services.now
        return try await db.transaction { db in
            let company = try await Self.insert(valid, on: db, now: now)
            try await Self.publishRegistration(company, actor: actor, on: db, at: now)
            return company
        }
    }

    static func insert(_ valid: CompanyInput.Valid, on db: any Database, now: Date) async throws -> ListedCompany {
        if try await ListedCompany.query(on: db).filter(\.$corporateNumber == valid.corporateNumber).first() != nil {
            throw Problem.conflict(.init(ja: "この法人番号の上場会社はすでに登録されています。", en: "A listed company with this corporate number is already registered."),
                                   errors: [FieldError(pointer: "/corporateNumber", code: "duplicate", detail: "already registered", detailJa: "登録済みです")])
        }
        if try await ListedCompany.query(on: db).filter(\.$securitiesCode == valid.securitiesCode).first() != nil {
            throw Problem.conflict(.init(ja: "この証券コードの上場会社はすでに登録されています。", en: "A listed company with this securities code is already registered."),
                                   errors: [FieldError(pointer: "/securitiesCode", code: "duplicate", detail: "already registered", detailJa: "登録済みです")])
        }
        let company = ListedCompany()
        company.corporateNumber = valid.corporateNumber
        company.securitiesCode = valid.securitiesCode
        company.name = valid.name
        company.nameEn = valid.nameEn
        company.marketSegment = valid.marketSegment
        company.fiscalYearEndMonth = valid.fiscalYearEndMonth
        company.secRegistrant = valid.secRegistrant
        company.nis2Entity = valid.nis2Entity
        company.createdAt = now
        company.updatedAt = now
        try await company.create(on: db)
        return company
    }

    static func publishRegistration(_ company: ListedCompany, actor: Actor, on db: any Database, at now: Date) async throws {
        let content = RegisteredCompany(corporateNumber: company.corporateNumber, securitiesCode: company.securitiesCode, name: company.name,
                                        nameEn: company.nameEn, marketSegment: company.marketSegment.rawValue, fiscalYearEndMonth: company.fiscalYearEndMonth)
        try await PublicRecord.publish(on: db, actor: actor, organisationID: nil, type: "disclosure.company.registered",
                                       subject: "\(company.securitiesCode) \(company.name)", recordNumber: "CO-\(company.securitiesCode)",
                                       content: content, targetType: "listed-company", targetID: company.id!.uuidString,
                                       summary: ["securitiesCode": company.securitiesCode, "corporateNumber": company.corporateNumber, "name": company.name],
                                       at: now)
    }

    struct CompanyFilter {
        var query: String?
        var segment: MarketSegment?
    }

    func list(_ filter: CompanyFilter, page: ShinraiKit.PageRequest) async throws -> (items: [ListedCompany], total: Int) {
        var query = ListedCompany.query(on: db)
        if let segment = filter.segment { query = query.filter(\.$marketSegment == segment) }
        if let text = filter.query?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            query = query.group(.or) { group in
                group.filter(\.$name ~~ text).filter(\.$securitiesCode == text.uppercased()).filter(\.$corporateNumber == text)
            }
        }
        let total = try await query.count()
        let items = try await query.sort(\.$securitiesCode).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    // MARK: indexes

    struct IndexInput: Codable, Sendable {
        var code: String
        var name: String
        var nameEn: String?
    }

    func createIndex(_ input: IndexInput, actor: Actor) async throws -> MarketIndex {
        var errors = ValidationErrors()
        let code = input.code.trimmingCharacters(in: .whitespaces).uppercased()
        if code.range(of: "^[A-Z0-9][A-Z0-9-]{1,31}$", options: .regularExpression) == nil {
            errors.add("/code", code: FieldError.Code.invalid,
                       .init(ja: "指数コードは英大文字・数字・ハイフンの2〜32文字にしてください（例: NIKKEI500）。", en: "The index code is 2–32 capital letters, digits or hyphens (e.g. NIKKEI500)."))
        }
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 {
            errors.add("/name", code: FieldError.Code.missing, .init(ja: "指数名を200文字以内で入力してください。", en: "Enter the index name (at most 200 characters)."))
        }
        let nameEn = input.nameEn?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if (nameEn?.count ?? 0) > 200 {
            errors.add("/nameEn", code: FieldError.Code.invalid, .init(ja: "英語名は200文字以内にしてください。", en: "The English name is at most 200 characters."))
        }
        TextRules.check([("/name", name), ("/nameEn", nameEn)], into: &errors)
        try errors.throwIfAny()
        let now = services.now
        return try await db.transaction { db in
            if try await MarketIndex.query(on: db).filter(\.$code == code).first() != nil {
                throw Problem.conflict(.init(ja: "この指数コードはすでに使われています。", en: "This index code is already used."),
                                       errors: [FieldError(pointer: "/code", code: "duplicate", detail: "already used", detailJa: "使用済みです")])
            }
            let index = MarketIndex()
            index.code = code; index.name = name; index.nameEn = nameEn; index.createdAt = now
            try await index.create(on: db)
            try await DisclosureStore.audit(db, actor, organisation: nil, action: "disclosure.index.create", targetType: "index",
                                            target: index.id!.uuidString, summary: ["code": code, "name": name], at: now)
            return index
        }
    }

    func index(code: String) async throws -> MarketIndex? {
        try await MarketIndex.query(on: db).filter(\.$code == code.uppercased()).first()
    }

    struct ImportOutcome: Sendable {
        let snapshot: IndexSnapshot
        let created: Int
        let members: Int
    }

    /// The logged content of a constituent list.
    struct PublishedConstituents: Encodable {
        let index: String, effectiveDate: String, securitiesCodes: [String]
    }

    /// Imports a constituent list effective from `effectiveDate`. All rows are checked first; any bad row
    /// refuses the whole file (every problem is listed), so a list is never half imported.
    func importConstituents(index: MarketIndex, effectiveDate: String, csv: String, actor: Actor) async throws -> ImportOutcome {
        var errors = ValidationErrors()
        guard let date = LocalDate(effectiveDate.trimmingCharacters(in: .whitespaces)), FiscalYear.supported.contains(date.year) else {
            errors.add("/effectiveDate", code: FieldError.Code.invalid, .init(ja: "適用開始日をYYYY-MM-DDで入力してください（2000〜2099年）。", en: "Enter the effective date as YYYY-MM-DD (2000–2099)."))
            throw Problem.validation(errors.errors)
        }
        if csv.utf8.count > 2_000_000 {
            throw Problem.validation([FieldError(pointer: "/csv", code: FieldError.Code.range, detail: "The CSV is larger than 2 MB.", detailJa: "CSVが2MBを超えています。")])
        }
        let known = Set(try await (db as! any SQLDatabase).select().column("securities_code").from(ListedCompany.schema).all()
            .map { try $0.decode(column: "securities_code", as: String.self) })
        let rows: [ConstituentCSV.Row]
        switch ConstituentCSV.parse(csv, known: known) {
        case .success(let parsed): rows = parsed
        case .failure(let problems): throw Problem.validation(problems.errors)
        }
        let now = services.now
        return try await db.transaction { db in
            if try await IndexSnapshot.query(on: db).filter(\.$indexID == index.id!).filter(\.$effectiveDate == date.iso).first() != nil {
                throw Problem.conflict(.init(ja: "この指数には\(date.iso)から適用の構成銘柄がすでにあります。別の適用開始日を指定してください。",
                                             en: "This index already has a constituent list effective from \(date.iso); choose another effective date."),
                                       errors: [FieldError(pointer: "/effectiveDate", code: "duplicate", detail: "already imported", detailJa: "取込済みです")])
            }
            var created = 0
            var ids: [UUID] = []
            for row in rows {
                if let existing = try await ListedCompany.query(on: db).filter(\.$securitiesCode == row.securitiesCode).first() {
                    if let data = row.company, data.corporateNumber != existing.corporateNumber {
                        throw Problem.validation([FieldError(pointer: "/rows/\(row.line)/corporateNumber", code: FieldError.Code.invalid,
                                                             detail: "Line \(row.line): securities code \(row.securitiesCode) is registered with another corporate number.",
                                                             detailJa: "\(row.line)行目: 証券コード\(row.securitiesCode)は別の法人番号で登録されています。")])
                    }
                    ids.append(existing.id!)
                } else if let data = row.company {
                    let company = try await Self.insert(data, on: db, now: now)
                    try await Self.publishRegistration(company, actor: actor, on: db, at: now)
                    ids.append(company.id!)
                    created += 1
                }
            }
            let snapshot = IndexSnapshot()
            snapshot.indexID = index.id!
            snapshot.effectiveDate = date.iso
            snapshot.rowCount = ids.count
            snapshot.importedAt = now
            snapshot.importedBy = actor.label
            try await snapshot.create(on: db)
            let sql = db as! any SQLDatabase
            for chunk in stride(from: 0, to: ids.count, by: 300) {
                let insert = sql.insert(into: IndexMember.schema).columns("id", "snapshot_id", "company_id")
                for id in ids[chunk..<min(chunk + 300, ids.count)] { insert.values(SQLBind(UUID()), SQLBind(snapshot.id!), SQLBind(id)) }
                try await insert.run()
            }
            try await PublicRecord.publish(on: db, actor: actor, organisationID: nil, type: "disclosure.index.constituents",
                                           subject: "\(index.code) \(date.iso)", recordNumber: "IDX-\(index.code)-\(date.iso)",
                                           content: PublishedConstituents(index: index.code, effectiveDate: date.iso, securitiesCodes: rows.map(\.securitiesCode)),
                                           targetType: "index", targetID: index.id!.uuidString,
                                           summary: ["index": index.code, "effectiveDate": date.iso, "members": String(ids.count), "createdCompanies": String(created)],
                                           at: now)
            return ImportOutcome(snapshot: snapshot, created: created, members: ids.count)
        }
    }

    /// The snapshot in force on `date` (the latest effective on or before it).
    func snapshot(of index: MarketIndex, asOf date: LocalDate) async throws -> IndexSnapshot? {
        try await IndexSnapshot.query(on: db).filter(\.$indexID == index.id!).filter(\.$effectiveDate <= date.iso)
            .sort(\.$effectiveDate, .descending).first()
    }

    func members(of snapshot: IndexSnapshot) async throws -> [ListedCompany] {
        let ids = try await IndexMember.query(on: db).filter(\.$snapshotID == snapshot.id!).all().map(\.companyID)
        return try await DisclosureStore.companies(ids: ids, on: db).values.sorted { $0.securitiesCode < $1.securitiesCode }
    }
}
