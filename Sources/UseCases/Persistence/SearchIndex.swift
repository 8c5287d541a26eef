import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// The public search projection (`usecase_search`, one row per listed use case) and its Japanese
/// full-text index. Japanese has no spaces between words, so the index works on character
/// trigrams: SQLite's FTS5 `trigram` tokenizer, PostgreSQL's `pg_trgm` GIN index. Terms shorter
/// than three characters cannot use a trigram index and fall back to a substring match. Each
/// dialect difference sits in one small function below.
enum SearchIndex {
    static let table = "usecase_search"
    static let ftsTable = "usecase_fts"

    static func isPostgres(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "postgresql" }

    // MARK: dialect: the text index

    static func createTextIndex(on sql: any SQLDatabase) async throws {
        if isPostgres(sql) {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX usecase_search_trgm ON usecase_search USING gin (search_text gin_trgm_ops)").run()
        } else {
            try await sql.raw("CREATE VIRTUAL TABLE usecase_fts USING fts5(body, tokenize = 'trigram')").run()
        }
    }

    static func dropTextIndex(on sql: any SQLDatabase) async throws {
        if isPostgres(sql) {
            try await sql.raw("DROP INDEX IF EXISTS usecase_search_trgm").run()
        } else {
            try await sql.raw("DROP TABLE IF EXISTS usecase_fts").run()
        }
    }

    /// Writes the normalised texts of rows (PostgreSQL keeps them in the rows themselves).
    static func writeTexts(_ texts: [(seq: Int64, text: String)], on sql: any SQLDatabase) async throws {
        guard !isPostgres(sql), !texts.isEmpty else { return }
        try await sql.raw("DELETE FROM usecase_fts WHERE rowid IN (\(binds: texts.map(\.seq)))").run()
        let values = texts.map { item -> SQLQueryString in "(\(bind: item.seq), \(bind: item.text + "\n"))" }
        try await sql.raw("INSERT INTO usecase_fts (rowid, body) VALUES \(values.joined(separator: ", "))").run()
    }

    static func removeText(seq: Int64, on sql: any SQLDatabase) async throws {
        guard !isPostgres(sql) else { return }
        try await sql.raw("DELETE FROM usecase_fts WHERE rowid = \(bind: seq)").run()
    }

    /// The sequence numbers of the rows containing every term.
    static func matchingSeqs(_ terms: [String], on sql: any SQLDatabase) async throws -> [Int64] {
        guard let statement = try await textMatches(terms, on: sql) else { return [] }
        // One aggregated value instead of a row per match: thousands of matches cost one decode.
        guard let list = try await sql.raw(statement).first()?.decode(column: "seqs", as: String?.self) else { return [] }
        var seqs: [Int64] = []
        var value: Int64 = 0, digits = false
        for byte in list.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                value = value * 10 + Int64(byte - 0x30); digits = true
            } else {
                if digits { seqs.append(value) }
                value = 0; digits = false
            }
        }
        if digits { seqs.append(value) }
        return seqs
    }

    /// A statement giving the sequence numbers of the rows containing every term as one
    /// comma-separated value `seqs`; nil when no row can match.
    static func textMatches(_ terms: [String], on sql: any SQLDatabase) async throws -> SQLQueryString? {
        if isPostgres(sql) {
            // Every term is a substring test the trigram index answers (three characters or more).
            let conditions = terms.map { term -> SQLQueryString in "search_text LIKE \(bind: likePattern(term)) ESCAPE '\\'" }
            return "SELECT string_agg(CAST(seq AS TEXT), ',') AS seqs FROM usecase_search WHERE \(conditions.joined(separator: " AND "))"
        }
        // SQLite: FTS5 with the trigram tokenizer answers terms of three characters or more. A
        // two-character term is present exactly where one of the indexed trigrams starting with it
        // is (every indexed text ends with a line break, so no occurrence is last): those trigrams
        // are read from the index's vocabulary and matched as alternatives. One character is a
        // substring test (`instr`, which the trigram table never answers from its index).
        var phrases: [String] = []
        var conditions: [SQLQueryString] = []
        for term in terms {
            switch term.count {
            case 3...:
                phrases.append(quoted(term))
            case 2:
                let trigrams = try await sql.raw("SELECT term FROM usecase_fts_vocab WHERE term >= \(bind: term) AND term < \(bind: term + "\u{10FFFF}") LIMIT \(literal: maxAlternatives + 1)")
                    .all().map { try $0.decode(column: "term", as: String.self) }
                if trigrams.isEmpty { return nil }
                if trigrams.count > maxAlternatives {
                    conditions.append("instr(body, \(bind: term)) > 0")
                } else {
                    phrases.append("(" + trigrams.map(quoted).joined(separator: " OR ") + ")")
                }
            default:
                conditions.append("instr(body, \(bind: term)) > 0")
            }
        }
        if !phrases.isEmpty { conditions.insert("usecase_fts MATCH \(bind: phrases.joined(separator: " AND "))", at: 0) }
        return "SELECT group_concat(rowid, ',') AS seqs FROM usecase_fts WHERE \(conditions.joined(separator: " AND "))"
    }

    /// More trigrams than this for one two-character term and a substring test is cheaper.
    static let maxAlternatives = 400

    static func quoted(_ phrase: String) -> String { "\"" + phrase.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func likePattern(_ term: String) -> String {
        var escaped = ""
        for character in term {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    // MARK: rows

    struct Row: Sendable {
        var id: UUID
        var seq: Int64
        var number: String
        var title: String
        var summary: String
        var organisationName: String
        var organisationType: String
        var municipalityScale: String
        var industry: String
        var category: String
        var stage: String
        var confidentiality: Int
        var highRisk: Bool
        var version: Int
        var firstPublishedAt: Date
        var updatedAt: Date
        var reuses: Int
        var score: Double = 0

        init(id: UUID, seq: Int64, published: PublishedUseCase, firstPublishedAt: Date, reuses: Int) {
            let c = published.content
            self.id = id; self.seq = seq; number = published.number; title = c.title; summary = c.summary
            organisationName = published.organisation.name; organisationType = c.organisationType.rawValue
            municipalityScale = c.municipalityScale?.rawValue ?? ""; industry = c.industry; category = c.category
            stage = c.stage.rawValue; confidentiality = c.governance.confidentiality; highRisk = c.governance.highRisk
            version = published.version; self.firstPublishedAt = firstPublishedAt; updatedAt = published.publishedAt; self.reuses = reuses
        }

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            seq = try row.decode(column: "seq", as: Int64.self)
            number = try row.decode(column: "number", as: String.self)
            title = try row.decode(column: "title", as: String.self)
            summary = try row.decode(column: "summary", as: String.self)
            organisationName = try row.decode(column: "organisation_name", as: String.self)
            organisationType = try row.decode(column: "organisation_type", as: String.self)
            municipalityScale = try row.decode(column: "municipality_scale", as: String.self)
            industry = try row.decode(column: "industry", as: String.self)
            category = try row.decode(column: "category", as: String.self)
            stage = try row.decode(column: "stage", as: String.self)
            confidentiality = try row.decode(column: "confidentiality", as: Int.self)
            highRisk = try row.decode(column: "high_risk", as: Bool.self)
            version = try row.decode(column: "version", as: Int.self)
            firstPublishedAt = try row.decode(column: "first_published_at", as: Date.self)
            updatedAt = try row.decode(column: "updated_at", as: Date.self)
            reuses = try row.decode(column: "reuses", as: Int.self)
            score = (try? row.decode(column: "score", as: Double.self)) ?? 0
        }
    }

    /// Replaces the row of a use case (new version) in the caller's transaction.
    static func put(_ row: Row, text: String, on sql: any SQLDatabase) async throws {
        try await put([(row, text)], on: sql)
    }

    /// Rows written per statement: 18 values each stays well below every database's bind limit.
    static let rowsPerStatement = 500

    /// Replaces the rows of several use cases (the benchmark's bulk load goes through here too).
    static func put(_ rows: [(row: Row, text: String)], on sql: any SQLDatabase) async throws {
        let postgres = isPostgres(sql)
        _ = try await UseCaseNumbers.next(SearchSnapshot.Version.generationCounter, on: sql)
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            try await sql.delete(from: table).where("id", .in, chunk.map(\.row.id)).run()
            var insert = sql.insert(into: table)
                .columns("id", "seq", "number", "title", "summary", "organisation_name", "organisation_type", "municipality_scale",
                         "industry", "category", "stage", "confidentiality", "high_risk", "version", "first_published_at", "updated_at",
                         "reuses", "search_text", "title_text", "summary_text")
            for (row, text) in chunk {
                insert = insert.values(SQLBind(row.id), SQLBind(row.seq), SQLBind(row.number), SQLBind(row.title), SQLBind(row.summary),
                                       SQLBind(row.organisationName), SQLBind(row.organisationType), SQLBind(row.municipalityScale), SQLBind(row.industry),
                                       SQLBind(row.category), SQLBind(row.stage), SQLBind(row.confidentiality), SQLBind(row.highRisk), SQLBind(row.version),
                                       SQLBind(row.firstPublishedAt), SQLBind(row.updatedAt), SQLBind(row.reuses), SQLBind(postgres ? text : ""),
                                       SQLBind(SearchText.normalise(row.title)), SQLBind(SearchText.normalise(row.summary)))
            }
            try await insert.run()
            try await writeTexts(chunk.map { (seq: $0.row.seq, text: $0.text) }, on: sql)
        }
    }

    /// The text indexed for a published version: its content plus the names a reader might type
    /// for the organisation, the industry (ja, en) and the category (ja, en).
    static func document(for published: PublishedUseCase, categoryNames: [String], catalogue: Catalogue) -> String {
        let industry = published.content.industry
        return published.content.searchText(extra: [published.organisation.name, catalogue.text(Label.industry(industry), .ja),
                                                    catalogue.text(Label.industry(industry), .en)] + categoryNames)
    }

    static func remove(id: UUID, seq: Int64, on sql: any SQLDatabase) async throws {
        _ = try await UseCaseNumbers.next(SearchSnapshot.Version.generationCounter, on: sql)
        try await sql.delete(from: table).where("id", .equal, id).run()
        try await removeText(seq: seq, on: sql)
    }

    /// Records a new reuse count; the row is stamped so that snapshots read only the changed counts.
    static func setReuses(id: UUID, to count: Int, on sql: any SQLDatabase) async throws {
        let revision = try await UseCaseNumbers.next(SearchSnapshot.Version.reusesCounter, on: sql)
        try await sql.update(table).set("reuses", to: count).set("reuses_revision", to: revision).where("id", .equal, id).run()
    }

    static func rows(ids: [UUID], on sql: any SQLDatabase) async throws -> [Row] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("SELECT * FROM usecase_search WHERE id IN (\(binds: ids))").all().map(Row.init(row:))
    }

    static func rows(seqs: [Int64], on sql: any SQLDatabase) async throws -> [Row] {
        guard !seqs.isEmpty else { return [] }
        return try await sql.raw("SELECT * FROM usecase_search WHERE seq IN (\(binds: seqs))").all().map(Row.init(row:))
    }

    static func row(number: String, on sql: any SQLDatabase) async throws -> Row? {
        try await sql.raw("SELECT * FROM usecase_search WHERE number = \(bind: number)").first().map(Row.init(row:))
    }
}
