import Foundation
import ShinraiKit
import Testing
@testable import CyberDisclosure

/// An instant written as Japanese wall-clock time.
func jst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    JapaneseDate.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
}

func endOfDay(_ year: Int, _ month: Int, _ day: Int) -> Date { jst(year, month, day, 23, 59, 59) }

@Suite("Timely-disclosure clock: 4 business days on the exchange calendar")
struct TimelyDisclosureClockTests {
    let spec = ClockSpec.businessDays(4, .exchange)

    @Test("Thursday 2026-04-30 evening before Golden Week is due Monday 2026-05-11")
    func goldenWeek() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 4, 30, 21))
        #expect(deadline.due == endOfDay(2026, 5, 11))
        #expect(deadline.dueDate.iso == "2026-05-11")
        #expect(deadline.explanationJa.contains("2026-05-06（水） 除外: 振替休日"))
        #expect(deadline.explanationJa.contains("2026-05-11（月） 4営業日目"))
        #expect(deadline.explanationEn.contains("business day 4"))
        #expect(!deadline.isLate(at: jst(2026, 5, 11, 23, 59, 59).addingTimeInterval(0.5)))
        #expect(deadline.isLate(at: jst(2026, 5, 12)))
    }

    @Test("Wednesday 2026-12-30 before the year-end closure is due 2027-01-07 (12/30 is still a trading day)")
    func yearEnd() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 12, 30, 18))
        #expect(deadline.dueDate.iso == "2027-01-07")
        #expect(deadline.explanationJa.contains("2026-12-30（水） 0日目（起算日）"))
        #expect(deadline.explanationJa.contains("2027-01-04（月） 1営業日目"))
    }

    @Test("a determination on Sunday counts from Monday: 2026-05-10 is due Friday 2026-05-15")
    func sunday() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 5, 10, 9))
        #expect(deadline.dueDate.iso == "2026-05-15")
        #expect(deadline.explanationJa.contains("営業日でない"))
    }

    @Test("a Sunday before a Monday holiday (海の日 2026-07-20) counts from Tuesday: due 2026-07-27")
    func sundayBeforeHoliday() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 7, 19, 12))
        #expect(deadline.dueDate.iso == "2026-07-27")
    }

    @Test("a substitute holiday outside Golden Week is skipped: Friday 2025-11-21 is due Friday 2025-11-28 (11-24 振替休日)")
    func substituteHoliday() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2025, 11, 21, 15))
        #expect(deadline.dueDate.iso == "2025-11-28")
        #expect(deadline.explanationJa.contains("2025-11-24（月） 除外: 振替休日"))
        #expect(deadline.explanationJa.contains("2025-11-25（火） 1営業日目"))
    }

    @Test("Silver Week 2026: 敬老の日, 国民の休日 and 秋分の日 in a row; Friday 2026-09-18 is due Tuesday 2026-09-29")
    func silverWeek() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 9, 18, 17))
        #expect(deadline.dueDate.iso == "2026-09-29")
        #expect(deadline.explanationJa.contains("2026-09-22（火） 除外: 国民の休日"))
        #expect(deadline.explanationJa.contains("2026-09-24（木） 1営業日目"))
    }

    @Test("a determination on a Golden Week Saturday counts from Thursday 2026-05-07: due Wednesday 2026-05-13")
    func goldenWeekSaturday() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 5, 2, 11))
        #expect(deadline.dueDate.iso == "2026-05-13")
        #expect(deadline.explanationJa.contains("2026-05-07（木） 0日目"))
    }

    @Test("inside the year-end closure: 2026-12-31 counts from Monday 2027-01-04 (due 01-08); New Year's Day 2026 from 01-05 (due 01-09)")
    func insideYearEndClosure() throws {
        #expect(try DeadlineEngine.deadline(spec, from: jst(2026, 12, 31, 10)).dueDate.iso == "2027-01-08")
        #expect(try DeadlineEngine.deadline(spec, from: jst(2026, 1, 1, 10)).dueDate.iso == "2026-01-09")
        // 2027-01-11 is 成人の日: a determination on Thursday 2027-01-07 skips it.
        #expect(try DeadlineEngine.deadline(spec, from: jst(2027, 1, 7, 10)).dueDate.iso == "2027-01-14")
    }

    @Test("the Japanese date decides day 0: 23:59:59 on Thursday and 00:00 on Friday differ by one business day")
    func midnight() throws {
        #expect(try DeadlineEngine.deadline(spec, from: jst(2026, 6, 4, 23, 59, 59)).dueDate.iso == "2026-06-10")
        #expect(try DeadlineEngine.deadline(spec, from: jst(2026, 6, 5, 0, 0, 0)).dueDate.iso == "2026-06-11")
    }

    @Test("an instant written in UTC is the Japanese date it falls on")
    func utcInput() throws {
        // 2026-04-30T15:30Z is Friday 2026-05-01 00:30 in Japan: day 0 is 05-01.
        let deadline = try DeadlineEngine.deadline(spec, from: ISO8601Timestamp.parse("2026-04-30T15:30:00Z")!)
        #expect(deadline.dueDate.iso == "2026-05-12")
    }

    @Test("an amendment's own clock runs from when the information became available")
    func amendment() throws {
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 5, 15, 10))
        #expect(deadline.dueDate.iso == "2026-05-21")
    }
}

@Suite("Approved delays stop the clock only while they last")
struct DelayPauseTests {
    let spec = ClockSpec.businessDays(4, .exchange)

    @Test("a delay from Wednesday to the next Friday keeps the one day used and counts 3 more after it")
    func pause() throws {
        // Day 0 Monday 06-01; 06-02 is business day 1; the delay starts 06-03 and ends 06-12 17:00.
        let pause = PauseWindow(start: jst(2026, 6, 3, 9), end: jst(2026, 6, 12, 17))
        let without = try DeadlineEngine.deadline(spec, from: jst(2026, 6, 1, 10))
        #expect(without.dueDate.iso == "2026-06-05")
        let with = try DeadlineEngine.deadline(spec, from: jst(2026, 6, 1, 10), pauses: [pause])
        #expect(with.dueDate.iso == "2026-06-17")
        #expect(with.pauses == [pause])
        #expect(with.explanationJa.contains("開示猶予（承認済み）"))
        #expect(with.explanationJa.contains("猶予開始までに経過: 1営業日、残り: 3営業日"))
    }

    @Test("a delay ended early resumes the clock from the early end")
    func endedEarly() throws {
        let pause = PauseWindow(start: jst(2026, 6, 3, 9), end: jst(2026, 6, 9, 12))
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 6, 1, 10), pauses: [pause])
        #expect(deadline.dueDate.iso == "2026-06-12")
    }

    @Test("a delay that begins after the deadline changes nothing")
    func tooLate() throws {
        let pause = PauseWindow(start: jst(2026, 6, 8, 9), end: jst(2026, 6, 20))
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 6, 1, 10), pauses: [pause])
        #expect(deadline.dueDate.iso == "2026-06-05")
        #expect(deadline.pauses.isEmpty)
    }

    @Test("an hours clock keeps exactly the remaining seconds")
    func hours() throws {
        let pause = PauseWindow(start: jst(2026, 5, 1, 6), end: jst(2026, 5, 1, 18))
        let deadline = try DeadlineEngine.deadline(.hours(24), from: jst(2026, 5, 1), pauses: [pause])
        #expect(deadline.due == jst(2026, 5, 2, 12))
    }

    @Test("a delay approved on the day of the determination moves day 0 to after the delay")
    func sameDay() throws {
        let pause = PauseWindow(start: jst(2026, 6, 1, 15), end: jst(2026, 6, 5, 18))
        let deadline = try DeadlineEngine.deadline(spec, from: jst(2026, 6, 1, 10), pauses: [pause])
        // Day 0 is Friday 06-05 (the end of the delay), then 06-08 … 06-11.
        #expect(deadline.dueDate.iso == "2026-06-11")
    }
}

@Suite("Other regimes' clocks")
struct RegimeClockTests {
    func rule(_ code: String) -> RegimeRule { RegimeRule.defaults.first { $0.code == code }! }

    @Test("PPC: preliminary 5 days; final 30 days extended past a Sunday; 60 days when malicious")
    func ppc() throws {
        let discovered = jst(2026, 5, 1, 10)
        #expect(try DeadlineEngine.deadline(rule("ppc-preliminary").clock, from: discovered).dueDate.iso == "2026-05-06")
        let final = try DeadlineEngine.deadline(rule("ppc-final").clock, from: discovered)
        // 05-01 + 30 days = Sunday 05-31, extended to Monday 06-01 (民法第142条).
        #expect(final.dueDate.iso == "2026-06-01")
        #expect(final.explanationJa.contains("民法第142条"))
        #expect(try DeadlineEngine.deadline(rule("ppc-final-malicious").clock, from: discovered).dueDate.iso == "2026-06-30")
    }

    @Test("PPC final report reaching into the year-end closure moves to 2027-01-04")
    func ppcYearEnd() throws {
        // 2026-11-30 + 30 days = 12-30, inside the government closure (12/29–1/3).
        #expect(try DeadlineEngine.deadline(rule("ppc-final").clock, from: jst(2026, 11, 30, 9)).dueDate.iso == "2027-01-04")
    }

    @Test("NIS2: 24 hours, 72 hours, and one month after the notification (month end clamps)")
    func nis2() throws {
        let determined = jst(2026, 4, 30, 21)
        #expect(try DeadlineEngine.deadline(rule("nis2-early-warning").clock, from: determined).due == jst(2026, 5, 1, 21))
        #expect(try DeadlineEngine.deadline(rule("nis2-notification").clock, from: determined).due == jst(2026, 5, 3, 21))
        #expect(try DeadlineEngine.deadline(rule("nis2-final").clock, from: jst(2026, 5, 2, 10)).dueDate.iso == "2026-06-02")
        #expect(try DeadlineEngine.deadline(rule("nis2-final").clock, from: jst(2026, 1, 31, 10)).dueDate.iso == "2026-02-28")
    }

    @Test("SEC Form 8-K: U.S. business days, Independence Day observed on Friday 2026-07-03, 17:30 Eastern")
    func sec() throws {
        // 2026-07-02 10:00 JST is Wednesday 2026-07-01 21:00 EDT.
        let deadline = try DeadlineEngine.deadline(rule("sec-8k").clock, from: jst(2026, 7, 2, 10))
        #expect(deadline.dueDate.iso == "2026-07-08")
        #expect(JapanTime.iso8601(deadline.due) == "2026-07-09T06:30:00+09:00")
        #expect(deadline.explanationEn.contains("Independence Day (observed)"))
        #expect(deadline.isLate(at: deadline.due.addingTimeInterval(1)))
    }

    @Test("SEC: an event on a Saturday counts the following Monday as day 1; Thanksgiving is skipped")
    func secWeekend() throws {
        // Saturday 2026-11-21 12:00 EST = 2026-11-22 02:00 JST.
        let deadline = try DeadlineEngine.deadline(rule("sec-8k").clock, from: jst(2026, 11, 22, 2))
        #expect(deadline.dueDate.iso == "2026-11-27")
        #expect(JapanTime.iso8601(deadline.due) == "2026-11-28T07:30:00+09:00")
    }

    @Test("U.S. federal holidays: observed New Year on Friday 2027-12-31, Juneteenth, Inauguration Day")
    func federalHolidays() {
        #expect(!USFederalCalendar.isBusinessDay(LocalDate("2027-12-31")!))
        #expect(!USFederalCalendar.isBusinessDay(LocalDate("2026-06-19")!))
        #expect(USFederalCalendar.isBusinessDay(LocalDate("2029-01-22")!))
        #expect(!USFederalCalendar.isBusinessDay(LocalDate("2025-01-20")!))
        #expect(USFederalCalendar.isBusinessDay(LocalDate("2026-12-24")!))
        #expect(!USFederalCalendar.isBusinessDay(LocalDate("2026-05-25")!)) // Memorial Day
    }

    @Test("clock specifications out of range are refused")
    func invalidSpecs() {
        #expect(!ClockSpec(kind: .businessDays, amount: -1).problems().isEmpty)
        #expect(!ClockSpec(kind: .hours, amount: 0).problems().isEmpty)
        #expect(!ClockSpec(kind: .calendarDays, amount: 10, calendar: .usFederal).problems().isEmpty)
        #expect(ClockSpec.businessDays(4, .exchange).problems().isEmpty)
    }
}

@Suite("Obligations on one incident")
struct ObligationPlannerTests {
    let facts = IncidentFacts(discoveredAt: jst(2026, 4, 30, 9), determinedAt: jst(2026, 4, 30, 21), personalData: true, malicious: true)

    @Test("every applicable regime appears with its own clock")
    func allRegimes() throws {
        let input = ObligationInput(facts: facts, company: CompanyFlags(secRegistrant: true, nis2Entity: true), content: IncidentContent(title: "x"))
        let obligations = try ObligationPlanner.obligations(rules: RegimeRule.defaults, input: input, now: jst(2026, 5, 1, 8))
        #expect(obligations.map(\.key) == ["tse-timely", "ppc-preliminary", "ppc-final-malicious", "nis2-early-warning", "nis2-notification", "nis2-final", "sec-8k"])
        #expect(obligations.first { $0.key == "nis2-final" }?.provisional == true)
        #expect(obligations.first { $0.key == "tse-timely" }?.deadline.dueDate.iso == "2026-05-11")
        #expect(obligations.allSatisfy { $0.status == .open })
        #expect(obligations.first { $0.key == "tse-timely" }?.missing.contains(.summary) == true)
    }

    @Test("only the timely disclosure applies to a company with no personal data, no EU or U.S. listing")
    func minimal() throws {
        let facts = IncidentFacts(discoveredAt: jst(2026, 4, 30, 9), determinedAt: jst(2026, 4, 30, 21))
        let input = ObligationInput(facts: facts, company: CompanyFlags(), content: IncidentContent(title: "x"))
        let obligations = try ObligationPlanner.obligations(rules: RegimeRule.defaults, input: input, now: jst(2026, 5, 1))
        #expect(obligations.map(\.key) == ["tse-timely"])
    }

    @Test("publication meets the clock; late publication is marked; amendments have their own clocks; the final NIS2 report follows the notification")
    func statuses() throws {
        let input = ObligationInput(
            facts: facts, company: CompanyFlags(nis2Entity: true), content: IncidentContent(title: "x"),
            versions: [.init(version: 1, informationAvailableAt: nil, publishedAt: jst(2026, 5, 12, 9)),
                       .init(version: 2, informationAvailableAt: jst(2026, 5, 15, 10), publishedAt: jst(2026, 5, 20, 9))],
            draftAmendmentAvailableAt: jst(2026, 6, 1, 10),
            submissions: ["nis2-notification": (jst(2026, 5, 2, 10), "CSIRT-1")])
        let obligations = try ObligationPlanner.obligations(rules: RegimeRule.defaults, input: input, now: jst(2026, 6, 2))
        let byKey = Dictionary(uniqueKeysWithValues: obligations.map { ($0.key, $0) })
        #expect(byKey["tse-timely"]?.status == .metLate)
        #expect(byKey["tse-amendment:2"]?.status == .metOnTime)
        #expect(byKey["tse-amendment:3"]?.status == .open)
        #expect(byKey["tse-amendment:3"]?.deadline.dueDate.iso == "2026-06-05")
        #expect(byKey["nis2-notification"]?.status == .metOnTime)
        #expect(byKey["nis2-final"]?.provisional == false)
        #expect(byKey["nis2-final"]?.deadline.dueDate.iso == "2026-06-02")
        #expect(byKey["nis2-early-warning"]?.status == .overdue)
    }

    @Test("an approved delay pauses only the rules that it governs")
    func pauseScope() throws {
        let input = ObligationInput(facts: facts, company: CompanyFlags(secRegistrant: true), content: IncidentContent(title: "x"),
                                    pauses: [PauseWindow(start: jst(2026, 5, 1, 12), end: jst(2026, 5, 20))])
        let obligations = try ObligationPlanner.obligations(rules: RegimeRule.defaults, input: input, now: jst(2026, 5, 2))
        let timely = obligations.first { $0.key == "tse-timely" }!
        #expect(timely.status == .paused)
        // No business day was used before the delay; the count restarts with 05-20 (the day the delay ends) as day 0.
        #expect(timely.deadline.dueDate.iso == "2026-05-26")
        #expect(obligations.first { $0.key == "sec-8k" }!.deadline.pauses.isEmpty)
    }
}
