import Foundation
import ShinraiKit

/// Business days of the U.S. Securities and Exchange Commission, for the Form 8-K clock of
/// dual-listed companies.
///
/// A business day is a weekday that is not a federal holiday (5 U.S.C. 6103): New Year's Day,
/// Birthday of Martin Luther King Jr. (3rd Monday of January), Washington's Birthday (3rd Monday
/// of February), Memorial Day (last Monday of May), Juneteenth (June 19, from 2021), Independence
/// Day, Labor Day (1st Monday of September), Columbus Day (2nd Monday of October), Veterans Day,
/// Thanksgiving (4th Thursday of November) and Christmas Day. A fixed-date holiday on a Saturday is
/// observed on the Friday before, on a Sunday on the Monday after (Executive Order 11582). The SEC
/// sits in Washington, D.C., so Inauguration Day (January 20 after a presidential election, the
/// 21st when the 20th is a Sunday) is also a holiday (5 U.S.C. 6103(c)). Closures ordered ad hoc
/// (for example an extra day at Christmas) are not modelled.
///
/// Dates are civil dates in Washington (`America/New_York`). Form 8-K General Instruction B.1:
/// a report is due within four business days after the event; when the event falls on a day the
/// Commission is closed, the period begins on and includes the first business day thereafter. Both
/// cases come to the same count: the due date is the N-th business day strictly after the date of
/// the event. EDGAR treats a submission after 5:30 p.m. Eastern time as filed on the next business
/// day (Regulation S-T Rule 13(a)(4)), so the deadline is 17:30 ET on the due date.
public enum USFederalCalendar {
    public static let timeZone: TimeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600)!
    /// The last minute at which EDGAR dates a submission on the same business day.
    public static let filingCutoff = (hour: 17, minute: 30)

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    /// The civil date in Washington of an instant.
    public static func date(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// 17:30 Eastern time (EST or EDT as in force) on `date`.
    public static func filingCutoff(on date: LocalDate) -> Date {
        calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day,
                                           hour: filingCutoff.hour, minute: filingCutoff.minute))!
    }

    /// `2026-05-08 17:30 EDT`-style wall-clock text.
    public static func wallClock(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        let zone = timeZone.abbreviation(for: instant) ?? "ET"
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date(of: instant).iso) \(pad(parts.hour!)):\(pad(parts.minute!)) \(zone)"
    }

    /// The federal holiday on `date` (observed date), if any: (English name, Japanese name).
    public static func holiday(on date: LocalDate) -> (en: String, ja: String)? {
        holidays(in: date.year)[date] ?? (date.month == 12 && date.day == 31 ? holidays(in: date.year + 1)[date] : nil)
    }

    public static func isBusinessDay(_ date: LocalDate) -> Bool {
        !date.weekday.isWeekend && holiday(on: date) == nil
    }

    /// Why `date` is not a business day, in Japanese and English; nil for a business day.
    public static func nonBusinessReason(_ date: LocalDate) -> (ja: String, en: String)? {
        var ja: [String] = [], en: [String] = []
        if let holiday = holiday(on: date) { ja.append(holiday.ja); en.append(holiday.en) }
        if date.weekday == .saturday { ja.append("土曜日"); en.append("Saturday") }
        if date.weekday == .sunday { ja.append("日曜日"); en.append("Sunday") }
        return ja.isEmpty ? nil : (ja.joined(separator: "・"), en.joined(separator: ", "))
    }

    /// Observed federal holidays whose observed date falls in `year` (and the observed New Year's
    /// Day of `year`, which may be December 31 of the year before).
    public static func holidays(in year: Int) -> [LocalDate: (en: String, ja: String)] {
        var out: [LocalDate: (en: String, ja: String)] = [:]
        func fixed(_ month: Int, _ day: Int, _ en: String, _ ja: String) {
            guard let actual = LocalDate(year: year, month: month, day: day) else { return }
            let observed: LocalDate
            switch actual.weekday {
            case .saturday: observed = actual.previous
            case .sunday: observed = actual.next
            default: observed = actual
            }
            out[observed] = (actual == observed ? en : "\(en) (observed)", actual == observed ? ja : "\(ja)（振替）")
        }
        func nth(_ n: Int, _ weekday: Weekday, _ month: Int, _ en: String, _ ja: String) {
            out[nthWeekday(n, weekday, year: year, month: month)] = (en, ja)
        }
        fixed(1, 1, "New Year's Day", "元日（米国）")
        nth(3, .monday, 1, "Birthday of Martin Luther King, Jr.", "キング牧師記念日")
        nth(3, .monday, 2, "Washington's Birthday", "ワシントン誕生日")
        out[lastWeekday(.monday, year: year, month: 5)] = ("Memorial Day", "戦没将兵追悼記念日")
        if year >= 2021 { fixed(6, 19, "Juneteenth National Independence Day", "ジューンティーンス") }
        fixed(7, 4, "Independence Day", "独立記念日")
        nth(1, .monday, 9, "Labor Day", "レイバーデー")
        nth(2, .monday, 10, "Columbus Day", "コロンブス・デー")
        fixed(11, 11, "Veterans Day", "退役軍人の日")
        nth(4, .thursday, 11, "Thanksgiving Day", "感謝祭")
        fixed(12, 25, "Christmas Day", "クリスマス")
        if year % 4 == 1, year >= 1965, let inauguration = LocalDate(year: year, month: 1, day: 20) {
            let observed = inauguration.weekday == .sunday ? inauguration.next : inauguration
            if out[observed] == nil { out[observed] = ("Inauguration Day (Washington, D.C.)", "大統領就任式の日（ワシントンD.C.）") }
        }
        return out
    }

    static func nthWeekday(_ n: Int, _ weekday: Weekday, year: Int, month: Int) -> LocalDate {
        let first = LocalDate(year: year, month: month, day: 1)!
        let offset = (weekday.rawValue - first.weekday.rawValue + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    static func lastWeekday(_ weekday: Weekday, year: Int, month: Int) -> LocalDate {
        let last = LocalDate(year: year, month: month, day: LocalDate.daysInMonth(year: year, month: month))!
        return last.adding(days: -((last.weekday.rawValue - weekday.rawValue + 7) % 7))
    }

    /// Business days strictly after `after` and strictly before `before`.
    static func businessDays(after: LocalDate, before: LocalDate) -> Int {
        var count = 0
        var day = after.next
        while day < before {
            if isBusinessDay(day) { count += 1 }
            day = day.next
        }
        return count
    }
}
