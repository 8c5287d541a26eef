import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Reviewers' and administrators' pages: the review queue, imports, control metadata, existing
/// registrations, parameters and the applicability rules.
struct ReviewPages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }
    var api: CloudAPI { CloudAPI(services: services) }

    func register(_ routes: Routes) {
        routes.get("/cloud/review") { request, context in try await queue(request, context) }
        for kind in ["catalogue", "crosswalk", "question-set"] {
            routes.get("/cloud/review/import/\(kind)") { request, context in
                try context.require(.reviewer)
                return try await importForm(kind, request, context, values: ["format": kind == "question-set" ? "csv" : kind == "catalogue" ? "ismap-csv" : "csv"], problem: nil)
            }
            routes.post("/cloud/review/import/\(kind)") { request, context in try await runImport(kind, request, context) }
        }
        routes.get("/cloud/review/catalogues/{key}/settings") { request, context in
            try context.require(.reviewer)
            let record = try await CatalogueDesk(services: services).catalogue(key: try context.path("key"))
            return catalogueSettings(request, context, record: record, problem: nil)
        }
        routes.post("/cloud/review/catalogues/{key}/settings") { request, context in
            let identity = try context.require(.reviewer)
            let record = try await CatalogueDesk(services: services).catalogue(key: try context.path("key"))
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            let kinds = form.list("evidenceFor").compactMap(CertificationKind.init(rawValue:))
            try await CatalogueDesk(services: services).updateEvidence(record, kinds: kinds, isTarget: form.flag("target"), actor: Actor(identity))
            return WebKit.redirect("/cloud/catalogues/\(record.key)")
        }
        routes.get("/cloud/review/catalogues/{key}/controls/{control}/guidance") { request, context in
            try context.require(.reviewer)
            let (record, node) = try await control(context)
            return guidanceForm(request, context, record: record, node: node, guidance: ControlGuidance(control: OSCAL.object(node.json)), problem: nil)
        }
        routes.post("/cloud/review/catalogues/{key}/controls/{control}/guidance") { request, context in
            let identity = try context.require(.reviewer)
            let (record, node) = try await control(context)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            let guidance = ControlGuidance(applicability: form.first("applicability").flatMap(ControlApplicability.init(rawValue:)), purposeJa: form.first("purposeJa"),
                                           purposeEn: form.first("purposeEn"), risksJa: form.first("risksJa"), risksEn: form.first("risksEn"),
                                           alternativesJa: form.first("alternativesJa"), alternativesEn: form.first("alternativesEn")).trimmed
            do {
                try await CatalogueDesk(services: services).updateGuidance(record, node: node, guidance: guidance, actor: Actor(identity))
                return WebKit.redirect("/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))")
            } catch let problem as Problem where problem.status.code < 500 {
                return guidanceForm(request, context, record: record, node: node, guidance: guidance, problem: problem)
            }
        }
        routes.get("/cloud/review/record-registration") { request, context in
            try context.require(.reviewer)
            return recordForm(request, context, values: ["list": "ismap", "serviceNumber": request.query["service"] ?? ""], problem: nil)
        }
        routes.post("/cloud/review/record-registration") { request, context in
            let identity = try context.require(.reviewer)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                let record = try await api.recordRegistration(serviceNumber: form.first("serviceNumber") ?? "", list: form.first("list") ?? "",
                                                              registeredOn: form.first("registeredOn") ?? "", auditFirm: form.first("auditFirm"), identity: identity)
                return WebKit.redirect("/cloud/registrations/\(record.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return recordForm(request, context, values: ProviderPages(services: services).formValues(form, ["serviceNumber", "list", "registeredOn", "auditFirm"]), problem: problem)
            }
        }
        routes.get("/cloud/admin") { request, context in
            try context.require(.admin)
            return try await admin(request, context, settings: try await CloudSettings.load(on: db), problem: nil)
        }
        routes.post("/cloud/admin/settings") { request, context in
            let identity = try context.require(.admin)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            func int(_ name: String) -> Int { Int(form.text(name) ?? "") ?? -1 }
            let settings = CloudSettings(reportIntervalMonths: int("reportIntervalMonths"), reportGraceDays: int("reportGraceDays"), reportNoticeDays: int("reportNoticeDays"),
                                         costs: AuditUnitCosts(baseFeeYen: int("baseFeeYen"), perControlYen: int("perControlYen"), partialPercent: int("partialPercent"),
                                                               reuseReviewYen: int("reuseReviewYen")),
                                         maxMappingHops: int("maxMappingHops"), questionSetCode: form.text("questionSetCode") ?? "")
            do {
                try await api.saveSettings(settings, identity: identity)
                return WebKit.redirect("/cloud/admin?done=settings")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await admin(request, context, settings: settings, problem: problem.renamed { $0.replacingOccurrences(of: "/costs/", with: "/") })
            }
        }
        routes.get("/cloud/admin/rules/new") { request, context in
            try context.require(.admin)
            return ruleForm(request, context, id: nil, values: ["priority": "100", "level": "recommended"], selected: [:], problem: nil)
        }
        routes.get("/cloud/admin/rules/{id}") { request, context in
            try context.require(.admin)
            guard let record = try await ApplicabilityRuleRecord.find(try context.pathUUID("id"), on: db) else { throw Problem.notFound }
            let rule = record.rule
            return ruleForm(request, context, id: record.id, values: [
                "priority": String(rule.priority), "level": rule.level.rawValue, "conclusionJa": rule.conclusionJa, "conclusionEn": rule.conclusionEn,
                "citation": rule.citation, "citationUrl": rule.citationURL ?? "", "lowImpactOnly": rule.lowImpactOnly == true ? "true" : "",
            ], selected: ["organisations": Set(rule.organisations.map(\.rawValue)), "confidentiality": Set(rule.confidentiality.map(\.rawValue)),
                          "serviceModels": Set(rule.serviceModels.map(\.rawValue)), "acceptableLists": Set(rule.acceptableLists.map(\.rawValue))], problem: nil)
        }
        routes.post("/cloud/admin/rules") { request, context in try await saveRule(request, context, id: nil) }
        routes.post("/cloud/admin/rules/{id}") { request, context in try await saveRule(request, context, id: try context.pathUUID("id")) }
        routes.post("/cloud/admin/rules/{id}/delete") { _, context in
            let identity = try context.require(.admin)
            try await ApplicabilityDesk(services: services).delete(try context.pathUUID("id"), identity: identity)
            return WebKit.redirect("/cloud/admin?done=deleted")
        }
    }

    func control(_ context: AppContext) async throws -> (CatalogueRecord, CatalogueNodeRecord) {
        let desk = CatalogueDesk(services: services)
        let record = try await desk.catalogue(key: try context.path("key"))
        return (record, try await desk.control(record, id: try context.path("control")))
    }

    func formPage(_ spec: FormSpec, crumbs: [(String, String?)], problem: Problem?, request: Request, context: AppContext) -> Response {
        kit.page("cloud-form", title: spec.heading, crumbs: crumbs + [(spec.heading, nil)], values: spec.values(problem: problem, language: context.language),
                 status: problem?.status ?? .ok, request: request, context: context)
    }

    // MARK: queue

    func queue(_ request: Request, _ context: AppContext) async throws -> Response {
        try context.require(.reviewer)
        let queue = try await ReviewQueue(services: services).load()
        let pages = PublicPages(services: services)
        func rows(_ entries: [ListEntryDTO]) async throws -> [[String: Any]] {
            try await entries.asyncMap { e in
                let list = CloudList(rawValue: e.list) ?? .ismap
                return ["record": e.recordNumber, "service": e.service.name, "provider": e.provider.name, "list": kit.listName(e.list, context),
                        "status": kit.status(list, e.status, context), "since": kit.dateTime(e.changedAt, context),
                        "href": try await pages.recordHref(list, number: e.recordNumber, role: .reviewer)]
            }
        }
        let provisional = try await ListEntryRecord.query(on: db).filter(\.$list == CloudList.fastTrack.rawValue).filter(\.$status == FastTrackStatus.provisional.rawValue)
            .sort(\.$until).limit(200).all()
        let title = kit.t("cloud.review.title", context)
        return kit.page("cloud-review", title: title, crumbs: [(title, nil)], values: [
            "ready": try await rows(queue.ready), "fastTrack": try await rows(queue.fastTrack), "registrations": try await rows(queue.registrations),
            "hasReady": !queue.ready.isEmpty, "hasFastTrack": !queue.fastTrack.isEmpty, "hasRegistrations": !queue.registrations.isEmpty,
            "answers": queue.answersToReview, "remediations": queue.remediationsToConfirm,
            "provisional": try await provisional.asyncMap { e in
                ["record": e.recordNumber, "service": e.serviceName, "until": kit.date(e.until, context),
                 "href": try await pages.recordHref(.fastTrack, number: e.recordNumber, role: .reviewer)] as [String: Any]
            },
            "hasProvisional": !provisional.isEmpty,
        ], request: request, context: context)
    }

    // MARK: imports

    func importForm(_ kind: String, _ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) async throws -> Response {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        let catalogues = try await CatalogueRecord.query(on: db).filter(\.$kind == "catalog").sort(\.$key).all()
        switch kind {
        case "catalogue":
            fields = [
                .init(name: "key", label: t("cloud.field.key"), value: values["key"] ?? "", hint: t("cloud.hint.key"), maxLength: 63),
                .init(name: "format", label: t("cloud.field.format"), kind: .radios, value: values["format"] ?? "",
                      options: [("ismap-csv", t("cloud.format.ismapCSV")), ("oscal", t("cloud.format.oscal"))]),
                .init(name: "title", label: t("cloud.field.title"), value: values["title"] ?? "", maxLength: 200),
                .init(name: "version", label: t("cloud.field.version"), value: values["version"] ?? "", maxLength: 50),
                .init(name: "evidenceFor", label: t("cloud.field.evidenceFor"), kind: .checkboxes, hint: t("cloud.hint.evidenceFor"),
                      options: CertificationKind.allCases.map { ($0.rawValue, $0.label(context.language)) }, selected: Set((values["evidenceFor"] ?? "").split(separator: ",").map(String.init))),
                .init(name: "target", label: t("cloud.field.target"), kind: .checkbox, value: values["target"] ?? ""),
                .init(name: "content", label: t("cloud.field.content"), kind: .textarea, value: values["content"] ?? "", hint: t("cloud.hint.content")),
            ]
        case "crosswalk":
            let options = [("", t("cloud.action.fromDocument"))] + catalogues.map { ($0.key, "\($0.title)（\($0.key)）") }
            fields = [
                .init(name: "key", label: t("cloud.field.key"), value: values["key"] ?? "", hint: t("cloud.hint.key"), maxLength: 63),
                .init(name: "format", label: t("cloud.field.format"), kind: .radios, value: values["format"] ?? "",
                      options: [("csv", t("cloud.format.mappingCSV")), ("oscal", t("cloud.format.mapping"))]),
                .init(name: "title", label: t("cloud.field.title"), value: values["title"] ?? "", maxLength: 200),
                .init(name: "source", label: t("cloud.field.sourceCatalogue"), kind: .select, value: values["source"] ?? "", options: options),
                .init(name: "target", label: t("cloud.field.targetCatalogue"), kind: .select, value: values["target"] ?? "", options: options),
                .init(name: "content", label: t("cloud.field.content"), kind: .textarea, value: values["content"] ?? "", hint: t("cloud.hint.mappingContent")),
            ]
        default:
            fields = [
                .init(name: "format", label: t("cloud.field.format"), kind: .radios, value: values["format"] ?? "",
                      options: [("csv", t("cloud.format.questionCSV")), ("json", t("cloud.format.questionJSON"))]),
                .init(name: "code", label: t("cloud.field.code"), value: values["code"] ?? "", hint: t("cloud.hint.code"), maxLength: 63),
                .init(name: "title", label: t("cloud.field.title"), value: values["title"] ?? "", maxLength: 200),
                .init(name: "titleEn", label: t("cloud.field.titleEn"), value: values["titleEn"] ?? "", maxLength: 200, lang: "en"),
                .init(name: "content", label: t("cloud.field.content"), kind: .textarea, value: values["content"] ?? "", hint: t("cloud.hint.questionContent")),
            ]
        }
        let key = kind == "question-set" ? "questionSet" : kind
        let spec = FormSpec(heading: t("cloud.import.\(key)"), intro: t("cloud.import.\(key)Intro"), action: "/cloud/review/import/\(kind)",
                            submit: t("cloud.action.import"), fields: fields, cancel: ("/cloud/catalogues", t("cloud.action.cancel")), notes: [t("cloud.import.apiNote")])
        return formPage(spec, crumbs: [(t("cloud.catalogue.title"), "/cloud/catalogues")], problem: problem, request: request, context: context)
    }

    func runImport(_ kind: String, _ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.reviewer)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let content = form.first("content") ?? ""
        var values = ProviderPages(services: services).formValues(form, ["key", "format", "title", "version", "source", "target", "content", "code", "titleEn"])
        values["evidenceFor"] = form.list("evidenceFor").joined(separator: ",")
        values["target"] = kind == "catalogue" ? (form.flag("target") ? "true" : "") : values["target"]
        do {
            func document() throws -> JSONValue {
                do { return try StrictJSONDecoder(maxDepth: 100).parse(Data(content.utf8)) } catch let error as JSONInputError {
                    throw Problem.validation(error.errors.map { FieldError(pointer: "/content", code: $0.code, detail: $0.detail, detailJa: $0.detailJa) })
                }
            }
            switch kind {
            case "catalogue":
                let json = form.first("format") == "oscal" ? try document() : nil
                let record = try await api.importCatalogue(.init(key: form.first("key") ?? "", format: form.first("format") ?? "", document: json,
                                                                 csv: json == nil ? content : nil, title: form.first("title"), version: form.first("version"),
                                                                 evidenceFor: form.list("evidenceFor"), target: form.flag("target")), identity: identity)
                return WebKit.redirect("/cloud/catalogues/\(record.key)")
            case "crosswalk":
                let json = form.first("format") == "oscal" ? try document() : nil
                let record = try await api.importCrosswalk(.init(key: form.first("key") ?? "", format: form.first("format") ?? "", document: json,
                                                                 csv: json == nil ? content : nil, title: form.first("title"), source: form.text("source"),
                                                                 target: form.text("target")), identity: identity)
                return WebKit.redirect("/cloud/crosswalks/\(record.key)")
            default:
                var set: QuestionSetDocument?
                if form.first("format") == "json" {
                    do { set = try StrictJSONDecoder().decode(QuestionSetDocument.self, from: Data(content.utf8)) } catch let error as JSONInputError {
                        throw Problem.validation(error.errors.map { FieldError(pointer: "/content", code: $0.code, detail: "\($0.pointer): \($0.detail)", detailJa: $0.detailJa) })
                    }
                }
                let record = try await api.importQuestionSet(.init(format: form.first("format") ?? "", document: set, csv: set == nil ? content : nil,
                                                                   code: form.first("code"), title: form.first("title"), titleEn: form.first("titleEn")), identity: identity)
                return WebKit.redirect("/cloud/question-sets/\(record.code)/\(record.version)")
            }
        } catch let problem as Problem where problem.status.code < 500 {
            let renamed = problem.renamed { pointer in
                ["/key", "/format", "/title", "/version", "/source", "/target", "/code", "/titleEn"].contains(where: { pointer == $0 }) ? pointer : "/content"
            }
            return try await importForm(kind, request, context, values: values, problem: renamed)
        }
    }

    // MARK: catalogue settings and control metadata

    func catalogueSettings(_ request: Request, _ context: AppContext, record: CatalogueRecord, problem: Problem?) -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.catalogue.settings"), intro: record.title, action: "/cloud/review/catalogues/\(record.key)/settings",
                            submit: t("cloud.action.save"), fields: [
                                .init(name: "evidenceFor", label: t("cloud.field.evidenceFor"), kind: .checkboxes, hint: t("cloud.hint.evidenceFor"),
                                      options: CertificationKind.allCases.map { ($0.rawValue, $0.label(context.language)) }, selected: Set(record.evidenceKinds.map(\.rawValue))),
                                .init(name: "target", label: t("cloud.field.target"), kind: .checkbox, value: record.isTarget ? "true" : ""),
                            ], cancel: ("/cloud/catalogues/\(record.key)", t("cloud.action.cancel")))
        return formPage(spec, crumbs: [(t("cloud.catalogue.title"), "/cloud/catalogues"), (record.title, "/cloud/catalogues/\(record.key)")],
                        problem: problem, request: request, context: context)
    }

    func guidanceForm(_ request: Request, _ context: AppContext, record: CatalogueRecord, node: CatalogueNodeRecord, guidance: ControlGuidance, problem: Problem?) -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.guidance.edit"), intro: "\(node.oscalID ?? "") \(node.title)",
                            action: "/cloud/review/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))/guidance", submit: t("cloud.action.save"),
                            fields: [
                                .init(name: "applicability", label: t("cloud.field.applicability"), kind: .radios, value: guidance.applicability?.rawValue ?? "",
                                      hint: t("cloud.hint.applicability"),
                                      options: ControlApplicability.allCases.map { ($0.rawValue, t("cloud.applicability.\($0.rawValue)") + " — " + t("cloud.applicabilityHelp.\($0.rawValue)")) }),
                                .init(name: "purposeJa", label: t("cloud.field.purposeJa"), kind: .textarea, value: guidance.purposeJa ?? "", maxLength: 4000),
                                .init(name: "purposeEn", label: t("cloud.field.purposeEn"), kind: .textarea, value: guidance.purposeEn ?? "", maxLength: 4000, lang: "en"),
                                .init(name: "risksJa", label: t("cloud.field.risksJa"), kind: .textarea, value: guidance.risksJa ?? "", maxLength: 4000),
                                .init(name: "risksEn", label: t("cloud.field.risksEn"), kind: .textarea, value: guidance.risksEn ?? "", maxLength: 4000, lang: "en"),
                                .init(name: "alternativesJa", label: t("cloud.field.alternativesJa"), kind: .textarea, value: guidance.alternativesJa ?? "",
                                      hint: t("cloud.hint.alternatives"), maxLength: 4000),
                                .init(name: "alternativesEn", label: t("cloud.field.alternativesEn"), kind: .textarea, value: guidance.alternativesEn ?? "", maxLength: 4000, lang: "en"),
                            ], cancel: ("/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))", t("cloud.action.cancel")),
                            notes: [t("cloud.guidance.note")])
        return formPage(spec, crumbs: [(record.title, "/cloud/catalogues/\(record.key)"), (node.oscalID ?? "", "/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))")],
                        problem: problem, request: request, context: context)
    }

    func recordForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.registration.record"), intro: t("cloud.registration.recordIntro"), action: "/cloud/review/record-registration",
                            submit: t("cloud.action.save"), fields: [
                                .init(name: "serviceNumber", label: t("cloud.field.serviceNumber"), value: values["serviceNumber"] ?? "", hint: t("cloud.hint.serviceNumber"), maxLength: 40),
                                .init(name: "list", label: t("cloud.field.list"), kind: .radios, value: values["list"] ?? "",
                                      options: [("ismap", kit.listName("ismap", context)), ("liu", kit.listName("liu", context))]),
                                .init(name: "registeredOn", label: t("cloud.field.registeredOn"), kind: .date, value: values["registeredOn"] ?? ""),
                                .init(name: "auditFirm", label: t("cloud.field.auditFirm"), value: values["auditFirm"] ?? "", maxLength: 200),
                            ], cancel: ("/cloud/review", t("cloud.action.cancel")))
        return formPage(spec, crumbs: [(t("cloud.review.title"), "/cloud/review")], problem: problem, request: request, context: context)
    }

    // MARK: administration

    func admin(_ request: Request, _ context: AppContext, settings: CloudSettings, problem: Problem?) async throws -> Response {
        let t = { kit.t($0, context) }
        let fields: [FormSpec.Field] = [
            .init(name: "reportIntervalMonths", label: t("cloud.field.reportIntervalMonths"), kind: .number, value: String(settings.reportIntervalMonths)),
            .init(name: "reportGraceDays", label: t("cloud.field.reportGraceDays"), kind: .number, value: String(settings.reportGraceDays)),
            .init(name: "reportNoticeDays", label: t("cloud.field.reportNoticeDays"), kind: .number, value: String(settings.reportNoticeDays)),
            .init(name: "baseFeeYen", label: t("cloud.field.baseFeeYen"), kind: .number, value: String(settings.costs.baseFeeYen)),
            .init(name: "perControlYen", label: t("cloud.field.perControlYen"), kind: .number, value: String(settings.costs.perControlYen)),
            .init(name: "partialPercent", label: t("cloud.field.partialPercent"), kind: .number, value: String(settings.costs.partialPercent)),
            .init(name: "reuseReviewYen", label: t("cloud.field.reuseReviewYen"), kind: .number, value: String(settings.costs.reuseReviewYen)),
            .init(name: "maxMappingHops", label: t("cloud.field.maxMappingHops"), kind: .number, value: String(settings.maxMappingHops)),
            .init(name: "questionSetCode", label: t("cloud.field.questionSetCode"), value: settings.questionSetCode, maxLength: 63),
        ]
        let spec = FormSpec(heading: t("cloud.admin.settings"), intro: nil, action: "/cloud/admin/settings", submit: t("cloud.action.save"), fields: fields, cancel: nil)
        var values = spec.values(problem: problem, language: context.language)
        let rules = try await ApplicabilityDesk(services: services).rules().map(\.rule)
        values["rules"] = rules.map { rule -> [String: Any] in
            var row = ToolPages(services: services).ruleRow(rule, context)
            row["editHref"] = "/cloud/admin/rules/\(rule.id)"
            return row
        }
        values["done"] = request.query["done"] == "settings"
        let title = t("cloud.admin.title")
        return kit.page("cloud-admin", title: title, crumbs: [(title, nil)], values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    func ruleForm(_ request: Request, _ context: AppContext, id: UUID?, values: [String: String], selected: [String: Set<String>], problem: Problem?) -> Response {
        let t = { kit.t($0, context) }
        let fields: [FormSpec.Field] = [
            .init(name: "priority", label: t("cloud.field.priority"), kind: .number, value: values["priority"] ?? "", hint: t("cloud.hint.priority")),
            .init(name: "organisations", label: t("cloud.field.organisations"), kind: .checkboxes, hint: t("cloud.hint.emptyMeansAny"),
                  options: ProcuringOrganisation.allCases.map { ($0.rawValue, t("cloud.procurer.\($0.rawValue)")) }, selected: selected["organisations"] ?? []),
            .init(name: "confidentiality", label: t("cloud.field.confidentiality"), kind: .checkboxes, hint: t("cloud.hint.emptyMeansAny"),
                  options: ConfidentialityLevel.allCases.map { ($0.rawValue, t("cloud.confidentiality.c\($0.rawValue)")) }, selected: selected["confidentiality"] ?? []),
            .init(name: "serviceModels", label: t("cloud.field.serviceModels"), kind: .checkboxes, hint: t("cloud.hint.emptyMeansAny"),
                  options: ServiceModel.allCases.map { ($0.rawValue, $0.label) }, selected: selected["serviceModels"] ?? []),
            .init(name: "lowImpactOnly", label: t("cloud.field.lowImpactOnly"), kind: .checkbox, value: values["lowImpactOnly"] ?? ""),
            .init(name: "level", label: t("cloud.field.level"), kind: .radios, value: values["level"] ?? "",
                  options: RequirementLevel.allCases.map { ($0.rawValue, t("cloud.requirement.\($0.rawValue)")) }),
            .init(name: "acceptableLists", label: t("cloud.field.acceptableLists"), kind: .checkboxes,
                  options: CloudList.allCases.map { ($0.rawValue, kit.listName($0.rawValue, context)) }, selected: selected["acceptableLists"] ?? []),
            .init(name: "conclusionJa", label: t("cloud.field.conclusionJa"), kind: .textarea, value: values["conclusionJa"] ?? "", maxLength: 1000),
            .init(name: "conclusionEn", label: t("cloud.field.conclusionEn"), kind: .textarea, value: values["conclusionEn"] ?? "", maxLength: 1000, lang: "en"),
            .init(name: "citation", label: t("cloud.field.citation"), value: values["citation"] ?? "", hint: t("cloud.hint.citation"), maxLength: 500),
            .init(name: "citationUrl", label: t("cloud.field.citationUrl"), kind: .url, value: values["citationUrl"] ?? "", maxLength: 500),
        ]
        let spec = FormSpec(heading: t(id == nil ? "cloud.rule.new" : "cloud.rule.edit"), intro: nil, action: id.map { "/cloud/admin/rules/\($0)" } ?? "/cloud/admin/rules",
                            submit: t("cloud.action.save"), fields: fields, cancel: ("/cloud/admin", t("cloud.action.cancel")),
                            notes: [t("cloud.rule.note")])
        var page = spec.values(problem: problem?.renamed { pointer in
            let first = pointer.split(separator: "/").first.map(String.init) ?? ""
            return "/" + first
        }, language: context.language)
        if let id { page["deleteAction"] = "/cloud/admin/rules/\(id)/delete" }
        return kit.page("cloud-form", title: spec.heading, crumbs: [(t("cloud.admin.title"), "/cloud/admin"), (spec.heading, nil)], values: page,
                        status: problem?.status ?? .ok, request: request, context: context)
    }

    func saveRule(_ request: Request, _ context: AppContext, id: UUID?) async throws -> Response {
        let identity = try context.require(.admin)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let input = ApplicabilityDesk.RuleInput(priority: Int(form.text("priority") ?? "") ?? (form.text("priority") == nil ? nil : -1),
                                                organisations: form.list("organisations"), confidentiality: form.list("confidentiality"),
                                                serviceModels: form.list("serviceModels"), lowImpactOnly: form.flag("lowImpactOnly") ? true : nil,
                                                level: form.first("level"), acceptableLists: form.list("acceptableLists"), conclusionJa: form.first("conclusionJa"),
                                                conclusionEn: form.first("conclusionEn"), citation: form.first("citation"), citationUrl: form.first("citationUrl"))
        do {
            _ = try await ApplicabilityDesk(services: services).save(input, id: id, identity: identity)
            return WebKit.redirect("/cloud/admin?done=rule")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .notFound {
            var values = ProviderPages(services: services).formValues(form, ["priority", "level", "conclusionJa", "conclusionEn", "citation", "citationUrl"])
            values["lowImpactOnly"] = form.flag("lowImpactOnly") ? "true" : ""
            return ruleForm(request, context, id: id, values: values, selected: [
                "organisations": Set(form.list("organisations")), "confidentiality": Set(form.list("confidentiality")),
                "serviceModels": Set(form.list("serviceModels")), "acceptableLists": Set(form.list("acceptableLists")),
            ], problem: problem)
        }
    }
}
