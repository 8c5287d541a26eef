import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// A provider's own pages: dashboard, services, certifications, and the forms that start the
/// three workflows.
struct ProviderPages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }
    var registry: Registry { Registry(services: services) }

    func register(_ routes: Routes) {
        routes.get("/cloud/my") { request, context in try await dashboard(request, context) }
        routes.get("/cloud/manage/services/new") { request, context in
            let identity = try context.requireIdentity()
            return serviceForm(request, context, values: ["governingLaw": "日本法", "jurisdiction": "東京地方裁判所"], regions: [], problem: nil,
                               action: "/cloud/manage/services", isNew: true, reviewer: identity.isReviewer)
        }
        routes.post("/cloud/manage/services") { request, context in try await createService(request, context) }
        routes.get("/cloud/manage/services/{number}/edit") { request, context in
            let (service, _) = try await CloudAPI(services: services).ownedService(context)
            return serviceForm(request, context, values: serviceValues(service), regions: service.regionCodes, problem: nil,
                               action: "/cloud/manage/services/\(service.number)", isNew: false, reviewer: false)
        }
        routes.post("/cloud/manage/services/{number}") { request, context in try await updateService(request, context) }
        routes.get("/cloud/manage/services/{number}/certifications/new") { request, context in
            let (service, _) = try await CloudAPI(services: services).ownedService(context)
            return certificationForm(request, context, service: service, values: [:], problem: nil)
        }
        routes.post("/cloud/manage/services/{number}/certifications") { request, context in try await addCertification(request, context) }
        routes.post("/cloud/manage/services/{number}/certifications/{certificationId}/remove") { _, context in
            let (service, identity) = try await CloudAPI(services: services).ownedService(context)
            let cert = try await CloudAPI(services: services).certification(context, service: service)
            try await registry.removeCertification(cert, of: service, by: identity)
            return WebKit.redirect("/cloud/services/\(service.number)")
        }
        routes.post("/cloud/manage/services/{number}/certifications/{certificationId}/verify") { _, context in
            let identity = try context.require(.reviewer)
            let (service, _) = try await CloudAPI(services: services).ownedService(context)
            let cert = try await CloudAPI(services: services).certification(context, service: service)
            try await registry.verifyCertification(cert, of: service, by: identity)
            return WebKit.redirect("/cloud/services/\(service.number)")
        }
        routes.get("/cloud/apply/ready") { request, context in try await readyForm(request, context, values: ["serviceId": request.query["service"] ?? ""], problem: nil) }
        routes.post("/cloud/apply/ready") { request, context in try await declareReady(request, context) }
        routes.get("/cloud/apply/fast-track") { request, context in
            try await fastTrackForm(request, context, values: ["serviceId": request.query["service"] ?? ""], problem: nil, action: "/cloud/apply/fast-track")
        }
        routes.post("/cloud/apply/fast-track") { request, context in try await applyFastTrack(request, context) }
        routes.get("/cloud/apply/registration") { request, context in
            try await registrationForm(request, context, values: ["serviceId": request.query["service"] ?? "", "list": request.query["list"] ?? "liu"],
                                       problem: nil, action: "/cloud/apply/registration")
        }
        routes.post("/cloud/apply/registration") { request, context in try await applyRegistration(request, context) }
    }

    // MARK: dashboard

    func dashboard(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var servicesQuery = CloudServiceRecord.query(on: db)
        if !identity.isReviewer { servicesQuery = servicesQuery.filter(\.$organisationID == (identity.organisationID ?? UUID())) }
        let owned = try await servicesQuery.sort(\.$name).limit(500).all()
        let ids = owned.map(\.id!)
        let entries = ids.isEmpty ? [] : try await ListEntryRecord.query(on: db).filter(\.$serviceID ~~ ids).sort(\.$changedAt, .descending).all()
        let workflows = try await entries.asyncMap { e -> [String: Any] in
            let list = CloudList(rawValue: e.list) ?? .ismap
            return ["list": kit.listName(e.list, context), "record": e.recordNumber, "service": e.serviceName, "status": kit.status(list, e.status, context),
                    "href": try await PublicPages(services: services).recordHref(list, number: e.recordNumber, role: .provider),
                    "changed": kit.dateTime(e.changedAt, context), "until": kit.date(e.until, context), "hasUntil": e.until != nil]
        }
        let notices = try await NotificationRecord.query(on: db).filter(\.$accountID == identity.accountID).filter(\.$kind ~~ "cloud.")
            .sort(\.$createdAt, .descending).limit(10).all().map { WebKit.nonEmpty(["subject": $0.subject, "body": $0.body, "href": $0.link ?? "", "time": kit.dateTime($0.createdAt, context)]) }
        let title = kit.t("cloud.my.title", context)
        return kit.page("cloud-my", title: title, crumbs: [(title, nil)], values: [
            "services": owned.map { ["name": $0.name, "number": $0.number, "href": "/cloud/services/\($0.number)", "model": $0.model.label,
                                     "public": $0.isPublic] },
            "hasServices": !owned.isEmpty, "workflows": workflows, "hasWorkflows": !workflows.isEmpty, "notices": notices, "hasNotices": !notices.isEmpty,
            "isReviewer": identity.isReviewer,
        ], request: request, context: context)
    }

    // MARK: services

    func serviceValues(_ s: CloudServiceRecord) -> [String: String] {
        let contacts = s.contactList
        let security = contacts.first { $0.role == "security" }
        let sales = contacts.first { $0.role == "sales" }
        return ["name": s.name, "nameEn": s.nameEn ?? "", "serviceModel": s.serviceModel, "description": s.description, "descriptionEn": s.descriptionEn ?? "",
                "website": s.website ?? "", "governingLaw": s.governingLaw, "jurisdiction": s.jurisdiction,
                "otherRegions": s.regionCodes.filter { !$0.hasPrefix("JP-") }.joined(separator: ", "),
                "securityName": security?.name ?? "", "securityEmail": security?.email ?? "", "securityPhone": security?.phone ?? "", "salesEmail": sales?.email ?? ""]
    }

    func serviceForm(_ request: Request, _ context: AppContext, values: [String: String], regions: [String], problem: Problem?, action: String,
                     isNew: Bool, reviewer: Bool) -> Response {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        if reviewer {
            fields.append(.init(name: "providerCorporateNumber", label: t("cloud.field.providerCorporateNumber"), value: values["providerCorporateNumber"] ?? "",
                                hint: t("cloud.hint.providerCorporateNumber"), maxLength: 20, inputMode: "numeric"))
        }
        fields += [
            .init(name: "name", label: t("cloud.field.name"), value: values["name"] ?? "", maxLength: 200),
            .init(name: "nameEn", label: t("cloud.field.nameEn"), value: values["nameEn"] ?? "", maxLength: 200, lang: "en"),
            .init(name: "serviceModel", label: t("cloud.field.serviceModel"), kind: .radios, value: values["serviceModel"] ?? "",
                  options: ServiceModel.allCases.map { ($0.rawValue, $0.label + " — " + t("cloud.modelHint.\($0.rawValue)")) }),
            .init(name: "description", label: t("cloud.field.description"), kind: .textarea, value: values["description"] ?? "", maxLength: 4000),
            .init(name: "descriptionEn", label: t("cloud.field.descriptionEn"), kind: .textarea, value: values["descriptionEn"] ?? "", maxLength: 4000, lang: "en"),
            .init(name: "website", label: t("cloud.field.website"), kind: .url, value: values["website"] ?? "", maxLength: 500),
            .init(name: "governingLaw", label: t("cloud.field.governingLaw"), value: values["governingLaw"] ?? "", hint: t("cloud.hint.governingLaw"), maxLength: 100),
            .init(name: "jurisdiction", label: t("cloud.field.jurisdiction"), value: values["jurisdiction"] ?? "", hint: t("cloud.hint.jurisdiction"), maxLength: 200),
            .init(name: "regions", label: t("cloud.field.regions"), kind: .checkboxes, hint: t("cloud.hint.regions"),
                  options: JapanesePrefecture.all.map { (String(format: "JP-%02d", $0.code), $0.name(context.language)) }, selected: Set(regions)),
            .init(name: "otherRegions", label: t("cloud.field.otherRegions"), value: values["otherRegions"] ?? "", hint: t("cloud.hint.otherRegions"), maxLength: 200),
            .init(name: "securityName", label: t("cloud.field.securityName"), value: values["securityName"] ?? "", hint: t("cloud.hint.contactPrivate"), maxLength: 100),
            .init(name: "securityEmail", label: t("cloud.field.securityEmail"), kind: .email, value: values["securityEmail"] ?? "", maxLength: 254),
            .init(name: "securityPhone", label: t("cloud.field.securityPhone"), value: values["securityPhone"] ?? "", maxLength: 30, inputMode: "tel"),
            .init(name: "salesEmail", label: t("cloud.field.salesEmail"), kind: .email, value: values["salesEmail"] ?? "", maxLength: 254),
        ]
        let spec = FormSpec(heading: t(isNew ? "cloud.service.new" : "cloud.service.edit"), intro: t("cloud.service.formIntro"), action: action,
                            submit: t("cloud.action.save"), fields: fields, cancel: ("/cloud/my", t("cloud.action.cancel")))
        return kit.page("cloud-form", title: spec.heading, crumbs: [(t("cloud.my.title"), "/cloud/my"), (spec.heading, nil)],
                        values: spec.values(problem: problem, language: context.language), status: problem?.status ?? .ok, request: request, context: context)
    }

    /// The form as a `ServiceInput`, and how to rename the domain's error pointers to form fields.
    func serviceInput(_ form: FormData) -> (ServiceInput, (String) -> String) {
        let prefectures = form.list("regions")
        let others = (form.first("otherRegions") ?? "").split(whereSeparator: { ", 、;".contains($0) }).map(String.init)
        var contacts = [ServiceInput.Contact(role: "security", name: form.text("securityName"), email: form.text("securityEmail"), phone: form.text("securityPhone"))]
        if let sales = form.text("salesEmail") { contacts.append(.init(role: "sales", name: nil, email: sales, phone: nil)) }
        let input = ServiceInput(name: form.first("name"), nameEn: form.first("nameEn"), serviceModel: form.first("serviceModel"), description: form.first("description"),
                                 descriptionEn: form.first("descriptionEn"), website: form.first("website"), governingLaw: form.first("governingLaw"),
                                 jurisdiction: form.first("jurisdiction"), regions: prefectures + others, contacts: contacts,
                                 providerCorporateNumber: form.text("providerCorporateNumber"))
        let count = prefectures.count
        let rename: (String) -> String = { pointer in
            let parts = pointer.split(separator: "/").map(String.init)
            if parts.first == "regions", parts.count > 1, let i = Int(parts[1]) { return i < count ? "/regions" : "/otherRegions" }
            if parts.first == "contacts" {
                guard parts.count > 2, let i = Int(parts[1]) else { return "/securityEmail" }
                if i == 0 { return "/security" + parts[2].prefix(1).uppercased() + parts[2].dropFirst() }
                return "/salesEmail"
            }
            return pointer
        }
        return (input, rename)
    }

    func formValues(_ form: FormData, _ names: [String]) -> [String: String] {
        names.reduce(into: [String: String]()) { $0[$1] = form.first($1) ?? "" }
    }

    static let serviceFields = ["providerCorporateNumber", "name", "nameEn", "serviceModel", "description", "descriptionEn", "website", "governingLaw",
                                "jurisdiction", "otherRegions", "securityName", "securityEmail", "securityPhone", "salesEmail"]

    func createService(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let (input, rename) = serviceInput(form)
        do {
            let service = try await registry.createService(input, by: identity)
            return WebKit.redirect("/cloud/services/\(service.number)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            return serviceForm(request, context, values: formValues(form, Self.serviceFields), regions: form.list("regions"), problem: problem.renamed(rename),
                               action: "/cloud/manage/services", isNew: true, reviewer: identity.isReviewer)
        }
    }

    func updateService(_ request: Request, _ context: AppContext) async throws -> Response {
        let (service, identity) = try await CloudAPI(services: services).ownedService(context)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        var (input, rename) = serviceInput(form)
        input.providerCorporateNumber = nil
        do {
            try await registry.updateService(service, input, by: identity)
            return WebKit.redirect("/cloud/services/\(service.number)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            return serviceForm(request, context, values: formValues(form, Self.serviceFields), regions: form.list("regions"), problem: problem.renamed(rename),
                               action: "/cloud/manage/services/\(service.number)", isNew: false, reviewer: false)
        }
    }

    // MARK: certifications

    func certificateFields(_ values: [String: String], context: AppContext, fixedKind: Bool) -> [FormSpec.Field] {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        if !fixedKind {
            fields.append(.init(name: "kind", label: t("cloud.field.kind"), kind: .select, value: values["kind"] ?? "",
                                options: [("", t("cloud.action.choose"))] + CertificationKind.allCases.map { ($0.rawValue, $0.label(context.language)) }))
        }
        fields += [
            .init(name: "issuer", label: t("cloud.field.issuer"), value: values["issuer"] ?? "", hint: t("cloud.hint.issuer"), maxLength: 200),
            .init(name: "certificateNumber", label: t("cloud.field.certificateNumber"), value: values["certificateNumber"] ?? "", maxLength: 100),
            .init(name: "scope", label: t("cloud.field.scope"), kind: .textarea, value: values["scope"] ?? "", hint: t("cloud.hint.scope"), maxLength: 2000),
            .init(name: "coversService", label: t("cloud.field.coversService"), kind: .checkbox, value: values["coversService"] ?? ""),
            .init(name: "validFrom", label: t("cloud.field.validFrom"), kind: .date, value: values["validFrom"] ?? ""),
            .init(name: "validUntil", label: t("cloud.field.validUntil"), kind: .date, value: values["validUntil"] ?? ""),
        ]
        return fields
    }

    static let certificateNames = ["kind", "issuer", "certificateNumber", "scope", "coversService", "validFrom", "validUntil"]

    func certificateInput(_ form: FormData, kind: String? = nil) -> CertificationInput {
        CertificationInput(kind: kind ?? form.first("kind"), issuer: form.first("issuer"), certificateNumber: form.first("certificateNumber"), scope: form.first("scope"),
                           coversService: form.flag("coversService"), validFrom: form.first("validFrom"), validUntil: form.first("validUntil"))
    }

    func certificationForm(_ request: Request, _ context: AppContext, service: CloudServiceRecord, values: [String: String], problem: Problem?) -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.cert.new"), intro: service.name, action: "/cloud/manage/services/\(service.number)/certifications",
                            submit: t("cloud.action.save"), fields: certificateFields(values, context: context, fixedKind: false),
                            cancel: ("/cloud/services/\(service.number)", t("cloud.action.cancel")))
        return kit.page("cloud-form", title: spec.heading, crumbs: [(service.name, "/cloud/services/\(service.number)"), (spec.heading, nil)],
                        values: spec.values(problem: problem, language: context.language), status: problem?.status ?? .ok, request: request, context: context)
    }

    func addCertification(_ request: Request, _ context: AppContext) async throws -> Response {
        let (service, identity) = try await CloudAPI(services: services).ownedService(context)
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        do {
            _ = try await registry.addCertification(to: service, certificateInput(form), by: identity)
            return WebKit.redirect("/cloud/services/\(service.number)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            var values = formValues(form, Self.certificateNames)
            values["coversService"] = form.flag("coversService") ? "true" : ""
            return certificationForm(request, context, service: service, values: values, problem: problem)
        }
    }

    // MARK: starting the workflows

    /// Services the caller may apply for, as select options.
    func serviceOptions(_ context: AppContext) async throws -> [(value: String, label: String)] {
        let identity = try context.requireIdentity()
        // Declarations and applications are made by the provider; reviewers act on them from the review pages.
        var organisation: Organisation?
        if let id = identity.organisationID { organisation = try await Organisation.find(id, on: db) }
        guard let organisation, Registry.providerKinds.contains(organisation.kind) else {
            throw Problem(status: .forbidden, slug: "forbidden", title: .init(ja: "クラウド事業者のための画面です", en: "For cloud providers"),
                          detail: .init(ja: "ISMAP-Ready の申告、Fast Track と ISMAP／ISMAP-LIU の申請は、クラウド事業者（または企業）の組織に所属するアカウントが行います。審査担当者は「審査」の画面から各記録を確認・決定してください。",
                                        en: "ISMAP-Ready declarations and Fast Track, ISMAP and ISMAP-LIU applications are made by members of a cloud provider (or company). Reviewers check and decide them from the review pages."))
        }
        let owned = try await CloudServiceRecord.query(on: db).filter(\.$organisationID == (identity.organisationID ?? UUID())).sort(\.$name).all()
        return [("", kit.t("cloud.action.choose", context))] + owned.map { ($0.id!.uuidString, kit.paren($0.name, $0.number, context)) }
    }

    func readyFields(_ values: [String: String], context: AppContext, options: [(value: String, label: String)]?) -> [FormSpec.Field] {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        if let options { fields.append(.init(name: "serviceId", label: t("cloud.field.service"), kind: .select, value: values["serviceId"] ?? "", options: options)) }
        fields += [
            .init(name: "auditFirm", label: t("cloud.field.auditFirm"), value: values["auditFirm"] ?? "", hint: t("cloud.hint.auditFirm"), maxLength: 200),
            .init(name: "auditContractDate", label: t("cloud.field.auditContractDate"), kind: .date, value: values["auditContractDate"] ?? ""),
            .init(name: "gapAssessmentDone", label: t("cloud.field.gapAssessmentDone"), kind: .checkbox, value: values["gapAssessmentDone"] ?? ""),
            .init(name: "gapAssessmentDate", label: t("cloud.field.gapAssessmentDate"), kind: .date, value: values["gapAssessmentDate"] ?? ""),
            .init(name: "targetList", label: t("cloud.field.targetList"), kind: .radios, value: values["targetList"] ?? "",
                  options: [("ismap", kit.listName("ismap", context)), ("liu", kit.listName("liu", context))]),
            .init(name: "targetApplicationDate", label: t("cloud.field.targetApplicationDate"), kind: .date, value: values["targetApplicationDate"] ?? "",
                  hint: t("cloud.hint.targetApplicationDate")),
            .init(name: "scope", label: t("cloud.field.readyScope"), kind: .textarea, value: values["scope"] ?? "", hint: t("cloud.hint.readyScope"), maxLength: 2000),
            .init(name: "pocAvailable", label: t("cloud.field.pocAvailable"), kind: .checkbox, value: values["pocAvailable"] ?? ""),
        ]
        return fields
    }

    static let readyNames = ["serviceId", "auditFirm", "auditContractDate", "gapAssessmentDate", "targetList", "targetApplicationDate", "scope"]

    func readyInput(_ form: FormData, serviceID: UUID?) -> ReadyDeclarationInput {
        ReadyDeclarationInput(serviceId: serviceID ?? form.first("serviceId").flatMap(UUID.init(uuidString:)), auditFirm: form.first("auditFirm"),
                              auditContractDate: form.first("auditContractDate"), gapAssessmentDone: form.flag("gapAssessmentDone"),
                              gapAssessmentDate: form.first("gapAssessmentDate"), targetList: form.first("targetList"),
                              targetApplicationDate: form.first("targetApplicationDate"), scope: form.first("scope"), pocAvailable: form.flag("pocAvailable"))
    }

    func readyValues(_ form: FormData) -> [String: String] {
        var values = formValues(form, Self.readyNames)
        values["gapAssessmentDone"] = form.flag("gapAssessmentDone") ? "true" : ""
        values["pocAvailable"] = form.flag("pocAvailable") ? "true" : ""
        return values
    }

    func readyForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?) async throws -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.ready.new"), intro: t("cloud.ready.formIntro"), action: "/cloud/apply/ready", submit: t("cloud.action.saveDraft"),
                            fields: readyFields(values, context: context, options: try await serviceOptions(context)), cancel: ("/cloud/my", t("cloud.action.cancel")),
                            notes: [try await kit.cycleText("cloud.ready.formNote", context)])
        return kit.page("cloud-form", title: spec.heading, crumbs: [(t("cloud.my.title"), "/cloud/my"), (spec.heading, nil)],
                        values: spec.values(problem: problem, language: context.language), status: problem?.status ?? .ok, request: request, context: context)
    }

    func declareReady(_ request: Request, _ context: AppContext) async throws -> Response {
        _ = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        do {
            let listing = try await ReadyDesk(services: services).declare(readyInput(form, serviceID: nil), identity: try context.requireIdentity())
            return WebKit.redirect("/cloud/ready-listings/\(listing.id!)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            return try await readyForm(request, context, values: readyValues(form), problem: problem)
        }
    }

    func fastTrackForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?, action: String,
                       withService: Bool = true) async throws -> Response {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        if withService {
            fields.append(.init(name: "serviceId", label: t("cloud.field.service"), kind: .select, value: values["serviceId"] ?? "", options: try await serviceOptions(context)))
        }
        fields += certificateFields(values, context: context, fixedKind: true)
        let spec = FormSpec(heading: t("cloud.fastTrack.new"), intro: t("cloud.fastTrack.formIntro"), action: action, submit: t("cloud.action.saveDraft"),
                            fields: fields, cancel: ("/cloud/my", t("cloud.action.cancel")), notes: [t("cloud.fastTrack.formNote")])
        return kit.page("cloud-form", title: spec.heading, crumbs: [(t("cloud.my.title"), "/cloud/my"), (spec.heading, nil)],
                        values: spec.values(problem: problem?.renamed { $0.hasPrefix("/certificate/") ? String($0.dropFirst("/certificate".count)) : $0 },
                                            language: context.language),
                        status: problem?.status ?? .ok, request: request, context: context)
    }

    func applyFastTrack(_ request: Request, _ context: AppContext) async throws -> Response {
        _ = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        let input = FastTrackInput(serviceId: form.first("serviceId").flatMap(UUID.init(uuidString:)), certificate: certificateInput(form, kind: CertificationKind.iso27017.rawValue))
        do {
            let record = try await FastTrackDesk(services: services).apply(input, identity: try context.requireIdentity())
            return WebKit.redirect("/cloud/fast-track-applications/\(record.id!)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            var values = formValues(form, ["serviceId"] + Self.certificateNames)
            values["coversService"] = form.flag("coversService") ? "true" : ""
            return try await fastTrackForm(request, context, values: values, problem: problem, action: "/cloud/apply/fast-track")
        }
    }

    func registrationFields(_ values: [String: String], context: AppContext, options: [(value: String, label: String)]?) -> [FormSpec.Field] {
        let t = { kit.t($0, context) }
        var fields: [FormSpec.Field] = []
        if let options {
            fields.append(.init(name: "serviceId", label: t("cloud.field.service"), kind: .select, value: values["serviceId"] ?? "", options: options))
            fields.append(.init(name: "list", label: t("cloud.field.list"), kind: .radios, value: values["list"] ?? "",
                                options: [("liu", kit.listName("liu", context)), ("ismap", kit.listName("ismap", context))]))
        }
        fields += [
            .init(name: "auditFirm", label: t("cloud.field.auditFirm"), value: values["auditFirm"] ?? "", maxLength: 200),
            .init(name: "auditReportDate", label: t("cloud.field.auditReportDate"), kind: .date, value: values["auditReportDate"] ?? ""),
            .init(name: "scope", label: t("cloud.field.registrationScope"), kind: .textarea, value: values["scope"] ?? "", maxLength: 2000),
            .init(name: "biaAgency", label: t("cloud.field.biaAgency"), value: values["biaAgency"] ?? "", hint: t("cloud.hint.bia"), maxLength: 200),
            .init(name: "biaDate", label: t("cloud.field.biaDate"), kind: .date, value: values["biaDate"] ?? ""),
            .init(name: "biaSummary", label: t("cloud.field.biaSummary"), kind: .textarea, value: values["biaSummary"] ?? "", maxLength: 2000),
            .init(name: "sponsors", label: t("cloud.field.sponsors"), kind: .textarea, value: values["sponsors"] ?? "", hint: t("cloud.hint.sponsors"), maxLength: 4000),
        ]
        return fields
    }

    static let registrationNames = ["serviceId", "list", "auditFirm", "auditReportDate", "scope", "biaAgency", "biaDate", "biaSummary", "sponsors"]

    func registrationInput(_ form: FormData) -> RegistrationInput {
        RegistrationInput(serviceId: form.first("serviceId").flatMap(UUID.init(uuidString:)), list: form.first("list"), auditFirm: form.first("auditFirm"),
                          auditReportDate: form.first("auditReportDate"), scope: form.first("scope"),
                          businessImpactAssessment: .init(agency: form.first("biaAgency"), assessedOn: form.first("biaDate"), summary: form.first("biaSummary")),
                          sponsors: (form.first("sponsors") ?? "").split(whereSeparator: \.isNewline).map(String.init))
    }

    static func registrationRename(_ pointer: String) -> String {
        switch pointer {
        case "/businessImpactAssessment/agency": return "/biaAgency"
        case "/businessImpactAssessment/assessedOn": return "/biaDate"
        case "/businessImpactAssessment/summary": return "/biaSummary"
        default: return pointer.hasPrefix("/sponsors") ? "/sponsors" : pointer
        }
    }

    func registrationForm(_ request: Request, _ context: AppContext, values: [String: String], problem: Problem?, action: String,
                          withService: Bool = true) async throws -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.registration.new"), intro: t("cloud.registration.formIntro"), action: action, submit: t("cloud.action.saveDraft"),
                            fields: registrationFields(values, context: context, options: withService ? try await serviceOptions(context) : nil),
                            cancel: ("/cloud/my", t("cloud.action.cancel")), notes: [t("cloud.registration.formNote")])
        return kit.page("cloud-form", title: spec.heading, crumbs: [(t("cloud.my.title"), "/cloud/my"), (spec.heading, nil)],
                        values: spec.values(problem: problem?.renamed(Self.registrationRename), language: context.language), status: problem?.status ?? .ok,
                        request: request, context: context)
    }

    func applyRegistration(_ request: Request, _ context: AppContext) async throws -> Response {
        _ = try context.requireIdentity()
        let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
        do {
            let record = try await RegistrationDesk(services: services).apply(registrationInput(form), identity: try context.requireIdentity())
            return WebKit.redirect("/cloud/registrations/\(record.id!)")
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .forbidden {
            return try await registrationForm(request, context, values: formValues(form, Self.registrationNames), problem: problem, action: "/cloud/apply/registration")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
