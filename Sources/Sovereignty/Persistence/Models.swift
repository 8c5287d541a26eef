import FluentKit
import Foundation
import ShinraiKit

/// A security category of offerings (editable by administrators).
final class SecurityCategory: Model, @unchecked Sendable {
    static let schema = "sovereignty_categories"
    @ID(key: .id) var id: UUID?
    /// Stable slug used in URLs, CSV files and the API (`edr`, `siem`, …).
    @Field(key: "code") var code: String
    @Field(key: "name_ja") var nameJa: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "active") var active: Bool

    init() {}
    init(id: UUID? = nil, code: String, nameJa: String, nameEn: String, sortOrder: Int, active: Bool = true) {
        self.id = id; self.code = code; self.nameJa = nameJa; self.nameEn = nameEn; self.sortOrder = sortOrder; self.active = active
    }

    func name(_ language: UILanguage) -> String { language == .ja ? nameJa : nameEn }
}

/// One version of the scoring parameters. Versions are never edited: a change is a new
/// version, in force from its fiscal year until the next version's year.
final class ParameterVersion: Model, @unchecked Sendable {
    static let schema = "sovereignty_parameter_versions"
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "effective_from") var effectiveFrom: Int
    @Field(key: "w_control") var weightControl: Int
    @Field(key: "w_jurisdiction") var weightJurisdiction: Int
    @Field(key: "w_data") var weightData: Int
    @Field(key: "w_operations") var weightOperations: Int
    @Field(key: "w_development") var weightDevelopment: Int
    @Field(key: "w_support") var weightSupport: Int
    @Field(key: "threshold_1") var threshold1: Int
    @Field(key: "threshold_2") var threshold2: Int
    @Field(key: "threshold_3") var threshold3: Int
    @Field(key: "threshold_4") var threshold4: Int
    @Field(key: "domestic_level") var domesticLevel: Int
    @Field(key: "minimum_declarers") var minimumDeclarers: Int
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "log_index") var logIndex: Int64?

    init() {}

    var parameters: ScoringParameters {
        get {
            ScoringParameters(weights: CriterionWeights(control: weightControl, jurisdiction: weightJurisdiction, data: weightData,
                                                        operations: weightOperations, development: weightDevelopment, support: weightSupport),
                              thresholds: [threshold1, threshold2, threshold3, threshold4], domesticLevel: domesticLevel, minimumDeclarers: minimumDeclarers)
        }
        set {
            weightControl = newValue.weights.control; weightJurisdiction = newValue.weights.jurisdiction; weightData = newValue.weights.data
            weightOperations = newValue.weights.operations; weightDevelopment = newValue.weights.development; weightSupport = newValue.weights.support
            threshold1 = newValue.thresholds[0]; threshold2 = newValue.thresholds[1]
            threshold3 = newValue.thresholds[2]; threshold4 = newValue.thresholds[3]
            domesticLevel = newValue.domesticLevel; minimumDeclarers = newValue.minimumDeclarers
        }
    }
}

/// A vendor's sovereignty profile (one per organisation).
final class VendorProfile: Model, @unchecked Sendable {
    static let schema = "sovereignty_vendor_profiles"
    @ID(key: .id) var id: UUID?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "headquarters") var headquarters: String
    @OptionalField(key: "ultimate_parent") var ultimateParent: String?
    @Field(key: "controlling_shareholders") var controllingShareholders: String
    @OptionalField(key: "governing_law") var governingLaw: String?
    @Field(key: "foreign_laws") var foreignLaws: String
    @Field(key: "foreign_law_note") var foreignLawNote: String
    @Field(key: "development") var development: String
    @Field(key: "operation") var operation: String
    @Field(key: "support") var support: String
    @Field(key: "data_location") var dataLocation: String
    /// JSON array of `{"label": …, "url": …}`.
    @Field(key: "evidence") var evidence: String
    @Enum(key: "status") var status: ProfileStatus
    @OptionalField(key: "verified_at") var verifiedAt: Date?
    @OptionalField(key: "verified_by") var verifiedBy: String?
    @Field(key: "revision") var revision: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var facts: VendorFacts {
        VendorFacts(headquarters: Country(headquarters) ?? Country(uncheckedCode: headquarters),
                    ultimateParent: ultimateParent.flatMap(Country.init), controllingShareholders: CountryList.fromStorage(controllingShareholders),
                    governingLaw: governingLaw.flatMap(Country.init), foreignLaws: ForeignLaws.fromStorage(foreignLaws),
                    development: CountryList.fromStorage(development), operation: CountryList.fromStorage(operation),
                    support: CountryList.fromStorage(support), dataLocation: CountryList.fromStorage(dataLocation))
    }

    var evidenceLinks: [EvidenceLink] {
        (try? JSONDecoder().decode([EvidenceLink].self, from: Data(evidence.utf8))) ?? []
    }
}

/// A link to a document that supports a profile (annual report, registry extract, audit).
public struct EvidenceLink: Codable, Sendable, Equatable {
    public var label: String
    public var url: String
    public init(label: String, url: String) { self.label = label; self.url = url }
}

enum ForeignLaws {
    static func storage(_ laws: [ForeignLaw]) -> String { laws.map(\.rawValue).joined(separator: ",") }
    static func fromStorage(_ text: String) -> [ForeignLaw] { text.split(separator: ",").compactMap { ForeignLaw(rawValue: String($0)) } }
}

/// A product, service or infrastructure site of a vendor.
final class Offering: Model, @unchecked Sendable {
    static let schema = "sovereignty_offerings"
    @ID(key: .id) var id: UUID?
    /// Public number, `SVO-2026-0007`.
    @Field(key: "number") var number: String
    @Parent(key: "vendor_id") var vendor: Organisation
    @Field(key: "name") var name: String
    @OptionalField(key: "name_en") var nameEn: String?
    @Enum(key: "kind") var kind: OfferingKind
    @Parent(key: "category_id") var category: SecurityCategory
    @Field(key: "description") var description: String
    @Enum(key: "unit") var unit: UnitOfMeasure
    @OptionalField(key: "governing_law") var governingLaw: String?
    /// nil: as the vendor; "" : no foreign law reaches this offering.
    @OptionalField(key: "foreign_laws") var foreignLaws: String?
    @Field(key: "development") var development: String
    @Field(key: "operation") var operation: String
    @Field(key: "support") var support: String
    @Field(key: "data_location") var dataLocation: String
    @OptionalEnum(key: "site_type") var siteType: SiteType?
    @OptionalField(key: "site_country") var siteCountry: String?
    @OptionalField(key: "prefecture") var prefecture: Int?
    @OptionalField(key: "gpu_count") var gpuCount: Int?
    @OptionalField(key: "it_power_kw") var itPowerKW: Int?
    @Field(key: "withdrawn") var withdrawn: Bool
    @Field(key: "revision") var revision: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var facts: OfferingFacts {
        OfferingFacts(governingLaw: governingLaw.flatMap(Country.init), foreignLaws: foreignLaws.map(ForeignLaws.fromStorage),
                      development: CountryList.fromStorage(development), operation: CountryList.fromStorage(operation),
                      support: CountryList.fromStorage(support), dataLocation: CountryList.fromStorage(dataLocation),
                      siteCountry: siteCountry.flatMap(Country.init))
    }

    func name(_ language: UILanguage) -> String { language == .en ? (nameEn ?? name) : name }
}

/// An offering's assessment under one parameter version (kept current on every change of the
/// offering, its vendor's profile or the parameters, so the indicator can join on it).
final class OfferingScore: Model, @unchecked Sendable {
    static let schema = "sovereignty_offering_scores"
    @ID(key: .id) var id: UUID?
    @Field(key: "offering_id") var offeringID: UUID
    @Field(key: "version_id") var versionID: UUID
    /// The offering's kind and category, copied so the indicator's scan joins one table only.
    @Field(key: "kind") var kind: String
    @Field(key: "category_id") var categoryID: UUID
    @Field(key: "score_bp") var scoreBP: Int
    @Field(key: "level") var level: Int
    @Field(key: "domestic") var domestic: Bool

    init() {}
}

/// An organisation's use of an offering in a fiscal year.
final class Declaration: Model, @unchecked Sendable {
    static let schema = "sovereignty_declarations"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Parent(key: "offering_id") var offering: Offering
    @Field(key: "fiscal_year") var fiscalYear: Int
    @OptionalField(key: "spend_yen") var spendYen: Int64?
    @OptionalField(key: "units") var units: Int64?
    @Field(key: "government_system") var governmentSystem: Bool
    @Enum(key: "sector") var sector: Sector
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A target share for a fiscal year, overall or for one kind of offering.
final class Target: Model, @unchecked Sendable {
    static let schema = "sovereignty_targets"
    @ID(key: .id) var id: UUID?
    @Field(key: "fiscal_year") var fiscalYear: Int
    /// `overall` or an `OfferingKind`.
    @Field(key: "scope") var scope: String
    @Field(key: "rate_bp") var rateBP: Int
    @Field(key: "note") var note: String
    @Field(key: "revision") var revision: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A domestic vendor's sales outside Japan in a fiscal year (§2.8-3).
final class OverseasSale: Model, @unchecked Sendable {
    static let schema = "sovereignty_overseas_sales"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "amount_yen") var amountYen: Int64
    @Field(key: "markets") var markets: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A published yearly figure: the canonical JSON that was logged, so anyone can check it
/// against the transparency log entry's content hash.
final class Publication: Model, @unchecked Sendable {
    static let schema = "sovereignty_publications"
    @ID(key: .id) var id: UUID?
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "revision") var revision: Int
    @Field(key: "record_number") var recordNumber: String
    @Field(key: "content") var content: String
    @Field(key: "content_hash") var contentHash: String
    @Field(key: "log_index") var logIndex: Int64
    @Field(key: "parameter_version") var parameterVersion: Int
    @OptionalField(key: "rate_bp") var rateBP: Int?
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String

    init() {}
}
