import Foundation
import Testing
@testable import ShinraiKit

@Suite struct JapaneseDateTests {
    /// 2026-11-27 14:05 JST = 05:05 UTC.
    let sample = Date(timeIntervalSince1970: 1_795_755_900)

    @Test func longFormsInBothLanguages() {
        #expect(JapaneseDate.long(sample, locale: .ja) == "2026年11月27日（令和8年）")
        #expect(JapaneseDate.long(sample, locale: .en) == "27 November 2026")
        #expect(JapaneseDate.dateTime(sample, locale: .ja) == "2026年11月27日（令和8年） 14:05")
        #expect(JapaneseDate.dateTime(sample, locale: .en) == "27 November 2026, 14:05 JST")
        #expect(JapaneseDate.short(sample) == "2026-11-27")
        #expect(JapaneseDate.long(sample, language: .ja) == "2026年11月27日（令和8年）")
        #expect(JapaneseDate.dateTime(sample, language: .en) == "27 November 2026, 14:05 JST")
        #expect(JapaneseDate.time(sample, language: .ja) == "14:05")
        #expect(JapaneseDate.time(sample, language: .en) == "14:05 JST")
        #expect(JapaneseDate.long(sample) == "2026年11月27日（令和8年）")
    }

    @Test func dateIsTakenInTokyoNotUTC() {
        // 2026-11-27T15:30Z is already the 28th in Japan; 14:59Z is still the 27th.
        #expect(JapaneseDate.short(Date(timeIntervalSince1970: 1_795_755_900 + 10 * 3600 + 25 * 60)) == "2026-11-28")
        #expect(JapaneseDate.dateTime(Date(timeIntervalSince1970: 1_795_755_900 + 10 * 3600 + 25 * 60), locale: .en) == "28 November 2026, 00:30 JST")
        #expect(JapaneseDate.short(JapaneseDate.date(year: 2026, month: 1, day: 1)) == "2026-01-01")
        #expect(JapaneseDate.startOfDay(year: 2026, month: 1, day: 1) == Date(timeIntervalSince1970: 1_767_193_200))
    }

    @Test func firstYearIsGannen() {
        #expect(JapaneseDate.long(JapaneseDate.date(year: 2019, month: 5, day: 1, hour: 9), locale: .ja) == "2019年5月1日（令和元年）")
        #expect(JapaneseDate.long(year: 1989, month: 1, day: 8) == "1989年1月8日（平成元年）")
    }

    @Test func eraBoundariesAreExactDays() {
        func w(_ y: Int, _ m: Int, _ d: Int) -> String { JapaneseDate.warekiYearText(year: y, month: m, day: d) ?? "none" }
        #expect(w(2019, 4, 30) == "平成31年")
        #expect(w(2019, 5, 1) == "令和元年")
        #expect(w(1989, 1, 7) == "昭和64年")
        #expect(w(1989, 1, 8) == "平成元年")
        #expect(w(1926, 12, 24) == "大正15年")
        #expect(w(1926, 12, 25) == "昭和元年")
        #expect(w(1912, 7, 29) == "明治45年")
        #expect(w(1912, 7, 30) == "大正元年")
        #expect(w(1873, 1, 1) == "明治6年")
        #expect(w(1868, 1, 25) == "明治元年")
        #expect(w(1868, 1, 24) == "none")
        let r = JapaneseDate.wareki(year: 2026, month: 11, day: 27)
        #expect(r?.era == "令和" && r?.eraEn == "Reiwa" && r?.year == 8)
        #expect(JapaneseDate.wareki(year: 1989, month: 1, day: 7)?.eraEn == "Showa")
        #expect(JapaneseDate.long(year: 1850, month: 3, day: 1) == "1850年3月1日")
    }

    @Test func eraBoundaryAtMidnightTokyo() {
        // 2019-04-30T15:00Z is 2019-05-01 00:00 in Japan: the first instant of 令和.
        let first = Date(timeIntervalSince1970: 1_556_636_400)
        #expect(JapaneseDate.long(first, locale: .ja) == "2019年5月1日（令和元年）")
        #expect(JapaneseDate.long(first.addingTimeInterval(-1), locale: .ja) == "2019年4月30日（平成31年）")
        #expect(JapaneseDate.startOfDay(year: 2019, month: 5, day: 1) == first)
    }

    @Test func englishMonthsAndLeapDays() {
        #expect(JapaneseDate.long(year: 2024, month: 2, day: 29, locale: .en) == "29 February 2024")
        #expect(JapaneseDate.long(JapaneseDate.date(year: 2024, month: 2, day: 29), locale: .en) == "29 February 2024")
        #expect(JapaneseDate.long(JapaneseDate.date(year: 2000, month: 12, day: 31, hour: 23, minute: 59), locale: .ja) == "2000年12月31日（平成12年）")
        #expect(JapaneseDate.dateTime(JapaneseDate.date(year: 2026, month: 1, day: 5, hour: 9, minute: 7), locale: .ja) == "2026年1月5日（令和8年） 09:07")
    }

    @Test func civilCalendarRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilCalendar.civil(fromDays: days)
            #expect(CivilCalendar.days(fromYear: y, month: m, day: d) == days)
        }
        #expect(CivilCalendar.days(fromYear: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.civil(fromDays: -1) == (1969, 12, 31))
    }

    @Test func agreesWithFoundationCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        for t in stride(from: 0.0, through: 2_000_000_000, by: 86_400 * 37 + 3_601) {
            let date = Date(timeIntervalSince1970: t)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let mine = JapaneseDate.components(date)
            #expect(mine.year == c.year && mine.month == c.month && mine.day == c.day && mine.hour == c.hour && mine.minute == c.minute)
        }
    }

    @Test func rfc3339Formatting() {
        #expect(ISO8601Timestamp.format(sample) == "2026-11-27T05:05:00Z")
        #expect(ISO8601Timestamp.format(sample.addingTimeInterval(0.25), fractionalSeconds: true) == "2026-11-27T05:05:00.250Z")
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(ISO8601Timestamp.parse("2026-11-27T14:05:00+09:00") == sample)
        #expect(ISO8601Timestamp.parse(ISO8601Timestamp.format(sample)) == sample)
    }

    @Test func languageEnum() {
        #expect(UILanguage.allCases == [.ja, .en])
        #expect(UILanguage(rawValue: "en") == .en)
    }
}
