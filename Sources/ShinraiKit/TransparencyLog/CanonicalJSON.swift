import Foundation

public enum CanonicalJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(String)
    case nonFiniteNumber
    case duplicateKey(String)
    case nestingTooDeep

    public var description: String {
        switch self {
        case .invalidJSON(let why): return "invalid JSON: \(why)"
        case .nonFiniteNumber: return "NaN and infinity are not allowed in canonical JSON"
        case .duplicateKey(let key): return "duplicate object key \"\(key)\""
        case .nestingTooDeep: return "JSON nesting too deep"
        }
    }
}

/// Deterministic ("canonical") JSON, used for transparency-log leaves and for hashing
/// record content anywhere in Shinrai.
///
/// Rules (RFC 8785 / JCS, with one documented difference for large integers):
/// - no insignificant whitespace; UTF-8 output;
/// - object members sorted by key, comparing the keys' UTF-16 code units;
///   duplicate keys are rejected when parsing;
/// - strings: only `"` and `\` and control characters U+0000–U+001F are escaped
///   (`\b \t \n \f \r` short forms, otherwise `\u00xx` lower-case); `/` and all
///   other characters are written as UTF-8;
/// - numbers: integers that fit in Int64 are written exactly (`-0` → `0`); all other
///   numbers are IEEE-754 doubles written as ECMAScript `Number.prototype.toString`
///   (shortest round-trip digits: `0.1`, `1e+21`, `1e-7`); NaN/∞ are rejected;
/// - `Date` values in `Encodable` input are written as RFC 3339 UTC strings with whole
///   seconds (`2026-03-01T09:30:00Z`, fraction truncated); `Data` as standard base64.
public enum CanonicalJSON {
    /// A JSON value.
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// An integer, written exactly.
        case integer(Int64)
        /// A non-integer (or out-of-Int64-range) number, written ECMAScript style.
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    static let maxDepth = 512

    // MARK: Public entry points

    /// Canonical bytes of a JSON value.
    public static func encode(_ value: Value) throws -> Data {
        var out = [UInt8]()
        out.reserveCapacity(256)
        try write(value, to: &out)
        return Data(out)
    }

    /// Canonical bytes of an `Encodable` value (encoded with `JSONEncoder`, then canonicalized).
    public static func encode(_ value: some Encodable) throws -> Data {
        try encode(self.value(of: value))
    }

    /// The JSON value of an `Encodable`.
    public static func value(of encodable: some Encodable) throws -> Value {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TLogTimestamp.format(seconds: TLogTimestamp.wholeSeconds(date)))
        }
        encoder.dataEncodingStrategy = .base64
        encoder.nonConformingFloatEncodingStrategy = .throw
        return try parse(try encoder.encode(encodable))
    }

    /// Parses JSON text (RFC 8259, strict) into a value.
    public static func parse(_ data: Data) throws -> Value {
        var parser = Parser(bytes: Array(data))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw CanonicalJSONError.invalidJSON("trailing characters at offset \(parser.pos)") }
        return value
    }

    /// Re-serializes arbitrary JSON text canonically.
    public static func canonicalize(_ json: Data) throws -> Data {
        try encode(parse(json))
    }

    /// True if `json` is already exactly in canonical form.
    public static func isCanonical(_ json: Data) -> Bool {
        (try? canonicalize(json)) == json
    }

    /// Lower-case hex SHA-256 of the canonical JSON of `value` (the `contentHash`
    /// of a record in a log entry).
    public static func sha256Hex(of value: some Encodable) throws -> String {
        TLogHex.encode(MerkleHashing.sha256(try encode(value)))
    }

    /// Lower-case hex SHA-256 of the canonical JSON of `value`.
    public static func sha256Hex(of value: Value) throws -> String {
        TLogHex.encode(MerkleHashing.sha256(try encode(value)))
    }

    // MARK: Serialization

    static func write(_ value: Value, to out: inout [UInt8]) throws {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .integer(let i): out.append(contentsOf: Array(String(i).utf8))
        case .number(let d): out.append(contentsOf: Array(try formatDouble(d).utf8))
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number.prototype.toString for a finite double.
    static func formatDouble(_ d: Double) throws -> String {
        guard d.isFinite else { throw CanonicalJSONError.nonFiniteNumber }
        if d == 0 { return "0" }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        // Swift's description gives the shortest round-trip digits; re-layout per ECMAScript.
        var text = Substring(d.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts[0]
        let fracPart = parts.count > 1 ? parts[1] : ""
        var digits = Array(intPart + fracPart)
        var leadingZeros = 0
        while leadingZeros < digits.count - 1, digits[leadingZeros] == "0" { leadingZeros += 1 }
        digits.removeFirst(leadingZeros)
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let k = digits.count
        let n = intPart.count + exponent - leadingZeros
        let ds = String(digits)
        var result: String
        if k <= n && n <= 21 {
            result = ds + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result = String(digits[0..<n]) + "." + String(digits[n...])
        } else if -6 < n && n <= 0 {
            result = "0." + String(repeating: "0", count: -n) + ds
        } else {
            let e = n - 1
            let expText = (e >= 0 ? "+" : "-") + String(abs(e))
            result = k == 1 ? ds + "e" + expText : String(digits[0]) + "." + String(digits[1...]) + "e" + expText
        }
        return d < 0 ? "-" + result : result
    }

    // MARK: Parsing

    struct Parser {
        let bytes: [UInt8]
        var pos = 0

        var atEnd: Bool { pos >= bytes.count }

        mutating func skipWhitespace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        func fail(_ why: String) -> CanonicalJSONError {
            .invalidJSON("\(why) at offset \(pos)")
        }

        mutating func expect(_ literal: String) throws {
            let lit = Array(literal.utf8)
            guard pos + lit.count <= bytes.count, Array(bytes[pos..<pos + lit.count]) == lit else {
                throw fail("expected \(literal)")
            }
            pos += lit.count
        }

        mutating func parseValue(depth: Int) throws -> Value {
            guard depth < CanonicalJSON.maxDepth else { throw CanonicalJSONError.nestingTooDeep }
            guard !atEnd else { throw fail("unexpected end") }
            switch bytes[pos] {
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "["):
                pos += 1
                var items: [Value] = []
                skipWhitespace()
                if !atEnd, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                while true {
                    skipWhitespace()
                    items.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    guard !atEnd else { throw fail("unterminated array") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                    throw fail("expected , or ]")
                }
            case UInt8(ascii: "{"):
                pos += 1
                var members: [String: Value] = [:]
                skipWhitespace()
                if !atEnd, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    guard !atEnd, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected object key") }
                    let key = try parseString()
                    skipWhitespace()
                    try expect(":")
                    skipWhitespace()
                    let value = try parseValue(depth: depth + 1)
                    guard members.updateValue(value, forKey: key) == nil else {
                        throw CanonicalJSONError.duplicateKey(key)
                    }
                    skipWhitespace()
                    guard !atEnd else { throw fail("unterminated object") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                    throw fail("expected , or }")
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try parseNumber()
            default:
                throw fail("unexpected character")
            }
        }

        mutating func parseNumber() throws -> Value {
            let start = pos
            var isInteger = true
            if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            func isDigit(_ p: Int) -> Bool { p < bytes.count && bytes[p] >= 0x30 && bytes[p] <= 0x39 }
            guard isDigit(pos) else { throw fail("invalid number") }
            if bytes[pos] == UInt8(ascii: "0") {
                pos += 1
                if isDigit(pos) { throw fail("leading zero in number") }
            } else {
                while isDigit(pos) { pos += 1 }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                isInteger = false
                pos += 1
                guard isDigit(pos) else { throw fail("invalid fraction") }
                while isDigit(pos) { pos += 1 }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                isInteger = false
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                guard isDigit(pos) else { throw fail("invalid exponent") }
                while isDigit(pos) { pos += 1 }
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            if isInteger, let i = Int64(text) { return .integer(i) }
            guard let d = Double(text), d.isFinite else { throw CanonicalJSONError.nonFiniteNumber }
            return .number(d)
        }

        mutating func parseHex4() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[pos]
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = UInt32(c - 0x30)
                case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
                case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
                default: throw fail("bad hex digit in \\u escape")
                }
                v = v << 4 | digit
                pos += 1
            }
            return v
        }

        mutating func parseString() throws -> String {
            pos += 1  // opening quote
            var out = [UInt8]()
            while true {
                guard !atEnd else { throw fail("unterminated string") }
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") { pos += 1; break }
                if c < 0x20 { throw fail("unescaped control character in string") }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    pos += 1
                    continue
                }
                pos += 1
                guard !atEnd else { throw fail("unterminated escape") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalarValue = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalarValue) {
                        guard pos + 2 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate")
                        }
                        pos += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalarValue) {
                        throw fail("unpaired surrogate")
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalarValue)!).utf8))
                default:
                    throw fail("invalid escape")
                }
            }
            let s = String(decoding: out, as: UTF8.self)
            guard s.utf8.elementsEqual(out) else { throw fail("invalid UTF-8 in string") }
            return s
        }
    }
}

// MARK: Literals

extension CanonicalJSON.Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CanonicalJSON.Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, CanonicalJSON.Value)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: RFC 3339 timestamps (UTC, whole seconds)

/// RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` formatting/parsing without Foundation formatters
/// (locale- and thread-independent). Years 0001–9999.
public enum TLogTimestamp {
    /// Seconds since the Unix epoch, truncated toward −∞ (so 12:00:00.9 → 12:00:00).
    public static func wholeSeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `date` truncated to whole seconds.
    public static func truncate(_ date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(wholeSeconds(date)))
    }

    public static func format(_ date: Date) -> String {
        format(seconds: wholeSeconds(date))
    }

    /// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let secOfDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay % 3600 / 60, 2)):\(pad(secOfDay % 60, 2))Z"
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (upper-case `T` and `Z`, no fraction, no offset).
    public static func parseSeconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
            let mi = num(14..<16), let s = num(17..<19)
        else { return nil }
        guard y >= 1, (1...12).contains(mo), d >= 1, d <= daysInMonth(y, mo), h < 24, mi < 60, s < 60 else { return nil }
        return days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
    }

    public static func parse(_ text: String) -> Date? {
        parseSeconds(text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

// MARK: Codable

extension CanonicalJSON.Value: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([CanonicalJSON.Value].self) {
            self = .array(a)
        } else if let o = try? c.decode([String: CanonicalJSON.Value].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
