import Foundation
import ShinraiKit

/// Shares go out as numbers 0…1 with at most four decimals.
func share(_ bp: Int?) -> Double? { bp.map { Double($0) / 10000 } }

/// One cell of the indicator as published (API, CSV, public records).
public struct IndicatorCellDTO: Codable, Sendable, Equatable {
    public var fiscalYear: Int
    public var dimension: Dimension
    public var key: String
    public var status: IndicatorCell.Status
    public var suppression: IndicatorCell.Suppression?
    public var declarations: Int
    public var declarers: Int
    public var valuedBySpend: Int
    public var valuedByUnits: Int
    public var notValued: Int
    public var totalSpendYen: Int64?
    public var domesticSpendYen: Int64?
    public var rate: Double?
    public var weightedRate: Double?
    public var target: Double?
    public var gap: Double?
    public var parameterVersion: Int
    public var minimumDeclarers: Int

    public init(_ cell: IndicatorCell) {
        fiscalYear = cell.fiscalYear; dimension = cell.dimension; key = cell.key; status = cell.status; suppression = cell.suppression
        declarations = cell.declarations; declarers = cell.declarers; valuedBySpend = cell.valuedBySpend; valuedByUnits = cell.valuedByUnits
        notValued = cell.notValued; totalSpendYen = cell.totalSpendYen; domesticSpendYen = cell.domesticSpendYen
        rate = share(cell.rateBP); weightedRate = share(cell.weightedRateBP); target = share(cell.targetBP); gap = share(cell.gapBP)
        parameterVersion = cell.parameterVersion; minimumDeclarers = cell.minimumDeclarers
    }
}

public struct GovernmentAdoptionDTO: Codable, Sendable, Equatable {
    public var fiscalYear: Int
    public var status: IndicatorCell.Status
    public var declarers: Int
    public var offeringsUsed: Int?
    public var domesticOfferingsUsed: Int?
    public var offeringShare: Double?
    public var spendRate: Double?

    public init(_ a: GovernmentAdoption) {
        fiscalYear = a.fiscalYear; status = a.status; declarers = a.declarers; offeringsUsed = a.offeringsUsed
        domesticOfferingsUsed = a.domesticOfferingsUsed; offeringShare = share(a.offeringShareBP); spendRate = share(a.spendRateBP)
    }
}

/// A row of the trend: the rate of one scope in one year against its target.
public struct TrendRowDTO: Codable, Sendable, Equatable {
    public var fiscalYear: Int
    /// `overall` or a kind.
    public var scope: String
    public var status: IndicatorCell.Status
    public var rate: Double?
    public var weightedRate: Double?
    public var target: Double?
    public var gap: Double?
}

/// The content of a published yearly figure (record `SSR-<year>`).
public struct PublishedFigure: Codable, Sendable, Equatable {
    public var recordNumber: String
    public var fiscalYear: Int
    public var revision: Int
    /// True when published before the fiscal year ended.
    public var provisional: Bool
    public var parameterVersion: Int
    public var parameters: ScoringParameters
    public var cells: [IndicatorCellDTO]
    public var governmentAdoption: GovernmentAdoptionDTO?
    public var overseasSales: OverseasSalesYear?
}
