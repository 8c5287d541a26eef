import FluentKit
import Foundation
import ShinraiKit

/// A listed company: 法人番号, 証券コード, market segment and fiscal year end. Members of the platform
/// organisation with the same 法人番号 file for it.
public final class ListedCompany: Model, @unchecked Sendable {
    public static let schema = "disclosure_companies"
    @ID(key: .id) public var id: UUID?
    @Field(key: "corporate_number") public var corporateNumber: String
    @Field(key: "securities_code") public var securitiesCode: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "name_en") public var nameEn: String?
    @Enum(key: "market_segment") public var marketSegment: MarketSegment
    @Field(key: "fiscal_year_end_month") public var fiscalYearEndMonth: Int
    @Field(key: "sec_registrant") public var secRegistrant: Bool
    @Field(key: "nis2_entity") public var nis2Entity: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}

    var flags: CompanyFlags { CompanyFlags(secRegistrant: secRegistrant, nis2Entity: nis2Entity) }
    func displayName(_ language: UILanguage) -> String { language == .en ? (nameEn ?? name) : name }
}

/// An index (e.g. a 500-company stock index) whose constituents are imported as dated snapshots.
public final class MarketIndex: Model, @unchecked Sendable {
    public static let schema = "disclosure_indexes"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "name_en") public var nameEn: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
    func displayName(_ language: UILanguage) -> String { language == .en ? (nameEn ?? name) : name }
}

/// The constituents of an index from an effective date until the next snapshot.
public final class IndexSnapshot: Model, @unchecked Sendable {
    public static let schema = "disclosure_index_snapshots"
    @ID(key: .id) public var id: UUID?
    @Field(key: "index_id") public var indexID: UUID
    /// `YYYY-MM-DD`.
    @Field(key: "effective_date") public var effectiveDate: String
    @Field(key: "row_count") public var rowCount: Int
    @Field(key: "imported_at") public var importedAt: Date
    @Field(key: "imported_by") public var importedBy: String
    public init() {}
}

public final class IndexMember: Model, @unchecked Sendable {
    public static let schema = "disclosure_index_members"
    @ID(key: .id) public var id: UUID?
    @Field(key: "snapshot_id") public var snapshotID: UUID
    @Field(key: "company_id") public var companyID: UUID
    public init() {}
    init(snapshotID: UUID, companyID: UUID) { self.snapshotID = snapshotID; self.companyID = companyID }
}

public enum IncidentStatus: String, Codable, Sendable, CaseIterable { case draft, published }
public enum DraftKind: String, Codable, Sendable, CaseIterable { case initial, amendment }

/// A serious cyber incident of a listed company, its current draft and its clocks' facts.
public final class Incident: Model, @unchecked Sendable {
    public static let schema = "disclosure_incidents"
    @ID(key: .id) public var id: UUID?
    /// `INC-2026-0001`, given at first publication.
    @OptionalField(key: "number") public var number: String?
    @Field(key: "company_id") public var companyID: UUID
    @Field(key: "organisation_id") public var organisationID: UUID
    @Enum(key: "status") public var status: IncidentStatus
    @Field(key: "title") public var title: String
    @OptionalField(key: "occurred_at") public var occurredAt: Date?
    @Field(key: "discovered_at") public var discoveredAt: Date
    @Field(key: "determined_at") public var determinedAt: Date
    @Field(key: "personal_data") public var personalData: Bool
    @Field(key: "malicious") public var malicious: Bool
    /// JSON of `IncidentContent` while a version is being drafted.
    @OptionalField(key: "draft_content") public var draftContent: String?
    @OptionalEnum(key: "draft_kind") public var draftKind: DraftKind?
    @OptionalField(key: "draft_available_at") public var draftAvailableAt: Date?
    @OptionalField(key: "draft_reason") public var draftReason: String?
    @Field(key: "latest_version") public var latestVersion: Int
    @OptionalField(key: "first_published_at") public var firstPublishedAt: Date?
    @OptionalField(key: "latest_published_at") public var latestPublishedAt: Date?
    /// The first version's deadline and whether it was missed (lists and the public "late" mark).
    @OptionalField(key: "first_due_at") public var firstDueAt: Date?
    @Field(key: "late") public var late: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}

    var facts: IncidentFacts {
        IncidentFacts(occurredAt: occurredAt, discoveredAt: discoveredAt, determinedAt: determinedAt, personalData: personalData, malicious: malicious)
    }
    var publicID: String { number ?? id!.uuidString }
}

/// One published version of an incident filing; every version stays readable.
public final class IncidentVersion: Model, @unchecked Sendable {
    public static let schema = "disclosure_incident_versions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "incident_id") public var incidentID: UUID
    @Field(key: "version") public var version: Int
    @Enum(key: "kind") public var kind: DraftKind
    @Field(key: "content") public var content: String
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "information_available_at") public var informationAvailableAt: Date?
    @Field(key: "trigger_at") public var triggerAt: Date
    @Field(key: "due_at") public var dueAt: Date
    @Field(key: "published_at") public var publishedAt: Date
    @Field(key: "late") public var late: Bool
    @Field(key: "log_index") public var logIndex: Int64
    @Field(key: "published_by") public var publishedBy: String
    public init() {}
}

public enum DelayStatus: String, Codable, Sendable, CaseIterable { case pending, approved, rejected, ended, withdrawn }

/// A documented request to delay disclosure, decided by a reviewer of the competent authority.
public final class DelayRequest: Model, @unchecked Sendable {
    public static let schema = "disclosure_delay_requests"
    @ID(key: .id) public var id: UUID?
    @Field(key: "incident_id") public var incidentID: UUID
    @Enum(key: "status") public var status: DelayStatus
    @Field(key: "grounds") public var grounds: String
    @Field(key: "requested_until") public var requestedUntil: Date
    @Field(key: "requested_at") public var requestedAt: Date
    @Field(key: "requested_by") public var requestedBy: String
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decision_note") public var decisionNote: String?
    @OptionalField(key: "approved_until") public var approvedUntil: Date?
    @OptionalField(key: "ended_at") public var endedAt: Date?
    public init() {}

    /// The time the clock stands still: from approval until the approved end (or an earlier end).
    var pause: PauseWindow? {
        guard status == .approved || status == .ended, let start = decidedAt, let until = approvedUntil else { return nil }
        let end = min(until, endedAt ?? until)
        return end > start ? PauseWindow(start: start, end: end) : nil
    }
}

/// A company's record that it submitted a report under another regime (PPC, NIS2, SEC).
public final class ObligationReport: Model, @unchecked Sendable {
    public static let schema = "disclosure_obligation_reports"
    @ID(key: .id) public var id: UUID?
    @Field(key: "incident_id") public var incidentID: UUID
    @Field(key: "rule_code") public var ruleCode: String
    @Field(key: "submitted_at") public var submittedAt: Date
    @OptionalField(key: "reference") public var reference: String?
    @Field(key: "recorded_at") public var recordedAt: Date
    @Field(key: "recorded_by") public var recordedBy: String
    public init() {}
}

/// A regime rule stored as data (`RegimeRule` JSON), editable by administrators.
public final class RegimeRuleRecord: Model, @unchecked Sendable {
    public static let schema = "disclosure_regime_rules"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "position") public var position: Int
    @Field(key: "definition") public var definition: String
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

/// A reminder already sent, so each threshold is announced once.
public final class ReminderSent: Model, @unchecked Sendable {
    public static let schema = "disclosure_reminders"
    @ID(key: .id) public var id: UUID?
    @Field(key: "incident_id") public var incidentID: UUID
    @Field(key: "obligation_key") public var obligationKey: String
    @Field(key: "threshold") public var threshold: String
    @Field(key: "sent_at") public var sentAt: Date
    public init() {}
}

/// One company's annual cyber disclosure for one fiscal year.
public final class AnnualDisclosure: Model, @unchecked Sendable {
    public static let schema = "disclosure_annual"
    @ID(key: .id) public var id: UUID?
    @Field(key: "company_id") public var companyID: UUID
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "fiscal_year") public var fiscalYear: Int
    @Enum(key: "status") public var status: IncidentStatus
    @OptionalField(key: "draft_content") public var draftContent: String?
    @Field(key: "latest_version") public var latestVersion: Int
    @OptionalField(key: "latest_published_at") public var latestPublishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

public final class AnnualVersion: Model, @unchecked Sendable {
    public static let schema = "disclosure_annual_versions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "annual_id") public var annualID: UUID
    @Field(key: "version") public var version: Int
    @Field(key: "content") public var content: String
    @Field(key: "published_at") public var publishedAt: Date
    @Field(key: "log_index") public var logIndex: Int64
    @Field(key: "published_by") public var publishedBy: String
    public init() {}
}

public final class RubricRecord: Model, @unchecked Sendable {
    public static let schema = "disclosure_rubrics"
    @ID(key: .id) public var id: UUID?
    @Field(key: "version") public var version: Int
    @Field(key: "definition") public var definition: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String
    public init() {}
}

/// A run of the disclosure survey over an index's constituents for one fiscal year.
public final class Survey: Model, @unchecked Sendable {
    public static let schema = "disclosure_surveys"
    @ID(key: .id) public var id: UUID?
    @Field(key: "number") public var number: String
    @Field(key: "index_id") public var indexID: UUID
    @Field(key: "snapshot_id") public var snapshotID: UUID
    @Field(key: "fiscal_year") public var fiscalYear: Int
    @Field(key: "rubric_version") public var rubricVersion: Int
    @Field(key: "run_at") public var runAt: Date
    @Field(key: "run_by") public var runBy: String
    @Field(key: "companies") public var companies: Int
    @Field(key: "disclosed") public var disclosed: Int
    @Field(key: "mean_percent") public var meanPercent: Double
    @OptionalField(key: "previous_survey_id") public var previousSurveyID: UUID?
    @Field(key: "log_index") public var logIndex: Int64
    public init() {}
}

public final class SurveyResult: Model, @unchecked Sendable {
    public static let schema = "disclosure_survey_results"
    @ID(key: .id) public var id: UUID?
    @Field(key: "survey_id") public var surveyID: UUID
    @Field(key: "company_id") public var companyID: UUID
    @Field(key: "securities_code") public var securitiesCode: String
    @Field(key: "name") public var name: String
    @Field(key: "disclosed") public var disclosed: Bool
    /// Levels of the six items, comma-separated (`2,1,0,2,1,1`).
    @Field(key: "levels") public var levels: String
    @Field(key: "total") public var total: Int
    @Field(key: "maximum") public var maximum: Int
    @Field(key: "stars") public var stars: Int
    @Field(key: "rank") public var rank: Int
    @OptionalField(key: "previous_total") public var previousTotal: Int?
    public init() {}

    var levelList: [Int] { levels.split(separator: ",").map { Int($0) ?? 0 } }
    var score: Rubric.Score { Rubric.Score(disclosed: disclosed, levels: levelList, total: total, maximum: maximum, stars: stars) }
}
