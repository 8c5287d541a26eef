import Foundation
import ShinraiKit

/// Periods in months under the Civil Code (民法).
///
/// - 第140条: a period counted in days, weeks, months or years does not count its first day
///   (unless it starts at 00:00). A status granted on a day therefore runs from the next day (起算日).
/// - 第143条第2項: when the period does not start at the beginning of a month, it ends on the day
///   before the day of the last month that corresponds to the 起算日 (応当日の前日); when the last
///   month has no such day, it ends on the last day of that month.
///
/// Worked examples for 18 months (each checked in the tests):
///
/// | granted    | 起算日      | 応当日 in month 18 | ends        |
/// |------------|------------|-------------------|-------------|
/// | 2026-04-15 | 2026-04-16 | 2027-10-16        | 2027-10-15  |
/// | 2026-08-28 | 2026-08-29 | 2028-02-29 (leap) | 2028-02-28  |
/// | 2026-08-29 | 2026-08-30 | none (Feb 2028)   | 2028-02-29  |
/// | 2026-08-30 | 2026-08-31 | none (Feb 2028)   | 2028-02-29  |
/// | 2026-08-31 | 2026-09-01 | 2028-03-01        | 2028-02-29  |
/// | 2027-08-30 | 2027-08-31 | none (Feb 2029)   | 2029-02-28  |
/// | 2026-01-31 | 2026-02-01 | 2027-08-01        | 2027-07-31  |
///
/// A 起算日 on the 1st (grant on a month's last day) is the case of 第143条第1項 — the period is
/// counted in whole calendar months and ends on the last day of the 18th month — and the
/// 応当日 rule gives the same day. 第142条 (a last day on a Sunday or holiday moves to the next
/// day) is not applied: it extends deadlines for doing an act, while this is the validity of a
/// status, which should not grow because the calendar has a holiday.
public enum CivilPeriod {
    /// The last day of a period of `months` months that starts the day after `event`.
    public static func lastDay(months: Int, after event: LocalDate) -> LocalDate {
        let start = event.next
        let (year, month) = addMonths(months, toYear: start.year, month: start.month)
        let length = LocalDate.daysInMonth(year: year, month: month)
        if start.day > length {
            return LocalDate(year: year, month: month, day: length)!
        }
        return LocalDate(year: year, month: month, day: start.day)!.previous
    }

    /// The day `months` months before `date`, clamped to the end of a shorter month
    /// (2028-02-29 minus 6 months is 2027-08-29; 2027-07-31 minus 1 month is 2027-06-30).
    public static func day(months: Int, before date: LocalDate) -> LocalDate {
        shifted(date, by: -months)
    }

    /// The day `months` months after `date` (the same clamping), used for regular report cycles.
    public static func day(months: Int, after date: LocalDate) -> LocalDate {
        shifted(date, by: months)
    }

    static func shifted(_ date: LocalDate, by months: Int) -> LocalDate {
        let (year, month) = addMonths(months, toYear: date.year, month: date.month)
        return LocalDate(year: year, month: month, day: min(date.day, LocalDate.daysInMonth(year: year, month: month)))!
    }

    static func addMonths(_ months: Int, toYear year: Int, month: Int) -> (Int, Int) {
        let index = year * 12 + (month - 1) + months
        return (Int((Double(index) / 12).rounded(.down)), ((index % 12) + 12) % 12 + 1)
    }
}

/// The Fast Track provisional status period (§2.4): exactly 18 months from the grant date.
public struct ProvisionalPeriod: Sendable, Equatable, Codable {
    public static let months = 18
    /// Reminders are sent this many months before the last day.
    public static let reminderMonths = [6, 3, 1]

    public let grantedOn: LocalDate
    /// 起算日: the day after the grant (民法第140条).
    public let startsOn: LocalDate
    /// The last day on which the status is valid (民法第143条).
    public let endsOn: LocalDate

    public init(grantedOn: LocalDate) {
        self.grantedOn = grantedOn
        self.startsOn = grantedOn.next
        self.endsOn = CivilPeriod.lastDay(months: Self.months, after: grantedOn)
    }

    /// The status ends at the end of `endsOn` in Japan: it is expired from the next day on.
    public func isExpired(on today: LocalDate) -> Bool { today > endsOn }

    /// The first instant at which the status no longer holds (00:00 JST the day after `endsOn`).
    public var expiresAt: Date { JapanTime.startOfDay(endsOn.next) }

    public func daysRemaining(on today: LocalDate) -> Int { max(0, today.days(to: endsOn)) }

    /// Reminder dates, 6, 3 and 1 month(s) before the last day.
    public var reminders: [(months: Int, date: LocalDate)] {
        Self.reminderMonths.map { ($0, CivilPeriod.day(months: $0, before: endsOn)) }
    }

    /// The reminder that is due on `today`, if any: the latest one whose date has come, unless
    /// the status has already ended. When several are overdue (the job did not run for a long
    /// time) only the most recent is sent; the earlier ones are stale.
    public func dueReminder(on today: LocalDate, alreadySent: Set<Int>) -> Int? {
        guard !isExpired(on: today) else { return nil }
        let due = reminders.filter { $0.date <= today }.map(\.months).min()
        guard let due, !alreadySent.contains(due) else { return nil }
        return due
    }

    /// One-line explanations of the arithmetic for the detail page.
    public var explanation: LocalizedText {
        LocalizedText(
            ja: "付与日 \(grantedOn.iso) は算入せず（民法第140条）、起算日 \(startsOn.iso) から18か月。満了日は最終月の起算日に応当する日の前日、応当日がない月はその月の末日（民法第143条第2項）: \(endsOn.iso)。",
            en: "The grant day \(grantedOn.iso) is not counted (Civil Code art. 140); 18 months run from \(startsOn.iso). They end on the day before the corresponding day of the last month, or on that month's last day if it has no such day (art. 143(2)): \(endsOn.iso).")
    }
}
