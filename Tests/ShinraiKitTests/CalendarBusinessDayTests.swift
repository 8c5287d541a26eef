import Foundation
import Testing
@testable import ShinraiKit

private func jpDate(_ text: String) -> LocalDate { LocalDate(text)! }

@Suite("Calendar: business-day calendars")
struct CalendarBusinessDayTests {
    @Test("calendars are looked up by name")
    func lookup() {
        #expect(BusinessCalendar.named("exchange") == .exchange)
        #expect(BusinessCalendar.named("government") == .government)
        #expect(BusinessCalendar.named(" Exchange ") == .exchange)
        #expect(BusinessCalendar.named("nyse") == nil)
        #expect(BusinessCalendar.named("") == nil)
        #expect(BusinessCalendar.knownNames == ["government", "exchange"])
        #expect(CalendarError.unknownCalendar("nyse").message.contains("government, exchange"))
    }

    @Test("weekends and holidays are never business days")
    func weekendsAndHolidays() throws {
        for calendar in BusinessCalendar.all {
            #expect(try calendar.isBusinessDay(jpDate("2026-05-01")))       // Friday
            #expect(try !calendar.isBusinessDay(jpDate("2026-05-02")))      // Saturday
            #expect(try !calendar.isBusinessDay(jpDate("2026-05-03")))      // Sunday, 憲法記念日
            #expect(try !calendar.isBusinessDay(jpDate("2026-05-06")))      // 振替休日
            #expect(try !calendar.isBusinessDay(jpDate("2026-09-22")))      // 国民の休日
            #expect(try calendar.isBusinessDay(jpDate("2026-05-07")))
            #expect(try JapaneseHolidays.isBusinessDay(jpDate("2026-04-29"), calendar: calendar) == false)
        }
    }

    @Test("government: closed 12/29–1/3")
    func governmentYearEnd() throws {
        let government = BusinessCalendar.government
        #expect(try government.isBusinessDay(jpDate("2026-12-28")))
        for text in ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"] {
            #expect(try !government.isBusinessDay(jpDate(text)), "\(text)")
        }
        #expect(try government.isBusinessDay(jpDate("2027-01-04")))
        #expect(try government.nonBusinessReasons(jpDate("2026-12-29")).map(\.code) == [.yearEndClosure])
        #expect(try government.nonBusinessReasons(jpDate("2026-12-29")).first?.label == "年末年始休業（12月29日〜1月3日）")
    }

    @Test("exchange: closed 12/31–1/3, open 12/29 and 12/30")
    func exchangeYearEnd() throws {
        let exchange = BusinessCalendar.exchange
        #expect(try exchange.isBusinessDay(jpDate("2026-12-29")))
        #expect(try exchange.isBusinessDay(jpDate("2026-12-30")))
        for text in ["2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"] {
            #expect(try !exchange.isBusinessDay(jpDate(text)), "\(text)")
        }
        #expect(try exchange.isBusinessDay(jpDate("2027-01-04")))
        // 2025-01-02 and 01-03 fall on weekdays: closed all the same.
        #expect(try !exchange.isBusinessDay(jpDate("2025-01-02")))
        #expect(try !exchange.isBusinessDay(jpDate("2025-01-03")))
    }

    @Test("the year-end closure can be switched off")
    func closureOff() throws {
        let government = BusinessCalendar.government.observingYearEndClosure(false)
        #expect(government.name == "government")
        #expect(!government.observesYearEndClosure)
        #expect(try government.isBusinessDay(jpDate("2026-12-29")))
        #expect(try government.isBusinessDay(jpDate("2026-12-31")))
        #expect(try !government.isBusinessDay(jpDate("2027-01-01")))     // 元日 stays a holiday
        #expect(try !government.isBusinessDay(jpDate("2027-01-02")))     // Saturday
        #expect(government != .government)
        #expect(government.observingYearEndClosure(true) == .government)
        #expect(BusinessCalendar.government.observesYearEndClosure)
    }

    @Test("reasons list the holiday, the weekday and the closure")
    func reasons() throws {
        let reasons = try BusinessCalendar.government.nonBusinessReasons(jpDate("2026-05-03"))
        #expect(reasons.map(\.label) == ["憲法記念日", "日曜日"])
        #expect(reasons.map(\.labelEn) == ["Constitution Memorial Day", "Sunday"])
        let newYear = try BusinessCalendar.exchange.nonBusinessReasons(jpDate("2028-01-01"))  // a Saturday
        #expect(newYear.map(\.code) == [.holiday, .saturday, .yearEndClosure])
        #expect(try BusinessCalendar.exchange.nonBusinessReasons(jpDate("2026-05-07")).isEmpty)
    }

    @Test("next business day and adding business days")
    func stepping() throws {
        let exchange = BusinessCalendar.exchange
        #expect(try exchange.businessDay(onOrAfter: jpDate("2026-05-02")) == jpDate("2026-05-07"))
        #expect(try exchange.businessDay(onOrAfter: jpDate("2026-05-07")) == jpDate("2026-05-07"))
        #expect(try exchange.businessDay(after: jpDate("2026-04-30")) == jpDate("2026-05-01"))
        #expect(try exchange.adding(businessDays: 2, to: jpDate("2026-04-30")) == jpDate("2026-05-07"))
        #expect(try exchange.adding(businessDays: 0, to: jpDate("2026-05-03")) == jpDate("2026-05-03"))
        #expect(throws: CalendarError.self) { try exchange.adding(businessDays: -1, to: jpDate("2026-05-03")) }
        #expect(throws: CalendarError.yearOutOfRange(2100)) { try exchange.adding(businessDays: 5, to: jpDate("2099-12-28")) }
    }

    @Test("counting business days in a span")
    func span() throws {
        let days = try BusinessCalendar.exchange.businessDays(from: jpDate("2026-04-27"), through: jpDate("2026-05-08"))
        #expect(days.map(\.iso) == ["2026-04-27", "2026-04-28", "2026-04-30", "2026-05-01", "2026-05-07", "2026-05-08"])
        // 2026: 365 days, 104 weekend days, 17 of its 18 holidays on weekdays (2026-05-03 is a Sunday).
        let year = try BusinessCalendar.government.observingYearEndClosure(false).businessDays(from: jpDate("2026-01-01"), through: jpDate("2026-12-31"))
        #expect(year.count == 365 - 104 - 17)
    }
}
