import Foundation

// Strict JSON input for the API.
//
// `StrictJSONDecoder` parses a request body into a `JSONValue` tree (numbers keep their text, objects
// keep their key order, duplicate keys are refused), then decodes a `Decodable` type through its own
// `Decoder`. While decoding it records which object keys the type asked for; any key present in the
// input that no type asked for is reported as an `unknown-field` error, at any depth, so a typo such as
// `"nmae"` is refused instead of silently ignored. Errors come back as one `JSONInputError` carrying
// RFC 6901 JSON Pointers, ready for an RFC 9457 problem document (`Problem.validation(error.errors)`, or
// `Problem.badRequest` when the only error has the code `syntax`).

// MARK: - Field errors

/// One problem with one field of the input, addressed by an RFC 6901 JSON Pointer.
public struct FieldError: Codable, Sendable, Equatable, Hashable {
    /// RFC 6901 JSON Pointer to the field, e.g. `/contacts/0/email`; `""` is the whole document.
    public var pointer: String
    /// Usually one of `FieldError.Code`: `syntax`, `unknown-field`, `missing`, `type`, `invalid`, `range`.
    public var code: String
    /// English explanation for a developer or a user.
    public var detail: String
    /// Japanese explanation for the web UI (encoded only when present).
    public var detailJa: String?

    public init(pointer: String, code: String, detail: String, detailJa: String? = nil) {
        self.pointer = pointer
        self.code = code
        self.detail = detail
        self.detailJa = detailJa
    }

    /// The explanation in a UI language (English when there is no Japanese text).
    public func detail(_ language: UILanguage) -> String { language == .ja ? (detailJa ?? detail) : detail }

    /// The codes used in `FieldError.code`.
    public enum Code {
        /// The body is not JSON at all (answer 400 rather than 422).
        public static let syntax = "syntax"
        /// The input has a key that the receiving type does not know.
        public static let unknownField = "unknown-field"
        /// A required field is absent (or `null`).
        public static let missing = "missing"
        /// The field has the wrong JSON type (a string where a number is expected, `1.5` for an integer).
        public static let type = "type"
        /// The field has the right type but a value that is not accepted (bad date, enum value).
        public static let invalid = "invalid"
        /// A number outside the range of the field.
        public static let range = "range"
    }
}

/// The error type for rejected JSON input: JSON that does not parse (code `syntax`), does not decode, or
/// has unknown fields. `ValidationErrors.asInputError()` gives the same type for domain validation.
public struct JSONInputError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public var errors: [FieldError]
    /// One English sentence for logs and the problem document's `detail`.
    public var summary: String

    public init(errors: [FieldError], summary: String? = nil) {
        self.errors = errors
        self.summary = summary ?? JSONInputError.defaultSummary(errors)
    }

    public var description: String { summary }
    public var errorDescription: String? { summary }

    static func defaultSummary(_ errors: [FieldError]) -> String {
        if errors.isEmpty { return "The input is not valid." }
        let shown = errors.prefix(3).map { "\($0.pointer.isEmpty ? "(document)" : $0.pointer): \($0.detail)" }
        let more = errors.count > 3 ? "; and \(errors.count - 3) more" : ""
        let noun = errors.count == 1 ? "problem" : "problems"
        return "The input has \(errors.count) \(noun): " + shown.joined(separator: "; ") + more
    }
}

/// Collects domain-validation problems and throws them as one `Problem.validation` (HTTP 422).
///
///     var problems = ValidationErrors()
///     if name.isEmpty { problems.add("/name", code: FieldError.Code.missing, .init(ja: "名称を入力してください。", en: "Enter the name.")) }
///     try problems.throwIfAny()
///
/// A type may also throw it from `init(from:)` while being decoded by `StrictJSONDecoder`: the
/// pointers are then taken as relative to the value being decoded and prefixed with its position.
public struct ValidationErrors: Sendable, Equatable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ pointer: String, code: String, _ detail: String, ja: String? = nil) {
        errors.append(FieldError(pointer: pointer, code: code, detail: detail, detailJa: ja))
    }

    public mutating func add(_ pointer: String, code: String, _ text: LocalizedText) {
        errors.append(FieldError(pointer: pointer, code: code, detail: text.en, detailJa: text.ja))
    }

    public mutating func add(_ error: FieldError) { errors.append(error) }

    /// Adds field errors (e.g. of a nested object) with their pointers placed under `prefix`.
    public mutating func add(contentsOf other: [FieldError], under prefix: String = "") {
        errors += other.map { FieldError(pointer: prefix + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
    }

    public var isEmpty: Bool { errors.isEmpty }
    public var count: Int { errors.count }

    /// The collected errors as a `JSONInputError` (also when there are none).
    public func asInputError(summary: String? = nil) -> JSONInputError { JSONInputError(errors: errors, summary: summary) }

    /// Throws `Problem.validation(errors)` when anything was collected.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

/// RFC 6901 JSON Pointer helpers.
public enum JSONPointer {
    /// Escapes one reference token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Reverses `escape`.
    public static func unescape(_ token: String) -> String {
        token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// `JSONPointer.make("contacts", 0, "email")` → `/contacts/0/email`.
    public static func make(_ tokens: any CustomStringConvertible...) -> String {
        make(tokens: tokens.map { $0.description })
    }

    public static func make(tokens: [String]) -> String {
        tokens.map { "/" + escape($0) }.joined()
    }

    /// The pointer for a `Codable` coding path.
    public static func from(codingPath: [any CodingKey]) -> String {
        make(tokens: codingPath.map { key in
            if let k = key as? StrictJSONKey, k.isIndex, let i = k.intValue { return String(i) }
            if let i = key.intValue, key.stringValue == "Index \(i)" { return String(i) }
            return key.stringValue
        })
    }

    /// The reference tokens of a pointer (`""` → `[]`); nil when it does not start with `/`.
    public static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { unescape(String($0)) }
    }
}

// MARK: - JSON value tree

/// A parsed JSON value. Numbers keep their exact text so no precision is lost before decoding.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written in the input (already checked against the JSON grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// "null", "a boolean", "a number", "a string", "an array", "an object".
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON text (keys in their original order).
    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text): out += text
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, member) in object.members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A JSON object that keeps its keys in input order. Keys are unique.
public struct JSONObject: Sendable, Equatable, Hashable {
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    public init() {}

    /// Builds an object from members; a repeated key keeps its first position and its last value.
    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var members: [(key: String, value: JSONValue)] { keys.map { ($0, storage[$0]!) } }
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let strict = decoder as? StrictJSONDecoderImpl {
            strict.state.consumed.insert(JSONPointer.from(codingPath: strict.codingPath))
            self = strict.value
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let i = try? c.decode(Int64.self) { self = .number(String(i)); return }
        if let d = try? c.decode(Double.self), d.isFinite { self = .number("\(d)"); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) {
            self = .object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            return
        }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "Not a JSON value.")
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let text):
            var c = encoder.singleValueContainer()
            if let i = Int64(text) { try c.encode(i) }
            else if let u = UInt64(text) { try c.encode(u) }
            else if let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) { try c.encode(d) }
            else { try c.encode(Double(text) ?? 0) }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let object):
            var c = encoder.container(keyedBy: StrictJSONKey.self)
            for member in object.members { try c.encode(member.value, forKey: StrictJSONKey(stringValue: member.key)) }
        }
    }
}

// MARK: - Decoder front end

/// Decodes JSON strictly: unknown keys, `1.5` for an integer, out-of-range numbers, numbers in strings,
/// bad dates and unknown enum values are all refused with a JSON Pointer to the field.
///
/// Special types: `Date` is an RFC 3339 / ISO 8601 date-time with `Z` or an offset (fractional seconds
/// optional); `UUID` a UUID string; `Data` standard base64; `URL` an absolute URL string; `Decimal`
/// a JSON number. `JSONValue` takes any sub-tree as it is (its keys then count as read).
public struct StrictJSONDecoder: Sendable {
    /// The deepest nesting of arrays and objects accepted by the parser.
    public var maxDepth: Int
    /// When true (the default) keys nobody asked for are `unknown-field` errors.
    public var rejectUnknownFields: Bool
    /// Passed to the decoded types as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(maxDepth: Int = 64, rejectUnknownFields: Bool = true, userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.maxDepth = maxDepth
        self.rejectUnknownFields = rejectUnknownFields
        self.userInfo = userInfo
    }

    /// Parses and decodes. Throws `JSONInputError` for every kind of bad input.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(type, from: parse(data))
    }

    /// Parses JSON text into a `JSONValue`, or throws `JSONInputError` (code `invalid`, with the
    /// line, column and the pointer of the place where the text stops being JSON).
    public func parse(_ data: Data) throws -> JSONValue {
        var parser = StrictJSONParser(bytes: [UInt8](data), maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Decodes an already-parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from root: JSONValue) throws -> T {
        let state = StrictDecodingState(userInfo: userInfo)
        let decoder = StrictJSONDecoderImpl(value: root, codingPath: [], state: state)
        var errors: [FieldError] = []
        var result: T?
        do {
            result = try decoder.unbox(root, as: T.self, path: [])
        } catch let error as DecodingError {
            errors.append(StrictJSONDecoder.fieldError(for: error))
        } catch let error as StrictPositionedErrors {
            errors += error.errors
        } catch {
            errors.append(FieldError(pointer: "", code: FieldError.Code.invalid, detail: StrictJSONDecoderImpl.describe(error),
                                     detailJa: StrictJSONDecoder.japaneseDetail(code: FieldError.Code.invalid)))
        }
        if rejectUnknownFields {
            var unknown: [FieldError] = []
            state.failurePointers = result == nil ? errors.map(\.pointer) : []
            state.collectUnknown(root, pointer: "", into: &unknown)
            errors += unknown
        }
        if let result, errors.isEmpty { return result }
        throw JSONInputError(errors: errors)
    }

    /// Converts a `DecodingError` (from this decoder or from a type's own checks) to a `FieldError`
    /// (with a generic Japanese text for its code).
    public static func fieldError(for error: DecodingError) -> FieldError {
        var e = englishFieldError(for: error)
        e.detailJa = japaneseDetail(code: e.code)
        return e
    }

    static func japaneseDetail(code: String) -> String {
        switch code {
        case FieldError.Code.missing: return "この項目は必須です。"
        case FieldError.Code.type: return "値の種類が正しくありません。"
        case FieldError.Code.range: return "値が範囲外です。"
        default: return "値が正しくありません。"
        }
    }

    static func englishFieldError(for error: DecodingError) -> FieldError {
        func code(_ context: DecodingError.Context, _ fallback: String) -> String {
            (context.underlyingError as? StrictCodeMarker)?.code ?? fallback
        }
        switch error {
        case .keyNotFound(let key, let context):
            let pointer = JSONPointer.from(codingPath: context.codingPath + [key])
            return FieldError(pointer: pointer, code: FieldError.Code.missing,
                              detail: "The field \"\(key.stringValue)\" is required.")
        case .valueNotFound(_, let context):
            let detail = context.underlyingError is StrictCodeMarker ? context.debugDescription
                : "A value is required here; null is not allowed."
            return FieldError(pointer: JSONPointer.from(codingPath: context.codingPath),
                              code: code(context, FieldError.Code.missing), detail: detail)
        case .typeMismatch(_, let context):
            return FieldError(pointer: JSONPointer.from(codingPath: context.codingPath),
                              code: code(context, FieldError.Code.type), detail: context.debugDescription)
        case .dataCorrupted(let context):
            return FieldError(pointer: JSONPointer.from(codingPath: context.codingPath),
                              code: code(context, FieldError.Code.invalid), detail: context.debugDescription)
        @unknown default:
            return FieldError(pointer: "", code: FieldError.Code.invalid, detail: "\(error)")
        }
    }
}

// MARK: - Parser

struct StrictJSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    var path: [String] = []

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        if let bad = StrictJSONParser.firstInvalidUTF8(bytes, from: index) {
            index = bad
            throw failure("the text is not valid UTF-8")
        }
        skipWhitespace()
        if index >= bytes.count { throw failure("the body is empty; expected a JSON value") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected \(describeCurrent()) after the end of the JSON value") }
        return value
    }

    private func failure(_ message: String) -> JSONInputError {
        var line = 1
        var column = 1
        var i = 0
        while i < min(index, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 }
            else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        let detail = "Invalid JSON at line \(line), column \(column): \(message)."
        let ja = "JSONとして読み取れません（\(line)行目、\(column)文字目）。"
        return JSONInputError(errors: [FieldError(pointer: JSONPointer.make(tokens: path), code: FieldError.Code.syntax, detail: detail, detailJa: ja)],
                              summary: "The body is not valid JSON: \(detail)")
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        if b < 0x20 || b == 0x7F { return "control character U+" + String(format: "%04X", Int(b)) }
        if b == 0x20 { return "space" }
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "character '\(String(decoding: bytes[index..<end], as: UTF8.self))'"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected \(describeCurrent()); expected a value")
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw failure("unexpected \(describeCurrent()); expected a value (strings need double quotes)")
        }
        index += w.count
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        if depth > maxDepth { throw failure("nesting is deeper than \(maxDepth) levels") }
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("unexpected \(describeCurrent()); expected a key in double quotes")
            }
            let keyStart = index
            let key = try parseString()
            path.append(key)
            if object[key] != nil {
                index = keyStart
                throw failure("the key \"\(key)\" appears more than once")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("unexpected \(describeCurrent()); expected ':' after the key")
            }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            path.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
            throw failure("unexpected \(describeCurrent()); expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        if depth > maxDepth { throw failure("nesting is deeper than \(maxDepth) levels") }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            path.append(String(items.count))
            items.append(try parseValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw failure("unexpected \(describeCurrent()); expected ',' or ']'")
        }
    }

    private mutating func parseString() throws -> String {
        index += 1  // opening quote
        var buffer: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else { throw failure("unexpected end of input inside a string") }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                buffer += bytes[segmentStart..<index]
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if b < 0x20 { throw failure("control character U+\(String(format: "%04X", Int(b))) inside a string must be escaped") }
            if b != UInt8(ascii: "\\") { index += 1; continue }
            buffer += bytes[segmentStart..<index]
            index += 1
            guard index < bytes.count else { throw failure("unexpected end of input inside a string") }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure("a high surrogate \\u escape must be followed by a low surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid low surrogate in \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw failure("a lone low surrogate \\u escape is not allowed")
                }
                buffer += Array(String(Character(Unicode.Scalar(code)!)).utf8)
            default:
                index -= 1
                throw failure("invalid escape sequence in a string")
            }
            segmentStart = index
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw failure("invalid hexadecimal digit in \\u escape")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws -> String {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw failure("a minus sign must be followed by digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw failure("numbers must not have leading zeros") }
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw failure("a decimal point must be followed by digits") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else { throw failure("an exponent must have digits") }
            while isDigit(index) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Offset of the first byte that is not part of well-formed UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}

// MARK: - Decoder implementation

/// The coding key used by the strict decoder for array indices and for `super`.
public struct StrictJSONKey: CodingKey, Sendable, Hashable {
    public var stringValue: String
    public var intValue: Int?
    /// True for array positions (they become numbers in JSON Pointers).
    public var isIndex: Bool

    public init(stringValue: String) { self.stringValue = stringValue; self.intValue = nil; self.isIndex = false }
    public init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue; self.isIndex = false }
    public init(index: Int) { self.stringValue = "Index \(index)"; self.intValue = index; self.isIndex = true }
}

/// Carries a `FieldError.Code` inside a `DecodingError.Context.underlyingError`.
struct StrictCodeMarker: Error, Sendable {
    var code: String
}

/// Errors whose pointers are already absolute (thrown up through enclosing decoders unchanged).
struct StrictPositionedErrors: Error {
    var errors: [FieldError]
}

final class StrictDecodingState {
    /// For each object (by pointer): the keys a type asked for (whether present or not).
    var asked: [String: Set<String>] = [:]
    /// For each object: the keys that some `CodingKey` type used on it can represent.
    var known: [String: Set<String>] = [:]
    /// Sub-trees taken whole (decoded as `JSONValue`).
    var consumed: Set<String> = []
    let userInfo: [CodingUserInfoKey: Any]

    init(userInfo: [CodingUserInfoKey: any Sendable]) {
        var info: [CodingUserInfoKey: Any] = [:]
        for (k, v) in userInfo { info[k] = v }
        self.userInfo = info
    }

    /// Where decoding failed (empty after a successful decode).
    var failurePointers: [String] = []

    /// Every key of an object that nobody asked for is unknown, except in an object whose decoding was
    /// cut short by a failure (an ancestor of a failure's pointer): there only keys that no `CodingKey`
    /// type used on the object can represent (and that are not the `super` key) are reported, since the
    /// others may simply not have been reached. Objects never opened are not judged.
    func collectUnknown(_ value: JSONValue, pointer: String, into errors: inout [FieldError]) {
        if consumed.contains(pointer) { return }
        switch value {
        case .object(let object):
            guard let asked = asked[pointer] else { return }  // never opened as an object
            let known = known[pointer] ?? []
            let interrupted = failurePointers.contains { $0 == pointer || $0.hasPrefix(pointer + "/") }
            for member in object.members {
                let child = pointer + "/" + JSONPointer.escape(member.key)
                if asked.contains(member.key) {
                    collectUnknown(member.value, pointer: child, into: &errors)
                } else if !interrupted || !(known.contains(member.key) || member.key == "super") {
                    var detail = "Unknown field \"\(member.key)\"."
                    let candidates = asked.filter { object[$0] == nil }
                    if let suggestion = StrictDecodingState.closest(to: member.key, in: candidates) {
                        detail += " Did you mean \"\(suggestion)\"?"
                    }
                    errors.append(FieldError(pointer: child, code: FieldError.Code.unknownField, detail: detail,
                                             detailJa: "「\(member.key)」は不明な項目です。"))
                }
            }
        case .array(let items):
            for (i, item) in items.enumerated() {
                collectUnknown(item, pointer: pointer + "/" + String(i), into: &errors)
            }
        default:
            break
        }
    }

    static func closest(to key: String, in candidates: Set<String>) -> String? {
        var best: (String, Int)?
        for c in candidates.sorted() {
            let d = editDistance(key.lowercased(), c.lowercased())
            if d <= 2 && d < max(key.count, c.count) && (best == nil || d < best!.1) { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

final class StrictJSONDecoderImpl: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let state: StrictDecodingState

    init(value: JSONValue, codingPath: [any CodingKey], state: StrictDecodingState) {
        self.value = value
        self.codingPath = codingPath
        self.state = state
    }

    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            if value == .null { throw Self.null([String: Any].self, codingPath) }
            throw StrictJSONDecoderImpl.mismatch([String: Any].self, codingPath, "Expected an object but found \(value.kindDescription).")
        }
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            if value == .null { throw Self.null([Any].self, codingPath) }
            throw StrictJSONDecoderImpl.mismatch([Any].self, codingPath, "Expected an array but found \(value.kindDescription).")
        }
        return StrictUnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueContainer(decoder: self)
    }

    // MARK: errors

    static func mismatch(_ type: Any.Type, _ path: [any CodingKey], _ detail: String, code: String = FieldError.Code.type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: detail, underlyingError: StrictCodeMarker(code: code)))
    }

    static func corrupted(_ path: [any CodingKey], _ detail: String, code: String = FieldError.Code.invalid) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: detail, underlyingError: StrictCodeMarker(code: code)))
    }

    static func null(_ type: Any.Type, _ path: [any CodingKey]) -> DecodingError {
        .valueNotFound(type, .init(codingPath: path, debugDescription: "A value is required here; null is not allowed.",
                                   underlyingError: StrictCodeMarker(code: FieldError.Code.missing)))
    }

    static func isBuiltIn(_ type: Any.Type) -> Bool {
        type == String.self || type == Bool.self || type == Int.self || type == Int64.self || type == Int32.self
            || type == Int16.self || type == Int8.self || type == UInt.self || type == UInt64.self || type == UInt32.self
            || type == UInt16.self || type == UInt8.self || type == Double.self || type == Float.self || type == Decimal.self
            || type == Date.self || type == UUID.self || type == URL.self || type == Data.self
    }

    static func describe(_ error: any Error) -> String {
        if let localized = error as? any LocalizedError, let text = localized.errorDescription { return text }
        return String(describing: error)
    }

    static func quoted(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\""
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return value.kindDescription
        }
    }

    // MARK: unboxing

    func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, path: [any CodingKey]) throws -> T {
        if value == .null && Self.isBuiltIn(T.self) { throw Self.null(T.self, path) }
        if T.self == String.self { return try string(value, path) as! T }
        if T.self == Bool.self {
            guard case .bool(let b) = value else {
                throw Self.mismatch(Bool.self, path, "Expected true or false but found \(value.kindDescription).")
            }
            return b as! T
        }
        if T.self == Int.self { return try integer(value, Int.self, path) as! T }
        if T.self == Int64.self { return try integer(value, Int64.self, path) as! T }
        if T.self == Int32.self { return try integer(value, Int32.self, path) as! T }
        if T.self == Int16.self { return try integer(value, Int16.self, path) as! T }
        if T.self == Int8.self { return try integer(value, Int8.self, path) as! T }
        if T.self == UInt.self { return try integer(value, UInt.self, path) as! T }
        if T.self == UInt64.self { return try integer(value, UInt64.self, path) as! T }
        if T.self == UInt32.self { return try integer(value, UInt32.self, path) as! T }
        if T.self == UInt16.self { return try integer(value, UInt16.self, path) as! T }
        if T.self == UInt8.self { return try integer(value, UInt8.self, path) as! T }
        if T.self == Double.self {
            let text = try numberText(value, path)
            guard let d = Double(text), d.isFinite else {
                throw Self.corrupted(path, "The number \(text) is too large.", code: FieldError.Code.range)
            }
            return d as! T
        }
        if T.self == Float.self {
            let text = try numberText(value, path)
            guard let f = Float(text), f.isFinite else {
                throw Self.corrupted(path, "The number \(text) is too large.", code: FieldError.Code.range)
            }
            return f as! T
        }
        if T.self == Decimal.self {
            let text = try numberText(value, path)
            guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else {
                throw Self.corrupted(path, "The number \(text) cannot be represented.", code: FieldError.Code.range)
            }
            return d as! T
        }
        if T.self == Date.self {
            let s = try string(value, path)
            guard let date = ISO8601Timestamp.parse(s) else {
                throw Self.corrupted(path, "Expected an ISO 8601 date-time such as \"2026-11-27T14:05:00+09:00\" but found \(Self.quoted(value)).")
            }
            return date as! T
        }
        if T.self == UUID.self {
            let s = try string(value, path)
            guard let uuid = UUID(uuidString: s) else {
                throw Self.corrupted(path, "Expected a UUID such as \"3f2504e0-4f89-41d3-9a0c-0305e82c3301\" but found \(Self.quoted(value)).")
            }
            return uuid as! T
        }
        if T.self == URL.self {
            let s = try string(value, path)
            guard !s.isEmpty, !s.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
                  let url = URL(string: s), let scheme = url.scheme, !scheme.isEmpty else {
                throw Self.corrupted(path, "Expected an absolute URL such as \"https://example.jp/\" but found \(Self.quoted(value)).")
            }
            return url as! T
        }
        if T.self == Data.self {
            let s = try string(value, path)
            guard let data = Data(base64Encoded: s) else {
                throw Self.corrupted(path, "Expected base64 data but found a string that is not base64.")
            }
            return data as! T
        }
        if T.self == JSONValue.self {
            state.consumed.insert(JSONPointer.from(codingPath: path))
            return value as! T
        }
        let decoder = StrictJSONDecoderImpl(value: value, codingPath: path, state: state)
        do {
            return try T(from: decoder)
        } catch let error as DecodingError {
            throw Self.enrich(error, type: T.self, value: value, path: path)
        } catch let error as StrictPositionedErrors {
            throw error
        } catch let error as JSONInputError {
            throw StrictPositionedErrors(errors: Self.positioned(error.errors, under: path))
        } catch let error as JapaneseIdentifierError {
            throw StrictPositionedErrors(errors: [error.fieldError(at: JSONPointer.from(codingPath: path))])
        } catch let problem as Problem where !problem.errors.isEmpty {
            throw StrictPositionedErrors(errors: Self.positioned(problem.errors, under: path))
        } catch let problem as Problem {
            throw Self.corrupted(path, problem.detail?.en ?? problem.title.en)
        } catch {
            throw Self.corrupted(path, Self.describe(error))
        }
    }

    static func positioned(_ errors: [FieldError], under path: [any CodingKey]) -> [FieldError] {
        let prefix = JSONPointer.from(codingPath: path)
        return errors.map { FieldError(pointer: prefix + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
    }

    /// Replaces the standard library's message for a bad `RawRepresentable` value with one naming the
    /// allowed values when the type is `CaseIterable`.
    static func enrich<T>(_ error: DecodingError, type: T.Type, value: JSONValue, path: [any CodingKey]) -> DecodingError {
        guard case .dataCorrupted(let context) = error, context.underlyingError == nil,
              JSONPointer.from(codingPath: context.codingPath) == JSONPointer.from(codingPath: path),
              T.self is any RawRepresentable.Type else { return error }
        var detail = "Invalid value \(quoted(value))."
        if let iterable = T.self as? any CaseIterable.Type {
            let allowed = allowedValues(iterable)
            if !allowed.isEmpty { detail += " Allowed values: " + allowed.joined(separator: ", ") + "." }
        }
        return corrupted(path, detail)
    }

    static func allowedValues<C: CaseIterable>(_ type: C.Type) -> [String] {
        type.allCases.map { item in
            if let raw = item as? any RawRepresentable {
                let rawValue = raw.rawValue
                if let s = rawValue as? String { return "\"\(s)\"" }
                return "\(rawValue)"
            }
            return "\(item)"
        }
    }

    private func string(_ value: JSONValue, _ path: [any CodingKey]) throws -> String {
        guard case .string(let s) = value else {
            throw Self.mismatch(String.self, path, "Expected a string but found \(value.kindDescription).")
        }
        return s
    }

    private func numberText(_ value: JSONValue, _ path: [any CodingKey]) throws -> String {
        guard case .number(let text) = value else {
            throw Self.mismatch(Double.self, path, "Expected a number but found \(value.kindDescription).")
        }
        return text
    }

    private func integer<I: FixedWidthInteger>(_ value: JSONValue, _ type: I.Type, _ path: [any CodingKey]) throws -> I {
        guard case .number(let text) = value else {
            throw Self.mismatch(I.self, path, "Expected an integer but found \(value.kindDescription).")
        }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            throw Self.mismatch(I.self, path, "Expected an integer but found \(text).")
        }
        guard let n = I(text) else {
            throw Self.corrupted(path, "The number \(text) is out of range (\(I.min)...\(I.max)).", code: FieldError.Code.range)
        }
        return n
    }
}

struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: StrictJSONDecoderImpl
    let object: JSONObject
    let pointer: String

    init(decoder: StrictJSONDecoderImpl, object: JSONObject) {
        self.decoder = decoder
        self.object = object
        self.pointer = JSONPointer.from(codingPath: decoder.codingPath)
        let state = decoder.state
        if state.asked[pointer] == nil { state.asked[pointer] = [] }
        var known = state.known[pointer] ?? []
        for key in object.keys where Key(stringValue: key) != nil { known.insert(key) }
        state.known[pointer] = known
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    private func ask(_ key: Key) { decoder.state.asked[pointer, default: []].insert(key.stringValue) }

    private func value(for key: Key) throws -> JSONValue {
        ask(key)
        guard let v = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "The field \"\(key.stringValue)\" is required."))
        }
        return v
    }

    func contains(_ key: Key) -> Bool {
        ask(key)
        return object[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(for: key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(value(for: key), as: T.self, path: codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeGeneric(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeGeneric(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeGeneric(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeGeneric(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeGeneric(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeGeneric(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeGeneric(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeGeneric(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeGeneric(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeGeneric(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeGeneric(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeGeneric(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeGeneric(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeGeneric(type, key) }

    private func decodeGeneric<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decoder.unbox(value(for: key), as: T.self, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let v = try value(for: key)
        return try StrictJSONDecoderImpl(value: v, codingPath: codingPath + [key], state: decoder.state).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let v = try value(for: key)
        return try StrictJSONDecoderImpl(value: v, codingPath: codingPath + [key], state: decoder.state).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = StrictJSONKey(stringValue: "super")
        decoder.state.asked[pointer, default: []].insert(key.stringValue)
        return StrictJSONDecoderImpl(value: object["super"] ?? .null, codingPath: codingPath + [key], state: decoder.state)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ask(key)
        return StrictJSONDecoderImpl(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key], state: decoder.state)
    }
}

struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: StrictJSONDecoderImpl
    let items: [JSONValue]
    var currentIndex = 0

    init(decoder: StrictJSONDecoderImpl, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var currentPath: [any CodingKey] { codingPath + [StrictJSONKey(index: currentIndex)] }

    private func current<T>(_ type: T.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: currentPath,
                debugDescription: "The array has \(items.count) element(s); more are required.",
                underlyingError: StrictCodeMarker(code: FieldError.Code.missing)))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if try current(Any?.self) == .null { currentIndex += 1; return true }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try decoder.unbox(current(type), as: T.self, path: currentPath)
        currentIndex += 1
        return v
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }

    private mutating func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try decoder.unbox(current(type), as: T.self, path: currentPath)
        currentIndex += 1
        return v
    }

    private mutating func subDecoder() throws -> StrictJSONDecoderImpl {
        let v = try current(Any.self)
        let sub = StrictJSONDecoderImpl(value: v, codingPath: currentPath, state: decoder.state)
        currentIndex += 1
        return sub
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let v = try current([String: Any].self)
        let c = try StrictJSONDecoderImpl(value: v, codingPath: currentPath, state: decoder.state).container(keyedBy: type)
        currentIndex += 1
        return c
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let v = try current([Any].self)
        let c = try StrictJSONDecoderImpl(value: v, codingPath: currentPath, state: decoder.state).unkeyedContainer()
        currentIndex += 1
        return c
    }

    mutating func superDecoder() throws -> any Decoder { try subDecoder() }
}

struct StrictSingleValueContainer: SingleValueDecodingContainer {
    let decoder: StrictJSONDecoderImpl
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.unbox(decoder.value, as: T.self, path: codingPath)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
    func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }

    private func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(type) as T
    }
}
