import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Queries shared by the module's services.
enum DisclosureStore {
    /// The next public number for `prefix` in `year`: `INC-2026-0001`. Atomic on both databases
    /// (an upsert on one counter row), so concurrent publications never share a number.
    static func nextNumber(_ prefix: String, year: Int, on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        let key = "\(prefix)-\(year)"
        let row = try await sql.raw("""
            INSERT INTO disclosure_counters (counter_key, value) VALUES (\(bind: key), 1)
            ON CONFLICT (counter_key) DO UPDATE SET value = disclosure_counters.value + 1
            RETURNING value
            """).first()
        let value = try row?.decode(column: "value", as: Int.self) ?? 1
        let digits = String(value)
        return "\(key)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Regime rules in order (all, including inactive ones).
    static func rules(on db: any Database) async throws -> [RegimeRule] {
        try await RegimeRuleRecord.query(on: db).sort(\.$position).all().map { try DisclosureJSON.decode(RegimeRule.self, $0.definition) }
    }

    /// The company whose 法人番号 is the organisation's.
    static func company(forOrganisation id: UUID?, on db: any Database) async throws -> ListedCompany? {
        guard let id, let org = try await Organisation.find(id, on: db), let number = org.corporateNumber else { return nil }
        return try await ListedCompany.query(on: db).filter(\.$corporateNumber == number).first()
    }

    /// The platform organisation with the company's 法人番号.
    static func organisation(forCompany company: ListedCompany, on db: any Database) async throws -> Organisation? {
        try await Organisation.query(on: db).filter(\.$corporateNumber == company.corporateNumber).first()
    }

    static func company(code: String, on db: any Database) async throws -> ListedCompany? {
        guard let valid = try? SecuritiesCode(code) else { return nil }
        return try await ListedCompany.query(on: db).filter(\.$securitiesCode == valid.value).first()
    }

    static func companies(ids: [UUID], on db: any Database) async throws -> [UUID: ListedCompany] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: ListedCompany] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for company in try await ListedCompany.query(on: db).filter(\.$id ~~ part).all() { out[company.id!] = company }
        }
        return out
    }

    /// The signed-in member's company, or a 403 that says why.
    static func memberCompany(_ identity: Identity, on db: any Database) async throws -> ListedCompany {
        guard identity.role == .member else {
            throw Problem(status: .forbidden, slug: "forbidden", title: Problem.forbidden.title,
                          detail: .init(ja: "開示を行えるのは上場会社のメンバーです。", en: "Only members of a listed company can file disclosures."))
        }
        guard let company = try await company(forOrganisation: identity.organisationID, on: db) else {
            throw Problem(status: .forbidden, slug: "forbidden", title: Problem.forbidden.title,
                          detail: .init(ja: "あなたの組織は上場会社として登録されていません（法人番号で照合します）。取引所の担当者に登録を依頼してください。",
                                        en: "Your organisation is not registered as a listed company (matched by corporate number). Ask the exchange to register it."))
        }
        return company
    }

    static func audit(_ db: any Database, _ actor: Actor, organisation: UUID?, action: String, targetType: String, target: String,
                      summary: [String: String], at time: Date) async throws {
        try await AuditTrail.record(on: db, actor: actor, organisationID: organisation, action: action, targetType: targetType,
                                    targetID: target, summary: summary, at: time)
    }
}

extension Problem {
    /// 409 for a state that does not allow the action.
    static func state(_ ja: String, _ en: String) -> Problem { .conflict(.init(ja: ja, en: en)) }
}

/// Reads `YYYY-MM-DDTHH:MM` from a `datetime-local` field as Japanese time (also accepts RFC 3339).
enum FormTime {
    static func parse(_ text: String?) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let instant = ISO8601Timestamp.parse(text) { return instant }
        let withSeconds = text.count == 16 ? text + ":00" : text
        return ISO8601Timestamp.parse(withSeconds + "+09:00")
    }

    /// The value for a `datetime-local` input: `2026-04-30T21:00` in Japanese time.
    static func inputValue(_ date: Date?) -> String {
        guard let date else { return "" }
        return String(JapanTime.iso8601(date).prefix(16))
    }
}
