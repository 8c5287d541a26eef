import Foundation

/// Errors of the Japanese legal calendar. Each has an English `message` (also its
/// `description` / `errorDescription`) and a Japanese `messageJa`, ready for an API problem.
public enum CalendarError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// A year (or a date in a year) outside `JapaneseHolidays.supportedYears` (1949...2099).
    case yearOutOfRange(Int)
    /// A count of days or hours below zero or above the allowed maximum.
    case amountOutOfRange(kind: String, value: Int, allowed: ClosedRange<Int>)
    /// No business calendar with this name (`government`, `exchange`).
    case unknownCalendar(String)

    public var message: String {
        switch self {
        case .yearOutOfRange(let year):
            let range = JapaneseHolidays.supportedYears
            return "Year \(year) is outside the supported range \(range.lowerBound)...\(range.upperBound) of the Japanese holiday calendar (national holidays are computed from the 1948 National Holidays Act and the equinox formula valid up to 2099)."
        case .amountOutOfRange(let kind, let value, let allowed):
            return "The number of \(kind) must be between \(allowed.lowerBound) and \(allowed.upperBound); got \(value)."
        case .unknownCalendar(let name):
            return "Unknown business calendar \"\(name)\"; known calendars: \(BusinessCalendar.knownNames.joined(separator: ", "))."
        }
    }

    public var messageJa: String {
        switch self {
        case .yearOutOfRange(let year):
            let range = JapaneseHolidays.supportedYears
            return "\(year)年は祝日カレンダーの対象期間（\(range.lowerBound)年〜\(range.upperBound)年）外です。"
        case .amountOutOfRange(let kind, let value, let allowed):
            let kindJa = ["business days": "営業日数", "calendar days": "日数", "hours": "時間数"][kind] ?? kind
            return "\(kindJa)は\(allowed.lowerBound)以上\(allowed.upperBound)以下で指定してください（指定値: \(value)）。"
        case .unknownCalendar(let name):
            return "営業日カレンダー「\(name)」はありません（利用できるもの: \(BusinessCalendar.knownNames.joined(separator: ", "))）。"
        }
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
