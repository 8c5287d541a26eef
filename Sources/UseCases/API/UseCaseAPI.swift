import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The JSON API of the use-case exchange. Handlers only translate HTTP to the services.
struct UseCaseAPI {
    let services: Services
    let search: SearchSnapshots
    var service: UseCaseService { UseCaseService(services: services) }
    var reads: PublicUseCases { PublicUseCases(services: services, search: search) }
    var needs: NeedService { NeedService(services: services) }
    var limit: Int { services.config.maxBodyBytes }

    static let numberParam = APIOperation.Parameter("number", in: .path, schema: .string(pattern: UseCaseSchemas.numberPattern), description: "Use case number, e.g. UC-2026-0001")
    static let needParam = APIOperation.Parameter("number", in: .path, schema: .string(pattern: UseCaseSchemas.needNumberPattern), description: "Need number, e.g. ND-2026-0001")
    static let idParam = APIOperation.Parameter("id", in: .path, schema: .uuid, description: "Submission id")

    static var searchParameters: [APIOperation.Parameter] {
        [APIOperation.Parameter("q", in: .query, schema: .string(maxLength: SearchText.maxQueryLength),
                                description: "Words to find (Japanese works without spaces; full- and half-width forms match)")]
        + Facet.allCases.map { facet in
            let values: [String]
            switch facet {
            case .industry: values = JSIC.codes
            case .organisationType: values = OrganisationType.allCases.map(\.rawValue)
            case .municipalityScale: values = MunicipalityScale.allCases.map(\.rawValue)
            case .stage: values = Stage.allCases.map(\.rawValue)
            case .confidentiality: values = ["1", "2", "3"]
            case .category: values = []
            }
            let item: JSONSchema = values.isEmpty ? .string(maxLength: 60) : .string(enumValues: values)
            return APIOperation.Parameter(facet.rawValue, in: .query, schema: .array(item, maxItems: 30), description: "Filter (repeatable)")
        }
        + [APIOperation.Parameter("sort", in: .query, schema: .string(enumValues: SearchSort.allCases.map(\.rawValue)),
                                  description: "relevance (default with q), newest (default without), reused")]
        + ShinraiKit.PageRequest.parameters
    }

    func register(_ routes: Routes) {
        for (name, schema) in UseCaseSchemas.all { routes.schema(name, schema) }
        registerPublic(routes)
        registerSubmissions(routes)
        registerCategories(routes)
        registerNeeds(routes)
    }

    // MARK: public records

    func registerPublic(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/usecases", operationID: "searchUseCases",
                         summary: "Search published use cases (full text, facets with counts, sort, paging)", tag: "usecases",
                         parameters: Self.searchParameters,
                         responses: [200: .init("A page of use cases with facet counts", schema: .ref("UseCaseSearchPage"))], authenticated: false)) { request, _ in
            let query = try SearchQuery.parse(request, strict: true, defaultLimit: 20)
            return try API.publicJSON(try await reads.searchPage(query), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecases/{number}", operationID: "getUseCase",
                         summary: "The current published version of a use case (or the notice of its withdrawal)", tag: "usecases",
                         parameters: [Self.numberParam], responses: [200: .init("Use case", schema: .ref("UseCase"))], authenticated: false)) { request, context in
            let (record, latest) = try await published(context)
            return try API.publicJSON(try await reads.detail(record, latest), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecases/{number}/versions", operationID: "listUseCaseVersions",
                         summary: "Every published version of a use case, newest first", tag: "usecases",
                         parameters: [Self.numberParam], responses: [200: .init("Versions", schema: .array(.ref("UseCaseVersionInfo")))], authenticated: false)) { request, context in
            let (record, _) = try await published(context)
            return try API.publicJSON(try await reads.versionInfos(record), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecases/{number}/versions/{version}", operationID: "getUseCaseVersion",
                         summary: "One published version exactly as logged (its canonical JSON hashes to contentHash)", tag: "usecases",
                         parameters: [Self.numberParam, .init("version", in: .path, schema: .integer(minimum: 1), description: "Version number")],
                         responses: [200: .init("Version", schema: .ref("UseCaseVersion"))], authenticated: false)) { request, context in
            let (record, _) = try await published(context)
            guard let number = context.parameters.get("version", as: Int.self), number >= 1,
                  let version = try await service.version(of: record.id!, number: number) else { throw Problem.notFound }
            return try API.publicJSON(VersionDTO(record: try version.record(), contentHash: version.contentHash, logIndex: version.logIndex,
                                                 proof: PublicUseCases.proofLink(version.logIndex)), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecases/{number}/similar", operationID: "listSimilarUseCases",
                         summary: "Published use cases similar to this one", tag: "usecases",
                         parameters: [Self.numberParam], responses: [200: .init("Similar use cases", schema: .array(.ref("UseCaseSummary")))], authenticated: false)) { request, context in
            let (record, latest) = try await published(context)
            let similar = try await reads.similar(to: try latest.record().content, excluding: record.id)
            return try API.publicJSON(similar.map { UseCaseSummaryDTO($0, terms: []) }, request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecases/{number}/prompts/{index}/fill", operationID: "fillUseCasePrompt",
                         summary: "Fill a prompt template's variables and get the finished prompt (counts one reuse when complete)", tag: "usecases",
                         parameters: [Self.numberParam, .init("index", in: .path, schema: .integer(minimum: 1, maximum: 10), description: "Prompt example, from 1")],
                         requestBody: .ref("UseCasePromptFillInput"),
                         responses: [200: .init("The filled prompt", schema: .ref("UseCasePromptFill"))], authenticated: false)) { request, context in
            let (record, latest) = try await published(context, listedOnly: true)
            let prompt = try Self.prompt(context, in: try latest.record().content)
            struct Input: Codable { var values: [String: String] }
            let input = try await API.decode(Input.self, from: request, limit: limit)
            let filled = try PromptTemplate(parsing: prompt.template).fill(input.values)
            if filled.isComplete { try await service.countReuse(record.id!) }
            struct Output: Encodable { var prompt: String; var complete: Bool; var missing: [String]; var reuses: Int }
            return try API.json(Output(prompt: filled.text, complete: filled.isComplete, missing: filled.missing,
                                       reuses: record.reuses + (filled.isComplete ? 1 : 0)))
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecase-taxonomies", operationID: "getUseCaseTaxonomies",
                         summary: "Codes and names: JSIC industries, organisation types, stages, confidentiality levels, licences, countermeasures, risk checks, categories",
                         tag: "usecases", responses: [200: .init("Taxonomies", schema: .ref("UseCaseTaxonomies"))], authenticated: false)) { request, _ in
            return try API.publicJSON(try await taxonomies(), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecase-imports", operationID: "importUseCases",
                         summary: "Import use cases in the US Federal AI Use Case Inventory layout as drafts of your organisation", tag: "usecases",
                         requestBody: .ref("UseCaseImportInput"),
                         responses: [200: .init("Report of a clean dry run (nothing written); rows with problems answer 422, each error pointing to /csv/{line}/{column}",
                                                schema: .ref("UseCaseImportReport")),
                                     201: .init("Drafts created (with skipInvalid, the rows left out are listed in errors)", schema: .ref("UseCaseImportReport"))],
                         authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(ImportService.Input.self, from: request, limit: limit)
            guard input.format == USInventory.formatName else {
                throw Problem.validation([FieldError(pointer: "/format", code: "invalid", detail: "The format is \(USInventory.formatName).", detailJa: "形式は \(USInventory.formatName) です。")])
            }
            let report = try await ImportService(services: services).run(csv: Data(input.csv.utf8), dryRun: input.dryRun ?? false,
                                                                          skipInvalid: input.skipInvalid ?? false, by: Principal(identity))
            if report.created.isEmpty && !report.errors.isEmpty {
                // Nothing was written: the rows' problems as a validation problem, one error per cell.
                throw Problem.validation(report.errors.map {
                    FieldError(pointer: "/csv/\($0.line)/" + JSONPointer.escape($0.column.isEmpty ? "-" : $0.column), code: $0.code,
                               detail: "Line \($0.line): \($0.detail)", detailJa: "\($0.line)行目: \($0.detailJa)")
                }, detail: .init(ja: "\(Set(report.errors.map(\.line)).count)行に問題があるため、何も取り込んでいません。",
                                 en: "\(Set(report.errors.map(\.line)).count) row(s) have problems; nothing was imported."))
            }
            return try API.json(report, status: report.created.isEmpty ? .ok : .created)
        }
    }

    func published(_ context: AppContext, listedOnly: Bool = false) async throws -> (UseCaseRecord, UseCaseVersionRecord) {
        guard let number = context.parameters.get("number"), let found = try await service.publicRecord(number: number),
              !listedOnly || found.record.listed else { throw Problem.notFound }
        return found
    }

    static func prompt(_ context: AppContext, in content: UseCaseContent) throws -> UseCaseContent.PromptExample {
        guard let index = context.parameters.get("index", as: Int.self), index >= 1, index <= content.prompts.count else { throw Problem.notFound }
        return content.prompts[index - 1]
    }

    func taxonomies() async throws -> TaxonomiesDTO {
        let catalogue = services.views.catalogue
        func term(_ value: String, _ key: String) -> TermDTO { TermDTO(value: value, label: catalogue.text(key, .ja), labelEn: catalogue.text(key, .en)) }
        return TaxonomiesDTO(
            industries: JSIC.codes.map { code in
                IndustryDTO(value: code, label: catalogue.text(Label.industry(code), .ja), labelEn: catalogue.text(Label.industry(code), .en),
                            groups: JSIC.groups(of: code).map { term($0, Label.industryGroup($0)) })
            },
            organisationTypes: OrganisationType.allCases.map { term($0.rawValue, Label.orgType($0)) },
            municipalityScales: MunicipalityScale.allCases.map { term($0.rawValue, Label.scale($0)) },
            stages: Stage.allCases.map { term($0.rawValue, Label.stage($0)) },
            confidentialityLevels: (1...3).map { term(String($0), Label.confidentiality($0)) },
            licences: Licence.allCases.map { term($0.rawValue, Label.licence($0)) },
            countermeasures: Countermeasure.allCases.map { term($0.rawValue, Label.countermeasure($0)) },
            riskChecks: RiskCheck.allCases.map { term($0.rawValue, Label.risk($0)) },
            categories: try await service.categories().map { TermDTO(value: $0.slug, label: $0.nameJa, labelEn: $0.nameEn) })
    }

    // MARK: submissions (the owner's working copy and moderation)

    func submissionDTO(_ record: UseCaseRecord, principal: Principal) async throws -> SubmissionDTO {
        let organisation = try await service.organisation(record.organisationID)
        let history = try await service.history(of: record.id!).map {
            HistoryDTO(action: $0.action, comment: $0.comment, actor: $0.actorLabel, at: $0.at)
        }
        let allowed = Workflow.allowed(from: record.status, everPublished: record.publishedVersion > 0, listed: record.listed,
                                       by: principal.standing(owner: record.organisationID))
        return SubmissionDTO(id: record.id!, number: record.number, status: record.statusRaw, revision: record.revision,
                             publishedVersion: record.publishedVersion, listed: record.listed, organisationId: record.organisationID,
                             organisationName: organisation?.name ?? "", createdAt: record.createdAt, updatedAt: record.updatedAt,
                             submittedAt: record.submittedAt, content: try record.content(), allowedActions: allowed.map(\.rawValue), history: history)
    }

    func registerSubmissions(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/usecase-submissions", operationID: "listUseCaseSubmissions",
                         summary: "Your organisation's use cases in every state (moderators: all organisations; filter by status)", tag: "usecases",
                         parameters: [.init("status", in: .query, schema: .string(enumValues: SubmissionStatus.allCases.map(\.rawValue)), description: "Only this state")]
                            + ShinraiKit.PageRequest.parameters,
                         responses: [200: .init("Page of submissions", schema: PageOf<SubmissionItemDTO>.schema(.ref("UseCaseSubmissionItem")))],
                         authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try ShinraiKit.PageRequest.parse(request)
            var status: SubmissionStatus?
            if let raw = request.uri.queryParameters["status"] {
                guard let value = SubmissionStatus(rawValue: String(raw)) else {
                    throw Problem.badRequest(.init(ja: "状態の指定が正しくありません。", en: "Unknown status."),
                                             errors: [FieldError(pointer: "/query/status", code: "invalid", detail: "Unknown status")])
                }
                status = value
            }
            let (items, total) = try await WorkspaceQueries(services: services).submissions(for: Principal(identity), status: status, page: page)
            return try API.json(PageOf(items: items, total: total, request: page))
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecase-submissions", operationID: "createUseCaseSubmission",
                         summary: "Create a draft use case for your organisation", tag: "usecases", requestBody: .ref("UseCaseContent"),
                         responses: [201: .init("Draft created", schema: .ref("UseCaseSubmission"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            guard let organisationID = identity.organisationID else { throw Problem.forbidden }
            let input = try await API.decode(UseCaseContent.self, from: request, limit: limit)
            let record = try await service.create(input, for: organisationID, by: Principal(identity))
            return try API.json(try await submissionDTO(record, principal: Principal(identity)), status: .created,
                                headers: [.location: "/api/v1/usecase-submissions/\(record.id!)"])
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecase-submissions/{id}", operationID: "getUseCaseSubmission",
                         summary: "A submission with its history and the actions you may take", tag: "usecases", parameters: [Self.idParam],
                         responses: [200: .init("Submission", schema: .ref("UseCaseSubmission"))], authenticated: true)) { _, context in
            let principal = Principal(try context.requireIdentity())
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            return try API.json(try await submissionDTO(try await service.record(id, visibleTo: principal), principal: principal))
        }

        let revisionParam = APIOperation.Parameter("revision", in: .query, schema: .integer(minimum: 1), description: "The revision you saw; 409 if it changed meanwhile")
        routes.api(.init(method: "PUT", path: "/api/v1/usecase-submissions/{id}", operationID: "updateUseCaseSubmission",
                         summary: "Replace the content (owner; a published case becomes a new draft version, the public keeps the last one)", tag: "usecases",
                         parameters: [Self.idParam, revisionParam], requestBody: .ref("UseCaseContent"),
                         responses: [200: .init("Submission", schema: .ref("UseCaseSubmission"))], authenticated: true)) { request, context in
            let principal = Principal(try context.requireIdentity())
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let revision = try Self.revision(request)
            let input = try await API.decode(UseCaseContent.self, from: request, limit: limit)
            let record = try await service.update(id, with: input, expectedRevision: revision, by: principal)
            return try API.json(try await submissionDTO(record, principal: principal))
        }

        routes.api(.init(method: "DELETE", path: "/api/v1/usecase-submissions/{id}", operationID: "discardUseCaseSubmission",
                         summary: "Delete a draft that was never published (owner)", tag: "usecases", parameters: [Self.idParam, revisionParam],
                         responses: [204: .init("Deleted", schema: nil)], authenticated: true)) { request, context in
            let principal = Principal(try context.requireIdentity())
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            try await service.discard(id, expectedRevision: try Self.revision(request), by: principal)
            return Response(status: .noContent)
        }

        let actions: [(WorkflowAction, String, String)] = [
            (.submit, "submitUseCaseSubmission", "Submit for review (owner)"),
            (.recall, "recallUseCaseSubmission", "Take a submission back to draft before review (owner)"),
            (.requestChanges, "requestUseCaseChanges", "Ask the owner for changes; comment required (moderators)"),
            (.publish, "publishUseCaseSubmission", "Publish as the next public version, logged in the transparency log (moderators)"),
            (.withdraw, "withdrawUseCase", "Withdraw the public record; reason required (owner or moderators)"),
        ]
        for (action, operationID, summary) in actions {
            routes.api(.init(method: "POST", path: "/api/v1/usecase-submissions/{id}/\(action.rawValue)", operationID: operationID,
                             summary: summary, tag: "usecases", parameters: [Self.idParam], requestBody: .ref("UseCaseActionInput"),
                             responses: [200: .init("Submission after the action", schema: .ref("UseCaseSubmission"))], authenticated: true)) { request, context in
                let principal = Principal(try context.requireIdentity())
                guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
                struct Input: Codable { var comment: String?; var revision: Int? }
                let input = try await API.decode(Input.self, from: request, limit: limit)
                let record = try await service.perform(action, on: id, comment: input.comment, expectedRevision: input.revision, by: principal)
                return try API.json(try await submissionDTO(record, principal: principal))
            }
        }
    }

    static func revision(_ request: Request) throws -> Int? {
        guard let raw = request.uri.queryParameters["revision"] else { return nil }
        guard let value = Int(String(raw)), value >= 1 else {
            throw Problem.badRequest(.init(ja: "revision の指定が正しくありません。", en: "revision must be a positive integer."),
                                     errors: [FieldError(pointer: "/query/revision", code: "invalid", detail: "positive integer")])
        }
        return value
    }

    // MARK: categories

    func registerCategories(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/usecase-categories", operationID: "listUseCaseCategories",
                         summary: "Problem categories (retired ones with includeInactive=true)", tag: "usecases",
                         parameters: [.init("includeInactive", in: .query, schema: .boolean(), description: "Also list retired categories")],
                         responses: [200: .init("Categories", schema: .array(.ref("UseCaseCategory")))], authenticated: false)) { request, _ in
            let all = request.uri.queryParameters["includeInactive"].map { $0 == "true" || $0 == "1" } ?? false
            return try API.publicJSON(try await service.categories(includeInactive: all).map(CategoryDTO.init), request: request)
        }
        routes.api(.init(method: "POST", path: "/api/v1/usecase-categories", operationID: "createUseCaseCategory",
                         summary: "Add a problem category (moderators)", tag: "usecases", requestBody: .ref("UseCaseCategoryInput"),
                         responses: [201: .init("Created", schema: .ref("UseCaseCategory"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(CategoryService.Input.self, from: request, limit: limit)
            let record = try await CategoryService(services: services).create(input, by: Principal(identity))
            return try API.json(CategoryDTO(record), status: .created)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/usecase-categories/{slug}", operationID: "updateUseCaseCategory",
                         summary: "Rename, reorder, retire or restore a category (moderators)", tag: "usecases",
                         parameters: [.init("slug", in: .path, schema: .string(maxLength: 60), description: "Category slug")],
                         requestBody: .ref("UseCaseCategoryUpdate"),
                         responses: [200: .init("Updated", schema: .ref("UseCaseCategory"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            guard let slug = context.parameters.get("slug") else { throw Problem.notFound }
            let input = try await API.decode(CategoryService.Update.self, from: request, limit: limit)
            return try API.json(CategoryDTO(try await CategoryService(services: services).update(slug, with: input, by: Principal(identity))))
        }
    }

    // MARK: needs

    func needDTO(_ need: NeedRecord, principal: Principal?) async throws -> NeedDTO {
        let organisation = try await service.organisation(need.organisationID)
        var responses: [NeedResponseDTO]?
        if let records = try await needs.responses(to: need, visibleTo: principal) {
            let names = try await Organisation.query(on: services.db).filter(\.$id ~~ records.map(\.organisationID)).all()
            responses = records.map { r in
                NeedResponseDTO(id: r.id!, organisationName: names.first { $0.id == r.organisationID }?.name ?? "", message: r.message,
                                usecaseNumber: r.usecaseNumber, createdAt: r.createdAt)
            }
        }
        return NeedDTO(number: need.number, status: need.statusRaw, organisationName: organisation?.name ?? "", content: try need.content(),
                       createdAt: need.createdAt, updatedAt: need.updatedAt, closedAt: need.closedAt, solvedBy: need.solvedBy,
                       closingNote: need.closingNote, responseCount: need.responses, responses: responses, url: "/usecases/needs/\(need.number)")
    }

    func registerNeeds(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/usecase-needs", operationID: "listUseCaseNeeds",
                         summary: "Needs posted by organisations (open ones by default)", tag: "usecases",
                         parameters: [.init("status", in: .query, schema: .string(enumValues: NeedStatus.allCases.map(\.rawValue) + ["all"]), description: "open (default), solved, closed or all"),
                                      .init("q", in: .query, schema: .string(maxLength: SearchText.maxQueryLength), description: "Words to find"),
                                      .init("industry", in: .query, schema: .string(enumValues: JSIC.codes), description: "JSIC division")]
                            + ShinraiKit.PageRequest.parameters,
                         responses: [200: .init("Page of needs", schema: PageOf<NeedItemDTO>.schema(.ref("UseCaseNeedItem")))], authenticated: false)) { request, _ in
            let page = try ShinraiKit.PageRequest.parse(request)
            let filter = try NeedFilter.parse(request, strict: true)
            let (items, total) = try await needs.list(status: filter.status, text: filter.text, industry: filter.industry, page: page)
            let names = try await organisationNames(items.map(\.organisationID))
            return try API.publicJSON(PageOf(items: items.map { NeedItemDTO($0, organisationName: names[$0.organisationID] ?? "") }, total: total, request: page), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecase-needs", operationID: "createUseCaseNeed",
                         summary: "Post a need for your organisation", tag: "usecases", requestBody: .ref("UseCaseNeedContent"),
                         responses: [201: .init("Posted", schema: .ref("UseCaseNeed"))], authenticated: true)) { request, context in
            let principal = Principal(try context.requireIdentity())
            let input = try await API.decode(NeedContent.self, from: request, limit: limit)
            let need = try await needs.create(input, by: principal)
            return try API.json(try await needDTO(need, principal: principal), status: .created, headers: [.location: "/api/v1/usecase-needs/\(need.number)"])
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecase-needs/{number}", operationID: "getUseCaseNeed",
                         summary: "A need; responses are shown to the requester and moderators (a responder sees its own)", tag: "usecases",
                         parameters: [Self.needParam], responses: [200: .init("Need", schema: .ref("UseCaseNeed"))], authenticated: false)) { _, context in
            guard let number = context.parameters.get("number"), let need = try await needs.need(number) else { throw Problem.notFound }
            return try API.json(try await needDTO(need, principal: context.identity.map(Principal.init)))
        }

        routes.api(.init(method: "GET", path: "/api/v1/usecase-needs/{number}/matches", operationID: "listUseCaseNeedMatches",
                         summary: "Published use cases and organisations that match a need", tag: "usecases",
                         parameters: [Self.needParam], responses: [200: .init("Matches", schema: .ref("UseCaseNeedMatches"))], authenticated: false)) { request, context in
            guard let number = context.parameters.get("number"), let need = try await needs.need(number) else { throw Problem.notFound }
            let matches = try await needs.matches(for: need)
            struct Org: Encodable { var id: UUID; var name: String; var cases: Int }
            struct Output: Encodable { var useCases: [UseCaseSummaryDTO]; var organisations: [Org] }
            return try API.publicJSON(Output(useCases: matches.useCases.map { UseCaseSummaryDTO($0, terms: []) },
                                             organisations: matches.organisations.map { Org(id: $0.id, name: $0.name, cases: $0.cases) }), request: request)
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecase-needs/{number}/responses", operationID: "respondToUseCaseNeed",
                         summary: "Answer a need (another organisation; optionally point to one of your published use cases)", tag: "usecases",
                         parameters: [Self.needParam], requestBody: .ref("UseCaseNeedResponseInput"),
                         responses: [201: .init("Response recorded", schema: .ref("UseCaseNeedResponse"))], authenticated: true)) { request, context in
            let principal = Principal(try context.requireIdentity())
            guard let number = context.parameters.get("number") else { throw Problem.notFound }
            let input = try await API.decode(NeedService.ResponseInput.self, from: request, limit: limit)
            let response = try await needs.respond(to: number, input, by: principal)
            let name = try await service.organisation(response.organisationID)?.name ?? ""
            return try API.json(NeedResponseDTO(id: response.id!, organisationName: name, message: response.message,
                                                usecaseNumber: response.usecaseNumber, createdAt: response.createdAt), status: .created)
        }

        routes.api(.init(method: "POST", path: "/api/v1/usecase-needs/{number}/close", operationID: "closeUseCaseNeed",
                         summary: "Close a need, as solved when a use case number is given (requester or moderators)", tag: "usecases",
                         parameters: [Self.needParam], requestBody: .ref("UseCaseNeedCloseInput"),
                         responses: [200: .init("Closed need", schema: .ref("UseCaseNeed"))], authenticated: true)) { request, context in
            let principal = Principal(try context.requireIdentity())
            guard let number = context.parameters.get("number") else { throw Problem.notFound }
            let input = try await API.decode(NeedService.CloseInput.self, from: request, limit: limit)
            let need = try await needs.close(number, input, by: principal)
            return try API.json(try await needDTO(need, principal: principal))
        }
    }

    func organisationNames(_ ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await Organisation.query(on: services.db).filter(\.$id ~~ Array(Set(ids))).all().map { ($0.id!, $0.name) },
                          uniquingKeysWith: { a, _ in a })
    }
}

struct NeedDTO: Encodable, Sendable {
    var number: String
    var status: String
    var organisationName: String
    var content: NeedContent
    var createdAt: Date
    var updatedAt: Date
    var closedAt: Date?
    var solvedBy: String?
    var closingNote: String?
    var responseCount: Int
    var responses: [NeedResponseDTO]?
    var url: String
}

struct NeedResponseDTO: Encodable, Sendable {
    var id: UUID
    var organisationName: String
    var message: String
    var usecaseNumber: String?
    var createdAt: Date
}

struct NeedItemDTO: Encodable, Sendable {
    var number: String
    var status: String
    var title: String
    var organisationName: String
    var industry: String
    var category: String?
    var region: String?
    var deadline: String?
    var responseCount: Int
    var createdAt: Date
    var url: String

    init(_ need: NeedRecord, organisationName: String) {
        number = need.number; status = need.statusRaw; title = need.title; self.organisationName = organisationName
        industry = need.industry; category = need.category; region = need.region; deadline = need.deadline
        responseCount = need.responses; createdAt = need.createdAt; url = "/usecases/needs/\(need.number)"
    }
}

/// `status`, `q` and `industry` of the needs list.
struct NeedFilter {
    var status: NeedStatus? = .open
    var text = ""
    var industry: String?

    static func parse(_ request: Request, strict: Bool) throws -> NeedFilter {
        let form = FormData(encoded: request.uri.query ?? "")
        var filter = NeedFilter()
        var errors: [FieldError] = []
        if let raw = form.first("status"), !raw.isEmpty {
            if raw == "all" { filter.status = nil } else if let status = NeedStatus(rawValue: raw) { filter.status = status } else {
                errors.append(FieldError(pointer: "/query/status", code: "invalid", detail: "status is open, solved, closed or all"))
            }
        }
        filter.text = String((form.first("q") ?? "").prefix(SearchText.maxQueryLength))
        if let raw = form.first("industry"), !raw.isEmpty {
            if JSIC.isDivision(raw) { filter.industry = raw } else {
                errors.append(FieldError(pointer: "/query/industry", code: "invalid", detail: "industry is a JSIC division A–T"))
            }
        }
        if strict && !errors.isEmpty { throw Problem.badRequest(.init(ja: "検索条件が正しくありません。", en: "Invalid parameters."), errors: errors) }
        return filter
    }
}
