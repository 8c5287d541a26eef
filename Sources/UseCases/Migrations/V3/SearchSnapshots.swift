import FluentKit
import Foundation
import SQLKit

/// Version 3 of the use-case schema: searches count and order matches in memory (see
/// `SearchSnapshot`), so the projection keeps the normalised summary for relevance and stamps
/// each reuse count with a revision, and the covering index of the facet columns, used only by
/// the counts in SQL, goes.
enum UseCasesV3 {
    struct SearchSnapshots: AsyncMigration {
        var name: String { "usecases.v3.search-snapshots" }

        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await sql.raw("ALTER TABLE usecase_search ADD COLUMN summary_text TEXT").run()
            try await sql.raw("ALTER TABLE usecase_search ADD COLUMN reuses_revision BIGINT NOT NULL DEFAULT 0").run()
            try await sql.raw("CREATE INDEX usecase_search_reuses_revision ON usecase_search (reuses_revision)").run()
            try await sql.raw("DROP INDEX usecase_search_facets").run()
            // The normalised summary of the cases already listed (the same fold as a new publication).
            let rows = try await sql.raw("SELECT seq, summary FROM usecase_search").all()
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let summary = try row.decode(column: "summary", as: String.self)
                try await sql.update(SearchIndex.table).set("summary_text", to: SearchText.normalise(summary)).where("seq", .equal, seq).run()
            }
        }

        func revert(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE INDEX usecase_search_facets ON usecase_search (industry, category, organisation_type, municipality_scale, stage, confidentiality)").run()
            try await sql.raw("DROP INDEX usecase_search_reuses_revision").run()
            try await sql.raw("ALTER TABLE usecase_search DROP COLUMN reuses_revision").run()
            try await sql.raw("ALTER TABLE usecase_search DROP COLUMN summary_text").run()
        }
    }
}
