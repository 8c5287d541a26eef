import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Version 1 of the Sovereignty schema.
enum SovereigntyV1 {
    static var all: [any Migration] { [CreateTables(), SeedReferenceData()] }

    struct CreateTables: AsyncMigration {
        var name: String { "sovereignty.v1.create" }

        func prepare(on db: any Database) async throws {
            try await db.schema(SecurityCategory.schema)
                .id()
                .field("code", .string, .required)
                .field("name_ja", .string, .required)
                .field("name_en", .string, .required)
                .field("sort_order", .int, .required)
                .field("active", .bool, .required)
                .unique(on: "code")
                .create()
            try await db.schema(ParameterVersion.schema)
                .id()
                .field("version", .int, .required)
                .field("effective_from", .int, .required)
                .field("w_control", .int, .required)
                .field("w_jurisdiction", .int, .required)
                .field("w_data", .int, .required)
                .field("w_operations", .int, .required)
                .field("w_development", .int, .required)
                .field("w_support", .int, .required)
                .field("threshold_1", .int, .required)
                .field("threshold_2", .int, .required)
                .field("threshold_3", .int, .required)
                .field("threshold_4", .int, .required)
                .field("domestic_level", .int, .required)
                .field("minimum_declarers", .int, .required)
                .field("note", .string, .required)
                .field("created_at", .datetime, .required)
                .field("created_by", .string, .required)
                .field("log_index", .int64)
                .unique(on: "version")
                .create()
            try await db.schema(VendorProfile.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("headquarters", .string, .required)
                .field("ultimate_parent", .string)
                .field("controlling_shareholders", .string, .required)
                .field("governing_law", .string)
                .field("foreign_laws", .string, .required)
                .field("foreign_law_note", .string, .required)
                .field("development", .string, .required)
                .field("operation", .string, .required)
                .field("support", .string, .required)
                .field("data_location", .string, .required)
                .field("evidence", .string, .required)
                .field("status", .string, .required)
                .field("verified_at", .datetime)
                .field("verified_by", .string)
                .field("revision", .int, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "organisation_id")
                .create()
            try await db.schema(Offering.schema)
                .id()
                .field("number", .string, .required)
                .field("vendor_id", .uuid, .required, .references("organisations", "id"))
                .field("name", .string, .required)
                .field("name_en", .string)
                .field("kind", .string, .required)
                .field("category_id", .uuid, .required, .references(SecurityCategory.schema, "id"))
                .field("description", .string, .required)
                .field("unit", .string, .required)
                .field("governing_law", .string)
                .field("foreign_laws", .string)
                .field("development", .string, .required)
                .field("operation", .string, .required)
                .field("support", .string, .required)
                .field("data_location", .string, .required)
                .field("site_type", .string)
                .field("site_country", .string)
                .field("prefecture", .int)
                .field("gpu_count", .int)
                .field("it_power_kw", .int)
                .field("withdrawn", .bool, .required)
                .field("revision", .int, .required)
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "number")
                .create()
            try await db.schema(OfferingScore.schema)
                .id()
                .field("offering_id", .uuid, .required, .references(Offering.schema, "id"))
                .field("version_id", .uuid, .required, .references(ParameterVersion.schema, "id"))
                .field("kind", .string, .required)
                .field("category_id", .uuid, .required)
                .field("score_bp", .int, .required)
                .field("level", .int, .required)
                .field("domestic", .bool, .required)
                .unique(on: "offering_id", "version_id")
                .create()
            try await db.schema(Declaration.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("offering_id", .uuid, .required, .references(Offering.schema, "id"))
                .field("fiscal_year", .int, .required)
                .field("spend_yen", .int64)
                .field("units", .int64)
                .field("government_system", .bool, .required)
                .field("sector", .string, .required)
                .field("note", .string, .required)
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "organisation_id", "offering_id", "fiscal_year", "government_system")
                .create()
            try await db.schema(Target.schema)
                .id()
                .field("fiscal_year", .int, .required)
                .field("scope", .string, .required)
                .field("rate_bp", .int, .required)
                .field("note", .string, .required)
                .field("revision", .int, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "fiscal_year", "scope")
                .create()
            try await db.schema(OverseasSale.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("fiscal_year", .int, .required)
                .field("amount_yen", .int64, .required)
                .field("markets", .string, .required)
                .field("updated_at", .datetime, .required)
                .unique(on: "organisation_id", "fiscal_year")
                .create()
            try await db.schema(Publication.schema)
                .id()
                .field("fiscal_year", .int, .required)
                .field("revision", .int, .required)
                .field("record_number", .string, .required)
                .field("content", .string, .required)
                .field("content_hash", .string, .required)
                .field("log_index", .int64, .required)
                .field("parameter_version", .int, .required)
                .field("rate_bp", .int)
                .field("published_at", .datetime, .required)
                .field("published_by", .string, .required)
                .unique(on: "fiscal_year", "revision")
                .create()
            let sql = db as! any SQLDatabase
            // The indicator reads declarations through this index alone (it covers every column it
            // uses), in the order of its GROUP BY.
            try await sql.create(index: "sovereignty_declarations_indicator").on(Declaration.schema)
                .column("fiscal_year").column("offering_id").column("sector").column("government_system").column("organisation_id")
                .column("spend_yen").column("units").run()
            try await sql.create(index: "sovereignty_declarations_organisation").on(Declaration.schema).column("organisation_id").column("fiscal_year").run()
            try await sql.create(index: "sovereignty_declarations_offering").on(Declaration.schema).column("offering_id").run()
            try await sql.create(index: "sovereignty_offerings_vendor").on(Offering.schema).column("vendor_id").run()
            // A counter bumped by every write the indicator depends on, so every instance knows
            // when its cached figures are stale.
            try await sql.create(table: "sovereignty_state")
                .column("id", type: .int, .primaryKey(autoIncrement: false))
                .column("generation", type: .bigint, .notNull)
                .run()
            try await sql.insert(into: "sovereignty_state").columns("id", "generation").values(SQLBind(1), SQLBind(0)).run()
        }

        func revert(on db: any Database) async throws {
            try await (db as! any SQLDatabase).drop(table: "sovereignty_state").ifExists().run()
            for table in [Publication.schema, OverseasSale.schema, Target.schema, Declaration.schema, OfferingScore.schema,
                          Offering.schema, VendorProfile.schema, ParameterVersion.schema, SecurityCategory.schema] {
                try await db.schema(table).delete()
            }
        }
    }

    /// The security categories of the issue and parameter version 1, in force from FY2000.
    struct SeedReferenceData: AsyncMigration {
        var name: String { "sovereignty.v1.seed" }

        static let categories: [(code: String, ja: String, en: String)] = [
            ("endpoint", "エンドポイント保護・EDR", "Endpoint protection / EDR"),
            ("network", "ネットワークセキュリティ・UTM", "Network security / UTM"),
            ("siem", "SIEM・ログ分析", "SIEM / log analysis"),
            ("soc", "SOC・MSS", "SOC / managed security services"),
            ("assessment", "脆弱性診断・ペネトレーションテスト", "Vulnerability assessment / penetration testing"),
            ("identity", "ID・アクセス管理", "Identity and access management"),
            ("email-web", "メール・Webセキュリティ", "Email and web security"),
            ("cloud", "クラウドセキュリティ", "Cloud security"),
            ("data-protection", "データ保護", "Data protection"),
            ("compute", "計算基盤・データセンター", "Compute and data centres"),
            ("consulting", "コンサルティング・教育", "Consulting and training"),
            ("other", "その他", "Other"),
        ]

        func prepare(on db: any Database) async throws {
            try await db.transaction { db in
                for (i, category) in Self.categories.enumerated() {
                    try await SecurityCategory(code: category.code, nameJa: category.ja, nameEn: category.en, sortOrder: (i + 1) * 10).create(on: db)
                }
                _ = try await ParameterStore.createVersion(ScoringParameters.initial, effectiveFrom: FiscalYear.earliest,
                                                           note: "初期値 / Initial values", actor: .system("migration"), at: Date(), on: db)
            }
        }

        func revert(on db: any Database) async throws {
            try await ParameterVersion.query(on: db).delete()
            try await SecurityCategory.query(on: db).delete()
        }
    }
}
