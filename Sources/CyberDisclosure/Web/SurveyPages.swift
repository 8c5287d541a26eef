import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The disclosure survey: runs, the survey page (chart, coverage, change, ranked table), CSV and the rubric.
extension DisclosureWebRoutes {
    func registerSurveyPages(_ routes: Routes) {
        routes.get("/disclosure/surveys") { request, context in try await surveyList(request, context, problem: nil, values: [:]) }
        routes.post("/disclosure/surveys") { request, context in
            let identity = try context.require(.reviewer)
            let form = try await FormData.read(request, limit: limit)
            let values = ["index": form.first("index") ?? "", "fiscalYear": form.first("fiscalYear") ?? "", "asOf": form.first("asOf") ?? ""]
            do {
                guard let year = Int(values["fiscalYear"]!) else {
                    throw Problem.validation([FieldError(pointer: "/fiscalYear", code: FieldError.Code.missing, detail: "Enter the fiscal year.", detailJa: "年度を入力してください。")])
                }
                let survey = try await surveys.run(.init(index: values["index"]!, fiscalYear: year, asOf: values["asOf"]), identity: identity)
                return Self.redirect("/disclosure/surveys/\(survey.number)?done=surveyRun")
            } catch let problem as Problem where problem.status == .unprocessableContent {
                return try await surveyList(request, context, problem: problem, values: values)
            }
        }
        routes.get("/disclosure/surveys/{id}") { request, context in try await surveyPage(request, context) }
        routes.get("/disclosure/surveys/{id}/results.csv") { request, context in
            let survey = try await surveys.find(context.parameters.get("id") ?? "")
            let report = try await SurveyReport.load(survey, services: services)
            return API.cacheable(report.csv(), contentType: "text/csv; charset=utf-8", request: request, filename: "\(survey.number).csv")
        }
        routes.get("/disclosure/rubric") { request, context in try await rubricPage(request, context, problem: nil, edited: nil) }
        routes.post("/disclosure/rubric") { request, context in
            let identity = try context.require(.admin)
            let form = try await FormData.read(request, limit: limit)
            var rubric = Rubric(items: [], starThresholds: [])
            for item in AnnualItem.allCases {
                let key = item.rawValue
                rubric.items.append(.init(item: item, weight: IncidentForm.integer(form.first("\(key).weight") ?? "") ?? -1,
                                          presentMinLength: IncidentForm.integer(form.first("\(key).present") ?? "") ?? 0,
                                          specificMinLength: IncidentForm.integer(form.first("\(key).specific") ?? "") ?? 0,
                                          requiredFigures: item.figures.map(\.key).filter { form.first("\(key).figure.\($0)") == "on" }))
            }
            rubric.starThresholds = (1...5).map { IncidentForm.integer(form.first("star\($0)") ?? "") ?? 0 }
            do {
                _ = try await surveys.updateRubric(rubric, identity: identity)
            } catch let problem as Problem where problem.status == .unprocessableContent {
                return try await rubricPage(request, context, problem: problem, edited: rubric)
            }
            return Self.redirect("/disclosure/rubric?done=rubricSaved")
        }
    }

    func surveyList(_ request: Request, _ context: AppContext, problem: Problem?, values: [String: String]) async throws -> Response {
        let page = try ShinraiKit.PageRequest.parse(request)
        let (items, total) = try await surveys.list(page: page)
        let indexes = try await MarketIndex.query(on: services.db).sort(\.$code).all()
        let codes = Dictionary(uniqueKeysWithValues: indexes.map { ($0.id!, $0.code) })
        var data: [String: Any] = values
        data["rows"] = items.map { survey -> [String: Any] in
            ["number": survey.number, "href": "/disclosure/surveys/\(survey.number)", "index": codes[survey.indexID] ?? "",
             "fiscalYear": FiscalYear.shortLabel(survey.fiscalYear, context.language), "companies": survey.companies, "disclosed": survey.disclosed,
             "mean": SVGChart.defaultFormat(survey.meanPercent), "run": when(survey.runAt, context)]
        }
        data["hasRows"] = !items.isEmpty
        data["indexes"] = indexes.map { ["code": $0.code, "name": $0.displayName(context.language), "selected": values["index"] == $0.code] as [String: Any] }
        data["hasIndexes"] = !indexes.isEmpty
        if data["fiscalYear"] as? String ?? "" == "" { data["fiscalYear"] = String(JapanTime.date(of: services.now).year - 1) }
        data["pager"] = Pager(page: page, total: total, path: "/disclosure/surveys").values(context, views)
        if let problem { data.merge(formErrors(problem, context, strip: "")) { $1 } }
        return render("surveys", title: t("surveys.title", context), crumbs: [(t("surveys.title", context), nil)], values: data,
                      status: problem?.status ?? .ok, request, context)
    }

    func surveyPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let survey = try await surveys.find(context.parameters.get("id") ?? "")
        let report = try await SurveyReport.load(survey, services: services)
        let language = context.language
        let yearLabel = FiscalYear.shortLabel(survey.fiscalYear, language)
        let categories = (0...5).map { language == .ja ? "★\($0)" : "\($0) star\($0 == 1 ? "" : "s")" }
        var series = [ChartSeries(name: yearLabel, values: report.distribution.map(Double.init))]
        if let previous = report.previous {
            series.append(ChartSeries(name: FiscalYear.shortLabel(previous.fiscalYear, language), values: SurveyStatistics.starDistribution(report.previousRows).map(Double.init)))
        }
        let chartTitle = t("survey.distribution", context)
        let chart = SVGChart.bar(title: chartTitle, description: t("survey.distributionDescription", context), series: series, categories: categories,
                                 valueFormat: { SVGChart.defaultFormat($0) }, id: "distribution", noDataText: t("survey.noData", context))
        let table = SVGChart.table(title: chartTitle, series: series, categories: categories, categoryHeader: t("survey.starsHeader", context)).html()
        let previousCoverage = report.previousCoverage
        let coverage = report.coverage.enumerated().map { offset, c -> [String: Any] in
            var row: [String: Any] = ["item": "\(c.item.number). \(c.item.label(language))", "present": SVGChart.defaultFormat(c.presentPercent),
                                      "quantified": SVGChart.defaultFormat(c.quantifiedPercent), "presentCount": c.present, "quantifiedCount": c.quantified]
            if let before = previousCoverage?[offset] {
                let change = ((c.presentPercent - before.presentPercent) * 10).rounded() / 10
                row["previous"] = SVGChart.defaultFormat(before.presentPercent)
                row["change"] = (change > 0 ? "+" : "") + SVGChart.defaultFormat(change)
            }
            return row
        }
        let rows = report.rows.map { row -> [String: Any] in
            var view: [String: Any] = ["rank": row.rank, "code": row.securitiesCode, "name": row.name, "companyHref": "/disclosure/companies/\(row.securitiesCode)",
                                       "disclosed": row.score.disclosed, "total": row.score.total, "maximum": row.score.maximum,
                                       "percent": SVGChart.defaultFormat(row.score.percent), "levels": row.score.levels.map(String.init).joined(separator: " / ")]
            view.merge(stars(row.score.stars, context)) { $1 }
            if let change = row.change { view["change"] = (change > 0 ? "+" : "") + String(change) } else { view["change"] = "—" }
            return view
        }
        var values: [String: Any] = notice(request, context, allowed: ["surveyRun"])
        values["number"] = survey.number
        values["index"] = report.index.code
        values["indexName"] = report.index.displayName(language)
        values["fiscalYear"] = yearLabel
        values["effective"] = report.snapshot.effectiveDate
        values["companies"] = survey.companies
        values["disclosed"] = survey.disclosed
        values["notDisclosed"] = survey.companies - survey.disclosed
        values["mean"] = SVGChart.defaultFormat(survey.meanPercent)
        values["rubricVersion"] = survey.rubricVersion
        values["run"] = when(survey.runAt, context)
        values["chart"] = chart
        values["chartTable"] = table
        values["coverage"] = coverage
        values["hasPrevious"] = report.previous != nil
        if let previous = report.previous {
            values["previousNumber"] = previous.number
            values["previousHref"] = "/disclosure/surveys/\(previous.number)"
            values["previousMean"] = SVGChart.defaultFormat(previous.meanPercent)
        }
        if let change = report.meanChange { values["meanChange"] = (change > 0 ? "+" : "") + SVGChart.defaultFormat(change) }
        values["rows"] = rows
        values["csvHref"] = "/disclosure/surveys/\(survey.number)/results.csv"
        values["apiHref"] = "/api/v1/disclosure/surveys/\(survey.number)"
        values["logHref"] = "/log/entries/\(survey.logIndex)"
        values["logIndex"] = survey.logIndex
        return render("survey", title: "\(survey.number) \(report.index.code) \(yearLabel)",
                      crumbs: [(t("surveys.title", context), "/disclosure/surveys"), (survey.number, nil)], values: values, request, context)
    }

    func rubricPage(_ request: Request, _ context: AppContext, problem: Problem?, edited: Rubric?) async throws -> Response {
        let (version, current) = try await surveys.currentRubric()
        let rubric = edited ?? current
        let language = context.language
        var values: [String: Any] = notice(request, context, allowed: ["rubricSaved"])
        values["version"] = version
        values["maximum"] = rubric.maximum
        values["items"] = rubric.items.map { rule -> [String: Any] in
            ["key": rule.item.rawValue, "number": rule.item.number, "label": rule.item.label(language), "weight": rule.weight,
             "present": rule.presentMinLength, "specific": rule.specificMinLength,
             "figures": rule.item.figures.map { ["name": "\(rule.item.rawValue).figure.\($0.key)", "label": $0.label(language), "checked": rule.requiredFigures.contains($0.key),
                                                 "id": "\(rule.item.rawValue)-\($0.key)"] as [String: Any] },
             "required": rule.requiredFigures.compactMap { rule.item.figure($0)?.label(language) }.joined(separator: language == .ja ? "、" : ", ")]
        }
        values["stars"] = rubric.starThresholds.enumerated().map { ["n": $0.offset + 1, "value": $0.element] as [String: Any] }
        if let problem { values.merge(formErrors(problem, context, strip: "")) { $1 } }
        return render("rubric", title: t("rubric.title", context), crumbs: [(t("surveys.title", context), "/disclosure/surveys"), (t("rubric.title", context), nil)],
                      values: values, status: problem?.status ?? .ok, request, context)
    }
}
