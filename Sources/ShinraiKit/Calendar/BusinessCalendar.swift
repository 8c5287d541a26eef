import Foundation

/// Why a day is not a business day.
public struct NonBusinessReason: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        case saturday, sunday, holiday, yearEndClosure
    }

    public let code: Code
    /// `土曜日`, `日曜日`, the holiday's name (`憲法記念日`), or `年末年始休業（12月29日〜1月3日）`.
    public let label: String
    /// `Saturday`, `Sunday`, the holiday's English name, or `year-end closure (Dec 29 – Jan 3)`.
    public let labelEn: String

    public init(code: Code, label: String, labelEn: String) {
        self.code = code
        self.label = label
        self.labelEn = labelEn
    }

    public var description: String { label }
}

/// A business-day calendar: which days count when a deadline is given in business days.
///
/// A day is a business day unless it is a Saturday, a Sunday, a holiday under the National
/// Holidays Act (`JapaneseHolidays`), or inside the calendar's year-end closure.
///
/// - `government` — 行政機関の休日 (Act on Holidays of Administrative Organs, Act No. 91 of
///   1988, Art. 1): Saturdays, Sundays, national holidays and 12/29–1/3.
/// - `exchange` — the stock exchanges' non-trading days (Tokyo Stock Exchange business
///   regulations): Saturdays, Sundays, national holidays and 12/31–1/3.
///
/// The rules are applied as they stand today to every year of 1949–2099 (historically the
/// government worked on Saturdays until 1988–1992 and the exchange traded on Saturdays until
/// 1989; those regimes are not modelled).
public struct BusinessCalendar: Sendable, Hashable, CustomStringConvertible {
    /// A closure around the new year: from `decemberStart` December through `januaryEnd` January
    /// (`januaryEnd` 0 = none in January).
    public struct YearEndClosure: Sendable, Hashable {
        public let decemberStart: Int
        public let januaryEnd: Int

        public init(decemberStart: Int, januaryEnd: Int) {
            precondition((1...31).contains(decemberStart) && (0...31).contains(januaryEnd), "day of month out of range")
            self.decemberStart = decemberStart
            self.januaryEnd = januaryEnd
        }

        public func contains(_ date: LocalDate) -> Bool {
            (date.month == 12 && date.day >= decemberStart) || (date.month == 1 && date.day <= januaryEnd)
        }

        /// `年末年始休業（12月29日〜1月3日）`
        public var label: String {
            januaryEnd == 0 ? "年末休業（12月\(decemberStart)日〜12月31日）" : "年末年始休業（12月\(decemberStart)日〜1月\(januaryEnd)日）"
        }
        /// `year-end closure (Dec 29 – Jan 3)`
        public var labelEn: String {
            januaryEnd == 0 ? "year-end closure (Dec \(decemberStart) – Dec 31)" : "year-end closure (Dec \(decemberStart) – Jan \(januaryEnd))"
        }

        /// 12/29–1/3, 行政機関の休日に関する法律 第1条第1項第3号.
        public static let government = YearEndClosure(decemberStart: 29, januaryEnd: 3)
        /// 12/31–1/3, the exchanges' year-end and new-year holidays.
        public static let exchange = YearEndClosure(decemberStart: 31, januaryEnd: 3)
    }

    /// Machine name: `government`, `exchange`.
    public let name: String
    /// Japanese display name.
    public let nameJa: String
    /// English display name.
    public let nameEn: String
    /// The year-end closure the calendar observes when `observesYearEndClosure` is on.
    public let yearEndClosure: YearEndClosure
    /// On by default; when off, days of the closure are ordinary days (still subject to
    /// weekends and holidays).
    public let observesYearEndClosure: Bool

    public init(name: String, nameJa: String, nameEn: String, yearEndClosure: YearEndClosure, observesYearEndClosure: Bool = true) {
        self.name = name
        self.nameJa = nameJa
        self.nameEn = nameEn
        self.yearEndClosure = yearEndClosure
        self.observesYearEndClosure = observesYearEndClosure
    }

    /// 行政機関の休日: weekends, national holidays, 12/29–1/3.
    public static let government = BusinessCalendar(
        name: "government", nameJa: "行政機関の休日（土日・祝日・12月29日〜1月3日）",
        nameEn: "government (weekends, national holidays, Dec 29 – Jan 3)", yearEndClosure: .government)

    /// 取引所の休業日: weekends, national holidays, 12/31–1/3.
    public static let exchange = BusinessCalendar(
        name: "exchange", nameJa: "取引所の休業日（土日・祝日・12月31日〜1月3日）",
        nameEn: "exchange (weekends, national holidays, Dec 31 – Jan 3)", yearEndClosure: .exchange)

    public static let all: [BusinessCalendar] = [.government, .exchange]
    public static var knownNames: [String] { all.map(\.name) }

    /// The calendar with this name (case-insensitive, surrounding spaces ignored), or `nil`.
    public static func named(_ name: String) -> BusinessCalendar? {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        return all.first { $0.name == key }
    }

    /// The same calendar with the year-end closure switched on or off.
    public func observingYearEndClosure(_ on: Bool) -> BusinessCalendar {
        BusinessCalendar(name: name, nameJa: nameJa, nameEn: nameEn, yearEndClosure: yearEndClosure, observesYearEndClosure: on)
    }

    public var description: String { name }

    /// Why `date` is not a business day; empty when it is one. Order: holiday, weekday,
    /// year-end closure (`2026-05-03` → [憲法記念日, 日曜日]).
    public func nonBusinessReasons(_ date: LocalDate) throws -> [NonBusinessReason] {
        var reasons: [NonBusinessReason] = []
        if let holiday = try JapaneseHolidays.holiday(on: date) {
            reasons.append(NonBusinessReason(code: .holiday, label: holiday.name, labelEn: holiday.nameEn))
        }
        switch date.weekday {
        case .saturday: reasons.append(NonBusinessReason(code: .saturday, label: "土曜日", labelEn: "Saturday"))
        case .sunday: reasons.append(NonBusinessReason(code: .sunday, label: "日曜日", labelEn: "Sunday"))
        default: break
        }
        if observesYearEndClosure && yearEndClosure.contains(date) {
            reasons.append(NonBusinessReason(code: .yearEndClosure, label: yearEndClosure.label, labelEn: yearEndClosure.labelEn))
        }
        return reasons
    }

    /// Whether `date` is a business day.
    /// - Throws: `CalendarError.yearOutOfRange` outside 1949...2099.
    public func isBusinessDay(_ date: LocalDate) throws -> Bool {
        try JapaneseHolidays.checkYear(date.year)
        if date.weekday.isWeekend { return false }
        if observesYearEndClosure && yearEndClosure.contains(date) { return false }
        return try !JapaneseHolidays.isHoliday(date)
    }

    /// `date` itself if it is a business day, otherwise the next business day.
    public func businessDay(onOrAfter date: LocalDate) throws -> LocalDate {
        var day = date
        while try !isBusinessDay(day) { day = day.next }
        return day
    }

    /// The first business day strictly after `date`.
    public func businessDay(after date: LocalDate) throws -> LocalDate {
        try businessDay(onOrAfter: date.next)
    }

    /// The `n`-th business day after `date` (`n` = 0 gives `date` itself, business day or not).
    /// - Throws: `CalendarError.amountOutOfRange` for a negative `n`, `yearOutOfRange` past 2099.
    public func adding(businessDays n: Int, to date: LocalDate) throws -> LocalDate {
        guard n >= 0 else { throw CalendarError.amountOutOfRange(kind: "business days", value: n, allowed: LegalDeadline.businessDaysRange) }
        var day = date
        for _ in 0..<n { day = try businessDay(after: day) }
        return day
    }

    /// Business days in `start...end` (both inclusive).
    public func businessDays(from start: LocalDate, through end: LocalDate) throws -> [LocalDate] {
        guard start <= end else { return [] }
        var days: [LocalDate] = []
        var day = start
        while day <= end {
            if try isBusinessDay(day) { days.append(day) }
            day = day.next
        }
        return days
    }
}
