import Foundation
import ShinraiKit

/// What an organisation shares about one use of generative AI. The same value is the API's input,
/// the stored draft and (inside `PublishedUseCase`) every published version.
public struct UseCaseContent: Codable, Sendable, Equatable {
    public var title: String
    /// One or two sentences for lists and feeds.
    public var summary: String
    public var organisationType: OrganisationType
    public var municipalityScale: MunicipalityScale?
    /// JSIC division A–T.
    public var industry: String
    /// JSIC major group, two digits within the division (optional).
    public var industryGroup: String?
    /// Slug of a problem category (editable taxonomy).
    public var category: String
    public var stage: Stage
    public var problem: String
    /// The solution process, in order.
    public var solutionSteps: [String]
    public var prompts: [PromptExample]
    public var modelsUsed: [String]
    public var results: Results
    public var governance: Governance
    public var lessonsLearned: String?
    public var licence: Licence
    public var contact: Contact
    /// Where an imported case comes from (another inventory, a report).
    public var source: Source?

    public struct PromptExample: Codable, Sendable, Equatable {
        public var title: String
        public var template: String
        /// One entry per variable of the template, with an example value.
        public var variables: [Variable]
        /// What the AI answered to the example (optional).
        public var sampleOutput: String?

        public struct Variable: Codable, Sendable, Equatable {
            public var name: String
            public var example: String
        }

        /// The template filled with the example values.
        public var exampleFilled: String {
            let parsed = try? PromptTemplate(parsing: template)
            return parsed?.fill(Dictionary(variables.map { ($0.name, $0.example) }, uniquingKeysWith: { a, _ in a })).text ?? template
        }
    }

    public struct Results: Codable, Sendable, Equatable {
        public var hoursSavedPerMonth: Double?
        public var monthlyCostYen: Int?
        public var initialCostYen: Int?
        /// Effect on quality, in words (error rate, satisfaction, …).
        public var quality: String?
        /// How the numbers were measured.
        public var measurement: String?

        public init(hoursSavedPerMonth: Double? = nil, monthlyCostYen: Int? = nil, initialCostYen: Int? = nil, quality: String? = nil, measurement: String? = nil) {
            self.hoursSavedPerMonth = hoursSavedPerMonth; self.monthlyCostYen = monthlyCostYen; self.initialCostYen = initialCostYen
            self.quality = quality; self.measurement = measurement
        }
    }

    public struct Governance: Codable, Sendable, Equatable {
        /// 機密性1–3 of the information entered (政府統一基準の格付け).
        public var confidentiality: Int
        public var personalData: Bool
        /// A person checks the output before it is used.
        public var humanReview: Bool
        public var humanReviewNote: String?
        public var countermeasures: [Countermeasure]
        public var otherCountermeasures: String?
        /// The self-check items that apply; any one makes the use case high risk.
        public var riskChecks: [RiskCheck]

        public var highRisk: Bool { !riskChecks.isEmpty }
    }

    public struct Contact: Codable, Sendable, Equatable {
        public var department: String
        public var email: String?
        public var url: String?
    }

    public struct Source: Codable, Sendable, Equatable {
        public var name: String
        public var url: String?
    }

    enum CodingKeys: String, CodingKey {
        case title, summary, organisationType, municipalityScale, industry, industryGroup, category, stage, problem, solutionSteps
        case prompts, modelsUsed, results, governance, lessonsLearned, licence, contact, source
    }

    public init(title: String, summary: String, organisationType: OrganisationType, municipalityScale: MunicipalityScale? = nil,
                industry: String, industryGroup: String? = nil, category: String, stage: Stage, problem: String,
                solutionSteps: [String], prompts: [PromptExample] = [], modelsUsed: [String] = [], results: Results = Results(),
                governance: Governance, lessonsLearned: String? = nil, licence: Licence = .ccBy, contact: Contact, source: Source? = nil) {
        self.title = title; self.summary = summary; self.organisationType = organisationType; self.municipalityScale = municipalityScale
        self.industry = industry; self.industryGroup = industryGroup; self.category = category; self.stage = stage; self.problem = problem
        self.solutionSteps = solutionSteps; self.prompts = prompts; self.modelsUsed = modelsUsed; self.results = results
        self.governance = governance; self.lessonsLearned = lessonsLearned; self.licence = licence; self.contact = contact; self.source = source
    }

    /// Lists and the licence may be left out of the input (empty, CC BY 4.0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        summary = try c.decode(String.self, forKey: .summary)
        organisationType = try c.decode(OrganisationType.self, forKey: .organisationType)
        municipalityScale = try c.decodeIfPresent(MunicipalityScale.self, forKey: .municipalityScale)
        industry = try c.decode(String.self, forKey: .industry)
        industryGroup = try c.decodeIfPresent(String.self, forKey: .industryGroup)
        category = try c.decode(String.self, forKey: .category)
        stage = try c.decode(Stage.self, forKey: .stage)
        problem = try c.decode(String.self, forKey: .problem)
        solutionSteps = try c.decode([String].self, forKey: .solutionSteps)
        prompts = try c.decodeIfPresent([PromptExample].self, forKey: .prompts) ?? []
        modelsUsed = try c.decodeIfPresent([String].self, forKey: .modelsUsed) ?? []
        results = try c.decodeIfPresent(Results.self, forKey: .results) ?? Results()
        governance = try c.decode(Governance.self, forKey: .governance)
        lessonsLearned = try c.decodeIfPresent(String.self, forKey: .lessonsLearned)
        licence = try c.decodeIfPresent(Licence.self, forKey: .licence) ?? .ccBy
        contact = try c.decode(Contact.self, forKey: .contact)
        source = try c.decodeIfPresent(Source.self, forKey: .source)
    }
}

// MARK: - validation

extension UseCaseContent {
    public static let limits = (title: 120, summary: 300, longText: 4000, step: 1000, steps: 20, prompts: 10, promptTitle: 100,
                                template: 8000, models: 10, model: 100, note: 2000)
    static let maxYen = 1_000_000_000_000

    /// Trims every text, folds line breaks, drops control characters, removes duplicates from the
    /// choice lists and adds the risk checks that the other answers imply.
    public func normalised() -> UseCaseContent {
        var c = self
        c.title = Clean.line(title); c.summary = Clean.text(summary); c.problem = Clean.text(problem)
        c.industry = Clean.line(industry).uppercased()
        c.industryGroup = industryGroup.map(Clean.line)?.nilIfEmpty
        c.category = Clean.line(category)
        c.solutionSteps = solutionSteps.map(Clean.text).filter { !$0.isEmpty }
        c.prompts = prompts.map { p in
            PromptExample(title: Clean.line(p.title), template: Clean.text(p.template),
                          variables: p.variables.map { .init(name: Clean.line($0.name), example: Clean.text($0.example)) },
                          sampleOutput: p.sampleOutput.map(Clean.text)?.nilIfEmpty)
        }
        c.modelsUsed = Clean.unique(modelsUsed.map(Clean.line).filter { !$0.isEmpty })
        c.results.quality = results.quality.map(Clean.text)?.nilIfEmpty
        c.results.measurement = results.measurement.map(Clean.text)?.nilIfEmpty
        c.governance.humanReviewNote = governance.humanReviewNote.map(Clean.text)?.nilIfEmpty
        c.governance.otherCountermeasures = governance.otherCountermeasures.map(Clean.text)?.nilIfEmpty
        c.governance.countermeasures = Countermeasure.allCases.filter(governance.countermeasures.contains)
        var risks = Set(governance.riskChecks)
        if governance.confidentiality >= 2 || governance.personalData { risks.insert(.sensitiveData) }
        if !governance.humanReview { risks.insert(.noHumanCheck) }
        c.governance.riskChecks = RiskCheck.allCases.filter(risks.contains)
        c.lessonsLearned = lessonsLearned.map(Clean.text)?.nilIfEmpty
        c.contact = Contact(department: Clean.line(contact.department), email: contact.email.map(Clean.line)?.nilIfEmpty,
                            url: contact.url.map(Clean.line)?.nilIfEmpty)
        c.source = source.map { Source(name: Clean.line($0.name), url: $0.url.map(Clean.line)?.nilIfEmpty) }
        return c
    }

    /// Field errors of normalised content; `categories` are the slugs that may be chosen.
    public func validationErrors(categories: Set<String>) -> [FieldError] {
        var v = Check()
        let l = Self.limits
        v.text("/title", title, max: l.title, ja: "タイトル", en: "title")
        v.text("/summary", summary, max: l.summary, ja: "概要", en: "summary")
        v.text("/problem", problem, max: l.longText, ja: "課題", en: "problem")
        if !JSIC.isDivision(industry) {
            v.add("/industry", "invalid", ja: "業種（日本標準産業分類の大分類A〜T）を選んでください。", en: "Choose an industry (JSIC division A–T).")
        } else if let group = industryGroup, !JSIC.group(group, belongsTo: industry) {
            v.add("/industryGroup", "invalid", ja: "中分類は選んだ大分類に属する2桁の番号で入力してください。",
                  en: "The major group must be a two-digit code within the chosen division.")
        }
        if !categories.contains(category) {
            v.add("/category", category.isEmpty ? "missing" : "invalid", ja: "課題の分類を選んでください。", en: "Choose a problem category.")
        }
        if organisationType != .municipality, municipalityScale != nil {
            v.add("/municipalityScale", "invalid", ja: "自治体の規模は地方公共団体の事例にだけ入力します。", en: "Only municipalities have a municipality scale.")
        }
        if solutionSteps.isEmpty {
            v.add("/solutionSteps", "missing", ja: "解決の手順を1つ以上入力してください。", en: "Describe at least one step of the solution.")
        } else if solutionSteps.count > l.steps {
            v.add("/solutionSteps", "range", ja: "手順は\(l.steps)個までです。", en: "At most \(l.steps) steps.")
        }
        for (i, step) in solutionSteps.enumerated() where step.count > l.step {
            v.add("/solutionSteps/\(i)", "range", ja: "手順\(i + 1)は\(l.step)文字以内にしてください。", en: "Step \(i + 1) is longer than \(l.step) characters.")
        }
        if prompts.count > l.prompts {
            v.add("/prompts", "range", ja: "プロンプト例は\(l.prompts)個までです。", en: "At most \(l.prompts) prompt examples.")
        }
        for (i, prompt) in prompts.enumerated() { v.prompt(prompt, at: "/prompts/\(i)", number: i + 1) }
        if modelsUsed.count > l.models {
            v.add("/modelsUsed", "range", ja: "利用したモデル・サービスは\(l.models)個までです。", en: "At most \(l.models) models or services.")
        }
        for (i, model) in modelsUsed.enumerated() where model.count > l.model {
            v.add("/modelsUsed/\(i)", "range", ja: "モデル・サービス名は\(l.model)文字以内にしてください。", en: "A model or service name is at most \(l.model) characters.")
        }
        if let hours = results.hoursSavedPerMonth, !(hours.isFinite && hours >= 0 && hours <= 100_000) {
            v.add("/results/hoursSavedPerMonth", "range", ja: "削減時間は0〜100,000時間の範囲で入力してください。", en: "Hours saved must be between 0 and 100,000.")
        }
        for (key, value) in [("monthlyCostYen", results.monthlyCostYen), ("initialCostYen", results.initialCostYen)] {
            if let value, !(0...Self.maxYen).contains(value) {
                v.add("/results/\(key)", "range", ja: "費用は0円以上1兆円以下の整数（円）で入力してください。", en: "Costs are whole yen from 0 to 1 trillion.")
            }
        }
        v.optionalText("/results/quality", results.quality, max: l.note, ja: "品質への効果", en: "quality effect")
        v.optionalText("/results/measurement", results.measurement, max: l.note, ja: "測定方法", en: "measurement")
        if (results.hoursSavedPerMonth != nil || results.quality != nil) && results.measurement == nil {
            v.add("/results/measurement", "missing", ja: "成果の数値や品質を書いたときは、測り方も書いてください。",
                  en: "Say how the results were measured.")
        }
        if !(1...3).contains(governance.confidentiality) {
            v.add("/governance/confidentiality", "range", ja: "機密性は1・2・3のいずれかを選んでください。", en: "Confidentiality is 1, 2 or 3.")
        }
        v.optionalText("/governance/humanReviewNote", governance.humanReviewNote, max: l.note, ja: "人による確認の方法", en: "human review note")
        v.optionalText("/governance/otherCountermeasures", governance.otherCountermeasures, max: l.note, ja: "その他の対策", en: "other countermeasures")
        v.optionalText("/lessonsLearned", lessonsLearned, max: l.longText, ja: "教訓", en: "lessons learned")
        v.text("/contact/department", contact.department, max: 100, ja: "担当部署", en: "department")
        if let email = contact.email, !Clean.isPlausibleEmail(email) {
            v.add("/contact/email", "invalid", ja: "連絡先メールアドレスの形式が正しくありません。", en: "Enter a valid contact e-mail address.")
        }
        if let url = contact.url, !Clean.isWebURL(url) {
            v.add("/contact/url", "invalid", ja: "連絡先URLは http:// または https:// で始まる500文字以内のURLにしてください。", en: "The contact URL must start with http:// or https:// (at most 500 characters).")
        }
        if let source {
            v.text("/source/name", source.name, max: 200, ja: "出典", en: "source name")
            if let url = source.url, !Clean.isWebURL(url) {
                v.add("/source/url", "invalid", ja: "出典URLは http:// または https:// で始まるURLにしてください。", en: "The source URL must start with http:// or https://.")
            }
        }
        return v.errors
    }

    /// All the words a reader might search for, normalised.
    func searchText(extra: [String]) -> String {
        var parts = [title, summary, problem] + solutionSteps + modelsUsed
        for prompt in prompts { parts += [prompt.title, prompt.template] + prompt.variables.map(\.name) }
        parts += [results.quality ?? "", lessonsLearned ?? "", governance.humanReviewNote ?? "", governance.otherCountermeasures ?? "", contact.department]
        parts += extra
        return SearchText.normalise(parts.filter { !$0.isEmpty }.joined(separator: "\n"))
    }
}

/// Collects field errors with both languages.
struct Check {
    var errors: [FieldError] = []

    mutating func add(_ pointer: String, _ code: String, ja: String, en: String) {
        errors.append(FieldError(pointer: pointer, code: code, detail: en, detailJa: ja))
    }

    mutating func text(_ pointer: String, _ value: String, max: Int, ja: String, en: String) {
        if value.isEmpty { add(pointer, "missing", ja: "\(ja)を入力してください。", en: "Enter the \(en).") }
        else if value.count > max { add(pointer, "range", ja: "\(ja)は\(max)文字以内にしてください。", en: "The \(en) is at most \(max) characters.") }
    }

    mutating func optionalText(_ pointer: String, _ value: String?, max: Int, ja: String, en: String) {
        if let value, value.count > max { add(pointer, "range", ja: "\(ja)は\(max)文字以内にしてください。", en: "The \(en) is at most \(max) characters.") }
    }

    mutating func prompt(_ prompt: UseCaseContent.PromptExample, at pointer: String, number: Int) {
        let l = UseCaseContent.limits
        text(pointer + "/title", prompt.title, max: l.promptTitle, ja: "プロンプト例\(number)の題名", en: "title of prompt example \(number)")
        text(pointer + "/template", prompt.template, max: l.template, ja: "プロンプト例\(number)の本文", en: "text of prompt example \(number)")
        optionalText(pointer + "/sampleOutput", prompt.sampleOutput, max: l.template, ja: "プロンプト例\(number)の出力例", en: "sample output of prompt example \(number)")
        let template: PromptTemplate
        do { template = try PromptTemplate(parsing: prompt.template) } catch {
            errors.append(FieldError(pointer: pointer + "/template", code: "invalid", detail: error.text.en, detailJa: error.text.ja))
            return
        }
        let used = template.variableNames
        let declared = prompt.variables.map(\.name)
        if used.count > 30 {
            add(pointer + "/template", "range", ja: "変数は30個までです。", en: "At most 30 variables per prompt.")
        }
        for name in Set(declared) where declared.filter({ $0 == name }).count > 1 {
            add(pointer + "/variables", "duplicate", ja: "変数「\(name)」が2回以上あります。", en: "The variable \"\(name)\" is listed twice.")
        }
        for name in used where !declared.contains(name) {
            add(pointer + "/variables", "missing", ja: "変数「\(name)」の例を入力してください。", en: "Give an example value for the variable \"\(name)\".")
        }
        for (i, variable) in prompt.variables.enumerated() {
            if !used.contains(variable.name) {
                add(pointer + "/variables/\(i)/name", "invalid", ja: "変数「\(variable.name)」は本文で使われていません。", en: "The variable \"\(variable.name)\" does not appear in the template.")
            } else if variable.example.isEmpty {
                add(pointer + "/variables/\(i)/example", "missing", ja: "変数「\(variable.name)」の例を入力してください。", en: "Give an example value for the variable \"\(variable.name)\".")
            } else if variable.example.count > 2000 {
                add(pointer + "/variables/\(i)/example", "range", ja: "変数の例は2000文字以内にしてください。", en: "An example value is at most 2000 characters.")
            }
        }
    }
}

/// Text clean-up shared by every input path (API, forms, imports).
enum Clean {
    /// One line: surrounding space trimmed, line breaks and tabs become spaces, control characters dropped.
    static func line(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.compactMap { s -> Unicode.Scalar? in
            if s == "\n" || s == "\r" || s == "\t" { return " " }
            return isControl(s) ? nil : s
        })).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Several lines: CRLF and CR become LF, control characters other than LF and tab dropped.
    static func text(_ text: String) -> String {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return String(String.UnicodeScalarView(unified.unicodeScalars.filter { $0 == "\n" || $0 == "\t" || !isControl($0) }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) || s == "\u{FEFF}"
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && email.count <= 254 && !email.contains(where: { $0.isWhitespace })
    }

    static func isWebURL(_ url: String) -> Bool {
        guard url.count <= 500, !url.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty else { return false }
        return true
    }
}
