import Foundation

/// Japanese civil time (Asia/Tokyo) for the legal calendar.
///
/// All instant ↔ date conversions of the calendar go through the single fixed time zone
/// `Asia/Tokyo` (UTC+09:00; Japan has observed no daylight saving time since September 1951,
/// the tz database's summer-time rules for 1948–1951 are honoured for those years). The date
/// of an instant is the Japanese civil date at that instant, whatever time zone the caller's
/// instant was written in.
public enum JapanTime {
    /// `Asia/Tokyo`; falls back to a fixed UTC+09:00 if the platform has no tz database.
    public static let timeZone: TimeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    /// A Gregorian calendar fixed to `timeZone`.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    /// The Japanese civil date of an instant.
    public static func date(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(unchecked: parts.year!, parts.month!, parts.day!)
    }

    /// 00:00:00 JST at the start of `date` (the first instant of that Japanese day).
    public static func startOfDay(_ date: LocalDate) -> Date {
        let noon = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// 23:59:59 JST at the end of `date`: one second before the start of the next day.
    public static func endOfDay(_ date: LocalDate) -> Date {
        startOfDay(date.next).addingTimeInterval(-1)
    }

    /// ISO-8601 / RFC 3339 in Japanese time with a colon offset: `2026-05-11T23:59:59+09:00`.
    /// Milliseconds are written only when the instant has a fractional second.
    public static func iso8601(_ instant: Date) -> String {
        // Round to the millisecond once, then format the whole second and the remainder.
        let totalMillis = Int((instant.timeIntervalSince1970 * 1000).rounded())
        let millis = ((totalMillis % 1000) + 1000) % 1000
        let whole = Date(timeIntervalSince1970: Double((totalMillis - millis) / 1000))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(parts.year!, 4))-\(pad(parts.month!))-\(pad(parts.day!))T\(pad(parts.hour!)):\(pad(parts.minute!)):\(pad(parts.second!))"
        if millis > 0 { text += "." + pad(millis, 3) }
        let offset = timeZone.secondsFromGMT(for: whole)
        let sign = offset < 0 ? "-" : "+"
        text += "\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
        return text
    }

    /// `2026-04-30 18:00:00`-style wall-clock time in Japan, for explanations.
    /// The same without milliseconds, for text people read (the second as the wall clock shows it).
    public static func iso8601(_ instant: Date, wholeSeconds: Bool) -> String {
        iso8601(wholeSeconds ? Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded(.down)) : instant)
    }

    static func wallClock(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: instant)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date(of: instant).iso) \(pad(parts.hour!)):\(pad(parts.minute!)):\(pad(parts.second!))"
    }

    /// Parses an RFC 3339 timestamp with an explicit offset or `Z`, with or without
    /// fractional seconds (`2026-04-30T18:00:00+09:00`, `2026-04-30T09:00:00.250Z`).
    ///
    /// A query string decoded as form data turns an unescaped `+09:00` into ` 09:00`; a single
    /// space in front of the offset is therefore read as `+`.
    public static func parseISO8601(_ text: String) -> Date? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("T"), let space = trimmed.range(of: " ", options: .backwards) {
            trimmed.replaceSubrange(space, with: "+")
        }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
