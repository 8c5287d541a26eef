import Foundation

/// The two languages of the user interface.
public enum UILanguage: String, Sendable, CaseIterable, Codable, Hashable {
    case ja
    case en
}

/// Dates for the user interface, always shown in Japan Standard Time (UTC+9; Japan has not used
/// daylight saving time since 1951, so a fixed offset is exact for all current data).
///
///     JapaneseDate.long(date, language: .ja)      // 2026年11月27日（令和8年）
///     JapaneseDate.long(date, language: .en)      // 27 November 2026
///     JapaneseDate.dateTime(date, language: .ja)  // 2026年11月27日（令和8年） 14:05
///     JapaneseDate.dateTime(date, language: .en)  // 27 November 2026, 14:05 JST
///     JapaneseDate.time(date, language: .ja)      // 14:05   (.en: 14:05 JST)
///     JapaneseDate.short(date)                    // 2026-11-27
///
/// Each function also has a `locale:` spelling (`long(date, locale: .ja)`).
///
/// The era (和暦) is chosen by the exact day: 1989-01-07 is 昭和64年 and 1989-01-08 is 平成元年; the first
/// year of an era is written 元年. Dates before the Meiji era (1868-01-25, the Gregorian date of 明治元年
/// 1月1日) have no era. Japan adopted the Gregorian calendar on 1873-01-01 (明治6年), so for 1868–1872
/// the era year is the conventional one for the Gregorian date.
public enum JapaneseDate {
    /// An era (元号) and its first day in the Gregorian calendar.
    public struct Era: Sendable, Equatable {
        public var name: String
        public var nameEn: String
        public var startYear: Int
        public var startMonth: Int
        public var startDay: Int
    }

    /// Eras from the newest to the oldest.
    public static let eras: [Era] = [
        Era(name: "令和", nameEn: "Reiwa", startYear: 2019, startMonth: 5, startDay: 1),
        Era(name: "平成", nameEn: "Heisei", startYear: 1989, startMonth: 1, startDay: 8),
        Era(name: "昭和", nameEn: "Showa", startYear: 1926, startMonth: 12, startDay: 25),
        Era(name: "大正", nameEn: "Taisho", startYear: 1912, startMonth: 7, startDay: 30),
        Era(name: "明治", nameEn: "Meiji", startYear: 1868, startMonth: 1, startDay: 25),
    ]

    /// The Japan Standard Time offset from UTC, in seconds.
    public static let jstOffsetSeconds = 9 * 3600

    /// The era and era year of a Gregorian calendar date, or nil before the Meiji era.
    public static func wareki(year: Int, month: Int, day: Int) -> (era: String, eraEn: String, year: Int)? {
        let key = (year, month, day)
        for era in eras where key >= (era.startYear, era.startMonth, era.startDay) {
            return (era.name, era.nameEn, year - era.startYear + 1)
        }
        return nil
    }

    /// 「令和8年」, 「令和元年」; nil before the Meiji era.
    public static func warekiYearText(year: Int, month: Int, day: Int) -> String? {
        guard let w = wareki(year: year, month: month, day: day) else { return nil }
        return w.era + (w.year == 1 ? "元" : String(w.year)) + "年"
    }

    /// The calendar date and time of day in Japan for an instant.
    public static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + jstOffsetSeconds
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        return (y, m, d, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }

    /// `2026年11月27日（令和8年）` / `27 November 2026`.
    public static func long(_ date: Date, language: UILanguage = .ja) -> String {
        let c = components(date)
        return long(year: c.year, month: c.month, day: c.day, language: language)
    }

    public static func long(_ date: Date, locale: UILanguage) -> String { long(date, language: locale) }

    /// The long form of a calendar date (no time zone involved).
    public static func long(year: Int, month: Int, day: Int, language: UILanguage = .ja) -> String {
        switch language {
        case .ja:
            let base = "\(year)年\(month)月\(day)日"
            guard let era = warekiYearText(year: year, month: month, day: day) else { return base }
            return base + "（" + era + "）"
        case .en:
            let name = (1...12).contains(month) ? monthNamesEn[month - 1] : String(month)
            return "\(day) \(name) \(year)"
        }
    }

    public static func long(year: Int, month: Int, day: Int, locale: UILanguage) -> String {
        long(year: year, month: month, day: day, language: locale)
    }

    /// `2026年11月27日（令和8年） 14:05` / `27 November 2026, 14:05 JST`.
    public static func dateTime(_ date: Date, language: UILanguage = .ja) -> String {
        let c = components(date)
        let time = twoDigits(c.hour) + ":" + twoDigits(c.minute)
        switch language {
        case .ja: return long(year: c.year, month: c.month, day: c.day, language: .ja) + " " + time
        case .en: return long(year: c.year, month: c.month, day: c.day, language: .en) + ", " + time + " JST"
        }
    }

    public static func dateTime(_ date: Date, locale: UILanguage) -> String { dateTime(date, language: locale) }

    /// The time of day in Japan: `14:05` / `14:05 JST`.
    public static func time(_ date: Date, language: UILanguage = .ja) -> String {
        let c = components(date)
        let time = twoDigits(c.hour) + ":" + twoDigits(c.minute)
        return language == .ja ? time : time + " JST"
    }

    public static func time(_ date: Date, locale: UILanguage) -> String { time(date, language: locale) }

    /// `2026-11-27` (the date in Japan).
    public static func short(_ date: Date) -> String {
        let c = components(date)
        return CivilCalendar.isoDate(year: c.year, month: c.month, day: c.day)
    }

    /// The instant at which a calendar day begins in Japan (00:00 JST).
    public static func startOfDay(year: Int, month: Int, day: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(CivilCalendar.days(fromYear: year, month: month, day: day) * 86_400 - jstOffsetSeconds))
    }

    /// An instant given as a wall-clock time in Japan.
    public static func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date {
        let days = CivilCalendar.days(fromYear: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second - jstOffsetSeconds))
    }

    static let monthNamesEn = ["January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December"]

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

// MARK: - Calendar arithmetic (proleptic Gregorian, no time zone database)

enum CivilCalendar {
    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(abs(n))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func isoDate(year: Int, month: Int, day: Int) -> String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }
}

/// RFC 3339 / ISO 8601 date-times without a time zone database or formatter objects.
public enum ISO8601Timestamp {
    /// Parses `2026-11-27T14:05:00Z`, `2026-11-27T14:05:00.123+09:00` (also `+0900`, lower-case `t`/`z`).
    /// A time zone (`Z` or an offset) is required; seconds are required; leap seconds are refused.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var n = 0
            for k in i..<i + width {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                n = n * 10 + Int(b[k] - 0x30)
            }
            i += width
            return n
        }
        func expect(_ chars: String) -> Bool {
            guard i < b.count, chars.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2) else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        var fraction = 0.0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = expect(":")
            guard let om = number(2), (0...23).contains(oh), (0...59).contains(om) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilCalendar.days(fromYear: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    /// `2026-11-27T05:05:00Z` (UTC); with `fractionalSeconds`, `2026-11-27T05:05:00.250Z`.
    public static func format(_ date: Date, fractionalSeconds: Bool = false) -> String {
        let totalMillis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = JapaneseDate.floorDiv(totalMillis, 1000)
        let millis = totalMillis - seconds * 1000
        let days = JapaneseDate.floorDiv(seconds, 86_400)
        let sod = seconds - days * 86_400
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        var out = CivilCalendar.isoDate(year: y, month: m, day: d) + "T" + CivilCalendar.pad(sod / 3600, 2) + ":"
            + CivilCalendar.pad(sod % 3600 / 60, 2) + ":" + CivilCalendar.pad(sod % 60, 2)
        if fractionalSeconds { out += "." + CivilCalendar.pad(millis, 3) }
        return out + "Z"
    }
}
