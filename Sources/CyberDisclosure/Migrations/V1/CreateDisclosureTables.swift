import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Version 1 of the CyberDisclosure schema.
enum CyberDisclosureV1 {
    static var all: [any Migration] { [CreateTables(), SeedReferenceData()] }

    struct CreateTables: AsyncMigration {
        var name: String { "disclosure.v1.create" }

        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await db.schema("disclosure_companies").id()
                .field("corporate_number", .string, .required).field("securities_code", .string, .required)
                .field("name", .string, .required).field("name_en", .string)
                .field("market_segment", .string, .required).field("fiscal_year_end_month", .int, .required)
                .field("sec_registrant", .bool, .required).field("nis2_entity", .bool, .required)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "corporate_number").unique(on: "securities_code").create()

            try await db.schema("disclosure_indexes").id()
                .field("code", .string, .required).field("name", .string, .required).field("name_en", .string)
                .field("created_at", .datetime, .required).unique(on: "code").create()
            try await db.schema("disclosure_index_snapshots").id()
                .field("index_id", .uuid, .required, .references("disclosure_indexes", "id", onDelete: .cascade))
                .field("effective_date", .string, .required).field("row_count", .int, .required)
                .field("imported_at", .datetime, .required).field("imported_by", .string, .required)
                .unique(on: "index_id", "effective_date").create()
            try await db.schema("disclosure_index_members").id()
                .field("snapshot_id", .uuid, .required, .references("disclosure_index_snapshots", "id", onDelete: .cascade))
                .field("company_id", .uuid, .required, .references("disclosure_companies", "id"))
                .unique(on: "snapshot_id", "company_id").create()

            try await db.schema("disclosure_incidents").id()
                .field("number", .string).field("company_id", .uuid, .required, .references("disclosure_companies", "id"))
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("status", .string, .required).field("title", .string, .required)
                .field("occurred_at", .datetime).field("discovered_at", .datetime, .required).field("determined_at", .datetime, .required)
                .field("personal_data", .bool, .required).field("malicious", .bool, .required)
                .field("draft_content", .string).field("draft_kind", .string).field("draft_available_at", .datetime).field("draft_reason", .string)
                .field("latest_version", .int, .required)
                .field("first_published_at", .datetime).field("latest_published_at", .datetime).field("first_due_at", .datetime)
                .field("late", .bool, .required)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "number").create()
            try await sql.create(index: "disclosure_incidents_public").on("disclosure_incidents").column("status").column("latest_published_at").run()
            try await sql.create(index: "disclosure_incidents_org").on("disclosure_incidents").column("organisation_id").run()
            try await sql.create(index: "disclosure_incidents_company").on("disclosure_incidents").column("company_id").run()

            try await db.schema("disclosure_incident_versions").id()
                .field("incident_id", .uuid, .required, .references("disclosure_incidents", "id"))
                .field("version", .int, .required).field("kind", .string, .required).field("content", .string, .required)
                .field("reason", .string).field("information_available_at", .datetime)
                .field("trigger_at", .datetime, .required).field("due_at", .datetime, .required).field("published_at", .datetime, .required)
                .field("late", .bool, .required).field("log_index", .int64, .required).field("published_by", .string, .required)
                .unique(on: "incident_id", "version").create()
            try await sql.create(index: "disclosure_versions_published").on("disclosure_incident_versions").column("published_at").run()

            try await db.schema("disclosure_delay_requests").id()
                .field("incident_id", .uuid, .required, .references("disclosure_incidents", "id"))
                .field("status", .string, .required).field("grounds", .string, .required)
                .field("requested_until", .datetime, .required).field("requested_at", .datetime, .required).field("requested_by", .string, .required)
                .field("decided_at", .datetime).field("decided_by", .string).field("decision_note", .string)
                .field("approved_until", .datetime).field("ended_at", .datetime).create()
            try await sql.create(index: "disclosure_delays_incident").on("disclosure_delay_requests").column("incident_id").run()

            try await db.schema("disclosure_obligation_reports").id()
                .field("incident_id", .uuid, .required, .references("disclosure_incidents", "id"))
                .field("rule_code", .string, .required).field("submitted_at", .datetime, .required).field("reference", .string)
                .field("recorded_at", .datetime, .required).field("recorded_by", .string, .required)
                .unique(on: "incident_id", "rule_code").create()

            try await db.schema("disclosure_regime_rules").id()
                .field("code", .string, .required).field("position", .int, .required).field("definition", .string, .required)
                .field("updated_at", .datetime, .required).unique(on: "code").create()

            try await db.schema("disclosure_reminders").id()
                .field("incident_id", .uuid, .required, .references("disclosure_incidents", "id"))
                .field("obligation_key", .string, .required).field("threshold", .string, .required).field("sent_at", .datetime, .required)
                .unique(on: "incident_id", "obligation_key", "threshold").create()

            try await db.schema("disclosure_annual").id()
                .field("company_id", .uuid, .required, .references("disclosure_companies", "id"))
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("fiscal_year", .int, .required).field("status", .string, .required).field("draft_content", .string)
                .field("latest_version", .int, .required).field("latest_published_at", .datetime)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "company_id", "fiscal_year").create()
            try await sql.create(index: "disclosure_annual_year").on("disclosure_annual").column("fiscal_year").column("status").run()
            try await db.schema("disclosure_annual_versions").id()
                .field("annual_id", .uuid, .required, .references("disclosure_annual", "id"))
                .field("version", .int, .required).field("content", .string, .required).field("published_at", .datetime, .required)
                .field("log_index", .int64, .required).field("published_by", .string, .required)
                .unique(on: "annual_id", "version").create()

            try await db.schema("disclosure_rubrics").id()
                .field("version", .int, .required).field("definition", .string, .required)
                .field("created_at", .datetime, .required).field("created_by", .string, .required)
                .unique(on: "version").create()

            try await db.schema("disclosure_surveys").id()
                .field("number", .string, .required)
                .field("index_id", .uuid, .required, .references("disclosure_indexes", "id"))
                .field("snapshot_id", .uuid, .required, .references("disclosure_index_snapshots", "id"))
                .field("fiscal_year", .int, .required).field("rubric_version", .int, .required)
                .field("run_at", .datetime, .required).field("run_by", .string, .required)
                .field("companies", .int, .required).field("disclosed", .int, .required).field("mean_percent", .double, .required)
                .field("previous_survey_id", .uuid).field("log_index", .int64, .required)
                .unique(on: "number").create()
            try await db.schema("disclosure_survey_results").id()
                .field("survey_id", .uuid, .required, .references("disclosure_surveys", "id"))
                .field("company_id", .uuid, .required, .references("disclosure_companies", "id"))
                .field("securities_code", .string, .required).field("name", .string, .required).field("disclosed", .bool, .required)
                .field("levels", .string, .required).field("total", .int, .required).field("maximum", .int, .required)
                .field("stars", .int, .required).field("rank", .int, .required).field("previous_total", .int)
                .unique(on: "survey_id", "company_id").create()
            try await sql.create(index: "disclosure_results_rank").on("disclosure_survey_results").column("survey_id").column("rank").run()

            // Public numbers (INC-2026-0001, SRV-2026-0001): one row per prefix and year.
            try await sql.create(table: "disclosure_counters")
                .column("counter_key", type: .text, .primaryKey(autoIncrement: false))
                .column("value", type: .bigint, .notNull).run()
        }

        func revert(on db: any Database) async throws {
            for table in ["disclosure_counters", "disclosure_survey_results", "disclosure_surveys", "disclosure_rubrics", "disclosure_annual_versions",
                          "disclosure_annual", "disclosure_reminders", "disclosure_regime_rules", "disclosure_obligation_reports",
                          "disclosure_delay_requests", "disclosure_incident_versions", "disclosure_incidents", "disclosure_index_members",
                          "disclosure_index_snapshots", "disclosure_indexes", "disclosure_companies"] {
                try await db.schema(table).delete()
            }
        }
    }

    /// The default regime rules and the first rubric.
    struct SeedReferenceData: AsyncMigration {
        var name: String { "disclosure.v1.seed" }

        func prepare(on db: any Database) async throws {
            let now = Date()
            for rule in RegimeRule.defaults {
                let record = RegimeRuleRecord()
                record.code = rule.code
                record.position = rule.position
                record.definition = try DisclosureJSON.string(rule)
                record.updatedAt = now
                try await record.create(on: db)
            }
            let rubric = RubricRecord()
            rubric.version = 1
            rubric.definition = try DisclosureJSON.string(Rubric.standard)
            rubric.createdAt = now
            rubric.createdBy = "system:migration"
            try await rubric.create(on: db)
        }

        func revert(on db: any Database) async throws {
            try await RubricRecord.query(on: db).delete()
            try await RegimeRuleRecord.query(on: db).delete()
        }
    }
}

/// Stored JSON of the module (content of drafts, versions, rules, rubrics): sorted keys, ISO instants.
enum DisclosureJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.format(date, fractionalSeconds: true))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 instant: \(text)")
            }
            return date
        }
        return decoder
    }()

    static func string<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try decoder.decode(type, from: Data(text.utf8)) }
}
