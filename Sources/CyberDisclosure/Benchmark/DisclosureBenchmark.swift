import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Benchmarks of the module, for `shinrai-bench` (results go to docs/BENCHMARKS.md):
///
/// * the disclosure survey over an index of `companies` constituents for `years` fiscal years,
///   each company with a published annual disclosure per year (quality varies), every year
///   compared with the previous one;
/// * the public incident list with `filings` published filings: first and deep pages, filters,
///   the feeds' query, and one more publication (with its transparency-log append) at that size.
///
/// Seeding writes rows in batches directly (no log entries for the seeded history) so that the
/// measured operations, not the set-up, dominate. Call on an empty, migrated platform that has
/// `CyberDisclosureModule` and the kernel demo accounts (`DemoAccounts.load`).
public enum CyberDisclosureBenchmark {
    static let benchActor = Actor.system("bench")

    // MARK: survey

    /// Seeds the index and the annual disclosures; returns the index code and the first fiscal year.
    public static func seedSurvey(services: Services, companies: Int = 500, years: Int = 5) async throws -> (index: String, firstYear: Int) {
        let db = services.db
        let now = services.now
        let thisYear = JapanTime.date(of: now).year
        let firstYear = thisYear - years
        var organisations: [Organisation] = []
        var listed: [ListedCompany] = []
        for n in 0..<companies {
            let base = String(format: "0188%08d", n)
            let number = "\(CorporateNumber.checkDigit(for: base))\(base)"
            organisations.append(Organisation(name: "ベンチ会社\(n)", nameEn: nil, kind: .company, corporateNumber: number, localGovernmentCode: nil))
            let company = ListedCompany()
            company.corporateNumber = number
            company.securitiesCode = String(1300 + n)
            company.name = "ベンチ会社\(n)"
            company.marketSegment = [.prime, .standard, .growth][n % 3]
            company.fiscalYearEndMonth = 3
            company.secRegistrant = false
            company.nis2Entity = false
            company.createdAt = now
            company.updatedAt = now
            listed.append(company)
        }
        for chunk in stride(from: 0, to: companies, by: 200) {
            try await Array(organisations[chunk..<min(chunk + 200, companies)]).create(on: db)
            try await Array(listed[chunk..<min(chunk + 200, companies)]).create(on: db)
        }
        let index = MarketIndex()
        index.code = "BENCH\(companies)"
        index.name = "ベンチマーク指数"
        index.createdAt = now
        try await index.create(on: db)
        let snapshot = IndexSnapshot()
        snapshot.indexID = index.id!
        snapshot.effectiveDate = "\(firstYear)-04-01"
        snapshot.rowCount = companies
        snapshot.importedAt = now
        snapshot.importedBy = benchActor.label
        try await snapshot.create(on: db)
        let members = listed.map { IndexMember(snapshotID: snapshot.id!, companyID: $0.id!) }
        for chunk in stride(from: 0, to: members.count, by: 500) { try await Array(members[chunk..<min(chunk + 500, members.count)]).create(on: db) }

        for year in firstYear..<(firstYear + years) {
            var annuals: [AnnualDisclosure] = []
            var versions: [AnnualVersion] = []
            for (n, company) in listed.enumerated() where (n + year) % 10 != 0 {
                let annual = AnnualDisclosure()
                annual.id = UUID()
                annual.companyID = company.id!
                annual.organisationID = organisations[n].id!
                annual.fiscalYear = year
                annual.status = .published
                annual.latestVersion = 1
                annual.latestPublishedAt = now
                annual.createdAt = now
                annual.updatedAt = now
                annuals.append(annual)
                let record = AnnualService.PublishedAnnual(
                    number: AnnualService.number(company, year), version: 1,
                    company: .init(securitiesCode: company.securitiesCode, corporateNumber: company.corporateNumber, name: company.name),
                    fiscalYear: year, fiscalYearEnd: FiscalYear.endDate(year, endMonth: 3).iso,
                    content: DisclosureDemo.annualContent(tier: 1 + (n + year) % 4, seed: n), publishedAt: JapanTime.iso8601(now))
                let version = AnnualVersion()
                version.annualID = annual.id!
                version.version = 1
                version.content = try DisclosureJSON.string(record)
                version.publishedAt = now
                version.logIndex = 0
                version.publishedBy = benchActor.label
                versions.append(version)
            }
            for chunk in stride(from: 0, to: annuals.count, by: 200) {
                try await Array(annuals[chunk..<min(chunk + 200, annuals.count)]).create(on: db)
                try await Array(versions[chunk..<min(chunk + 200, versions.count)]).create(on: db)
            }
        }
        return (index.code, firstYear)
    }

    /// Runs one survey per year (each compared with the previous), then reads the last one as its page does.
    public static func measureSurvey(services: Services, index: String, firstYear: Int, years: Int) async throws -> [BenchmarkMeasurement] {
        let surveys = SurveyService(services: services)
        var out: [BenchmarkMeasurement] = []
        var last: Survey?
        var year = firstYear
        out.append(try await BenchmarkMeasurement.time("survey: run (score, rank, compare, store, log), per year", runs: years) {
            last = try await surveys.run(.init(index: index, fiscalYear: year, asOf: "\(firstYear)-04-01"), actor: benchActor)
            year += 1
        })
        guard let survey = last else { return out }
        out.append(try await BenchmarkMeasurement.time("survey: load results + statistics + JSON (page data)", runs: 20) {
            let report = try await SurveyReport.load(survey, services: services)
            _ = try API.encoder.encode(report.document)
        })
        out.append(try await BenchmarkMeasurement.time("survey: CSV export", runs: 20) {
            _ = try await SurveyReport.load(survey, services: services).csv()
        })
        return out
    }

    // MARK: incident list

    /// Seeds `filings` published incidents (one version each, one in ten late) over 500 companies.
    public static func seedIncidents(services: Services, filings: Int = 50_000) async throws {
        let db = services.db
        let now = services.now
        let companies = try await ListedCompany.query(on: db).limit(500).all()
        guard !companies.isEmpty else { throw Problem.notFound }
        let organisations = try await Organisation.query(on: db).filter(\.$corporateNumber ~~ companies.map(\.corporateNumber)).all()
        let orgByNumber = Dictionary(organisations.compactMap { org in org.corporateNumber.map { ($0, org.id!) } }, uniquingKeysWith: { a, _ in a })
        let content = DisclosureDemo.ransomware(undetermined: true)
        for chunk in stride(from: 0, to: filings, by: 500) {
            var incidents: [Incident] = []
            var versions: [IncidentVersion] = []
            for n in chunk..<min(chunk + 500, filings) {
                let company = companies[n % companies.count]
                let published = now.addingTimeInterval(-Double(filings - n) * 600)
                let incident = Incident()
                incident.id = UUID()
                incident.number = String(format: "INC-2000-%06d", n + 1)
                incident.companyID = company.id!
                incident.organisationID = orgByNumber[company.corporateNumber] ?? organisations[0].id!
                incident.status = .published
                incident.title = "\(content.title) \(n)"
                incident.discoveredAt = published.addingTimeInterval(-3 * 86400)
                incident.determinedAt = published.addingTimeInterval(-2 * 86400)
                incident.personalData = false
                incident.malicious = false
                incident.latestVersion = 1
                incident.firstPublishedAt = published
                incident.latestPublishedAt = published
                incident.firstDueAt = published.addingTimeInterval(2 * 86400)
                incident.late = n % 10 == 0
                incident.createdAt = published
                incident.updatedAt = published
                incidents.append(incident)
                let record = IncidentService.PublishedVersion(
                    number: incident.number!, version: 1, kind: .initial,
                    company: .init(securitiesCode: company.securitiesCode, corporateNumber: company.corporateNumber, name: company.name),
                    occurredAt: nil, discoveredAt: JapanTime.iso8601(incident.discoveredAt), determinedAt: JapanTime.iso8601(incident.determinedAt),
                    personalData: false, malicious: false, informationAvailableAt: nil, reason: nil, content: content,
                    clock: .init(rule: RegimeRule.timelyCode, trigger: JapanTime.iso8601(incident.determinedAt), due: JapanTime.iso8601(incident.firstDueAt!),
                                 late: incident.late, delays: []),
                    publishedAt: JapanTime.iso8601(published))
                let version = IncidentVersion()
                version.incidentID = incident.id!
                version.version = 1
                version.kind = .initial
                version.content = try DisclosureJSON.string(record)
                version.triggerAt = incident.determinedAt
                version.dueAt = incident.firstDueAt!
                version.publishedAt = published
                version.late = incident.late
                version.logIndex = 0
                version.publishedBy = benchActor.label
                versions.append(version)
            }
            try await incidents.create(on: db)
            try await versions.create(on: db)
        }
    }

    /// The public list's queries and encodings at size, and one publication at that size.
    public static func measureIncidentList(services: Services, runs: Int = 30) async throws -> [BenchmarkMeasurement] {
        let incidents = IncidentService(services: services)
        let db = services.db
        func page(_ filter: IncidentService.PublicFilter, _ number: Int) async throws {
            let page = ShinraiKit.PageRequest(limit: 50, page: number)
            let (items, total) = try await incidents.publicList(filter, page: page)
            let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: db)
            _ = try API.encoder.encode(PageOf(items: items.compactMap { i in byID[i.companyID].map { DTO.IncidentSummary(i, company: $0) } },
                                              total: total, request: page))
        }
        var out: [BenchmarkMeasurement] = []
        let total = try await Incident.query(on: db).filter(\.$status == .published).count()
        out.append(try await BenchmarkMeasurement.time("incident list: page 1 of \(total) (query + count + JSON)", runs: runs) { try await page(.init(), 1) })
        out.append(try await BenchmarkMeasurement.time("incident list: page 500 (offset 24,950)", runs: runs) { try await page(.init(), 500) })
        out.append(try await BenchmarkMeasurement.time("incident list: late only, page 1", runs: runs) { try await page(.init(late: true), 1) })
        let code = try await ListedCompany.query(on: db).first()?.securitiesCode ?? "1300"
        out.append(try await BenchmarkMeasurement.time("incident list: one company, page 1", runs: runs) { try await page(.init(company: code), 1) })
        out.append(try await BenchmarkMeasurement.time("feeds: latest 50 versions (query + decode)", runs: runs) {
            let versions = try await IncidentVersion.query(on: db).sort(\.$publishedAt, .descending).sort(\.$id).limit(50).all()
            for version in versions { _ = try DisclosureJSON.decode(IncidentService.PublishedVersion.self, version.content) }
        })
        // One more filing published at that size: draft, submit (validation, clock, number, log append, version row).
        if let member = try await Account.query(on: db).filter(\.$email == DemoAccounts.member).first(), let orgID = member.$organisation.id,
           let org = try await Organisation.find(orgID, on: db), let number = org.corporateNumber {
            var registered = try await DisclosureStore.company(forOrganisation: orgID, on: db)
            if registered == nil {
                registered = try await CompanyService(services: services).create(.init(corporateNumber: number, securitiesCode: "9A9A", name: org.name,
                                                                                       marketSegment: .prime, fiscalYearEndMonth: 3), actor: benchActor)
            }
            let company = registered!
            var content = DisclosureDemo.ransomware(undetermined: true)
            content.title = "ベンチマーク"
            out.append(try await BenchmarkMeasurement.time("publish one filing at this size (create + submit + log)", runs: 10) {
                let determined = services.now.addingTimeInterval(-3600)
                let incident = try await incidents.create(.init(discoveredAt: determined.addingTimeInterval(-3600), determinedAt: determined, content: content),
                                                          company: company, organisationID: orgID, actor: benchActor)
                try await incidents.submit(incident, actor: benchActor)
            })
        }
        return out
    }
}
