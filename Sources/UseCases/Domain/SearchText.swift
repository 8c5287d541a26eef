import Foundation

/// Text normalisation for Japanese search, and highlighting.
///
/// Indexed text and queries go through the same fold, one character at a time: NFKC (full-width
/// ＡＩ → AI, half-width ｶﾞｲﾄﾞ → ガイド, ㍿ → 株式会社), lower case, and katakana folded to hiragana
/// (チラシ and ちらし match). Working per character keeps a map back to the original text, so a
/// match can be marked in the text as the reader sees it.
public enum SearchText {
    public static let maxTerms = 8
    public static let maxTermLength = 50
    public static let maxQueryLength = 200

    public static func fold(_ character: Character) -> String {
        let compatible = String(character).precomposedStringWithCompatibilityMapping.lowercased()
        var out = String.UnicodeScalarView()
        for scalar in compatible.unicodeScalars {
            switch scalar.value {
            case 0x30A1...0x30F6, 0x30FD, 0x30FE:
                out.append(Unicode.Scalar(scalar.value - 0x60)!)
            default:
                out.append(scalar)
            }
        }
        // Compose again: some platforms leave a half-width voiced mark (ﾌﾞ) as a separate combining
        // character after NFKC, which would not match the precomposed ぶ of a query.
        return String(out).precomposedStringWithCanonicalMapping
    }

    public static func normalise(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text { out += fold(character) }
        return out
    }

    /// The search terms of a query: normalised, split at white space (including the ideographic
    /// space), without duplicates; at most `maxTerms` terms of at most `maxTermLength` characters.
    public static func terms(_ query: String) -> [String] {
        let normalised = normalise(String(query.prefix(maxQueryLength)))
        var seen = Set<String>()
        var result: [String] = []
        for part in normalised.split(whereSeparator: { $0.isWhitespace || $0 == "\u{3000}" }) {
            let term = String(part.prefix(maxTermLength))
            if seen.insert(term).inserted { result.append(term) }
            if result.count == maxTerms { break }
        }
        return result
    }

    /// A run of text, marked when it matched a search term.
    public struct Segment: Sendable, Equatable {
        public var text: String
        public var marked: Bool
    }

    /// Splits `text` into marked and unmarked runs for the given (normalised) terms.
    public static func highlight(_ text: String, terms: [String]) -> [Segment] {
        let original = Array(text)
        guard !terms.isEmpty, !original.isEmpty else { return original.isEmpty ? [] : [Segment(text: text, marked: false)] }
        var folded: [Character] = []
        var origin: [Int] = []
        for (index, character) in original.enumerated() {
            for f in fold(character) { folded.append(f); origin.append(index) }
        }
        var marks = [Bool](repeating: false, count: original.count)
        for term in terms {
            let needle = Array(term)
            guard !needle.isEmpty, needle.count <= folded.count else { continue }
            var start = 0
            while start + needle.count <= folded.count {
                if folded[start] == needle[0] && Array(folded[start..<(start + needle.count)]) == needle {
                    for i in origin[start]...origin[start + needle.count - 1] { marks[i] = true }
                    start += needle.count
                } else {
                    start += 1
                }
            }
        }
        var segments: [Segment] = []
        for (index, character) in original.enumerated() {
            if let last = segments.last, last.marked == marks[index] {
                segments[segments.count - 1].text.append(character)
            } else {
                segments.append(Segment(text: String(character), marked: marks[index]))
            }
        }
        return segments
    }

    /// A window of about `length` characters around the first match (the start of the text when
    /// nothing matches), with ellipses where it was cut.
    public static func snippet(_ text: String, terms: [String], length: Int = 120) -> [Segment] {
        let segments = highlight(text, terms: terms)
        let characters = Array(text)
        guard characters.count > length else { return segments }
        var offset = 0
        var firstMatch: Int?
        for segment in segments {
            if segment.marked { firstMatch = offset; break }
            offset += segment.text.count
        }
        let start = max(0, min((firstMatch ?? 0) - length / 4, characters.count - length))
        let end = min(characters.count, start + length)
        var result: [Segment] = []
        var position = 0
        for segment in segments {
            let segEnd = position + segment.text.count
            let lo = max(position, start), hi = min(segEnd, end)
            if lo < hi {
                let chars = Array(segment.text)
                result.append(Segment(text: String(chars[(lo - position)..<(hi - position)]), marked: segment.marked))
            }
            position = segEnd
        }
        if start > 0 { result.insert(Segment(text: "…", marked: false), at: 0) }
        if end < characters.count { result.append(Segment(text: "…", marked: false)) }
        return result
    }

    /// HTML for API clients: every run escaped first, then matches wrapped in `<mark>`.
    public static func html(_ segments: [Segment]) -> String {
        segments.map { $0.marked ? "<mark>\(escapeHTML($0.text))</mark>" : escapeHTML($0.text) }.joined()
    }

    public static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Overlapping character pairs of normalised text, for "similar" scoring.
    public static func bigrams(_ text: String) -> Set<String> {
        let characters = Array(normalise(text)).filter { !$0.isWhitespace && !$0.isPunctuation }
        guard characters.count >= 2 else { return Set(characters.map(String.init)) }
        var result = Set<String>()
        for i in 0..<(characters.count - 1) { result.insert(String(characters[i...(i + 1)])) }
        return result
    }

    /// Jaccard similarity of two bigram sets (0…1).
    public static func similarity(_ a: Set<String>, _ b: Set<String>) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }
}
