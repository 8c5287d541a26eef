import Foundation

/// The unit in which an offering's usage is counted when spend is not known.
public enum UnitOfMeasure: String, Codable, CaseIterable, Sendable {
    case users
    case devices
    case servers
    case licences
    case sites
    case terabytes
}

/// A breakdown of the indicator. Every breakdown except `overall` partitions the declarations
/// of a year: each declaration falls in exactly one of its cells.
public enum Dimension: String, Codable, CaseIterable, Sendable {
    case overall
    case kind
    case category
    case sector
    /// Use in government systems (§2.8-2) or elsewhere.
    case system

    public static let systemGovernment = "government-systems"
    public static let systemOther = "other-systems"
    public static let overallKey = "all"
}

/// Declarations of one offering in one year by one sector, inside or outside government
/// systems, summed by the database.
public struct UsageGroup: Sendable, Equatable {
    public var fiscalYear: Int
    public var offeringID: UUID
    public var sector: Sector
    public var governmentSystem: Bool
    public var declarations: Int
    /// Declarations that give spend.
    public var spendDeclarations: Int
    /// Σ spend of the declarations that give it.
    public var spendYen: Int64
    /// Σ spend and Σ units of declarations giving both: the observed unit price.
    public var pricedSpendYen: Int64
    public var pricedUnits: Int64
    /// Declarations with units only, and their Σ units.
    public var unitsOnlyDeclarations: Int
    public var unitsOnlyUnits: Int64

    public init(fiscalYear: Int, offeringID: UUID, sector: Sector, governmentSystem: Bool, declarations: Int, spendDeclarations: Int,
                spendYen: Int64, pricedSpendYen: Int64, pricedUnits: Int64, unitsOnlyDeclarations: Int, unitsOnlyUnits: Int64) {
        self.fiscalYear = fiscalYear; self.offeringID = offeringID; self.sector = sector; self.governmentSystem = governmentSystem
        self.declarations = declarations; self.spendDeclarations = spendDeclarations; self.spendYen = spendYen
        self.pricedSpendYen = pricedSpendYen; self.pricedUnits = pricedUnits
        self.unitsOnlyDeclarations = unitsOnlyDeclarations; self.unitsOnlyUnits = unitsOnlyUnits
    }
}

/// What the indicator needs to know about an offering.
public struct OfferingClass: Sendable, Equatable {
    public var kind: OfferingKind
    public var categoryCode: String
    public var unit: UnitOfMeasure
    public init(kind: OfferingKind, categoryCode: String, unit: UnitOfMeasure) {
        self.kind = kind; self.categoryCode = categoryCode; self.unit = unit
    }
}

/// An offering's score under the parameters in force for a year.
public struct YearScore: Sendable, Equatable {
    public var scoreBP: Int
    public var domestic: Bool
    public init(scoreBP: Int, domestic: Bool) { self.scoreBP = scoreBP; self.domestic = domestic }
}

/// Distinct declaring organisations in a cell, in total and on each side.
public struct DeclarerCount: Sendable, Equatable {
    public var fiscalYear: Int
    public var dimension: Dimension
    public var key: String
    public var total: Int
    /// Organisations with at least one declaration of a domestic offering in the cell.
    public var domestic: Int
    /// … of a non-domestic offering.
    public var foreign: Int
    public init(fiscalYear: Int, dimension: Dimension, key: String, total: Int, domestic: Int, foreign: Int) {
        self.fiscalYear = fiscalYear; self.dimension = dimension; self.key = key
        self.total = total; self.domestic = domestic; self.foreign = foreign
    }
}

/// The parameter version in force for a year, as far as the indicator is concerned.
public struct YearParameters: Sendable, Equatable {
    public var version: Int
    public var minimumDeclarers: Int
    public init(version: Int, minimumDeclarers: Int) { self.version = version; self.minimumDeclarers = minimumDeclarers }
}

public struct IndicatorInput: Sendable {
    public var groups: [UsageGroup]
    public var offerings: [UUID: OfferingClass]
    /// Year → offering → score under that year's parameters.
    public var scores: [Int: [UUID: YearScore]]
    public var parameters: [Int: YearParameters]
    public var declarers: [DeclarerCount]
    /// Category codes in display order (every category gets a cell, used or not).
    public var categoryCodes: [String]
    /// Year → scope (`overall` or a kind) → target share in basis points.
    public var targets: [Int: [String: Int]]

    public init(groups: [UsageGroup], offerings: [UUID: OfferingClass], scores: [Int: [UUID: YearScore]], parameters: [Int: YearParameters],
                declarers: [DeclarerCount], categoryCodes: [String], targets: [Int: [String: Int]]) {
        self.groups = groups; self.offerings = offerings; self.scores = scores; self.parameters = parameters
        self.declarers = declarers; self.categoryCodes = categoryCodes; self.targets = targets
    }
}

/// One published figure: the self-sufficiency rate of one cell.
public struct IndicatorCell: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case published
        /// Rests on too few declarers (or would reveal a suppressed neighbour).
        case suppressed
        /// Nothing to compute from: no declarations, or none that could be valued.
        case noData = "no-data"
    }
    public enum Suppression: String, Codable, Sendable {
        case tooFewDeclarers = "too-few-declarers"
        case complementary
    }

    public var fiscalYear: Int
    public var dimension: Dimension
    public var key: String
    public var status: Status
    public var suppression: Suppression?
    /// How many declarations and declaring organisations the cell rests on (always shown).
    public var declarations: Int
    public var declarers: Int
    public var valuedBySpend: Int
    public var valuedByUnits: Int
    public var notValued: Int
    public var totalSpendYen: Int64?
    public var domesticSpendYen: Int64?
    /// Domestic spend ÷ total spend.
    public var rateBP: Int?
    /// Σ spend × score ÷ Σ spend.
    public var weightedRateBP: Int?
    /// Only for `overall` and `kind` cells.
    public var targetBP: Int?
    public var gapBP: Int?
    public var parameterVersion: Int
    public var minimumDeclarers: Int
}

public struct GovernmentAdoption: Codable, Sendable, Equatable {
    public var fiscalYear: Int
    public var status: IndicatorCell.Status
    /// Distinct offerings declared as used in government systems, and the domestic ones.
    public var offeringsUsed: Int?
    public var domesticOfferingsUsed: Int?
    public var offeringShareBP: Int?
    /// The spend-based rate of the government-systems cell.
    public var spendRateBP: Int?
    public var declarers: Int
}

public struct IndicatorResult: Sendable, Equatable {
    public var years: [Int]
    public var cells: [IndicatorCell]
    public var governmentAdoption: [GovernmentAdoption]

    public func cell(_ year: Int, _ dimension: Dimension, _ key: String = Dimension.overallKey) -> IndicatorCell? {
        cells.first { $0.fiscalYear == year && $0.dimension == dimension && $0.key == key }
    }

    public func cells(_ year: Int, _ dimension: Dimension) -> [IndicatorCell] {
        cells.filter { $0.fiscalYear == year && $0.dimension == dimension }
    }

    public static let empty = IndicatorResult(years: [], cells: [], governmentAdoption: [])
}

/// The cyber self-sufficiency rate (サイバー自給率), computed from summed declarations.
///
/// - Each declaration is valued in yen: its spend when given; otherwise its units × the unit
///   price observed that year for the same offering (Σ spend ÷ Σ units of declarations giving
///   both), or else for offerings of the same category counted in the same unit; otherwise it is
///   not valued (and counted as such).
/// - rate = Σ value of domestic offerings ÷ Σ value; weighted rate = Σ value × score ÷ Σ value,
///   with the offering's score and domestic status under the parameters in force for the year.
/// - A cell is suppressed when fewer than the minimum number of organisations declared in it,
///   or when between one and that minimum declared on the domestic or on the non-domestic side
///   (their spend could be inferred from the figures). When a breakdown has exactly one such
///   cell, the next smallest cell is suppressed too, so the first cannot be found by subtraction
///   from the year's total.
public enum IndicatorCalculator {
    struct Accumulator {
        var declarations = 0
        var valuedBySpend = 0
        var valuedByUnits = 0
        var notValued = 0
        var total: Double = 0
        var domestic: Double = 0
        var weighted: Double = 0
    }

    struct CellKey: Hashable {
        var year: Int
        var dimension: Dimension
        var key: String
    }

    struct PriceKey: Hashable {
        var year: Int
        var category: String
        var unit: UnitOfMeasure
    }

    public static func compute(_ input: IndicatorInput) -> IndicatorResult {
        let years = Set(input.groups.map(\.fiscalYear)).sorted()

        // Observed unit prices: per offering and year, then per category and unit and year.
        var offeringPrice: [CellKey: (spend: Double, units: Double)] = [:]
        var categoryPrice: [PriceKey: (spend: Double, units: Double)] = [:]
        for group in input.groups where group.pricedUnits > 0 {
            let key = CellKey(year: group.fiscalYear, dimension: .overall, key: group.offeringID.uuidString)
            offeringPrice[key, default: (0, 0)].spend += Double(group.pricedSpendYen)
            offeringPrice[key, default: (0, 0)].units += Double(group.pricedUnits)
            if let offering = input.offerings[group.offeringID] {
                let pk = PriceKey(year: group.fiscalYear, category: offering.categoryCode, unit: offering.unit)
                categoryPrice[pk, default: (0, 0)].spend += Double(group.pricedSpendYen)
                categoryPrice[pk, default: (0, 0)].units += Double(group.pricedUnits)
            }
        }
        func unitPrice(_ group: UsageGroup) -> Double? {
            if let p = offeringPrice[CellKey(year: group.fiscalYear, dimension: .overall, key: group.offeringID.uuidString)], p.units > 0 {
                return p.spend / p.units
            }
            guard let offering = input.offerings[group.offeringID],
                  let p = categoryPrice[PriceKey(year: group.fiscalYear, category: offering.categoryCode, unit: offering.unit)], p.units > 0 else { return nil }
            return p.spend / p.units
        }

        var cells: [CellKey: Accumulator] = [:]
        var governmentOfferings: [Int: (all: Set<UUID>, domestic: Set<UUID>)] = [:]
        for group in input.groups {
            guard let offering = input.offerings[group.offeringID] else { continue }
            let score = input.scores[group.fiscalYear]?[group.offeringID] ?? YearScore(scoreBP: 0, domestic: false)
            var value = Double(group.spendYen)
            var byUnits = 0, notValued = 0
            if group.unitsOnlyDeclarations > 0 {
                if let price = unitPrice(group) {
                    value += (Double(group.unitsOnlyUnits) * price).rounded()
                    byUnits = group.unitsOnlyDeclarations
                } else {
                    notValued = group.unitsOnlyDeclarations
                }
            }
            let keys: [(Dimension, String)] = [
                (.overall, Dimension.overallKey), (.kind, offering.kind.rawValue), (.category, offering.categoryCode),
                (.sector, group.sector.rawValue), (.system, group.governmentSystem ? Dimension.systemGovernment : Dimension.systemOther),
            ]
            for (dimension, key) in keys {
                var acc = cells[CellKey(year: group.fiscalYear, dimension: dimension, key: key)] ?? Accumulator()
                acc.declarations += group.declarations
                acc.valuedBySpend += group.spendDeclarations
                acc.valuedByUnits += byUnits
                acc.notValued += notValued
                acc.total += value
                if score.domestic { acc.domestic += value }
                acc.weighted += value * Double(score.scoreBP)
                cells[CellKey(year: group.fiscalYear, dimension: dimension, key: key)] = acc
            }
            if group.governmentSystem {
                governmentOfferings[group.fiscalYear, default: ([], [])].all.insert(group.offeringID)
                if score.domestic { governmentOfferings[group.fiscalYear, default: ([], [])].domestic.insert(group.offeringID) }
            }
        }

        var declarers: [CellKey: DeclarerCount] = [:]
        for count in input.declarers { declarers[CellKey(year: count.fiscalYear, dimension: count.dimension, key: count.key)] = count }

        var result: [IndicatorCell] = []
        for year in years {
            let parameters = input.parameters[year] ?? YearParameters(version: 0, minimumDeclarers: 1)
            let k = parameters.minimumDeclarers
            var yearCells: [IndicatorCell] = []
            for dimension in Dimension.allCases {
                for key in keys(of: dimension, categories: input.categoryCodes) {
                    let acc = cells[CellKey(year: year, dimension: dimension, key: key)] ?? Accumulator()
                    let count = declarers[CellKey(year: year, dimension: dimension, key: key)]
                    var cell = IndicatorCell(fiscalYear: year, dimension: dimension, key: key, status: .published, suppression: nil,
                                             declarations: acc.declarations, declarers: count?.total ?? 0,
                                             valuedBySpend: acc.valuedBySpend, valuedByUnits: acc.valuedByUnits, notValued: acc.notValued,
                                             totalSpendYen: nil, domesticSpendYen: nil, rateBP: nil, weightedRateBP: nil,
                                             targetBP: nil, gapBP: nil, parameterVersion: parameters.version, minimumDeclarers: k)
                    if acc.declarations == 0 || acc.total <= 0 {
                        cell.status = .noData
                    } else if let count, count.total < k || (1..<k).contains(count.domestic) || (1..<k).contains(count.foreign) {
                        cell.status = .suppressed
                        cell.suppression = .tooFewDeclarers
                    } else if count == nil {
                        cell.status = .suppressed
                        cell.suppression = .tooFewDeclarers
                    } else {
                        cell.totalSpendYen = Int64(acc.total)
                        cell.domesticSpendYen = Int64(acc.domestic)
                        cell.rateBP = BasisPoints.of(acc.domestic, over: acc.total)
                        cell.weightedRateBP = Int((acc.weighted / acc.total).rounded())
                    }
                    yearCells.append(cell)
                }
            }
            suppressComplements(&yearCells, declarers: { declarers[CellKey(year: year, dimension: $0, key: $1)] }, minimum: k)
            for i in yearCells.indices where yearCells[i].dimension == .overall || yearCells[i].dimension == .kind {
                let scope = yearCells[i].dimension == .overall ? "overall" : yearCells[i].key
                if let target = input.targets[year]?[scope] {
                    yearCells[i].targetBP = target
                    yearCells[i].gapBP = yearCells[i].rateBP.map { $0 - target }
                }
            }
            result += yearCells
        }

        let adoption = years.map { year -> GovernmentAdoption in
            let cell = result.first { $0.fiscalYear == year && $0.dimension == .system && $0.key == Dimension.systemGovernment }
            let used = governmentOfferings[year]
            var adoption = GovernmentAdoption(fiscalYear: year, status: cell?.status ?? .noData, offeringsUsed: nil, domesticOfferingsUsed: nil,
                                              offeringShareBP: nil, spendRateBP: cell?.rateBP, declarers: cell?.declarers ?? 0)
            if adoption.status == .published, let used {
                adoption.offeringsUsed = used.all.count
                adoption.domesticOfferingsUsed = used.domestic.count
                adoption.offeringShareBP = BasisPoints.of(Double(used.domestic.count), over: Double(used.all.count))
            }
            return adoption
        }
        return IndicatorResult(years: years, cells: result, governmentAdoption: adoption)
    }

    static func keys(of dimension: Dimension, categories: [String]) -> [String] {
        switch dimension {
        case .overall: return [Dimension.overallKey]
        case .kind: return OfferingKind.allCases.map(\.rawValue)
        case .category: return categories
        case .sector: return Sector.allCases.map(\.rawValue)
        case .system: return [Dimension.systemGovernment, Dimension.systemOther]
        }
    }

    /// Secondary suppression within each breakdown of one year. The suppressed cells of a
    /// breakdown together equal the year's total minus the published cells, so that sum must
    /// itself rest on enough organisations: on each side (all declarers, domestic, non-domestic)
    /// where a suppressed cell has between one and the minimum, some suppressed cell must have
    /// at least the minimum (distinct organisations of a union are at least those of its largest
    /// member). Published cells are added, the one covering most such sides first, then the
    /// smallest; when none helps, the whole breakdown is suppressed.
    static func suppressComplements(_ cells: inout [IndicatorCell], declarers: (Dimension, String) -> DeclarerCount?, minimum k: Int) {
        guard cells.first(where: { $0.dimension == .overall })?.status == .published else { return }
        func sides(_ cell: IndicatorCell) -> [Int] {
            let count = declarers(cell.dimension, cell.key)
            return [count?.total ?? cell.declarers, count?.domestic ?? 0, count?.foreign ?? 0]
        }
        func suppress(_ i: Int) {
            cells[i].status = .suppressed
            cells[i].suppression = .complementary
            cells[i].totalSpendYen = nil
            cells[i].domesticSpendYen = nil
            cells[i].rateBP = nil
            cells[i].weightedRateBP = nil
        }
        for dimension in Dimension.allCases where dimension != .overall {
            let indexes = cells.indices.filter { cells[$0].dimension == dimension }
            while true {
                let suppressed = indexes.filter { cells[$0].status == .suppressed }.map { sides(cells[$0]) }
                // The sides on which the suppressed cells' sum could single out fewer than k organisations.
                let needed = (0..<3).filter { side in
                    suppressed.contains { (1..<k).contains($0[side]) } && !suppressed.contains { $0[side] >= k }
                }
                guard !needed.isEmpty else { break }
                let candidates = indexes.filter { cells[$0].status == .published }
                func coverage(_ i: Int) -> Int { needed.filter { sides(cells[i])[$0] >= k }.count }
                guard let best = candidates.min(by: { a, b in
                    (-coverage(a), cells[a].declarers, cells[a].totalSpendYen ?? 0, cells[a].key)
                        < (-coverage(b), cells[b].declarers, cells[b].totalSpendYen ?? 0, cells[b].key)
                }) else { break }
                if coverage(best) == 0 {
                    for i in candidates { suppress(i) }
                    break
                }
                suppress(best)
            }
        }
    }
}
