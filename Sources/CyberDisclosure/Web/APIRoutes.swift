import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// JSON API of the module. Every operation is documented; handlers translate HTTP to service calls.
struct DisclosureAPIRoutes {
    let services: Services
    var companies: CompanyService { CompanyService(services: services) }
    var incidents: IncidentService { IncidentService(services: services) }
    var annuals: AnnualService { AnnualService(services: services) }
    var surveys: SurveyService { SurveyService(services: services) }
    var limit: Int { services.config.maxBodyBytes }

    static let tag = "cyber-disclosure"

    func register(_ routes: Routes) {
        for (name, schema) in DTO.schemas { routes.schema(name, schema) }
        registerCompanies(routes)
        registerIncidents(routes)
        registerAnnual(routes)
        registerSurveys(routes)
    }

    static func path(_ name: String, _ description: String, schema: JSONSchema = .string(maxLength: 64)) -> APIOperation.Parameter {
        .init(name, in: .path, schema: schema, description: description)
    }

    static func created(_ location: String) -> HTTPFields { [.location: location] }

    // MARK: companies and indexes

    func registerCompanies(_ routes: Routes) {
        let code = Self.path("code", "Securities code (証券コード), e.g. 7203 or 130A")
        routes.api(.init(method: "GET", path: "/api/v1/disclosure/companies", operationID: "listListedCompanies",
                         summary: "Listed companies (法人番号, securities code, market segment, fiscal year end)", tag: Self.tag,
                         parameters: PageRequest.parameters + [
                            .init("q", in: .query, schema: .string(maxLength: 200), description: "Name contains, or exact securities code or corporate number"),
                            .init("segment", in: .query, schema: .string(enumValues: MarketSegment.allCases.map(\.rawValue)), description: "Market segment"),
                         ],
                         responses: [200: .init("Page of companies", schema: PageOf<DTO.Company>.schema(.ref("DisclosureCompany")))], authenticated: false)) { request, _ in
            let page = try PageRequest.parse(request)
            let query = request.uri.queryParameters
            var filter = CompanyService.CompanyFilter(query: query["q"].map(String.init))
            if let raw = query["segment"] {
                guard let segment = MarketSegment(rawValue: String(raw)) else {
                    throw Problem.badRequest(.init(ja: "市場区分が正しくありません。", en: "Unknown market segment."),
                                             errors: [FieldError(pointer: "/query/segment", code: FieldError.Code.invalid, detail: "unknown segment")])
                }
                filter.segment = segment
            }
            let (items, total) = try await companies.list(filter, page: page)
            return try API.publicJSON(PageOf(items: items.map(DTO.Company.init), total: total, request: page), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/companies", operationID: "createListedCompany",
                         summary: "Register a listed company (reviewers)", tag: Self.tag, requestBody: .ref("DisclosureCompanyInput"),
                         responses: [201: .init("Registered", schema: .ref("DisclosureCompany"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(CompanyInput.self, from: request, limit: limit)
            let company = try await companies.create(input, actor: Actor(identity))
            return try API.json(DTO.Company(company), status: .created, headers: Self.created("/api/v1/disclosure/companies/\(company.securitiesCode)"))
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/companies/{code}", operationID: "getListedCompany", summary: "One listed company",
                         tag: Self.tag, parameters: [code], responses: [200: .init("Company", schema: .ref("DisclosureCompany"))], authenticated: false)) { request, context in
            guard let raw = context.parameters.get("code"), let company = try await DisclosureStore.company(code: raw, on: services.db) else { throw Problem.notFound }
            return try API.publicJSON(DTO.Company(company), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/indexes", operationID: "listDisclosureIndexes",
                         summary: "Indexes whose constituents are surveyed, with their constituent-list dates", tag: Self.tag,
                         responses: [200: .init("Indexes", schema: .array(.ref("DisclosureIndex")))], authenticated: false)) { request, _ in
            try API.publicJSON(try await indexDocuments(), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/indexes", operationID: "createDisclosureIndex", summary: "Create an index (reviewers)",
                         tag: Self.tag, requestBody: .ref("DisclosureIndexInput"),
                         responses: [201: .init("Created", schema: .ref("DisclosureIndex"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(CompanyService.IndexInput.self, from: request, limit: limit)
            let index = try await companies.createIndex(input, actor: Actor(identity))
            return try API.json(DTO.Index(code: index.code, name: index.name, nameEn: index.nameEn, snapshots: []), status: .created,
                                headers: Self.created("/api/v1/disclosure/indexes/\(index.code)/constituents"))
        }

        let indexCode = Self.path("code", "Index code, e.g. NIKKEI500")
        routes.api(.init(method: "GET", path: "/api/v1/disclosure/indexes/{code}/constituents", operationID: "getIndexConstituents",
                         summary: "The constituents in force on a date", tag: Self.tag,
                         parameters: [indexCode, .init("asOf", in: .query, schema: .string(format: "date"), description: "Date (default: today in Japan)")],
                         responses: [200: .init("Constituents", schema: .ref("DisclosureConstituents"))], authenticated: false)) { request, context in
            guard let raw = context.parameters.get("code"), let index = try await companies.index(code: raw) else { throw Problem.notFound }
            var asOf = JapanTime.date(of: services.now)
            if let text = request.uri.queryParameters["asOf"] {
                guard let date = LocalDate(String(text)) else {
                    throw Problem.badRequest(.init(ja: "日付はYYYY-MM-DDで指定してください。", en: "Give the date as YYYY-MM-DD."),
                                             errors: [FieldError(pointer: "/query/asOf", code: FieldError.Code.invalid, detail: "not a date")])
                }
                asOf = date
            }
            guard let snapshot = try await companies.snapshot(of: index, asOf: asOf) else { throw Problem.notFound }
            let members = try await companies.members(of: snapshot)
            return try API.publicJSON(DTO.Constituents(index: index.code, effectiveDate: snapshot.effectiveDate, companies: members.map(DTO.Company.init)), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/indexes/{code}/constituents", operationID: "importIndexConstituents",
                         summary: "Import a constituent list from CSV with an effective date (reviewers); any bad row refuses the file",
                         tag: Self.tag, parameters: [indexCode], requestBody: .ref("DisclosureConstituentImport"),
                         responses: [201: .init("Imported", schema: .ref("DisclosureImportResult"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            guard let raw = context.parameters.get("code"), let index = try await companies.index(code: raw) else { throw Problem.notFound }
            let input = try await API.decode(DTO.ImportInput.self, from: request, limit: max(limit, 2_500_000))
            let outcome = try await companies.importConstituents(index: index, effectiveDate: input.effectiveDate, csv: input.csv, actor: Actor(identity))
            return try API.json(DTO.ImportResult(index: index.code, effectiveDate: outcome.snapshot.effectiveDate, members: outcome.members,
                                                 createdCompanies: outcome.created), status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/regimes", operationID: "listDisclosureRegimes",
                         summary: "Reporting regimes as rule data: clocks, triggers, applicability and required content", tag: Self.tag,
                         responses: [200: .init("Rules", schema: .array(.ref("DisclosureRegimeRule")))], authenticated: false)) { request, _ in
            try API.publicJSON(try await DisclosureStore.rules(on: services.db), request: request)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/disclosure/regimes/{code}", operationID: "updateDisclosureRegime",
                         summary: "Change a rule's clock or switch it off (administrators); published filings keep their deadlines", tag: Self.tag,
                         parameters: [Self.path("code", "Rule code, e.g. ppc-final")], requestBody: .ref("DisclosureRegimeRuleUpdate"),
                         responses: [200: .init("Rule", schema: .ref("DisclosureRegimeRule"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            guard let code = context.parameters.get("code"),
                  let record = try await RegimeRuleRecord.query(on: services.db).filter(\.$code == code).first() else { throw Problem.notFound }
            let input = try await API.decode(DTO.RuleUpdate.self, from: request, limit: limit)
            let rule = try await RegimeAdministration(services: services).update(record, clock: input.clock, active: input.active, identity: identity)
            return try API.json(rule)
        }
    }

    func indexDocuments() async throws -> [DTO.Index] {
        let indexes = try await MarketIndex.query(on: services.db).sort(\.$code).all()
        let snapshots = try await IndexSnapshot.query(on: services.db).sort(\.$effectiveDate).all()
        return indexes.map { index in
            DTO.Index(code: index.code, name: index.name, nameEn: index.nameEn,
                      snapshots: snapshots.filter { $0.indexID == index.id }.map { .init(effectiveDate: $0.effectiveDate, members: $0.rowCount) })
        }
    }

    // MARK: incidents

    /// The incident as the caller may see it: drafts, every regime and delay grounds only for the company and reviewers.
    func incidentDetail(_ snapshot: IncidentService.Snapshot, identity: Identity?) -> DTO.IncidentDetail {
        let incident = snapshot.incident
        let insider = identity?.canAccess(organisation: incident.organisationID) ?? false
        let draft: DTO.Draft? = insider ? snapshot.draft.map {
            DTO.Draft(kind: incident.draftKind ?? .initial, content: $0, informationAvailableAt: incident.draftAvailableAt, reason: incident.draftReason)
        } : nil
        let latest = snapshot.versions.last.flatMap { snapshot.published($0)?.content }
        let obligations = snapshot.obligations.filter { insider || ($0.rule.regime == .tse && $0.metAt != nil) }
        let delays = snapshot.delays.filter { insider || ($0.pause != nil && incident.status == .published) }
        return DTO.IncidentDetail(incident: DTO.IncidentSummary(incident, company: snapshot.company), occurredAt: incident.occurredAt,
                                  discoveredAt: incident.discoveredAt, personalData: incident.personalData, malicious: incident.malicious,
                                  content: latest, draft: draft, versions: snapshot.versions.map(DTO.VersionSummary.init),
                                  obligations: obligations.map { DTO.ObligationItem($0, now: services.now) },
                                  delays: delays.map { DTO.Delay($0, confidential: insider) })
    }

    func registerIncidents(_ routes: Routes) {
        let id = Self.path("id", "Incident id (UUID) or public number (INC-2026-0001)")
        routes.api(.init(method: "GET", path: "/api/v1/disclosure/incidents", operationID: "listDisclosedIncidents",
                         summary: "Published incident disclosures, newest first (the JSON feed); scope=own lists the caller's company's incidents including drafts",
                         tag: Self.tag, parameters: PageRequest.parameters + [
                            .init("company", in: .query, schema: .string(maxLength: 8), description: "Securities code"),
                            .init("late", in: .query, schema: .boolean(), description: "Only filings published after their deadline (true) or on time (false)"),
                            .init("year", in: .query, schema: .integer(minimum: 2000, maximum: 2099), description: "Year of first publication"),
                            .init("scope", in: .query, schema: .string(enumValues: ["public", "own"]), description: "own: the signed-in member's company, drafts included"),
                         ],
                         responses: [200: .init("Page of incidents", schema: PageOf<DTO.IncidentSummary>.schema(.ref("DisclosureIncidentSummary")))],
                         authenticated: false)) { request, context in
            let page = try PageRequest.parse(request)
            let query = request.uri.queryParameters
            if query["scope"] == "own" {
                let identity = try context.requireIdentity()
                let company = try await DisclosureStore.memberCompany(identity, on: services.db)
                let items = try await incidents.organisationList(identity.organisationID!)
                let slice = Array(items.dropFirst(page.offset).prefix(page.limit))
                return try API.json(PageOf(items: slice.map { DTO.IncidentSummary($0, company: company) }, total: items.count, request: page))
            }
            let filter = try Self.incidentFilter(Dictionary(query.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first }))
            let (items, total) = try await incidents.publicList(filter, page: page)
            let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: services.db)
            let dtos = items.compactMap { item in byID[item.companyID].map { DTO.IncidentSummary(item, company: $0) } }
            return try API.publicJSON(PageOf(items: dtos, total: total, request: page), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/incidents", operationID: "createIncident",
                         summary: "Record a serious incident as a draft (members of a listed company); the 4-business-day clock starts at determinedAt",
                         tag: Self.tag, requestBody: .ref("DisclosureIncidentInput"),
                         responses: [201: .init("Draft", schema: .ref("DisclosureIncident"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(IncidentService.CreateInput.self, from: request, limit: limit)
            let incident = try await incidents.create(input, identity: identity)
            let snapshot = try await incidents.snapshot(incident)
            return try API.json(incidentDetail(snapshot, identity: identity), status: .created,
                                headers: Self.created("/api/v1/disclosure/incidents/\(incident.id!)"))
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/incidents/{id}", operationID: "getIncident",
                         summary: "An incident with its versions, its obligations under every applicable regime and their clocks", tag: Self.tag,
                         parameters: [id], responses: [200: .init("Incident", schema: .ref("DisclosureIncident"))], authenticated: false)) { request, context in
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: context.identity)
            return try API.json(incidentDetail(try await incidents.snapshot(incident), identity: context.identity))
        }

        routes.api(.init(method: "PUT", path: "/api/v1/disclosure/incidents/{id}", operationID: "updateIncidentDraft",
                         summary: "Replace the draft (the facts can change only before the first publication)", tag: Self.tag, parameters: [id],
                         requestBody: .ref("DisclosureIncidentUpdate"), responses: [200: .init("Incident", schema: .ref("DisclosureIncident"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            let input = try await API.decode(IncidentService.UpdateInput.self, from: request, limit: limit)
            try await incidents.update(incident, input, identity: identity)
            return try API.json(incidentDetail(try await incidents.snapshot(incident), identity: identity))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/incidents/{id}/submit", operationID: "submitIncident",
                         summary: "Publish the draft as the next version (a public record); refused with the missing parts listed when content is incomplete",
                         tag: Self.tag, parameters: [id], responses: [201: .init("Published version", schema: .ref("DisclosureVersion"))],
                         authenticated: true)) { _, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            let version = try await incidents.submit(incident, identity: identity)
            return try API.json(try versionDetail(version), status: .created,
                                headers: Self.created("/api/v1/disclosure/incidents/\(incident.id!)/versions/\(version.version)"))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/incidents/{id}/amendments", operationID: "startIncidentAmendment",
                         summary: "Start a follow-up filing; its own 4-business-day clock runs from informationAvailableAt", tag: Self.tag, parameters: [id],
                         requestBody: .ref("DisclosureAmendmentInput"), responses: [201: .init("Incident with the amendment draft", schema: .ref("DisclosureIncident"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            let input = try await API.decode(IncidentService.AmendmentInput.self, from: request, limit: limit)
            try await incidents.startAmendment(incident, input, identity: identity)
            return try API.json(incidentDetail(try await incidents.snapshot(incident), identity: identity), status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/incidents/{id}/versions/{version}", operationID: "getIncidentVersion",
                         summary: "A published version exactly as logged, with links to its log entry and inclusion proof", tag: Self.tag,
                         parameters: [id, Self.path("version", "Version number from 1", schema: .integer(minimum: 1, maximum: 100_000))],
                         responses: [200: .init("Version", schema: .ref("DisclosureVersion"))], authenticated: false)) { request, context in
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: context.identity)
            guard let number = context.parameters.get("version", as: Int.self),
                  let version = try await IncidentVersion.query(on: services.db).filter(\.$incidentID == incident.id!).filter(\.$version == number).first()
            else { throw Problem.notFound }
            return try API.publicJSON(try versionDetail(version), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/incidents/{id}/delays", operationID: "requestDisclosureDelay",
                         summary: "Request a delay with its grounds (at most 30 days); the clock stops only once a reviewer approves it", tag: Self.tag,
                         parameters: [id], requestBody: .ref("DisclosureDelayInput"), responses: [201: .init("Request", schema: .ref("DisclosureDelay"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            let input = try await API.decode(IncidentService.DelayInput.self, from: request, limit: limit)
            let delay = try await incidents.requestDelay(incident, input, identity: identity)
            return try API.json(DTO.Delay(delay, confidential: true), status: .created)
        }

        let delayID = Self.path("id", "Delay request id", schema: .uuid)
        routes.api(.init(method: "POST", path: "/api/v1/disclosure/delays/{id}/decision", operationID: "decideDisclosureDelay",
                         summary: "Approve (possibly for a shorter period) or reject a delay request (reviewers)", tag: Self.tag, parameters: [delayID],
                         requestBody: .ref("DisclosureDelayDecision"), responses: [200: .init("Decided", schema: .ref("DisclosureDelay"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let input = try await API.decode(IncidentService.DecisionInput.self, from: request, limit: limit)
            return try API.json(DTO.Delay(try await incidents.decideDelay(id, input, identity: identity), confidential: true))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/delays/{id}/end", operationID: "endDisclosureDelay",
                         summary: "End an approved delay early, or withdraw a pending request; the clock runs again from now", tag: Self.tag,
                         parameters: [delayID], responses: [200: .init("Ended", schema: .ref("DisclosureDelay"))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            try await incidents.endDelay(id, identity: identity)
            guard let delay = try await DelayRequest.find(id, on: services.db) else { throw Problem.notFound }
            return try API.json(DTO.Delay(delay, confidential: true))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/incidents/{id}/obligations/{rule}/submission", operationID: "recordRegimeSubmission",
                         summary: "Record that a report under another regime (PPC, NIS2, SEC) was submitted; refused when its required content is missing",
                         tag: Self.tag, parameters: [id, Self.path("rule", "Rule code, e.g. ppc-preliminary")], requestBody: .ref("DisclosureSubmissionInput"),
                         responses: [201: .init("Incident", schema: .ref("DisclosureIncident"))], authenticated: true)) { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            let input = try await API.decode(IncidentService.SubmissionInput.self, from: request, limit: limit)
            _ = try await incidents.recordSubmission(incident, ruleCode: context.parameters.get("rule") ?? "", input, identity: identity)
            return try API.json(incidentDetail(try await incidents.snapshot(incident), identity: identity), status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/dashboard", operationID: "getDisclosureDashboard",
                         summary: "Reviewer dashboard: running clocks by time left, overdue filings, pending delay requests, late filings", tag: Self.tag,
                         responses: [200: .init("Dashboard", schema: .ref("DisclosureDashboard"))], authenticated: true)) { _, context in
            try context.require(.reviewer)
            return try API.json(try await DashboardBuilder(services: services).build())
        }
    }

    static func incidentFilter(_ query: [String: String]) throws -> IncidentService.PublicFilter {
        var filter = IncidentService.PublicFilter()
        var errors: [FieldError] = []
        if let code = query["company"], !code.isEmpty { filter.company = code }
        if let raw = query["late"] {
            switch raw { case "true": filter.late = true; case "false": filter.late = false
            default: errors.append(FieldError(pointer: "/query/late", code: FieldError.Code.invalid, detail: "late must be true or false"))
            }
        }
        if let raw = query["year"] {
            if let year = Int(raw), (2000...2099).contains(year) { filter.year = year } else {
                errors.append(FieldError(pointer: "/query/year", code: FieldError.Code.range, detail: "year must be from 2000 to 2099"))
            }
        }
        if let scope = query["scope"], scope != "public" && scope != "own" {
            errors.append(FieldError(pointer: "/query/scope", code: FieldError.Code.invalid, detail: "scope must be public or own"))
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "検索条件が正しくありません。", en: "Invalid filter."), errors: errors) }
        return filter
    }

    func versionDetail(_ version: IncidentVersion) throws -> DTO.VersionDetail {
        DTO.VersionDetail(summary: DTO.VersionSummary(version), record: try DisclosureJSON.decode(IncidentService.PublishedVersion.self, version.content),
                          logEntry: "/log/entries/\(version.logIndex)", inclusionProof: "/api/v1/log/proof/inclusion?index=\(version.logIndex)")
    }

    // MARK: annual disclosures

    func annualDetail(_ snapshot: AnnualService.Snapshot, identity: Identity?) async throws -> DTO.AnnualDetail {
        let insider = identity?.canAccess(organisation: snapshot.annual.organisationID) ?? false
        var score: DTO.ScoreItem?
        var crossReference: [DTO.SECItem] = []
        if let latest = snapshot.latest ?? (insider ? snapshot.draft : nil) {
            let (version, rubric) = try await surveys.currentRubric()
            let result = rubric.score(latest)
            score = DTO.ScoreItem(rubricVersion: version, levels: result.levels, total: result.total, maximum: result.maximum, percent: result.percent, stars: result.stars)
            crossReference = AnnualItem.allCases.map { DTO.SECItem(item: $0, crossReference: SECCrossReference.filled($0, content: latest[$0])) }
        }
        return DTO.AnnualDetail(annual: DTO.AnnualSummary(snapshot.annual, company: snapshot.company), content: snapshot.latest,
                                draft: insider ? snapshot.draft : nil,
                                versions: snapshot.versions.map { .init(version: $0.version, publishedAt: $0.publishedAt, logIndex: $0.logIndex) },
                                secCrossReference: crossReference, score: score)
    }

    func registerAnnual(_ routes: Routes) {
        let id = Self.path("id", "Annual disclosure id", schema: .uuid)
        routes.api(.init(method: "GET", path: "/api/v1/disclosure/annual", operationID: "listAnnualDisclosures",
                         summary: "Published annual cyber disclosures", tag: Self.tag, parameters: PageRequest.parameters + [
                            .init("fiscalYear", in: .query, schema: .integer(minimum: 2000, maximum: 2099), description: "Fiscal year (the year it starts)"),
                            .init("company", in: .query, schema: .string(maxLength: 8), description: "Securities code"),
                         ],
                         responses: [200: .init("Page of disclosures", schema: PageOf<DTO.AnnualSummary>.schema(.ref("DisclosureAnnualSummary")))],
                         authenticated: false)) { request, _ in
            let page = try PageRequest.parse(request)
            var filter = AnnualService.ListFilter()
            let query = request.uri.queryParameters
            if let raw = query["fiscalYear"] {
                guard let year = Int(String(raw)), (2000...2099).contains(year) else {
                    throw Problem.badRequest(.init(ja: "年度が正しくありません。", en: "Invalid fiscal year."),
                                             errors: [FieldError(pointer: "/query/fiscalYear", code: FieldError.Code.range, detail: "fiscalYear must be from 2000 to 2099")])
                }
                filter.fiscalYear = year
            }
            filter.company = query["company"].map(String.init)
            let (items, total) = try await annuals.publicList(filter, page: page)
            let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: services.db)
            return try API.publicJSON(PageOf(items: items.compactMap { a in byID[a.companyID].map { DTO.AnnualSummary(a, company: $0) } }, total: total, request: page),
                                      request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/annual", operationID: "createAnnualDisclosure",
                         summary: "Start the annual cyber disclosure for a fiscal year (members)", tag: Self.tag, requestBody: .ref("DisclosureAnnualInput"),
                         responses: [201: .init("Draft", schema: .ref("DisclosureAnnual"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(AnnualService.CreateInput.self, from: request, limit: limit)
            let annual = try await annuals.create(input, identity: identity)
            return try API.json(try await annualDetail(try await annuals.snapshot(annual), identity: identity), status: .created,
                                headers: Self.created("/api/v1/disclosure/annual/\(annual.id!)"))
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/annual/{id}", operationID: "getAnnualDisclosure",
                         summary: "An annual disclosure with its SEC Item 106 / XBRL cross-reference and its score under the current rubric", tag: Self.tag,
                         parameters: [id], responses: [200: .init("Disclosure", schema: .ref("DisclosureAnnual"))], authenticated: false)) { _, context in
            guard let uuid = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let annual = try await annuals.find(uuid, identity: context.identity)
            return try API.json(try await annualDetail(try await annuals.snapshot(annual), identity: context.identity))
        }

        routes.api(.init(method: "PUT", path: "/api/v1/disclosure/annual/{id}", operationID: "updateAnnualDisclosure",
                         summary: "Replace the draft's six items (a published disclosure gets a new draft)", tag: Self.tag, parameters: [id],
                         requestBody: .ref("DisclosureAnnualContent"), responses: [200: .init("Disclosure", schema: .ref("DisclosureAnnual"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.member)
            guard let uuid = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let annual = try await annuals.find(uuid, identity: identity)
            let input = try await API.decode(AnnualService.ContentInput.self, from: request, limit: limit)
            try await annuals.update(annual, content: input.content, identity: identity)
            return try API.json(try await annualDetail(try await annuals.snapshot(annual), identity: identity))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/annual/{id}/submit", operationID: "submitAnnualDisclosure",
                         summary: "Publish the draft as the next version (a public record)", tag: Self.tag, parameters: [id],
                         responses: [201: .init("Disclosure", schema: .ref("DisclosureAnnual"))], authenticated: true)) { _, context in
            let identity = try context.require(.member)
            guard let uuid = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let annual = try await annuals.find(uuid, identity: identity)
            try await annuals.submit(annual, identity: identity)
            guard let fresh = try await AnnualDisclosure.find(uuid, on: services.db) else { throw Problem.notFound }
            return try API.json(try await annualDetail(try await annuals.snapshot(fresh), identity: identity), status: .created)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/annual/{id}/import", operationID: "importAnnualPassages",
                         summary: "Add confirmed passages (each assigned to an item) and figures to the draft", tag: Self.tag, parameters: [id],
                         requestBody: .ref("DisclosureImportInput"), responses: [200: .init("Disclosure", schema: .ref("DisclosureAnnual"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.member)
            guard let uuid = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let annual = try await annuals.find(uuid, identity: identity)
            let input = try await API.decode(AnnualService.ImportInput.self, from: request, limit: limit)
            try await annuals.applyImport(annual, input, identity: identity)
            return try API.json(try await annualDetail(try await annuals.snapshot(annual), identity: identity))
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/passages/classify", operationID: "classifyDisclosurePassages",
                         summary: "Propose which of the six items each passage of a pasted securities-report section covers (for a person to confirm)",
                         tag: Self.tag, requestBody: .ref("DisclosureClassifyInput"),
                         responses: [200: .init("Proposals", schema: .ref("DisclosureClassification"))], authenticated: true)) { request, context in
            try context.requireIdentity()
            let input = try await API.decode(DTO.ClassifyInput.self, from: request, limit: limit)
            if input.text.count > PassageClassifier.maxCharacters {
                throw Problem.validation([FieldError(pointer: "/text", code: FieldError.Code.range, detail: "At most \(PassageClassifier.maxCharacters) characters.",
                                                     detailJa: "\(PassageClassifier.maxCharacters)文字までです。")])
            }
            return try API.json(Self.classification(input.text))
        }
    }

    static func classification(_ text: String) -> DTO.Classification {
        DTO.Classification(passages: PassageClassifier.classify(text).map { p in
            DTO.Passage(index: p.index, text: p.text, item: p.item, score: p.score, matched: p.matched, heading: p.isHeading,
                        figures: p.figures.map { .init(item: $0.item, key: $0.key, value: $0.value, evidence: $0.evidence) })
        })
    }

    // MARK: rubric and surveys

    func registerSurveys(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/disclosure/rubric", operationID: "getDisclosureRubric",
                         summary: "The current scoring rubric of the disclosure survey", tag: Self.tag,
                         responses: [200: .init("Rubric", schema: .ref("DisclosureRubric"))], authenticated: false)) { request, _ in
            let (version, rubric) = try await surveys.currentRubric()
            return try API.publicJSON(DTO.RubricDoc(version: version, rubric: rubric, maximum: rubric.maximum), request: request)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/disclosure/rubric", operationID: "updateDisclosureRubric",
                         summary: "Save an edited rubric as the next version (administrators)", tag: Self.tag, requestBody: .ref("DisclosureRubricInput"),
                         responses: [200: .init("Rubric", schema: .ref("DisclosureRubric"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let rubric = try await API.decode(Rubric.self, from: request, limit: limit)
            let version = try await surveys.updateRubric(rubric, identity: identity)
            return try API.json(DTO.RubricDoc(version: version, rubric: rubric, maximum: rubric.maximum))
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/surveys", operationID: "listDisclosureSurveys",
                         summary: "Disclosure survey runs", tag: Self.tag, parameters: PageRequest.parameters,
                         responses: [200: .init("Page of surveys", schema: PageOf<DTO.SurveySummary>.schema(.ref("DisclosureSurveySummary")))],
                         authenticated: false)) { request, _ in
            let page = try PageRequest.parse(request)
            let (items, total) = try await surveys.list(page: page)
            let indexes = Dictionary(uniqueKeysWithValues: try await MarketIndex.query(on: services.db).all().map { ($0.id!, $0.code) })
            return try API.publicJSON(PageOf(items: items.map { Self.surveySummary($0, index: indexes[$0.indexID] ?? "") }, total: total, request: page),
                                      request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/disclosure/surveys", operationID: "runDisclosureSurvey",
                         summary: "Run the survey over an index's constituents for a fiscal year (reviewers); published as a public record", tag: Self.tag,
                         requestBody: .ref("DisclosureSurveyInput"), responses: [201: .init("Survey", schema: .ref("DisclosureSurvey"))],
                         authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(SurveyService.RunInput.self, from: request, limit: limit)
            let survey = try await surveys.run(input, identity: identity)
            return try API.json(try await surveyDetail(survey), status: .created, headers: Self.created("/api/v1/disclosure/surveys/\(survey.number)"))
        }

        routes.api(.init(method: "GET", path: "/api/v1/disclosure/surveys/{id}", operationID: "getDisclosureSurvey",
                         summary: "A survey: ranked scores, star distribution, item coverage and change from the previous fiscal year", tag: Self.tag,
                         parameters: [Self.path("id", "Survey number (SRV-2026-0001) or id")],
                         responses: [200: .init("Survey", schema: .ref("DisclosureSurvey"))], authenticated: false)) { request, context in
            let survey = try await surveys.find(context.parameters.get("id") ?? "")
            return try API.publicJSON(try await surveyDetail(survey), request: request)
        }
    }

    static func surveySummary(_ survey: Survey, index: String) -> DTO.SurveySummary {
        DTO.SurveySummary(id: survey.id!, number: survey.number, index: index, fiscalYear: survey.fiscalYear, rubricVersion: survey.rubricVersion,
                          runAt: survey.runAt, companies: survey.companies, disclosed: survey.disclosed, meanPercent: survey.meanPercent,
                          logIndex: survey.logIndex, url: "/disclosure/surveys/\(survey.number)")
    }

    func surveyDetail(_ survey: Survey) async throws -> DTO.SurveyDetail {
        let report = try await SurveyReport.load(survey, services: services)
        return report.document
    }
}

/// Administrators change a rule's clock or switch it off; the change is audited.
struct RegimeAdministration {
    let services: Services

    func update(_ record: RegimeRuleRecord, clock: ClockSpec, active: Bool, identity: Identity) async throws -> RegimeRule {
        guard identity.isAdmin else { throw Problem.forbidden }
        var rule = try DisclosureJSON.decode(RegimeRule.self, record.definition)
        var errors = ValidationErrors()
        errors.add(contentsOf: clock.problems())
        if rule.code == RegimeRule.timelyCode && !active {
            errors.add("/active", code: FieldError.Code.invalid, .init(ja: "適時開示の規則は停止できません。", en: "The timely-disclosure rule cannot be switched off."))
        }
        if rule.metByPublication && clock.calendar == .usFederal {
            errors.add("/clock/calendar", code: FieldError.Code.invalid, .init(ja: "適時開示は日本の営業日で数えます。", en: "Timely disclosure counts Japanese business days."))
        }
        try errors.throwIfAny()
        let before = rule.clock.label(.en)
        rule.clock = clock
        rule.active = active
        let now = services.now
        let updated = rule
        try await services.db.transaction { db in
            record.definition = try DisclosureJSON.string(updated)
            record.updatedAt = now
            try await record.save(on: db)
            try await DisclosureStore.audit(db, Actor(identity), organisation: nil, action: "disclosure.regime.update", targetType: "regime-rule",
                                            target: updated.code, summary: ["before": before, "after": clock.label(.en), "active": String(active)], at: now)
        }
        return updated
    }
}
