import Foundation
import ShinraiKit

/// Exchange in the column layout of the US Federal AI Use Case Inventory (the 2024 consolidated
/// inventory published under OMB M-24-10). The US columns carry what both inventories know; the
/// columns starting with `JP:` carry the rest of a Shinrai use case, so a collection moves between
/// two Shinrai installations without loss, while US tools simply ignore them. The mapping is
/// documented in docs/usecases.md.
public enum USInventory {
    public static let formatName = "us-ai-inventory-2024"

    public enum Column: String, CaseIterable, Sendable {
        case id = "Use Case ID"
        case name = "Use Case Name"
        case agency = "Agency"
        case bureau = "Bureau"
        case topic = "Use Case Topic Area"
        case topicOther = "Other (Use Case Topic Area)"
        case purpose = "What is the intended purpose and expected benefits of the AI?"
        case outputs = "Describe the AI system’s outputs."
        case stage = "Stage of Development"
        case impact = "Is the AI use case rights-impacting, safety-impacting, both, or neither?"
        case publicInfo = "Does this AI use case disseminate information to the public?"
        case pii = "Does this AI use case involve personally identifiable information (PII) that is maintained by the agency?"
        case summary = "JP: Summary"
        case organisationType = "JP: Organisation Type"
        case municipalityScale = "JP: Municipality Scale"
        case industry = "JP: JSIC Division"
        case industryGroup = "JP: JSIC Major Group"
        case category = "JP: Problem Category"
        case prompts = "JP: Prompt Examples (JSON)"
        case models = "JP: Models and Services Used"
        case hoursSaved = "JP: Hours Saved per Month"
        case monthlyCost = "JP: Monthly Cost (JPY)"
        case initialCost = "JP: Initial Cost (JPY)"
        case quality = "JP: Quality Effect"
        case measurement = "JP: Measurement"
        case confidentiality = "JP: Confidentiality Level"
        case humanReview = "JP: Human Review"
        case humanReviewNote = "JP: Human Review Note"
        case countermeasures = "JP: Countermeasures"
        case otherCountermeasures = "JP: Other Countermeasures"
        case riskChecks = "JP: Risk Checks"
        case lessons = "JP: Lessons Learned"
        case licence = "JP: Licence"
        case contactEmail = "JP: Contact E-mail"
        case contactURL = "JP: Contact URL"
        case source = "JP: Source"
        case sourceURL = "JP: Source URL"

        var isExtension: Bool { rawValue.hasPrefix("JP: ") }

        /// Header text compared without case, quote style or spacing differences.
        static func normalisedHeader(_ text: String) -> String {
            text.replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "‘", with: "'")
                .lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }

        static let byHeader: [String: Column] = Dictionary(uniqueKeysWithValues: allCases.map { (normalisedHeader($0.rawValue), $0) })
    }

    /// The 2024 topic areas.
    public enum TopicArea: String, CaseIterable, Sendable {
        case missionEnabling = "Mission-Enabling (internal agency support)"
        case governmentServices = "Government Services (includes Benefits and Service Delivery)"
        case health = "Health & Medical"
        case law = "Law & Justice"
        case education = "Education & Workforce"
        case energy = "Energy & the Environment"
        case emergency = "Emergency Management"
        case transportation = "Transportation"
        case science = "Science & Space"
        case diplomacy = "Diplomacy & Trade"
        case other = "Other"
    }

    // MARK: export

    static func topic(for content: UseCaseContent) -> TopicArea {
        switch content.industry {
        case "P": return .health
        case "O": return .education
        case "F": return .energy
        case "H": return .transportation
        case "L": return .science
        case "S": return ["inquiry-handling", "public-relations", "translation"].contains(content.category) ? .governmentServices : .missionEnabling
        default: return .other
        }
    }

    static func stageText(_ stage: Stage) -> String {
        switch stage {
        case .idea: return "Initiated"
        case .pilot: return "Implementation and Assessment"
        case .production: return "Operation and Maintenance"
        case .retired: return "Retired"
        }
    }

    static func impactText(_ checks: [RiskCheck]) -> String {
        switch (checks.contains(.rightsImpact), checks.contains(.safetyImpact)) {
        case (true, true): return "Both"
        case (true, false): return "Rights-Impacting"
        case (false, true): return "Safety-Impacting"
        case (false, false): return "Neither"
        }
    }

    static func yesNo(_ value: Bool) -> String { value ? "Yes" : "No" }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// One exported row: a published version and the JSIC division name for "Other" topics.
    public struct ExportRow: Sendable {
        public var number: String
        public var organisationName: String
        public var content: UseCaseContent
        public var industryName: String
    }

    public static func export(_ rows: [ExportRow]) -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: Column.allCases.map(\.rawValue))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for row in rows {
            let c = row.content
            let topic = topic(for: c)
            let promptsJSON = c.prompts.isEmpty ? "" : String(decoding: (try? encoder.encode(c.prompts)) ?? Data(), as: UTF8.self)
            let cells: [Column: String] = [
                .id: row.number, .name: c.title, .agency: row.organisationName, .bureau: c.contact.department, .topic: topic.rawValue,
                .topicOther: topic == .other ? row.industryName : "", .purpose: c.problem,
                .outputs: stepsText(c.solutionSteps),
                .stage: stageText(c.stage), .impact: impactText(c.governance.riskChecks),
                .publicInfo: yesNo(c.governance.riskChecks.contains(.publicFacing)), .pii: yesNo(c.governance.personalData),
                .summary: c.summary, .organisationType: c.organisationType.rawValue, .municipalityScale: c.municipalityScale?.rawValue ?? "",
                .industry: c.industry, .industryGroup: c.industryGroup ?? "", .category: c.category, .prompts: promptsJSON,
                .models: c.modelsUsed.joined(separator: "\n"), .hoursSaved: c.results.hoursSavedPerMonth.map(number) ?? "",
                .monthlyCost: c.results.monthlyCostYen.map(String.init) ?? "", .initialCost: c.results.initialCostYen.map(String.init) ?? "",
                .quality: c.results.quality ?? "", .measurement: c.results.measurement ?? "",
                .confidentiality: String(c.governance.confidentiality), .humanReview: yesNo(c.governance.humanReview),
                .humanReviewNote: c.governance.humanReviewNote ?? "",
                .countermeasures: c.governance.countermeasures.map(\.rawValue).joined(separator: ","),
                .otherCountermeasures: c.governance.otherCountermeasures ?? "",
                .riskChecks: c.governance.riskChecks.map(\.rawValue).joined(separator: ","), .lessons: c.lessonsLearned ?? "",
                .licence: c.licence.rawValue, .contactEmail: c.contact.email ?? "", .contactURL: c.contact.url ?? "",
                .source: c.source?.name ?? "", .sourceURL: c.source?.url ?? "",
            ]
            writer.addRow(Column.allCases.map { column in
                let text = cells[column] ?? ""
                return text.isEmpty ? .empty : .text(text)
            })
        }
        return writer.data
    }

    // MARK: import

    public struct RowError: Sendable, Equatable, Codable {
        public var line: Int
        public var column: String
        public var code: String
        public var detail: String
        public var detailJa: String
    }

    public struct ParsedRow: Sendable {
        public var line: Int
        public var content: UseCaseContent
    }

    public struct Parsed: Sendable {
        public var rows: Int
        public var valid: [ParsedRow]
        public var errors: [RowError]
    }

    /// Reads a CSV in this layout. Each row becomes a use case, checked with the same rules as any
    /// other input; `categories` are the active category slugs.
    public static func parse(_ data: Data, categories: Set<String>) -> Parsed {
        let rows: [CSVParser.Row]
        do { rows = try CSVParser.parse(data) } catch let error as CSVParseError {
            return Parsed(rows: 0, valid: [], errors: [RowError(line: error.line, column: "", code: "syntax", detail: error.en, detailJa: error.ja)])
        } catch {
            return Parsed(rows: 0, valid: [], errors: [RowError(line: 1, column: "", code: "syntax", detail: "The file could not be read as CSV.", detailJa: "CSVとして読み取れません。")])
        }
        guard let header = rows.first else {
            return Parsed(rows: 0, valid: [], errors: [RowError(line: 1, column: "", code: "missing", detail: "The file is empty.", detailJa: "ファイルが空です。")])
        }
        var index: [Column: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            if let column = Column.byHeader[Column.normalisedHeader(name)], index[column] == nil { index[column] = position }
        }
        let required: [Column] = [.name, .purpose, .outputs, .stage]
        let absent = required.filter { index[$0] == nil }
        if !absent.isEmpty {
            return Parsed(rows: rows.count - 1, valid: [], errors: absent.map {
                RowError(line: header.line, column: $0.rawValue, code: "missing", detail: "The header has no column \"\($0.rawValue)\".",
                         detailJa: "見出し行に「\($0.rawValue)」の列がありません。")
            })
        }
        var valid: [ParsedRow] = []
        var errors: [RowError] = []
        if rows.count - 1 > 5000 {
            return Parsed(rows: rows.count - 1, valid: [], errors: [RowError(line: header.line, column: "", code: "range",
                detail: "At most 5000 rows per import.", detailJa: "一度に取り込めるのは5000行までです。")])
        }
        for row in rows.dropFirst() {
            let cell: (Column) -> String = { column in
                guard let position = index[column], position < row.fields.count else { return "" }
                let text = CSVWriter.unprotect(row.fields[position]).trimmingCharacters(in: .whitespacesAndNewlines)
                return ["n/a", "na", "none"].contains(text.lowercased()) ? "" : text
            }
            let has: (Column) -> Bool = { index[$0] != nil }
            var rowErrors: [RowError] = []
            func fail(_ column: Column, _ code: String, _ en: String, _ ja: String) {
                rowErrors.append(RowError(line: row.line, column: column.rawValue, code: code, detail: en, detailJa: ja))
            }
            let content = read(cell: cell, has: has, categories: categories, fail: fail)
            if let content {
                let normalised = content.normalised()
                for error in normalised.validationErrors(categories: categories) {
                    let column = column(for: error.pointer)
                    rowErrors.append(RowError(line: row.line, column: column.rawValue, code: error.code, detail: error.detail, detailJa: error.detailJa ?? error.detail))
                }
                if rowErrors.isEmpty { valid.append(ParsedRow(line: row.line, content: normalised)) }
            }
            errors += rowErrors
        }
        return Parsed(rows: rows.count - 1, valid: valid, errors: errors)
    }

    static func read(cell: (Column) -> String, has: (Column) -> Bool, categories: Set<String>,
                     fail: (Column, String, String, String) -> Void) -> UseCaseContent? {
        var ok = true
        func enumValue<E: RawRepresentable>(_ column: Column, _ type: E.Type) -> E? where E.RawValue == String {
            let text = cell(column)
            if text.isEmpty { return nil }
            guard let value = E(rawValue: text) else {
                fail(column, "invalid", "\"\(text)\" is not a known value.", "「\(text)」は使えない値です。"); ok = false; return nil
            }
            return value
        }
        func list<E: RawRepresentable>(_ column: Column, _ type: E.Type) -> [E] where E.RawValue == String {
            cell(column).split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" }).compactMap { part in
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let value = E(rawValue: text) else {
                    fail(column, "invalid", "\"\(text)\" is not a known value.", "「\(text)」は使えない値です。"); ok = false; return nil
                }
                return value
            }
        }
        func yen(_ column: Column) -> Int? {
            let text = cell(column).replacingOccurrences(of: ",", with: "")
            if text.isEmpty { return nil }
            guard let value = Int(text) else { fail(column, "type", "Write whole yen as digits.", "金額は半角数字（円）で書いてください。"); ok = false; return nil }
            return value
        }
        func flag(_ column: Column) -> Bool? {
            switch cell(column).lowercased() {
            case "": return nil
            case "yes", "y", "true", "はい": return true
            case "no", "n", "false", "いいえ": return false
            default: fail(column, "invalid", "Write Yes or No.", "Yes または No で書いてください。"); ok = false; return nil
            }
        }

        let title = cell(.name)
        let purpose = cell(.purpose)
        let stageText = cell(.stage)
        let stage = importedStage(stageText)
        if stage == nil {
            fail(.stage, stageText.isEmpty ? "missing" : "invalid",
                 "Unknown stage \"\(stageText)\" (e.g. Initiated, Implementation and Assessment, Operation and Maintenance, Retired).",
                 "開発段階「\(stageText)」を読み取れません（Initiated / Implementation and Assessment / Operation and Maintenance / Retired など）。")
            ok = false
        }
        var risks = Set(list(.riskChecks, RiskCheck.self))
        let impact = cell(.impact).lowercased()
        if impact.contains("both") { risks.formUnion([.rightsImpact, .safetyImpact]) }
        else if impact.contains("rights") || impact.contains("high") && !impact.contains("not") { risks.insert(.rightsImpact) }
        else if impact.contains("safety") { risks.insert(.safetyImpact) }
        if flag(.publicInfo) == true { risks.insert(.publicFacing) }
        let personalData = flag(.pii) ?? false
        var confidentiality = personalData ? 2 : 1
        if has(.confidentiality), !cell(.confidentiality).isEmpty {
            if let level = Int(cell(.confidentiality)), (1...3).contains(level) { confidentiality = level } else {
                fail(.confidentiality, "invalid", "Confidentiality is 1, 2 or 3.", "機密性は1・2・3のいずれかです。"); ok = false
            }
        }
        var prompts: [UseCaseContent.PromptExample] = []
        if !cell(.prompts).isEmpty {
            if let decoded = try? JSONDecoder().decode([UseCaseContent.PromptExample].self, from: Data(cell(.prompts).utf8)) { prompts = decoded } else {
                fail(.prompts, "invalid", "The prompt examples are not valid JSON of this layout.", "プロンプト例のJSONを読み取れません。"); ok = false
            }
        }
        var hours: Double?
        if !cell(.hoursSaved).isEmpty {
            if let value = Double(cell(.hoursSaved).replacingOccurrences(of: ",", with: "")), value.isFinite { hours = value } else {
                fail(.hoursSaved, "type", "Write the hours as a number.", "削減時間は数値で書いてください。"); ok = false
            }
        }
        let industry = cell(.industry).isEmpty ? importedIndustry(cell(.topic)) : cell(.industry).uppercased()
        var category = cell(.category)
        if category.isEmpty { category = categories.contains("other") ? "other" : (categories.sorted().first ?? "") }
        let agency = [cell(.agency), cell(.bureau)].filter { !$0.isEmpty }.joined(separator: " / ")
        let sourceName = has(.source) ? cell(.source) : [agency, cell(.id)].filter { !$0.isEmpty }.joined(separator: " ")
        let content = UseCaseContent(
            title: title, summary: cell(.summary).isEmpty ? firstSentence(purpose) : cell(.summary),
            organisationType: enumValue(.organisationType, OrganisationType.self) ?? .government,
            municipalityScale: enumValue(.municipalityScale, MunicipalityScale.self),
            industry: industry, industryGroup: cell(.industryGroup).isEmpty ? nil : cell(.industryGroup), category: category,
            stage: stage ?? .idea, problem: purpose, solutionSteps: steps(cell(.outputs)), prompts: prompts,
            modelsUsed: cell(.models).split(separator: "\n").map(String.init),
            results: .init(hoursSavedPerMonth: hours, monthlyCostYen: yen(.monthlyCost), initialCostYen: yen(.initialCost),
                           quality: cell(.quality), measurement: cell(.measurement)),
            governance: .init(confidentiality: confidentiality, personalData: personalData, humanReview: flag(.humanReview) ?? false,
                              humanReviewNote: cell(.humanReviewNote), countermeasures: list(.countermeasures, Countermeasure.self),
                              otherCountermeasures: cell(.otherCountermeasures), riskChecks: RiskCheck.allCases.filter(risks.contains)),
            lessonsLearned: cell(.lessons),
            // US federal works are in the public domain, hence CC0 unless the row says otherwise.
            licence: enumValue(.licence, Licence.self) ?? (has(.licence) ? .ccBy : .cc0),
            contact: .init(department: cell(.bureau).isEmpty ? cell(.agency) : cell(.bureau), email: cell(.contactEmail), url: cell(.contactURL)),
            source: sourceName.isEmpty ? nil : .init(name: sourceName, url: cell(.sourceURL)))
        return ok ? content : nil
    }

    static func importedStage(_ text: String) -> Stage? {
        let t = text.lowercased()
        if t.isEmpty { return nil }
        if t.contains("retired") { return .retired }
        if t.contains("operation") || t.contains("deployed") || t.contains("production") { return .production }
        if t.contains("implementation") || t.contains("pilot") { return .pilot }
        if t.contains("initiated") || t.contains("acquisition") || t.contains("development") || t.contains("pre-deployment") || t.contains("planned") { return .idea }
        return Stage(rawValue: t)
    }

    static func importedIndustry(_ topic: String) -> String {
        let t = topic.lowercased()
        if t.contains("health") { return "P" }
        if t.contains("education") { return "O" }
        if t.contains("energy") { return "F" }
        if t.contains("transportation") { return "H" }
        if t.contains("science") { return "L" }
        return "S"
    }

    /// Steps as numbered lines (`1. …`); the further lines of a step are indented by three spaces,
    /// so a line of a step that itself starts with a number is not read as the next step.
    static func stepsText(_ steps: [String]) -> String {
        steps.enumerated().map { offset, step in
            "\(offset + 1). " + step.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + continuation)
        }.joined(separator: "\n")
    }

    static let continuation = "   "

    /// Numbered lines (`1. …`, `2. …` in order) back into steps, further lines belonging to the step
    /// above; text that does not start with `1.` becomes one step.
    static func steps(_ text: String) -> [String] {
        var steps: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let marker = "\(steps.count + 1)."
            if line.hasPrefix(marker) {
                steps.append(String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces))
            } else if steps.isEmpty {
                return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [text]
            } else {
                steps[steps.count - 1] += "\n" + (line.hasPrefix(continuation) ? String(line.dropFirst(continuation.count)) : line)
            }
        }
        return steps
    }

    static func firstSentence(_ text: String) -> String {
        let end = text.firstIndex(where: { $0 == "。" || $0 == "\n" }) ?? text.range(of: ". ")?.lowerBound
        let sentence = end.map { String(text[...$0]) } ?? text
        return String(sentence.trimmingCharacters(in: .whitespacesAndNewlines).prefix(UseCaseContent.limits.summary))
    }

    static func column(for pointer: String) -> Column {
        let head = pointer.split(separator: "/").prefix(2).map(String.init)
        switch head.first ?? "" {
        case "title": return .name
        case "summary": return .summary
        case "organisationType": return .organisationType
        case "municipalityScale": return .municipalityScale
        case "industry": return .industry
        case "industryGroup": return .industryGroup
        case "category": return .category
        case "stage": return .stage
        case "problem": return .purpose
        case "solutionSteps": return .outputs
        case "prompts": return .prompts
        case "modelsUsed": return .models
        case "results":
            switch head.last ?? "" {
            case "hoursSavedPerMonth": return .hoursSaved
            case "monthlyCostYen": return .monthlyCost
            case "initialCostYen": return .initialCost
            case "quality": return .quality
            default: return .measurement
            }
        case "governance":
            switch head.last ?? "" {
            case "confidentiality": return .confidentiality
            case "humanReviewNote": return .humanReviewNote
            case "otherCountermeasures": return .otherCountermeasures
            default: return .riskChecks
            }
        case "lessonsLearned": return .lessons
        case "contact":
            let field = pointer.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            return field == "email" ? .contactEmail : field == "url" ? .contactURL : .bureau
        case "source": return pointer.hasSuffix("url") ? .sourceURL : .source
        default: return .name
        }
    }
}
