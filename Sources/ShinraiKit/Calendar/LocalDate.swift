import Foundation

/// A civil calendar date (proleptic Gregorian) with no time and no time zone: "2026-01-01".
///
/// Used for holidays and due dates of the Japanese legal calendar. Arithmetic is done on a
/// day number (days since 1970-01-01), so it is exact and independent of any `Calendar` or
/// time zone. Encodes to and decodes from the ISO-8601 string `"YYYY-MM-DD"`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date; `nil` when the month or day does not exist (e.g. 2026-02-29) or the
    /// year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, a valid date). Anything else is `nil`.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Builds a date from a day number (days since 1970-01-01; negative before it).
    public init(daysSince1970 days: Int) {
        (year, month, day) = CivilCalendar.civil(fromDays: days)
    }

    /// Unchecked memberwise initialiser for literals inside the calendar code.
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSince1970: Int {
        CivilCalendar.days(fromYear: year, month: month, day: day)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((daysSince1970 % 7) + 7 + 4) % 7 // 0 = Sunday
        return Weekday(rawValue: index + 1)!
    }

    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSince1970: daysSince1970 + days)
    }

    public var next: LocalDate { adding(days: 1) }
    public var previous: LocalDate { adding(days: -1) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int {
        other.daysSince1970 - daysSince1970
    }

    /// `"2026-01-01"`.
    public var iso: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// `"2026-05-02（土）"` — the form used in Japanese explanations.
    public var displayJa: String { "\(iso)（\(weekday.shortJa)）" }

    /// `"2026-05-02 (Sat)"` — the form used in English explanations.
    public var displayEn: String { "\(iso) (\(weekday.shortEn))" }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool { CivilCalendar.isLeap(year) }

    public static func daysInMonth(year: Int, month: Int) -> Int { CivilCalendar.daysInMonth(year: year, month: month) }

    /// The `n`-th (1-based) given weekday of a month, e.g. the 2nd Monday of January.
    static func nthWeekday(_ n: Int, _ weekday: Weekday, year: Int, month: Int) -> LocalDate {
        let first = LocalDate(unchecked: year, month, 1)
        let offset = (weekday.rawValue - first.weekday.rawValue + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a date as YYYY-MM-DD, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// Day of the week; raw values follow Foundation (`1` = Sunday … `7` = Saturday).
public enum Weekday: Int, Sendable, Hashable, Codable, CaseIterable {
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    /// `"日"`, `"月"`, …
    public var shortJa: String { ["日", "月", "火", "水", "木", "金", "土"][rawValue - 1] }
    /// `"日曜日"`, `"月曜日"`, …
    public var nameJa: String { shortJa + "曜日" }
    /// `"Sun"`, `"Mon"`, …
    public var shortEn: String { ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][rawValue - 1] }
    /// `"Sunday"`, `"Monday"`, …
    public var nameEn: String { ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][rawValue - 1] }

    public var isWeekend: Bool { self == .saturday || self == .sunday }
}
