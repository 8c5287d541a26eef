import FluentKit
import Foundation
import Hummingbird
import ShinraiKit

extension SovereigntyWeb {
    func registerAdministration(_ routes: Routes) {
        routes.get("/sovereignty/admin") { request, context in try await adminPage(request, context) }
        routes.get("/sovereignty/admin/parameters/new") { request, context in
            try context.require(.admin)
            let versions = try await ParameterStore.versions(on: services.db)
            guard let current = ParameterStore.inForce(service.currentFiscalYear, among: versions) else { throw Problem.notFound }
            var values: [String: String] = ["effectiveFrom": String(service.currentFiscalYear + 1), "note": ""]
            let p = current.parameters
            for c in Criterion.allCases { values["w_\(c.rawValue)"] = String(p.weights[c]) }
            for (i, bp) in p.thresholds.enumerated() { values["threshold\(i + 1)"] = BasisPoints.decimal(bp) }
            values["domesticLevel"] = String(p.domesticLevel)
            values["minimumDeclarers"] = String(p.minimumDeclarers)
            return parameterForm(values, problem: nil, request, context)
        }
        routes.post("/sovereignty/admin/parameters") { request, context in try await saveParameters(request, context) }
        routes.post("/sovereignty/admin/targets") { request, context in try await saveTarget(request, context) }
        routes.get("/sovereignty/admin/categories/new") { request, context in
            try context.require(.admin)
            return categoryForm(nil, values: ["active": "true"], problem: nil, request, context)
        }
        routes.post("/sovereignty/admin/categories") { request, context in try await saveCategory(nil, request, context) }
        routes.get("/sovereignty/admin/categories/{id}") { request, context in
            try context.require(.admin)
            guard let id = context.parameters.get("id", as: UUID.self), let category = try await SecurityCategory.find(id, on: services.db) else { throw Problem.notFound }
            return categoryForm(category, values: ["code": category.code, "nameJa": category.nameJa, "nameEn": category.nameEn,
                                                   "sortOrder": String(category.sortOrder), "active": category.active ? "true" : "false"],
                                problem: nil, request, context)
        }
        routes.post("/sovereignty/admin/categories/{id}") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self), let category = try await SecurityCategory.find(id, on: services.db) else { throw Problem.notFound }
            return try await saveCategory(category, request, context)
        }
    }

    func adminPage(_ request: Request, _ context: AppContext, targetValues: [String: String] = [:], problem: Problem? = nil) async throws -> Response {
        try context.require(.admin)
        let lang = context.language
        let versions = try await ParameterStore.versions(on: services.db)
        let targets = try await Target.query(on: services.db).sort(\.$fiscalYear).sort(\.$scope).all()
        let categories = try await SecurityCategory.query(on: services.db).sort(\.$sortOrder).all()
        let snapshot = try await service.snapshot()
        var values: [String: Any] = [
            "versions": versions.reversed().map { v -> [String: Any] in
                ["version": v.version, "from": FiscalYear.shortLabel(v.effectiveFrom, lang), "note": v.note,
                 "thresholds": v.parameters.thresholds.map(BasisPoints.decimal).joined(separator: " / "),
                 "domesticLevel": SovereigntyLevel.code(v.domesticLevel), "minimumDeclarers": v.minimumDeclarers,
                 "index": v.logIndex as Any, "hasIndex": v.logIndex != nil]
            },
            "targets": targets.map { target -> [String: Any] in
                ["year": FiscalYear.shortLabel(target.fiscalYear, lang), "yearValue": target.fiscalYear, "scopeValue": target.scope,
                 "scope": target.scope == TargetScope.overall ? Labels.key(.overall, "", lang) : Labels.key(.kind, target.scope, lang),
                 "rate": BasisPoints.percent(target.rateBP), "note": target.note, "revision": target.revision]
            },
            "hasTargets": !targets.isEmpty,
            "scopes": TargetScope.all.map { s -> [String: Any] in
                ["value": s, "label": s == TargetScope.overall ? Labels.key(.overall, "", lang) : Labels.key(.kind, s, lang), "selected": s == targetValues["scope"]]
            },
            "categories": categories.map { ["id": $0.id!.uuidString, "code": $0.code, "nameJa": $0.nameJa, "nameEn": $0.nameEn,
                                            "order": $0.sortOrder, "active": $0.active] as [String: Any] },
            "years": snapshot.result.years.reversed().map { ["value": $0, "label": FiscalYear.label($0, lang)] as [String: Any] },
            "hasYears": !snapshot.result.years.isEmpty,
            "targetYear": targetValues["fiscalYear"] ?? String(service.currentFiscalYear + 1), "targetRate": targetValues["rate"] ?? "",
            "targetNote": targetValues["note"] ?? "", "notice": Self.query(request)["done"].map { t("admin.done.\($0)", context) } ?? "",
        ]
        values["hasNotice"] = !(values["notice"] as! String).isEmpty && Self.query(request)["done"].map { ["parameters", "target", "category"].contains($0) } == true
        values.merge(Self.errorValues(problem, context)) { $1 }
        return page("sovereignty-admin", title: t("admin.title", context), values: values, status: problem?.status ?? .ok, request, context)
    }

    func parameterForm(_ values: [String: String], problem: Problem?, _ request: Request, _ context: AppContext) -> Response {
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["weights"] = Criterion.allCases.map { c -> [String: Any] in
            ["key": c.rawValue, "name": t("criterion.\(c.rawValue)", context), "value": values["w_\(c.rawValue)"] ?? "", "eu": c.euObjective]
        }
        data["thresholds"] = (1...4).map { n -> [String: Any] in ["n": n, "code": SovereigntyLevel.code(n), "value": values["threshold\(n)"] ?? ""] }
        data["levels"] = (1...4).map { ["value": $0, "label": SovereigntyLevel.code($0), "selected": String($0) == values["domesticLevel"]] as [String: Any] }
        return page("sovereignty-parameters-form", title: t("parameters.title", context), crumbs: [(t("admin.title", context), "/sovereignty/admin")],
                    values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveParameters(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: limit)
        var values: [String: String] = [:]
        for (key, value) in form.pairs where key != "_csrf" { values[key] = value }
        var errors = ValidationErrors()
        var weights = CriterionWeights(control: 0, jurisdiction: 0, data: 0, operations: 0, development: 0, support: 0)
        for c in Criterion.allCases {
            if let w = Int(values["w_\(c.rawValue)"]?.trimmingCharacters(in: .whitespaces) ?? "") { weights[c] = w } else {
                errors.add("/weights/\(c.rawValue)", code: FieldError.Code.type, .init(ja: "重みは整数で入力してください。", en: "A weight is a whole number."))
            }
        }
        var thresholds: [Decimal] = []
        for n in 1...4 {
            if let bp = BasisPoints.parse(decimal: values["threshold\(n)"] ?? "") { thresholds.append(Decimal(bp) / 10000) } else {
                errors.add("/thresholds/\(n - 1)", code: FieldError.Code.type, .init(ja: "しきい値は0〜1の小数（例：0.6）で入力してください。", en: "A threshold is a decimal from 0 to 1, e.g. 0.6."))
                thresholds.append(0)
            }
        }
        let effective = Int(values["effectiveFrom"]?.trimmingCharacters(in: .whitespaces) ?? "")
        if effective == nil { errors.add("/effectiveFrom", code: FieldError.Code.type, .init(ja: "年度を数字で入力してください。", en: "Enter the fiscal year as a number.")) }
        let input = ParameterInput(effectiveFrom: effective ?? 0, weights: weights, thresholds: thresholds,
                                   domesticLevel: Int(values["domesticLevel"] ?? "") ?? 0, minimumDeclarers: Int(values["minimumDeclarers"] ?? "") ?? 0,
                                   note: values["note"] ?? "")
        do {
            try errors.throwIfAny()
            _ = try await service.createParameterVersion(input, by: identity)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            // Field names of the form: weights → w_<criterion>, thresholds → threshold<n>.
            var mapped = problem
            mapped.errors = problem.errors.map { e in
                var e = e
                let parts = e.pointer.split(separator: "/").map(String.init)
                if parts.first == "weights", parts.count > 1 { e.pointer = "/w_\(parts[1])" }
                if parts.first == "thresholds" { e.pointer = parts.count > 1 ? "/threshold\((Int(parts[1]) ?? 0) + 1)" : "/threshold1" }
                return e
            }
            return parameterForm(values, problem: mapped, request, context)
        }
        return Self.redirect("/sovereignty/admin?done=parameters")
    }

    func saveTarget(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: limit)
        let values = ["fiscalYear": form.first("fiscalYear") ?? "", "scope": form.first("scope") ?? "", "rate": form.first("rate") ?? "",
                      "note": form.first("note") ?? ""]
        var errors = ValidationErrors()
        let year = FiscalYear.parse(values["fiscalYear"]!)
        if year == nil { errors.add("/fiscalYear", code: FieldError.Code.type, .init(ja: "年度を数字で入力してください。", en: "Enter the fiscal year as a number.")) }
        var rate: Decimal?
        if form.first("remove") == nil {
            if let bp = BasisPoints.parse(percent: values["rate"]!) { rate = Decimal(bp) / 10000 } else {
                errors.add("/rate", code: FieldError.Code.type, .init(ja: "目標を％で入力してください（例：30）。", en: "Enter the target as a percentage, e.g. 30."))
            }
        }
        do {
            try errors.throwIfAny()
            _ = try await service.setTarget(TargetInput(fiscalYear: year!, scope: values["scope"]!, rate: rate, note: form.text("note")), by: identity)
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .notFound {
            return try await adminPage(request, context, targetValues: values, problem: problem)
        }
        return Self.redirect("/sovereignty/admin?done=target")
    }

    func categoryForm(_ category: SecurityCategory?, values: [String: String], problem: Problem?, _ request: Request, _ context: AppContext) -> Response {
        var data: [String: Any] = values
        data.merge(Self.errorValues(problem, context)) { $1 }
        data["isNew"] = category == nil
        data["isActive"] = values["active"] == "true"
        data["action"] = category.map { "/sovereignty/admin/categories/\($0.id!)" } ?? "/sovereignty/admin/categories"
        return page("sovereignty-category-form", title: category == nil ? t("categoryForm.newTitle", context) : t("categoryForm.editTitle", context),
                    crumbs: [(t("admin.title", context), "/sovereignty/admin")], values: data, status: problem?.status ?? .ok, request, context)
    }

    func saveCategory(_ category: SecurityCategory?, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: limit)
        var values = ["code": category?.code ?? (form.first("code") ?? ""), "nameJa": form.first("nameJa") ?? "", "nameEn": form.first("nameEn") ?? "",
                      "sortOrder": form.first("sortOrder") ?? ""]
        values["active"] = form.first("active") == "true" ? "true" : "false"
        var errors = ValidationErrors()
        var order: Int?
        if let raw = form.text("sortOrder") {
            order = Int(raw)
            if order == nil { errors.add("/sortOrder", code: FieldError.Code.type, .init(ja: "表示順は整数です。", en: "The order is a whole number.")) }
        }
        do {
            try errors.throwIfAny()
            _ = try await service.saveCategory(category?.id, CategoryInput(code: values["code"]!, nameJa: values["nameJa"]!, nameEn: values["nameEn"]!,
                                                                         sortOrder: order, active: values["active"] == "true"), by: identity)
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return categoryForm(category, values: values, problem: problem, request, context)
        }
        return Self.redirect("/sovereignty/admin?done=category")
    }
}
