import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A file sent with an HTML form (`<input type="file">` in a `multipart/form-data` form).
public struct UploadedFile: Sendable, Equatable {
    /// The name the browser gave, without any directory part.
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// The content as UTF-8 text without a byte-order mark; nil when it is not valid UTF-8.
    public var text: String? {
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        return String(data: Data(bytes), encoding: .utf8)
    }
}

/// A decoded HTML form body: `application/x-www-form-urlencoded`, or `multipart/form-data`
/// (RFC 7578) when the form sends files. Text fields of both kinds are `pairs`; files are `files`.
public struct FormData: Sendable {
    public private(set) var pairs: [(String, String)] = []
    public private(set) var files: [(String, UploadedFile)] = []

    public init(pairs: [(String, String)], files: [(String, UploadedFile)] = []) {
        self.pairs = pairs
        self.files = files
    }

    public init(buffer: ByteBuffer, contentType: String?) {
        let parameters = contentType.map(Multipart.splitParameters) ?? []
        let type = parameters.first?.lowercased()
        if type == nil || type == "application/x-www-form-urlencoded" {
            self.init(encoded: String(buffer: buffer))
        } else if type == "multipart/form-data", let boundary = Multipart.parameter("boundary", in: parameters.dropFirst()) {
            self.init(pairs: [])
            for part in Multipart.parts(Array(buffer.readableBytesView), boundary: boundary) {
                guard let name = part.name else { continue }
                if let filename = part.filename {
                    // An empty file input sends a part with no name and no content: not a file.
                    if filename.isEmpty && part.body.isEmpty { continue }
                    files.append((name, UploadedFile(filename: filename, contentType: part.contentType ?? "application/octet-stream", data: Data(part.body))))
                } else {
                    pairs.append((name, String(decoding: part.body, as: UTF8.self)))
                }
            }
        } else {
            self.init(pairs: [])
        }
    }

    public init(encoded: String) {
        for part in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = URLQuery.decode(String(kv[0]))
            let value = kv.count > 1 ? URLQuery.decode(String(kv[1])) : ""
            pairs.append((key, value))
        }
    }

    public func first(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    /// The first file sent under `name`.
    public func file(_ name: String) -> UploadedFile? { files.first { $0.0 == name }?.1 }
    public func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map { $0.1 } }
    /// Trimmed value, nil when empty.
    public func text(_ name: String) -> String? { first(name)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }

    /// Reads the (already size-checked) body of a form post; a form that sends files was checked
    /// against the upload limit, so pass that (`config.maxUploadBytes`) where files are expected.
    public static func read(_ request: Request, limit: Int) async throws -> FormData {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw Problem.tooLarge }
        return FormData(buffer: buffer, contentType: request.headers[.contentType])
    }
}

/// RFC 7578 multipart bodies, as browsers send them.
enum Multipart {
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var body: ArraySlice<UInt8>
    }

    static func parameter(_ key: String, in parameters: some Sequence<String>) -> String? {
        for parameter in parameters {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, kv[0].lowercased() == key else { continue }
            var value = kv[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return value
        }
        return nil
    }

    /// The parts between `--boundary` delimiters; anything malformed ends the parse with what was read.
    static func parts(_ bytes: [UInt8], boundary: String) -> [Part] {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { return [] }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var position = find(delimiter, in: bytes, from: 0) else { return [] }
        position += delimiter.count
        var result: [Part] = []
        while position + 2 <= bytes.count, !(bytes[position] == UInt8(ascii: "-") && bytes[position + 1] == UInt8(ascii: "-")) {
            // The delimiter line ends with CRLF; the headers end with an empty line (CRLF CRLF),
            // which immediately follows when a part has no headers.
            guard let lineEnd = find([13, 10], in: bytes, from: position),
                  let headerEnd = find([13, 10, 13, 10], in: bytes, from: lineEnd),
                  let next = find(separator, in: bytes, from: headerEnd + 4) else { break }
            var part = Part(body: bytes[(headerEnd + 4)..<next])
            let headerText = headerEnd > lineEnd + 2 ? String(decoding: bytes[(lineEnd + 2)..<headerEnd], as: UTF8.self) : ""
            for line in headerText.components(separatedBy: "\r\n") {
                let kv = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                switch kv[0].lowercased() {
                case "content-disposition":
                    let fields = splitParameters(kv[1])
                    part.name = parameter("name", in: fields)
                    part.filename = parameter("filename", in: fields).map(baseName)
                case "content-type":
                    part.contentType = kv[1]
                default:
                    break
                }
            }
            result.append(part)
            position = next + separator.count
        }
        return result
    }

    /// Splits `form-data; name="a;b"; filename="x"` at semicolons outside quotes.
    static func splitParameters(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quoted { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted { out.append(current); current = ""; continue }
            current.append(character)
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Browsers on some systems send a full path; only the last component is the file's name.
    static func baseName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

public enum URLQuery {
    static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~/")
        return set
    }()

    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    public static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// `a=1&b=2` from ordered pairs, percent-encoded.
    public static func build(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
