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
    /// Runs a search: the text index gives the sequence numbers containing every word; the
    /// snapshot of the listing (see `SearchSnapshot`) gives their facets and order keys, so the
    /// total, the facet counts and the page come from one pass over the matches; the rows of the
    /// page are then read by sequence number. Facets are counted "disjunctively": each facet's
    /// counts apply every filter but its own, so a reader sees how many they would get by ticking
    /// one more value.
    static func search(_ query: SearchQuery, snapshots: SearchSnapshots, on sql: any SQLDatabase) async throws -> SearchResult {
        let snapshot = try await snapshots.current(on: sql)
        let terms = query.terms
        var matched: [Bool]?
        if !terms.isEmpty {
            var marks = [Bool](repeating: false, count: snapshot.count)
            for seq in try await matchingSeqs(terms, on: sql) {
                if let position = snapshot.position(of: seq) { marks[Int(position)] = true }
            }
            matched = marks
        }
        let relevance = query.effectiveSort == .relevance
        let selection = Selection(query: query, snapshot: snapshot)
        let (total, counts, selected) = selection.select(matched: matched, byReuses: query.effectiveSort == .reused)
        var passing = selected

        // Positions are already newest first; relevance reorders by how many words are in the
        // title, then in the summary. The score is a small number, so the cases are put into one
        // bucket per score in their newest-first order (ties stay newest first) and only the
        // buckets up to the requested page are read.
        var scores: [Int32: Double] = [:]
        if relevance {
            let needles = terms.map { Array($0.utf8) }
            let titles = snapshot.titles, summaries = snapshot.summaries
            var buckets = [[Int32]](repeating: [], count: 16 * (needles.count + 1))
            for position in passing {
                var title = 0, summary = 0
                for needle in needles {
                    if titles.contains(needle, at: Int(position)) { title += 1 }
                    if summaries.contains(needle, at: Int(position)) { summary += 1 }
                }
                buckets[title * 16 + summary].append(position)
            }
            let wanted = query.page.offset + query.page.limit
            passing.removeAll(keepingCapacity: true)
            for score in buckets.indices.reversed() where passing.count < wanted {
                for position in buckets[score].prefix(wanted - passing.count) {
                    passing.append(position)
                    scores[position] = Double(score) / 16
                }
            }
        }
        let page = passing.dropFirst(query.page.offset).prefix(query.page.limit)
        let seqs = page.map { snapshot.seqs[Int($0)] }
        let bySeq = Dictionary(try await rows(seqs: seqs, on: sql).map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = page.compactMap { position -> Row? in
            guard var row = bySeq[snapshot.seqs[Int(position)]] else { return nil }
            row.score = scores[position] ?? 0
            return row
        }

        var facets: [Facet: [String: Int]] = [:]
        for (f, facet) in Facet.allCases.enumerated() {
            var values: [String: Int] = [:]
            for (code, n) in counts[f].enumerated() where n > 0 { values[snapshot.values[f][code]] = n }
            facets[facet] = values
        }
        return SearchResult(rows: rows, total: total, facets: facets)
    }

    /// The filters of a query as allowed value codes per facet of a snapshot.
    struct Selection {
        /// (facet index, allowed codes) for each filtered facet.
        let filters: [(facet: Int, allowed: [Bool])]
        let codes: [[UInt16]]
        let values: [[String]]
        let reuseOrder: [Int32]

        init(query: SearchQuery, snapshot: SearchSnapshot) {
            codes = snapshot.codes
            values = snapshot.values
            reuseOrder = snapshot.byReuses
            filters = Facet.allCases.enumerated().compactMap { f, facet in
                guard let wanted = query.filters[facet], !wanted.isEmpty else { return nil }
                let set = Set(wanted)
                return (f, snapshot.values[f].map { set.contains($0) })
            }
        }

        /// One pass over the cases in newest (or most-reused) order: the total, every facet's
        /// counts and the positions passing every filter. A case passing every filter counts in
        /// every facet; a case failing exactly one facet's filter counts only in that facet.
        func select(matched: [Bool]?, byReuses: Bool) -> (total: Int, counts: [[Int]], passing: [Int32]) {
            let facetCount = codes.count
            var offsets: [Int] = [0]
            for f in 0..<facetCount { offsets.append(offsets[f] + values[f].count) }
            var flat = [Int](repeating: 0, count: offsets[facetCount])
            var passing: [Int32] = []
            var total = 0
            let n = codes.first?.count ?? 0
            let order = byReuses ? reuseOrder : nil
            flat.withUnsafeMutableBufferPointer { counts in
                for i in 0..<n {
                    let p = order.map { Int($0[i]) } ?? i
                    if let matched, !matched[p] { continue }
                    var failed = -1, failures = 0
                    for filter in filters where !filter.allowed[Int(codes[filter.facet][p])] {
                        failures += 1
                        failed = filter.facet
                        if failures > 1 { break }
                    }
                    if failures == 0 {
                        total += 1
                        passing.append(Int32(p))
                        for f in 0..<facetCount { counts[offsets[f] + Int(codes[f][p])] += 1 }
                    } else if failures == 1 {
                        counts[offsets[failed] + Int(codes[failed][p])] += 1
                    }
                }
            }
            let counts = (0..<facetCount).map { f in Array(flat[offsets[f]..<offsets[f + 1]]) }
            return (total, counts, passing)
        }
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
