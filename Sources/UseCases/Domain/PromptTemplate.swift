import Foundation
import ShinraiKit

/// A prompt written as a template with named variables: `{{会議名}}の議事録を要約してください。`
///
/// Syntax: `{{name}}` (spaces inside the braces are ignored) marks a variable; `\{{` writes a literal
/// `{{`. Names are 1–40 letters, digits, `_`, `-` or `・` (Japanese names are welcome). Filling is a
/// single pass: a value that itself contains `{{x}}` is inserted as it is and never expanded again.
public struct PromptTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        case variable(String)
    }

    public enum SyntaxError: Error, Equatable, Sendable {
        case unclosed
        case emptyName
        case invalidName(String)

        var text: LocalizedText {
            switch self {
            case .unclosed:
                return .init(ja: "「{{」が「}}」で閉じられていません（文字として書くときは「\\{{」）。",
                             en: "A \"{{\" is not closed by \"}}\" (write \"\\{{\" for a literal brace pair).")
            case .emptyName:
                return .init(ja: "「{{}}」の中に変数名がありません。", en: "A \"{{}}\" has no variable name.")
            case .invalidName(let name):
                return .init(ja: "変数名「\(name)」に使えない文字があるか、40文字を超えています（文字・数字・_・-・・が使えます）。",
                             en: "The variable name \"\(name)\" is longer than 40 characters or has characters other than letters, digits, _, - and ・.")
            }
        }
    }

    public let pieces: [Piece]

    public static let maxNameLength = 40

    public init(parsing source: String) throws(SyntaxError) {
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("\\{{") {
                text += "{{"
                rest = rest.dropFirst(3)
            } else if rest.hasPrefix("{{") {
                let afterOpen = rest.dropFirst(2)
                guard let close = afterOpen.range(of: "}}") else { throw .unclosed }
                let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw .emptyName }
                guard Self.isValidName(name) else { throw .invalidName(String(name.prefix(60))) }
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.variable(name))
                rest = afterOpen[close.upperBound...]
            } else {
                text.append(rest.removeFirst())
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    static func isValidName(_ name: String) -> Bool {
        guard (1...maxNameLength).contains(name.count) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "-" || scalar == "・" || scalar == "ー"
                || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    /// Variable names in order of first appearance.
    public var variableNames: [String] {
        var seen = Set<String>()
        return pieces.compactMap { piece in
            if case .variable(let name) = piece, seen.insert(name).inserted { return name }
            return nil
        }
    }

    public struct Filled: Sendable, Equatable {
        /// The finished prompt; missing variables stay as `{{name}}`.
        public var text: String
        /// Variables without a (non-blank) value, in template order.
        public var missing: [String]
        public var isComplete: Bool { missing.isEmpty }
    }

    /// Fills the variables in one pass.
    public func fill(_ values: [String: String]) -> Filled {
        var out = ""
        var missing: [String] = []
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .variable(let name):
                if let value = values[name], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    out += value
                } else {
                    out += "{{\(name)}}"
                    if !missing.contains(name) { missing.append(name) }
                }
            }
        }
        return Filled(text: out, missing: missing)
    }
}
