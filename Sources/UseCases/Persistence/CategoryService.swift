import FluentKit
import Foundation
import ShinraiKit

/// The editable problem-category taxonomy. Reviewers add, rename, reorder and retire categories;
/// slugs never change, so published cases keep pointing at their category.
struct CategoryService: Sendable {
    let services: Services

    struct Input: Codable, Sendable {
        var slug: String
        var name: String
        var nameEn: String
        var position: Int?
        var active: Bool?
    }

    struct Update: Codable, Sendable {
        var name: String?
        var nameEn: String?
        var position: Int?
        var active: Bool?
    }

    static func isValidSlug(_ slug: String) -> Bool {
        guard (1...60).contains(slug.count), let first = slug.unicodeScalars.first, first != "-" else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func checkNames(_ name: String?, _ nameEn: String?, into v: inout Check) {
        if let name { v.text("/name", name, max: 60, ja: "名称", en: "Japanese name") }
        if let nameEn { v.text("/nameEn", nameEn, max: 60, ja: "英語名", en: "English name") }
    }

    func create(_ input: Input, by principal: Principal) async throws -> CategoryRecord {
        guard principal.isModerator else { throw Problem.forbidden }
        let slug = Clean.line(input.slug), name = Clean.line(input.name), nameEn = Clean.line(input.nameEn)
        var v = Check()
        if !Self.isValidSlug(slug) {
            v.add("/slug", "invalid", ja: "識別子は英小文字・数字・ハイフンの60文字以内で、先頭はハイフン以外にしてください。",
                  en: "The slug is up to 60 lower-case letters, digits and hyphens, not starting with a hyphen.")
        }
        Self.checkNames(name, nameEn, into: &v)
        if let position = input.position, !(0...100_000).contains(position) {
            v.add("/position", "range", ja: "表示順は0〜100000で指定してください。", en: "The position is 0–100000.")
        }
        if !v.errors.isEmpty { throw Problem.validation(v.errors) }
        let now = services.now
        return try await services.db.transaction { db in
            if try await CategoryRecord.query(on: db).filter(\.$slug == slug).first() != nil {
                throw Problem.conflict(.init(ja: "この識別子の分類はすでにあります。", en: "A category with this slug already exists."),
                                       errors: [FieldError(pointer: "/slug", code: "duplicate", detail: "already exists", detailJa: "すでにあります。")])
            }
            let last = try await CategoryRecord.query(on: db).max(\.$position) ?? 0
            let record = CategoryRecord(slug: slug, nameJa: name, nameEn: nameEn, position: input.position ?? last + 10, at: now)
            record.active = input.active ?? true
            try await record.create(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: nil, action: "usecase.category.create",
                                        targetType: "usecase-category", targetID: slug, summary: ["name": name, "nameEn": nameEn], at: now)
            return record
        }
    }

    func update(_ slug: String, with input: Update, by principal: Principal) async throws -> CategoryRecord {
        guard principal.isModerator else { throw Problem.forbidden }
        let name = input.name.map(Clean.line), nameEn = input.nameEn.map(Clean.line)
        var v = Check()
        Self.checkNames(name, nameEn, into: &v)
        if let position = input.position, !(0...100_000).contains(position) {
            v.add("/position", "range", ja: "表示順は0〜100000で指定してください。", en: "The position is 0–100000.")
        }
        if !v.errors.isEmpty { throw Problem.validation(v.errors) }
        let now = services.now
        return try await services.db.transaction { db in
            guard let record = try await CategoryRecord.query(on: db).filter(\.$slug == slug).first() else { throw Problem.notFound }
            if let name { record.nameJa = name }
            if let nameEn { record.nameEn = nameEn }
            if let position = input.position { record.position = position }
            if let active = input.active { record.active = active }
            record.updatedAt = now
            try await record.save(on: db)
            try await AuditTrail.record(on: db, actor: principal.actor, organisationID: nil, action: "usecase.category.update",
                                        targetType: "usecase-category", targetID: slug,
                                        summary: ["name": record.nameJa, "nameEn": record.nameEn, "position": String(record.position),
                                                  "active": String(record.active)], at: now)
            return record
        }
    }
}
