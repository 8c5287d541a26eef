import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Filters of the public offering lists (web and API).
struct OfferingFilter: Sendable, Equatable {
    var kind: OfferingKind?
    var category: String?
    /// Only domestic (true) or only non-domestic (false) offerings, by the current parameters.
    var domestic: Bool?
    var vendorID: UUID?
    var text: String?
    var includeWithdrawn = false

    /// Reads `?kind=&category=&domestic=&vendorId=&q=&withdrawn=`; bad values are a 400.
    static func parse(_ query: [String: String]) throws -> OfferingFilter {
        var filter = OfferingFilter()
        var errors: [FieldError] = []
        if let raw = query["kind"], !raw.isEmpty {
            if let kind = OfferingKind(rawValue: raw) { filter.kind = kind } else {
                errors.append(FieldError(pointer: "/query/kind", code: FieldError.Code.invalid, detail: "kind is product, service or infrastructure"))
            }
        }
        if let raw = query["category"], !raw.isEmpty {
            if raw.count <= 40 { filter.category = raw } else {
                errors.append(FieldError(pointer: "/query/category", code: FieldError.Code.invalid, detail: "unknown category"))
            }
        }
        if let raw = query["domestic"], !raw.isEmpty {
            switch raw { case "true": filter.domestic = true; case "false": filter.domestic = false
            default: errors.append(FieldError(pointer: "/query/domestic", code: FieldError.Code.invalid, detail: "domestic is true or false")) }
        }
        if let raw = query["vendorId"], !raw.isEmpty {
            if let id = UUID(uuidString: raw) { filter.vendorID = id } else {
                errors.append(FieldError(pointer: "/query/vendorId", code: FieldError.Code.invalid, detail: "vendorId is a UUID"))
            }
        }
        if let raw = query["q"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if raw.count <= 100 { filter.text = raw } else {
                errors.append(FieldError(pointer: "/query/q", code: FieldError.Code.invalid, detail: "q is at most 100 characters"))
            }
        }
        if let raw = query["withdrawn"], !raw.isEmpty {
            switch raw { case "true": filter.includeWithdrawn = true; case "false": filter.includeWithdrawn = false
            default: errors.append(FieldError(pointer: "/query/withdrawn", code: FieldError.Code.invalid, detail: "withdrawn is true or false")) }
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "絞り込みの指定が正しくありません。", en: "Invalid filter."), errors: errors) }
        return filter
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let kind { items.append(("kind", kind.rawValue)) }
        if let category { items.append(("category", category)) }
        if let domestic { items.append(("domestic", domestic ? "true" : "false")) }
        if let vendorID { items.append(("vendorId", vendorID.uuidString)) }
        if let text { items.append(("q", text)) }
        if includeWithdrawn { items.append(("withdrawn", "true")) }
        return items
    }
}

/// An offering row of a list with its current assessment.
struct OfferingRow: Sendable {
    var offering: Offering
    var score: OfferingScore?
}

enum OfferingQueries {
    /// Offerings matching a filter with their score under `version`, sorted by number.
    static func list(_ filter: OfferingFilter, version: ParameterVersion, page: ShinraiKit.PageRequest?, on db: any Database) async throws -> (rows: [OfferingRow], total: Int) {
        var query = Offering.query(on: db)
            .join(OfferingScore.self, on: \Offering.$id == \OfferingScore.$offeringID)
            .filter(OfferingScore.self, \.$versionID == version.id!)
            .with(\.$vendor).with(\.$category)
        if let kind = filter.kind { query = query.filter(\.$kind == kind) }
        if let code = filter.category {
            query = query.join(SecurityCategory.self, on: \Offering.$category.$id == \SecurityCategory.$id).filter(SecurityCategory.self, \.$code == code)
        }
        if let domestic = filter.domestic { query = query.filter(OfferingScore.self, \.$domestic == domestic) }
        if let vendor = filter.vendorID { query = query.filter(\.$vendor.$id == vendor) }
        if !filter.includeWithdrawn { query = query.filter(\.$withdrawn == false) }
        if let text = filter.text {
            query = query.group(.or) { $0.filter(\.$name ~~ text).filter(\.$nameEn ~~ text).filter(\.$number == text.uppercased()) }
        }
        let total = try await query.count()
        query = query.sort(\.$number)
        if let page { query = query.range(page.offset..<(page.offset + page.limit)) } else { query = query.limit(10_000) }
        let offerings = try await query.all()
        return (try offerings.map { OfferingRow(offering: $0, score: try $0.joined(OfferingScore.self)) }, total)
    }
}

/// A vendor row of the public vendor list.
struct VendorRow: Sendable {
    var profile: VendorProfile
    var assessment: Assessment
    var offerings: Int
}

enum VendorQueries {
    /// Vendors with a profile, by name; `domestic` filters on the vendor's own level.
    static func list(version: ParameterVersion, corporateNumber: String?, domestic: Bool?, on db: any Database) async throws -> [VendorRow] {
        var query = VendorProfile.query(on: db).with(\.$organisation)
        if let corporateNumber {
            query = query.join(Organisation.self, on: \VendorProfile.$organisation.$id == \Organisation.$id)
                .filter(Organisation.self, \.$corporateNumber == corporateNumber)
        }
        let profiles = try await query.all()
        var counts: [UUID: Int] = [:]
        for row in try await (db as! any SQLDatabase).raw("""
            SELECT vendor_id, COUNT(*) AS n FROM sovereignty_offerings WHERE withdrawn = \(bind: false) GROUP BY vendor_id
            """).all() {
            counts[try row.decode(column: "vendor_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return profiles.map { profile in
            VendorRow(profile: profile, assessment: Scoring.assess(vendor: profile.facts, with: version.parameters), offerings: counts[profile.$organisation.id] ?? 0)
        }
        .filter { domestic == nil || $0.assessment.domestic == domestic }
        .sorted { ($0.profile.organisation.name, $0.profile.$organisation.id.uuidString) < ($1.profile.organisation.name, $1.profile.$organisation.id.uuidString) }
    }
}

/// §1.5: the infrastructure sites registered, by where they are.
struct InfrastructureSummary: Codable, Sendable, Equatable {
    struct Area: Codable, Sendable, Equatable {
        var code: String
        var sites: Int
        var domesticSites: Int
        var gpuCount: Int
        var itPowerKw: Int
    }
    var fiscalYear: Int
    var parameterVersion: Int
    var sites: Int
    var domesticSites: Int
    var sitesInJapan: Int
    var prefecturesWithSites: Int
    var gpuCount: Int
    var gpuCountInJapan: Int
    var itPowerKw: Int
    var itPowerKwInJapan: Int
    /// Keyed by two-digit prefecture code (`13`), Japan only.
    var byPrefecture: [Area]
    /// Keyed by country code.
    var byCountry: [Area]
    /// Keyed by site type.
    var bySiteType: [Area]

    static func compute(_ rows: [OfferingRow], fiscalYear: Int, version: Int) -> InfrastructureSummary {
        var prefectures: [String: Area] = [:], countries: [String: Area] = [:], types: [String: Area] = [:]
        var summary = InfrastructureSummary(fiscalYear: fiscalYear, parameterVersion: version, sites: 0, domesticSites: 0, sitesInJapan: 0,
                                            prefecturesWithSites: 0, gpuCount: 0, gpuCountInJapan: 0, itPowerKw: 0, itPowerKwInJapan: 0,
                                            byPrefecture: [], byCountry: [], bySiteType: [])
        func add(_ area: inout [String: Area], _ code: String, _ row: OfferingRow) {
            var entry = area[code] ?? Area(code: code, sites: 0, domesticSites: 0, gpuCount: 0, itPowerKw: 0)
            entry.sites += 1
            if row.score?.domestic == true { entry.domesticSites += 1 }
            entry.gpuCount += row.offering.gpuCount ?? 0
            entry.itPowerKw += row.offering.itPowerKW ?? 0
            area[code] = entry
        }
        for row in rows where row.offering.kind == .infrastructure {
            let o = row.offering
            summary.sites += 1
            if row.score?.domestic == true { summary.domesticSites += 1 }
            summary.gpuCount += o.gpuCount ?? 0
            summary.itPowerKw += o.itPowerKW ?? 0
            let country = o.siteCountry ?? "ZZ"
            add(&countries, country, row)
            if let type = o.siteType { add(&types, type.rawValue, row) }
            if country == "JP" {
                summary.sitesInJapan += 1
                summary.gpuCountInJapan += o.gpuCount ?? 0
                summary.itPowerKwInJapan += o.itPowerKW ?? 0
                if let p = o.prefecture, let prefecture = JapanesePrefecture.byCode(p) { add(&prefectures, prefecture.twoDigitCode, row) }
            }
        }
        summary.prefecturesWithSites = prefectures.count
        summary.byPrefecture = prefectures.values.sorted { $0.code < $1.code }
        summary.byCountry = countries.values.sorted { ($1.sites, $0.code) < ($0.sites, $1.code) }
        summary.bySiteType = SiteType.allCases.compactMap { types[$0.rawValue] }
        return summary
    }
}
