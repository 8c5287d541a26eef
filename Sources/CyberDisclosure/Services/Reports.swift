import FluentKit
import Foundation
import ShinraiKit

/// The reviewer dashboard: every running clock by time left, overdue filings, pending delays, late filings.
struct DashboardBuilder {
    let services: Services

    struct Entry {
        let incident: Incident
        let company: ListedCompany
        let obligation: Obligation
    }

    struct Data {
        var open: [Entry] = []
        var overdue: [Entry] = []
        var pendingDelays: [(incident: Incident, company: ListedCompany, delay: DelayRequest)] = []
        var late: [(incident: Incident, company: ListedCompany)] = []
    }

    func load() async throws -> Data {
        let service = IncidentService(services: services)
        var data = Data()
        for incident in try await service.candidatesForClocks() {
            let snapshot = try await service.snapshot(incident)
            for obligation in snapshot.obligations {
                switch obligation.status {
                case .open, .paused: data.open.append(Entry(incident: incident, company: snapshot.company, obligation: obligation))
                case .overdue: data.overdue.append(Entry(incident: incident, company: snapshot.company, obligation: obligation))
                default: break
                }
            }
            for delay in snapshot.delays where delay.status == .pending {
                data.pendingDelays.append((incident, snapshot.company, delay))
            }
        }
        data.open.sort { $0.obligation.deadline.due < $1.obligation.deadline.due }
        data.overdue.sort { $0.obligation.deadline.due < $1.obligation.deadline.due }
        let late = try await Incident.query(on: services.db).filter(\.$late == true).sort(\.$firstPublishedAt, .descending).limit(50).all()
        let companies = try await DisclosureStore.companies(ids: Array(Set(late.map(\.companyID))), on: services.db)
        data.late = late.compactMap { incident in companies[incident.companyID].map { (incident, $0) } }
        return data
    }

    func build() async throws -> DTO.Dashboard {
        let data = try await load()
        let now = services.now
        func item(_ entry: Entry) -> DTO.DashboardItem {
            DTO.DashboardItem(incident: DTO.IncidentSummary(entry.incident, company: entry.company), obligation: DTO.ObligationItem(entry.obligation, now: now))
        }
        return DTO.Dashboard(generatedAt: now, open: data.open.map(item), overdue: data.overdue.map(item),
                             pendingDelays: data.pendingDelays.map { DTO.PendingDelay(incident: DTO.IncidentSummary($0.incident, company: $0.company),
                                                                                       delay: DTO.Delay($0.delay, confidential: true)) },
                             lateFilings: data.late.map { DTO.IncidentSummary($0.incident, company: $0.company) })
    }
}

/// A survey with everything its pages, API and CSV show.
struct SurveyReport {
    let survey: Survey
    let index: MarketIndex
    let snapshot: IndexSnapshot
    let rows: [SurveyStatistics.Row]
    let previous: Survey?
    let previousRows: [SurveyStatistics.Row]
    let rubric: Rubric

    static func load(_ survey: Survey, services: Services) async throws -> SurveyReport {
        let service = SurveyService(services: services)
        guard let index = try await MarketIndex.find(survey.indexID, on: services.db),
              let snapshot = try await IndexSnapshot.find(survey.snapshotID, on: services.db) else { throw Problem.notFound }
        let previous = try await survey.previousSurveyID.asyncMap { try await Survey.find($0, on: services.db) } ?? nil
        return SurveyReport(survey: survey, index: index, snapshot: snapshot, rows: try await service.results(survey), previous: previous,
                            previousRows: try await previous.asyncMap { try await service.results($0) } ?? [],
                            rubric: try await service.rubric(version: survey.rubricVersion) ?? .standard)
    }

    var distribution: [Int] { SurveyStatistics.starDistribution(rows) }
    var coverage: [SurveyStatistics.Coverage] { SurveyStatistics.coverage(rows) }
    var previousCoverage: [SurveyStatistics.Coverage]? { previous == nil ? nil : SurveyStatistics.coverage(previousRows) }
    var meanChange: Double? { previous.map { ((survey.meanPercent - $0.meanPercent) * 10).rounded() / 10 } }

    var document: DTO.SurveyDetail {
        let before = previousCoverage
        return DTO.SurveyDetail(
            survey: DisclosureAPIRoutes.surveySummary(survey, index: index.code), constituentsEffective: snapshot.effectiveDate,
            previousSurvey: previous?.number, previousMeanPercent: previous?.meanPercent, meanPercentChange: meanChange,
            starDistribution: distribution,
            coverage: coverage.enumerated().map { offset, c in
                DTO.Coverage(item: c.item, present: c.present, quantified: c.quantified, presentPercent: c.presentPercent,
                             quantifiedPercent: c.quantifiedPercent, previousPresentPercent: before?[offset].presentPercent)
            },
            results: rows.map { row in
                DTO.SurveyRow(rank: row.rank, securitiesCode: row.securitiesCode, name: row.name, disclosed: row.score.disclosed, levels: row.score.levels,
                              total: row.score.total, maximum: row.score.maximum, percent: row.score.percent, stars: row.score.stars,
                              previousTotal: row.previousTotal, change: row.change)
            })
    }

    /// The ranked table as CSV (UTF-8 with BOM for Excel).
    func csv() -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: ["順位 rank", "証券コード securitiesCode", "会社名 name", "開示 disclosed"]
                      + AnnualItem.allCases.map { "\($0.label(.ja)) \($0.rawValue)" }
                      + ["合計 total", "満点 maximum", "得点率 percent", "星 stars", "前年度 previousTotal", "増減 change"])
        for row in rows {
            writer.addRow([.integer(row.rank), .text(row.securitiesCode), .text(row.name), .text(row.score.disclosed ? "yes" : "no")]
                          + row.score.levels.map { .integer($0) }
                          + [.integer(row.score.total), .integer(row.score.maximum), .number(row.score.percent), .integer(row.score.stars),
                             row.previousTotal.map { .integer($0) } ?? .empty, row.change.map { .integer($0) } ?? .empty])
        }
        return writer.data
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): return try await transform(value)
        case .none: return nil
        }
    }
}
