import Foundation
import ShinraiKit

/// A versioned security questionnaire for Fast Track applicants (§2.4), exchanged as JSON or CSV.
public struct QuestionSetDocument: Codable, Sendable, Equatable {
    public struct Question: Codable, Sendable, Equatable {
        public var number: String
        public var category: String
        public var text: String
        public var textEn: String?
        public var guidance: String?
        public var guidanceEn: String?
        /// Ids of the controls (of the ISMAP-structured catalogue) the question checks.
        public var controls: [String]?

        public init(number: String, category: String, text: String, textEn: String? = nil, guidance: String? = nil,
                    guidanceEn: String? = nil, controls: [String]? = nil) {
            self.number = number; self.category = category; self.text = text; self.textEn = textEn
            self.guidance = guidance; self.guidanceEn = guidanceEn; self.controls = controls
        }
    }

    /// Stable name of the set; versions of one set share it.
    public var code: String
    public var title: String
    public var titleEn: String?
    public var questions: [Question]

    public static let csvColumns = ["number", "category", "text_ja", "text_en", "guidance_ja", "guidance_en", "controls"]
    public static let maxQuestions = 500

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ pointer: String, _ code: String, _ ja: String, _ en: String) {
            errors.append(FieldError(pointer: pointer, code: code, detail: en, detailJa: ja))
        }
        if code.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) == nil {
            add("/code", "invalid", "code は英小文字・数字・ハイフンの2〜63文字です。", "code must be 2–63 lower-case letters, digits or hyphens.")
        }
        if title.trimmingCharacters(in: .whitespaces).isEmpty || title.count > 200 { add("/title", "invalid", "題名を200文字以内で入力してください。", "Enter a title of at most 200 characters.") }
        if questions.isEmpty { add("/questions", "missing", "質問が1つもありません。", "The set has no questions.") }
        if questions.count > Self.maxQuestions { add("/questions", "range", "質問は\(Self.maxQuestions)件までです。", "At most \(Self.maxQuestions) questions.") }
        var numbers = Set<String>()
        for (i, q) in questions.enumerated() {
            let base = "/questions/\(i)"
            if q.number.isEmpty || q.number.count > 20 { add(base + "/number", "invalid", "番号は1〜20文字です。", "number must be 1–20 characters.") }
            else if !numbers.insert(q.number).inserted { add(base + "/number", "duplicate", "番号 \(q.number) が重複しています。", "The number \(q.number) is used twice.") }
            if q.text.trimmingCharacters(in: .whitespaces).isEmpty { add(base + "/text", "missing", "質問文を入力してください。", "The question text is required.") }
            if q.text.count > 2000 { add(base + "/text", "range", "質問文は2,000文字以内です。", "At most 2,000 characters.") }
            if q.category.isEmpty || q.category.count > 100 { add(base + "/category", "invalid", "分類は1〜100文字です。", "category must be 1–100 characters.") }
        }
        return errors
    }

    public func csv() -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: Self.csvColumns)
        for q in questions {
            writer.addRow(texts: [q.number, q.category, q.text, q.textEn ?? "", q.guidance ?? "", q.guidanceEn ?? "", (q.controls ?? []).joined(separator: " ")])
        }
        return writer.data
    }

    /// Reads questions from CSV; `code` and `title` come from the form or query.
    public static func fromCSV(_ data: Data, code: String, title: String, titleEn: String?) throws -> QuestionSetDocument {
        let rows: [CSVParser.Row]
        do { rows = try CSVParser.parse(data) } catch let error as CSVParseError {
            throw Problem.validation([FieldError(pointer: "/csv", code: "invalid", detail: "Line \(error.line): \(error.en)", detailJa: "\(error.line)行目: \(error.ja)")])
        }
        guard let header = rows.first else { throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "The CSV is empty.", detailJa: "CSVが空です。")]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["number", "category", "text_ja"] where !names.contains(required) {
            throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "The header row has no \(required) column.", detailJa: "見出し行に列 \(required) がありません。")])
        }
        let questions = rows.dropFirst().map { row -> Question in
            func value(_ column: String) -> String? {
                guard let i = names.firstIndex(of: column), i < row.fields.count else { return nil }
                let text = CSVWriter.unprotect(row.fields[i]).trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            let controls = value("controls")?.split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init)
            return Question(number: value("number") ?? "", category: value("category") ?? "", text: value("text_ja") ?? "",
                            textEn: value("text_en"), guidance: value("guidance_ja"), guidanceEn: value("guidance_en"),
                            controls: controls?.isEmpty == false ? controls : nil)
        }
        return QuestionSetDocument(code: code, title: title, titleEn: titleEn, questions: questions)
    }
}
