import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// A facet of the public list: a column of `usecase_search` whose values are counted.
public enum Facet: String, CaseIterable, Sendable {
    case industry
    case category
    case organisationType
    case municipalityScale
    case stage
    case confidentiality

    var column: String {
        switch self {
        case .industry: return "industry"
        case .category: return "category"
        case .organisationType: return "organisation_type"
        case .municipalityScale: return "municipality_scale"
        case .stage: return "stage"
        case .confidentiality: return "confidentiality"
        }
    }

    /// Values a request may filter on (categories are checked against the taxonomy by the caller).
    func accepts(_ value: String) -> Bool {
        switch self {
        case .industry: return JSIC.isDivision(value)
        case .category: return value.count <= 60 && !value.isEmpty
        case .organisationType: return OrganisationType(rawValue: value) != nil
        case .municipalityScale: return MunicipalityScale(rawValue: value) != nil
        case .stage: return Stage(rawValue: value) != nil
        case .confidentiality: return ["1", "2", "3"].contains(value)
        }
    }
}

public enum SearchSort: String, CaseIterable, Sendable {
    case relevance
    case newest
    case reused
}

/// A search of the published use cases.
public struct SearchQuery: Sendable, Equatable {
    public var text: String = ""
    public var filters: [Facet: [String]] = [:]
    public var sort: SearchSort?
    public var page = ShinraiKit.PageRequest(limit: 20, page: 1)

    public init(text: String = "", filters: [Facet: [String]] = [:], sort: SearchSort? = nil, page: ShinraiKit.PageRequest = ShinraiKit.PageRequest(limit: 20, page: 1)) {
        self.text = text; self.filters = filters; self.sort = sort; self.page = page
    }

    public var terms: [String] { SearchText.terms(text) }

    /// Relevance only means something with words to match; otherwise the newest come first.
    public var effectiveSort: SearchSort {
        if let sort, sort != .relevance || !terms.isEmpty { return sort }
        return terms.isEmpty ? .newest : .relevance
    }
}

public struct SearchResult: Sendable {
    var rows: [SearchIndex.Row]
    public var total: Int
    /// Per facet, the number of matches for each value given the other facets' filters.
    public var facets: [Facet: [String: Int]]
}

extension SearchIndex {
    /// Runs a search: one statement for the page of rows, one for the total and every facet's
    /// counts. Facets are counted "disjunctively": each facet's counts apply every filter but its own,
    /// so a reader sees how many they would get by ticking one more value.
    static func search(_ query: SearchQuery, on sql: any SQLDatabase) async throws -> SearchResult {
        let terms = query.terms
        let relevance = query.effectiveSort == .relevance
        /// The rows to search: every listed case, or those containing the words (`t.rank` is their relevance).
        let matches = terms.isEmpty ? nil : try await textMatches(terms, ranked: relevance, on: sql)
        // The counts need no ranking.
        let unranked = terms.isEmpty || !relevance ? matches : try await textMatches(terms, ranked: false, on: sql)
        func source(_ matches: SQLQueryString?) -> SQLQueryString {
            matches.map { "(\($0)) t JOIN usecase_search p ON p.seq = t.seq" } ?? "usecase_search p"
        }
        func conditions(except skipped: Facet?, prefix: String) -> SQLQueryString {
            var parts: [SQLQueryString] = ["1 = 1"]
            for facet in Facet.allCases where facet != skipped {
                guard let values = query.filters[facet], !values.isEmpty else { continue }
                if facet == .confidentiality {
                    parts.append("\(unsafeRaw: prefix + facet.column) IN (\(binds: values.compactMap { Int($0) }))")
                } else {
                    parts.append("\(unsafeRaw: prefix + facet.column) IN (\(binds: values))")
                }
            }
            return parts.joined(separator: " AND ")
        }

        let order: String
        switch query.effectiveSort {
        case .relevance: order = "score DESC, p.updated_at DESC, p.seq DESC"
        case .newest: order = "p.updated_at DESC, p.seq DESC"
        case .reused: order = "p.reuses DESC, p.updated_at DESC, p.seq DESC"
        }
        let score: SQLQueryString = relevance && !terms.isEmpty ? "(\(titleHits(terms)) + t.rank) AS score" : "0.0 AS score"
        let pageQuery: SQLQueryString = "SELECT p.id, p.seq, p.number, p.title, p.summary, p.organisation_name, p.organisation_type, p.municipality_scale, p.industry, p.category, p.stage, p.confidentiality, p.high_risk, p.version, p.first_published_at, p.updated_at, p.reuses, \(score) FROM \(source(matches)) WHERE \(conditions(except: nil, prefix: "p.")) ORDER BY \(unsafeRaw: order) LIMIT \(literal: query.page.limit) OFFSET \(literal: query.page.offset)"
        let rows = try await sql.raw(pageQuery).all().map(Row.init(row:))

        // Without words or filters each facet is a grouped count of its own index. Otherwise the facet
        // columns of every match are read once, then the total and each facet are counted over that set.
        let unfiltered = terms.isEmpty && query.filters.values.allSatisfy(\.isEmpty)
        let from = unfiltered ? "usecase_search" : "m"
        var branches: [SQLQueryString] = ["SELECT 'total' AS facet, '' AS value, COUNT(*) AS n FROM \(unsafeRaw: from) WHERE \(conditions(except: nil, prefix: ""))"]
        for facet in Facet.allCases {
            let value: SQLQueryString = facet == .confidentiality ? "CAST(confidentiality AS TEXT)" : "\(unsafeRaw: facet.column)"
            branches.append("SELECT '\(unsafeRaw: facet.rawValue)' AS facet, \(value) AS value, COUNT(*) AS n FROM \(unsafeRaw: from) WHERE \(conditions(except: facet, prefix: "")) GROUP BY \(unsafeRaw: facet.column)")
        }
        let columns = Facet.allCases.map { "p." + $0.column }.joined(separator: ", ")
        let with: SQLQueryString = unfiltered ? "" : "WITH m AS MATERIALIZED (SELECT \(unsafeRaw: columns) FROM \(source(unranked))) "
        let countRows = try await sql.raw("\(with)\(branches.joined(separator: " UNION ALL "))").all()
        var total = 0
        var facets: [Facet: [String: Int]] = [:]
        for row in countRows {
            let name = try row.decode(column: "facet", as: String.self)
            let value = try row.decode(column: "value", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            if name == "total" { total = n } else if let facet = Facet(rawValue: name) { facets[facet, default: [:]][value] = n }
        }
        return SearchResult(rows: rows, total: total, facets: facets)
    }

    /// Listed use cases sharing the category or the industry, newest first: the pool from which
    /// similar cases are ranked.
    static func neighbours(category: String, industry: String, excluding id: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [Row] {
        let exclude = id ?? UUID()
        let sameCategory = try await sql.raw("SELECT * FROM usecase_search WHERE category = \(bind: category) AND id <> \(bind: exclude) ORDER BY updated_at DESC LIMIT \(literal: limit)").all()
        let sameIndustry = try await sql.raw("SELECT * FROM usecase_search WHERE industry = \(bind: industry) AND id <> \(bind: exclude) ORDER BY updated_at DESC LIMIT \(literal: limit)").all()
        var seen = Set<UUID>()
        return try (sameCategory + sameIndustry).map(Row.init(row:)).filter { seen.insert($0.id).inserted }
    }
}
