import Foundation
import ShinraiKit

/// The calendar a clock counts business days on.
public enum ClockCalendar: String, Codable, Sendable, CaseIterable {
    /// 取引所の休業日 (TSE: weekends, national holidays, 12/31–1/3).
    case exchange
    /// 行政機関の休日 (weekends, national holidays, 12/29–1/3).
    case government
    /// Days the U.S. SEC is open (weekdays except federal holidays), dates in Washington.
    case usFederal = "us-federal"

    var japanese: BusinessCalendar? {
        switch self {
        case .exchange: return .exchange
        case .government: return .government
        case .usFederal: return nil
        }
    }
}

public enum ClockKind: String, Codable, Sendable, CaseIterable {
    case businessDays, calendarDays, hours, months
}

/// How long a regime gives, as rule data: "4 business days on the exchange calendar",
/// "30 calendar days, extended to the next government business day", "72 hours", "1 month".
public struct ClockSpec: Codable, Sendable, Equatable, Hashable {
    public var kind: ClockKind
    public var amount: Int
    public var calendar: ClockCalendar
    /// Calendar days and months: a last day that is not a business day moves to the next one (民法第142条).
    public var extendToBusinessDay: Bool

    public init(kind: ClockKind, amount: Int, calendar: ClockCalendar = .exchange, extendToBusinessDay: Bool = false) {
        self.kind = kind; self.amount = amount; self.calendar = calendar; self.extendToBusinessDay = extendToBusinessDay
    }

    public static func businessDays(_ n: Int, _ calendar: ClockCalendar) -> ClockSpec { .init(kind: .businessDays, amount: n, calendar: calendar) }
    public static func calendarDays(_ n: Int, extended: Bool = false) -> ClockSpec {
        .init(kind: .calendarDays, amount: n, calendar: .government, extendToBusinessDay: extended)
    }
    public static func hours(_ n: Int) -> ClockSpec { .init(kind: .hours, amount: n, calendar: .government) }
    public static func months(_ n: Int) -> ClockSpec { .init(kind: .months, amount: n, calendar: .government) }

    /// Allowed amounts per kind (rule editing refuses anything else).
    public static func allowedAmounts(_ kind: ClockKind) -> ClosedRange<Int> {
        switch kind {
        case .businessDays: return 0...60
        case .calendarDays: return 0...365
        case .hours: return 1...2160
        case .months: return 1...12
        }
    }

    /// Problems with this specification (empty when it can be computed).
    public func problems(pointer: String = "/clock") -> [FieldError] {
        var errors = ValidationErrors()
        let range = Self.allowedAmounts(kind)
        if !range.contains(amount) {
            errors.add(pointer + "/amount", code: FieldError.Code.range,
                       .init(ja: "期間は\(range.lowerBound)〜\(range.upperBound)の範囲で指定してください。",
                             en: "The amount must be from \(range.lowerBound) to \(range.upperBound)."))
        }
        if calendar == .usFederal && kind != .businessDays && kind != .hours {
            errors.add(pointer + "/calendar", code: FieldError.Code.invalid,
                       .init(ja: "米国の営業日カレンダーは営業日の期限にだけ使えます。", en: "The U.S. calendar is only used for business-day clocks."))
        }
        return errors.errors
    }

    /// 「4営業日（取引所カレンダー）」/ "4 business days (exchange calendar)".
    public func label(_ language: UILanguage) -> String {
        switch (kind, language) {
        case (.businessDays, .ja): return "\(amount)営業日（\(calendar.labelJa)）"
        case (.businessDays, .en): return "\(amount) business day\(amount == 1 ? "" : "s") (\(calendar.labelEn))"
        case (.calendarDays, .ja): return "\(amount)日" + (extendToBusinessDay ? "（末日が休日なら翌営業日）" : "")
        case (.calendarDays, .en): return "\(amount) day\(amount == 1 ? "" : "s")" + (extendToBusinessDay ? " (a non-business last day moves to the next business day)" : "")
        case (.hours, .ja): return "\(amount)時間"
        case (.hours, .en): return "\(amount) hour\(amount == 1 ? "" : "s")"
        case (.months, .ja): return "\(amount)か月" + (extendToBusinessDay ? "（末日が休日なら翌営業日）" : "")
        case (.months, .en): return "\(amount) month\(amount == 1 ? "" : "s")" + (extendToBusinessDay ? " (a non-business last day moves to the next business day)" : "")
        }
    }
}

extension ClockCalendar {
    var labelJa: String {
        switch self {
        case .exchange: return "取引所カレンダー"
        case .government: return "行政機関カレンダー"
        case .usFederal: return "米国SEC営業日"
        }
    }
    var labelEn: String {
        switch self {
        case .exchange: return "exchange calendar"
        case .government: return "government calendar"
        case .usFederal: return "U.S. SEC business days"
        }
    }
}

/// A period during which an approved delay stops a clock.
public struct PauseWindow: Sendable, Equatable, Hashable, Codable {
    public var start: Date
    public var end: Date
    public init(start: Date, end: Date) { self.start = start; self.end = end }
}

/// A computed deadline with how it was counted.
public struct ObligationDeadline: Sendable, Equatable {
    public let spec: ClockSpec
    public let trigger: Date
    /// The last instant of the period (23:59:59 JST of the due date, 17:30 ET for the SEC, exact for hours).
    public let due: Date
    /// The due date in the calendar's own zone (Japan; Washington for the SEC).
    public let dueDate: LocalDate
    /// Whether the due instant is the end of a whole day (any time on the due date is on time).
    public let endOfDay: Bool
    /// Delays that moved this deadline.
    public let pauses: [PauseWindow]
    public let explanationJa: String
    public let explanationEn: String

    /// Day deadlines are met by any instant on the due date (also 23:59:59.5); others up to `due`.
    public func isLate(at instant: Date) -> Bool {
        endOfDay ? instant >= due.addingTimeInterval(1) : instant > due
    }

    public func remaining(at instant: Date) -> TimeInterval { due.timeIntervalSince(instant) }

    public func explanation(_ language: UILanguage) -> String { language == .ja ? explanationJa : explanationEn }
}

/// Computes regime deadlines on the Japanese legal calendar (ShinraiKit `LegalDeadline`) or the
/// SEC calendar, and stops them while an approved delay lasts.
///
/// A delay pauses the clock: the time (or the days) used before the delay began is kept, the
/// rest is counted again from the end of the delay. For day-based clocks the day on which a delay
/// begins, every day inside it and the day on which it ends are not counted — resuming uses the
/// ordinary rule with the end of the delay as the new starting instant, so the next counted day is
/// the first business (or calendar) day after the delay. For hours, exactly the remaining seconds
/// run from the end of the delay. A delay that begins after the deadline has passed changes nothing.
public enum DeadlineEngine {
    public static func deadline(_ spec: ClockSpec, from trigger: Date, pauses: [PauseWindow] = []) throws -> ObligationDeadline {
        var kind = spec.kind
        var amount = spec.amount
        var prefixJa: [String] = [], prefixEn: [String] = []
        if kind == .months {
            // A period in months ends on the corresponding date (民法第143条); no such date → the month's last day.
            let from = JapanTime.date(of: trigger)
            let to = from.addingMonths(amount)
            amount = from.days(to: to)
            kind = .calendarDays
            prefixJa.append("\(spec.amount)か月: \(from.displayJa)の応当日は\(to.displayJa)（\(amount)日後）。日数に直して数える。")
            prefixEn.append("\(spec.amount) month\(spec.amount == 1 ? "" : "s"): the corresponding date of \(from.displayEn) is \(to.displayEn) (\(amount) days later), counted as days.")
        }
        // Hours are counted in seconds so a pause can stop the clock mid-hour.
        var remaining = kind == .hours ? amount * 3600 : amount
        var anchor = trigger
        var applied: [PauseWindow] = []
        var pauseJa: [String] = [], pauseEn: [String] = []
        for pause in pauses.sorted(by: { $0.start < $1.start }) where pause.end > pause.start {
            let current = try segment(kind, remaining, spec: spec, from: anchor)
            guard pause.start <= current.due, pause.end > anchor else { continue }
            let used = try consumed(kind, spec: spec, from: anchor, until: max(pause.start, anchor))
            remaining = max(0, remaining - used)
            anchor = pause.end
            applied.append(pause)
            let unitJa = kind == .hours ? "秒" : (kind == .businessDays ? "営業日" : "日")
            let unitEn = kind == .hours ? "seconds" : (kind == .businessDays ? "business days" : "days")
            pauseJa.append("開示猶予（承認済み）: \(JapanTime.iso8601(pause.start)) 〜 \(JapanTime.iso8601(pause.end))。この間は時計を止める。猶予開始までに経過: \(kind == .hours ? hoursText(used, ja: true) : "\(used)\(unitJa)")、残り: \(kind == .hours ? hoursText(remaining, ja: true) : "\(remaining)\(unitJa)")。猶予の終了時刻から残りを数える。")
            pauseEn.append("Approved delay: \(JapanTime.iso8601(pause.start)) to \(JapanTime.iso8601(pause.end)); the clock is stopped. Used before the delay: \(kind == .hours ? hoursText(used, ja: false) : "\(used) \(unitEn)"), remaining: \(kind == .hours ? hoursText(remaining, ja: false) : "\(remaining) \(unitEn)"). The rest is counted from the end of the delay.")
        }
        let final = try segment(kind, remaining, spec: spec, from: anchor)
        var ja = prefixJa, en = prefixEn
        if !applied.isEmpty {
            ja.append("当初の起算時刻: \(JapanTime.iso8601(trigger))")
            en.append("Original starting instant: \(JapanTime.iso8601(trigger))")
            ja += pauseJa; en += pauseEn
        }
        ja.append(final.explanationJa); en.append(final.explanationEn)
        return ObligationDeadline(spec: spec, trigger: trigger, due: final.due, dueDate: final.dueDate, endOfDay: final.endOfDay,
                                  pauses: applied, explanationJa: ja.joined(separator: "\n"), explanationEn: en.joined(separator: "\n"))
    }

    struct Segment {
        let due: Date
        let dueDate: LocalDate
        let endOfDay: Bool
        let explanationJa: String
        let explanationEn: String
    }

    /// One uninterrupted count of `amount` units (seconds for hours) from `anchor`.
    static func segment(_ kind: ClockKind, _ amount: Int, spec: ClockSpec, from anchor: Date) throws -> Segment {
        switch kind {
        case .businessDays:
            if let calendar = spec.calendar.japanese {
                let legal = try LegalDeadline.businessDays(amount, after: anchor, calendar: calendar)
                return Segment(due: legal.due, dueDate: legal.dueDate, endOfDay: true, explanationJa: legal.explanation, explanationEn: legal.explanationEn)
            }
            return try secBusinessDays(amount, after: anchor)
        case .calendarDays, .months:
            let legal = try LegalDeadline.calendarDays(amount, after: anchor, calendar: spec.calendar.japanese ?? .government,
                                                       extendToBusinessDay: spec.extendToBusinessDay)
            return Segment(due: legal.due, dueDate: legal.dueDate, endOfDay: true, explanationJa: legal.explanation, explanationEn: legal.explanationEn)
        case .hours:
            if amount % 3600 == 0 {
                let legal = try LegalDeadline.hours(amount / 3600, after: anchor)
                return Segment(due: legal.due, dueDate: legal.dueDate, endOfDay: false, explanationJa: legal.explanation, explanationEn: legal.explanationEn)
            }
            let due = anchor.addingTimeInterval(TimeInterval(amount))
            return Segment(due: due, dueDate: JapanTime.date(of: due), endOfDay: false,
                           explanationJa: "残り\(hoursText(amount, ja: true))を \(JapanTime.iso8601(anchor)) から数える。期限: \(JapanTime.iso8601(due))",
                           explanationEn: "The remaining \(hoursText(amount, ja: false)) run from \(JapanTime.iso8601(anchor)). Due: \(JapanTime.iso8601(due))")
        }
    }

    /// Units of the clock used between `anchor` and `instant` (the start of a delay).
    static func consumed(_ kind: ClockKind, spec: ClockSpec, from anchor: Date, until instant: Date) throws -> Int {
        switch kind {
        case .businessDays:
            if let calendar = spec.calendar.japanese {
                let day0 = try calendar.businessDay(onOrAfter: JapanTime.date(of: anchor))
                let end = JapanTime.date(of: instant)
                guard end > day0.next else { return 0 }
                return try calendar.businessDays(from: day0.next, through: end.previous).count
            }
            return USFederalCalendar.businessDays(after: USFederalCalendar.date(of: anchor), before: USFederalCalendar.date(of: instant))
        case .calendarDays, .months:
            return max(0, JapanTime.date(of: anchor).days(to: JapanTime.date(of: instant)) - 1)
        case .hours:
            return max(0, Int(instant.timeIntervalSince(anchor)))
        }
    }

    /// Form 8-K: the N-th SEC business day strictly after the (Washington) date of the event, 17:30 ET.
    static func secBusinessDays(_ n: Int, after anchor: Date) throws -> Segment {
        guard ClockSpec.allowedAmounts(.businessDays).contains(n) else {
            throw CalendarError.amountOutOfRange(kind: "business days", value: n, allowed: ClockSpec.allowedAmounts(.businessDays))
        }
        let start = USFederalCalendar.date(of: anchor)
        guard (1949...2099).contains(start.year) else { throw CalendarError.yearOutOfRange(start.year) }
        var ja = ["起算時刻（米国東部時間）: \(USFederalCalendar.wallClock(anchor)) = \(JapanTime.iso8601(anchor))、日付 \(start.displayJa)",
                  "営業日カレンダー: 米国SECの営業日（土日・連邦祝日を除く）",
                  "数え方: Form 8-K 一般指示B.1。起算日の翌日以降の営業日を1日目から数える（起算日が休業日なら、その後の最初の営業日が1日目）。\(n)営業日目の17:30（米国東部時間、EDGARの当日受付の締切）を期限とする。"]
        var en = ["From (Eastern time): \(USFederalCalendar.wallClock(anchor)) = \(JapanTime.iso8601(anchor)), date \(start.displayEn)",
                  "Business calendar: U.S. SEC business days (weekends and federal holidays excluded)",
                  "Rule: Form 8-K General Instruction B.1. Business days after the date of the event are numbered from 1 (when the event falls on a day the Commission is closed, the first business day thereafter is day 1). The deadline is 17:30 Eastern time (EDGAR's same-day cut-off) on business day \(n)."]
        if let reason = USFederalCalendar.nonBusinessReason(start) {
            ja.append("\(start.displayJa) 起算日。休業日（\(reason.ja)）")
            en.append("\(start.displayEn) date of the event; the Commission is closed (\(reason.en))")
        } else {
            ja.append("\(start.displayJa) 0日目（起算日）")
            en.append("\(start.displayEn) day 0 (date of the event)")
        }
        var day = start
        var counted = 0
        while counted < n {
            day = day.next
            guard day.year <= 2099 else { throw CalendarError.yearOutOfRange(day.year) }
            if let reason = USFederalCalendar.nonBusinessReason(day) {
                ja.append("\(day.displayJa) 除外: \(reason.ja)")
                en.append("\(day.displayEn) skipped: \(reason.en)")
            } else {
                counted += 1
                ja.append("\(day.displayJa) \(counted)営業日目")
                en.append("\(day.displayEn) business day \(counted)")
            }
        }
        let due = USFederalCalendar.filingCutoff(on: day)
        ja.append("期限: \(day.displayJa) 17:30（米国東部時間）= \(JapanTime.iso8601(due))（日本時間）")
        en.append("Due: \(day.displayEn) 17:30 Eastern time = \(JapanTime.iso8601(due)) in Japan")
        return Segment(due: due, dueDate: day, endOfDay: false, explanationJa: ja.joined(separator: "\n"), explanationEn: en.joined(separator: "\n"))
    }

    static func hoursText(_ seconds: Int, ja: Bool) -> String {
        let h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60
        if ja { return "\(h)時間" + (m > 0 || s > 0 ? "\(m)分" : "") + (s > 0 ? "\(s)秒" : "") }
        return "\(h) h" + (m > 0 || s > 0 ? " \(m) min" : "") + (s > 0 ? " \(s) s" : "")
    }
}

extension LocalDate {
    /// The corresponding date `months` later; the month's last day when it has no such date.
    func addingMonths(_ months: Int) -> LocalDate {
        let total = (year * 12 + (month - 1)) + months
        let y = total / 12, m = total % 12 + 1
        return LocalDate(year: y, month: m, day: min(day, LocalDate.daysInMonth(year: y, month: m)))!
    }
}

/// Human-readable time left: 「残り 1日 3時間」, 「期限超過 2時間」.
enum TimeLeft {
    static func text(_ seconds: TimeInterval, _ language: UILanguage) -> String {
        let late = seconds < 0
        let total = Int(abs(seconds))
        let days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60
        var parts: [String] = []
        if language == .ja {
            if days > 0 { parts.append("\(days)日") }
            if hours > 0 || days > 0 { parts.append("\(hours)時間") }
            if days == 0 { parts.append("\(minutes)分") }
            return (late ? "期限超過 " : "残り ") + parts.joined(separator: " ")
        }
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 || days > 0 { parts.append("\(hours) h") }
        if days == 0 { parts.append("\(minutes) min") }
        return parts.joined(separator: " ") + (late ? " overdue" : " left")
    }
}
