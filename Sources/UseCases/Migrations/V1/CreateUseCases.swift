import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// Version 1 of the use-case schema.
enum UseCasesV1 {
    struct CreateTables: AsyncMigration {
        var name: String { "usecases.v1.create" }

        func prepare(on db: any Database) async throws {
            try await db.schema(CategoryRecord.schema)
                .id()
                .field("slug", .string, .required)
                .field("name_ja", .string, .required)
                .field("name_en", .string, .required)
                .field("position", .int, .required)
                .field("active", .bool, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "slug")
                .create()
            try await db.schema(UseCaseRecord.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("number", .string)
                .field("status", .string, .required)
                .field("content", .string, .required)
                .field("title", .string, .required)
                .field("revision", .int, .required)
                .field("published_version", .int, .required)
                .field("listed", .bool, .required)
                .field("search_seq", .int64)
                .field("views", .int, .required)
                .field("reuses", .int, .required)
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .field("created_by", .string, .required)
                .field("submitted_at", .datetime)
                .field("first_published_at", .datetime)
                .field("withdrawn_at", .datetime)
                .field("withdrawn_reason", .string)
                .unique(on: "number")
                .unique(on: "search_seq")
                .create()
            try await db.schema(UseCaseVersionRecord.schema)
                .id()
                .field("usecase_id", .uuid, .required, .references(UseCaseRecord.schema, "id"))
                .field("number", .string, .required)
                .field("version", .int, .required)
                .field("record", .string, .required)
                .field("content_hash", .string, .required)
                .field("published_at", .datetime, .required)
                .field("published_by", .string, .required)
                .field("log_index", .int64, .required)
                .field("note", .string)
                .unique(on: "usecase_id", "version")
                .create()
            try await db.schema(UseCaseReviewRecord.schema)
                .id()
                .field("usecase_id", .uuid, .required, .references(UseCaseRecord.schema, "id", onDelete: .cascade))
                .field("action", .string, .required)
                .field("comment", .string)
                .field("actor_label", .string, .required)
                .field("actor_account_id", .uuid)
                .field("at", .datetime, .required)
                .create()
            // The public search projection: one row per listed use case (its latest version).
            try await db.schema(SearchIndex.table)
                .id()
                .field("seq", .int64, .required)
                .field("number", .string, .required)
                .field("title", .string, .required)
                .field("summary", .string, .required)
                .field("organisation_name", .string, .required)
                .field("organisation_type", .string, .required)
                .field("municipality_scale", .string, .required)
                .field("industry", .string, .required)
                .field("category", .string, .required)
                .field("stage", .string, .required)
                .field("confidentiality", .int, .required)
                .field("high_risk", .bool, .required)
                .field("version", .int, .required)
                .field("first_published_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .field("reuses", .int, .required)
                .field("search_text", .string, .required)
                .unique(on: "seq")
                .create()
            try await db.schema(NeedRecord.schema)
                .id()
                .field("number", .string, .required)
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("content", .string, .required)
                .field("title", .string, .required)
                .field("industry", .string, .required)
                .field("category", .string)
                .field("region", .string)
                .field("deadline", .string)
                .field("status", .string, .required)
                .field("search_text", .string, .required)
                .field("responses", .int, .required)
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .field("created_by", .string, .required)
                .field("closed_at", .datetime)
                .field("solved_by", .string)
                .field("closing_note", .string)
                .unique(on: "number")
                .create()
            try await db.schema(NeedResponseRecord.schema)
                .id()
                .field("need_id", .uuid, .required, .references(NeedRecord.schema, "id", onDelete: .cascade))
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("message", .string, .required)
                .field("usecase_number", .string)
                .field("actor_label", .string, .required)
                .field("created_at", .datetime, .required)
                .create()

            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE TABLE usecase_counters (name VARCHAR(100) PRIMARY KEY, value BIGINT NOT NULL)").run()
            for (name, columns) in [
                ("usecases_org", "usecases (organisation_id, updated_at)"),
                ("usecases_status", "usecases (status, submitted_at)"),
                ("usecase_versions_published", "usecase_versions (published_at)"),
                ("usecase_reviews_usecase", "usecase_reviews (usecase_id, at)"),
                ("usecase_needs_status", "usecase_needs (status, created_at)"),
                ("usecase_need_responses_need", "usecase_need_responses (need_id, created_at)"),
                ("usecase_search_industry", "usecase_search (industry)"),
                ("usecase_search_category", "usecase_search (category)"),
                ("usecase_search_org_type", "usecase_search (organisation_type)"),
                ("usecase_search_scale", "usecase_search (municipality_scale)"),
                ("usecase_search_stage", "usecase_search (stage)"),
                ("usecase_search_confidentiality", "usecase_search (confidentiality)"),
                ("usecase_search_updated", "usecase_search (updated_at)"),
                ("usecase_search_reuses", "usecase_search (reuses, updated_at)"),
            ] {
                try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: columns)").run()
            }
            try await SearchIndex.createTextIndex(on: sql)
        }

        func revert(on db: any Database) async throws {
            try await SearchIndex.dropTextIndex(on: db as! any SQLDatabase)
            try await (db as! any SQLDatabase).raw("DROP TABLE usecase_counters").run()
            for schema in [NeedResponseRecord.schema, NeedRecord.schema, SearchIndex.table, UseCaseReviewRecord.schema,
                           UseCaseVersionRecord.schema, UseCaseRecord.schema, CategoryRecord.schema] {
                try await db.schema(schema).delete()
            }
        }
    }

    /// The starting problem categories (the taxonomy stays editable by reviewers).
    struct SeedCategories: AsyncMigration {
        var name: String { "usecases.v1.seed-categories" }

        static let seed: [(slug: String, ja: String, en: String)] = [
            ("document-drafting", "文書作成", "Document drafting"),
            ("summarising", "要約", "Summarising"),
            ("minutes", "議事録作成", "Meeting minutes"),
            ("inquiry-handling", "問い合わせ対応", "Inquiry handling"),
            ("translation", "翻訳・多言語対応", "Translation"),
            ("data-analysis", "データ分析", "Data analysis"),
            ("coding", "プログラミング支援", "Coding"),
            ("planning", "企画・アイデア出し", "Planning and ideas"),
            ("assembly-qa", "議会答弁作成支援", "Assembly Q&A"),
            ("knowledge-search", "規程・ナレッジ検索", "Knowledge search"),
            ("proofreading", "文書点検・校正", "Checking and proofreading"),
            ("public-relations", "広報・情報発信", "Public relations"),
            ("training", "研修・教育", "Training and education"),
            ("sales-marketing", "営業・マーケティング", "Sales and marketing"),
            ("other", "その他", "Other"),
        ]

        func prepare(on db: any Database) async throws {
            let now = Date()
            for (position, item) in Self.seed.enumerated() {
                try await CategoryRecord(slug: item.slug, nameJa: item.ja, nameEn: item.en, position: (position + 1) * 10, at: now).create(on: db)
            }
        }

        func revert(on db: any Database) async throws {
            try await CategoryRecord.query(on: db).filter(\.$slug ~~ Self.seed.map(\.slug)).delete()
        }
    }
}
