import Foundation

/// A deadline computed under Japanese conventions, with how it was counted.
///
/// All dates are Japanese civil dates (Asia/Tokyo, `JapanTime`) of the instants involved, so
/// the result does not depend on the time zone the starting instant was written in.
///
/// ## Counting conventions
///
/// **Business days** (`businessDays(_:after:calendar:)`) — the rule used for timely
/// disclosure ("within N business days of the determination"):
/// 1. Take the Japanese date of the starting instant `T`.
/// 2. If that date is a business day on the calendar, it is day 0 (the time of day does not
///    matter). Otherwise the next business day is day 0.
/// 3. Business days after day 0 are numbered 1, 2, …; non-business days are skipped (they
///    are listed in the explanation with the reason).
/// 4. The due date is business day N; the deadline is the end of that day, 23:59:59 JST
///    (`due`). With N = 0 the due date is day 0 itself.
///
/// Example: `T` = Thursday 2026-04-30 21:00 JST, 4 business days, `exchange` → day 0 is
/// 04-30, day 1 is 05-01, 05-02…05-06 are skipped (土曜日, 憲法記念日, みどりの日, こどもの日,
/// 振替休日), days 2–3 are 05-07 and 05-08, the weekend is skipped and day 4 is Monday
/// 2026-05-11: due 2026-05-11T23:59:59+09:00.
///
/// **Calendar days** (`calendarDays(_:after:calendar:extendToBusinessDay:)`) — the Civil Code
/// rule for periods in days: the first day is not counted (民法第140条), so the period ends at
/// the end of the date N days after `T`'s date (N = 0: the end of `T`'s date). With
/// `extendToBusinessDay` a last day that is not a business day on the calendar moves to the
/// next business day (the rule of 民法第142条, with the calendar standing for the days on
/// which business is customarily not done). The proviso of Article 140 (a period that
/// starts exactly at 00:00 counts its first day) is not applied: pass the previous day's
/// instant for that reading.
///
/// **Hours** (`hours(_:after:)`) — counted from the instant itself (民法第139条): `T` + N × 3600
/// seconds exactly, whatever the dates or holidays.
///
/// ## Being on time
/// `due` is the last instant of the period at whole-second precision: 23:59:59 JST for
/// day-based deadlines, the exact instant for hours. `isPastDue(at:)` treats the whole due
/// date as on time for day-based deadlines (also 23:59:59.5) and anything after `due` as late
/// for hours; `timeRemaining(at:)` is `due − at` (negative once late).
public struct LegalDeadline: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case businessDays, calendarDays, hours
    }

    /// One day of the count, in date order.
    public struct Step: Sendable, Hashable, Codable, CustomStringConvertible {
        public enum Role: String, Sendable, Hashable, Codable {
            /// The date of `T`, which was not a business day and therefore not day 0.
            case triggerNotBusinessDay
            /// Day 0 (起算日).
            case start
            /// A counted day; `ordinal` is its number (business day 1…N, or calendar day N —
            /// which carries `reasons` when it is not a business day and was extended).
            case counted
            /// A day passed over because it is not a business day; `reasons` says why.
            case skipped
            /// The business day a calendar-day period was extended to (民法第142条).
            case extended
        }

        public let date: LocalDate
        public let role: Role
        public let ordinal: Int?
        public let reasons: [NonBusinessReason]

        public init(date: LocalDate, role: Role, ordinal: Int? = nil, reasons: [NonBusinessReason] = []) {
            self.date = date
            self.role = role
            self.ordinal = ordinal
            self.reasons = reasons
        }

        public var description: String { lineEn }

        var reasonsJa: String { reasons.map(\.label).joined(separator: "・") }
        var reasonsEn: String { reasons.map(\.labelEn).joined(separator: ", ") }

        func lineJa(kind: Kind) -> String {
            switch role {
            case .triggerNotBusinessDay: return "\(date.displayJa) 起算時刻の日付。営業日でない（\(reasonsJa)）ため0日目としない"
            case .start:
                return kind == .calendarDays ? "\(date.displayJa) 0日目（起算時刻の日付。初日は算入しない）" : "\(date.displayJa) 0日目（起算日）"
            case .counted:
                let number = ordinal ?? 0
                guard kind == .calendarDays else { return "\(date.displayJa) \(number)営業日目" }
                return "\(date.displayJa) \(number)日目（期間の末日）" + (reasons.isEmpty ? "" : "。営業日でない: \(reasonsJa)")
            case .skipped: return "\(date.displayJa) 除外: \(reasonsJa)"
            case .extended: return "\(date.displayJa) 翌営業日（延長後の末日）"
            }
        }

        var lineEn: String { lineEn(kind: .businessDays) }

        func lineEn(kind: Kind) -> String {
            switch role {
            case .triggerNotBusinessDay: return "\(date.displayEn) date of the starting instant; not a business day (\(reasonsEn)), so not day 0"
            case .start:
                return kind == .calendarDays ? "\(date.displayEn) day 0 (date of the starting instant; the first day is not counted)" : "\(date.displayEn) day 0 (start)"
            case .counted:
                let number = ordinal ?? 0
                guard kind == .calendarDays else { return "\(date.displayEn) business day \(number)" }
                return "\(date.displayEn) day \(number) (last day of the period)" + (reasons.isEmpty ? "" : "; not a business day: \(reasonsEn)")
            case .skipped: return "\(date.displayEn) skipped: \(reasonsEn)"
            case .extended: return "\(date.displayEn) next business day (extended last day)"
            }
        }
    }

    public let kind: Kind
    /// N: business days, calendar days or hours.
    public let amount: Int
    /// The starting instant `T`.
    public let from: Date
    /// The Japanese date of `from`.
    public let fromDate: LocalDate
    /// Name of the business calendar used (`government`, `exchange`); `nil` for hours.
    public let calendar: String?
    /// Day 0 of the count (`nil` for hours).
    public let startDate: LocalDate?
    /// The deadline: 23:59:59 JST of `dueDate` for day-based deadlines, `T` + N h for hours.
    public let due: Date
    /// The Japanese date of `due`.
    public let dueDate: LocalDate
    /// For calendar days with `extendToBusinessDay`: whether the last day was moved.
    public let extended: Bool
    /// Every day of the count in order (for hours: empty).
    public let steps: [Step]
    /// How it was counted, in Japanese (lines separated by "\n").
    public let explanation: String
    /// How it was counted, in English (lines separated by "\n").
    public let explanationEn: String

    /// Allowed N for each kind (results must also stay within 1949...2099).
    public static let businessDaysRange: ClosedRange<Int> = 0...10_000
    public static let calendarDaysRange: ClosedRange<Int> = 0...36_500
    public static let hoursRange: ClosedRange<Int> = 0...876_000

    /// `due` as ISO-8601 in Japanese time: `2026-05-11T23:59:59+09:00`.
    public var dueISO8601: String { JapanTime.iso8601(due) }

    /// Whether an instant is after the deadline. Day-based deadlines are met by any instant
    /// on the due date (JST), hours deadlines by any instant up to and including `due`.
    public func isPastDue(at instant: Date) -> Bool {
        switch kind {
        case .hours: return instant > due
        case .businessDays, .calendarDays: return JapanTime.date(of: instant) > dueDate
        }
    }

    /// Seconds from `instant` to `due`; negative once the deadline has passed.
    public func timeRemaining(at instant: Date) -> TimeInterval {
        due.timeIntervalSince(instant)
    }

    // MARK: - Computation

    /// N business days after `T` (see the type's documentation for the convention).
    /// - Throws: `CalendarError.amountOutOfRange` for N outside `businessDaysRange`,
    ///   `CalendarError.yearOutOfRange` when `T` or the count leaves 1949...2099.
    public static func businessDays(_ n: Int, after instant: Date, calendar: BusinessCalendar) throws -> LegalDeadline {
        guard businessDaysRange.contains(n) else {
            throw CalendarError.amountOutOfRange(kind: "business days", value: n, allowed: businessDaysRange)
        }
        let fromDate = JapanTime.date(of: instant)
        try JapaneseHolidays.checkYear(fromDate.year)

        var steps: [Step] = []
        var day = fromDate
        var reasons = try calendar.nonBusinessReasons(day)
        if !reasons.isEmpty {
            steps.append(Step(date: day, role: .triggerNotBusinessDay, reasons: reasons))
            day = day.next
            while true {
                try JapaneseHolidays.checkYear(day.year)
                reasons = try calendar.nonBusinessReasons(day)
                if reasons.isEmpty { break }
                steps.append(Step(date: day, role: .skipped, reasons: reasons))
                day = day.next
            }
        }
        let startDate = day
        steps.append(Step(date: day, role: .start, ordinal: 0))
        var counted = 0
        while counted < n {
            day = day.next
            try JapaneseHolidays.checkYear(day.year)
            reasons = try calendar.nonBusinessReasons(day)
            if reasons.isEmpty {
                counted += 1
                steps.append(Step(date: day, role: .counted, ordinal: counted))
            } else {
                steps.append(Step(date: day, role: .skipped, reasons: reasons))
            }
        }
        let dueDate = day
        let due = JapanTime.endOfDay(dueDate)

        var ja = header(ja: true, instant: instant, fromDate: fromDate, calendar: calendar)
        ja.append("数え方: 起算時刻の日付が営業日ならその日を0日目（起算日）とし、営業日でなければ翌営業日を0日目とする。0日目の後の営業日を1日目から数え、\(n)営業日目の終わり（日本時間23:59:59）を期限とする。土日・祝日・休日\(calendar.observesYearEndClosure ? "・" + calendar.yearEndClosure.label : "")は数えない。")
        var en = header(ja: false, instant: instant, fromDate: fromDate, calendar: calendar)
        en.append("Rule: if the date of the starting instant is a business day it is day 0 (the start); otherwise the next business day is day 0. Business days after day 0 are numbered from 1, and the deadline is the end (23:59:59 JST) of business day \(n). Weekends, national holidays\(calendar.observesYearEndClosure ? " and the " + calendar.yearEndClosure.labelEn : "") are not counted.")
        ja += steps.map { $0.lineJa(kind: .businessDays) }
        en += steps.map { $0.lineEn(kind: .businessDays) }
        let skipped = steps.filter { $0.role == .skipped || $0.role == .triggerNotBusinessDay }.count
        ja.append("期限: \(dueDate.displayJa) 23:59:59（日本時間）= \(JapanTime.iso8601(due))（除外した日: \(skipped)日）")
        en.append("Due: \(dueDate.displayEn) 23:59:59 JST = \(JapanTime.iso8601(due)) (\(skipped) day\(skipped == 1 ? "" : "s") skipped)")

        return LegalDeadline(kind: .businessDays, amount: n, from: instant, fromDate: fromDate, calendar: calendar.name,
                             startDate: startDate, due: due, dueDate: dueDate, extended: false, steps: steps,
                             explanation: ja.joined(separator: "\n"), explanationEn: en.joined(separator: "\n"))
    }

    /// N calendar days after `T`: the end of the date N days after `T`'s date (初日不算入).
    /// With `extendToBusinessDay`, a last day that is not a business day on `calendar` moves
    /// to the next business day (民法第142条).
    /// - Throws: `CalendarError.amountOutOfRange`, `CalendarError.yearOutOfRange`.
    public static func calendarDays(_ n: Int, after instant: Date, calendar: BusinessCalendar = .government,
                                    extendToBusinessDay: Bool = false) throws -> LegalDeadline {
        guard calendarDaysRange.contains(n) else {
            throw CalendarError.amountOutOfRange(kind: "calendar days", value: n, allowed: calendarDaysRange)
        }
        let fromDate = JapanTime.date(of: instant)
        try JapaneseHolidays.checkYear(fromDate.year)
        let lastDay = fromDate.adding(days: n)
        try JapaneseHolidays.checkYear(lastDay.year)

        var steps = [Step(date: fromDate, role: .start, ordinal: 0)]
        var dueDate = lastDay
        var extended = false
        var extensionJa: [String] = []
        var extensionEn: [String] = []
        if extendToBusinessDay {
            let reasons = try calendar.nonBusinessReasons(lastDay)
            if reasons.isEmpty {
                steps.append(Step(date: lastDay, role: .counted, ordinal: n))
                extensionJa.append("期間の末日 \(lastDay.displayJa)は営業日のため、延長しない（民法第142条）。")
                extensionEn.append("The last day \(lastDay.displayEn) is a business day, so it is not extended (Civil Code Art. 142).")
            } else {
                steps.append(Step(date: lastDay, role: .counted, ordinal: n, reasons: reasons))
                var day = lastDay.next
                while true {
                    try JapaneseHolidays.checkYear(day.year)
                    let dayReasons = try calendar.nonBusinessReasons(day)
                    if dayReasons.isEmpty { break }
                    steps.append(Step(date: day, role: .skipped, reasons: dayReasons))
                    day = day.next
                }
                steps.append(Step(date: day, role: .extended))
                dueDate = day
                extended = true
                extensionJa.append("期間の末日 \(lastDay.displayJa)が営業日でない（\(reasons.map(\.label).joined(separator: "・"))）ため、翌営業日 \(day.displayJa)に満了する（民法第142条）。")
                extensionEn.append("The last day \(lastDay.displayEn) is not a business day (\(reasons.map(\.labelEn).joined(separator: ", "))), so the period ends on the next business day, \(day.displayEn) (Civil Code Art. 142).")
            }
        } else {
            steps.append(Step(date: lastDay, role: .counted, ordinal: n))
        }
        let due = JapanTime.endOfDay(dueDate)

        var ja = header(ja: true, instant: instant, fromDate: fromDate, calendar: extendToBusinessDay ? calendar : nil)
        ja.append("数え方: 初日不算入（民法第140条）。起算時刻の日付を0日目とし、その翌日から暦日で数えて\(n)日目の終わり（日本時間23:59:59）を期限とする。" + (extendToBusinessDay ? "末日が営業日でなければ翌営業日まで延長する（民法第142条）。" : "土日・祝日も数え、末日が休日でも延長しない。"))
        var en = header(ja: false, instant: instant, fromDate: fromDate, calendar: extendToBusinessDay ? calendar : nil)
        en.append("Rule: the first day is not counted (Civil Code Art. 140): the date of the starting instant is day 0 and the deadline is the end (23:59:59 JST) of calendar day \(n) after it. " + (extendToBusinessDay ? "If that last day is not a business day, the period ends on the next business day (Civil Code Art. 142)." : "Weekends and holidays are counted and the last day is not extended."))
        ja += steps.map { $0.lineJa(kind: .calendarDays) }
        en += steps.map { $0.lineEn(kind: .calendarDays) }
        ja += extensionJa
        en += extensionEn
        ja.append("期限: \(dueDate.displayJa) 23:59:59（日本時間）= \(JapanTime.iso8601(due))")
        en.append("Due: \(dueDate.displayEn) 23:59:59 JST = \(JapanTime.iso8601(due))")

        return LegalDeadline(kind: .calendarDays, amount: n, from: instant, fromDate: fromDate, calendar: calendar.name,
                             startDate: fromDate, due: due, dueDate: dueDate, extended: extended, steps: steps,
                             explanation: ja.joined(separator: "\n"), explanationEn: en.joined(separator: "\n"))
    }

    /// N hours after `T`: exactly `T` + N × 3600 s (民法第139条: counted from the instant).
    /// - Throws: `CalendarError.amountOutOfRange`, `CalendarError.yearOutOfRange`.
    public static func hours(_ n: Int, after instant: Date) throws -> LegalDeadline {
        guard hoursRange.contains(n) else {
            throw CalendarError.amountOutOfRange(kind: "hours", value: n, allowed: hoursRange)
        }
        let fromDate = JapanTime.date(of: instant)
        try JapaneseHolidays.checkYear(fromDate.year)
        let due = instant.addingTimeInterval(TimeInterval(n) * 3600)
        let dueDate = JapanTime.date(of: due)
        try JapaneseHolidays.checkYear(dueDate.year)
        let days = fromDate.days(to: dueDate)

        var ja = header(ja: true, instant: instant, fromDate: fromDate, calendar: nil)
        ja.append("数え方: 時間で定めた期間は即時から起算する（民法第139条）。起算時刻のちょうど\(n)時間後を期限とし、土日・祝日も区別しない。")
        var en = header(ja: false, instant: instant, fromDate: fromDate, calendar: nil)
        en.append("Rule: a period in hours runs from the instant itself (Civil Code Art. 139): the deadline is exactly \(n) hour\(n == 1 ? "" : "s") after the starting instant, weekends and holidays included.")
        if days > 0 {
            ja.append("日付をまたぐ: \(fromDate.displayJa) → \(dueDate.displayJa)（\(days)日後）")
            en.append("Crosses midnight: \(fromDate.displayEn) → \(dueDate.displayEn) (\(days) day\(days == 1 ? "" : "s") later)")
        }
        ja.append("期限: \(JapanTime.wallClock(due))（日本時間）= \(JapanTime.iso8601(due, wholeSeconds: true))")
        en.append("Due: \(JapanTime.wallClock(due)) JST = \(JapanTime.iso8601(due, wholeSeconds: true))")

        return LegalDeadline(kind: .hours, amount: n, from: instant, fromDate: fromDate, calendar: nil,
                             startDate: nil, due: due, dueDate: dueDate, extended: false, steps: [],
                             explanation: ja.joined(separator: "\n"), explanationEn: en.joined(separator: "\n"))
    }

    private static func header(ja: Bool, instant: Date, fromDate: LocalDate, calendar: BusinessCalendar?) -> [String] {
        var lines: [String] = []
        if ja {
            lines.append("起算時刻: \(JapanTime.wallClock(instant))（日本時間）= \(JapanTime.iso8601(instant, wholeSeconds: true))、日付 \(fromDate.displayJa)")
            if let calendar {
                lines.append("営業日カレンダー: \(calendar.nameJa)" + (calendar.observesYearEndClosure ? "" : "。年末年始休業は考慮しない"))
            }
        } else {
            lines.append("From: \(JapanTime.wallClock(instant)) JST = \(JapanTime.iso8601(instant, wholeSeconds: true)), date \(fromDate.displayEn)")
            if let calendar {
                lines.append("Business calendar: \(calendar.nameEn)" + (calendar.observesYearEndClosure ? "" : "; year-end closure not observed"))
            }
        }
        return lines
    }

    // MARK: - Codable (instants as ISO-8601 in Japanese time)

    enum CodingKeys: String, CodingKey {
        case kind, amount, from, fromDate, calendar, startDate, due, dueDate, extended, steps, explanation, explanationEn
    }

    public init(kind: Kind, amount: Int, from: Date, fromDate: LocalDate, calendar: String?, startDate: LocalDate?,
                due: Date, dueDate: LocalDate, extended: Bool, steps: [Step], explanation: String, explanationEn: String) {
        self.kind = kind
        self.amount = amount
        self.from = from
        self.fromDate = fromDate
        self.calendar = calendar
        self.startDate = startDate
        self.due = due
        self.dueDate = dueDate
        self.extended = extended
        self.steps = steps
        self.explanation = explanation
        self.explanationEn = explanationEn
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(amount, forKey: .amount)
        try container.encode(JapanTime.iso8601(from), forKey: .from)
        try container.encode(fromDate, forKey: .fromDate)
        try container.encodeIfPresent(calendar, forKey: .calendar)
        try container.encodeIfPresent(startDate, forKey: .startDate)
        try container.encode(JapanTime.iso8601(due), forKey: .due)
        try container.encode(dueDate, forKey: .dueDate)
        try container.encode(extended, forKey: .extended)
        try container.encode(steps, forKey: .steps)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(explanationEn, forKey: .explanationEn)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func instant(_ key: CodingKeys) throws -> Date {
            let text = try container.decode(String.self, forKey: key)
            guard let date = JapanTime.parseISO8601(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "Expected an ISO-8601 timestamp, got \"\(text)\"")
            }
            return date
        }
        kind = try container.decode(Kind.self, forKey: .kind)
        amount = try container.decode(Int.self, forKey: .amount)
        from = try instant(.from)
        fromDate = try container.decode(LocalDate.self, forKey: .fromDate)
        calendar = try container.decodeIfPresent(String.self, forKey: .calendar)
        startDate = try container.decodeIfPresent(LocalDate.self, forKey: .startDate)
        due = try instant(.due)
        dueDate = try container.decode(LocalDate.self, forKey: .dueDate)
        extended = try container.decodeIfPresent(Bool.self, forKey: .extended) ?? false
        steps = try container.decodeIfPresent([Step].self, forKey: .steps) ?? []
        explanation = try container.decode(String.self, forKey: .explanation)
        explanationEn = try container.decode(String.self, forKey: .explanationEn)
    }
}
