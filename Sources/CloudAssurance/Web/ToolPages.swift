import FluentKit
import Foundation
import Hummingbird
import ShinraiKit

/// The audit-scope calculator and the applicability checker (§2.5).
struct ToolPages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }
    var api: CloudAPI { CloudAPI(services: services) }

    func register(_ routes: Routes) {
        routes.get("/cloud/audit-scope") { request, context in try await auditScope(request, context) }
        routes.get("/cloud/audit-scope.csv") { request, context in
            let outcome = try await api.auditScope(input(request), context: context)
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"audit-scope.csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: AuditScopeService.csv(outcome))))
        }
        routes.get("/cloud/audit-scope.json") { request, context in
            try API.json(AuditScopeService.dto(try await api.auditScope(input(request), context: context), language: context.language))
        }
        routes.get("/cloud/applicability") { request, context in try await applicability(request, context) }
    }

    func input(_ request: Request) -> CloudAPI.AuditScopeInput {
        let q = request.query
        let form = FormData(encoded: request.uri.query ?? "")
        return CloudAPI.AuditScopeInput(serviceNumber: q["service"], certifications: form.list("certification"), cycle: q["cycle"],
                                        mandatoryOnly: q["mandatoryOnly"] == "true", targetCatalogue: q["target"])
    }

    func auditScope(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.query
        let input = input(request)
        var values: [String: Any] = [:]
        let title = kit.t("cloud.scope.title", context)
        values["service"] = q["service"] ?? ""
        values["kinds"] = CertificationKind.allCases.filter { $0 != .other }.map { kind -> [String: Any] in
            ["value": kind.rawValue, "label": kind.label(context.language), "checked": (input.certifications ?? []).contains(kind.rawValue)]
        }
        values["cycles"] = AuditCycle.allCases.map { ["value": $0.rawValue, "label": kit.t("cloud.cycle.\($0.rawValue)", context), "checked": (input.cycle ?? "annual") == $0.rawValue] }
        values["mandatoryOnly"] = input.mandatoryOnly == true
        let targets = try await CatalogueRecord.query(on: db).filter(\.$kind == "catalog").sort(\.$key).all()
        values["targets"] = targets.map { ["value": $0.key, "label": $0.title, "selected": (q["target"].map { $0 == "" } ?? true) ? $0.isTarget : q["target"] == $0.key] }
        if let identity = context.identity {
            var owned = CloudServiceRecord.query(on: db)
            if !identity.isReviewer { owned = owned.filter(\.$organisationID == (identity.organisationID ?? UUID())) }
            values["ownServices"] = try await owned.sort(\.$name).limit(200).all().map { ["number": $0.number, "name": $0.name] }
        }
        if q["run"] == "1" {
            do {
                let outcome = try await api.auditScope(input, context: context)
                values.merge(result(outcome, context)) { $1 }
                let query = request.uri.query ?? ""
                values["csvHref"] = "/cloud/audit-scope.csv?\(query)"
                values["jsonHref"] = "/cloud/audit-scope.json?\(query)"
            } catch let problem as Problem where problem.status.code < 500 {
                // The form names the service field "service"; the API names it "serviceNumber".
                values.merge(FormErrors(problem.renamed { $0 == "/serviceNumber" ? "/service" : $0 }, language: context.language).values) { $1 }
            }
        }
        return kit.page("cloud-audit-scope", title: title, crumbs: [(title, nil)], values: values, request: request, context: context)
    }

    func result(_ outcome: AuditScopeService.Outcome, _ context: AppContext) -> [String: Any] {
        let r = outcome.result
        let needing = r.needingAudit.map { c -> [String: Any] in
            ["id": c.control.id, "title": c.control.title, "coverage": kit.t("cloud.coverage.\(c.coverage.name)", context), "partial": c.coverage == .partial,
             "evidence": c.evidence?.label ?? "—", "path": kit.join(c.path.map { kit.paren("\($0.from.control) → \($0.to.control)", $0.relationship.rawValue, context) }, context),
             "href": "/cloud/catalogues/\(outcome.target.key)/controls/\(URLQuery.encode(c.control.id))", "mandatory": c.control.mandatory,
             "onRequest": c.control.applicability == .onRequest]
        }
        let covered = r.controls.filter { $0.coverage == .full }.map { c -> [String: Any] in
            ["id": c.control.id, "title": c.control.title, "evidence": c.evidence?.label ?? "",
             "path": kit.join(c.path.map { kit.paren("\($0.from.control) → \($0.to.control)", $0.relationship.rawValue, context) }, context),
             "href": "/cloud/catalogues/\(outcome.target.key)/controls/\(URLQuery.encode(c.control.id))"]
        }
        let estimates = r.estimates.map { e -> [String: Any] in
            ["cycle": kit.t("cloud.cycle.\(e.cycle.rawValue)", context), "baseline": kit.yen(e.baselinePerAuditYen, context), "perAudit": kit.yen(e.perAuditYen, context),
             "perYear": kit.yen(e.perYearYen, context), "saving": SVGChart.defaultFormat(e.savingPercent) + "%", "chosen": e.cycle == outcome.cycle]
        }
        return [
            "hasResult": true, "targetTitle": outcome.target.title, "total": r.controls.count, "full": r.full, "partial": r.partial, "none": r.none,
            "exempted": SVGChart.defaultFormat(r.exemptedPercent) + "%", "needing": needing, "hasNeeding": !needing.isEmpty, "covered": covered,
            "hasCovered": !covered.isEmpty, "estimates": estimates,
            "evidence": Array(Set(outcome.evidence.map(\.label))).sorted(), "hasEvidence": !outcome.evidence.isEmpty,
            "excluded": outcome.excluded.map { ["label": $0.label, "reason": $0.reason.text(context.language)] }, "hasExcluded": !outcome.excluded.isEmpty,
            "costs": [
                "base": kit.yen(outcome.costs.baseFeeYen, context), "perControl": kit.yen(outcome.costs.perControlYen, context),
                "partial": "\(outcome.costs.partialPercent)%", "reuse": kit.yen(outcome.costs.reuseReviewYen, context),
            ] as [String: Any],
        ]
    }

    func applicability(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.query
        let title = kit.t("cloud.check.title", context)
        let rules = try await ApplicabilityDesk(services: services).rules().map(\.rule)
        var values: [String: Any] = [
            "organisations": ProcuringOrganisation.allCases.map { ["value": $0.rawValue, "label": kit.t("cloud.procurer.\($0.rawValue)", context), "checked": q["organisation"] == $0.rawValue] },
            "levels": ConfidentialityLevel.allCases.map { ["value": $0.rawValue, "label": kit.t("cloud.confidentiality.c\($0.rawValue)", context), "checked": q["confidentiality"] == $0.rawValue] },
            "models": ServiceModel.allCases.map { ["value": $0.rawValue, "label": $0.label, "checked": q["serviceModel"] == $0.rawValue] },
            "lowImpact": q["lowImpact"] == "true",
            "rules": rules.map { ruleRow($0, context) },
        ]
        if q["organisation"] != nil || q["confidentiality"] != nil || q["serviceModel"] != nil {
            do {
                let question = try ApplicabilityDesk.question(organisation: q["organisation"], confidentiality: q["confidentiality"],
                                                             serviceModel: q["serviceModel"], lowImpact: q["lowImpact"])
                if let rule = ApplicabilityChecker.answer(question, rules: rules) {
                    values["answer"] = ruleRow(rule, context)
                } else {
                    values["noRule"] = true
                }
            } catch let problem as Problem {
                values.merge(FormErrors(problem, language: context.language).values) { $1 }
            }
        }
        return kit.page("cloud-applicability", title: title, crumbs: [(title, nil)], values: values, request: request, context: context)
    }

    func ruleRow(_ rule: ApplicabilityRule, _ context: AppContext) -> [String: Any] {
        func joined(_ items: [String]) -> String { items.isEmpty ? kit.t("cloud.check.any", context) : kit.join(items, context) }
        return [
            "id": rule.id.uuidString, "priority": rule.priority, "level": kit.t("cloud.requirement.\(rule.level.rawValue)", context),
            "required": rule.level == .required, "conclusion": context.language == .ja ? rule.conclusionJa : rule.conclusionEn,
            "citation": rule.citation, "citationURL": rule.citationURL ?? "", "hasURL": rule.citationURL != nil,
            "organisations": joined(rule.organisations.map { kit.t("cloud.procurer.\($0.rawValue)", context) }),
            "confidentiality": joined(rule.confidentiality.map { kit.t("cloud.confidentiality.c\($0.rawValue)", context) }),
            "models": joined(rule.serviceModels.map(\.label)), "lowImpact": rule.lowImpactOnly == true,
            "lists": rule.acceptableLists.map { ["name": kit.listName($0.rawValue, context), "href": "/cloud/lists/\($0.slug)"] },
            "hasLists": !rule.acceptableLists.isEmpty,
        ]
    }
}
