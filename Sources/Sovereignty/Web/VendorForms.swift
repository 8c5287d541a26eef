import FluentKit
import Foundation
import Hummingbird
import ShinraiKit

extension SovereigntyWeb {
    func registerVendorForms(_ routes: Routes) {
        routes.get("/sovereignty/my") { request, context in try await myOrganisation(request, context) }
        routes.get("/sovereignty/vendors/{id}/profile") { request, context in
            let id = try editableOrganisation(context)
            return try await profileForm(id, values: try await profileValues(id), problem: nil, request, context)
        }
        routes.post("/sovereignty/vendors/{id}/profile") { request, context in try await saveProfile(request, context) }
        routes.post("/sovereignty/vendors/{id}/verify") { request, context in
            let identity = try context.require(.reviewer)
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            _ = try await service.verifyProfile(of: id, by: identity)
            return Self.redirect("/sovereignty/vendors/\(id)?done=verified")
        }
        routes.get("/sovereignty/offerings/new") { request, context in
            let identity = try context.requireIdentity()
            var values: [String: String] = ["foreignLawsMode": "inherit", "unit": UnitOfMeasure.licences.rawValue]
            if let kind = Self.query(request)["kind"], OfferingKind(rawValue: kind) != nil { values["kind"] = kind }
            if let vendor = Self.query(request)["vendorId"] { values["vendorId"] = vendor }
            else if !identity.isReviewer, let own = identity.organisationID { values["vendorId"] = own.uuidString }
            return try await offeringForm(nil, values: values, laws: [], problem: nil, request, context)
        }
        routes.post("/sovereignty/offerings") { request, context in try await saveOffering(nil, request, context) }
        routes.get("/sovereignty/offerings/{id}/edit") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self),
                  let offering = try await Offering.query(on: services.db).filter(\.$id == id).with(\.$category).first() else { throw Problem.notFound }
            guard identity.canAccess(organisation: offering.$vendor.id) else { throw Problem.forbidden }
            let (values, laws) = Self.offeringValues(offering)
            return try await offeringForm(offering, values: values, laws: laws, problem: nil, request, context)
        }
        routes.post("/sovereignty/offerings/{id}") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self), let offering = try await Offering.find(id, on: services.db) else { throw Problem.notFound }
            return try await saveOffering(offering, request, context)
        }
        routes.post("/sovereignty/offerings/{id}/withdraw") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            _ = try await service.withdrawOffering(id, by: identity)
            return Self.redirect("/sovereignty/offerings/\(id)")
        }
        routes.get("/sovereignty/overseas-sales") { request, context in try await overseasSalesForm([:], problem: nil, request, context) }
        routes.post("/sovereignty/overseas-sales") { request, context in try await saveOverseasSales(request, context) }
    }

    /// The organisation in the path, if the caller may edit it (members: their own; reviewers: any).
    func editableOrganisation(_ context: AppContext) throws -> UUID {
        let identity = try context.requireIdentity()
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        guard identity.canAccess(organisation: id) else { throw Problem.forbidden }
        return id
    }

    // MARK: my organisation

    func myOrganisation(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let lang = context.language
        guard let orgID = identity.organisationID, let organisation = try await Organisation.find(orgID, on: services.db) else {
            return page("sovereignty-my", title: t("my.title", context), values: ["noOrganisation": true], request, context)
        }
        let profile = try await VendorProfile.query(on: services.db).filter(\.$organisation.$id == orgID).first()
        let version = try await currentVersion()
        let offerings = try await OfferingQueries.list(OfferingFilter(vendorID: orgID, includeWithdrawn: true), version: version, page: nil, on: services.db).rows
        let filter = try domesticFilter(request, action: "/sovereignty/my", context)
        let shown = Self.matching(offerings, domestic: filter.domestic)
        let sql = services.sql
        let years = try await sql.raw("""
            SELECT fiscal_year, COUNT(*) AS n, CAST(COALESCE(SUM(spend_yen), 0) AS BIGINT) AS spend
            FROM sovereignty_declarations WHERE organisation_id = \(bind: orgID) GROUP BY fiscal_year ORDER BY fiscal_year DESC
            """).all().map { row -> [String: Any] in
            let year = try row.decode(column: "fiscal_year", as: Int.self)
            return ["year": FiscalYear.shortLabel(year, lang), "value": year, "count": try row.decode(column: "n", as: Int.self),
                    "spend": Format.yen(try row.decode(column: "spend", as: Int64.self), lang)]
        }
        return page("sovereignty-my", title: t("my.title", context), values: [
            "organisation": organisation.name, "orgId": orgID.uuidString, "hasProfile": profile != nil,
            "verified": profile?.status == .verified, "domesticVendor": profile.map { Scoring.isDomesticVendor($0.facts) } ?? false,
            "offerings": shown.map { offeringRow($0, context) }, "hasOfferings": !shown.isEmpty,
            "domesticFilter": offerings.isEmpty ? [:] : filter.form, "hasAnyOfferings": !offerings.isEmpty,
            "years": years, "hasDeclarations": !years.isEmpty, "canDeclare": identity.role == .member || identity.isAdmin,
            "currentYear": FiscalYear.label(service.currentFiscalYear, lang),
        ], request, context)
    }

    // MARK: profile form

    func profileValues(_ organisationID: UUID) async throws -> [String: String] {
        guard let profile = try await VendorProfile.query(on: services.db).filter(\.$organisation.$id == organisationID).first() else {
            return ["headquarters": "JP", "governingLaw": "JP"]
        }
        var values: [String: String] = [
            "headquarters": profile.headquarters, "ultimateParent": profile.ultimateParent ?? "",
            "controllingShareholders": profile.controllingShareholders.replacingOccurrences(of: ",", with: ", "),
            "governingLaw": profile.governingLaw ?? "", "foreignLawNote": profile.foreignLawNote,
            "development": profile.development.replacingOccurrences(of: ",", with: ", "), "operation": profile.operation.replacingOccurrences(of: ",", with: ", "),
            "support": profile.support.replacingOccurrences(of: ",", with: ", "), "dataLocation": profile.dataLocation.replacingOccurrences(of: ",", with: ", "),
            "foreignLaws": profile.foreignLaws,
        ]
        for (i, link) in profile.evidenceLinks.enumerated() where i < 3 {
            values["evidenceLabel\(i + 1)"] = link.label
            values["evidenceUrl\(i + 1)"] = link.url
        }
        return values
    }

    func countryOptions(_ context: AppContext) -> [[String: Any]] {
        Country.all(context.language).map { ["code": $0.code, "name": $0.name(context.language)] }
    }

    func lawOptions(_ selected: Set<String>, _ context: AppContext) -> [[String: Any]] {
        ForeignLaw.allCases.map { ["value": $0.rawValue, "label": t("law.\($0.rawValue)", context), "checked": selected.contains($0.rawValue)] }
    }

    func profileForm(_ organisationID: UUID, values: [String: String], problem: Problem?, _ request: Request, _ context: AppContext) async throws -> Response {
        guard let organisation = try await Organisation.find(organisationID, on: services.db) else { throw Problem.notFound }
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["laws"] = lawOptions(Set((values["foreignLaws"] ?? "").split(separator: ",").map(String.init)), context)
        data["countries"] = countryOptions(context)
        data["organisation"] = organisation.name
        data["orgId"] = organisationID.uuidString
        data["evidenceRows"] = (1...3).map { ["n": $0, "label": values["evidenceLabel\($0)"] ?? "", "url": values["evidenceUrl\($0)"] ?? ""] }
        data["isReviewer"] = context.identity?.isReviewer ?? false
        return page("sovereignty-profile-form", title: t("profile.title", context),
                    crumbs: [(organisation.name, "/sovereignty/vendors/\(organisationID)")], values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveProfile(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try editableOrganisation(context)
        let form = try await FormData.read(request, limit: limit)
        var values: [String: String] = [:]
        for name in ["headquarters", "ultimateParent", "controllingShareholders", "governingLaw", "foreignLawNote", "development", "operation",
                     "support", "dataLocation", "evidenceLabel1", "evidenceUrl1", "evidenceLabel2", "evidenceUrl2", "evidenceLabel3", "evidenceUrl3"] {
            values[name] = form.first(name) ?? ""
        }
        let lawValues = form.all("foreignLaws")
        values["foreignLaws"] = lawValues.joined(separator: ",")
        let evidence = (1...3).compactMap { n -> EvidenceLink? in
            let label = form.text("evidenceLabel\(n)"), url = form.text("evidenceUrl\(n)")
            return label == nil && url == nil ? nil : EvidenceLink(label: label ?? "", url: url ?? "")
        }
        let laws = lawValues.compactMap(ForeignLaw.init(rawValue:))
        let input = ProfileInput(headquarters: values["headquarters"]!, ultimateParent: form.text("ultimateParent"),
                                 controllingShareholders: Self.list(values["controllingShareholders"]), governingLaw: form.text("governingLaw"),
                                 foreignLaws: laws, foreignLawNote: values["foreignLawNote"], development: Self.list(values["development"]),
                                 operation: Self.list(values["operation"]), support: Self.list(values["support"]),
                                 dataLocation: Self.list(values["dataLocation"]), evidence: evidence)
        do {
            try await service.saveProfile(of: id, input, by: identity)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await profileForm(id, values: values, problem: problem, request, context)
        }
        return Self.redirect("/sovereignty/vendors/\(id)?done=saved")
    }

    // MARK: offering form

    static func offeringValues(_ o: Offering) -> ([String: String], Set<String>) {
        var values: [String: String] = [
            "vendorId": o.$vendor.id.uuidString, "name": o.name, "nameEn": o.nameEn ?? "", "kind": o.kind.rawValue, "category": o.category.code,
            "description": o.description, "unit": o.unit.rawValue, "governingLaw": o.governingLaw ?? "",
            "development": o.development.replacingOccurrences(of: ",", with: ", "), "operation": o.operation.replacingOccurrences(of: ",", with: ", "),
            "support": o.support.replacingOccurrences(of: ",", with: ", "), "dataLocation": o.dataLocation.replacingOccurrences(of: ",", with: ", "),
            "siteType": o.siteType?.rawValue ?? "", "siteCountry": o.siteCountry ?? "", "prefecture": o.prefecture.map(String.init) ?? "",
            "gpuCount": o.gpuCount.map(String.init) ?? "", "itPowerKw": o.itPowerKW.map(String.init) ?? "",
        ]
        values["foreignLawsMode"] = o.foreignLaws == nil ? "inherit" : (o.foreignLaws == "" ? "none" : "listed")
        return (values, Set((o.foreignLaws ?? "").split(separator: ",").map(String.init)))
    }

    func offeringForm(_ offering: Offering?, values: [String: String], laws: Set<String>, problem: Problem?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let lang = context.language
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["isNew"] = offering == nil
        data["action"] = offering.map { "/sovereignty/offerings/\($0.id!)" } ?? "/sovereignty/offerings"
        data["kinds"] = kindOptions(values["kind"].flatMap(OfferingKind.init(rawValue:)), context)
        data["categories"] = try await categoryOptions(values["category"], activeOnly: true, context)
        data["units"] = UnitOfMeasure.allCases.map { ["value": $0.rawValue, "label": t("unit.\($0.rawValue)", context), "selected": $0.rawValue == values["unit"]] }
        data["siteTypes"] = SiteType.allCases.map { ["value": $0.rawValue, "label": t("site.\($0.rawValue)", context), "selected": $0.rawValue == values["siteType"]] }
        data["prefectures"] = JapanesePrefecture.all.map { ["value": $0.code, "label": $0.name(lang), "selected": String($0.code) == values["prefecture"]] }
        data["laws"] = lawOptions(laws, context)
        data["countries"] = countryOptions(context)
        data["modes"] = ["inherit", "none", "listed"].map { (mode: String) -> [String: Any] in
            ["value": mode, "label": t("offeringForm.lawMode.\(mode)", context), "checked": values["foreignLawsMode"] == mode]
        }
        // Reviewers may register offerings of any vendor; members only their own.
        if offering == nil && identity.isReviewer {
            data["chooseVendor"] = true
            data["vendors"] = try await Organisation.query(on: services.db).filter(\.$kind != .municipality).sort(\.$name).all().map {
                ["value": $0.id!.uuidString, "label": $0.name, "selected": $0.id!.uuidString == values["vendorId"]] as [String: Any]
            }
        }
        let title = offering == nil ? t("offeringForm.newTitle", context) : t("offeringForm.editTitle", context)
        let crumbs: [(String, String?)] = offering.map { [(t("offerings.title", context), "/sovereignty/offerings"), ($0.name, "/sovereignty/offerings/\($0.id!)")] }
            ?? [(t("offerings.title", context), "/sovereignty/offerings")]
        return page("sovereignty-offering-form", title: title, crumbs: crumbs, values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveOffering(_ offering: Offering?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        if let offering, !identity.canAccess(organisation: offering.$vendor.id) { throw Problem.forbidden }
        let form = try await FormData.read(request, limit: limit)
        var values: [String: String] = [:]
        for name in ["vendorId", "name", "nameEn", "kind", "category", "description", "unit", "governingLaw", "foreignLawsMode", "development",
                     "operation", "support", "dataLocation", "siteType", "siteCountry", "prefecture", "gpuCount", "itPowerKw"] {
            values[name] = form.first(name) ?? ""
        }
        if let offering { values["kind"] = offering.kind.rawValue; values["vendorId"] = offering.$vendor.id.uuidString }
        let laws = Set(form.all("foreignLaws"))
        var errors = ValidationErrors()
        guard let kind = OfferingKind(rawValue: values["kind"] ?? "") else {
            errors.add("/kind", code: FieldError.Code.missing, .init(ja: "種類を選んでください。", en: "Choose the kind."))
            return try await offeringForm(offering, values: values, laws: laws, problem: .validation(errors.errors), request, context)
        }
        var vendorID: UUID?
        if let raw = form.text("vendorId") {
            vendorID = UUID(uuidString: raw)
            if vendorID == nil { errors.add("/vendorId", code: FieldError.Code.invalid, .init(ja: "提供事業者を選んでください。", en: "Choose the vendor.")) }
        }
        let gpu = Self.number(form, "gpuCount", pointer: "/gpuCount", into: &errors)
        let power = Self.number(form, "itPowerKw", pointer: "/itPowerKw", into: &errors)
        var prefecture: Int?
        if let raw = form.text("prefecture") {
            prefecture = Int(raw)
            if prefecture == nil { errors.add("/prefecture", code: FieldError.Code.invalid, .init(ja: "都道府県を選んでください。", en: "Choose the prefecture.")) }
        }
        let foreignLaws: [ForeignLaw]? = switch values["foreignLawsMode"] {
        case "none": []
        case "listed": laws.compactMap(ForeignLaw.init(rawValue:))
        default: nil
        }
        if values["foreignLawsMode"] == "listed" && (foreignLaws ?? []).isEmpty {
            errors.add("/foreignLaws", code: FieldError.Code.missing, .init(ja: "該当する法令を選んでください。", en: "Choose the laws that apply."))
        }
        let input = OfferingInput(vendorId: vendorID, name: values["name"] ?? "", nameEn: form.text("nameEn"), kind: kind,
                                  category: values["category"] ?? "", description: form.text("description"),
                                  unit: UnitOfMeasure(rawValue: values["unit"] ?? ""), governingLaw: form.text("governingLaw"),
                                  foreignLaws: foreignLaws, development: Self.list(values["development"]), operation: Self.list(values["operation"]),
                                  support: Self.list(values["support"]), dataLocation: Self.list(values["dataLocation"]),
                                  siteType: kind == .infrastructure ? SiteType(rawValue: values["siteType"] ?? "") : nil,
                                  siteCountry: kind == .infrastructure ? form.text("siteCountry") : nil,
                                  prefecture: kind == .infrastructure ? prefecture : nil,
                                  gpuCount: kind == .infrastructure ? gpu.map { Int(clamping: $0) } : nil,
                                  itPowerKw: kind == .infrastructure ? power.map { Int(clamping: $0) } : nil)
        // When the form itself has errors (a number that is not one), the field checks of the
        // service are shown with them, so one round trip reports everything.
        if !errors.isEmpty {
            let fieldErrors = SovereigntyService.validate(input).1.errors
            return try await offeringForm(offering, values: values, laws: laws, problem: .validation(Self.merge(errors.errors, fieldErrors)),
                                          request, context)
        }
        do {
            let saved = if let offering { try await service.updateOffering(offering.id!, input, by: identity) }
                else { try await service.createOffering(input, by: identity) }
            return Self.redirect("/sovereignty/offerings/\(saved.id!)")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await offeringForm(offering, values: values, laws: laws, problem: problem, request, context)
        }
    }

    // MARK: overseas sales

    func overseasSalesForm(_ values: [String: String], problem: Problem?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let orgID = identity.organisationID else { throw Problem.forbidden }
        let lang = context.language
        let profile = try await VendorProfile.query(on: services.db).filter(\.$organisation.$id == orgID).first()
        let sales = try await OverseasSale.query(on: services.db).filter(\.$organisationID == orgID).sort(\.$fiscalYear, .descending).all()
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["eligible"] = profile.map { Scoring.isDomesticVendor($0.facts) } ?? false
        data["orgId"] = orgID.uuidString
        data["sales"] = sales.map { ["year": FiscalYear.shortLabel($0.fiscalYear, lang), "amount": Format.yen($0.amountYen, lang), "markets": $0.markets] }
        data["hasSales"] = !sales.isEmpty
        data["years"] = (FiscalYear.earliest...service.currentFiscalYear).reversed().prefix(10).map {
            ["value": $0, "label": FiscalYear.label($0, lang), "selected": String($0) == (values["fiscalYear"] ?? String(service.currentFiscalYear - 1))]
        }
        data["saved"] = Self.query(request)["done"] == "saved"
        return page("sovereignty-overseas-sales", title: t("overseas.title", context), crumbs: [(t("my.title", context), "/sovereignty/my")],
                    values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveOverseasSales(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: limit)
        let values = ["fiscalYear": form.first("fiscalYear") ?? "", "amountYen": form.first("amountYen") ?? "", "markets": form.first("markets") ?? ""]
        var errors = ValidationErrors()
        let amount = Self.number(form, "amountYen", pointer: "/amountYen", into: &errors)
        if amount == nil && errors.isEmpty { errors.add("/amountYen", code: FieldError.Code.missing, .init(ja: "金額を入力してください。", en: "Enter the amount.")) }
        let year = Int(values["fiscalYear"]!)
        if year == nil { errors.add("/fiscalYear", code: FieldError.Code.missing, .init(ja: "年度を選んでください。", en: "Choose the fiscal year.")) }
        do {
            try errors.throwIfAny()
            _ = try await service.saveOverseasSales(OverseasSalesInput(fiscalYear: year!, amountYen: amount!, markets: form.text("markets")), by: identity)
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await overseasSalesForm(values, problem: problem, request, context)
        }
        return Self.redirect("/sovereignty/overseas-sales?done=saved")
    }
}
