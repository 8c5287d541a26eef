import Foundation
import Testing
@testable import ShinraiKit

private func jpDate(_ text: String) -> LocalDate { LocalDate(text)! }
private func jpInstant(_ text: String) -> Date { JapanTime.parseISO8601(text)! }

@Suite("Calendar: deadline arithmetic")
struct CalendarDeadlineTests {
    // MARK: Business days

    @Test("determination on Thursday 2026-04-30 evening, 4 business days, exchange → Monday 2026-05-11")
    func goldenWeek() throws {
        let deadline = try LegalDeadline.businessDays(4, after: jpInstant("2026-04-30T21:00:00+09:00"), calendar: .exchange)
        #expect(deadline.fromDate == jpDate("2026-04-30"))
        #expect(deadline.startDate == jpDate("2026-04-30"))
        #expect(deadline.dueDate == jpDate("2026-05-11"))
        #expect(deadline.due == jpInstant("2026-05-11T23:59:59+09:00"))
        #expect(deadline.dueISO8601 == "2026-05-11T23:59:59+09:00")
        #expect(deadline.calendar == "exchange")
        #expect(deadline.steps.filter { $0.role == .counted }.map(\.date.iso) == ["2026-05-01", "2026-05-07", "2026-05-08", "2026-05-11"])
        #expect(deadline.steps.filter { $0.role == .skipped }.map(\.date.iso) == [
            "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06", "2026-05-09", "2026-05-10",
        ])
        for line in [
            "2026-04-30（木） 0日目（起算日）",
            "2026-05-01（金） 1営業日目",
            "2026-05-02（土） 除外: 土曜日",
            "2026-05-03（日） 除外: 憲法記念日・日曜日",
            "2026-05-04（月） 除外: みどりの日",
            "2026-05-05（火） 除外: こどもの日",
            "2026-05-06（水） 除外: 振替休日",
            "2026-05-11（月） 4営業日目",
            "期限: 2026-05-11（月） 23:59:59（日本時間）= 2026-05-11T23:59:59+09:00",
        ] {
            #expect(deadline.explanation.contains(line), "missing: \(line)\n\(deadline.explanation)")
        }
        for line in [
            "2026-05-03 (Sun) skipped: Constitution Memorial Day, Sunday",
            "2026-05-06 (Wed) skipped: Substitute Holiday",
            "2026-05-11 (Mon) business day 4",
            "Due: 2026-05-11 (Mon) 23:59:59 JST = 2026-05-11T23:59:59+09:00",
        ] {
            #expect(deadline.explanationEn.contains(line), "missing: \(line)\n\(deadline.explanationEn)")
        }
    }

    @Test("the same instant written in UTC gives the same deadline; 00:30 JST is already the next day")
    func timeZoneOfInput() throws {
        let utc = try LegalDeadline.businessDays(4, after: jpInstant("2026-04-30T12:00:00Z"), calendar: .exchange)
        #expect(utc.dueDate == jpDate("2026-05-11"))
        // 2026-04-30T15:30Z is Friday 2026-05-01 00:30 in Japan: day 0 is 05-01.
        let afterMidnight = try LegalDeadline.businessDays(4, after: jpInstant("2026-04-30T15:30:00Z"), calendar: .exchange)
        #expect(afterMidnight.startDate == jpDate("2026-05-01"))
        #expect(afterMidnight.dueDate == jpDate("2026-05-12"))
    }

    @Test("2026-12-30 before the year-end closure: government waits for 2027-01-04, exchange counts from 12/30")
    func yearEnd() throws {
        let from = jpInstant("2026-12-30T10:00:00+09:00")
        let government = try LegalDeadline.businessDays(4, after: from, calendar: .government)
        #expect(government.startDate == jpDate("2027-01-04"))
        #expect(government.dueDate == jpDate("2027-01-08"))
        #expect(government.steps.first?.role == .triggerNotBusinessDay)
        #expect(government.explanation.contains("2026-12-30（水） 起算時刻の日付。営業日でない（年末年始休業（12月29日〜1月3日））ため0日目としない"))
        #expect(government.explanation.contains("2027-01-01（金） 除外: 元日・年末年始休業（12月29日〜1月3日）"))
        #expect(government.explanation.contains("2027-01-04（月） 0日目（起算日）"))

        let exchange = try LegalDeadline.businessDays(4, after: from, calendar: .exchange)
        #expect(exchange.startDate == jpDate("2026-12-30"))
        #expect(exchange.dueDate == jpDate("2027-01-07"))
        #expect(exchange.explanation.contains("2026-12-31（木） 除外: 年末年始休業（12月31日〜1月3日）"))
        #expect(exchange.explanationEn.contains("2027-01-02 (Sat) skipped: Saturday, year-end closure (Dec 31 – Jan 3)"))

        let noClosure = try LegalDeadline.businessDays(4, after: from, calendar: BusinessCalendar.government.observingYearEndClosure(false))
        #expect(noClosure.startDate == jpDate("2026-12-30"))
        #expect(noClosure.dueDate == jpDate("2027-01-06")) // 12/31, 1/4, 1/5, 1/6
        #expect(noClosure.explanation.contains("年末年始休業は考慮しない"))
    }

    @Test("a Sunday: counting starts on the next business day")
    func sunday() throws {
        let plain = try LegalDeadline.businessDays(4, after: jpInstant("2026-06-07T09:00:00+09:00"), calendar: .exchange)
        #expect(plain.startDate == jpDate("2026-06-08"))
        #expect(plain.dueDate == jpDate("2026-06-12"))
        // Sunday 2026-05-03 is also 憲法記念日: day 0 is Thursday 05-07.
        let goldenWeek = try LegalDeadline.businessDays(4, after: jpInstant("2026-05-03T15:00:00+09:00"), calendar: .government)
        #expect(goldenWeek.startDate == jpDate("2026-05-07"))
        #expect(goldenWeek.dueDate == jpDate("2026-05-13"))
        #expect(goldenWeek.steps.prefix(4).map(\.role) == [.triggerNotBusinessDay, .skipped, .skipped, .skipped])
    }

    @Test("a Friday at 18:00 counts Friday as day 0")
    func fridayEvening() throws {
        let deadline = try LegalDeadline.businessDays(4, after: jpInstant("2026-06-05T18:00:00+09:00"), calendar: .exchange)
        #expect(deadline.startDate == jpDate("2026-06-05"))
        #expect(deadline.dueDate == jpDate("2026-06-11"))
        #expect(deadline.due == jpInstant("2026-06-11T14:59:59Z"))
        let one = try LegalDeadline.businessDays(1, after: jpInstant("2026-06-05T18:00:00+09:00"), calendar: .exchange)
        #expect(one.dueDate == jpDate("2026-06-08"))
    }

    @Test("a Saturday before a Monday holiday (2026-07-18, 海の日 on 07-20)")
    func saturdayBeforeMondayHoliday() throws {
        let deadline = try LegalDeadline.businessDays(4, after: jpInstant("2026-07-18T11:00:00+09:00"), calendar: .exchange)
        #expect(deadline.startDate == jpDate("2026-07-21"))
        #expect(deadline.dueDate == jpDate("2026-07-27"))
        #expect(deadline.explanation.contains("2026-07-20（月） 除外: 海の日"))
        #expect(deadline.explanationEn.contains("2026-07-20 (Mon) skipped: Marine Day"))
    }

    @Test("zero business days: the end of day 0")
    func zero() throws {
        #expect(try LegalDeadline.businessDays(0, after: jpInstant("2026-04-30T09:00:00+09:00"), calendar: .exchange).dueDate == jpDate("2026-04-30"))
        #expect(try LegalDeadline.businessDays(0, after: jpInstant("2026-05-02T09:00:00+09:00"), calendar: .exchange).dueDate == jpDate("2026-05-07"))
    }

    @Test("Silver Week 2026 and the 2019 ten-day holiday")
    func longBreaks() throws {
        let silver = try LegalDeadline.businessDays(1, after: jpInstant("2026-09-18T12:00:00+09:00"), calendar: .exchange)
        #expect(silver.dueDate == jpDate("2026-09-24"))
        #expect(silver.explanation.contains("2026-09-22（火） 除外: 国民の休日"))
        let reiwa = try LegalDeadline.businessDays(1, after: jpInstant("2019-04-26T12:00:00+09:00"), calendar: .government)
        #expect(reiwa.dueDate == jpDate("2019-05-07"))
        #expect(reiwa.explanation.contains("2019-05-01（水） 除外: 天皇の即位の日"))
    }

    // MARK: Calendar days

    @Test("calendar days: the first day is not counted; optional move to the next business day")
    func calendarDays() throws {
        let from = jpInstant("2026-04-30T21:00:00+09:00")
        let plain = try LegalDeadline.calendarDays(10, after: from)
        #expect(plain.dueDate == jpDate("2026-05-10"))
        #expect(plain.due == jpInstant("2026-05-10T23:59:59+09:00"))
        #expect(!plain.extended)

        let moved = try LegalDeadline.calendarDays(10, after: from, calendar: .government, extendToBusinessDay: true)
        #expect(moved.dueDate == jpDate("2026-05-11"))
        #expect(moved.extended)
        #expect(moved.explanation.contains("2026-05-10（日） 10日目（期間の末日）。営業日でない: 日曜日"))
        #expect(moved.explanation.contains("民法第142条"))

        let goldenWeek = try LegalDeadline.calendarDays(3, after: jpInstant("2026-05-01T10:00:00+09:00"), calendar: .exchange, extendToBusinessDay: true)
        #expect(goldenWeek.dueDate == jpDate("2026-05-07"))
        #expect(goldenWeek.steps.map(\.role) == [.start, .counted, .skipped, .skipped, .extended])
        #expect(goldenWeek.explanationEn.contains("2026-05-06 (Wed) skipped: Substitute Holiday"))
        #expect(try LegalDeadline.calendarDays(3, after: jpInstant("2026-05-01T10:00:00+09:00")).dueDate == jpDate("2026-05-04"))

        let businessDay = try LegalDeadline.calendarDays(7, after: from, extendToBusinessDay: true)
        #expect(businessDay.dueDate == jpDate("2026-05-07"))
        #expect(!businessDay.extended)

        #expect(try LegalDeadline.calendarDays(0, after: from).dueDate == jpDate("2026-04-30"))
    }

    @Test("calendar days ending in the year-end closure depend on the calendar")
    func calendarDaysYearEnd() throws {
        let from = jpInstant("2026-12-25T12:00:00+09:00")
        #expect(try LegalDeadline.calendarDays(5, after: from, calendar: .government, extendToBusinessDay: true).dueDate == jpDate("2027-01-04"))
        #expect(try LegalDeadline.calendarDays(5, after: from, calendar: .exchange, extendToBusinessDay: true).dueDate == jpDate("2026-12-30"))
        #expect(try LegalDeadline.calendarDays(5, after: from).dueDate == jpDate("2026-12-30"))
    }

    // MARK: Hours

    @Test("hours are exact and cross midnight and holidays")
    func hours() throws {
        let late = try LegalDeadline.hours(2, after: jpInstant("2026-04-30T23:30:00+09:00"))
        #expect(late.due == jpInstant("2026-05-01T01:30:00+09:00"))
        #expect(late.dueDate == jpDate("2026-05-01"))
        #expect(late.dueISO8601 == "2026-05-01T01:30:00+09:00")
        #expect(late.calendar == nil)
        #expect(late.explanation.contains("日付をまたぐ: 2026-04-30（木） → 2026-05-01（金）"))
        #expect(late.explanationEn.contains("Crosses midnight"))

        let seventyTwo = try LegalDeadline.hours(72, after: jpInstant("2026-05-01T01:00:00Z"))
        #expect(seventyTwo.dueISO8601 == "2026-05-04T10:00:00+09:00")
        #expect(seventyTwo.dueDate == jpDate("2026-05-04"))

        let fractional = try LegalDeadline.hours(1, after: jpInstant("2026-04-30T12:00:00.250Z"))
        #expect(fractional.dueISO8601 == "2026-04-30T22:00:00.250+09:00")
    }

    // MARK: Being on time

    @Test("past due: the whole due date counts for day deadlines; hours are exact")
    func pastDue() throws {
        let deadline = try LegalDeadline.businessDays(4, after: jpInstant("2026-04-30T21:00:00+09:00"), calendar: .exchange)
        #expect(!deadline.isPastDue(at: jpInstant("2026-05-11T23:59:59+09:00")))
        #expect(!deadline.isPastDue(at: jpInstant("2026-05-11T14:59:59.500Z")))
        #expect(deadline.isPastDue(at: jpInstant("2026-05-12T00:00:00+09:00")))
        #expect(deadline.timeRemaining(at: jpInstant("2026-05-11T23:00:00+09:00")) == 3599)
        #expect(deadline.timeRemaining(at: jpInstant("2026-05-12T00:00:59+09:00")) == -60)

        let hours = try LegalDeadline.hours(24, after: jpInstant("2026-04-30T10:00:00+09:00"))
        #expect(!hours.isPastDue(at: jpInstant("2026-05-01T10:00:00+09:00")))
        #expect(hours.isPastDue(at: jpInstant("2026-05-01T10:00:01+09:00")))
        #expect(hours.timeRemaining(at: jpInstant("2026-05-01T09:00:00+09:00")) == 3600)
    }

    // MARK: Encoding and errors

    @Test("JSON: due with +09:00, dueDate, explanations, calendar name; round-trips")
    func json() throws {
        let deadline = try LegalDeadline.businessDays(4, after: jpInstant("2026-04-30T21:00:00+09:00"), calendar: .exchange)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(deadline)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["due"] as? String == "2026-05-11T23:59:59+09:00")
        #expect(object["dueDate"] as? String == "2026-05-11")
        #expect(object["from"] as? String == "2026-04-30T21:00:00+09:00")
        #expect(object["calendar"] as? String == "exchange")
        #expect(object["kind"] as? String == "businessDays")
        #expect(object["amount"] as? Int == 4)
        #expect((object["explanation"] as? String)?.contains("憲法記念日") == true)
        #expect((object["explanationEn"] as? String)?.contains("Constitution Memorial Day") == true)
        #expect(try JSONDecoder().decode(LegalDeadline.self, from: data) == deadline)

        // An encoder with another date strategy does not change the instants.
        let other = JSONEncoder()
        other.dateEncodingStrategy = .secondsSince1970
        let again = try #require(try JSONSerialization.jsonObject(with: other.encode(deadline)) as? [String: Any])
        #expect(again["due"] as? String == "2026-05-11T23:59:59+09:00")
    }

    @Test("invalid amounts and years are rejected")
    func errors() throws {
        let from = jpInstant("2026-04-30T21:00:00+09:00")
        #expect(throws: CalendarError.amountOutOfRange(kind: "business days", value: -1, allowed: LegalDeadline.businessDaysRange)) {
            try LegalDeadline.businessDays(-1, after: from, calendar: .exchange)
        }
        #expect(throws: CalendarError.self) { try LegalDeadline.calendarDays(-3, after: from) }
        #expect(throws: CalendarError.self) { try LegalDeadline.hours(-1, after: from) }
        #expect(throws: CalendarError.self) { try LegalDeadline.businessDays(10_001, after: from, calendar: .exchange) }
        #expect(throws: CalendarError.yearOutOfRange(1948)) {
            try LegalDeadline.businessDays(1, after: jpInstant("1948-12-01T09:00:00+09:00"), calendar: .exchange)
        }
        #expect(throws: CalendarError.yearOutOfRange(2100)) {
            try LegalDeadline.businessDays(5, after: jpInstant("2099-12-28T09:00:00+09:00"), calendar: .exchange)
        }
        #expect(throws: CalendarError.yearOutOfRange(2100)) { try LegalDeadline.calendarDays(10, after: jpInstant("2099-12-28T09:00:00+09:00")) }
        #expect(throws: CalendarError.yearOutOfRange(2100)) { try LegalDeadline.hours(100, after: jpInstant("2099-12-28T09:00:00+09:00")) }
        let message = CalendarError.amountOutOfRange(kind: "business days", value: -1, allowed: 0...10_000).message
        #expect(message == "The number of business days must be between 0 and 10000; got -1.")
    }
}
