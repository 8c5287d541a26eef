import FluentKit
import Foundation
import ShinraiKit

/// Sovereignty profiles and levels for other modules (CloudAssurance listings, the trusted-AI
/// model registry): `SovereigntyDirectory.vendor(id, on: services.db, fiscalYear: …)`.
/// The same data is served at `GET /api/v1/sovereignty/vendors/{id}` and
/// `GET /api/v1/sovereignty/offerings/{id}`.
public enum SovereigntyDirectory {
    /// A criterion of an assessment, for display.
    public struct CriterionPart: Codable, Sendable, Equatable {
        public var criterion: Criterion
        public var euObjective: String
        /// 0…1.
        public var value: Double
        public var valueText: String
        public var weight: Int
        /// weight × value ÷ Σ weights.
        public var contribution: Double
    }

    /// A score and level under the parameters in force for a fiscal year.
    public struct Level: Codable, Sendable, Equatable {
        public var fiscalYear: Int
        public var parameterVersion: Int
        /// 0…1, four decimals.
        public var score: Double
        /// 0…4.
        public var level: Int
        /// `SEAL-3`.
        public var levelCode: String
        public var domestic: Bool
        public var criteria: [CriterionPart]

        init(_ assessment: Assessment, fiscalYear: Int, version: Int) {
            self.fiscalYear = fiscalYear; parameterVersion = version; score = assessment.score; level = assessment.level
            levelCode = SovereigntyLevel.code(assessment.level); domestic = assessment.domestic
            criteria = assessment.criteria.map {
                CriterionPart(criterion: $0.criterion, euObjective: $0.criterion.euObjective, value: Double($0.sixths) / 6,
                              valueText: $0.fractionText, weight: $0.weight, contribution: Double($0.contributionBP) / 10000)
            }
        }
    }

    /// A vendor's sovereignty profile and its own level (from vendor facts alone).
    public struct VendorSovereignty: Codable, Sendable, Equatable {
        public var organisationId: UUID
        public var name: String
        public var nameEn: String?
        public var corporateNumber: String?
        public var facts: VendorFacts
        public var foreignLawNote: String
        public var evidence: [EvidenceLink]
        public var status: ProfileStatus
        public var verifiedAt: Date?
        public var revision: Int
        public var updatedAt: Date
        /// Headquartered, ultimately owned and controlled in Japan.
        public var domesticVendor: Bool
        public var assessment: Level
        public var recordNumber: String
    }

    /// An offering (product, service or infrastructure site) with its resolved facts and level.
    public struct OfferingSovereignty: Codable, Sendable, Equatable {
        public var id: UUID
        public var number: String
        public var name: String
        public var nameEn: String?
        public var kind: OfferingKind
        public var category: String
        public var vendorId: UUID
        public var vendorName: String
        public var withdrawn: Bool
        public var unit: UnitOfMeasure
        public var description: String
        public var facts: ResolvedFacts
        public var site: Site?
        public var revision: Int
        public var updatedAt: Date
        public var assessment: Level

        public struct Site: Codable, Sendable, Equatable {
            public var type: SiteType
            public var country: Country
            public var prefecture: Int?
            public var gpuCount: Int?
            public var itPowerKw: Int?
        }
    }

    /// The profile of a vendor, or nil when it has none. `fiscalYear` picks the parameters
    /// (default: the current fiscal year).
    public static func vendor(_ organisationID: UUID, on db: any Database, fiscalYear: Int) async throws -> VendorSovereignty? {
        guard let profile = try await VendorProfile.query(on: db).filter(\.$organisation.$id == organisationID).with(\.$organisation).first() else {
            return nil
        }
        let versions = try await ParameterStore.versions(on: db)
        guard let version = ParameterStore.inForce(fiscalYear, among: versions) else { return nil }
        return vendor(profile, version: version, fiscalYear: fiscalYear)
    }

    /// The same, looked up by 法人番号.
    public static func vendor(corporateNumber: String, on db: any Database, fiscalYear: Int) async throws -> VendorSovereignty? {
        guard let org = try await Organisation.query(on: db).filter(\.$corporateNumber == corporateNumber).first() else { return nil }
        return try await vendor(org.id!, on: db, fiscalYear: fiscalYear)
    }

    static func vendor(_ profile: VendorProfile, version: ParameterVersion, fiscalYear: Int) -> VendorSovereignty {
        let org = profile.organisation
        let facts = profile.facts
        return VendorSovereignty(organisationId: org.id!, name: org.name, nameEn: org.nameEn, corporateNumber: org.corporateNumber, facts: facts,
                                 foreignLawNote: profile.foreignLawNote, evidence: profile.evidenceLinks, status: profile.status,
                                 verifiedAt: profile.verifiedAt, revision: profile.revision, updatedAt: profile.updatedAt,
                                 domesticVendor: Scoring.isDomesticVendor(facts),
                                 assessment: Level(Scoring.assess(vendor: facts, with: version.parameters), fiscalYear: fiscalYear, version: version.version),
                                 recordNumber: SovereigntyService.profileRecordNumber(org))
    }

    /// An offering or infrastructure site by id, or nil.
    public static func offering(_ id: UUID, on db: any Database, fiscalYear: Int) async throws -> OfferingSovereignty? {
        guard let offering = try await Offering.query(on: db).filter(\.$id == id).with(\.$vendor).with(\.$category).first() else { return nil }
        let versions = try await ParameterStore.versions(on: db)
        guard let version = ParameterStore.inForce(fiscalYear, among: versions) else { return nil }
        let profile = try await VendorProfile.query(on: db).filter(\.$organisation.$id == offering.$vendor.id).first()
        return self.offering(offering, vendorFacts: profile?.facts, version: version, fiscalYear: fiscalYear)
    }

    static func offering(_ offering: Offering, vendorFacts: VendorFacts?, version: ParameterVersion, fiscalYear: Int) -> OfferingSovereignty {
        let facts = ResolvedFacts(vendor: vendorFacts, offering: offering.facts)
        var site: OfferingSovereignty.Site?
        if let type = offering.siteType, let country = offering.siteCountry.flatMap(Country.init) {
            site = .init(type: type, country: country, prefecture: offering.prefecture, gpuCount: offering.gpuCount, itPowerKw: offering.itPowerKW)
        }
        return OfferingSovereignty(id: offering.id!, number: offering.number, name: offering.name, nameEn: offering.nameEn, kind: offering.kind,
                                   category: offering.category.code, vendorId: offering.$vendor.id, vendorName: offering.vendor.name,
                                   withdrawn: offering.withdrawn, unit: offering.unit, description: offering.description, facts: facts, site: site,
                                   revision: offering.revision, updatedAt: offering.updatedAt,
                                   assessment: Level(Scoring.assess(facts, with: version.parameters), fiscalYear: fiscalYear, version: version.version))
    }
}
