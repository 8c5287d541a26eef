import FluentKit
import Foundation
import ShinraiKit

// Fluent models of the registry. Dates of the Japanese calendar are stored as `YYYY-MM-DD`
// strings (they sort and compare as text); instants as UTC timestamps.

final class CloudServiceRecord: Model, @unchecked Sendable {
    static let schema = "cloud_services"
    @ID(key: .id) var id: UUID?
    /// Public number, e.g. `CS-2026-0001`.
    @Field(key: "number") var number: String
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "name") var name: String
    @OptionalField(key: "name_en") var nameEn: String?
    @Field(key: "service_model") var serviceModel: String
    @Field(key: "description") var description: String
    @OptionalField(key: "description_en") var descriptionEn: String?
    @OptionalField(key: "website") var website: String?
    @Field(key: "governing_law") var governingLaw: String
    @Field(key: "jurisdiction") var jurisdiction: String
    /// ISO 3166 codes, comma separated.
    @Field(key: "regions") var regions: String
    /// `[ServiceInput.Contact]` as JSON.
    @Field(key: "contacts") var contacts: String
    /// Becomes true with the first public status; from then on every change is a public record.
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var regionCodes: [String] { regions.split(separator: ",").map(String.init) }
    var contactList: [ServiceInput.Contact] {
        (try? JSONDecoder().decode([ServiceInput.Contact].self, from: Data(contacts.utf8))) ?? []
    }
    var model: ServiceModel { ServiceModel(rawValue: serviceModel) ?? .saas }
}

final class CertificationRecord: Model, @unchecked Sendable {
    static let schema = "cloud_certifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "certificate_number") var certificateNumber: String
    @Field(key: "scope") var scope: String
    @Field(key: "covers_service") var coversService: Bool
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "valid_until") var validUntil: String
    @OptionalField(key: "verified_at") var verifiedAt: Date?
    @OptionalField(key: "verified_by") var verifiedBy: String?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var certificationKind: CertificationKind { CertificationKind(rawValue: kind) ?? .other }
    func isValid(on day: LocalDate) -> Bool {
        removedAt == nil && validFrom <= day.iso && validUntil >= day.iso
    }
    var valid: CertificationInput.Valid {
        .init(kind: certificationKind, issuer: issuer, certificateNumber: certificateNumber, scope: scope, coversService: coversService,
              validFrom: LocalDate(validFrom)!, validUntil: LocalDate(validUntil)!)
    }
}

/// An evidence file (certificate, questionnaire attachment), kept in the database so every
/// instance serves it and nothing lives under the web root.
final class AttachmentRecord: Model, @unchecked Sendable {
    static let schema = "cloud_attachments"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "owner_type") var ownerType: String
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "filename") var filename: String
    @Field(key: "media_type") var mediaType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "content") var content: Data
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class ReadyListingRecord: Model, @unchecked Sendable {
    static let schema = "cloud_ready_listings"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "status") var status: String
    @Field(key: "audit_firm") var auditFirm: String
    @Field(key: "audit_contract_date") var auditContractDate: String
    @OptionalField(key: "gap_assessment_date") var gapAssessmentDate: String?
    @Field(key: "target_list") var targetList: String
    @Field(key: "target_application_date") var targetApplicationDate: String
    @Field(key: "scope") var scope: String
    @Field(key: "poc_available") var pocAvailable: Bool
    @OptionalField(key: "listed_on") var listedOn: String?
    @OptionalField(key: "next_report_due") var nextReportDue: String?
    @OptionalField(key: "applied_reference") var appliedReference: String?
    @OptionalField(key: "registration_id") var registrationID: UUID?
    @OptionalField(key: "last_reason") var lastReason: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
    var state: ReadyStatus { ReadyStatus(rawValue: status) ?? .draft }
}

final class ReadyReportRecord: Model, @unchecked Sendable {
    static let schema = "cloud_ready_reports"
    @ID(key: .id) var id: UUID?
    @Field(key: "listing_id") var listingID: UUID
    @Field(key: "filed_at") var filedAt: Date
    @OptionalField(key: "period_due") var periodDue: String?
    @Field(key: "progress") var progress: String
    @OptionalField(key: "target_application_date") var targetApplicationDate: String?
    @Field(key: "filed_by") var filedBy: String
    init() {}
}

final class FastTrackRecord: Model, @unchecked Sendable {
    static let schema = "cloud_fast_track"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "status") var status: String
    @Field(key: "certification_id") var certificationID: UUID
    @OptionalField(key: "question_set_id") var questionSetID: UUID?
    @OptionalField(key: "verified_on") var verifiedOn: String?
    @OptionalField(key: "granted_on") var grantedOn: String?
    @OptionalField(key: "provisional_until") var provisionalUntil: String?
    @OptionalField(key: "registration_id") var registrationID: UUID?
    @OptionalField(key: "last_reason") var lastReason: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
    var state: FastTrackStatus { FastTrackStatus(rawValue: status) ?? .draft }
    var period: ProvisionalPeriod? { grantedOn.flatMap(LocalDate.init).map(ProvisionalPeriod.init(grantedOn:)) }
}

final class QuestionSetRecord: Model, @unchecked Sendable {
    static let schema = "cloud_question_sets"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "version") var version: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "title_en") var titleEn: String?
    @Field(key: "question_count") var questionCount: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by") var createdBy: String
    init() {}
}

final class QuestionRecord: Model, @unchecked Sendable {
    static let schema = "cloud_questions"
    @ID(key: .id) var id: UUID?
    @Field(key: "set_id") var setID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "number") var number: String
    @Field(key: "category") var category: String
    @Field(key: "text") var text: String
    @OptionalField(key: "text_en") var textEn: String?
    @OptionalField(key: "guidance") var guidance: String?
    @OptionalField(key: "guidance_en") var guidanceEn: String?
    @Field(key: "controls") var controls: String
    init() {}

    var document: QuestionSetDocument.Question {
        .init(number: number, category: category, text: text, textEn: textEn, guidance: guidance, guidanceEn: guidanceEn,
              controls: controls.isEmpty ? nil : controls.split(separator: " ").map(String.init))
    }
}

final class AnswerRecord: Model, @unchecked Sendable {
    static let schema = "cloud_answers"
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "question_id") var questionID: UUID
    @Field(key: "answer") var answer: String
    @Field(key: "answered_at") var answeredAt: Date
    @OptionalField(key: "finding") var finding: String?
    @OptionalField(key: "finding_note") var findingNote: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    init() {}
}

final class RemediationRecord: Model, @unchecked Sendable {
    static let schema = "cloud_remediations"
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @OptionalField(key: "question_id") var questionID: UUID?
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "owner") var owner: String
    @Field(key: "due_date") var dueDate: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
    var state: RemediationStatus { RemediationStatus(rawValue: status) ?? .open }
}

final class RegistrationRecord: Model, @unchecked Sendable {
    static let schema = "cloud_registrations"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "list") var list: String
    @Field(key: "status") var status: String
    @OptionalField(key: "audit_firm") var auditFirm: String?
    @OptionalField(key: "audit_report_date") var auditReportDate: String?
    @OptionalField(key: "scope") var scope: String?
    @OptionalField(key: "bia_agency") var biaAgency: String?
    @OptionalField(key: "bia_date") var biaDate: String?
    @OptionalField(key: "bia_summary") var biaSummary: String?
    @OptionalField(key: "registered_on") var registeredOn: String?
    /// `application`, `fast-track` (promotion) or `record` (an existing registration entered by a reviewer).
    @Field(key: "source") var source: String
    @OptionalField(key: "fast_track_id") var fastTrackID: UUID?
    @OptionalField(key: "last_reason") var lastReason: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
    var state: RegistrationStatus { RegistrationStatus(rawValue: status) ?? .draft }
    var cloudList: CloudList { list == CloudList.ismap.rawValue ? .ismap : .liu }
}

final class SponsorRecord: Model, @unchecked Sendable {
    static let schema = "cloud_sponsors"
    @ID(key: .id) var id: UUID?
    @Field(key: "registration_id") var registrationID: UUID
    @Field(key: "agency") var agency: String
    @Field(key: "since") var since: String
    @OptionalField(key: "until") var until: String?
    init() {}
}

/// Every status change of a Ready listing, Fast Track application or registration.
final class StatusEventRecord: Model, @unchecked Sendable {
    static let schema = "cloud_status_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "list") var list: String
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "record_number") var recordNumber: String
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @Field(key: "event") var event: String
    /// The date in Japan.
    @Field(key: "on_date") var onDate: String
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "is_public") var isPublic: Bool
    @OptionalField(key: "log_index") var logIndex: Int64?
    /// Order of the changes (several can share an instant).
    @Field(key: "seq") var seq: Int64
    init() {}
}

/// One row per record on one of the four lists, denormalised for the public lists, exports and
/// snapshots (written in the same transaction as every change of the record or its service).
final class ListEntryRecord: Model, @unchecked Sendable {
    static let schema = "cloud_list_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "list") var list: String
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "record_number") var recordNumber: String
    @Field(key: "service_id") var serviceID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "status") var status: String
    @Field(key: "is_public") var isPublic: Bool
    /// Date of listing / grant / registration.
    @OptionalField(key: "since") var since: String?
    /// Provisional status end (Fast Track) or next report due (Ready).
    @OptionalField(key: "until") var until: String?
    @Field(key: "changed_at") var changedAt: Date
    @Field(key: "service_number") var serviceNumber: String
    @Field(key: "service_name") var serviceName: String
    @OptionalField(key: "service_name_en") var serviceNameEn: String?
    @Field(key: "service_model") var serviceModel: String
    @Field(key: "provider_name") var providerName: String
    @OptionalField(key: "provider_corporate_number") var providerCorporateNumber: String?
    /// `,JP-13,US,` so that `LIKE '%,JP-13,%'` filters.
    @Field(key: "regions") var regions: String
    @Field(key: "cert_kinds") var certKinds: String
    @Field(key: "search") var search: String
    /// List-specific public details as JSON (`[String: String]`).
    @Field(key: "details") var details: String
    init() {}

    var detailMap: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:] }
}

final class ReminderRecord: Model, @unchecked Sendable {
    static let schema = "cloud_reminders"
    @ID(key: .id) var id: UUID?
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "sent_at") var sentAt: Date
    init() {}
}

final class CatalogueRecord: Model, @unchecked Sendable {
    static let schema = "cloud_catalogues"
    @ID(key: .id) var id: UUID?
    /// Short stable name used in URLs and crosswalks (`ismap-sample`, `nist-800-53r5-low`).
    @Field(key: "key") var key: String
    /// `catalog` or `profile`.
    @Field(key: "kind") var kind: String
    /// `oscal` or `ismap` (imported from the ISMAP-structured CSV).
    @Field(key: "structure") var structure: String
    @Field(key: "title") var title: String
    @OptionalField(key: "version") var version: String?
    @Field(key: "oscal_uuid") var oscalUUID: String
    /// Certification kinds whose holders have these controls assessed (comma separated).
    @Field(key: "evidence_for") var evidenceFor: String
    /// The catalogue the audit-scope calculator measures against (the ISMAP criteria).
    @Field(key: "is_target") var isTarget: Bool
    /// Catalog: the `catalog` object without its children. Profile: the whole document.
    @Field(key: "document") var document: String
    @Field(key: "control_count") var controlCount: Int
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String
    init() {}
    var evidenceKinds: [CertificationKind] { evidenceFor.split(separator: ",").compactMap { CertificationKind(rawValue: String($0)) } }
}

final class CatalogueNodeRecord: Model, @unchecked Sendable {
    static let schema = "cloud_catalogue_nodes"
    @ID(key: .id) var id: UUID?
    @Field(key: "catalogue_id") var catalogueID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "oscal_id") var oscalID: String?
    @OptionalField(key: "parent_seq") var parentSeq: Int?
    @Field(key: "depth") var depth: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "label") var label: String?
    @OptionalField(key: "class") var oscalClass: String?
    @Field(key: "statement") var statement: String
    @Field(key: "json") var json: String
    @Field(key: "mandatory") var mandatory: Bool
    @OptionalField(key: "applicability") var applicability: String?
    @Field(key: "search") var search: String
    init() {}

    var node: OSCAL.Node {
        OSCAL.Node(kind: kind == "group" ? .group : .control, id: oscalID, parent: parentSeq, depth: depth, title: title, json: OSCAL.object(json))
    }
}

final class CrosswalkRecord: Model, @unchecked Sendable {
    static let schema = "cloud_crosswalks"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "title") var title: String
    @Field(key: "source_catalogue") var sourceCatalogue: String
    @Field(key: "target_catalogue") var targetCatalogue: String
    @Field(key: "oscal_uuid") var oscalUUID: String
    @Field(key: "shell") var shell: String
    @Field(key: "mapping_shell") var mappingShell: String
    @Field(key: "map_count") var mapCount: Int
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String
    init() {}
}

final class MappingRecord: Model, @unchecked Sendable {
    static let schema = "cloud_mappings"
    @ID(key: .id) var id: UUID?
    @Field(key: "crosswalk_id") var crosswalkID: UUID
    @Field(key: "seq") var seq: Int
    /// Space-separated control ids.
    @Field(key: "sources") var sources: String
    @Field(key: "targets") var targets: String
    @Field(key: "relationship") var relationship: String
    @OptionalField(key: "coverage") var coverage: Double?
    @OptionalField(key: "confidence") var confidence: Double?
    @OptionalField(key: "remarks") var remarks: String?
    @Field(key: "json") var json: String
    init() {}
}

final class SettingRecord: Model, @unchecked Sendable {
    static let schema = "cloud_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String
    init() {}
}

final class ApplicabilityRuleRecord: Model, @unchecked Sendable {
    static let schema = "cloud_applicability_rules"
    @ID(key: .id) var id: UUID?
    @Field(key: "priority") var priority: Int
    @Field(key: "organisations") var organisations: String
    @Field(key: "confidentiality") var confidentiality: String
    @Field(key: "service_models") var serviceModels: String
    @OptionalField(key: "low_impact_only") var lowImpactOnly: Bool?
    @Field(key: "level") var level: String
    @Field(key: "acceptable_lists") var acceptableLists: String
    @Field(key: "conclusion_ja") var conclusionJa: String
    @Field(key: "conclusion_en") var conclusionEn: String
    @Field(key: "citation") var citation: String
    @OptionalField(key: "citation_url") var citationURL: String?
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var rule: ApplicabilityRule {
        func list<T: RawRepresentable>(_ text: String) -> [T] where T.RawValue == String {
            text.split(separator: ",").compactMap { T(rawValue: String($0)) }
        }
        return ApplicabilityRule(id: id!, priority: priority, organisations: list(organisations), confidentiality: list(confidentiality),
                                 serviceModels: list(serviceModels), lowImpactOnly: lowImpactOnly, level: RequirementLevel(rawValue: level) ?? .recommended,
                                 acceptableLists: list(acceptableLists), conclusionJa: conclusionJa, conclusionEn: conclusionEn,
                                 citation: citation, citationURL: citationURL)
    }

    func apply(_ rule: ApplicabilityRule, at now: Date) {
        priority = rule.priority
        organisations = rule.organisations.map(\.rawValue).joined(separator: ",")
        confidentiality = rule.confidentiality.map(\.rawValue).joined(separator: ",")
        serviceModels = rule.serviceModels.map(\.rawValue).joined(separator: ",")
        lowImpactOnly = rule.lowImpactOnly
        level = rule.level.rawValue
        acceptableLists = rule.acceptableLists.map(\.rawValue).joined(separator: ",")
        conclusionJa = rule.conclusionJa; conclusionEn = rule.conclusionEn
        citation = rule.citation; citationURL = rule.citationURL
        updatedAt = now
    }
}

final class SnapshotRecord: Model, @unchecked Sendable {
    static let schema = "cloud_snapshots"
    @ID(key: .id) var id: UUID?
    @Field(key: "date") var date: String
    @Field(key: "generated_at") var generatedAt: Date
    @Field(key: "sha256") var sha256: String
    @OptionalField(key: "log_index") var logIndex: Int64?
    @Field(key: "entry_count") var entryCount: Int
    @Field(key: "body") var body: String
    init() {}
}
