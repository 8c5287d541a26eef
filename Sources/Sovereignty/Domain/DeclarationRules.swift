import Foundation
import ShinraiKit

/// A declaration as received (API, form or one CSV row) before it is checked.
public struct DeclarationInput: Codable, Sendable, Equatable {
    /// Only administrators declare for another organisation.
    public var organisationId: UUID?
    /// The offering's public number (`SVO-2026-0001`) or id.
    public var offering: String
    public var fiscalYear: Int
    public var spendYen: Int64?
    public var units: Int64?
    public var governmentSystem: Bool?
    public var note: String?

    public init(organisationId: UUID? = nil, offering: String, fiscalYear: Int, spendYen: Int64? = nil, units: Int64? = nil,
                governmentSystem: Bool? = nil, note: String? = nil) {
        self.organisationId = organisationId; self.offering = offering; self.fiscalYear = fiscalYear; self.spendYen = spendYen
        self.units = units; self.governmentSystem = governmentSystem; self.note = note
    }
}

/// The checks every declaration passes, wherever it comes from.
public enum DeclarationRules {
    /// Larger than any single contract; keeps sums of a million declarations within 64 bits.
    public static let maxSpendYen: Int64 = 1_000_000_000_000
    public static let maxUnits: Int64 = 1_000_000_000
    public static let maxNote = 500

    /// Field errors; `offeringKnown` says whether the offering reference resolved.
    public static func problems(_ input: DeclarationInput, offeringKnown: Bool, currentFiscalYear: Int) -> [FieldError] {
        var errors = ValidationErrors()
        if input.offering.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("/offering", code: FieldError.Code.missing, .init(ja: "提供物の番号を入力してください。", en: "Enter the offering's number."))
        } else if !offeringKnown {
            errors.add("/offering", code: FieldError.Code.invalid,
                       .init(ja: "「\(input.offering)」という提供物は登録されていません。", en: "No offering is registered as \"\(input.offering)\"."))
        }
        if !(FiscalYear.earliest...currentFiscalYear).contains(input.fiscalYear) {
            errors.add("/fiscalYear", code: FieldError.Code.range,
                       .init(ja: "年度は\(FiscalYear.earliest)〜\(currentFiscalYear)年度で入力してください。",
                             en: "The fiscal year is from \(FiscalYear.earliest) to \(currentFiscalYear)."))
        }
        if input.spendYen == nil && input.units == nil {
            errors.add("/spendYen", code: FieldError.Code.missing,
                       .init(ja: "支出額（円）か、わからない場合は数量を入力してください。", en: "Enter the spend in yen, or the number of units if the spend is not known."))
        }
        if let spend = input.spendYen, !(0...maxSpendYen).contains(spend) {
            errors.add("/spendYen", code: FieldError.Code.range, .init(ja: "支出額は0〜1兆円の整数（円）です。", en: "Spend is a whole number of yen from 0 to 1 trillion."))
        }
        if let units = input.units, !(1...maxUnits).contains(units) {
            errors.add("/units", code: FieldError.Code.range, .init(ja: "数量は1〜10億の整数です。", en: "Units are a whole number from 1 to 1 billion."))
        }
        if (input.note ?? "").count > maxNote {
            errors.add("/note", code: FieldError.Code.invalid, .init(ja: "備考は\(maxNote)文字以内です。", en: "The note is at most \(maxNote) characters."))
        }
        return errors.errors
    }
}

/// Reads a CSV file of declarations. Headers may be English or Japanese, in any order.
public enum DeclarationCSV {
    public static let maxRows = 10_000

    /// The columns: field name, English header, Japanese header, required.
    public static let columns: [(field: String, en: String, ja: String, required: Bool)] = [
        ("offering", "offering", "提供物番号", true),
        ("fiscalYear", "fiscal_year", "年度", true),
        ("spendYen", "spend_yen", "支出額（円）", false),
        ("units", "units", "数量", false),
        ("governmentSystem", "government_system", "政府システム", false),
        ("note", "note", "備考", false),
    ]

    /// One data row: its line in the file and either the input or the problems found.
    public struct Row: Sendable, Equatable {
        public var line: Int
        /// The offering column as written, so that a row with other errors is still checked for it.
        public var offeringReference: String
        public var input: DeclarationInput?
        public var errors: [FieldError]
    }

    public struct FileError: Error, Sendable, Equatable {
        public var error: FieldError
    }

    /// An example file (English headers) for users to start from.
    public static func template(offeringNumber: String, year: Int) -> CSVWriter {
        var writer = CSVWriter()
        writer.addRow(texts: columns.map(\.en))
        writer.addRow([.text(offeringNumber), .integer(year), .integer(12_000_000), .empty, "yes", "EDR licences"])
        writer.addRow([.text(offeringNumber), .integer(year), .empty, .integer(350), "no", "spend not known"])
        return writer
    }

    /// Parses the file. Throws `FileError` when it cannot be read at all (not CSV, no header,
    /// unknown or missing columns, too many rows); otherwise every data row comes back with its
    /// own errors (offering references are resolved later).
    public static func parse(_ text: String) throws -> [Row] {
        let records: [CSVParser.Row]
        do { records = try CSVParser.parse(text) } catch let error as CSVParseError {
            throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.syntax, detail: error.description, detailJa: "\(error.line)行目：\(error.ja)"))
        }
        guard let header = records.first else {
            throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.missing, detail: "The file is empty.", detailJa: "ファイルが空です。"))
        }
        var position: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let column = columns.first(where: { $0.en.caseInsensitiveCompare(name) == .orderedSame || $0.ja == name || $0.field == name }) else {
                throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.unknownField,
                                                  detail: "Unknown column \"\(name)\". Columns: \(columns.map(\.en).joined(separator: ", ")).",
                                                  detailJa: "「\(name)」という列はありません。列：\(columns.map(\.ja).joined(separator: "、"))"))
            }
            guard position[column.field] == nil else {
                throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.invalid, detail: "Column \"\(name)\" appears twice.",
                                                  detailJa: "「\(name)」列が2回あります。"))
            }
            position[column.field] = i
        }
        for column in columns where column.required && position[column.field] == nil {
            throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.missing, detail: "The column \"\(column.en)\" is missing.",
                                              detailJa: "「\(column.ja)」列がありません。"))
        }
        let data = records.dropFirst()
        guard !data.isEmpty else {
            throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.missing, detail: "The file has no data rows.", detailJa: "データの行がありません。"))
        }
        guard data.count <= maxRows else {
            throw FileError(error: FieldError(pointer: "/csv", code: FieldError.Code.invalid,
                                              detail: "At most \(maxRows) rows per file; split the file.",
                                              detailJa: "1ファイル\(maxRows)行までです。分割してください。"))
        }
        return data.map { record in
            func value(_ field: String) -> String {
                guard let i = position[field], i < record.fields.count else { return "" }
                return CSVWriter.unprotect(record.fields[i]).trimmingCharacters(in: .whitespaces)
            }
            var errors = ValidationErrors()
            let pointer = { (field: String) in "/rows/\(record.line)/\(field)" }
            if record.fields.count != header.fields.count {
                errors.add(pointer("csv"), code: FieldError.Code.invalid,
                           .init(ja: "列の数が見出しと違います（\(record.fields.count)列）。", en: "The row has \(record.fields.count) fields; the header has \(header.fields.count)."))
            }
            let year = FiscalYear.parse(value("fiscalYear"))
            if year == nil {
                errors.add(pointer("fiscalYear"), code: FieldError.Code.invalid,
                           .init(ja: "年度を2025や令和7年度の形で入力してください。", en: "Write the fiscal year like 2025."))
            }
            let spend = number(value("spendYen"), pointer("spendYen"), into: &errors)
            let units = number(value("units"), pointer("units"), into: &errors)
            let flag = value("governmentSystem")
            let government = yesNo(flag)
            if government == nil {
                errors.add(pointer("governmentSystem"), code: FieldError.Code.invalid,
                           .init(ja: "政府システムは yes / no（はい / いいえ）で入力してください。", en: "Write yes or no for government_system."))
            }
            let input = DeclarationInput(offering: value("offering"), fiscalYear: year ?? 0, spendYen: spend, units: units,
                                         governmentSystem: government ?? false, note: value("note").isEmpty ? nil : value("note"))
            return Row(line: record.line, offeringReference: value("offering"), input: errors.isEmpty ? input : nil, errors: errors.errors)
        }
    }

    /// Whole numbers with optional thousands separators, `円`, `¥`, full-width digits; empty is nil.
    static func number(_ text: String, _ pointer: String, into errors: inout ValidationErrors) -> Int64? {
        var t = String(text.unicodeScalars.map { scalar -> Character in
            if (0xFF10...0xFF19).contains(scalar.value) { return Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) }
            return Character(scalar)
        })
        t = t.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
            .replacingOccurrences(of: "円", with: "").replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
            .trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard t.count <= 18, t.allSatisfy(\.isASCIIDigit), let value = Int64(t) else {
            errors.add(pointer, code: FieldError.Code.type, .init(ja: "「\(text)」は整数ではありません。", en: "\"\(text)\" is not a whole number."))
            return nil
        }
        return value
    }

    static func yesNo(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "", "no", "false", "0", "n", "いいえ", "×", "対象外", "-": return false
        case "yes", "true", "1", "y", "はい", "○", "〇", "対象": return true
        default: return nil
        }
    }
}
