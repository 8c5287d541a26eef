import Foundation
import ShinraiKit

/// Market information (§2.5-3) computed from the public status history.
public enum MarketStatistics {
    /// One public status change. Functions expect changes in the order they happened.
    public struct Change: Sendable, Equatable {
        public var list: CloudList
        public var record: UUID
        public var status: String
        public var date: LocalDate
        public init(list: CloudList, record: UUID, status: String, date: LocalDate) {
            self.list = list; self.record = record; self.status = status; self.date = date
        }
    }

    /// Month-end counts of records in a current status, per list, for the `months` months up to `today`.
    public static func countsOverTime(_ changes: [Change], months: Int, today: LocalDate) -> (labels: [String], series: [CloudList: [Int]]) {
        let ends: [LocalDate] = (0..<months).reversed().map { back in
            let shifted = CivilPeriod.day(months: back, before: LocalDate(year: today.year, month: today.month, day: 1)!)
            let last = LocalDate(year: shifted.year, month: shifted.month, day: LocalDate.daysInMonth(year: shifted.year, month: shifted.month))!
            return min(last, today)
        }
        var series: [CloudList: [Int]] = [:]
        for list in CloudList.allCases {
            let current = Set(list.currentStatuses)
            series[list] = ends.map { end in
                var state: [UUID: String] = [:]
                for change in changes where change.list == list && change.date <= end { state[change.record] = change.status }
                return state.values.filter { current.contains($0) }.count
            }
        }
        return (ends.map { String(format: "%04d-%02d", $0.year, $0.month) }, series)
    }

    /// The median of whole days, or nil for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Days from first listing on ISMAP-Ready to registration, for listings that got there.
    public static func readyToRegistrationDays(_ changes: [Change]) -> [Int] {
        var listed: [UUID: LocalDate] = [:]
        var days: [Int] = []
        for change in changes where change.list == .ready {
            if change.status == ReadyStatus.listed.rawValue, listed[change.record] == nil { listed[change.record] = change.date }
            if change.status == ReadyStatus.registered.rawValue, let start = listed[change.record] { days.append(start.days(to: change.date)) }
        }
        return days
    }

    /// Latest status per Fast Track application, counted.
    public static func fastTrackOutcomes(_ changes: [Change]) -> [FastTrackStatus: Int] {
        var latest: [UUID: String] = [:]
        for change in changes where change.list == .fastTrack { latest[change.record] = change.status }
        var out: [FastTrackStatus: Int] = [:]
        for (_, value) in latest { if let status = FastTrackStatus(rawValue: value) { out[status, default: 0] += 1 } }
        return out
    }
}
