import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Parameter versions and the offering scores derived from them.
enum ParameterStore {
    static func versions(on db: any Database) async throws -> [ParameterVersion] {
        try await ParameterVersion.query(on: db).sort(\.$version).all()
    }

    /// The version in force for a fiscal year: the one with the latest effective year not after
    /// it (the highest version number among equals); before the first, the first.
    static func inForce(_ year: Int, among versions: [ParameterVersion]) -> ParameterVersion? {
        let candidates = versions.filter { $0.effectiveFrom <= year }
        return candidates.max { ($0.effectiveFrom, $0.version) < ($1.effectiveFrom, $1.version) }
            ?? versions.min { ($0.effectiveFrom, $0.version) < ($1.effectiveFrom, $1.version) }
    }

    /// The logged content of a parameter version.
    struct PublishedVersion: Encodable {
        let version: Int
        let effectiveFromFiscalYear: Int
        let parameters: ScoringParameters
        let note: String
    }

    /// Validates and stores a new version, logs it as a public record, and scores every
    /// offering under it. Runs in the caller's transaction.
    static func createVersion(_ parameters: ScoringParameters, effectiveFrom: Int, note: String, actor: Actor, at time: Date,
                              on db: any Database) async throws -> ParameterVersion {
        var errors = ValidationErrors()
        errors.add(contentsOf: parameters.problems())
        if !(FiscalYear.earliest...FiscalYear.latestTarget).contains(effectiveFrom) {
            errors.add("/effectiveFrom", code: FieldError.Code.range,
                       .init(ja: "適用開始年度は\(FiscalYear.earliest)〜\(FiscalYear.latestTarget)年度です。",
                             en: "The first fiscal year is from \(FiscalYear.earliest) to \(FiscalYear.latestTarget)."))
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.isEmpty || note.count > 1000 {
            errors.add("/note", code: FieldError.Code.missing,
                       .init(ja: "変更の理由を1000文字以内で入力してください。", en: "Give the reason for the change (at most 1000 characters)."))
        }
        try errors.throwIfAny()
        try await Generation.bump(on: db)
        let latest = try await ParameterVersion.query(on: db).sort(\.$version, .descending).first()
        let version = ParameterVersion()
        version.version = (latest?.version ?? 0) + 1
        version.effectiveFrom = effectiveFrom
        version.parameters = parameters
        version.note = note
        version.createdAt = time
        version.createdBy = actor.label
        try await version.create(on: db)
        let index = try await PublicRecord.publish(
            on: db, actor: actor, organisationID: nil, type: "sovereignty.parameters", subject: "v\(version.version)",
            recordNumber: "SOV-PARAMS-\(version.version)",
            content: PublishedVersion(version: version.version, effectiveFromFiscalYear: effectiveFrom, parameters: parameters, note: note),
            targetType: "sovereignty-parameter-version", targetID: version.id!.uuidString,
            summary: ["version": "\(version.version)", "effectiveFrom": "\(effectiveFrom)"], at: time)
        version.logIndex = index
        try await version.save(on: db)
        try await ScoreStore.refresh(offerings: nil, on: db)
        return version
    }
}

/// Keeps `sovereignty_offering_scores` equal to the scores computed from current facts.
enum ScoreStore {
    /// Recomputes the scores of some offerings (all when nil) under every parameter version.
    static func refresh(offerings ids: [UUID]?, on db: any Database) async throws {
        let versions = try await ParameterStore.versions(on: db)
        var query = Offering.query(on: db)
        if let ids {
            guard !ids.isEmpty else { return }
            query = query.filter(\.$id ~~ ids)
        }
        let offerings = try await query.all()
        let vendorIDs = Array(Set(offerings.map { $0.$vendor.id }))
        var profiles: [UUID: VendorFacts] = [:]
        for chunk in vendorIDs.chunked(500) {
            for profile in try await VendorProfile.query(on: db).filter(\.$organisation.$id ~~ Array(chunk)).all() {
                profiles[profile.$organisation.id] = profile.facts
            }
        }
        let sql = db as! any SQLDatabase
        if let ids {
            for chunk in ids.chunked(500) {
                try await sql.delete(from: OfferingScore.schema).where(SQLIdentifier("offering_id"), .in, SQLBind.group(Array(chunk))).run()
            }
        } else {
            try await sql.delete(from: OfferingScore.schema).run()
        }
        var rows: [(Offering, UUID, Assessment)] = []
        for offering in offerings {
            let facts = ResolvedFacts(vendor: profiles[offering.$vendor.id], offering: offering.facts)
            for version in versions {
                rows.append((offering, version.id!, Scoring.assess(facts, with: version.parameters)))
            }
        }
        for chunk in rows.chunked(200) {
            let insert = sql.insert(into: OfferingScore.schema).columns("id", "offering_id", "version_id", "kind", "category_id", "score_bp", "level", "domestic")
            for (offering, versionID, assessment) in chunk {
                insert.values(SQLBind(UUID()), SQLBind(offering.id!), SQLBind(versionID), SQLBind(offering.kind.rawValue), SQLBind(offering.$category.id),
                              SQLBind(assessment.scoreBP), SQLBind(assessment.level), SQLBind(assessment.domestic))
            }
            try await insert.run()
        }
    }
}

/// A counter bumped in the transaction of every write the indicator depends on.
enum Generation {
    static func bump(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("UPDATE sovereignty_state SET generation = generation + 1 WHERE id = 1").run()
    }

    static func current(on db: any Database) async throws -> Int64 {
        let row = try await (db as! any SQLDatabase).raw("SELECT generation FROM sovereignty_state WHERE id = 1").first()
        return try row?.decode(column: "generation", as: Int64.self) ?? 0
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
