import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The JSON API under `/api/v1/sovereignty/`: public figures and registers, and the writes of
/// vendors, declaring organisations, reviewers and administrators.
struct SovereigntyAPI {
    let service: SovereigntyService
    var services: Services { service.services }
    var limit: Int { services.config.maxBodyBytes }

    static let idParam = APIOperation.Parameter("id", in: .path, schema: .uuid, description: "Identifier")
    static let yearParam = APIOperation.Parameter("year", in: .query, schema: .integer(minimum: FiscalYear.earliest, maximum: FiscalYear.latestTarget),
                                                  description: "Only this fiscal year")
    static let dimensionParam = APIOperation.Parameter("dimension", in: .query, schema: .string(enumValues: Dimension.allCases.map(\.rawValue)),
                                                       description: "Only this breakdown")
    static let offeringFilterParams: [APIOperation.Parameter] = [
        .init("kind", in: .query, schema: SovereigntySchemas.kind, description: "Only this kind"),
        .init("category", in: .query, schema: .string(maxLength: 40), description: "Only this category code"),
        .init("domestic", in: .query, schema: .string(enumValues: ["true", "false"]), description: "Only domestic (true) or non-domestic (false) offerings"),
        .init("vendorId", in: .query, schema: .uuid, description: "Only this vendor's offerings"),
        .init("q", in: .query, schema: .string(maxLength: 100), description: "Name contains, or the offering number"),
        .init("withdrawn", in: .query, schema: .string(enumValues: ["true", "false"]), description: "Include withdrawn offerings"),
    ]
    static let csv = APIOperation.ResponseSpec("CSV (UTF-8 with BOM)", contentType: "text/csv", schema: .string())

    func register(_ routes: Routes) {
        for (name, schema) in SovereigntySchemas.all { routes.schema(name, schema) }
        registerFigures(routes)
        registerRegisters(routes)
        registerWrites(routes)
        registerAdministration(routes)
    }

    // MARK: public figures

    func registerFigures(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/indicator", operationID: "getSovereigntyIndicator",
                         summary: "The cyber self-sufficiency rate by year and breakdown, trend against targets, government adoption, overseas sales",
                         tag: "sovereignty", parameters: [Self.yearParam, Self.dimensionParam],
                         responses: [200: .init("Indicator", schema: .ref("SovereigntyIndicator"))], authenticated: false)) { request, _ in
            let (year, dimension) = try Self.figureFilter(request)
            return try API.publicJSON(try await indicator(year: year, dimension: dimension), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/indicator.csv", operationID: "getSovereigntyIndicatorCSV",
                         summary: "The indicator as CSV: cells (default), trend, government-adoption or overseas-sales",
                         tag: "sovereignty",
                         parameters: [Self.yearParam, Self.dimensionParam,
                                      .init("table", in: .query, schema: .string(enumValues: CSVExports.Table.allCases.map(\.rawValue)), description: "Which table")],
                         responses: [200: Self.csv], authenticated: false)) { request, _ in
            let (year, dimension) = try Self.figureFilter(request)
            let raw = request.uri.queryParameters["table"].map(String.init) ?? CSVExports.Table.cells.rawValue
            guard let table = CSVExports.Table(rawValue: raw) else {
                throw Problem.badRequest(.init(ja: "table の指定が正しくありません。", en: "Unknown table."),
                                         errors: [FieldError(pointer: "/query/table", code: FieldError.Code.invalid, detail: "table is one of cells, trend, government-adoption, overseas-sales")])
            }
            let snapshot = try await service.snapshot()
            let data = CSVExports.indicator(table, snapshot: snapshot, year: year, dimension: dimension)
            return API.cacheable(data, contentType: "text/csv; charset=utf-8", request: request, filename: "sovereignty-\(table.rawValue).csv")
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/methodology", operationID: "getSovereigntyMethodology",
                         summary: "The scoring formula, the current parameters, every parameter version and the version in force for each year",
                         tag: "sovereignty", responses: [200: .init("Methodology", schema: .ref("SovereigntyMethodology"))], authenticated: false)) { request, _ in
            try API.publicJSON(try await methodology(), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/publications", operationID: "listSovereigntyPublications",
                         summary: "Published yearly figures (record SSR-<year>), every revision, with the logged content",
                         tag: "sovereignty", parameters: [Self.yearParam],
                         responses: [200: .init("Publications", schema: .array(.ref("SovereigntyPublication")))], authenticated: false)) { request, _ in
            let (year, _) = try Self.figureFilter(request)
            var query = Publication.query(on: services.db)
            if let year { query = query.filter(\.$fiscalYear == year) }
            let items = try await query.sort(\.$fiscalYear, .descending).sort(\.$revision, .descending).all()
            return try API.publicJSON(items.map(APIModels.PublicationDTO.init), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/targets", operationID: "listSovereigntyTargets",
                         summary: "Target rates by fiscal year, overall and per kind", tag: "sovereignty",
                         responses: [200: .init("Targets", schema: .array(.ref("SovereigntyTarget")))], authenticated: false)) { request, _ in
            let items = try await Target.query(on: services.db).sort(\.$fiscalYear).sort(\.$scope).all()
            return try API.publicJSON(items.map(APIModels.TargetDTO.init), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/infrastructure", operationID: "getSovereigntyInfrastructure",
                         summary: "§1.5: registered compute, data-centre and edge sites by prefecture, country and type", tag: "sovereignty",
                         responses: [200: .init("Infrastructure", schema: .ref("SovereigntyInfrastructure"))], authenticated: false)) { request, _ in
            try API.publicJSON(try await infrastructure(), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/infrastructure.csv", operationID: "getSovereigntyInfrastructureCSV",
                         summary: "§1.5 as CSV: sites, domestic sites, GPUs and IT power by prefecture, country and site type, with the totals",
                         tag: "sovereignty", responses: [200: Self.csv], authenticated: false)) { request, _ in
            let catalogue = services.views.catalogue
            let data = CSVExports.infrastructure(try await infrastructure()) { code, language in catalogue.text("sovereignty.site.\(code)", language) }
            return API.cacheable(data, contentType: "text/csv; charset=utf-8", request: request,
                          filename: "sovereignty-infrastructure.csv")
        }
    }

    static func figureFilter(_ request: Request) throws -> (Int?, Dimension?) {
        let query = request.uri.queryParameters
        var errors: [FieldError] = []
        var year: Int?
        if let raw = query["year"] {
            if let value = Int(String(raw)), (FiscalYear.earliest...FiscalYear.latestTarget).contains(value) { year = value } else {
                errors.append(FieldError(pointer: "/query/year", code: FieldError.Code.range, detail: "year is a fiscal year from \(FiscalYear.earliest) to \(FiscalYear.latestTarget)"))
            }
        }
        var dimension: Dimension?
        if let raw = query["dimension"] {
            if let value = Dimension(rawValue: String(raw)) { dimension = value } else {
                errors.append(FieldError(pointer: "/query/dimension", code: FieldError.Code.invalid, detail: "dimension is one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "指定が正しくありません。", en: "Invalid query parameters."), errors: errors) }
        return (year, dimension)
    }

    func indicator(year: Int?, dimension: Dimension?) async throws -> APIModels.Indicator {
        let snapshot = try await service.snapshot()
        let cells = snapshot.result.cells.filter { (year == nil || $0.fiscalYear == year) && (dimension == nil || $0.dimension == dimension) }
        return APIModels.Indicator(
            currentFiscalYear: service.currentFiscalYear, years: snapshot.result.years, cells: cells.map(IndicatorCellDTO.init),
            trend: Trend.rows(snapshot).filter { year == nil || $0.fiscalYear == year },
            governmentAdoption: snapshot.result.governmentAdoption.filter { year == nil || $0.fiscalYear == year }.map(GovernmentAdoptionDTO.init),
            overseasSales: snapshot.overseasSales.filter { year == nil || $0.fiscalYear == year },
            categories: snapshot.categories.map(APIModels.Category.init))
    }

    func methodology() async throws -> APIModels.Methodology {
        let versions = try await ParameterStore.versions(on: services.db)
        let year = service.currentFiscalYear
        guard let current = ParameterStore.inForce(year, among: versions) else { throw Problem.notFound }
        let snapshot = try await service.snapshot()
        let years = Set(snapshot.trendYears).union([year]).sorted()
        return APIModels.Methodology(
            currentFiscalYear: year, current: .init(current), versions: versions.map(APIModels.ParameterVersionDTO.init),
            yearVersions: years.compactMap { y in ParameterStore.inForce(y, among: versions).map { APIModels.YearVersion(fiscalYear: y, version: $0.version) } },
            criteria: Criterion.allCases.map { c in
                APIModels.CriterionInfo(criterion: c, euObjective: c.euObjective, weight: current.parameters.weights[c],
                                        descriptionJa: Methodology.description(c, .ja), descriptionEn: Methodology.description(c, .en))
            },
            formula: Methodology.formula)
    }

    func infrastructure() async throws -> InfrastructureSummary {
        let year = service.currentFiscalYear
        let versions = try await ParameterStore.versions(on: services.db)
        guard let version = ParameterStore.inForce(year, among: versions) else { throw Problem.notFound }
        let rows = try await OfferingQueries.list(OfferingFilter(kind: .infrastructure), version: version, page: nil, on: services.db).rows
        return InfrastructureSummary.compute(rows, fiscalYear: year, version: version.version)
    }

    // MARK: public registers

    func currentVersion() async throws -> ParameterVersion {
        let versions = try await ParameterStore.versions(on: services.db)
        guard let version = ParameterStore.inForce(service.currentFiscalYear, among: versions) else { throw Problem.notFound }
        return version
    }

    func registerRegisters(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/categories", operationID: "listSovereigntyCategories",
                         summary: "Security categories of offerings", tag: "sovereignty",
                         responses: [200: .init("Categories", schema: .array(.ref("SovereigntyCategory")))], authenticated: false)) { request, _ in
            let items = try await SecurityCategory.query(on: services.db).sort(\.$sortOrder).sort(\.$code).all()
            return try API.publicJSON(items.map(APIModels.Category.init), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/offerings", operationID: "listSovereigntyOfferings",
                         summary: "Products, services and infrastructure sites with their domestic score and level (filter domestic=true)",
                         tag: "sovereignty", parameters: ShinraiKit.PageRequest.parameters + Self.offeringFilterParams,
                         responses: [200: .init("Page of offerings", schema: PageOf<APIModels.OfferingItem>.schema(.ref("SovereigntyOfferingItem")))],
                         authenticated: false)) { request, _ in
            let page = try ShinraiKit.PageRequest.parse(request)
            let filter = try OfferingFilter.parse(Self.query(request))
            let (rows, total) = try await OfferingQueries.list(filter, version: try await currentVersion(), page: page, on: services.db)
            return try API.publicJSON(PageOf(items: rows.map(APIModels.OfferingItem.init), total: total, request: page), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/offerings.csv", operationID: "listSovereigntyOfferingsCSV",
                         summary: "The offering register as CSV (same filters)", tag: "sovereignty", parameters: Self.offeringFilterParams,
                         responses: [200: Self.csv], authenticated: false)) { request, _ in
            let filter = try OfferingFilter.parse(Self.query(request))
            let rows = try await OfferingQueries.list(filter, version: try await currentVersion(), page: nil, on: services.db).rows
            return API.cacheable(CSVExports.offerings(rows), contentType: "text/csv; charset=utf-8", request: request, filename: "sovereignty-offerings.csv")
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/offerings/{id}", operationID: "getSovereigntyOffering",
                         summary: "One offering or infrastructure site: resolved facts, criteria, score and level (for reuse by other registers)",
                         tag: "sovereignty", parameters: [Self.idParam, Self.yearParam],
                         responses: [200: .init("Offering", schema: .ref("SovereigntyOffering"))], authenticated: false)) { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let (year, _) = try Self.figureFilter(request)
            guard let item = try await SovereigntyDirectory.offering(id, on: services.db, fiscalYear: year ?? service.currentFiscalYear) else { throw Problem.notFound }
            return try API.publicJSON(item, request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/vendors", operationID: "listSovereigntyVendors",
                         summary: "Vendors with a sovereignty profile and their own level", tag: "sovereignty",
                         parameters: ShinraiKit.PageRequest.parameters + [
                            .init("corporateNumber", in: .query, schema: .string(pattern: "^[0-9]{13}$"), description: "法人番号"),
                            .init("domestic", in: .query, schema: .string(enumValues: ["true", "false"]), description: "Only domestic (true) or non-domestic (false) vendors"),
                         ],
                         responses: [200: .init("Page of vendors", schema: PageOf<APIModels.VendorItem>.schema(.ref("SovereigntyVendorItem")))],
                         authenticated: false)) { request, _ in
            let page = try ShinraiKit.PageRequest.parse(request)
            let (corporateNumber, domestic) = try Self.vendorFilter(request)
            let rows = try await VendorQueries.list(version: try await currentVersion(), corporateNumber: corporateNumber, domestic: domestic, on: services.db)
            let items = rows.dropFirst(page.offset).prefix(page.limit).map(APIModels.VendorItem.init)
            return try API.publicJSON(PageOf(items: Array(items), total: rows.count, request: page), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/vendors/{id}", operationID: "getSovereigntyVendor",
                         summary: "A vendor's sovereignty profile and level (for reuse by other registers)", tag: "sovereignty",
                         parameters: [Self.idParam, Self.yearParam],
                         responses: [200: .init("Vendor", schema: .ref("SovereigntyVendor"))], authenticated: false)) { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let (year, _) = try Self.figureFilter(request)
            guard let vendor = try await SovereigntyDirectory.vendor(id, on: services.db, fiscalYear: year ?? service.currentFiscalYear) else { throw Problem.notFound }
            return try API.publicJSON(vendor, request: request)
        }
    }

    static func query(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { out[String(key)] = String(value) }
        return out
    }

    static func vendorFilter(_ request: Request) throws -> (String?, Bool?) {
        let query = Self.query(request)
        var errors: [FieldError] = []
        var number: String?
        if let raw = query["corporateNumber"], !raw.isEmpty {
            if let valid = try? CorporateNumber(raw) { number = valid.value } else {
                errors.append(FieldError(pointer: "/query/corporateNumber", code: FieldError.Code.invalid, detail: "not a valid corporate number"))
            }
        }
        var domestic: Bool?
        if let raw = query["domestic"], !raw.isEmpty {
            switch raw { case "true": domestic = true; case "false": domestic = false
            default: errors.append(FieldError(pointer: "/query/domestic", code: FieldError.Code.invalid, detail: "domestic is true or false")) }
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "絞り込みの指定が正しくありません。", en: "Invalid filter."), errors: errors) }
        return (number, domestic)
    }

    // MARK: writes of vendors and declaring organisations

    func registerWrites(_ routes: Routes) {
        routes.api(.init(method: "PUT", path: "/api/v1/sovereignty/vendors/{id}/profile", operationID: "saveSovereigntyProfile",
                         summary: "Create or replace a vendor's sovereignty profile (its members; reviewers)", tag: "sovereignty",
                         parameters: [Self.idParam], requestBody: .ref("SovereigntyProfileInput"),
                         responses: [200: .init("Saved profile", schema: .ref("SovereigntyVendor"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            guard identity.canAccess(organisation: id) else { throw Problem.forbidden }
            let input = try await API.decode(ProfileInput.self, from: request, limit: limit)
            try await service.saveProfile(of: id, input, by: identity)
            return try await vendorResponse(id)
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/vendors/{id}/verify", operationID: "verifySovereigntyProfile",
                         summary: "Mark a profile as verified against its evidence (reviewers)", tag: "sovereignty", parameters: [Self.idParam],
                         responses: [200: .init("Verified profile", schema: .ref("SovereigntyVendor"))], authenticated: true)) { _, context in
            let identity = try context.require(.reviewer)
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            _ = try await service.verifyProfile(of: id, by: identity)
            return try await vendorResponse(id)
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/offerings", operationID: "createSovereigntyOffering",
                         summary: "Register a product, service or infrastructure site (the vendor's members; reviewers for any vendor)",
                         tag: "sovereignty", requestBody: .ref("SovereigntyOfferingInput"),
                         responses: [201: .init("Registered", schema: .ref("SovereigntyOffering"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(OfferingInput.self, from: request, limit: limit)
            let offering = try await service.createOffering(input, by: identity)
            return try await offeringResponse(offering.id!, status: .created)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/sovereignty/offerings/{id}", operationID: "updateSovereigntyOffering",
                         summary: "Update an offering (a new logged revision)", tag: "sovereignty", parameters: [Self.idParam],
                         requestBody: .ref("SovereigntyOfferingInput"),
                         responses: [200: .init("Updated", schema: .ref("SovereigntyOffering"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let input = try await API.decode(OfferingInput.self, from: request, limit: limit)
            _ = try await service.updateOffering(id, input, by: identity)
            return try await offeringResponse(id)
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/offerings/{id}/withdraw", operationID: "withdrawSovereigntyOffering",
                         summary: "Withdraw an offering from the market (it stays in the register)", tag: "sovereignty", parameters: [Self.idParam],
                         responses: [200: .init("Withdrawn", schema: .ref("SovereigntyOffering"))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            _ = try await service.withdrawOffering(id, by: identity)
            return try await offeringResponse(id)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/declarations", operationID: "listSovereigntyDeclarations",
                         summary: "Usage declarations (members: their organisation's; reviewers: all)", tag: "sovereignty",
                         parameters: ShinraiKit.PageRequest.parameters + [Self.yearParam,
                                                               .init("organisationId", in: .query, schema: .uuid, description: "Only this organisation (reviewers)")],
                         responses: [200: .init("Page of declarations", schema: PageOf<APIModels.DeclarationDTO>.schema(.ref("SovereigntyDeclaration")))],
                         authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try ShinraiKit.PageRequest.parse(request)
            let (year, _) = try Self.figureFilter(request)
            var organisation: UUID?
            if let raw = request.uri.queryParameters["organisationId"] {
                guard let id = UUID(uuidString: String(raw)) else {
                    throw Problem.badRequest(.init(ja: "組織IDが正しくありません。", en: "Invalid organisationId."),
                                             errors: [FieldError(pointer: "/query/organisationId", code: FieldError.Code.invalid, detail: "organisationId is a UUID")])
                }
                organisation = id
            }
            let (items, total) = try await service.declarations(for: identity, organisation: organisation, year: year, page: page)
            return try API.json(PageOf(items: items.map { APIModels.DeclarationDTO($0, offering: $0.offering) }, total: total, request: page))
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/declarations", operationID: "createSovereigntyDeclaration",
                         summary: "Declare the use of an offering in a fiscal year (spend in yen, or units when spend is not known)",
                         tag: "sovereignty", requestBody: .ref("SovereigntyDeclarationInput"),
                         responses: [201: .init("Declared", schema: .ref("SovereigntyDeclaration"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(DeclarationInput.self, from: request, limit: limit)
            let declaration = try await service.createDeclaration(input, by: identity)
            return try await declarationResponse(declaration.id!, identity, status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/declarations/{id}", operationID: "getSovereigntyDeclaration",
                         summary: "One declaration", tag: "sovereignty", parameters: [Self.idParam],
                         responses: [200: .init("Declaration", schema: .ref("SovereigntyDeclaration"))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            return try await declarationResponse(id, identity)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/sovereignty/declarations/{id}", operationID: "updateSovereigntyDeclaration",
                         summary: "Correct a declaration", tag: "sovereignty", parameters: [Self.idParam], requestBody: .ref("SovereigntyDeclarationInput"),
                         responses: [200: .init("Updated", schema: .ref("SovereigntyDeclaration"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let input = try await API.decode(DeclarationInput.self, from: request, limit: limit)
            _ = try await service.updateDeclaration(id, input, by: identity)
            return try await declarationResponse(id, identity)
        }

        routes.api(.init(method: "DELETE", path: "/api/v1/sovereignty/declarations/{id}", operationID: "deleteSovereigntyDeclaration",
                         summary: "Delete a declaration", tag: "sovereignty", parameters: [Self.idParam],
                         responses: [204: .init("Deleted", schema: nil)], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            try await service.deleteDeclaration(id, by: identity)
            return Response(status: .noContent)
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/declarations/import", operationID: "importSovereigntyDeclarations",
                         summary: "Import declarations from CSV. all-or-nothing (default): any wrong row → 422 and nothing imported; valid-only: wrong rows skipped",
                         tag: "sovereignty", requestBody: .ref("SovereigntyImportInput"),
                         responses: [200: .init("Import report", schema: .ref("SovereigntyImportReport"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(APIModels.ImportRequest.self, from: request, limit: limit)
            let report = try await service.importDeclarations(csv: input.csv, mode: input.mode ?? .allOrNothing, organisationID: input.organisationId, by: identity)
            if !report.imported && !report.errors.isEmpty {
                throw Problem.validation(report.errors, detail: .init(
                    ja: "\(report.rows)行のうち\(Set(report.errors.map { $0.pointer.split(separator: "/").dropFirst().first ?? "" }).count)行に問題があるため、取り込んでいません。",
                    en: "Nothing was imported: \(report.errors.count) problem(s) in the file."))
            }
            return try API.json(report)
        }

        routes.api(.init(method: "GET", path: "/api/v1/sovereignty/overseas-sales", operationID: "listSovereigntyOverseasSales",
                         summary: "Overseas sales declared by the caller's organisation (reviewers: all vendors')", tag: "sovereignty",
                         responses: [200: .init("Overseas sales", schema: .array(.ref("SovereigntyOverseasSales")))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            var query = OverseasSale.query(on: services.db)
            if !identity.isReviewer {
                guard let own = identity.organisationID else { throw Problem.forbidden }
                query = query.filter(\.$organisationID == own)
            }
            let items = try await query.sort(\.$fiscalYear, .descending).all()
            return try API.json(items.map(APIModels.OverseasSalesDTO.init))
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/overseas-sales", operationID: "saveSovereigntyOverseasSales",
                         summary: "Declare (or correct) a domestic vendor's overseas sales for a fiscal year", tag: "sovereignty",
                         requestBody: .ref("SovereigntyOverseasSalesInput"),
                         responses: [200: .init("Saved", schema: .ref("SovereigntyOverseasSales"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(OverseasSalesInput.self, from: request, limit: limit)
            return try API.json(APIModels.OverseasSalesDTO(try await service.saveOverseasSales(input, by: identity)))
        }
    }

    func vendorResponse(_ id: UUID) async throws -> Response {
        guard let vendor = try await SovereigntyDirectory.vendor(id, on: services.db, fiscalYear: service.currentFiscalYear) else { throw Problem.notFound }
        return try API.json(vendor)
    }

    func offeringResponse(_ id: UUID, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let offering = try await SovereigntyDirectory.offering(id, on: services.db, fiscalYear: service.currentFiscalYear) else { throw Problem.notFound }
        var headers = HTTPFields()
        if status == .created { headers[.location] = "/api/v1/sovereignty/offerings/\(id)" }
        return try API.json(offering, status: status, headers: headers)
    }

    func declarationResponse(_ id: UUID, _ identity: Identity, status: HTTPResponse.Status = .ok) async throws -> Response {
        let declaration = try await service.declaration(id, for: identity)
        var headers = HTTPFields()
        if status == .created { headers[.location] = "/api/v1/sovereignty/declarations/\(id)" }
        return try API.json(APIModels.DeclarationDTO(declaration, offering: declaration.offering), status: status, headers: headers)
    }

    // MARK: administration

    func registerAdministration(_ routes: Routes) {
        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/parameter-versions", operationID: "createSovereigntyParameterVersion",
                         summary: "Add a parameter version in force from a fiscal year (administrators; logged)", tag: "sovereignty",
                         requestBody: .ref("SovereigntyParameterInput"),
                         responses: [201: .init("Created", schema: .ref("SovereigntyParameterVersion"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(ParameterInput.self, from: request, limit: limit)
            return try API.json(APIModels.ParameterVersionDTO(try await service.createParameterVersion(input, by: identity)), status: .created)
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/categories", operationID: "createSovereigntyCategory",
                         summary: "Add a security category (administrators)", tag: "sovereignty", requestBody: .ref("SovereigntyCategoryInput"),
                         responses: [201: .init("Created", schema: .ref("SovereigntyCategory"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(CategoryInput.self, from: request, limit: limit)
            return try API.json(APIModels.Category(try await service.saveCategory(nil, input, by: identity)), status: .created)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/sovereignty/categories/{id}", operationID: "updateSovereigntyCategory",
                         summary: "Rename, reorder or deactivate a category (administrators; the code stays)", tag: "sovereignty",
                         parameters: [Self.idParam], requestBody: .ref("SovereigntyCategoryInput"),
                         responses: [200: .init("Updated", schema: .ref("SovereigntyCategory"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let input = try await API.decode(CategoryInput.self, from: request, limit: limit)
            return try API.json(APIModels.Category(try await service.saveCategory(id, input, by: identity)))
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/targets", operationID: "setSovereigntyTarget",
                         summary: "Set (or with rate null remove) the target of a fiscal year, overall or per kind (administrators; logged)",
                         tag: "sovereignty", requestBody: .ref("SovereigntyTargetInput"),
                         responses: [200: .init("Saved target", schema: .ref("SovereigntyTarget")), 204: .init("Removed", schema: nil)],
                         authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(TargetInput.self, from: request, limit: limit)
            guard let target = try await service.setTarget(input, by: identity) else { return Response(status: .noContent) }
            return try API.json(APIModels.TargetDTO(target))
        }

        routes.api(.init(method: "POST", path: "/api/v1/sovereignty/publications", operationID: "publishSovereigntyFigure",
                         summary: "Publish a fiscal year's figures as a new revision of public record SSR-<year> (reviewers)", tag: "sovereignty",
                         requestBody: .ref("SovereigntyPublishInput"),
                         responses: [201: .init("Published", schema: .ref("SovereigntyPublication"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(APIModels.PublishRequest.self, from: request, limit: limit)
            return try API.json(APIModels.PublicationDTO(try await service.publish(fiscalYear: input.fiscalYear, by: identity)), status: .created)
        }
    }
}
