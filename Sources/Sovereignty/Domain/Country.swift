import Foundation
import ShinraiKit

/// An ISO 3166-1 alpha-2 country code, upper case (`JP`, `US`).
public struct Country: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let code: String

    public static let japan = Country(uncheckedCode: "JP")

    /// Every two-letter region the platform's locale data knows (ISO 3166-1 alpha-2 with the
    /// exceptionally reserved codes and `XK`), without groupings that are not countries.
    public static let knownCodes: Set<String> = Set(Locale.Region.isoRegions.map(\.identifier).filter {
        $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isLetter } && !["EU", "EZ", "UN", "QO"].contains($0)
    })

    init(uncheckedCode: String) { code = uncheckedCode }

    /// Accepts upper or lower case and surrounding spaces; nil when the code is unknown.
    public init?(_ text: String) {
        let code = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        guard Self.knownCodes.contains(code) else { return nil }
        self.code = code
    }

    public var isJapan: Bool { code == "JP" }
    public var description: String { code }

    /// The country's name in the UI language ("アメリカ合衆国", "United States").
    public func name(_ language: UILanguage) -> String {
        Locale(identifier: language == .ja ? "ja_JP" : "en_GB").localizedString(forRegionCode: code) ?? code
    }

    public static func < (lhs: Country, rhs: Country) -> Bool { lhs.code < rhs.code }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let country = Country(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Use an ISO 3166-1 alpha-2 country code such as JP or US.")
        }
        self = country
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// All known countries sorted by name in a language, Japan first (for pickers).
    public static func all(_ language: UILanguage) -> [Country] {
        let countries = knownCodes.map(Country.init(uncheckedCode:))
        let names = Dictionary(uniqueKeysWithValues: countries.map { ($0.code, $0.name(language)) })
        return [.japan] + countries.filter { !$0.isJapan }.sorted { names[$0.code]! < names[$1.code]! }
    }
}

/// A set of countries written as text: `JP, US` (commas, spaces or Japanese separators).
public enum CountryList {
    /// Parses a list; returns the valid countries (deduplicated, in input order) and the
    /// tokens that are not country codes.
    public static func parse(_ text: String) -> (countries: [Country], invalid: [String]) {
        let separators = CharacterSet(charactersIn: ",、，;；/ \t\n").union(.whitespaces)
        var countries: [Country] = []
        var invalid: [String] = []
        for token in text.components(separatedBy: separators) where !token.isEmpty {
            if let country = Country(token) {
                if !countries.contains(country) { countries.append(country) }
            } else {
                invalid.append(token)
            }
        }
        return (countries, invalid)
    }

    /// Storage form: codes joined by commas (`JP,US`); empty string for none.
    public static func storage(_ countries: [Country]) -> String { countries.map(\.code).joined(separator: ",") }

    /// Reads the storage form; unknown codes (which validation never writes) are dropped.
    public static func fromStorage(_ text: String?) -> [Country] {
        (text ?? "").split(separator: ",").compactMap { Country(String($0)) }
    }

    /// `日本、アメリカ合衆国` / `Japan, United States`.
    public static func names(_ countries: [Country], _ language: UILanguage) -> String {
        countries.map { $0.name(language) }.joined(separator: language == .ja ? "、" : ", ")
    }
}
