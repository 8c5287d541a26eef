import Foundation
import Testing
@testable import ShinraiKit

private func jpDate(_ text: String) -> LocalDate { LocalDate(text)! }

/// `(date, expected Japanese name or nil for an ordinary day)`, typed from the Act's history.
private func expectHoliday(_ text: String, _ name: String?, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let holiday = try JapaneseHolidays.holiday(on: jpDate(text))
    #expect(holiday?.name == name, "\(text)", sourceLocation: sourceLocation)
    #expect(try JapaneseHolidays.isHoliday(jpDate(text)) == (name != nil), "\(text)", sourceLocation: sourceLocation)
}

@Suite("Calendar: holiday rules and the years they changed")
struct CalendarHolidayRuleTests {
    @Test("成人の日: 1/15 until 1999, 2nd Monday of January from 2000")
    func comingOfAge() throws {
        try expectHoliday("1999-01-15", "成人の日")
        try expectHoliday("1999-01-11", nil)
        try expectHoliday("2000-01-10", "成人の日")
        try expectHoliday("2000-01-15", nil)
        try expectHoliday("2001-01-08", "成人の日")
        try expectHoliday("1949-01-15", "成人の日")
    }

    @Test("建国記念の日 from 1967; 敬老の日 and 体育の日 from 1966")
    func act1966() throws {
        try expectHoliday("1966-02-11", nil)
        try expectHoliday("1967-02-11", "建国記念の日")
        try expectHoliday("1965-09-15", nil)
        try expectHoliday("1966-09-15", "敬老の日")
        try expectHoliday("1965-10-10", nil)
        try expectHoliday("1966-10-10", "体育の日")
        #expect(try JapaneseHolidays.holidays(in: 1965).count == 9)
        #expect(try JapaneseHolidays.holidays(in: 1966).count == 11)
        #expect(try JapaneseHolidays.holidays(in: 1967).count == 12)
    }

    @Test("振替休日 from 1973-04-12: first 1973-04-30; none before")
    func substituteStart() throws {
        try expectHoliday("1970-05-03", "憲法記念日") // a Sunday
        try expectHoliday("1970-05-04", nil)
        try expectHoliday("1972-01-16", nil)       // 1972-01-15 was a Saturday: nothing to move
        try expectHoliday("1973-04-29", "天皇誕生日")
        try expectHoliday("1973-04-30", "振替休日")
        try expectHoliday("1973-09-24", "振替休日")
        let earliest = try (1949...1973).flatMap { try JapaneseHolidays.holidays(in: $0) }.first { $0.kind == .substitute }
        #expect(earliest?.date == jpDate("1973-04-30"))
    }

    @Test("国民の休日 from 1985-12-27: first 1988-05-04; Sundays and substitute days excluded until 2006")
    func citizensHolidayStart() throws {
        try expectHoliday("1985-05-04", nil)          // Saturday before the amendment
        try expectHoliday("1986-05-04", nil)          // Sunday: excluded
        try expectHoliday("1987-05-04", "振替休日")   // 5/3 was a Sunday
        try expectHoliday("1988-05-04", "国民の休日") // the first one
        try expectHoliday("1991-05-04", "国民の休日") // a Saturday still counts
        try expectHoliday("1997-05-04", nil)          // Sunday
        try expectHoliday("1998-05-04", "振替休日")
        try expectHoliday("2003-05-04", nil)          // Sunday
        try expectHoliday("2006-05-04", "国民の休日")
        let earliest = try (1949...1990).flatMap { try JapaneseHolidays.holidays(in: $0) }.first { $0.kind == .citizens }
        #expect(earliest?.date == jpDate("1988-05-04"))
    }

    @Test("1989: 天皇誕生日 moves to 12/23 and 4/29 becomes みどりの日")
    func act1989() throws {
        try expectHoliday("1988-04-29", "天皇誕生日")
        try expectHoliday("1988-12-23", nil)
        try expectHoliday("1989-04-29", "みどりの日")
        try expectHoliday("1989-12-23", "天皇誕生日")
        try expectHoliday("2006-04-29", "みどりの日")
    }

    @Test("海の日: 7/20 from 1996, 3rd Monday of July from 2003")
    func marineDay() throws {
        try expectHoliday("1995-07-20", nil)
        try expectHoliday("1996-07-20", "海の日")
        try expectHoliday("1997-07-21", "振替休日")
        try expectHoliday("2002-07-20", "海の日")
        try expectHoliday("2003-07-21", "海の日")
        try expectHoliday("2003-07-20", nil)
        try expectHoliday("2004-07-19", "海の日")
    }

    @Test("Happy Monday: 体育の日 2nd Monday of October from 2000, 敬老の日 3rd Monday of September from 2003")
    func happyMonday() throws {
        try expectHoliday("1999-10-10", "体育の日")
        try expectHoliday("1999-10-11", "振替休日")
        try expectHoliday("2000-10-09", "体育の日")
        try expectHoliday("2000-10-10", nil)
        try expectHoliday("2002-09-15", "敬老の日")
        try expectHoliday("2002-09-16", "振替休日")
        try expectHoliday("2003-09-15", "敬老の日") // 3rd Monday happens to be the 15th
        try expectHoliday("2004-09-20", "敬老の日")
        try expectHoliday("2004-09-15", nil)
    }

    @Test("2007: 昭和の日 on 4/29, みどりの日 on 5/4, new substitute rule")
    func act2005() throws {
        try expectHoliday("2006-04-29", "みどりの日")
        try expectHoliday("2007-04-29", "昭和の日")
        try expectHoliday("2007-04-30", "振替休日")
        try expectHoliday("2007-05-04", "みどりの日")
        try expectHoliday("2006-05-04", "国民の休日")
    }

    @Test("2007 substitute rule: the next day that is not a national holiday", arguments: [
        ("2008-05-06", "2008-05-04"), ("2009-05-06", "2009-05-03"), ("2013-05-06", "2013-05-05"),
        ("2014-05-06", "2014-05-04"), ("2015-05-06", "2015-05-03"), ("2019-05-06", "2019-05-05"),
        ("2020-05-06", "2020-05-03"), ("2025-05-06", "2025-05-04"), ("2026-05-06", "2026-05-03"),
    ])
    func substituteLater(substitute: String, sundayHoliday: String) throws {
        #expect(jpDate(sundayHoliday).weekday == .sunday)
        #expect(try JapaneseHolidays.holiday(on: jpDate(substitute))?.name == "振替休日")
        #expect(try JapaneseHolidays.holiday(on: jpDate(substitute))?.kind == .substitute)
        #expect(try JapaneseHolidays.holiday(on: jpDate(sundayHoliday))?.kind == .national)
    }

    @Test("Sunday holiday → Monday", arguments: [
        "1973-04-30", "1978-01-02", "1990-02-12", "1990-12-24", "2001-12-24", "2012-01-02",
        "2016-03-21", "2018-12-24", "2019-08-12", "2020-02-24", "2021-08-09", "2024-09-23", "2027-03-22",
    ])
    func substituteMonday(text: String) throws {
        #expect(jpDate(text).weekday == .monday)
        #expect(try JapaneseHolidays.holiday(on: jpDate(text))?.name == "振替休日")
        #expect(try JapaneseHolidays.holiday(on: jpDate(text).previous)?.kind == .national)
        #expect(jpDate(text).previous.weekday == .sunday)
    }

    @Test("国民の休日 between two national holidays", arguments: [
        "1988-05-04", "1990-05-04", "2006-05-04", "2009-09-22", "2015-09-22", "2019-04-30", "2019-05-02",
        "2026-09-22", "2032-09-21", "2037-09-22",
    ])
    func sandwich(text: String) throws {
        let holiday = try #require(try JapaneseHolidays.holiday(on: jpDate(text)))
        #expect(holiday.name == "国民の休日")
        #expect(holiday.nameEn == "Citizens' Holiday")
        #expect(holiday.kind == .citizens)
    }

    @Test("no 国民の休日 when nothing is sandwiched")
    func noSandwich() throws {
        try expectHoliday("2020-09-22", "秋分の日")   // 敬老の日 9/21 and 秋分の日 9/22 are adjacent
        try expectHoliday("2021-09-21", nil)
        try expectHoliday("2031-09-16", nil)
        try expectHoliday("2007-05-04", "みどりの日") // a national holiday itself since 2007
    }

    @Test("山の日 from 2016")
    func mountainDay() throws {
        try expectHoliday("2015-08-11", nil)
        try expectHoliday("2016-08-11", "山の日")
        try expectHoliday("2022-08-11", "山の日")
    }

    @Test("the imperial transition of 2019 and the new 天皇誕生日")
    func reiwa() throws {
        try expectHoliday("2018-12-23", "天皇誕生日")
        try expectHoliday("2018-12-24", "振替休日")
        try expectHoliday("2019-02-23", nil)
        try expectHoliday("2019-12-23", nil)
        #expect(try JapaneseHolidays.holidays(in: 2019).contains { $0.name == "天皇誕生日" } == false)
        try expectHoliday("2020-02-23", "天皇誕生日")
        try expectHoliday("2020-02-24", "振替休日")
        try expectHoliday("2021-02-23", "天皇誕生日")
        try expectHoliday("2020-12-23", nil)
    }

    @Test("体育の日 is renamed スポーツの日 from 2020; Olympic moves in 2020 and 2021")
    func sportsAndOlympics() throws {
        try expectHoliday("2019-10-14", "体育の日")
        try expectHoliday("2020-07-23", "海の日")
        try expectHoliday("2020-07-24", "スポーツの日")
        try expectHoliday("2020-08-10", "山の日")
        try expectHoliday("2020-07-20", nil)
        try expectHoliday("2020-08-11", nil)
        try expectHoliday("2020-10-12", nil)
        try expectHoliday("2021-07-22", "海の日")
        try expectHoliday("2021-07-23", "スポーツの日")
        try expectHoliday("2021-08-08", "山の日")
        try expectHoliday("2021-08-09", "振替休日")
        try expectHoliday("2021-07-19", nil)
        try expectHoliday("2021-08-11", nil)
        try expectHoliday("2021-10-11", nil)
        try expectHoliday("2022-07-18", "海の日")
        try expectHoliday("2022-10-10", "スポーツの日")
        #expect(try JapaneseHolidays.holiday(on: jpDate("2022-10-10"))?.nameEn == "Sports Day")
    }

    @Test("one-off holidays", arguments: [
        ("1959-04-10", "皇太子明仁親王の結婚の儀"), ("1989-02-24", "昭和天皇の大喪の礼"),
        ("1990-11-12", "即位礼正殿の儀"), ("1993-06-09", "皇太子徳仁親王の結婚の儀"),
        ("2019-05-01", "天皇の即位の日"), ("2019-10-22", "即位礼正殿の儀"),
    ])
    func oneOff(text: String, name: String) throws {
        let holiday = try #require(try JapaneseHolidays.holiday(on: jpDate(text)))
        #expect(holiday.name == name)
        #expect(holiday.kind == .special)
        #expect(!holiday.nameEn.isEmpty)
        // only in its own year
        let sameDayOtherYear = LocalDate(year: jpDate(text).year + 1, month: jpDate(text).month, day: jpDate(text).day)!
        #expect(try JapaneseHolidays.holiday(on: sameDayOtherYear)?.kind != .special)
    }

    @Test("every year: sorted, unique, plausible count, no holiday on 12/29–12/31 or 1/2–1/3 except substitutes")
    func wholeRangeInvariants() throws {
        for year in JapaneseHolidays.supportedYears {
            let holidays = try JapaneseHolidays.holidays(in: year)
            #expect(holidays == holidays.sorted(), "\(year)")
            #expect(Set(holidays.map(\.date)).count == holidays.count, "\(year)")
            #expect((9...22).contains(holidays.count), "\(year): \(holidays.count)")
            #expect(holidays.allSatisfy { $0.date.year == year })
            for holiday in holidays where holiday.kind == .substitute {
                #expect(holiday.date.weekday != .sunday, "\(holiday)")
                #expect(year >= 1973)
            }
            for holiday in holidays where holiday.kind == .citizens {
                #expect(year >= 1988)
                if year <= 2006 { #expect(holiday.date.weekday != .sunday) }
            }
            #expect(holidays.first?.name == "元日")
        }
    }

    @Test("English names follow the Cabinet Office")
    func englishNames() throws {
        let names = Dictionary(try JapaneseHolidays.holidays(in: 2026).map { ($0.name, $0.nameEn) }, uniquingKeysWith: { a, _ in a })
        #expect(names["元日"] == "New Year's Day")
        #expect(names["成人の日"] == "Coming of Age Day")
        #expect(names["建国記念の日"] == "National Foundation Day")
        #expect(names["天皇誕生日"] == "The Emperor's Birthday")
        #expect(names["春分の日"] == "Vernal Equinox Day")
        #expect(names["昭和の日"] == "Showa Day")
        #expect(names["憲法記念日"] == "Constitution Memorial Day")
        #expect(names["みどりの日"] == "Greenery Day")
        #expect(names["こどもの日"] == "Children's Day")
        #expect(names["振替休日"] == "Substitute Holiday")
        #expect(names["海の日"] == "Marine Day")
        #expect(names["山の日"] == "Mountain Day")
        #expect(names["敬老の日"] == "Respect for the Aged Day")
        #expect(names["国民の休日"] == "Citizens' Holiday")
        #expect(names["秋分の日"] == "Autumnal Equinox Day")
        #expect(names["スポーツの日"] == "Sports Day")
        #expect(names["文化の日"] == "Culture Day")
        #expect(names["勤労感謝の日"] == "Labor Thanksgiving Day")
        #expect(try JapaneseHolidays.holiday(on: jpDate("2019-10-14"))?.nameEn == "Health and Sports Day")
    }

    @Test("years outside 1949...2099 are rejected with a clear error", arguments: [1948, 1900, 2100, 3000, -1])
    func outOfRange(year: Int) throws {
        #expect(throws: CalendarError.yearOutOfRange(year)) { try JapaneseHolidays.holidays(in: year) }
        let error = CalendarError.yearOutOfRange(year)
        #expect(error.message.contains("\(year)"))
        #expect(error.message.contains("1949...2099"))
        #expect(error.messageJa.contains("1949年〜2099年"))
    }

    @Test("date queries outside the range throw; the edges work")
    func rangeEdges() throws {
        #expect(throws: CalendarError.yearOutOfRange(1948)) { try JapaneseHolidays.isHoliday(jpDate("1948-11-03")) }
        #expect(throws: CalendarError.yearOutOfRange(2100)) { try JapaneseHolidays.holiday(on: jpDate("2100-01-01")) }
        #expect(throws: CalendarError.yearOutOfRange(2100)) { try BusinessCalendar.exchange.isBusinessDay(jpDate("2100-01-04")) }
        try expectHoliday("1949-01-01", "元日")
        try expectHoliday("2099-11-23", "勤労感謝の日")
        #expect(try JapaneseHolidays.holidays(in: 1949).count == 9)
    }

    @Test("holidays(from:through:) spans years")
    func rangeQuery() throws {
        let span = try JapaneseHolidays.holidays(from: jpDate("2026-12-01"), through: jpDate("2027-01-31"))
        #expect(span.map(\.date.iso) == ["2027-01-01", "2027-01-11"])
        #expect(try JapaneseHolidays.holidays(from: jpDate("2026-05-03"), through: jpDate("2026-05-06")).map(\.name) == ["憲法記念日", "みどりの日", "こどもの日", "振替休日"])
        #expect(try JapaneseHolidays.holidays(from: jpDate("2026-05-07"), through: jpDate("2026-05-06")).isEmpty)
    }

    @Test("Holiday JSON has exactly date, name, nameEn")
    func holidayJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let first = try #require(try JapaneseHolidays.holidays(in: 2026).first)
        let json = String(decoding: try encoder.encode([first]), as: UTF8.self)
        #expect(json == #"[{"date":"2026-01-01","name":"元日","nameEn":"New Year's Day"}]"#)
        let all = try JapaneseHolidays.holidays(in: 2019)
        let decoded = try JSONDecoder().decode([Holiday].self, from: try encoder.encode(all))
        #expect(decoded == all)
        #expect(decoded.map(\.kind) == all.map(\.kind))
    }

    @Test("concurrent queries agree (the table is immutable and Sendable)")
    func concurrency() async throws {
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for year in 2000..<2040 {
                group.addTask { try JapaneseHolidays.holidays(in: year).count + (try JapaneseHolidays.isHoliday(LocalDate(year: year, month: 1, day: 1)!) ? 0 : 1000) }
            }
            var total: [Int] = []
            for try await count in group { total.append(count) }
            return total
        }
        #expect(counts.count == 40)
        #expect(counts.allSatisfy { $0 < 1000 })
    }
}
