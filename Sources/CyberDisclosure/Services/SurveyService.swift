import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// The disclosure survey: rubric versions and survey runs over an index and fiscal year.
struct SurveyService: Sendable {
    let services: Services
    /// The time the service acts at: the clock, or a fixed instant (the demo writes history).
    var at: Date? = nil
    var db: any Database { services.db }
    var now: Date { at ?? services.now }

    // MARK: rubric

    func currentRubric() async throws -> (version: Int, rubric: Rubric) {
        guard let record = try await RubricRecord.query(on: db).sort(\.$version, .descending).first() else { return (1, .standard) }
        return (record.version, try DisclosureJSON.decode(Rubric.self, record.definition))
    }

    func rubric(version: Int) async throws -> Rubric? {
        guard let record = try await RubricRecord.query(on: db).filter(\.$version == version).first() else { return nil }
        return try DisclosureJSON.decode(Rubric.self, record.definition)
    }

    /// Saves an edited rubric as the next version (administrators).
    func updateRubric(_ rubric: Rubric, identity: Identity) async throws -> Int {
        guard identity.isAdmin else { throw Problem.forbidden }
        let problems = rubric.problems()
        if !problems.isEmpty { throw Problem.validation(problems) }
        let now = self.now
        return try await db.transaction { db in
            let current = try await RubricRecord.query(on: db).sort(\.$version, .descending).first()?.version ?? 0
            let record = RubricRecord()
            record.version = current + 1
            record.definition = try DisclosureJSON.string(rubric)
            record.createdAt = now
            record.createdBy = identity.actorLabel
            try await record.create(on: db)
            try await DisclosureStore.audit(db, Actor(identity), organisation: nil, action: "disclosure.rubric.update", targetType: "rubric",
                                            target: String(record.version), summary: ["version": String(record.version)], at: now)
            return record.version
        }
    }

    // MARK: runs

    struct RunInput: Codable, Sendable {
        var index: String
        var fiscalYear: Int
        /// Constituents in force on this date (default: today).
        var asOf: String?
    }

    /// What the transparency log holds for a survey.
    struct PublishedSurvey: Encodable {
        struct Result: Encodable {
            var securitiesCode: String, disclosed: Bool, levels: [Int], total: Int, stars: Int, rank: Int
        }
        var number: String, index: String, constituentsEffective: String, fiscalYear: Int, rubricVersion: Int, rubric: Rubric
        var companies: Int, disclosed: Int, meanPercent: Double, results: [Result], runAt: String
    }

    func run(_ input: RunInput, identity: Identity) async throws -> Survey {
        guard identity.isReviewer else { throw Problem.forbidden }
        return try await run(input, actor: Actor(identity))
    }

    func run(_ input: RunInput, actor: Actor) async throws -> Survey {
        let now = self.now
        var errors = ValidationErrors()
        let companiesService = CompanyService(services: services)
        let index = try await companiesService.index(code: input.index.trimmingCharacters(in: .whitespaces))
        if index == nil {
            errors.add("/index", code: FieldError.Code.invalid, .init(ja: "指数が見つかりません。", en: "No index has this code."))
        }
        let thisYear = JapanTime.date(of: now).year
        if !FiscalYear.supported.contains(input.fiscalYear) || input.fiscalYear > thisYear {
            errors.add("/fiscalYear", code: FieldError.Code.range, .init(ja: "年度は2000〜\(thisYear)で入力してください。", en: "The fiscal year must be from 2000 to \(thisYear)."))
        }
        var asOf = JapanTime.date(of: now)
        if let raw = input.asOf?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            if let date = LocalDate(raw), FiscalYear.supported.contains(date.year) { asOf = date } else {
                errors.add("/asOf", code: FieldError.Code.invalid, .init(ja: "基準日をYYYY-MM-DDで入力してください。", en: "Enter the reference date as YYYY-MM-DD."))
            }
        }
        try errors.throwIfAny()
        guard let index, let snapshot = try await companiesService.snapshot(of: index, asOf: asOf) else {
            throw Problem.validation([FieldError(pointer: "/asOf", code: FieldError.Code.invalid,
                                                 detail: "The index has no constituent list in force on \(asOf.iso); import one first.",
                                                 detailJa: "\(asOf.iso)時点で有効な構成銘柄がありません。先に構成銘柄を取り込んでください。")])
        }
        let members = try await companiesService.members(of: snapshot)
        let (rubricVersion, rubric) = try await currentRubric()
        let contents = try await AnnualService(services: services).latestPublished(fiscalYear: input.fiscalYear, companies: members.map { $0.id! })
        let previous = try await Survey.query(on: db).filter(\.$indexID == index.id!).filter(\.$fiscalYear == input.fiscalYear - 1)
            .sort(\.$runAt, .descending).first()
        var previousTotals: [UUID: Int] = [:]
        if let previous {
            for result in try await SurveyResult.query(on: db).filter(\.$surveyID == previous.id!).all() { previousTotals[result.companyID] = result.total }
        }
        let rows = SurveyStatistics.ranked(SurveyStatistics.withPrevious(members.map { company in
            SurveyStatistics.Row(companyID: company.id!, securitiesCode: company.securitiesCode, name: company.name, score: rubric.score(contents[company.id!]))
        }, previous: previousTotals))
        let disclosed = rows.filter(\.score.disclosed).count
        let mean = SurveyStatistics.meanPercent(rows)
        return try await db.transaction { db in
            let number = try await DisclosureStore.nextNumber("SRV", year: JapanTime.date(of: now).year, on: db)
            let record = PublishedSurvey(number: number, index: index.code, constituentsEffective: snapshot.effectiveDate, fiscalYear: input.fiscalYear,
                                         rubricVersion: rubricVersion, rubric: rubric, companies: rows.count, disclosed: disclosed, meanPercent: mean,
                                         results: rows.map { .init(securitiesCode: $0.securitiesCode, disclosed: $0.score.disclosed, levels: $0.score.levels,
                                                                   total: $0.score.total, stars: $0.score.stars, rank: $0.rank) },
                                         runAt: JapanTime.iso8601(now))
            let survey = Survey()
            survey.id = UUID()
            let logIndex = try await PublicRecord.publish(on: db, actor: actor, organisationID: nil, type: "disclosure.survey.published",
                                                          subject: "\(number) \(index.code) FY\(input.fiscalYear)", recordNumber: number, content: record,
                                                          targetType: "survey", targetID: survey.id!.uuidString,
                                                          summary: ["number": number, "index": index.code, "fiscalYear": String(input.fiscalYear),
                                                                    "companies": String(rows.count)], at: now)
            survey.number = number
            survey.indexID = index.id!
            survey.snapshotID = snapshot.id!
            survey.fiscalYear = input.fiscalYear
            survey.rubricVersion = rubricVersion
            survey.runAt = now
            survey.runBy = actor.label
            survey.companies = rows.count
            survey.disclosed = disclosed
            survey.meanPercent = mean
            survey.previousSurveyID = previous?.id
            survey.logIndex = logIndex
            try await survey.create(on: db)
            let sql = db as! any SQLDatabase
            for chunk in stride(from: 0, to: rows.count, by: 200) {
                let insert = sql.insert(into: SurveyResult.schema).columns("id", "survey_id", "company_id", "securities_code", "name", "disclosed", "levels",
                                                                           "total", "maximum", "stars", "rank", "previous_total")
                for row in rows[chunk..<min(chunk + 200, rows.count)] {
                    insert.values(SQLBind(UUID()), SQLBind(survey.id!), SQLBind(row.companyID), SQLBind(row.securitiesCode), SQLBind(row.name),
                                  SQLBind(row.score.disclosed), SQLBind(row.score.levels.map(String.init).joined(separator: ",")), SQLBind(row.score.total),
                                  SQLBind(row.score.maximum), SQLBind(row.score.stars), SQLBind(row.rank), SQLBind(row.previousTotal))
                }
                try await insert.run()
            }
            return survey
        }
    }

    func find(_ key: String) async throws -> Survey {
        let survey: Survey?
        if let id = UUID(uuidString: key) { survey = try await Survey.find(id, on: db) } else if key.range(of: "^SRV-[0-9]{4}-[0-9]{4,}$", options: .regularExpression) != nil {
            survey = try await Survey.query(on: db).filter(\.$number == key).first()
        } else { survey = nil }
        guard let survey else { throw Problem.notFound }
        return survey
    }

    func results(_ survey: Survey) async throws -> [SurveyStatistics.Row] {
        try await SurveyResult.query(on: db).filter(\.$surveyID == survey.id!).sort(\.$rank).sort(\.$securitiesCode).all().map { result in
            var row = SurveyStatistics.Row(companyID: result.companyID, securitiesCode: result.securitiesCode, name: result.name, score: result.score)
            row.rank = result.rank
            row.previousTotal = result.previousTotal
            return row
        }
    }

    func list(page: ShinraiKit.PageRequest) async throws -> (items: [Survey], total: Int) {
        let query = Survey.query(on: db)
        let total = try await query.count()
        let items = try await query.sort(\.$runAt, .descending).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }
}
