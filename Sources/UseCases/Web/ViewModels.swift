import Foundation
import Hummingbird
import ShinraiKit

/// Turns domain values into the dictionaries the Mustache templates read. Text is never marked up
/// here: highlighting is a list of runs, and the template wraps marked runs in `<mark>`, so every
/// character of user text goes through Mustache's escaping.
struct ViewModels {
    let catalogue: Catalogue
    let language: UILanguage
    let labels: Labels

    func t(_ key: String) -> String { catalogue.text(key, language) }

    static func runs(_ segments: [SearchText.Segment]) -> [[String: Any]] {
        segments.map { ["text": $0.text, "marked": $0.marked] }
    }

    func yen(_ value: Int) -> String {
        let grouped = Self.grouped(value)
        return language == .ja ? "\(grouped)円" : "¥\(grouped)"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    func hours(_ value: Double) -> String {
        let text = value == value.rounded() ? Self.grouped(Int(value)) : String(format: "%.1f", value)
        return language == .ja ? "\(text)時間" : "\(text) hours"
    }

    func date(_ date: Date) -> String { JapaneseDate.long(date, language: language) }

    /// 第2版 / version 2.
    func version(_ number: Int) -> String { t("usecases.detail.versionN").replacingOccurrences(of: "{n}", with: String(number)) }
    func dateTime(_ date: Date) -> String { JapaneseDate.dateTime(date, language: language) }

    /// One item of a result list.
    func summary(_ row: SearchIndex.Row, terms: [String]) -> [String: Any] {
        var scale = ""
        if let value = MunicipalityScale(rawValue: row.municipalityScale) { scale = t(Label.scale(value)) }
        return [
            "number": row.number, "href": "/usecases/\(row.number)",
            "title": Self.runs(SearchText.highlight(row.title, terms: terms)),
            "summary": Self.runs(SearchText.snippet(row.summary, terms: terms, length: 160)),
            "organisation": row.organisationName,
            "orgType": labels.label(.organisationType, row.organisationType, language), "scale": scale, "hasScale": !scale.isEmpty,
            "industry": labels.label(.industry, row.industry, language), "category": labels.label(.category, row.category, language),
            "stage": labels.label(.stage, row.stage, language), "confidentiality": labels.label(.confidentiality, String(row.confidentiality), language),
            "highRisk": row.highRisk, "reuses": row.reuses, "updated": date(row.updatedAt), "version": version(row.version),
        ]
    }

    /// The body of a use case (detail page, version page, preview of a draft).
    func content(_ c: UseCaseContent, promptBase: String?) -> [String: Any] {
        var out: [String: Any] = [
            "title": c.title, "summary": c.summary, "problem": c.problem,
            "orgType": t(Label.orgType(c.organisationType)),
            "industry": "\(c.industry) \(t(Label.industry(c.industry)))",
            "category": labels.label(.category, c.category, language),
            "stage": t(Label.stage(c.stage)), "stageValue": c.stage.rawValue,
            "steps": c.solutionSteps, "models": c.modelsUsed, "hasModels": !c.modelsUsed.isEmpty,
            "licence": t(Label.licence(c.licence)), "licenceURL": c.licence.url,
            "department": c.contact.department,
        ]
        if let scale = c.municipalityScale { out["scale"] = t(Label.scale(scale)) }
        if let group = c.industryGroup { out["industryGroup"] = "\(group) \(t(Label.industryGroup(group)))" }
        out["prompts"] = c.prompts.enumerated().map { index, p -> [String: Any] in
            var prompt: [String: Any] = [
                "number": index + 1, "title": p.title, "template": p.template, "filled": p.exampleFilled,
                "variables": p.variables.map { ["name": $0.name, "example": $0.example] }, "hasVariables": !p.variables.isEmpty,
            ]
            if let output = p.sampleOutput { prompt["sampleOutput"] = output }
            if let promptBase { prompt["useHref"] = "\(promptBase)/prompts/\(index + 1)" }
            return prompt
        }
        out["hasPrompts"] = !c.prompts.isEmpty
        var results: [[String: String]] = []
        if let h = c.results.hoursSavedPerMonth { results.append(["label": t("usecases.field.hoursSavedPerMonth"), "value": hours(h)]) }
        if let y = c.results.monthlyCostYen { results.append(["label": t("usecases.field.monthlyCostYen"), "value": yen(y)]) }
        if let y = c.results.initialCostYen { results.append(["label": t("usecases.field.initialCostYen"), "value": yen(y)]) }
        out["results"] = results
        out["hasResults"] = !results.isEmpty || c.results.quality != nil
        if let q = c.results.quality { out["quality"] = q }
        if let m = c.results.measurement { out["measurement"] = m }
        let g = c.governance
        out["confidentiality"] = t(Label.confidentiality(g.confidentiality))
        out["personalData"] = t(g.personalData ? "usecases.yes" : "usecases.no")
        out["humanReview"] = t(g.humanReview ? "usecases.yes" : "usecases.no")
        if let note = g.humanReviewNote { out["humanReviewNote"] = note }
        out["countermeasures"] = g.countermeasures.map { t(Label.countermeasure($0)) }
        out["hasCountermeasures"] = !g.countermeasures.isEmpty || g.otherCountermeasures != nil
        if let other = g.otherCountermeasures { out["otherCountermeasures"] = other }
        out["risks"] = g.riskChecks.map { t(Label.risk($0)) }
        out["highRisk"] = g.highRisk
        if let lessons = c.lessonsLearned { out["lessons"] = lessons }
        if let email = c.contact.email { out["email"] = email; out["mailto"] = "mailto:" + email }
        if let url = c.contact.url { out["contactURL"] = url }
        if let source = c.source {
            out["source"] = ["name": source.name, "url": source.url as Any, "hasURL": source.url != nil] as [String: Any]
        }
        return out
    }

    func statusLabel(_ status: SubmissionStatus) -> String { t(Label.status(status)) }

    /// Sub-navigation of the module, shown on every page of it.
    static func nav(_ context: AppContext, current: String, catalogue: Catalogue) -> [[String: Any]] {
        var items: [(String, String)] = [("search", "/usecases"), ("needs", "/usecases/needs")]
        if let identity = context.identity {
            if identity.organisationID != nil { items.append(("mine", "/usecases/mine")) }
            if identity.isReviewer { items += [("moderation", "/usecases/moderation"), ("categories", "/usecases/categories")] }
            if identity.organisationID != nil { items.append(("import", "/usecases/import")) }
        }
        return items.map { ["key": $0.0, "href": $0.1, "current": $0.0 == current, "label": catalogue.text("usecases.nav.\($0.0)", context.language)] }
    }
}

/// Routes a web page may link to after a change, with a notice.
enum Notice: String, CaseIterable {
    case created, saved, submitted, recalled, published, changesRequested = "changes-requested", withdrawn, discarded
    case imported, categorySaved = "category-saved", needPosted = "need-posted", responded, closed

    static func from(_ request: Request) -> Notice? {
        request.uri.queryParameters["done"].flatMap { Notice(rawValue: String($0)) }
    }
}
