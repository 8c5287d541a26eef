import Foundation

// RFC 4180 CSV for exports and imports.
//
// Writing: UTF-8 with a byte order mark by default (Excel in Japan otherwise opens UTF-8 files as
// Shift_JIS and garbles them), CRLF line endings, and a field is quoted when it contains a comma, a
// double quote, CR or LF (quotes doubled).
//
// CSV injection ("formula injection"): a spreadsheet treats a cell starting with `=`, `+`, `-`, `@`,
// tab or CR as a formula. Every *text* cell starting with one of these (or with the full-width
// `＝ ＋ － ＠`, which Japanese input methods produce) is written with a leading single quote `'`, so
// `=HYPERLINK(...)` arrives as the text `'=HYPERLINK(...)`. Numbers written as `Cell.integer`,
// `Cell.number` or `Cell.decimal` are not altered (a negative number stays `-5`). `CSVWriter.unprotect`
// removes the quote again when re-importing our own exports.

public struct CSVWriter: Sendable {
    /// One cell. Text is protected against formula injection; numbers are written as they are.
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
        case text(String)
        case integer(Int)
        case number(Double)
        case decimal(Decimal)
        case empty

        public init(stringLiteral value: String) { self = .text(value) }
        public init(integerLiteral value: Int) { self = .integer(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
    }

    public var includeBOM: Bool
    public var protectAgainstFormulaInjection: Bool
    public private(set) var rows: [[Cell]] = []

    public init(includeBOM: Bool = true, protectAgainstFormulaInjection: Bool = true) {
        self.includeBOM = includeBOM
        self.protectAgainstFormulaInjection = protectAgainstFormulaInjection
    }

    public mutating func addRow(_ cells: [Cell]) { rows.append(cells) }
    /// Adds a row of text cells (e.g. the header).
    public mutating func addRow(texts: [String]) { rows.append(texts.map(Cell.text)) }

    /// The CSV text (CRLF after every record; no BOM).
    public var text: String {
        rows.map { row in
            row.map { encode($0) }.joined(separator: ",") + "\r\n"
        }.joined()
    }

    /// The file contents: UTF-8, with a BOM when `includeBOM`.
    public var data: Data {
        var data = Data(includeBOM ? CSVWriter.byteOrderMark : [])
        data.append(contentsOf: Array(text.utf8))
        return data
    }

    /// The UTF-8 byte order mark EF BB BF.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Characters that make a spreadsheet read a cell as a formula.
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]

    func encode(_ cell: Cell) -> String {
        switch cell {
        case .text(let s):
            return CSVWriter.quoteIfNeeded(protectAgainstFormulaInjection ? CSVWriter.protect(s) : s)
        case .integer(let i):
            return String(i)
        case .number(let d):
            guard d.isFinite else { return "" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
            return "\(d)"
        case .decimal(let d):
            return d.isNaN ? "" : d.description
        case .empty:
            return ""
        }
    }

    /// Prefixes `'` when the text starts with a formula trigger.
    public static func protect(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaTriggers.contains(Character(first)) else { return text }
        return "'" + text
    }

    /// Removes the `'` that `protect` added (only when it is followed by a formula trigger).
    public static func unprotect(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count >= 2, scalars.first == "'" else { return text }
        let second = scalars[scalars.index(after: scalars.startIndex)]
        return formulaTriggers.contains(Character(second)) ? String(String.UnicodeScalarView(scalars.dropFirst())) : text
    }

    /// Quotes a field containing a comma, a double quote, CR or LF (doubling the quotes).
    public static func quoteIfNeeded(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A problem in an imported CSV file, with the line where it was found.
public struct CSVParseError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// 1-based physical line.
    public var line: Int
    public var ja: String
    public var en: String

    public init(line: Int, ja: String, en: String) {
        self.line = line
        self.ja = ja
        self.en = en
    }

    public func message(_ language: UILanguage) -> String { language == .ja ? ja : en }
    public var description: String { "line \(line): \(en)" }
    public var errorDescription: String? { description }
}

/// RFC 4180 reader: quoted fields with doubled quotes and embedded line breaks, CRLF, LF or CR line
/// endings, and an optional UTF-8 BOM. A quote inside an unquoted field is kept as a character.
public enum CSVParser {
    public struct Row: Sendable, Equatable {
        /// The 1-based physical line on which the record starts (for error messages).
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Parses UTF-8 data (BOM optional). Refuses data that is not UTF-8 (for example Shift_JIS).
    public static func parse(_ data: Data, skipEmptyLines: Bool = true) throws -> [Row] {
        var bytes = [UInt8](data)
        if bytes.starts(with: CSVWriter.byteOrderMark) { bytes.removeFirst(3) }
        if let bad = StrictJSONParser.firstInvalidUTF8(bytes, from: 0) {
            let line = bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw CSVParseError(line: line,
                ja: "ファイルがUTF-8ではありません。Excelでは「CSV UTF-8（コンマ区切り）」で保存してください",
                en: "The file is not UTF-8. In Excel, save it as \"CSV UTF-8 (Comma delimited)\"")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), skipEmptyLines: skipEmptyLines)
    }

    /// Parses text. With `skipEmptyLines`, lines with nothing on them produce no row.
    public static func parse(_ text: String, skipEmptyLines: Bool = true) throws -> [Row] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var rows: [Row] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var i = 0
        var quoted = false      // inside a quoted field
        var wasQuoted = false   // the current field was quoted (and is closed)
        var recordHasContent = false

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(skipEmptyLines && !recordHasContent && fields == [""]) {
                rows.append(Row(line: recordLine, fields: fields))
            }
            fields = []
            recordHasContent = false
        }

        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        continue
                    }
                    quoted = false
                    wasQuoted = true
                    i += 1
                    continue
                }
                if c == "\n" || (c == "\r" && !(i + 1 < scalars.count && scalars[i + 1] == "\n")) { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case ",":
                endField()
                recordHasContent = true
                i += 1
            case "\r", "\n":
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                i += 1
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                if wasQuoted {
                    throw CSVParseError(line: line, ja: "引用符で囲まれた項目の後に余分な文字があります",
                                        en: "Unexpected characters after a quoted field")
                }
                if field.isEmpty {
                    quoted = true
                    recordHasContent = true
                } else {
                    field.append(c)
                }
                i += 1
            default:
                if wasQuoted {
                    throw CSVParseError(line: line, ja: "引用符で囲まれた項目の後に余分な文字があります",
                                        en: "Unexpected characters after a quoted field")
                }
                field.append(c)
                recordHasContent = true
                i += 1
            }
        }
        if quoted {
            throw CSVParseError(line: recordLine, ja: "引用符が閉じられていません",
                                en: "A quoted field is not closed")
        }
        if recordHasContent || !fields.isEmpty || !field.isEmpty { endRecord() }
        return rows
    }
}
