import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A decoded `application/x-www-form-urlencoded` body (HTML forms).
public struct FormData: Sendable {
    public private(set) var pairs: [(String, String)] = []

    public init(pairs: [(String, String)]) { self.pairs = pairs }

    public init(buffer: ByteBuffer, contentType: String?) {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if type == nil || type == "application/x-www-form-urlencoded" {
            self.init(encoded: String(buffer: buffer))
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
    public func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map { $0.1 } }
    /// Trimmed value, nil when empty.
    public func text(_ name: String) -> String? { first(name)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }

    /// Reads the (already size-checked) body of a form post.
    public static func read(_ request: Request, limit: Int) async throws -> FormData {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw Problem.tooLarge }
        return FormData(buffer: buffer, contentType: request.headers[.contentType])
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
