import Foundation
import ShinraiKit

/// JSON shapes of the Sovereignty API (documented in `SovereigntySchemas`).
enum APIModels {
    struct Category: Codable, Sendable {
        var id: UUID
        var code: String
        var nameJa: String
        var nameEn: String
        var sortOrder: Int
        var active: Bool
        init(_ c: SecurityCategory) { id = c.id!; code = c.code; nameJa = c.nameJa; nameEn = c.nameEn; sortOrder = c.sortOrder; active = c.active }
        init(_ c: CategoryInfo) { id = c.id; code = c.code; nameJa = c.nameJa; nameEn = c.nameEn; sortOrder = c.sortOrder; active = c.active }
    }

    struct Indicator: Codable, Sendable {
        var currentFiscalYear: Int
        var years: [Int]
        var cells: [IndicatorCellDTO]
        var trend: [TrendRowDTO]
        var governmentAdoption: [GovernmentAdoptionDTO]
        var overseasSales: [OverseasSalesYear]
        var categories: [Category]
    }

    struct ParameterVersionDTO: Codable, Sendable {
        var version: Int
        var effectiveFrom: Int
        var weights: CriterionWeights
        var thresholds: [Double]
        var domesticLevel: Int
        var minimumDeclarers: Int
        var note: String
        var createdAt: Date
        var logIndex: Int64?
        init(_ v: ParameterVersion) {
            version = v.version; effectiveFrom = v.effectiveFrom; weights = v.parameters.weights
            thresholds = v.parameters.thresholds.map { Double($0) / 10000 }; domesticLevel = v.domesticLevel
            minimumDeclarers = v.minimumDeclarers; note = v.note; createdAt = v.createdAt; logIndex = v.logIndex
        }
    }

    struct YearVersion: Codable, Sendable {
        var fiscalYear: Int
        var version: Int
    }

    struct CriterionInfo: Codable, Sendable {
        var criterion: Criterion
        var euObjective: String
        var weight: Int
        var descriptionJa: String
        var descriptionEn: String
    }

    struct Methodology: Codable, Sendable {
        var currentFiscalYear: Int
        var current: ParameterVersionDTO
        var versions: [ParameterVersionDTO]
        var yearVersions: [YearVersion]
        var criteria: [CriterionInfo]
        var formula: String
    }

    struct OfferingItem: Codable, Sendable {
        var id: UUID
        var number: String
        var name: String
        var nameEn: String?
        var kind: OfferingKind
        var category: String
        var vendorId: UUID
        var vendorName: String
        var score: Double
        var level: Int
        var levelCode: String
        var domestic: Bool
        var withdrawn: Bool
        var siteType: SiteType?
        var siteCountry: String?
        var prefecture: Int?
        init(_ row: OfferingRow) {
            let o = row.offering
            id = o.id!; number = o.number; name = o.name; nameEn = o.nameEn; kind = o.kind; category = o.category.code
            vendorId = o.$vendor.id; vendorName = o.vendor.name
            score = Double(row.score?.scoreBP ?? 0) / 10000; level = row.score?.level ?? 0; levelCode = SovereigntyLevel.code(level)
            domestic = row.score?.domestic ?? false; withdrawn = o.withdrawn
            siteType = o.siteType; siteCountry = o.siteCountry; prefecture = o.prefecture
        }
    }

    struct VendorItem: Codable, Sendable {
        var organisationId: UUID
        var name: String
        var nameEn: String?
        var corporateNumber: String?
        var headquarters: String
        var status: ProfileStatus
        var domesticVendor: Bool
        var score: Double
        var level: Int
        var levelCode: String
        var domestic: Bool
        var offerings: Int
        init(_ row: VendorRow) {
            let org = row.profile.organisation
            organisationId = org.id!; name = org.name; nameEn = org.nameEn; corporateNumber = org.corporateNumber
            headquarters = row.profile.headquarters; status = row.profile.status; domesticVendor = Scoring.isDomesticVendor(row.profile.facts)
            score = row.assessment.score; level = row.assessment.level; levelCode = SovereigntyLevel.code(level)
            domestic = row.assessment.domestic; offerings = row.offerings
        }
    }

    struct DeclarationDTO: Codable, Sendable {
        var id: UUID
        var organisationId: UUID
        var offeringId: UUID
        var offeringNumber: String
        var offeringName: String
        var unit: UnitOfMeasure
        var fiscalYear: Int
        var spendYen: Int64?
        var units: Int64?
        var governmentSystem: Bool
        var sector: Sector
        var note: String
        var createdAt: Date
        var updatedAt: Date
        init(_ d: Declaration, offering: Offering) {
            id = d.id!; organisationId = d.organisationID; offeringId = offering.id!; offeringNumber = offering.number
            offeringName = offering.name; unit = offering.unit; fiscalYear = d.fiscalYear; spendYen = d.spendYen; units = d.units
            governmentSystem = d.governmentSystem; sector = d.sector; note = d.note; createdAt = d.createdAt; updatedAt = d.updatedAt
        }
    }

    struct ImportRequest: Codable, Sendable {
        var csv: String
        var mode: ImportMode?
        var organisationId: UUID?
    }

    struct PublicationDTO: Codable, Sendable {
        var fiscalYear: Int
        var revision: Int
        var recordNumber: String
        var rate: Double?
        var parameterVersion: Int
        var publishedAt: Date
        var logIndex: Int64
        var contentHash: String
        /// The canonical JSON whose SHA-256 is the log entry's content hash.
        var content: String
        init(_ p: Publication) {
            fiscalYear = p.fiscalYear; revision = p.revision; recordNumber = p.recordNumber; rate = share(p.rateBP)
            parameterVersion = p.parameterVersion; publishedAt = p.publishedAt; logIndex = p.logIndex
            contentHash = p.contentHash; content = p.content
        }
    }

    struct PublishRequest: Codable, Sendable {
        var fiscalYear: Int
    }

    struct TargetDTO: Codable, Sendable {
        var fiscalYear: Int
        var scope: String
        var rate: Double
        var note: String
        var revision: Int
        var updatedAt: Date
        init(_ t: Target) { fiscalYear = t.fiscalYear; scope = t.scope; rate = Double(t.rateBP) / 10000; note = t.note; revision = t.revision; updatedAt = t.updatedAt }
    }

    struct OverseasSalesDTO: Codable, Sendable {
        var id: UUID
        var organisationId: UUID
        var fiscalYear: Int
        var amountYen: Int64
        var markets: String
        var updatedAt: Date
        init(_ s: OverseasSale) {
            id = s.id!; organisationId = s.organisationID; fiscalYear = s.fiscalYear; amountYen = s.amountYen; markets = s.markets; updatedAt = s.updatedAt
        }
    }
}
