import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Target scopes: the overall rate or one kind of offering.
public enum TargetScope {
    public static let overall = "overall"
    public static var all: [String] { [overall] + OfferingKind.allCases.map(\.rawValue) }
}

public struct TargetInput: Codable, Sendable {
    public var fiscalYear: Int
    /// `overall`, `product`, `service` or `infrastructure`.
    public var scope: String
    /// Target share 0…1 (at most 4 decimals); null removes the target.
    public var rate: Decimal?
    public var note: String?
    public init(fiscalYear: Int, scope: String, rate: Decimal?, note: String? = nil) {
        self.fiscalYear = fiscalYear; self.scope = scope; self.rate = rate; self.note = note
    }
}

public struct CategoryInput: Codable, Sendable {
    public var code: String
    public var nameJa: String
    public var nameEn: String
    public var sortOrder: Int?
    public var active: Bool?
    public init(code: String, nameJa: String, nameEn: String, sortOrder: Int? = nil, active: Bool? = nil) {
        self.code = code; self.nameJa = nameJa; self.nameEn = nameEn; self.sortOrder = sortOrder; self.active = active
    }
}

public struct ParameterInput: Codable, Sendable {
    public var effectiveFrom: Int
    public var weights: CriterionWeights
    /// Minimum scores for SEAL-1…4, 0…1.
    public var thresholds: [Decimal]
    public var domesticLevel: Int
    public var minimumDeclarers: Int
    public var note: String
}

public struct OverseasSalesInput: Codable, Sendable {
    public var organisationId: UUID?
    public var fiscalYear: Int
    public var amountYen: Int64
    public var markets: String?
    public init(organisationId: UUID? = nil, fiscalYear: Int, amountYen: Int64, markets: String? = nil) {
        self.organisationId = organisationId; self.fiscalYear = fiscalYear; self.amountYen = amountYen; self.markets = markets
    }
}

/// The logged content of a target change.
struct PublishedTarget: Encodable {
    let fiscalYear: Int
    let scope: String
    let rate: Double?
    let note: String
    let revision: Int
}

extension SovereigntyService {
    // MARK: parameters

    func createParameterVersion(_ input: ParameterInput, by identity: Identity) async throws -> ParameterVersion {
        guard identity.isAdmin else { throw Problem.forbidden }
        var errors = ValidationErrors()
        var thresholds: [Int] = []
        for (i, value) in input.thresholds.enumerated() {
            if let bp = BasisPoints.from(value) { thresholds.append(bp) } else {
                errors.add("/thresholds/\(i)", code: FieldError.Code.invalid, .init(ja: "小数点以下4桁までで入力してください。", en: "Use at most 4 decimals."))
                thresholds.append(0)
            }
        }
        try errors.throwIfAny()
        let parameters = ScoringParameters(weights: input.weights, thresholds: thresholds, domesticLevel: input.domesticLevel,
                                           minimumDeclarers: input.minimumDeclarers)
        let now = services.now
        return try await services.db.transaction { db in
            try await ParameterStore.createVersion(parameters, effectiveFrom: input.effectiveFrom, note: input.note, actor: Actor(identity), at: now, on: db)
        }
    }

    // MARK: targets

    /// Sets (or with a null rate removes) the target of a year and scope; each change is logged.
    func setTarget(_ input: TargetInput, by identity: Identity) async throws -> Target? {
        guard identity.isAdmin else { throw Problem.forbidden }
        var errors = ValidationErrors()
        if !(FiscalYear.earliest...FiscalYear.latestTarget).contains(input.fiscalYear) {
            errors.add("/fiscalYear", code: FieldError.Code.range,
                       .init(ja: "年度は\(FiscalYear.earliest)〜\(FiscalYear.latestTarget)です。", en: "The fiscal year is from \(FiscalYear.earliest) to \(FiscalYear.latestTarget)."))
        }
        if !TargetScope.all.contains(input.scope) {
            errors.add("/scope", code: FieldError.Code.invalid, .init(ja: "対象を選んでください。", en: "Choose overall or a kind of offering."))
        }
        var parsedRate: Int?
        if let rate = input.rate {
            parsedRate = BasisPoints.from(rate)
            if parsedRate == nil || !(0...10000).contains(parsedRate!) {
                errors.add("/rate", code: FieldError.Code.range, .init(ja: "目標は0%〜100%（小数点以下2桁まで）です。", en: "A target is from 0 to 1 with at most 4 decimals."))
            }
        }
        let note = FactValidation.text(input.note, "/note", max: 500, into: &errors)
        try errors.throwIfAny()
        let now = services.now
        let rateBP = parsedRate
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            let existing = try await Target.query(on: db).filter(\.$fiscalYear == input.fiscalYear).filter(\.$scope == input.scope).first()
            if rateBP == nil && existing == nil { throw Problem.notFound }
            // Revisions count every logged change of the record, removals included, so a target
            // set again after a removal does not repeat an earlier revision number.
            let recordNumber = "SOV-TARGET-\(input.fiscalYear)-\(input.scope)"
            let revision = try await TransparencyLogStore.indexes(ofRecord: recordNumber, on: db).count + 1
            let target = existing ?? Target()
            if let rateBP {
                target.fiscalYear = input.fiscalYear
                target.scope = input.scope
                target.rateBP = rateBP
                target.note = note
                target.revision = revision
                target.updatedAt = now
                try await target.save(on: db)
            } else {
                try await target.delete(on: db)
            }
            try await PublicRecord.publish(
                on: db, actor: Actor(identity), organisationID: nil, type: rateBP == nil ? "sovereignty.target.removed" : "sovereignty.target",
                subject: "\(input.fiscalYear) \(input.scope)", recordNumber: recordNumber,
                content: PublishedTarget(fiscalYear: input.fiscalYear, scope: input.scope, rate: rateBP.map { Double($0) / 10000 }, note: note, revision: revision),
                targetType: "sovereignty-target", targetID: "\(input.fiscalYear)-\(input.scope)",
                summary: ["rate": rateBP.map(BasisPoints.decimal) ?? "removed"], at: now)
            return rateBP == nil ? nil : target
        }
    }

    // MARK: categories

    static func isCategoryCode(_ code: String) -> Bool {
        (1...40).contains(code.count) && code.first != "-"
            && code.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    func saveCategory(_ id: UUID?, _ input: CategoryInput, by identity: Identity) async throws -> SecurityCategory {
        guard identity.isAdmin else { throw Problem.forbidden }
        var errors = ValidationErrors()
        let code = input.code.trimmingCharacters(in: .whitespaces)
        if !Self.isCategoryCode(code) {
            errors.add("/code", code: FieldError.Code.invalid,
                       .init(ja: "コードは英小文字・数字・ハイフンの40文字以内です（例：ot-security）。", en: "The code is lower-case letters, digits and hyphens, at most 40 (e.g. ot-security)."))
        }
        let nameJa = FactValidation.text(input.nameJa, "/nameJa", max: 100, into: &errors)
        let nameEn = FactValidation.text(input.nameEn, "/nameEn", max: 100, into: &errors)
        if nameJa.isEmpty { errors.add("/nameJa", code: FieldError.Code.missing, .init(ja: "日本語名を入力してください。", en: "Enter the Japanese name.")) }
        if nameEn.isEmpty { errors.add("/nameEn", code: FieldError.Code.missing, .init(ja: "英語名を入力してください。", en: "Enter the English name.")) }
        if let order = input.sortOrder, !(0...100_000).contains(order) {
            errors.add("/sortOrder", code: FieldError.Code.range, .init(ja: "表示順は0〜100000です。", en: "The order is from 0 to 100000."))
        }
        try errors.throwIfAny()
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            let category: SecurityCategory
            if let id {
                guard let found = try await SecurityCategory.find(id, on: db) else { throw Problem.notFound }
                if found.code != code {
                    throw Problem.validation([FieldError(pointer: "/code", code: FieldError.Code.invalid, detail: "The code of a category cannot be changed.",
                                                         detailJa: "分野のコードは変更できません。")])
                }
                category = found
            } else {
                if try await SecurityCategory.query(on: db).filter(\.$code == code).first() != nil {
                    throw Problem.conflict(.init(ja: "このコードの分野はすでにあります。", en: "A category with this code exists."),
                                           errors: [FieldError(pointer: "/code", code: "duplicate", detail: "already exists")])
                }
                let last = try await SecurityCategory.query(on: db).sort(\.$sortOrder, .descending).first()
                category = SecurityCategory(code: code, nameJa: nameJa, nameEn: nameEn, sortOrder: (last?.sortOrder ?? 0) + 10)
            }
            category.nameJa = nameJa
            category.nameEn = nameEn
            if let order = input.sortOrder { category.sortOrder = order }
            if let active = input.active { category.active = active }
            try await category.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: nil, action: id == nil ? "sovereignty.category.create" : "sovereignty.category.update",
                                        targetType: "sovereignty-category", targetID: category.id!.uuidString,
                                        summary: ["code": code, "nameJa": nameJa, "nameEn": nameEn, "active": "\(category.active)"], at: now)
            return category
        }
    }

    // MARK: overseas sales

    func saveOverseasSales(_ input: OverseasSalesInput, by identity: Identity) async throws -> OverseasSale {
        let organisationID = try declaringOrganisation(input.organisationId, identity)
        var errors = ValidationErrors()
        let now = services.now
        if !(FiscalYear.earliest...FiscalYear.of(now)).contains(input.fiscalYear) {
            errors.add("/fiscalYear", code: FieldError.Code.range,
                       .init(ja: "年度は\(FiscalYear.earliest)〜\(FiscalYear.of(now))年度です。", en: "The fiscal year is from \(FiscalYear.earliest) to \(FiscalYear.of(now))."))
        }
        if !(0...100_000_000_000_000).contains(input.amountYen) {
            errors.add("/amountYen", code: FieldError.Code.range, .init(ja: "金額は0〜100兆円の整数（円）です。", en: "The amount is whole yen from 0 to 100 trillion."))
        }
        let markets = FactValidation.text(input.markets, "/markets", max: 500, into: &errors)
        try errors.throwIfAny()
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let profile = try await VendorProfile.query(on: db).filter(\.$organisation.$id == organisationID).first(),
                  Scoring.isDomesticVendor(profile.facts) else {
                throw Problem.conflict(.init(ja: "海外売上は国内ベンダー（本社・最終親会社・支配株主が日本）だけが申告できます。先にプロファイルを登録してください。",
                                             en: "Only domestic vendors (headquartered, owned and controlled in Japan) declare overseas sales; save the profile first."))
            }
            let sale = try await OverseasSale.query(on: db).filter(\.$organisationID == organisationID).filter(\.$fiscalYear == input.fiscalYear).first()
                ?? OverseasSale()
            let isNew = sale.id == nil
            sale.organisationID = organisationID
            sale.fiscalYear = input.fiscalYear
            sale.amountYen = input.amountYen
            sale.markets = markets
            sale.updatedAt = now
            try await sale.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: organisationID,
                                        action: isNew ? "sovereignty.overseas-sales.create" : "sovereignty.overseas-sales.update",
                                        targetType: "sovereignty-overseas-sales", targetID: sale.id!.uuidString,
                                        summary: ["fiscalYear": "\(input.fiscalYear)", "amountYen": "\(input.amountYen)"], at: now)
            return sale
        }
    }
}
