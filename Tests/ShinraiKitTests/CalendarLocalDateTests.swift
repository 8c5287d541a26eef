import Foundation
import Testing
@testable import ShinraiKit

private func jpDate(_ text: String) -> LocalDate { LocalDate(text)! }
private func jpInstant(_ text: String) -> Date { JapanTime.parseISO8601(text)! }

@Suite("Calendar: LocalDate and Japanese time")
struct CalendarLocalDateTests {
    @Test("parses and prints YYYY-MM-DD, rejecting impossible dates")
    func parsing() {
        #expect(LocalDate("2026-01-01")?.iso == "2026-01-01")
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("1900-02-29") == nil)
        #expect(LocalDate("2000-02-29") != nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("2026-04-31") == nil)
        #expect(LocalDate("2026-1-01") == nil)
        #expect(LocalDate("2026/01/01") == nil)
        #expect(LocalDate("２０２６-01-01") == nil)
        #expect(LocalDate(year: 2026, month: 5, day: 6)?.description == "2026-05-06")
        #expect(LocalDate(year: 2026, month: 0, day: 6) == nil)
    }

    @Test("weekdays of known dates")
    func weekdays() {
        #expect(jpDate("1970-01-01").weekday == .thursday)
        #expect(jpDate("1949-01-01").weekday == .saturday)
        #expect(jpDate("1973-04-29").weekday == .sunday)
        #expect(jpDate("2000-02-29").weekday == .tuesday)
        #expect(jpDate("2026-05-03").weekday == .sunday)
        #expect(jpDate("2026-04-30").weekday == .thursday)
        #expect(jpDate("2099-12-31").weekday == .thursday)
        #expect(jpDate("2026-05-02").displayJa == "2026-05-02（土）")
        #expect(jpDate("2026-05-02").displayEn == "2026-05-02 (Sat)")
    }

    @Test("day arithmetic crosses months, leap days and years")
    func arithmetic() {
        #expect(jpDate("2024-02-28").adding(days: 1) == jpDate("2024-02-29"))
        #expect(jpDate("2023-02-28").adding(days: 1) == jpDate("2023-03-01"))
        #expect(jpDate("2026-12-31").next == jpDate("2027-01-01"))
        #expect(jpDate("2027-01-01").previous == jpDate("2026-12-31"))
        #expect(jpDate("1949-01-01").days(to: jpDate("2099-12-31")) == 55_151)
        for offset in stride(from: -30_000, through: 60_000, by: 997) {
            #expect(LocalDate(daysSince1970: offset).daysSince1970 == offset)
        }
        #expect(jpDate("2026-05-06") > jpDate("2026-05-05"))
        #expect([jpDate("2026-05-06"), jpDate("2025-12-31"), jpDate("2026-01-01")].sorted().map(\.iso) == ["2025-12-31", "2026-01-01", "2026-05-06"])
    }

    @Test("JSON is the ISO string; bad strings fail to decode")
    func codable() throws {
        let data = try JSONEncoder().encode([jpDate("2026-01-01")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-01-01\"]")
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [jpDate("2026-01-01")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }

    @Test("the date of an instant is the Japanese civil date")
    func japaneseDate() {
        // 14:59:59Z is 23:59:59 JST; 15:00Z is already the next day in Japan.
        #expect(JapanTime.date(of: jpInstant("2026-04-30T14:59:59Z")) == jpDate("2026-04-30"))
        #expect(JapanTime.date(of: jpInstant("2026-04-30T15:00:00Z")) == jpDate("2026-05-01"))
        #expect(JapanTime.date(of: jpInstant("2026-05-01T00:30:00-07:00")) == jpDate("2026-05-01"))
        #expect(JapanTime.date(of: jpInstant("2026-05-01T00:30:00+09:00")) == jpDate("2026-05-01"))
    }

    @Test("start and end of a Japanese day, formatted with +09:00")
    func dayBoundaries() {
        #expect(JapanTime.iso8601(JapanTime.startOfDay(jpDate("2026-05-11"))) == "2026-05-11T00:00:00+09:00")
        #expect(JapanTime.iso8601(JapanTime.endOfDay(jpDate("2026-05-11"))) == "2026-05-11T23:59:59+09:00")
        #expect(JapanTime.endOfDay(jpDate("2026-05-11")) == jpInstant("2026-05-11T14:59:59Z"))
        #expect(JapanTime.iso8601(jpInstant("2026-04-30T12:00:00.250Z")) == "2026-04-30T21:00:00.250+09:00")
        #expect(JapanTime.parseISO8601("not a date") == nil)
        #expect(JapanTime.parseISO8601("2026-04-30T21:00:00+09:00") == jpInstant("2026-04-30T12:00:00Z"))
        // "+" decoded as a space by form-style query parsing
        #expect(JapanTime.parseISO8601("2026-04-30T21:00:00 09:00") == jpInstant("2026-04-30T12:00:00Z"))
        #expect(JapanTime.parseISO8601("2026-04-30T12:00:00.5Z") == jpInstant("2026-04-30T12:00:00Z").addingTimeInterval(0.5))
        #expect(JapanTime.parseISO8601("2026-04-30") == nil)
    }
}
