import Foundation
import ShinraiKit

/// A problem an organisation wants solved with generative AI, posted so that providers and
/// organisations with similar experience can answer.
public struct NeedContent: Codable, Sendable, Equatable {
    public var title: String
    public var problem: String
    /// JSIC division A–T of the organisation with the need.
    public var industry: String
    /// Problem category slug, when one fits.
    public var category: String?
    /// Constraints: data that may not leave the premises, LGWAN, budget year, …
    public var constraints: String?
    public var budgetMinYen: Int?
    public var budgetMaxYen: Int?
    /// Prefecture code "01"–"47", or "00" for anywhere in Japan.
    public var region: String?
    /// Answers are wanted by this date (in Japan).
    public var deadline: LocalDate?
    public var contactDepartment: String

    public init(title: String, problem: String, industry: String, category: String? = nil, constraints: String? = nil,
                budgetMinYen: Int? = nil, budgetMaxYen: Int? = nil, region: String? = nil, deadline: LocalDate? = nil, contactDepartment: String) {
        self.title = title; self.problem = problem; self.industry = industry; self.category = category; self.constraints = constraints
        self.budgetMinYen = budgetMinYen; self.budgetMaxYen = budgetMaxYen; self.region = region; self.deadline = deadline
        self.contactDepartment = contactDepartment
    }

    public func normalised() -> NeedContent {
        var c = self
        c.title = Clean.line(title); c.problem = Clean.text(problem); c.industry = Clean.line(industry).uppercased()
        c.category = category.map(Clean.line)?.nilIfEmpty; c.constraints = constraints.map(Clean.text)?.nilIfEmpty
        c.region = region.map(Clean.line)?.nilIfEmpty; c.contactDepartment = Clean.line(contactDepartment)
        return c
    }

    /// Field errors; `today` is the date in Japan (a new need's deadline may not be in the past).
    public func validationErrors(categories: Set<String>, today: LocalDate, isNew: Bool) -> [FieldError] {
        var v = Check()
        v.text("/title", title, max: UseCaseContent.limits.title, ja: "タイトル", en: "title")
        v.text("/problem", problem, max: UseCaseContent.limits.longText, ja: "課題", en: "problem")
        v.optionalText("/constraints", constraints, max: UseCaseContent.limits.note, ja: "制約", en: "constraints")
        v.text("/contactDepartment", contactDepartment, max: 100, ja: "担当部署", en: "department")
        if !JSIC.isDivision(industry) {
            v.add("/industry", "invalid", ja: "業種（日本標準産業分類の大分類A〜T）を選んでください。", en: "Choose an industry (JSIC division A–T).")
        }
        if let category, !categories.contains(category) {
            v.add("/category", "invalid", ja: "課題の分類を選び直してください。", en: "Choose a problem category from the list.")
        }
        for (key, value) in [("budgetMinYen", budgetMinYen), ("budgetMaxYen", budgetMaxYen)] {
            if let value, !(0...UseCaseContent.maxYen).contains(value) {
                v.add("/\(key)", "range", ja: "予算は0円以上1兆円以下の整数（円）で入力してください。", en: "Budgets are whole yen from 0 to 1 trillion.")
            }
        }
        if let low = budgetMinYen, let high = budgetMaxYen, low > high {
            v.add("/budgetMaxYen", "range", ja: "予算の上限は下限以上にしてください。", en: "The upper budget must not be below the lower budget.")
        }
        if let region, !Self.regions.contains(region) {
            v.add("/region", "invalid", ja: "地域は都道府県コード（01〜47）または全国（00）で指定してください。", en: "The region is a prefecture code 01–47, or 00 for all of Japan.")
        }
        if isNew, let deadline, deadline < today {
            v.add("/deadline", "range", ja: "回答期限に過去の日付は指定できません。", en: "The deadline cannot be in the past.")
        }
        return v.errors
    }

    static let regions: Set<String> = Set(["00"] + (1...47).map { $0 < 10 ? "0\($0)" : "\($0)" })

    func searchText() -> String {
        SearchText.normalise([title, problem, constraints ?? ""].joined(separator: "\n"))
    }
}

public enum NeedStatus: String, Codable, CaseIterable, Sendable {
    case open
    case solved
    case closed
}
