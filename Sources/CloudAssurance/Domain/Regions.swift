import Foundation
import ShinraiKit

/// Data-centre locations as ISO 3166 codes: a country (`US`, `SG`) or a Japanese prefecture
/// (ISO 3166-2:JP, `JP-13` for Tokyo, where the number is the JIS X 0401 prefecture code).
public enum RegionCode {
    /// ISO 3166-1 alpha-2 codes in use.
    static let countries: Set<String> = Set("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT \
    JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI \
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK \
    TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// The canonical code (`jp-13`, `ＪＰ－１３` → `JP-13`), or nil when it is not a known code.
    public static func normalize(_ raw: String) -> String? {
        let text = raw.precomposedStringWithCompatibilityMapping.uppercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "‐", with: "-")
        if text.count == 2, countries.contains(text) { return text }
        if text.hasPrefix("JP-"), let number = Int(text.dropFirst(3)), text.count == 5, JapanesePrefecture.byCode(number) != nil {
            return String(format: "JP-%02d", number)
        }
        return nil
    }

    public static func country(of code: String) -> String { String(code.prefix(2)) }

    /// The JIS prefecture code of a `JP-nn` code.
    public static func prefecture(of code: String) -> JapanesePrefecture? {
        guard code.hasPrefix("JP-"), let number = Int(code.dropFirst(3)) else { return nil }
        return JapanesePrefecture.byCode(number)
    }

    /// `東京都` / `Tokyo`, or the country code.
    public static func label(_ code: String, _ language: UILanguage) -> String {
        if let prefecture = prefecture(of: code) { return prefecture.name(language) }
        if code == "JP" { return language == .ja ? "日本" : "Japan" }
        return Locale(identifier: language == .ja ? "ja_JP" : "en_GB").localizedString(forRegionCode: code) ?? code
    }
}
