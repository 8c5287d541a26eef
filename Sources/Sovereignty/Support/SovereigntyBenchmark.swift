import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// The indicator over many declarations (not a test): fills a migrated platform's database with
/// synthetic organisations, offerings and declarations, then times the computation of every
/// figure and records the process's peak memory while it runs.
///
/// ```swift
/// let platform = try Platform(config: config, modules: [SovereigntyModule()])
/// try await platform.migrate()
/// print(try await SovereigntyBenchmark.run(services: platform.services, declarations: 1_000_000))
/// ```
public enum SovereigntyBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var database: String
        public var declarations: Int
        public var organisations: Int
        public var offerings: Int
        public var years: Int
        public var loadSeconds: Double
        public var groupsSeconds: Double
        public var groups: Int
        public var declarerSeconds: Double
        public var computeSeconds: Double
        public var cachedMilliseconds: Double
        public var cells: Int
        public var peakRSSMegabytes: Double?
        public var rssBeforeMegabytes: Double?
        public var overallRates: [String]

        public var description: String {
            """
            sovereignty indicator benchmark (\(database))
              data: \(declarations) declarations by \(organisations) organisations of \(offerings) offerings over \(years) fiscal years \
            (loaded in \(String(format: "%.1f", loadSeconds)) s)
              indicator, cold: \(String(format: "%.2f", computeSeconds)) s for \(cells) cells \
            (usage sums \(String(format: "%.2f", groupsSeconds)) s → \(groups) groups; distinct declarers \(String(format: "%.2f", declarerSeconds)) s)
              indicator, cached (generation unchanged): \(String(format: "%.2f", cachedMilliseconds)) ms
              memory: resident before \(rssBeforeMegabytes.map { String(format: "%.0f", $0) } ?? "?") MB, \
            peak while computing \(peakRSSMegabytes.map { String(format: "%.0f", $0) } ?? "?") MB
              overall rate by year: \(overallRates.joined(separator: ", "))
            """
        }
    }

    public static func run(services: Services, declarations total: Int = 1_000_000, organisations: Int = 5_000, offerings offeringCount: Int = 400,
                           years: Int = 5, progress: (@Sendable (String) -> Void)? = nil) async throws -> Report {
        precondition(total > 0 && organisations > 0 && offeringCount >= 2 && years > 0)
        let db = services.db
        let sql = services.sql
        let clock = ContinuousClock()
        let start = clock.now
        let lastYear = FiscalYear.of(services.now) - 1
        let firstYear = lastYear - years + 1
        let perOrgYear = (total + organisations * years - 1) / (organisations * years)
        precondition(perOrgYear <= offeringCount / 2, "too few offerings for that many declarations per organisation and year")

        // Organisations (30% public sector), inserted directly: the kernel's checks are not under test.
        var orgIDs: [UUID] = []
        var orgSector: [Sector] = []
        let now = services.now
        for chunk in Array(0..<organisations).chunked(500) {
            let insert = sql.insert(into: "organisations").columns("id", "name", "kind", "created_at", "updated_at")
            for n in chunk {
                let id = UUID()
                let kind: OrganisationKind = n % 10 < 3 ? (n % 2 == 0 ? .government : .municipality) : .company
                orgIDs.append(id)
                orgSector.append(Sector(kind))
                insert.values(SQLBind(id), SQLBind("Bench organisation \(n)"), SQLBind(kind.rawValue), SQLBind(now), SQLBind(now))
            }
            try await insert.run()
        }

        // Vendors with profiles and offerings through the service (scored like real ones): half domestic.
        let service = SovereigntyService(services: services)
        let reviewer = Identity(accountID: UUID(), email: "bench", displayName: "bench", role: .admin, organisationID: nil, organisationName: nil)
        let categories = try await SecurityCategory.query(on: db).all().map(\.code)
        var offeringIDs: [UUID] = []
        let vendorCount = max(1, offeringCount / 4)
        for v in 0..<vendorCount {
            let vendor = orgIDs[v]
            let c = v % 2 == 0 ? "JP" : "US"
            try await service.saveProfile(of: vendor, ProfileInput(headquarters: c, governingLaw: c, foreignLaws: c == "JP" ? [] : [.usCloudAct],
                                                                   development: [c], operation: [c], support: [c], dataLocation: [c]), by: reviewer)
        }
        for o in 0..<offeringCount {
            let kind = OfferingKind.allCases[o % 3]
            let input = OfferingInput(vendorId: orgIDs[o % vendorCount], name: "Bench offering \(o)", kind: kind, category: categories[o % categories.count],
                                      unit: .licences, siteType: kind == .infrastructure ? .dataCentre : nil,
                                      siteCountry: kind == .infrastructure ? (o % vendorCount % 2 == 0 ? "JP" : "US") : nil,
                                      prefecture: kind == .infrastructure && o % vendorCount % 2 == 0 ? 13 : nil)
            offeringIDs.append(try await service.createOffering(input, by: reviewer).id!)
        }
        progress?("organisations and offerings ready")

        // Declarations: unique per organisation, offering, year and use; 10% units only, 30% both.
        var written = 0
        let orgYears = organisations * years
        let (orgs, sectors, offers) = (orgIDs, orgSector, offeringIDs)
        while written < total {
            let begin = written, end = min(written + 50_000, total)
            try await db.transaction { db in
                let tx = db as! any SQLDatabase
                for chunk in Array(begin..<end).chunked(400) {
                    let insert = tx.insert(into: "sovereignty_declarations").columns(
                        "id", "organisation_id", "offering_id", "fiscal_year", "spend_yen", "units", "government_system", "sector", "note",
                        "created_at", "updated_at")
                    for i in chunk {
                        let orgYear = i % orgYears, k = i / orgYears
                        let org = orgYear % organisations, year = firstYear + orgYear / organisations
                        let offering = offers[(k * 7 + org * 13 + year) % offeringCount]
                        let h = (i &* 2654435761) % 1000
                        let units: Int64? = h < 400 ? Int64(10 + h % 500) : nil
                        let spend: Int64? = h < 100 ? nil : Int64(100_000 + (h * 7919) % 5_000_000)
                        insert.values(SQLBind(UUID()), SQLBind(orgs[org]), SQLBind(offering), SQLBind(year), SQLBind(spend), SQLBind(units),
                                      SQLBind(sectors[org] == .government && k % 3 == 0), SQLBind(sectors[org].rawValue), SQLBind(""),
                                      SQLBind(now), SQLBind(now))
                    }
                    try await insert.run()
                }
            }
            written = end
            progress?("\(written) declarations")
        }
        try await Generation.bump(on: db)
        let loadSeconds = seconds(clock.now - start)

        // The computation, in parts and whole, with the peak resident memory reset first.
        let before = memory("VmRSS")
        resetPeakMemory()
        var t = clock.now
        let groups = try await IndicatorStore.usageGroups(on: sql)
        let groupsSeconds = seconds(clock.now - t)
        let versions = try await ParameterStore.versions(on: db)
        var byVersion: [UUID: [Int]] = [:]
        for year in firstYear...lastYear { byVersion[ParameterStore.inForce(year, among: versions)!.id!, default: []].append(year) }
        t = clock.now
        let categoryInfo = try await SecurityCategory.query(on: db).all().map {
            CategoryInfo(id: $0.id!, code: $0.code, nameJa: $0.nameJa, nameEn: $0.nameEn, sortOrder: $0.sortOrder, active: $0.active)
        }
        _ = try await IndicatorStore.declarerCounts(on: sql, yearsByVersion: byVersion, categories: categoryInfo)
        let declarerSeconds = seconds(clock.now - t)
        let cache = IndicatorCache()
        t = clock.now
        let snapshot = try await cache.snapshot(on: db)
        let computeSeconds = seconds(clock.now - t)
        let peak = memory("VmHWM")
        t = clock.now
        _ = try await cache.snapshot(on: db)
        let cachedMilliseconds = seconds(clock.now - t) * 1000
        let rates = snapshot.result.years.map { year in
            "\(year): " + (snapshot.result.cell(year, .overall)?.rateBP.map(BasisPoints.percent) ?? "—")
        }
        return Report(database: services.database.isPostgres ? "PostgreSQL" : "SQLite", declarations: total, organisations: organisations,
                      offerings: offeringCount, years: years, loadSeconds: loadSeconds, groupsSeconds: groupsSeconds, groups: groups.count,
                      declarerSeconds: declarerSeconds, computeSeconds: computeSeconds, cachedMilliseconds: cachedMilliseconds,
                      cells: snapshot.result.cells.count, peakRSSMegabytes: peak, rssBeforeMegabytes: before, overallRates: rates)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A line of /proc/self/status in megabytes (Linux), e.g. `VmRSS` or `VmHWM`.
    static func memory(_ field: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kb = Double(line.split(separator: " ").dropFirst().first { Double($0) != nil } ?? "") else { return nil }
        return kb / 1024
    }

    /// Resets VmHWM to the current resident size (Linux ≥ 4.0), so the peak is that of what follows.
    static func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
