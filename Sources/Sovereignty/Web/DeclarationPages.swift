import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

extension SovereigntyWeb {
    func registerDeclarations(_ routes: Routes) {
        routes.get("/sovereignty/declarations") { request, context in try await declarationList(request, context) }
        routes.get("/sovereignty/declarations/new") { request, context in
            _ = try context.requireIdentity()
            return try await declarationForm(nil, values: ["fiscalYear": String(service.currentFiscalYear - 1), "governmentSystem": "false",
                                                           "offering": Self.query(request)["offering"] ?? ""], problem: nil, request, context)
        }
        routes.post("/sovereignty/declarations") { request, context in try await saveDeclaration(nil, request, context) }
        routes.get("/sovereignty/declarations/template.csv") { request, _ in
            let sample = try await Offering.query(on: services.db).sort(\.$number).first()?.number ?? "SVO-2026-0001"
            let writer = DeclarationCSV.template(offeringNumber: sample, year: service.currentFiscalYear - 1)
            return API.cacheable(writer.data, contentType: "text/csv; charset=utf-8", request: request, filename: "sovereignty-declarations.csv")
        }
        routes.get("/sovereignty/declarations/import") { request, context in
            let identity = try context.requireIdentity()
            try Self.requireDeclarer(identity)
            return importPage(csv: "", report: nil, problem: nil, request, context)
        }
        routes.post("/sovereignty/declarations/import") { request, context in try await importCSV(request, context) }
        routes.get("/sovereignty/declarations/{id}/edit") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let declaration = try await service.declaration(id, for: identity)
            try service.authoriseWrite(declaration, identity)
            return try await declarationForm(declaration, values: [
                "offering": declaration.offering.number, "fiscalYear": String(declaration.fiscalYear),
                "spendYen": declaration.spendYen.map(String.init) ?? "", "units": declaration.units.map(String.init) ?? "",
                "governmentSystem": declaration.governmentSystem ? "true" : "false", "note": declaration.note,
            ], problem: nil, request, context)
        }
        routes.post("/sovereignty/declarations/{id}") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            return try await saveDeclaration(try await service.declaration(id, for: identity), request, context)
        }
        routes.post("/sovereignty/declarations/{id}/delete") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
            let declaration = try await service.declaration(id, for: identity)
            try await service.deleteDeclaration(id, by: identity)
            return Self.redirect("/sovereignty/declarations?year=\(declaration.fiscalYear)&done=deleted")
        }
    }

    static func requireDeclarer(_ identity: Identity) throws {
        guard identity.organisationID != nil, identity.role == .member || identity.isAdmin else { throw Problem.forbidden }
    }

    func declarationList(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let lang = context.language
        let pageRequest = try ShinraiKit.PageRequest.parse(request)
        let query = Self.query(request)
        var year: Int?
        if let raw = query["year"], !raw.isEmpty {
            guard let value = Int(raw), (FiscalYear.earliest...FiscalYear.latestTarget).contains(value) else {
                throw Problem.badRequest(.init(ja: "年度が正しくありません。", en: "Invalid fiscal year."))
            }
            year = value
        }
        var organisation: UUID?
        if identity.isReviewer, let raw = query["organisationId"], !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw Problem.badRequest(.init(ja: "組織が正しくありません。", en: "Invalid organisation.")) }
            organisation = id
        }
        let (items, total) = try await service.declarations(for: identity, organisation: organisation, year: year, page: pageRequest)
        var names: [UUID: String] = [:]
        if identity.isReviewer {
            let ids = Array(Set(items.map(\.organisationID)))
            if !ids.isEmpty { for org in try await Organisation.query(on: services.db).filter(\.$id ~~ ids).all() { names[org.id!] = org.name } }
        }
        let canWrite = identity.role == .member || identity.isAdmin
        let rows = items.map { d -> [String: Any] in
            ["id": d.id!.uuidString, "year": FiscalYear.shortLabel(d.fiscalYear, lang), "offering": d.offering.name(lang), "number": d.offering.number,
             "offeringId": d.offering.id!.uuidString, "spend": Format.yen(d.spendYen, lang),
             "units": d.units.map { Format.grouped($0) + " " + t("unit.\(d.offering.unit.rawValue)", context) } ?? "—",
             "government": d.governmentSystem, "organisation": names[d.organisationID] ?? "",
             "canEdit": canWrite && (identity.isAdmin || d.organisationID == identity.organisationID)]
        }
        var filterItems: [(String, String)] = []
        if let year { filterItems.append(("year", String(year))) }
        if let organisation { filterItems.append(("organisationId", organisation.uuidString)) }
        let years = (FiscalYear.earliest...service.currentFiscalYear).reversed().prefix(12).map {
            ["value": $0, "label": FiscalYear.label($0, lang), "selected": $0 == year] as [String: Any]
        }
        return page("sovereignty-declarations", title: t("declarations.title", context), values: [
            "declarations": rows, "hasDeclarations": !rows.isEmpty, "total": Format.grouped(total), "years": years,
            "isReviewer": identity.isReviewer, "canWrite": canWrite && identity.organisationID != nil, "organisation": identity.organisationName ?? "",
            "deleted": query["done"] == "deleted", "saved": query["done"] == "saved",
            "pager": Pager(page: pageRequest, total: total, path: "/sovereignty/declarations", query: filterItems).values(context, views),
        ], request, context)
    }

    func declarationForm(_ declaration: Declaration?, values: [String: String], problem: Problem?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try Self.requireDeclarer(identity)
        let lang = context.language
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["isNew"] = declaration == nil
        data["action"] = declaration.map { "/sovereignty/declarations/\($0.id!)" } ?? "/sovereignty/declarations"
        data["years"] = (FiscalYear.earliest...service.currentFiscalYear).reversed().prefix(12).map {
            ["value": $0, "label": FiscalYear.label($0, lang), "selected": String($0) == values["fiscalYear"]] as [String: Any]
        }
        data["government"] = values["governmentSystem"] == "true"
        data["organisation"] = identity.organisationName ?? ""
        // The offerings to choose from (current ones; a withdrawn one stays selectable when already chosen).
        let offerings = try await Offering.query(on: services.db).with(\.$vendor).sort(\.$name).all()
            .filter { !$0.withdrawn || $0.number == values["offering"] }
        data["offerings"] = offerings.map { o -> [String: Any] in
            ["value": o.number, "label": "\(o.name(lang))（\(o.vendor.name)）\(o.number)", "selected": o.number == values["offering"]]
        }
        let title = declaration == nil ? t("declarationForm.newTitle", context) : t("declarationForm.editTitle", context)
        return page("sovereignty-declaration-form", title: title, crumbs: [(t("declarations.title", context), "/sovereignty/declarations")],
                    values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveDeclaration(_ declaration: Declaration?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: limit)
        let values = ["offering": form.first("offering") ?? "", "fiscalYear": form.first("fiscalYear") ?? "", "spendYen": form.first("spendYen") ?? "",
                      "units": form.first("units") ?? "", "governmentSystem": form.first("governmentSystem") ?? "false", "note": form.first("note") ?? ""]
        var errors = ValidationErrors()
        let spend = Self.number(form, "spendYen", pointer: "/spendYen", into: &errors)
        let units = Self.number(form, "units", pointer: "/units", into: &errors)
        let year = FiscalYear.parse(values["fiscalYear"]!)
        if year == nil { errors.add("/fiscalYear", code: FieldError.Code.missing, .init(ja: "年度を選んでください。", en: "Choose the fiscal year.")) }
        let input = DeclarationInput(offering: values["offering"]!, fiscalYear: year ?? 0, spendYen: spend, units: units,
                                     governmentSystem: values["governmentSystem"] == "true", note: form.text("note"))
        if !errors.isEmpty {
            // Show the rules' messages for the other fields too, so one round trip reports everything.
            let known = try await SovereigntyService.resolveOffering(input.offering, on: services.db) != nil
            var checked = input
            if year == nil { checked.fiscalYear = service.currentFiscalYear }
            let ruleErrors = DeclarationRules.problems(checked, offeringKnown: known, currentFiscalYear: service.currentFiscalYear)
            return try await declarationForm(declaration, values: values, problem: .validation(Self.merge(errors.errors, ruleErrors)), request, context)
        }
        do {
            if let declaration {
                _ = try await service.updateDeclaration(declaration.id!, input, by: identity)
            } else {
                _ = try await service.createDeclaration(input, by: identity)
            }
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await declarationForm(declaration, values: values, problem: problem, request, context)
        }
        return Self.redirect("/sovereignty/declarations?year=\(input.fiscalYear)&done=saved")
    }

    // MARK: CSV import

    /// A file a browser sends as CSV: by its name or its declared type (spreadsheets on some
    /// systems declare CSV as an Excel type).
    static func isCSV(_ file: UploadedFile) -> Bool {
        let name = file.filename.lowercased()
        let type = file.contentType.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return name.hasSuffix(".csv") || name.hasSuffix(".txt") || ["text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"].contains(type)
    }

    func importPage(csv: String, report: ImportReport?, problem: Problem?, status: HTTPResponse.Status = .ok, _ request: Request, _ context: AppContext) -> Response {
        var data: [String: Any] = ["csv": csv, "organisation": context.identity?.organisationName ?? ""]
        data.merge(Self.errorValues(problem, context)) { $1 }
        if let report {
            let lang = context.language
            let validRows = report.rows - Set(report.errors.compactMap { $0.pointer.split(separator: "/").dropFirst().first }).count
            data["report"] = [
                "rows": report.rows, "created": report.created, "updated": report.updated, "skipped": report.skipped, "imported": report.imported,
                "validRows": validRows,
                "hasErrors": !report.errors.isEmpty,
                "errors": report.errors.map { e -> [String: Any] in
                    let parts = e.pointer.split(separator: "/")
                    return ["line": parts.count > 1 ? String(parts[1]) : "", "column": parts.count > 2 ? t("csvColumn.\(parts[2])", context) : "",
                            "message": e.detail(lang)]
                },
            ] as [String: Any]
            data["offerValidOnly"] = !report.imported && validRows > 0
        }
        return page("sovereignty-import", title: t("import.title", context), crumbs: [(t("declarations.title", context), "/sovereignty/declarations")],
                    values: data, status: status, request, context)
    }

    func importCSV(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try Self.requireDeclarer(identity)
        let form = try await FormData.read(request, limit: limit)
        var csv = form.first("csv") ?? ""
        let mode = ImportMode(rawValue: form.first("mode") ?? "") ?? .allOrNothing
        // A chosen file takes the place of pasted text; its text comes back in the text box when
        // rows need correcting.
        if let file = form.file("file"), !file.data.isEmpty {
            guard Self.isCSV(file) else {
                return importPage(csv: csv, report: nil, problem: .validation([FieldError(
                    pointer: "/file", code: FieldError.Code.invalid, detail: "Choose a CSV file (.csv).", detailJa: "CSVファイル（.csv）を選んでください。")]),
                    status: .unprocessableContent, request, context)
            }
            guard let text = file.text else {
                return importPage(csv: csv, report: nil, problem: .validation([FieldError(
                    pointer: "/file", code: FieldError.Code.invalid, detail: "The file is not UTF-8 text. In a spreadsheet, save it as \"CSV UTF-8\".",
                    detailJa: "ファイルがUTF-8ではありません。表計算ソフトでは「CSV UTF-8（コンマ区切り）」で保存してください。")]),
                    status: .unprocessableContent, request, context)
            }
            csv = text
        }
        do {
            let report = try await service.importDeclarations(csv: csv, mode: mode, organisationID: nil, by: identity)
            return importPage(csv: report.imported ? "" : csv, report: report, problem: nil,
                              status: report.imported ? .ok : .unprocessableContent, request, context)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return importPage(csv: csv, report: nil, problem: problem, status: problem.status, request, context)
        }
    }
}
