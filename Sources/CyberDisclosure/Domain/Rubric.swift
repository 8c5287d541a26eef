import Foundation
import ShinraiKit

/// How the disclosure survey scores an annual disclosure: each item gets a level (0 absent,
/// 1 present, 2 specific and quantified) times its weight; the total as a share of the maximum
/// gives the star rating. Administrators edit it; every edit is a new version, and each survey
/// records the version it used.
public struct Rubric: Codable, Sendable, Equatable {
    public struct ItemRule: Codable, Sendable, Equatable {
        public var item: AnnualItem
        /// 0 leaves the item out of the score.
        public var weight: Int
        /// Characters of text needed for level 1 (present).
        public var presentMinLength: Int
        /// Characters of text needed for level 2 (specific), together with every required figure.
        public var specificMinLength: Int
        /// Figure keys that must be given for level 2 (quantified).
        public var requiredFigures: [String]

        public init(item: AnnualItem, weight: Int = 1, presentMinLength: Int = 20, specificMinLength: Int = 100, requiredFigures: [String]) {
            self.item = item; self.weight = weight; self.presentMinLength = presentMinLength
            self.specificMinLength = specificMinLength; self.requiredFigures = requiredFigures
        }
    }

    public var items: [ItemRule]
    /// Five ascending percentages: reaching the k-th earns k stars (0–5).
    public var starThresholds: [Int]

    public init(items: [ItemRule], starThresholds: [Int]) { self.items = items; self.starThresholds = starThresholds }

    public static let maxLevel = 2

    public static let standard = Rubric(items: [
        .init(item: .governance, requiredFigures: ["responsibleOfficer", "boardReportsPerYear"]),
        .init(item: .informationAssets, requiredFigures: ["assetCategories"]),
        .init(item: .riskManagement, requiredFigures: ["integratedWithERM", "thirdPartyAssessors"]),
        .init(item: .seriousIncidents, presentMinLength: 1, specificMinLength: 20, requiredFigures: ["seriousIncidents"]),
        .init(item: .educationDrills, requiredFigures: ["trainingSessions", "participationPercent"]),
        .init(item: .supplyChain, requiredFigures: ["suppliersAssessed"]),
    ], starThresholds: [1, 25, 50, 75, 90])

    public func rule(for item: AnnualItem) -> ItemRule? { items.first { $0.item == item } }

    public var maximum: Int { items.reduce(0) { $0 + $1.weight * Self.maxLevel } }

    /// Problems with an edited rubric.
    public func problems() -> [FieldError] {
        var errors = ValidationErrors()
        if Set(items.map(\.item)) != Set(AnnualItem.allCases) || items.count != AnnualItem.allCases.count {
            errors.add("/items", code: FieldError.Code.invalid, .init(ja: "6項目それぞれに1つずつ基準を定めてください。", en: "Give exactly one rule for each of the six items."))
        }
        for (index, rule) in items.enumerated() {
            let pointer = "/items/\(index)"
            // Each message names its item: the form shows six groups with the same fields.
            let ja = "「\(rule.item.label(.ja))」: ", en = "\(rule.item.label(.en)): "
            if !(0...10).contains(rule.weight) {
                errors.add(pointer + "/weight", code: FieldError.Code.range, .init(ja: ja + "重みは0〜10で指定してください。", en: en + "the weight must be from 0 to 10."))
            }
            if !(1...5000).contains(rule.presentMinLength) {
                errors.add(pointer + "/presentMinLength", code: FieldError.Code.range, .init(ja: ja + "「記載あり」の文字数は1〜5000で指定してください。", en: en + "the length for present must be from 1 to 5000."))
            }
            if !(1...20000).contains(rule.specificMinLength) || rule.specificMinLength < rule.presentMinLength {
                errors.add(pointer + "/specificMinLength", code: FieldError.Code.range,
                           .init(ja: ja + "「具体的」の文字数は「記載あり」の文字数以上、20000以下にしてください。", en: en + "the length for specific must be at least the length for present and at most 20000."))
            }
            for key in rule.requiredFigures where rule.item.figure(key) == nil {
                errors.add(pointer + "/requiredFigures", code: FieldError.Code.invalid,
                           .init(ja: "「\(rule.item.label(.ja))」に数値項目「\(key)」はありません。", en: "\(rule.item.rawValue) has no figure \"\(key)\"."))
            }
        }
        if maximum == 0 {
            errors.add("/items", code: FieldError.Code.invalid, .init(ja: "少なくとも1項目の重みを1以上にしてください。", en: "At least one item needs a weight above 0."))
        }
        if starThresholds.count != 5 || zip(starThresholds, starThresholds.dropFirst()).contains(where: { $0 >= $1 })
            || starThresholds.contains(where: { !(1...100).contains($0) }) {
            errors.add("/starThresholds", code: FieldError.Code.invalid,
                       .init(ja: "星の基準は1〜100の増加する5つの百分率にしてください。", en: "Give five increasing percentages from 1 to 100 for the stars."))
        }
        return errors.errors
    }

    /// The level of one item (0, 1 or 2).
    public func level(_ item: AnnualItem, _ content: AnnualItemContent) -> Int {
        guard let rule = rule(for: item) else { return 0 }
        let length = content.textLength
        guard length >= rule.presentMinLength else { return 0 }
        if length >= rule.specificMinLength && rule.requiredFigures.allSatisfy({ content.figures[$0] != nil }) { return 2 }
        return 1
    }

    /// Scores a disclosure; nil (no filing) scores zero and no stars.
    public func score(_ content: AnnualContent?) -> Score {
        guard let content else {
            return Score(disclosed: false, levels: AnnualItem.allCases.map { _ in 0 }, total: 0, maximum: maximum, stars: 0)
        }
        let levels = AnnualItem.allCases.map { level($0, content[$0]) }
        let total = zip(AnnualItem.allCases, levels).reduce(0) { $0 + (rule(for: $1.0)?.weight ?? 0) * $1.1 }
        return Score(disclosed: true, levels: levels, total: total, maximum: maximum, stars: stars(total: total))
    }

    public func stars(total: Int) -> Int {
        guard maximum > 0, total > 0 else { return 0 }
        let percent = Double(total) * 100 / Double(maximum)
        return starThresholds.filter { percent >= Double($0) }.count
    }

    public struct Score: Sendable, Equatable {
        public var disclosed: Bool
        /// One level per item, in `AnnualItem.allCases` order.
        public var levels: [Int]
        public var total: Int
        public var maximum: Int
        public var stars: Int
        /// Share of the maximum, rounded to one decimal.
        public var percent: Double { maximum == 0 ? 0 : (Double(total) * 1000 / Double(maximum)).rounded() / 10 }
    }
}

/// Survey aggregates: ranking, distribution, coverage and change from the previous year.
public enum SurveyStatistics {
    public struct Row: Sendable, Equatable {
        public var companyID: UUID
        public var securitiesCode: String
        public var name: String
        public var score: Rubric.Score
        public var rank: Int = 0
        public var previousTotal: Int?
        public var change: Int? { previousTotal.map { score.total - $0 } }

        public init(companyID: UUID, securitiesCode: String, name: String, score: Rubric.Score) {
            self.companyID = companyID; self.securitiesCode = securitiesCode; self.name = name; self.score = score
        }
    }

    /// Highest total first; equal totals share a rank (1, 2, 2, 4) and are listed by securities code.
    public static func ranked(_ rows: [Row]) -> [Row] {
        var sorted = rows.sorted { ($0.score.total, $1.securitiesCode) > ($1.score.total, $0.securitiesCode) }
        for index in sorted.indices {
            sorted[index].rank = index > 0 && sorted[index].score.total == sorted[index - 1].score.total ? sorted[index - 1].rank : index + 1
        }
        return sorted
    }

    /// Companies per star rating 0…5.
    public static func starDistribution(_ rows: [Row]) -> [Int] {
        var counts = Array(repeating: 0, count: 6)
        for row in rows { counts[min(5, max(0, row.score.stars))] += 1 }
        return counts
    }

    public struct Coverage: Sendable, Equatable {
        public var item: AnnualItem
        /// Companies with level ≥ 1.
        public var present: Int
        /// Companies with level 2.
        public var quantified: Int
        public var companies: Int
        public var presentPercent: Double { companies == 0 ? 0 : (Double(present) * 1000 / Double(companies)).rounded() / 10 }
        public var quantifiedPercent: Double { companies == 0 ? 0 : (Double(quantified) * 1000 / Double(companies)).rounded() / 10 }
    }

    public static func coverage(_ rows: [Row]) -> [Coverage] {
        AnnualItem.allCases.enumerated().map { index, item in
            Coverage(item: item, present: rows.filter { $0.score.levels[index] >= 1 }.count,
                     quantified: rows.filter { $0.score.levels[index] >= 2 }.count, companies: rows.count)
        }
    }

    /// Mean share of the maximum, one decimal.
    public static func meanPercent(_ rows: [Row]) -> Double {
        guard !rows.isEmpty else { return 0 }
        return (rows.reduce(0.0) { $0 + $1.score.percent } * 10 / Double(rows.count)).rounded() / 10
    }

    /// Fills `previousTotal` from last year's totals by company.
    public static func withPrevious(_ rows: [Row], previous: [UUID: Int]) -> [Row] {
        rows.map { row in
            var row = row
            row.previousTotal = previous[row.companyID]
            return row
        }
    }
}
