import Foundation

/// One day off under Japanese law: a national holiday (国民の祝日), a one-off holiday made
/// by its own act, a substitute holiday (振替休日) or a citizens' holiday (国民の休日).
///
/// JSON: exactly `{"date":"2026-01-01","name":"元日","nameEn":"New Year's Day"}`; `kind` is
/// not encoded (it is derived again from the name when decoding).
public struct Holiday: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 国民の祝日 listed in Article 2 of the National Holidays Act (or moved by the
        /// Olympic special measures of 2020 and 2021).
        case national
        /// A one-off day made a holiday by its own act (imperial ceremonies).
        case special
        /// 振替休日 — Article 3(2).
        case substitute
        /// 国民の休日 — Article 3(3).
        case citizens
    }

    public let date: LocalDate
    /// Japanese name, e.g. `元日`.
    public let name: String
    /// English name, e.g. `New Year's Day`.
    public let nameEn: String
    public let kind: Kind

    public init(date: LocalDate, name: String, nameEn: String, kind: Kind) {
        self.date = date
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
    }

    public var description: String { "\(date.iso) \(name) (\(nameEn))" }

    public static func < (lhs: Holiday, rhs: Holiday) -> Bool { lhs.date < rhs.date }

    enum CodingKeys: String, CodingKey { case date, name, nameEn }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        date = try container.decode(LocalDate.self, forKey: .date)
        name = try container.decode(String.self, forKey: .name)
        nameEn = try container.decode(String.self, forKey: .nameEn)
        kind = Holiday.kind(forName: name)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(name, forKey: .name)
        try container.encode(nameEn, forKey: .nameEn)
    }

    static func kind(forName name: String) -> Kind {
        switch name {
        case HolidayName.substitute.ja: return .substitute
        case HolidayName.citizens.ja: return .citizens
        case HolidayName.crownPrinceAkihitoWedding.ja, HolidayName.showaFuneral.ja, HolidayName.enthronementCeremony.ja,
             HolidayName.crownPrinceNaruhitoWedding.ja, HolidayName.enthronement.ja:
            return .special
        default: return .national
        }
    }
}

/// The names used by the calendar, Japanese as in the Act and English as the Cabinet Office
/// writes them.
struct HolidayName: Sendable {
    let ja: String
    let en: String

    static let newYear = HolidayName(ja: "元日", en: "New Year's Day")
    static let comingOfAge = HolidayName(ja: "成人の日", en: "Coming of Age Day")
    static let foundation = HolidayName(ja: "建国記念の日", en: "National Foundation Day")
    static let emperorsBirthday = HolidayName(ja: "天皇誕生日", en: "The Emperor's Birthday")
    static let vernalEquinox = HolidayName(ja: "春分の日", en: "Vernal Equinox Day")
    static let greenery = HolidayName(ja: "みどりの日", en: "Greenery Day")
    static let showa = HolidayName(ja: "昭和の日", en: "Showa Day")
    static let constitution = HolidayName(ja: "憲法記念日", en: "Constitution Memorial Day")
    static let children = HolidayName(ja: "こどもの日", en: "Children's Day")
    static let marine = HolidayName(ja: "海の日", en: "Marine Day")
    static let mountain = HolidayName(ja: "山の日", en: "Mountain Day")
    static let respectForTheAged = HolidayName(ja: "敬老の日", en: "Respect for the Aged Day")
    static let autumnalEquinox = HolidayName(ja: "秋分の日", en: "Autumnal Equinox Day")
    static let healthSports = HolidayName(ja: "体育の日", en: "Health and Sports Day")
    static let sports = HolidayName(ja: "スポーツの日", en: "Sports Day")
    static let culture = HolidayName(ja: "文化の日", en: "Culture Day")
    static let laborThanksgiving = HolidayName(ja: "勤労感謝の日", en: "Labor Thanksgiving Day")
    static let substitute = HolidayName(ja: "振替休日", en: "Substitute Holiday")
    static let citizens = HolidayName(ja: "国民の休日", en: "Citizens' Holiday")
    static let crownPrinceAkihitoWedding = HolidayName(ja: "皇太子明仁親王の結婚の儀", en: "Wedding Ceremony of Crown Prince Akihito")
    static let showaFuneral = HolidayName(ja: "昭和天皇の大喪の礼", en: "Funeral Ceremony of Emperor Showa")
    static let enthronementCeremony = HolidayName(ja: "即位礼正殿の儀", en: "Enthronement Ceremony Day")
    static let crownPrinceNaruhitoWedding = HolidayName(ja: "皇太子徳仁親王の結婚の儀", en: "Wedding Ceremony of Crown Prince Naruhito")
    static let enthronement = HolidayName(ja: "天皇の即位の日", en: "Enthronement Day")
}
