import FluentKit
import Foundation
import SQLKit

/// Version 2 of the use-case schema: the search projection keeps the normalised title, so that
/// relevance (terms in the title first) is computed without reading the whole indexed text, and a
/// covering index of the facet columns lets the facet counts skip the table. On SQLite the trigram
/// index gets a vocabulary table (two-character terms are looked up through it) and every indexed
/// text ends with a line break.
enum UseCasesV2 {
    struct SearchTitles: AsyncMigration {
        var name: String { "usecases.v2.search-titles" }

        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await sql.raw("ALTER TABLE usecase_search ADD COLUMN title_text TEXT").run()
            // The title is the first line of the indexed text (see UseCaseContent.searchText).
            if SearchIndex.isPostgres(sql) {
                try await sql.raw("UPDATE usecase_search SET title_text = split_part(search_text, E'\\n', 1)").run()
            } else {
                try await sql.raw("CREATE VIRTUAL TABLE usecase_fts_vocab USING fts5vocab(usecase_fts, row)").run()
                try await sql.raw("UPDATE usecase_fts SET body = body || char(10)").run()
                try await sql.raw("""
                    UPDATE usecase_search SET title_text = (
                        SELECT CASE WHEN instr(body, char(10)) > 0 THEN substr(body, 1, instr(body, char(10)) - 1) ELSE body END
                        FROM usecase_fts WHERE usecase_fts.rowid = usecase_search.seq)
                    """).run()
            }
            try await sql.raw("CREATE INDEX usecase_search_facets ON usecase_search (industry, category, organisation_type, municipality_scale, stage, confidentiality)").run()
        }

        func revert(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await sql.raw("DROP INDEX usecase_search_facets").run()
            if !SearchIndex.isPostgres(sql) {
                try await sql.raw("DROP TABLE usecase_fts_vocab").run()
                try await sql.raw("UPDATE usecase_fts SET body = rtrim(body, char(10))").run()
            }
            try await sql.raw("ALTER TABLE usecase_search DROP COLUMN title_text").run()
        }
    }
}
