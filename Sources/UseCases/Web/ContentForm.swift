import Foundation
import ShinraiKit

/// The use-case form: field names follow the JSON pointers of `UseCaseContent` (`/results/quality`
/// is the field `results_quality`), so validation errors land on the right field. Lists are one
/// item per line; a prompt's example values are `name=value` lines.
struct ContentForm {
    /// Raw values as typed, for showing the form again.
    var values: [String: String] = [:]
    var multi: [String: [String]] = [:]
    var promptSlots = 2
    static let maxSlots = UseCaseContent.limits.prompts

    static let single = ["title", "summary", "organisationType", "municipalityScale", "industry", "industryGroup", "category", "stage",
                         "problem", "solutionSteps", "modelsUsed", "results_hoursSavedPerMonth", "results_monthlyCostYen",
                         "results_initialCostYen", "results_quality", "results_measurement", "governance_confidentiality",
                         "governance_personalData", "governance_humanReview", "governance_humanReviewNote",
                         "governance_otherCountermeasures", "lessonsLearned", "licence", "contact_department", "contact_email",
                         "contact_url", "source_name", "source_url"]
    static let promptFields = ["title", "template", "variables", "sampleOutput"]

    init() {}

    init(form: FormData) {
        for name in Self.single { values[name] = form.first(name) ?? "" }
        for name in ["governance_countermeasures", "governance_riskChecks"] { multi[name] = form.all(name) }
        var slots = 0
        for i in 0..<Self.maxSlots where Self.promptFields.contains(where: { form.first("prompts_\(i)_\($0)") != nil }) {
            slots = i + 1
            for field in Self.promptFields { values["prompts_\(i)_\(field)"] = form.first("prompts_\(i)_\(field)") ?? "" }
        }
        promptSlots = max(slots, 1)
    }

    /// The form filled from stored content.
    init(content c: UseCaseContent) {
        values = [
            "title": c.title, "summary": c.summary, "organisationType": c.organisationType.rawValue,
            "municipalityScale": c.municipalityScale?.rawValue ?? "", "industry": c.industry, "industryGroup": c.industryGroup ?? "",
            "category": c.category, "stage": c.stage.rawValue, "problem": c.problem, "solutionSteps": c.solutionSteps.joined(separator: "\n"),
            "modelsUsed": c.modelsUsed.joined(separator: "\n"),
            "results_hoursSavedPerMonth": c.results.hoursSavedPerMonth.map(USInventory.number) ?? "",
            "results_monthlyCostYen": c.results.monthlyCostYen.map(String.init) ?? "",
            "results_initialCostYen": c.results.initialCostYen.map(String.init) ?? "",
            "results_quality": c.results.quality ?? "", "results_measurement": c.results.measurement ?? "",
            "governance_confidentiality": String(c.governance.confidentiality),
            "governance_personalData": c.governance.personalData ? "yes" : "no", "governance_humanReview": c.governance.humanReview ? "yes" : "no",
            "governance_humanReviewNote": c.governance.humanReviewNote ?? "", "governance_otherCountermeasures": c.governance.otherCountermeasures ?? "",
            "lessonsLearned": c.lessonsLearned ?? "", "licence": c.licence.rawValue, "contact_department": c.contact.department,
            "contact_email": c.contact.email ?? "", "contact_url": c.contact.url ?? "", "source_name": c.source?.name ?? "", "source_url": c.source?.url ?? "",
        ]
        multi["governance_countermeasures"] = c.governance.countermeasures.map(\.rawValue)
        multi["governance_riskChecks"] = c.governance.riskChecks.map(\.rawValue)
        for (i, p) in c.prompts.enumerated() {
            values["prompts_\(i)_title"] = p.title
            values["prompts_\(i)_template"] = p.template
            values["prompts_\(i)_variables"] = p.variables.map { "\($0.name)=\($0.example)" }.joined(separator: "\n")
            values["prompts_\(i)_sampleOutput"] = p.sampleOutput ?? ""
        }
        promptSlots = min(Self.maxSlots, c.prompts.count + 1)
    }

    /// Reads the content, or the field errors (pointers in the JSON form).
    func content() -> (UseCaseContent?, [FieldError]) {
        var v = Check()
        func v_(_ name: String) -> String { values[name] ?? "" }
        func lines(_ name: String) -> [String] {
            v_(name).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func number(_ text: String) -> String {
            SearchText.normalise(text).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "円", with: "")
                .replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "時間", with: "").trimmingCharacters(in: .whitespaces)
        }
        func yen(_ name: String, _ pointer: String) -> Int? {
            let text = number(v_(name))
            if text.isEmpty { return nil }
            guard let value = Int(text) else { v.add(pointer, "type", ja: "金額は整数（円）で入力してください。", en: "Enter whole yen."); return nil }
            return value
        }
        func choice<E: RawRepresentable>(_ name: String, _ type: E.Type, _ pointer: String, ja: String, en: String) -> E? where E.RawValue == String {
            guard let value = E(rawValue: v_(name)) else { v.add(pointer, "missing", ja: ja, en: en); return nil }
            return value
        }
        func flag(_ name: String, _ pointer: String, ja: String, en: String) -> Bool? {
            switch v_(name) {
            case "yes": return true
            case "no": return false
            default: v.add(pointer, "missing", ja: ja, en: en); return nil
            }
        }
        let orgType = choice("organisationType", OrganisationType.self, "/organisationType", ja: "組織の種類を選んでください。", en: "Choose the kind of organisation.")
        let stage = choice("stage", Stage.self, "/stage", ja: "段階を選んでください。", en: "Choose the stage.")
        let scale = v_("municipalityScale").isEmpty ? nil : MunicipalityScale(rawValue: v_("municipalityScale"))
        var hours: Double?
        let hoursText = number(v_("results_hoursSavedPerMonth"))
        if !hoursText.isEmpty {
            if let value = Double(hoursText), value.isFinite { hours = value } else {
                v.add("/results/hoursSavedPerMonth", "type", ja: "削減時間は数値で入力してください。", en: "Enter the hours as a number.")
            }
        }
        let monthly = yen("results_monthlyCostYen", "/results/monthlyCostYen")
        let initial = yen("results_initialCostYen", "/results/initialCostYen")
        let confidentiality = Int(v_("governance_confidentiality"))
        if confidentiality == nil { v.add("/governance/confidentiality", "missing", ja: "機密性を選んでください。", en: "Choose the confidentiality level.") }
        let personal = flag("governance_personalData", "/governance/personalData", ja: "個人情報を扱うかどうかを選んでください。", en: "Say whether personal data is handled.")
        let review = flag("governance_humanReview", "/governance/humanReview", ja: "人が出力を確認するかどうかを選んでください。", en: "Say whether a person checks the output.")
        let licence = v_("licence").isEmpty ? Licence.ccBy : (Licence(rawValue: v_("licence")) ?? .ccBy)
        var prompts: [UseCaseContent.PromptExample] = []
        for i in 0..<promptSlots {
            let title = v_("prompts_\(i)_title"), template = v_("prompts_\(i)_template")
            let variableLines = lines("prompts_\(i)_variables"), output = v_("prompts_\(i)_sampleOutput")
            if [title, template, output].allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) && variableLines.isEmpty { continue }
            var variables: [UseCaseContent.PromptExample.Variable] = []
            for line in variableLines {
                guard let eq = line.firstIndex(of: "=") ?? line.firstIndex(of: "＝") else {
                    v.add("/prompts/\(prompts.count)/variables", "invalid", ja: "例の値は「変数名=値」の形で1行に1つ書いてください。", en: "Write example values as name=value, one per line.")
                    continue
                }
                variables.append(.init(name: String(line[..<eq]).trimmingCharacters(in: .whitespaces),
                                       example: String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)))
            }
            prompts.append(.init(title: title, template: template, variables: variables, sampleOutput: output))
        }
        guard let orgType, let stage, let confidentiality, let personal, let review else { return (nil, v.errors) }
        let content = UseCaseContent(
            title: v_("title"), summary: v_("summary"), organisationType: orgType, municipalityScale: scale, industry: v_("industry"),
            industryGroup: v_("industryGroup"), category: v_("category"), stage: stage, problem: v_("problem"),
            solutionSteps: lines("solutionSteps"), prompts: prompts, modelsUsed: lines("modelsUsed"),
            results: .init(hoursSavedPerMonth: hours, monthlyCostYen: monthly, initialCostYen: initial,
                           quality: v_("results_quality"), measurement: v_("results_measurement")),
            governance: .init(confidentiality: confidentiality, personalData: personal, humanReview: review,
                              humanReviewNote: v_("governance_humanReviewNote"),
                              countermeasures: (multi["governance_countermeasures"] ?? []).compactMap(Countermeasure.init(rawValue:)),
                              otherCountermeasures: v_("governance_otherCountermeasures"),
                              riskChecks: (multi["governance_riskChecks"] ?? []).compactMap(RiskCheck.init(rawValue:))),
            lessonsLearned: v_("lessonsLearned"), licence: licence,
            contact: .init(department: v_("contact_department"), email: v_("contact_email"), url: v_("contact_url")),
            source: v_("source_name").trimmingCharacters(in: .whitespaces).isEmpty && v_("source_url").isEmpty ? nil
                : .init(name: v_("source_name"), url: v_("source_url")))
        return v.errors.isEmpty ? (content, []) : (nil, v.errors)
    }

    /// The form field a JSON pointer belongs to.
    static func field(for pointer: String) -> String {
        let tokens = pointer.split(separator: "/").map(String.init)
        guard let first = tokens.first else { return "" }
        if first == "prompts", tokens.count >= 3 { return "prompts_\(tokens[1])_\(tokens[2])" }
        if ["results", "governance", "contact", "source"].contains(first), tokens.count >= 2 { return "\(first)_\(tokens[1])" }
        return first
    }

    /// Field errors with pointers rewritten to form fields (for the error summary's links).
    static func formErrors(_ errors: [FieldError]) -> [FieldError] {
        errors.map { FieldError(pointer: "/" + field(for: $0.pointer), code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
    }

    /// Values for the template: options with `selected`/`checked`, prompt slots, raw texts.
    func templateValues(_ vm: ViewModels, categories: [CategoryRecord], errors: [String: Any] = [:]) -> [String: Any] {
        var out: [String: Any] = values
        func options(_ items: [(String, String)], selected: String) -> [[String: Any]] {
            items.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
        }
        out["orgTypes"] = options(OrganisationType.allCases.map { ($0.rawValue, vm.t(Label.orgType($0))) }, selected: values["organisationType"] ?? "")
        out["scales"] = options(MunicipalityScale.allCases.map { ($0.rawValue, vm.t(Label.scale($0))) }, selected: values["municipalityScale"] ?? "")
        out["industries"] = options(JSIC.codes.map { ($0, "\($0) \(vm.t(Label.industry($0)))") }, selected: values["industry"] ?? "")
        out["categories"] = options(categories.filter { $0.active || $0.slug == values["category"] }.map { ($0.slug, $0.name(vm.language)) },
                                    selected: values["category"] ?? "")
        out["stages"] = options(Stage.allCases.map { ($0.rawValue, vm.t(Label.stage($0))) }, selected: values["stage"] ?? "")
        out["confidentialityLevels"] = options((1...3).map { (String($0), vm.t(Label.confidentiality($0))) }, selected: values["governance_confidentiality"] ?? "")
        out["licences"] = options(Licence.allCases.map { ($0.rawValue, vm.t(Label.licence($0))) }, selected: values["licence"].flatMap { $0.isEmpty ? nil : $0 } ?? Licence.ccBy.rawValue)
        out["yesNoPersonal"] = options([("yes", vm.t("usecases.yes")), ("no", vm.t("usecases.no"))], selected: values["governance_personalData"] ?? "")
        out["yesNoReview"] = options([("yes", vm.t("usecases.yes")), ("no", vm.t("usecases.no"))], selected: values["governance_humanReview"] ?? "")
        out["countermeasureOptions"] = Countermeasure.allCases.map {
            ["value": $0.rawValue, "label": vm.t(Label.countermeasure($0)), "checked": (multi["governance_countermeasures"] ?? []).contains($0.rawValue)]
        }
        out["riskOptions"] = RiskCheck.allCases.map {
            ["value": $0.rawValue, "label": vm.t(Label.risk($0)), "checked": (multi["governance_riskChecks"] ?? []).contains($0.rawValue)]
        }
        out["promptSlots"] = (0..<promptSlots).map { i -> [String: Any] in
            var slot: [String: Any] = ["index": i, "number": i + 1]
            for field in Self.promptFields {
                slot[field] = values["prompts_\(i)_\(field)"] ?? ""
                slot["error_\(field)"] = errors["error_prompts_\(i)_\(field)"] ?? false
            }
            return slot
        }
        return out
    }
}
