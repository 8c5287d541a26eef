import ShinraiKit
import Testing
@testable import CloudAssurance

@Suite("18-month provisional period (民法 第140条・第143条)")
struct CivilPeriodTests {
    func d(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test("worked examples: the grant day is not counted; the period ends the day before the corresponding day",
          arguments: [
            // granted, last day
            ("2026-04-15", "2027-10-15"),   // ordinary case: 起算日 04-16 → 応当日 2027-10-16 → 前日
            ("2026-08-28", "2028-02-28"),   // 起算日 08-29 → 2028-02-29 exists (leap year) → 前日 02-28
            ("2026-08-29", "2028-02-29"),   // 起算日 08-30 → no 02-30 → last day of February (leap)
            ("2026-08-30", "2028-02-29"),   // 起算日 08-31 → no 02-31 → 2028-02-29
            ("2026-08-31", "2028-02-29"),   // 起算日 09-01 → 応当日 2028-03-01 → 前日 02-29
            ("2027-08-29", "2029-02-28"),   // not a leap year: 起算日 08-30 → no 02-30 → 02-28
            ("2027-08-30", "2029-02-28"),
            ("2026-01-31", "2027-07-31"),   // 起算日 02-01 (start of a month, §143(1)) → ends at the end of July
            ("2026-12-31", "2028-06-30"),   // 起算日 2027-01-01 → 2028-07-01 → 前日 06-30
          ])
    func workedExamples(granted: String, last: String) {
        #expect(CivilPeriod.lastDay(months: 18, after: d(granted)) == d(last))
        #expect(ProvisionalPeriod(grantedOn: d(granted)).endsOn == d(last))
    }

    @Test("a grant on the last day of June starts on 1 July and ends on 31 December of the next year")
    func juneEnd() {
        // 起算日 2026-07-01 is the start of a month: 18 whole months July 2026 … December 2027.
        #expect(CivilPeriod.lastDay(months: 18, after: d("2026-06-30")) == d("2027-12-31"))
        // A grant on 29 June: 起算日 06-30 → 応当日 2027-12-30 → ends 12-29.
        #expect(CivilPeriod.lastDay(months: 18, after: d("2026-06-29")) == d("2027-12-29"))
    }

    @Test("the period is exactly 18 months: expired from the day after the last day")
    func expiry() {
        let period = ProvisionalPeriod(grantedOn: d("2026-08-30"))
        #expect(period.startsOn == d("2026-08-31"))
        #expect(!period.isExpired(on: d("2028-02-29")))
        #expect(period.isExpired(on: d("2028-03-01")))
        #expect(period.daysRemaining(on: d("2028-02-28")) == 1)
        #expect(JapanTime.date(of: period.expiresAt) == d("2028-03-01"))
        #expect(JapanTime.iso8601(period.expiresAt) == "2028-03-01T00:00:00+09:00")
    }

    @Test("reminders 6, 3 and 1 month before the last day, clamped to shorter months")
    func reminders() {
        let period = ProvisionalPeriod(grantedOn: d("2026-08-30"))   // ends 2028-02-29
        #expect(period.reminders.map(\.date) == [d("2027-08-29"), d("2027-11-29"), d("2028-01-29")])
        let july = ProvisionalPeriod(grantedOn: d("2026-01-31"))     // ends 2027-07-31
        #expect(july.reminders.map(\.date) == [d("2027-01-31"), d("2027-04-30"), d("2027-06-30")])
    }

    @Test("only the most recent due reminder is sent; none after the end; none twice")
    func dueReminder() {
        let period = ProvisionalPeriod(grantedOn: d("2026-04-15"))   // ends 2027-10-15
        #expect(period.dueReminder(on: d("2027-04-14"), alreadySent: []) == nil)
        #expect(period.dueReminder(on: d("2027-04-15"), alreadySent: []) == 6)
        #expect(period.dueReminder(on: d("2027-05-01"), alreadySent: [6]) == nil)
        #expect(period.dueReminder(on: d("2027-07-15"), alreadySent: [6]) == 3)
        // The job did not run for months: the 6- and 3-month reminders are stale, only the 1-month one is sent.
        #expect(period.dueReminder(on: d("2027-09-20"), alreadySent: []) == 1)
        #expect(period.dueReminder(on: d("2027-10-15"), alreadySent: [6, 3]) == 1)
        #expect(period.dueReminder(on: d("2027-10-16"), alreadySent: []) == nil)
    }

    @Test("month shifting for report cycles clamps to the month end")
    func shifting() {
        #expect(CivilPeriod.day(months: 6, after: d("2026-08-31")) == d("2027-02-28"))
        #expect(CivilPeriod.day(months: 6, after: d("2027-08-31")) == d("2028-02-29"))
        #expect(CivilPeriod.day(months: 1, before: d("2026-03-31")) == d("2026-02-28"))
        #expect(CivilPeriod.day(months: 12, before: d("2026-01-15")) == d("2025-01-15"))
        #expect(CivilPeriod.day(months: 14, before: d("2026-01-15")) == d("2024-11-15"))
    }

    @Test("the explanation cites the articles and the dates")
    func explanation() {
        let text = ProvisionalPeriod(grantedOn: d("2026-08-30")).explanation
        #expect(text.ja.contains("民法第140条") && text.ja.contains("2028-02-29"))
        #expect(text.en.contains("art. 143(2)") && text.en.contains("2026-08-31"))
    }
}
