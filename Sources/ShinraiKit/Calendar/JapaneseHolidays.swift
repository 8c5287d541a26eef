import Foundation

/// Japanese national holidays under 国民の祝日に関する法律 (National Holidays Act, Act No. 178
/// of 1948, in force 1948-07-20) with its full amendment history, for 1949 through 2099.
///
/// The calendar starts on 1949-01-01, the first full year under the Act (1948 only had
/// 秋分の日, 文化の日 and 勤労感謝の日 after the Act came into force; it is not covered).
/// It ends in 2099 because the equinox formula is valid for 1900–2099 only.
///
/// All years are computed once, on first use, into an immutable table (a thread-safe lazy
/// `static let`), so every query is a lookup and every type here is `Sendable`.
///
/// Rules, with the acts that made them (the year a rule first applies in brackets):
/// - 元日 1/1, 憲法記念日 5/3, こどもの日 5/5, 文化の日 11/3, 勤労感謝の日 11/23 [1948–].
/// - 成人の日: 1/15 [1949–1999]; 2nd Monday of January [2000–] (Act No. 141 of 1998).
/// - 建国記念の日: 2/11 [1967–] (Act No. 86 of 1966; date fixed by Cabinet Order No. 376 of 1966).
/// - 春分の日 / 秋分の日: the day of the equinox (春分日 / 秋分日) — see `vernalEquinoxDay`.
/// - 天皇誕生日: 4/29 [1949–1988]; 12/23 [1989–2018] (Act No. 5 of 1989); none in 2019;
///   2/23 [2020–] (Supplementary Provisions of the Special Measures Act on the Abdication,
///   Act No. 63 of 2017, in force 2019-04-30).
/// - 4/29: 天皇誕生日 [–1988], みどりの日 [1989–2006], 昭和の日 [2007–] (Act No. 43 of 2005).
/// - みどりの日 5/4 [2007–] (Act No. 43 of 2005).
/// - 海の日: 7/20 [1996–2002] (Act No. 22 of 1995); 3rd Monday of July [2003–] (Act No. 59 of
///   2001); 7/23 in 2020 and 7/22 in 2021 (Olympic special measures, Act No. 55 of 2018 and
///   Act No. 68 of 2020).
/// - 山の日: 8/11 [2016–] (Act No. 43 of 2014); 8/10 in 2020, 8/8 in 2021 (Olympic measures).
/// - 敬老の日: 9/15 [1966–2002] (Act No. 86 of 1966); 3rd Monday of September [2003–].
/// - 体育の日: 10/10 [1966–1999]; 2nd Monday of October [2000–2019]; renamed スポーツの日
///   [2020–] (Act No. 57 of 2018); 7/24 in 2020 and 7/23 in 2021 (Olympic measures).
/// - 振替休日 (Art. 3(2), Act No. 10 of 1973, in force 1973-04-12): a national holiday falling
///   on a Sunday makes the next day a holiday; from 2007 (Act No. 43 of 2005) the nearest
///   following day that is not a national holiday.
/// - 国民の休日 (Art. 3(3), Act No. 103 of 1985, in force 1985-12-27): a day whose previous and
///   next days are both national holidays is a holiday, unless it is a national holiday itself;
///   until 2006 Sundays and substitute holidays were also excluded.
/// - One-off holidays, each by its own act: 1959-04-10 (wedding of Crown Prince Akihito),
///   1989-02-24 (funeral of Emperor Showa), 1990-11-12 (enthronement ceremony),
///   1993-06-09 (wedding of Crown Prince Naruhito), 2019-05-01 (enthronement) and 2019-10-22
///   (enthronement ceremony). The two 2019 days count as national holidays for Art. 3 (Act
///   No. 99 of 2018), which is what makes 2019-04-30 and 2019-05-02 citizens' holidays.
public enum JapaneseHolidays {
    /// The years the calendar covers.
    public static let supportedYears: ClosedRange<Int> = 1949...2099

    /// All holidays of a year, sorted by date.
    /// - Throws: `CalendarError.yearOutOfRange` outside `supportedYears`.
    public static func holidays(in year: Int) throws -> [Holiday] {
        try checkYear(year)
        return table.byYear[year - supportedYears.lowerBound]
    }

    /// All holidays from `start` through `end` inclusive, sorted.
    public static func holidays(from start: LocalDate, through end: LocalDate) throws -> [Holiday] {
        guard start <= end else { return [] }
        try checkYear(start.year)
        try checkYear(end.year)
        return (start.year...end.year).flatMap { table.byYear[$0 - supportedYears.lowerBound] }
            .filter { $0.date >= start && $0.date <= end }
    }

    /// The holiday on a date, or `nil` for an ordinary day.
    public static func holiday(on date: LocalDate) throws -> Holiday? {
        try checkYear(date.year)
        return table.byDate[date]
    }

    /// Whether a date is a holiday under the National Holidays Act (any kind).
    public static func isHoliday(_ date: LocalDate) throws -> Bool {
        try holiday(on: date) != nil
    }

    /// Whether a date is a business day on a calendar (`.government`, `.exchange`, …).
    public static func isBusinessDay(_ date: LocalDate, calendar: BusinessCalendar) throws -> Bool {
        try calendar.isBusinessDay(date)
    }

    /// The day of the vernal equinox (春分日) in Japan, i.e. 春分の日.
    public static func vernalEquinox(year: Int) throws -> LocalDate {
        try checkYear(year)
        return LocalDate(unchecked: year, 3, vernalEquinoxDay(year))
    }

    /// The day of the autumnal equinox (秋分日) in Japan, i.e. 秋分の日.
    public static func autumnalEquinox(year: Int) throws -> LocalDate {
        try checkYear(year)
        return LocalDate(unchecked: year, 9, autumnalEquinoxDay(year))
    }

    static func checkYear(_ year: Int) throws {
        guard supportedYears.contains(year) else { throw CalendarError.yearOutOfRange(year) }
    }

    // MARK: - Equinoxes

    /// Day of March of the vernal equinox in JST.
    ///
    /// The Act names no date: 春分の日 is "春分日", which the Cabinet announces in the official
    /// gazette each February from the National Astronomical Observatory's ephemeris for the
    /// next year. For the whole range this uses the standard approximation valid for 1900–2099:
    ///
    ///     1900–1979: ⌊20.8357 + 0.242194 (Y − 1980) − trunc((Y − 1983) / 4)⌋
    ///     1980–2099: ⌊20.8431 + 0.242194 (Y − 1980) − ⌊(Y − 1980) / 4⌋⌋
    ///
    /// For 1900–1979 the leap term is `(Y − 1983) / 4` truncated toward zero (as in C and Swift
    /// integer division), not floored: flooring would put every pre-1980 equinox a day late.
    /// The results agree with the published dates for every past year and with an
    /// independent astronomical computation (Meeus, ch. 27, with ΔT) for every year of
    /// 1949–2099. Dates beyond the years already announced are predictions; the tightest
    /// cases are within minutes of midnight JST (e.g. 2026-03-20 23:45, 2088-03-20 00:16,
    /// 2092-03-19 23:33, 2074-09-23 00:03), where the announcement is authoritative.
    static func vernalEquinoxDay(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year <= 1979 {
            return Int(20.8357 + 0.242194 * y - Double((year - 1983) / 4))
        }
        return Int(20.8431 + 0.242194 * y - Double((year - 1980) / 4))
    }

    /// Day of September of the autumnal equinox in JST; same method as `vernalEquinoxDay`:
    ///
    ///     1900–1979: ⌊23.2588 + 0.242194 (Y − 1980) − trunc((Y − 1983) / 4)⌋
    ///     1980–2099: ⌊23.2488 + 0.242194 (Y − 1980) − ⌊(Y − 1980) / 4⌋⌋
    static func autumnalEquinoxDay(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year <= 1979 {
            return Int(23.2588 + 0.242194 * y - Double((year - 1983) / 4))
        }
        return Int(23.2488 + 0.242194 * y - Double((year - 1980) / 4))
    }

    // MARK: - Rules

    /// Dates on which the Act (or an act of its own) first took effect.
    static let substituteRuleStart = LocalDate(unchecked: 1973, 4, 12)
    static let citizensRuleStart = LocalDate(unchecked: 1985, 12, 27)

    /// A national holiday or one-off holiday with whether it counts as 国民の祝日 for Art. 3.
    private struct Entry {
        let holiday: Holiday
        let countsForArticle3: Bool
    }

    /// The national holidays of Article 2 (as in force in `year`) and the one-off holidays.
    private static func article2Holidays(_ year: Int) -> [Entry] {
        var entries: [Entry] = []
        func add(_ date: LocalDate, _ name: HolidayName, kind: Holiday.Kind = .national, countsForArticle3: Bool = true) {
            entries.append(Entry(holiday: Holiday(date: date, name: name.ja, nameEn: name.en, kind: kind),
                                 countsForArticle3: countsForArticle3))
        }
        func day(_ month: Int, _ day: Int) -> LocalDate { LocalDate(unchecked: year, month, day) }
        func nth(_ n: Int, _ weekday: Weekday, _ month: Int) -> LocalDate {
            LocalDate.nthWeekday(n, weekday, year: year, month: month)
        }

        add(day(1, 1), .newYear)
        add(year <= 1999 ? day(1, 15) : nth(2, .monday, 1), .comingOfAge)
        if year >= 1967 { add(day(2, 11), .foundation) }
        if year >= 2020 { add(day(2, 23), .emperorsBirthday) }
        add(day(3, vernalEquinoxDay(year)), .vernalEquinox)
        switch year {
        case ...1988: add(day(4, 29), .emperorsBirthday)
        case 1989...2006: add(day(4, 29), .greenery)
        default: add(day(4, 29), .showa)
        }
        add(day(5, 3), .constitution)
        if year >= 2007 { add(day(5, 4), .greenery) }
        add(day(5, 5), .children)
        switch year {
        case ...1995: break
        case 1996...2002: add(day(7, 20), .marine)
        case 2020: add(day(7, 23), .marine)
        case 2021: add(day(7, 22), .marine)
        default: add(nth(3, .monday, 7), .marine)
        }
        switch year {
        case ...2015: break
        case 2020: add(day(8, 10), .mountain)
        case 2021: add(day(8, 8), .mountain)
        default: add(day(8, 11), .mountain)
        }
        switch year {
        case ...1965: break
        case 1966...2002: add(day(9, 15), .respectForTheAged)
        default: add(nth(3, .monday, 9), .respectForTheAged)
        }
        add(day(9, autumnalEquinoxDay(year)), .autumnalEquinox)
        switch year {
        case ...1965: break
        case 1966...1999: add(day(10, 10), .healthSports)
        case 2000...2019: add(nth(2, .monday, 10), .healthSports)
        case 2020: add(day(7, 24), .sports)
        case 2021: add(day(7, 23), .sports)
        default: add(nth(2, .monday, 10), .sports)
        }
        add(day(11, 3), .culture)
        add(day(11, 23), .laborThanksgiving)
        if (1989...2018).contains(year) { add(day(12, 23), .emperorsBirthday) }

        // One-off holidays, each "休日" by its own act. The earlier four acts only declare the
        // day a holiday; the 2018 act (No. 99) deems its two days national holidays for the
        // purposes of Article 3. (No earlier one-off day is next to another holiday, so the
        // distinction never changes a result; it is kept for faithfulness to the acts.)
        switch year {
        case 1959: add(day(4, 10), .crownPrinceAkihitoWedding, kind: .special, countsForArticle3: false)
        case 1989: add(day(2, 24), .showaFuneral, kind: .special, countsForArticle3: false)
        case 1990: add(day(11, 12), .enthronementCeremony, kind: .special, countsForArticle3: false)
        case 1993: add(day(6, 9), .crownPrinceNaruhitoWedding, kind: .special, countsForArticle3: false)
        case 2019:
            add(day(5, 1), .enthronement, kind: .special)
            add(day(10, 22), .enthronementCeremony, kind: .special)
        default: break
        }
        return entries
    }

    /// Every holiday of `year`: Article 2, one-off days, then Article 3(2) and 3(3).
    static func compute(year: Int) -> [Holiday] {
        let entries = article2Holidays(year)
        // Dates that are 国民の祝日 for Article 3 (the one-off days of 1959–1993 are "休日" but
        // not deemed 国民の祝日).
        let nationalDates = Set(entries.filter(\.countsForArticle3).map(\.holiday.date))
        let anyHoliday = Set(entries.map(\.holiday.date))
        var result = entries.map(\.holiday)

        // 振替休日 — Article 3(2).
        var substitutes = Set<LocalDate>()
        for date in nationalDates.sorted() where date.weekday == .sunday && date >= substituteRuleStart {
            var candidate = date.next
            if year >= 2007 {
                // 「その日後においてその日に最も近い『国民の祝日』でない日」
                while nationalDates.contains(candidate) { candidate = candidate.next }
            } else {
                // 「その翌日を休日とする」 — the next day (never itself a national holiday
                // before 2007, when 5/4 was not yet one).
                guard !nationalDates.contains(candidate) else { continue }
            }
            guard !anyHoliday.contains(candidate), !substitutes.contains(candidate) else { continue }
            substitutes.insert(candidate)
            result.append(Holiday(date: candidate, name: HolidayName.substitute.ja, nameEn: HolidayName.substitute.en, kind: .substitute))
        }

        // 国民の休日 — Article 3(3).
        for date in nationalDates.sorted() {
            let between = date.next
            guard between >= citizensRuleStart,
                  nationalDates.contains(between.next),
                  !anyHoliday.contains(between),
                  !substitutes.contains(between) // a substitute holiday keeps that name
            else { continue }
            // Until 2006: 「日曜日にあたる日及び前項に規定する休日にあたる日を除く」.
            if year <= 2006 && between.weekday == .sunday { continue }
            result.append(Holiday(date: between, name: HolidayName.citizens.ja, nameEn: HolidayName.citizens.en, kind: .citizens))
        }
        return result.sorted()
    }

    private struct Table: Sendable {
        let byYear: [[Holiday]]
        let byDate: [LocalDate: Holiday]
    }

    /// Computed once, lazily and thread-safely (Swift global initialisation).
    private static let table: Table = {
        let byYear = supportedYears.map { compute(year: $0) }
        var byDate: [LocalDate: Holiday] = [:]
        for holiday in byYear.joined() { byDate[holiday.date] = holiday }
        return Table(byYear: byYear, byDate: byDate)
    }()
}
