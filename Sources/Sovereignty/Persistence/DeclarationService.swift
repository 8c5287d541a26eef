import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// How a CSV import treats a file with some wrong rows.
public enum ImportMode: String, Codable, CaseIterable, Sendable {
    /// Nothing is imported when any row is wrong (the default).
    case allOrNothing = "all-or-nothing"
    /// The valid rows are imported; the wrong ones are reported and skipped.
    case validOnly = "valid-only"
}

/// What an import did.
public struct ImportReport: Codable, Sendable, Equatable {
    public var mode: ImportMode
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var skipped: Int
    /// False when nothing was written (a wrong row in all-or-nothing mode).
    public var imported: Bool
    /// Pointers are `/rows/<line>/<field>` (line numbers as in the file, the header is line 1).
    public var errors: [FieldError]
}

extension SovereigntyService {
    /// The organisation a write is for: members their own; administrators any they name.
    func declaringOrganisation(_ requested: UUID?, _ identity: Identity) throws -> UUID {
        if let requested, requested != identity.organisationID {
            guard identity.isAdmin else { throw Problem.forbidden }
            return requested
        }
        guard let own = identity.organisationID else {
            throw Problem.validation([FieldError(pointer: "/organisationId", code: FieldError.Code.missing, detail: "Name the declaring organisation.",
                                                 detailJa: "申告する組織を指定してください。")])
        }
        // Reviewers read every declaration but only members and administrators write them.
        guard identity.role != .reviewer else { throw Problem.forbidden }
        return own
    }

    /// Finds an offering by its public number or id.
    static func resolveOffering(_ reference: String, on db: any Database) async throws -> Offering? {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: text) { return try await Offering.find(id, on: db) }
        guard !text.isEmpty, text.count <= 40 else { return nil }
        return try await Offering.query(on: db).filter(\.$number == text.uppercased()).first()
    }

    func createDeclaration(_ input: DeclarationInput, by identity: Identity) async throws -> Declaration {
        let organisationID = try declaringOrganisation(input.organisationId, identity)
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let organisation = try await Organisation.find(organisationID, on: db) else {
                throw Problem.validation([FieldError(pointer: "/organisationId", code: FieldError.Code.invalid, detail: "No organisation has this id.",
                                                     detailJa: "指定された組織がありません。")])
            }
            let offering = try await Self.resolveOffering(input.offering, on: db)
            let errors = DeclarationRules.problems(input, offeringKnown: offering != nil, currentFiscalYear: FiscalYear.of(now))
            if !errors.isEmpty { throw Problem.validation(errors) }
            let government = input.governmentSystem ?? false
            if try await existing(organisationID, offering!.id!, input.fiscalYear, government, on: db) != nil {
                throw Problem.conflict(.init(ja: "この提供物・年度・利用区分の申告はすでにあります。修正してください。",
                                             en: "This offering is already declared for this year and use; edit that declaration."),
                                       errors: [FieldError(pointer: "/offering", code: "duplicate", detail: "already declared")])
            }
            let declaration = Declaration()
            declaration.organisationID = organisationID
            declaration.$offering.id = offering!.id!
            declaration.createdAt = now
            apply(input, sector: Sector(organisation.kind), to: declaration, at: now)
            try await declaration.create(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: organisationID, action: "sovereignty.declaration.create",
                                        targetType: "sovereignty-declaration", targetID: declaration.id!.uuidString,
                                        summary: Self.summary(declaration, offering: offering!), at: now)
            return declaration
        }
    }

    func updateDeclaration(_ id: UUID, _ input: DeclarationInput, by identity: Identity) async throws -> Declaration {
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let declaration = try await Declaration.find(id, on: db) else { throw Problem.notFound }
            try authoriseWrite(declaration, identity)
            if let requested = input.organisationId, requested != declaration.organisationID {
                throw Problem.validation([FieldError(pointer: "/organisationId", code: FieldError.Code.invalid,
                                                     detail: "The declaring organisation cannot be changed.", detailJa: "申告組織は変更できません。")])
            }
            let offering = try await Self.resolveOffering(input.offering, on: db)
            let errors = DeclarationRules.problems(input, offeringKnown: offering != nil, currentFiscalYear: FiscalYear.of(now))
            if !errors.isEmpty { throw Problem.validation(errors) }
            let government = input.governmentSystem ?? false
            if let other = try await existing(declaration.organisationID, offering!.id!, input.fiscalYear, government, on: db), other.id != id {
                throw Problem.conflict(.init(ja: "この提供物・年度・利用区分の申告はすでにあります。", en: "Another declaration has this offering, year and use."),
                                       errors: [FieldError(pointer: "/offering", code: "duplicate", detail: "already declared")])
            }
            declaration.$offering.id = offering!.id!
            apply(input, sector: declaration.sector, to: declaration, at: now)
            try await declaration.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: declaration.organisationID, action: "sovereignty.declaration.update",
                                        targetType: "sovereignty-declaration", targetID: id.uuidString,
                                        summary: Self.summary(declaration, offering: offering!), at: now)
            return declaration
        }
    }

    func deleteDeclaration(_ id: UUID, by identity: Identity) async throws {
        let now = services.now
        try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let declaration = try await Declaration.find(id, on: db) else { throw Problem.notFound }
            try authoriseWrite(declaration, identity)
            let offering = try await Offering.find(declaration.$offering.id, on: db)
            try await declaration.delete(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: declaration.organisationID, action: "sovereignty.declaration.delete",
                                        targetType: "sovereignty-declaration", targetID: id.uuidString,
                                        summary: offering.map { Self.summary(declaration, offering: $0) } ?? [:], at: now)
        }
    }

    /// Reading: members their own organisation's, reviewers everyone's (404 otherwise, so ids
    /// of other organisations' declarations are not confirmed).
    func declaration(_ id: UUID, for identity: Identity) async throws -> Declaration {
        guard let declaration = try await Declaration.query(on: services.db).filter(\.$id == id).with(\.$offering).first(),
              identity.canAccess(organisation: declaration.organisationID) else { throw Problem.notFound }
        return declaration
    }

    func authoriseWrite(_ declaration: Declaration, _ identity: Identity) throws {
        guard identity.canAccess(organisation: declaration.organisationID) else { throw Problem.notFound }
        guard identity.isAdmin || (identity.role == .member && identity.organisationID == declaration.organisationID) else { throw Problem.forbidden }
    }

    func existing(_ organisationID: UUID, _ offeringID: UUID, _ year: Int, _ government: Bool, on db: any Database) async throws -> Declaration? {
        try await Declaration.query(on: db).filter(\.$organisationID == organisationID).filter(\.$offering.$id == offeringID)
            .filter(\.$fiscalYear == year).filter(\.$governmentSystem == government).first()
    }

    private func apply(_ input: DeclarationInput, sector: Sector, to declaration: Declaration, at now: Date) {
        declaration.fiscalYear = input.fiscalYear
        declaration.spendYen = input.spendYen
        declaration.units = input.units
        declaration.governmentSystem = input.governmentSystem ?? false
        declaration.sector = sector
        declaration.note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        declaration.updatedAt = now
    }

    static func summary(_ declaration: Declaration, offering: Offering) -> [String: String] {
        ["offering": offering.number, "fiscalYear": "\(declaration.fiscalYear)", "spendYen": declaration.spendYen.map { "\($0)" } ?? "",
         "units": declaration.units.map { "\($0)" } ?? "", "governmentSystem": "\(declaration.governmentSystem)"]
    }

    // MARK: CSV import

    /// Imports a CSV file of declarations for one organisation. Existing declarations with the
    /// same offering, year and use are updated. In all-or-nothing mode one wrong row stops the
    /// whole file; in valid-only mode the wrong rows are skipped.
    func importDeclarations(csv: String, mode: ImportMode, organisationID requested: UUID?, by identity: Identity) async throws -> ImportReport {
        let organisationID = try declaringOrganisation(requested, identity)
        let parsed: [DeclarationCSV.Row]
        do { parsed = try DeclarationCSV.parse(csv) } catch let error as DeclarationCSV.FileError {
            throw Problem.validation([error.error], detail: .init(ja: "ファイルを読み取れませんでした。", en: "The file could not be read."))
        }
        let now = services.now
        let currentYear = FiscalYear.of(now)
        return try await services.db.transaction { db in
            var rows = parsed
            guard let organisation = try await Organisation.find(organisationID, on: db) else { throw Problem.notFound }
            // Resolve every distinct offering reference once.
            var offerings: [String: Offering?] = [:]
            for reference in Set(rows.map(\.offeringReference)) where !reference.isEmpty {
                offerings[reference] = try await Self.resolveOffering(reference, on: db)
            }
            var seen: [String: Int] = [:]
            for i in rows.indices {
                guard let input = rows[i].input else {
                    // A row with errors in other columns is still checked for its offering, so
                    // that one round of corrections suffices.
                    let reference = rows[i].offeringReference
                    let offeringKnown = (offerings[reference] ?? nil) != nil
                    let problems = DeclarationRules.problems(DeclarationInput(offering: reference, fiscalYear: currentYear, spendYen: 0),
                                                             offeringKnown: offeringKnown, currentFiscalYear: currentYear)
                    rows[i].errors += problems.map { FieldError(pointer: "/rows/\(rows[i].line)" + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
                    continue
                }
                let offering = offerings[input.offering] ?? nil
                let problems = DeclarationRules.problems(input, offeringKnown: offering != nil, currentFiscalYear: currentYear)
                rows[i].errors += problems.map { FieldError(pointer: "/rows/\(rows[i].line)" + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
                if let offering, problems.isEmpty {
                    let key = "\(offering.id!)|\(input.fiscalYear)|\(input.governmentSystem ?? false)"
                    if let first = seen[key] {
                        rows[i].errors.append(FieldError(pointer: "/rows/\(rows[i].line)/offering", code: "duplicate",
                                                         detail: "Same offering, year and use as line \(first).",
                                                         detailJa: "\(first)行目と同じ提供物・年度・利用区分です。"))
                    } else {
                        seen[key] = rows[i].line
                    }
                }
            }
            let errors = rows.flatMap(\.errors)
            let valid = rows.filter { $0.errors.isEmpty }
            var report = ImportReport(mode: mode, rows: rows.count, created: 0, updated: 0, skipped: rows.count - valid.count,
                                      imported: false, errors: errors)
            if !errors.isEmpty && mode == .allOrNothing { report.skipped = rows.count; return report }
            if valid.isEmpty { return report }
            try await Generation.bump(on: db)
            let sector = Sector(organisation.kind)
            for row in valid {
                let input = row.input!
                let offering = offerings[input.offering]!!
                let declaration = try await existing(organisationID, offering.id!, input.fiscalYear, input.governmentSystem ?? false, on: db)
                    ?? { let d = Declaration(); d.organisationID = organisationID; d.$offering.id = offering.id!; d.createdAt = now; return d }()
                if declaration.id == nil { report.created += 1 } else { report.updated += 1 }
                apply(input, sector: declaration.id == nil ? sector : declaration.sector, to: declaration, at: now)
                try await declaration.save(on: db)
            }
            report.imported = true
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: organisationID, action: "sovereignty.declaration.import",
                                        targetType: "organisation", targetID: organisationID.uuidString,
                                        summary: ["mode": mode.rawValue, "rows": "\(report.rows)", "created": "\(report.created)",
                                                  "updated": "\(report.updated)", "skipped": "\(report.skipped)"], at: now)
            return report
        }
    }
}
