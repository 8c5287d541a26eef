import FluentKit
import SQLKit

/// The first schema version of the CloudAssurance module.
enum CloudV1 {
    static var all: [any Migration] { [CreateRegistry(), CreateWorkflows(), CreateCatalogues(), CreateSupport()] }

    struct CreateRegistry: AsyncMigration {
        var name: String { "cloud.v1.registry" }
        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await db.schema("cloud_services").id()
                .field("number", .string, .required)
                .field("organisation_id", .uuid, .required, .references("organisations", "id"))
                .field("name", .string, .required).field("name_en", .string)
                .field("service_model", .string, .required)
                .field("description", .string, .required).field("description_en", .string)
                .field("website", .string)
                .field("governing_law", .string, .required).field("jurisdiction", .string, .required)
                .field("regions", .string, .required).field("contacts", .string, .required)
                .field("is_public", .bool, .required)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "number").create()
            try await sql.create(index: "cloud_services_org").on("cloud_services").column("organisation_id").run()
            try await db.schema("cloud_certifications").id()
                .field("service_id", .uuid, .required, .references("cloud_services", "id"))
                .field("kind", .string, .required).field("issuer", .string, .required)
                .field("certificate_number", .string, .required).field("scope", .string, .required)
                .field("covers_service", .bool, .required)
                .field("valid_from", .string, .required).field("valid_until", .string, .required)
                .field("verified_at", .datetime).field("verified_by", .string).field("removed_at", .datetime)
                .field("created_at", .datetime, .required).create()
            try await sql.create(index: "cloud_certifications_service").on("cloud_certifications").column("service_id").run()
            try await db.schema("cloud_attachments").id()
                .field("organisation_id", .uuid, .required)
                .field("owner_type", .string, .required).field("owner_id", .uuid, .required)
                .field("filename", .string, .required).field("media_type", .string, .required)
                .field("size", .int, .required).field("sha256", .string, .required)
                .field("content", .data, .required).field("uploaded_by", .string, .required)
                .field("created_at", .datetime, .required).create()
            try await sql.create(index: "cloud_attachments_owner").on("cloud_attachments").column("owner_type").column("owner_id").run()
            try await db.schema("cloud_list_entries").id()
                .field("list", .string, .required).field("record_id", .uuid, .required)
                .field("record_number", .string, .required)
                .field("service_id", .uuid, .required).field("organisation_id", .uuid, .required)
                .field("status", .string, .required).field("is_public", .bool, .required)
                .field("since", .string).field("until", .string).field("changed_at", .datetime, .required)
                .field("service_number", .string, .required).field("service_name", .string, .required).field("service_name_en", .string)
                .field("service_model", .string, .required).field("provider_name", .string, .required)
                .field("provider_corporate_number", .string)
                .field("regions", .string, .required).field("cert_kinds", .string, .required)
                .field("search", .string, .required).field("details", .string, .required)
                .unique(on: "list", "record_id").create()
            try await sql.create(index: "cloud_list_entries_list").on("cloud_list_entries").column("list").column("is_public").column("status").run()
            try await sql.create(index: "cloud_list_entries_name").on("cloud_list_entries").column("list").column("service_name").run()
            try await sql.create(index: "cloud_list_entries_service").on("cloud_list_entries").column("service_id").run()
            try await db.schema("cloud_status_events").id()
                .field("list", .string, .required).field("record_id", .uuid, .required).field("record_number", .string, .required)
                .field("service_id", .uuid, .required).field("organisation_id", .uuid, .required)
                .field("from_status", .string).field("to_status", .string, .required).field("event", .string, .required)
                .field("on_date", .string, .required).field("at", .datetime, .required).field("actor", .string, .required)
                .field("reason", .string).field("is_public", .bool, .required).field("log_index", .int64).field("seq", .int64, .required)
                .create()
            try await sql.create(index: "cloud_status_events_record").on("cloud_status_events").column("record_id").column("seq").run()
            try await sql.create(index: "cloud_status_events_service").on("cloud_status_events").column("service_id").column("seq").run()
            try await sql.create(index: "cloud_status_events_public").on("cloud_status_events").column("is_public").column("seq").run()
        }
        func revert(on db: any Database) async throws {
            for table in ["cloud_status_events", "cloud_list_entries", "cloud_attachments", "cloud_certifications", "cloud_services"] {
                try await db.schema(table).delete()
            }
        }
    }

    struct CreateWorkflows: AsyncMigration {
        var name: String { "cloud.v1.workflows" }
        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await db.schema("cloud_ready_listings").id()
                .field("number", .string, .required)
                .field("service_id", .uuid, .required, .references("cloud_services", "id"))
                .field("organisation_id", .uuid, .required)
                .field("status", .string, .required)
                .field("audit_firm", .string, .required).field("audit_contract_date", .string, .required)
                .field("gap_assessment_date", .string).field("target_list", .string, .required)
                .field("target_application_date", .string, .required).field("scope", .string, .required)
                .field("poc_available", .bool, .required)
                .field("listed_on", .string).field("next_report_due", .string).field("applied_reference", .string)
                .field("registration_id", .uuid).field("last_reason", .string)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "number").create()
            try await sql.create(index: "cloud_ready_status").on("cloud_ready_listings").column("status").column("next_report_due").run()
            try await db.schema("cloud_ready_reports").id()
                .field("listing_id", .uuid, .required, .references("cloud_ready_listings", "id"))
                .field("filed_at", .datetime, .required).field("period_due", .string)
                .field("progress", .string, .required).field("target_application_date", .string)
                .field("filed_by", .string, .required).create()
            try await db.schema("cloud_question_sets").id()
                .field("code", .string, .required).field("version", .int, .required)
                .field("title", .string, .required).field("title_en", .string)
                .field("question_count", .int, .required)
                .field("created_at", .datetime, .required).field("created_by", .string, .required)
                .unique(on: "code", "version").create()
            try await db.schema("cloud_questions").id()
                .field("set_id", .uuid, .required, .references("cloud_question_sets", "id"))
                .field("position", .int, .required).field("number", .string, .required)
                .field("category", .string, .required).field("text", .string, .required).field("text_en", .string)
                .field("guidance", .string).field("guidance_en", .string).field("controls", .string, .required)
                .unique(on: "set_id", "number").create()
            try await db.schema("cloud_fast_track").id()
                .field("number", .string, .required)
                .field("service_id", .uuid, .required, .references("cloud_services", "id"))
                .field("organisation_id", .uuid, .required)
                .field("status", .string, .required)
                .field("certification_id", .uuid, .required, .references("cloud_certifications", "id"))
                .field("question_set_id", .uuid, .references("cloud_question_sets", "id"))
                .field("verified_on", .string).field("granted_on", .string).field("provisional_until", .string)
                .field("registration_id", .uuid).field("last_reason", .string)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "number").create()
            try await sql.create(index: "cloud_fast_track_status").on("cloud_fast_track").column("status").column("provisional_until").run()
            try await db.schema("cloud_answers").id()
                .field("application_id", .uuid, .required, .references("cloud_fast_track", "id"))
                .field("question_id", .uuid, .required, .references("cloud_questions", "id"))
                .field("answer", .string, .required).field("answered_at", .datetime, .required)
                .field("finding", .string).field("finding_note", .string)
                .field("reviewed_at", .datetime).field("reviewed_by", .string)
                .unique(on: "application_id", "question_id").create()
            try await db.schema("cloud_remediations").id()
                .field("application_id", .uuid, .required, .references("cloud_fast_track", "id"))
                .field("question_id", .uuid)
                .field("title", .string, .required).field("description", .string)
                .field("owner", .string, .required).field("due_date", .string, .required)
                .field("status", .string, .required)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required).create()
            try await sql.create(index: "cloud_remediations_app").on("cloud_remediations").column("application_id").run()
            try await db.schema("cloud_registrations").id()
                .field("number", .string, .required)
                .field("service_id", .uuid, .required, .references("cloud_services", "id"))
                .field("organisation_id", .uuid, .required)
                .field("list", .string, .required).field("status", .string, .required)
                .field("audit_firm", .string).field("audit_report_date", .string).field("scope", .string)
                .field("bia_agency", .string).field("bia_date", .string).field("bia_summary", .string)
                .field("registered_on", .string).field("source", .string, .required)
                .field("fast_track_id", .uuid).field("last_reason", .string)
                .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
                .unique(on: "number").create()
            try await db.schema("cloud_sponsors").id()
                .field("registration_id", .uuid, .required, .references("cloud_registrations", "id"))
                .field("agency", .string, .required).field("since", .string, .required).field("until", .string).create()
            try await db.schema("cloud_reminders").id()
                .field("record_id", .uuid, .required).field("kind", .string, .required).field("sent_at", .datetime, .required)
                .unique(on: "record_id", "kind").create()
        }
        func revert(on db: any Database) async throws {
            for table in ["cloud_reminders", "cloud_sponsors", "cloud_registrations", "cloud_remediations", "cloud_answers", "cloud_fast_track",
                          "cloud_questions", "cloud_question_sets", "cloud_ready_reports", "cloud_ready_listings"] {
                try await db.schema(table).delete()
            }
        }
    }

    struct CreateCatalogues: AsyncMigration {
        var name: String { "cloud.v1.catalogues" }
        func prepare(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            try await db.schema("cloud_catalogues").id()
                .field("key", .string, .required).field("kind", .string, .required).field("structure", .string, .required)
                .field("title", .string, .required).field("version", .string).field("oscal_uuid", .string, .required)
                .field("evidence_for", .string, .required).field("is_target", .bool, .required)
                .field("document", .string, .required).field("control_count", .int, .required)
                .field("imported_at", .datetime, .required).field("imported_by", .string, .required)
                .unique(on: "key").create()
            try await db.schema("cloud_catalogue_nodes").id()
                .field("catalogue_id", .uuid, .required, .references("cloud_catalogues", "id", onDelete: .cascade))
                .field("seq", .int, .required).field("kind", .string, .required).field("oscal_id", .string)
                .field("parent_seq", .int).field("depth", .int, .required).field("title", .string, .required)
                .field("label", .string).field("class", .string).field("statement", .string, .required)
                .field("json", .string, .required).field("mandatory", .bool, .required).field("applicability", .string)
                .field("search", .string, .required)
                .unique(on: "catalogue_id", "seq").create()
            try await sql.create(index: "cloud_nodes_id").on("cloud_catalogue_nodes").column("catalogue_id").column("oscal_id").run()
            try await db.schema("cloud_crosswalks").id()
                .field("key", .string, .required).field("title", .string, .required)
                .field("source_catalogue", .string, .required).field("target_catalogue", .string, .required)
                .field("oscal_uuid", .string, .required).field("shell", .string, .required).field("mapping_shell", .string, .required)
                .field("map_count", .int, .required)
                .field("imported_at", .datetime, .required).field("imported_by", .string, .required)
                .unique(on: "key").create()
            try await db.schema("cloud_mappings").id()
                .field("crosswalk_id", .uuid, .required, .references("cloud_crosswalks", "id", onDelete: .cascade))
                .field("seq", .int, .required).field("sources", .string, .required).field("targets", .string, .required)
                .field("relationship", .string, .required).field("coverage", .double).field("confidence", .double)
                .field("remarks", .string).field("json", .string, .required).create()
            try await sql.create(index: "cloud_mappings_crosswalk").on("cloud_mappings").column("crosswalk_id").column("seq").run()
        }
        func revert(on db: any Database) async throws {
            for table in ["cloud_mappings", "cloud_crosswalks", "cloud_catalogue_nodes", "cloud_catalogues"] { try await db.schema(table).delete() }
        }
    }

    struct CreateSupport: AsyncMigration {
        var name: String { "cloud.v1.support" }
        func prepare(on db: any Database) async throws {
            try await db.schema("cloud_settings").id()
                .field("key", .string, .required).field("value", .string, .required)
                .field("updated_at", .datetime, .required).field("updated_by", .string, .required)
                .unique(on: "key").create()
            try await db.schema("cloud_applicability_rules").id()
                .field("priority", .int, .required).field("organisations", .string, .required)
                .field("confidentiality", .string, .required).field("service_models", .string, .required)
                .field("low_impact_only", .bool).field("level", .string, .required).field("acceptable_lists", .string, .required)
                .field("conclusion_ja", .string, .required).field("conclusion_en", .string, .required)
                .field("citation", .string, .required).field("citation_url", .string)
                .field("updated_at", .datetime, .required).create()
            try await db.schema("cloud_snapshots").id()
                .field("date", .string, .required).field("generated_at", .datetime, .required)
                .field("sha256", .string, .required).field("log_index", .int64).field("entry_count", .int, .required)
                .field("body", .string, .required)
                .unique(on: "date").create()
            try await db.schema("cloud_counters").id()
                .field("key", .string, .required).field("value", .int, .required)
                .unique(on: "key").create()
        }
        func revert(on db: any Database) async throws {
            for table in ["cloud_counters", "cloud_snapshots", "cloud_applicability_rules", "cloud_settings"] { try await db.schema(table).delete() }
        }
    }
}
