import Foundation
import ShinraiKit
import SQLKit

/// What a search needs of every listed use case, held in memory: its facet values, its place in
/// the newest and the most-reused orders, and its normalised title and summary for relevance.
///
/// The text index then only has to say which sequence numbers contain the words; the total, the
/// disjunctive facet counts, the order and the page are worked out here, in one pass over the
/// matches, instead of by counting and sorting every match in SQL for each request.
///
/// The database stays the only state. Two counters in `usecase_counters` say when a snapshot is
/// stale: `usecase-search-generation` moves with every row written or removed (a new snapshot is
/// read), `usecase-search-reuses` with every reuse count (only the changed counts are read). Both
/// are updated in the transaction of the change, and the counter row is locked until it commits,
/// so a reader that sees a counter value also sees every change before it. Each instance keeps its
/// own snapshot and checks the counters on every search.
final class SearchSnapshot: Sendable {
    struct Version: Equatable, Sendable {
        var generation: Int64
        var reuses: Int64

        static let generationCounter = "usecase-search-generation"
        static let reusesCounter = "usecase-search-reuses"

        static func read(on sql: any SQLDatabase) async throws -> Version {
            let rows = try await sql.raw("SELECT name, value FROM usecase_counters WHERE name IN (\(bind: generationCounter), \(bind: reusesCounter))").all()
            var version = Version(generation: 0, reuses: 0)
            for row in rows {
                let value = try row.decode(column: "value", as: Int64.self)
                if try row.decode(column: "name", as: String.self) == generationCounter { version.generation = value } else { version.reuses = value }
            }
            return version
        }
    }

    let version: Version
    /// Sequence numbers in newest-first order: a case's position in this array is its rank by
    /// newest (publication time, then sequence number, both descending).
    let seqs: [Int64]
    /// Position of each sequence number (index = seq), -1 when it is not listed.
    let positions: [Int32]
    /// Per facet (in `Facet.allCases` order): the value code of each position, and the values.
    let codes: [[UInt16]]
    let values: [[String]]
    let reuses: [Int32]
    /// Positions, most reused first (ties: newest first).
    let byReuses: [Int32]
    let titles: TextColumn
    let summaries: TextColumn

    var count: Int { seqs.count }

    private init(version: Version, seqs: [Int64], codes: [[UInt16]], values: [[String]], reuses: [Int32], titles: TextColumn, summaries: TextColumn) {
        self.version = version
        self.seqs = seqs
        var positions = [Int32](repeating: -1, count: Int(seqs.max() ?? 0) + 1)
        for (position, seq) in seqs.enumerated() where seq >= 0 { positions[Int(seq)] = Int32(position) }
        self.positions = positions
        self.codes = codes
        self.values = values
        self.reuses = reuses
        byReuses = (0..<Int32(seqs.count)).sorted { a, b in
            reuses[Int(a)] != reuses[Int(b)] ? reuses[Int(a)] > reuses[Int(b)] : a < b
        }
        self.titles = titles
        self.summaries = summaries
    }

    /// The same snapshot with some reuse counts changed.
    func with(reuses changes: [(seq: Int64, reuses: Int32)], version: Version) -> SearchSnapshot {
        var reuses = self.reuses
        for change in changes {
            if let position = position(of: change.seq) { reuses[Int(position)] = change.reuses }
        }
        return SearchSnapshot(version: version, seqs: seqs, codes: codes, values: values, reuses: reuses, titles: titles, summaries: summaries)
    }

    func position(of seq: Int64) -> Int32? {
        guard seq >= 0, seq < Int64(positions.count) else { return nil }
        let position = positions[Int(seq)]
        return position < 0 ? nil : position
    }

    // MARK: reading

    /// Separators of the aggregated rows; texts have them replaced by spaces.
    static let fieldSeparator: UInt8 = 0x1F
    static let rowSeparator: UInt8 = 0x1E

    /// Reads every listed case in one aggregated string (one value instead of 100,000 rows to decode).
    static func load(version: Version, on sql: any SQLDatabase) async throws -> SearchSnapshot {
        let field = String(UnicodeScalar(fieldSeparator)), row = String(UnicodeScalar(rowSeparator))
        func text(_ column: String) -> SQLQueryString {
            "replace(replace(coalesce(\(unsafeRaw: column), ''), \(bind: field), ' '), \(bind: row), ' ')"
        }
        var parts: [SQLQueryString] = ["CAST(seq AS TEXT)"]
        for facet in Facet.allCases { parts.append("CAST(\(unsafeRaw: facet.column) AS TEXT)") }
        parts += ["CAST(reuses AS TEXT)", text("title_text"), text("summary_text")]
        var joined: SQLQueryString = parts[0]
        for part in parts.dropFirst() { joined = "\(joined) || \(bind: field) || \(part)" }
        let listed = try await sql.raw("SELECT string_agg(\(joined), \(bind: row) ORDER BY updated_at DESC, seq DESC) AS listed FROM usecase_search").first()
        let aggregate = try listed.flatMap { try $0.decode(column: "listed", as: String?.self) } ?? ""
        return parse(aggregate, version: version)
    }

    static func parse(_ aggregate: String, version: Version) -> SearchSnapshot {
        let facetCount = Facet.allCases.count
        var seqs: [Int64] = []
        var codes = [[UInt16]](repeating: [], count: facetCount)
        var dictionaries = [[String: UInt16]](repeating: [:], count: facetCount)
        var values = [[String]](repeating: [], count: facetCount)
        var reuses: [Int32] = []
        var titles = TextColumn.Builder(), summaries = TextColumn.Builder()
        var utf8 = Array(aggregate.utf8)
        if !utf8.isEmpty { utf8.append(rowSeparator) }
        utf8.withUnsafeBufferPointer { bytes in
            var fields: [Range<Int>] = []
            fields.reserveCapacity(facetCount + 4)
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte == fieldSeparator || byte == rowSeparator else { continue }
                fields.append(start..<index)
                start = index + 1
                guard byte == rowSeparator else { continue }
                defer { fields.removeAll(keepingCapacity: true) }
                guard fields.count == facetCount + 4 else { continue }
                func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
                func integer(_ range: Range<Int>) -> Int64 {
                    var value: Int64 = 0, negative = false
                    for i in range { if bytes[i] == 0x2D { negative = true } else if bytes[i] >= 0x30 && bytes[i] <= 0x39 { value = value * 10 + Int64(bytes[i] - 0x30) } }
                    return negative ? -value : value
                }
                seqs.append(integer(fields[0]))
                for f in 0..<facetCount {
                    let value = string(fields[1 + f])
                    if let code = dictionaries[f][value] {
                        codes[f].append(code)
                    } else {
                        let code = UInt16(values[f].count)
                        dictionaries[f][value] = code
                        values[f].append(value)
                        codes[f].append(code)
                    }
                }
                reuses.append(Int32(clamping: integer(fields[facetCount + 1])))
                titles.append(UnsafeBufferPointer(rebasing: bytes[fields[facetCount + 2]]))
                summaries.append(UnsafeBufferPointer(rebasing: bytes[fields[facetCount + 3]]))
            }
        }
        return SearchSnapshot(version: version, seqs: seqs, codes: codes, values: values, reuses: reuses,
                              titles: titles.build(), summaries: summaries.build())
    }

    /// The reuse counts changed since `version`.
    static func reuseChanges(since version: Version, on sql: any SQLDatabase) async throws -> [(seq: Int64, reuses: Int32)] {
        let row = try await sql.raw("SELECT string_agg(CAST(seq AS TEXT) || ':' || CAST(reuses AS TEXT), ',') AS changed FROM usecase_search WHERE reuses_revision > \(bind: version.reuses)").first()
        guard let changed = try row?.decode(column: "changed", as: String?.self) else { return [] }
        return changed.split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let seq = Int64(parts[0]), let reuses = Int32(parts[1]) else { return nil }
            return (seq, reuses)
        }
    }
}

/// Texts stored end to end, with a substring test that needs no `String` per row.
struct TextColumn: Sendable {
    let bytes: [UInt8]
    /// Start of each text; the last element is the end of the last text.
    let starts: [Int32]

    struct Builder {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
            bytes.append(contentsOf: text)
            starts.append(Int32(bytes.count))
        }
        func build() -> TextColumn { TextColumn(bytes: bytes, starts: starts) }
    }

    /// Whether text `index` contains `needle` (UTF-8 of a normalised term; byte equality is
    /// character equality for normalised UTF-8).
    func contains(_ needle: [UInt8], at index: Int) -> Bool {
        let start = Int(starts[index]), end = Int(starts[index + 1])
        guard !needle.isEmpty, end - start >= needle.count else { return false }
        // memchr finds the candidates for the first byte, memcmp checks them: both vectorised.
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                let base = haystack.baseAddress!, pattern = needle.baseAddress!, length = needle.count
                var from = start
                let last = end - length
                while from <= last {
                    guard let hit = memchr(base + from, Int32(pattern[0]), last - from + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, pattern, length) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }
}

/// One snapshot per platform, shared by the API and the pages; refreshed when the counters move.
actor SearchSnapshots {
    private var snapshot: SearchSnapshot?
    private var running: (version: SearchSnapshot.Version, task: Task<SearchSnapshot, any Error>)?

    init() {}

    func current(on sql: any SQLDatabase) async throws -> SearchSnapshot {
        let version = try await SearchSnapshot.Version.read(on: sql)
        if let snapshot, snapshot.version == version { return snapshot }
        if let running, running.version == version { return try await running.task.value }
        let previous = snapshot
        let task = Task { () throws -> SearchSnapshot in
            // Only reuse counts moved: patch them in; anything else reads the whole listing again.
            if let previous, previous.version.generation == version.generation, previous.version.reuses < version.reuses {
                return previous.with(reuses: try await SearchSnapshot.reuseChanges(since: previous.version, on: sql), version: version)
            }
            return try await SearchSnapshot.load(version: version, on: sql)
        }
        running = (version, task)
        defer { if running?.version == version { running = nil } }
        let fresh = try await task.value
        // Another change may have landed meanwhile; keep the newest snapshot.
        if let current = snapshot, current.version.generation > fresh.version.generation
            || (current.version.generation == fresh.version.generation && current.version.reuses > fresh.version.reuses) {
            return fresh
        }
        snapshot = fresh
        return fresh
    }
}
