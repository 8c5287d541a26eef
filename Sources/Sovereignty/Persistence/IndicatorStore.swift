import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Everything the public figures are made of, computed at one generation of the data.
struct SovereigntySnapshot: Sendable {
    var generation: Int64
    var result: IndicatorResult
    /// Year → scope → target (basis points).
    var targets: [Int: [String: Int]]
    var overseasSales: [OverseasSalesYear]
    var categories: [CategoryInfo]
    /// Year → parameter version number in force (for every year shown).
    var yearVersions: [Int: Int]
    /// The years of the trend: from the first year with data or a target to the last.
    var trendYears: [Int]
}

struct CategoryInfo: Sendable, Equatable {
    var id: UUID
    var code: String
    var nameJa: String
    var nameEn: String
    var sortOrder: Int
    var active: Bool
    func name(_ language: UILanguage) -> String { language == .ja ? nameJa : nameEn }
}

/// Overseas sales of domestic vendors in one fiscal year (§2.8-3).
public struct OverseasSalesYear: Codable, Sendable, Equatable {
    public var fiscalYear: Int
    public var status: IndicatorCell.Status
    public var vendors: Int
    public var totalYen: Int64?
}

/// Reads the aggregates from the database and computes the figures.
enum IndicatorStore {
    static func snapshot(on db: any Database) async throws -> SovereigntySnapshot {
        let sql = db as! any SQLDatabase
        let generation = try await Generation.current(on: db)
        let versions = try await ParameterStore.versions(on: db)
        let categories = try await SecurityCategory.query(on: db).sort(\.$sortOrder).sort(\.$code).all().map {
            CategoryInfo(id: $0.id!, code: $0.code, nameJa: $0.nameJa, nameEn: $0.nameEn, sortOrder: $0.sortOrder, active: $0.active)
        }
        let categoryCodes = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.code) })

        let groups = try await usageGroups(on: sql)
        let years = Set(groups.map(\.fiscalYear)).sorted()
        var yearVersion: [Int: ParameterVersion] = [:]
        for year in years { yearVersion[year] = ParameterStore.inForce(year, among: versions) }

        // Offerings are few next to declarations: their classes and scores are read whole.
        var offerings: [UUID: OfferingClass] = [:]
        for row in try await sql.select().columns("id", "kind", "category_id", "unit").from(Offering.schema).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            guard let kind = OfferingKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let unit = UnitOfMeasure(rawValue: try row.decode(column: "unit", as: String.self)) else { continue }
            offerings[id] = OfferingClass(kind: kind, categoryCode: categoryCodes[try row.decode(column: "category_id", as: UUID.self)] ?? "other", unit: unit)
        }
        var scoresByVersion: [UUID: [UUID: YearScore]] = [:]
        for row in try await sql.select().columns("offering_id", "version_id", "score_bp", "domestic").from(OfferingScore.schema).all() {
            let version = try row.decode(column: "version_id", as: UUID.self)
            scoresByVersion[version, default: [:]][try row.decode(column: "offering_id", as: UUID.self)] =
                YearScore(scoreBP: try row.decode(column: "score_bp", as: Int.self), domestic: try row.decode(column: "domestic", as: Bool.self))
        }
        var scores: [Int: [UUID: YearScore]] = [:]
        var parameters: [Int: YearParameters] = [:]
        for (year, version) in yearVersion {
            scores[year] = scoresByVersion[version.id!] ?? [:]
            parameters[year] = YearParameters(version: version.version, minimumDeclarers: version.minimumDeclarers)
        }
        var yearsByVersion: [UUID: [Int]] = [:]
        for (year, version) in yearVersion { yearsByVersion[version.id!, default: []].append(year) }
        let declarers = try await declarerCounts(on: sql, yearsByVersion: yearsByVersion, categories: categories)

        var targets: [Int: [String: Int]] = [:]
        for target in try await Target.query(on: db).all() { targets[target.fiscalYear, default: [:]][target.scope] = target.rateBP }

        let result = IndicatorCalculator.compute(IndicatorInput(
            groups: groups, offerings: offerings, scores: scores, parameters: parameters, declarers: declarers,
            categoryCodes: categories.map(\.code), targets: targets))

        let sales = try await overseasSales(on: db, versions: versions)
        let span = Set(years).union(targets.keys).union(sales.map(\.fiscalYear))
        var trendYears: [Int] = []
        if let first = span.min(), let last = span.max() { trendYears = Array(first...min(last, first + 40)) }
        var yearVersions: [Int: Int] = [:]
        for year in Set(trendYears).union(years) { yearVersions[year] = ParameterStore.inForce(year, among: versions)?.version }
        return SovereigntySnapshot(generation: generation, result: result, targets: targets, overseasSales: sales, categories: categories,
                                   yearVersions: yearVersions, trendYears: trendYears)
    }

    /// Σ per (year, offering, sector, government system): one pass over the declarations.
    static func usageGroups(on sql: any SQLDatabase) async throws -> [UsageGroup] {
        let rows = try await sql.raw("""
            SELECT fiscal_year, offering_id, sector, government_system, COUNT(*) AS n,
              SUM(CASE WHEN spend_yen IS NOT NULL THEN 1 ELSE 0 END) AS n_spend,
              CAST(COALESCE(SUM(spend_yen), 0) AS BIGINT) AS spend,
              CAST(COALESCE(SUM(CASE WHEN spend_yen IS NOT NULL AND units IS NOT NULL THEN spend_yen ELSE 0 END), 0) AS BIGINT) AS priced_spend,
              CAST(COALESCE(SUM(CASE WHEN spend_yen IS NOT NULL AND units IS NOT NULL THEN units ELSE 0 END), 0) AS BIGINT) AS priced_units,
              SUM(CASE WHEN spend_yen IS NULL THEN 1 ELSE 0 END) AS n_units,
              CAST(COALESCE(SUM(CASE WHEN spend_yen IS NULL THEN units ELSE 0 END), 0) AS BIGINT) AS units_only
            FROM sovereignty_declarations
            GROUP BY fiscal_year, offering_id, sector, government_system
            """).all()
        return try rows.map { row in
            UsageGroup(fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
                       offeringID: try row.decode(column: "offering_id", as: UUID.self),
                       sector: Sector(rawValue: try row.decode(column: "sector", as: String.self)) ?? .private,
                       governmentSystem: try row.decode(column: "government_system", as: Bool.self),
                       declarations: try row.decode(column: "n", as: Int.self),
                       spendDeclarations: try row.decode(column: "n_spend", as: Int.self),
                       spendYen: try row.decode(column: "spend", as: Int64.self),
                       pricedSpendYen: try row.decode(column: "priced_spend", as: Int64.self),
                       pricedUnits: try row.decode(column: "priced_units", as: Int64.self),
                       unitsOnlyDeclarations: try row.decode(column: "n_units", as: Int.self),
                       unitsOnlyUnits: try row.decode(column: "units_only", as: Int64.self))
        }
    }

    /// Distinct declaring organisations per cell, split by the domestic status of the offerings
    /// under the version in force for each year. One scan per parameter version: the inner query
    /// flags, for each organisation and year, which cells it declared in on each side; the outer
    /// query counts the flags per year.
    static func declarerCounts(on sql: any SQLDatabase, yearsByVersion: [UUID: [Int]], categories: [CategoryInfo]) async throws -> [DeclarerCount] {
        // Every cell with its condition on a declaration `d` joined to its score `s`.
        var cells: [(dimension: Dimension, key: String, condition: SQLQueryString)] = [(.overall, Dimension.overallKey, "1 = 1")]
        for kind in OfferingKind.allCases { cells.append((.kind, kind.rawValue, "s.kind = \(bind: kind.rawValue)")) }
        for category in categories { cells.append((.category, category.code, "s.category_id = \(bind: category.id)")) }
        for sector in Sector.allCases { cells.append((.sector, sector.rawValue, "d.sector = \(bind: sector.rawValue)")) }
        for (key, flag) in [(Dimension.systemGovernment, true), (Dimension.systemOther, false)] {
            cells.append((.system, key, "d.government_system = \(bind: flag)"))
        }
        var counts: [DeclarerCount] = []
        for (versionID, years) in yearsByVersion {
            var inner: SQLQueryString = "SELECT d.fiscal_year AS fy"
            var outer: SQLQueryString = "SELECT fy"
            for (i, cell) in cells.enumerated() {
                inner = inner + ", MAX(CASE WHEN " + cell.condition + " AND s.domestic THEN 1 ELSE 0 END) AS d\(unsafeRaw: String(i))"
                    + ", MAX(CASE WHEN " + cell.condition + " AND NOT s.domestic THEN 1 ELSE 0 END) AS f\(unsafeRaw: String(i))"
                outer = outer + ", SUM(d\(unsafeRaw: String(i))) AS d\(unsafeRaw: String(i)), SUM(f\(unsafeRaw: String(i))) AS f\(unsafeRaw: String(i))"
                    + ", SUM(CASE WHEN d\(unsafeRaw: String(i)) + f\(unsafeRaw: String(i)) > 0 THEN 1 ELSE 0 END) AS t\(unsafeRaw: String(i))"
            }
            let yearList = years.sorted().map(String.init).joined(separator: ",")
            inner = inner + """
                 FROM sovereignty_declarations d
                JOIN sovereignty_offering_scores s ON s.offering_id = d.offering_id AND s.version_id = \(bind: versionID)
                WHERE d.fiscal_year IN (\(unsafeRaw: yearList))
                GROUP BY d.fiscal_year, d.organisation_id
                """
            let query: SQLQueryString = outer + " FROM (" + inner + ") flags GROUP BY fy"
            for row in try await sql.raw(query).all() {
                let year = try row.decode(column: "fy", as: Int.self)
                for (i, cell) in cells.enumerated() {
                    counts.append(DeclarerCount(fiscalYear: year, dimension: cell.dimension, key: cell.key,
                                                total: try row.decode(column: "t\(i)", as: Int.self),
                                                domestic: try row.decode(column: "d\(i)", as: Int.self),
                                                foreign: try row.decode(column: "f\(i)", as: Int.self)))
                }
            }
        }
        return counts
    }

    /// Overseas sales of vendors that are domestic by their current profile; a year with fewer
    /// vendors than its minimum number of declarers is suppressed.
    static func overseasSales(on db: any Database, versions: [ParameterVersion]) async throws -> [OverseasSalesYear] {
        let sales = try await OverseasSale.query(on: db).all()
        guard !sales.isEmpty else { return [] }
        let vendorIDs = Array(Set(sales.map(\.organisationID)))
        var domestic = Set<UUID>()
        for chunk in vendorIDs.chunked(500) {
            for profile in try await VendorProfile.query(on: db).filter(\.$organisation.$id ~~ Array(chunk)).all()
            where Scoring.isDomesticVendor(profile.facts) {
                domestic.insert(profile.$organisation.id)
            }
        }
        var byYear: [Int: (vendors: Set<UUID>, total: Int64)] = [:]
        for sale in sales where domestic.contains(sale.organisationID) {
            byYear[sale.fiscalYear, default: ([], 0)].vendors.insert(sale.organisationID)
            byYear[sale.fiscalYear, default: ([], 0)].total += sale.amountYen
        }
        return byYear.keys.sorted().map { year in
            let entry = byYear[year]!
            let k = ParameterStore.inForce(year, among: versions)?.minimumDeclarers ?? 1
            let published = entry.vendors.count >= k
            return OverseasSalesYear(fiscalYear: year, status: published ? .published : .suppressed, vendors: entry.vendors.count,
                                     totalYen: published ? entry.total : nil)
        }
    }
}

/// The last snapshot, recomputed when the data generation moves on. Concurrent readers of a
/// stale snapshot wait for one computation.
actor IndicatorCache {
    private var snapshot: SovereigntySnapshot?
    private var running: (generation: Int64, task: Task<SovereigntySnapshot, any Error>)?

    func snapshot(on db: any Database) async throws -> SovereigntySnapshot {
        let generation = try await Generation.current(on: db)
        if let snapshot, snapshot.generation == generation { return snapshot }
        if let running, running.generation == generation { return try await running.task.value }
        let task = Task { try await IndicatorStore.snapshot(on: db) }
        running = (generation, task)
        defer { if running?.generation == generation { running = nil } }
        let fresh = try await task.value
        // Another write may have landed while computing; the snapshot carries the generation it
        // read first, so it is recomputed on the next request.
        if fresh.generation >= (snapshot?.generation ?? -1) { snapshot = fresh }
        return fresh
    }
}
