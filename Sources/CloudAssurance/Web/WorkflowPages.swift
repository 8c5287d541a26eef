import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The pages of one ISMAP-Ready declaration, Fast Track application or registration, with the
/// actions the viewer may take.
struct WorkflowPages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }
    var views: RecordViews { RecordViews(services: services) }
    var api: CloudAPI { CloudAPI(services: services) }
    var provider: ProviderPages { ProviderPages(services: services) }

    func register(_ routes: Routes) {
        routes.get("/cloud/ready-listings/{id}") { request, context in try await readyPage(request, context, problem: nil) }
        routes.get("/cloud/ready-listings/{id}/edit") { request, context in
            let (listing, role) = try await ready(context)
            guard role == .provider else { throw Problem.notFound }
            return try await readyEdit(request, context, listing: listing, values: readyValues(listing), problem: nil)
        }
        routes.post("/cloud/ready-listings/{id}") { request, context in
            let (listing, role) = try await ready(context)
            guard role == .provider else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await ReadyDesk(services: services).update(listing, provider.readyInput(form, serviceID: listing.serviceID), identity: try context.requireIdentity())
                return WebKit.redirect("/cloud/ready-listings/\(listing.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await readyEdit(request, context, listing: listing, values: provider.readyValues(form), problem: problem)
            }
        }
        routes.post("/cloud/ready-listings/{id}/events") { request, context in
            let (listing, role) = try await ready(context)
            guard let role, let identity = context.identity else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await api.readyEvent(.init(event: form.first("event") ?? "", reason: form.first("reason"), reference: form.first("reference")),
                                         listing: listing, role: role, identity: identity)
                return WebKit.redirect("/cloud/ready-listings/\(listing.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await readyPage(request, context, problem: problem)
            }
        }
        routes.post("/cloud/ready-listings/{id}/evidence") { request, context in
            let (listing, role) = try await ready(context)
            let form = try await FormData.read(request, limit: services.config.maxUploadBytes)
            do {
                try ReadyDesk.checkEvidenceAllowed(listing, role: role)
                let file = try Self.uploaded(form)
                _ = try await Registry(services: services).addAttachment(ownerType: "cloud.ready", ownerID: listing.id!, organisationID: listing.organisationID,
                                                                         filename: file.filename, mediaType: Registry.mediaType(of: file), content: file.data,
                                                                         by: try context.requireIdentity())
                return WebKit.redirect("/cloud/ready-listings/\(listing.id!)#evidence")
            } catch let problem as Problem where problem.status.code < 500 && problem.status != .notFound {
                return try await readyPage(request, context, problem: problem)
            }
        }
        routes.post("/cloud/ready-listings/{id}/reports") { request, context in
            let (listing, role) = try await ready(context)
            guard role != nil else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await ReadyDesk(services: services).fileReport(listing, .init(progress: form.first("progress"), targetApplicationDate: form.first("targetApplicationDate")),
                                                                   identity: try context.requireIdentity())
                return WebKit.redirect("/cloud/ready-listings/\(listing.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await readyPage(request, context, problem: problem)
            }
        }

        routes.get("/cloud/fast-track-applications/{id}") { request, context in try await fastTrackPage(request, context, problem: nil) }
        routes.get("/cloud/fast-track-applications/{id}/edit") { request, context in
            let (record, role) = try await fastTrack(context)
            guard role == .provider else { throw Problem.notFound }
            let cert = try await FastTrackDesk(services: services).certificate(of: record, on: db)
            return try await provider.fastTrackForm(request, context, values: ["issuer": cert.issuer, "certificateNumber": cert.certificateNumber, "scope": cert.scope,
                                                                               "coversService": cert.coversService ? "true" : "", "validFrom": cert.validFrom,
                                                                               "validUntil": cert.validUntil],
                                                    problem: nil, action: "/cloud/fast-track-applications/\(record.id!)", withService: false)
        }
        routes.post("/cloud/fast-track-applications/{id}") { request, context in
            let (record, role) = try await fastTrack(context)
            guard role == .provider else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await FastTrackDesk(services: services).updateCertificate(record, FastTrackInput(serviceId: record.serviceID,
                    certificate: provider.certificateInput(form, kind: CertificationKind.iso27017.rawValue)), identity: try context.requireIdentity())
                return WebKit.redirect("/cloud/fast-track-applications/\(record.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                var values = provider.formValues(form, ProviderPages.certificateNames)
                values["coversService"] = form.flag("coversService") ? "true" : ""
                return try await provider.fastTrackForm(request, context, values: values, problem: problem, action: "/cloud/fast-track-applications/\(record.id!)",
                                                        withService: false)
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/events") { request, context in
            let (record, role) = try await fastTrack(context)
            guard let role, let identity = context.identity else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            return try await act(request, context, record: record) {
                try await api.fastTrackEvent(.init(event: form.first("event") ?? "", reason: form.first("reason"),
                                                   questionSetId: form.first("questionSetId").flatMap(UUID.init(uuidString:))),
                                             record: record, role: role, identity: identity)
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/answers/{question}") { request, context in
            let (record, _) = try await fastTrack(context)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            return try await act(request, context, record: record, anchor: "q-\(try context.pathUUID("question"))") {
                _ = try await FastTrackDesk(services: services).answer(record, questionID: try context.pathUUID("question"), text: form.first("answer"), identity: try context.requireIdentity())
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/answers/{question}/attachments") { request, context in
            let (record, _) = try await fastTrack(context)
            let form = try await FormData.read(request, limit: services.config.maxUploadBytes)
            let questionID = try context.pathUUID("question")
            return try await act(request, context, record: record, anchor: "q-\(questionID)") {
                let identity = try context.requireIdentity()
                let answer = try await FastTrackDesk(services: services).attachableAnswer(record, questionID: questionID, identity: identity)
                let file = try Self.uploaded(form)
                _ = try await Registry(services: services).addAttachment(ownerType: "cloud.answer", ownerID: answer.id!, organisationID: record.organisationID,
                                                                         filename: file.filename, mediaType: Registry.mediaType(of: file), content: file.data, by: identity)
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/answers/{question}/finding") { request, context in
            let identity = try context.require(.reviewer)
            let (record, _) = try await fastTrack(context)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            let questionID = try context.pathUUID("question")
            return try await act(request, context, record: record, anchor: "q-\(questionID)") {
                guard let answer = try await AnswerRecord.query(on: db).filter(\.$applicationID == record.id!).filter(\.$questionID == questionID).first() else {
                    throw Problem.conflict(.init(ja: "この質問にはまだ回答がありません。", en: "The question has not been answered yet."))
                }
                try await FastTrackDesk(services: services).review(record, answer: answer, finding: form.first("finding"), note: form.first("note"), identity: identity)
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/remediations") { request, context in
            let (record, _) = try await fastTrack(context)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            return try await act(request, context, record: record, anchor: "remediation") {
                _ = try await FastTrackDesk(services: services).addRemediation(record, .init(questionId: form.first("questionId").flatMap(UUID.init(uuidString:)),
                    title: form.first("title"), description: form.first("description"), owner: form.first("owner"), dueDate: form.first("dueDate")), identity: try context.requireIdentity())
            }
        }
        routes.post("/cloud/fast-track-applications/{id}/remediations/{item}/events") { request, context in
            let (record, _) = try await fastTrack(context)
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            guard let item = try await RemediationRecord.find(try context.pathUUID("item"), on: db), item.applicationID == record.id! else { throw Problem.notFound }
            return try await act(request, context, record: record, anchor: "remediation") {
                guard let event = RemediationEvent(rawValue: form.first("event") ?? "") else {
                    throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "Unknown action.", detailJa: "操作の指定が正しくありません。")])
                }
                try await FastTrackDesk(services: services).remediation(event, item: item, record: record, identity: try context.requireIdentity())
            }
        }

        routes.get("/cloud/registrations/{id}") { request, context in try await registrationPage(request, context, problem: nil) }
        routes.get("/cloud/registrations/{id}/edit") { request, context in
            let (record, role) = try await registration(context)
            guard role == .provider else { throw Problem.notFound }
            let sponsors = try await SponsorRecord.query(on: db).filter(\.$registrationID == record.id!).filter(\.$until == nil).all().map(\.agency)
            return try await provider.registrationForm(request, context, values: [
                "auditFirm": record.auditFirm ?? "", "auditReportDate": record.auditReportDate ?? "", "scope": record.scope ?? "", "biaAgency": record.biaAgency ?? "",
                "biaDate": record.biaDate ?? "", "biaSummary": record.biaSummary ?? "", "sponsors": sponsors.joined(separator: "\n"),
            ], problem: nil, action: "/cloud/registrations/\(record.id!)", withService: false)
        }
        routes.post("/cloud/registrations/{id}") { request, context in
            let (record, role) = try await registration(context)
            guard role == .provider else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await RegistrationDesk(services: services).update(record, provider.registrationInput(form), identity: try context.requireIdentity())
                return WebKit.redirect("/cloud/registrations/\(record.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await provider.registrationForm(request, context, values: provider.formValues(form, ProviderPages.registrationNames), problem: problem,
                                                           action: "/cloud/registrations/\(record.id!)", withService: false)
            }
        }
        routes.post("/cloud/registrations/{id}/events") { request, context in
            let (record, role) = try await registration(context)
            guard let role, let identity = context.identity else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                guard let event = RegistrationEvent(rawValue: form.first("event") ?? "") else {
                    throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "Unknown action.", detailJa: "操作の指定が正しくありません。")])
                }
                try await RegistrationDesk(services: services).perform(event, on: record, actor: Actor(identity), role: role, reason: form.text("reason"))
                return WebKit.redirect("/cloud/registrations/\(record.id!)")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await registrationPage(request, context, problem: problem)
            }
        }
        routes.post("/cloud/registrations/{id}/sponsors") { request, context in
            let (record, role) = try await registration(context)
            guard role != nil, let identity = context.identity else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: services.config.maxBodyBytes)
            do {
                try await RegistrationDesk(services: services).addSponsor(form.first("agency"), to: record, identity: identity)
                return WebKit.redirect("/cloud/registrations/\(record.id!)#sponsors")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await registrationPage(request, context, problem: problem)
            }
        }
        routes.post("/cloud/registrations/{id}/sponsors/{sponsor}/end") { request, context in
            let (record, role) = try await registration(context)
            guard role != nil, let identity = context.identity else { throw Problem.notFound }
            guard let sponsor = try await SponsorRecord.find(try context.pathUUID("sponsor"), on: db), sponsor.registrationID == record.id! else { throw Problem.notFound }
            do {
                try await RegistrationDesk(services: services).endSponsor(sponsor, of: record, identity: identity)
                return WebKit.redirect("/cloud/registrations/\(record.id!)#sponsors")
            } catch let problem as Problem where problem.status.code < 500 {
                return try await registrationPage(request, context, problem: problem)
            }
        }
    }

    // MARK: lookups

    func ready(_ context: AppContext) async throws -> (ReadyListingRecord, WorkflowRole?) {
        let record = try await ReadyListingRecord.find(try context.pathUUID("id"), on: db)
        return try views.visible(record, organisation: \.organisationID, isPublished: { $0.listedOn != nil }, context: context)
    }

    func fastTrack(_ context: AppContext) async throws -> (FastTrackRecord, WorkflowRole?) {
        let record = try await FastTrackRecord.find(try context.pathUUID("id"), on: db)
        return try views.visible(record, organisation: \.organisationID, isPublished: { $0.grantedOn != nil }, context: context)
    }

    func registration(_ context: AppContext) async throws -> (RegistrationRecord, WorkflowRole?) {
        let record = try await RegistrationRecord.find(try context.pathUUID("id"), on: db)
        return try views.visible(record, organisation: \.organisationID, isPublished: { $0.registeredOn != nil }, context: context)
    }

    /// Runs a Fast Track change; on a refusal the page is shown again with the reasons at the top.
    func act(_ request: Request, _ context: AppContext, record: FastTrackRecord, anchor: String? = nil, _ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
            return WebKit.redirect("/cloud/fast-track-applications/\(record.id!)" + (anchor.map { "#\($0)" } ?? ""))
        } catch let problem as Problem where problem.status.code < 500 && problem.status != .notFound {
            return try await fastTrackPage(request, context, problem: problem)
        }
    }

    /// The file a form sent as `file`, or a field error asking for one.
    static func uploaded(_ form: FormData) throws -> UploadedFile {
        guard let file = form.file("file") else {
            throw Problem.validation([FieldError(pointer: "/file", code: "missing", detail: "Choose a file to attach.", detailJa: "添付するファイルを選んでください。")])
        }
        return file
    }

    func fact(_ label: String, _ value: String, _ context: AppContext) -> [String: Any] { ["label": kit.t(label, context), "value": value] }

    // MARK: ISMAP-Ready

    func readyValues(_ r: ReadyListingRecord) -> [String: String] {
        ["auditFirm": r.auditFirm, "auditContractDate": r.auditContractDate, "gapAssessmentDone": r.gapAssessmentDate != nil ? "true" : "",
         "gapAssessmentDate": r.gapAssessmentDate ?? "", "targetList": r.targetList, "targetApplicationDate": r.targetApplicationDate, "scope": r.scope,
         "pocAvailable": r.pocAvailable ? "true" : ""]
    }

    func readyEdit(_ request: Request, _ context: AppContext, listing: ReadyListingRecord, values: [String: String], problem: Problem?) async throws -> Response {
        let t = { kit.t($0, context) }
        let spec = FormSpec(heading: t("cloud.ready.edit"), intro: listing.number, action: "/cloud/ready-listings/\(listing.id!)", submit: t("cloud.action.save"),
                            fields: provider.readyFields(values, context: context, options: nil), cancel: ("/cloud/ready-listings/\(listing.id!)", t("cloud.action.cancel")))
        return kit.page("cloud-form", title: spec.heading, crumbs: [(listing.number, "/cloud/ready-listings/\(listing.id!)"), (spec.heading, nil)],
                        values: spec.values(problem: problem, language: context.language), status: problem?.status ?? .ok, request: request, context: context)
    }

    func readyPage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let (listing, role) = try await ready(context)
        let dto = try await views.ready(listing, role: role)
        let base = "/cloud/ready-listings/\(listing.id!)/events"
        let actions: [WebKit.Action] = dto.availableEvents.compactMap { event in
            switch ReadyEvent(rawValue: event) {
            case .submit, .list: return .init(event: event, action: base)
            case .return: return .init(event: event, action: base, needsReason: true, secondary: true)
            case .markApplied: return .init(event: event, action: base, needsReference: true, secondary: true)
            case .markRegistered: return .init(event: event, action: base, needsReference: true, secondary: true)
            case .withdraw: return .init(event: event, action: base, secondary: true)
            default: return nil
            }
        }
        let facts = [
            fact("cloud.field.service", kit.paren(dto.serviceName, dto.serviceNumber, context), context),
            fact("cloud.field.status", kit.status(.ready, dto.status, context), context),
            fact("cloud.field.auditFirm", dto.auditFirm, context),
            fact("cloud.field.auditContractDate", kit.date(dto.auditContractDate, context), context),
            fact("cloud.field.gapAssessmentDate", kit.date(dto.gapAssessmentDate, context), context),
            fact("cloud.field.targetList", kit.listName(dto.targetList, context), context),
            fact("cloud.field.targetApplicationDate", kit.date(dto.targetApplicationDate, context), context),
            fact("cloud.field.readyScope", dto.scope, context),
            fact("cloud.field.pocAvailable", kit.t(dto.pocAvailable ? "cloud.yes" : "cloud.no", context), context),
            fact("cloud.since.ready", kit.date(dto.listedOn, context), context),
            fact("cloud.until.ready", kit.date(dto.nextReportDue, context), context),
        ] + (dto.appliedReference.map { [fact("cloud.field.reference", $0, context)] } ?? [])
          + (dto.registrationNumber.map { [fact("cloud.field.registration", $0, context)] } ?? [])
        let canReport = role == .provider && [.listed, .lapsed, .applied].contains(listing.state)
        var values: [String: Any] = [
            "heading": "\(kit.t("cloud.lists.ready", context)) \(dto.number)", "number": dto.number, "facts": facts,
            "serviceHref": "/cloud/services/\(dto.serviceNumber)", "reason": dto.lastReason ?? "", "hasReason": dto.lastReason != nil && listing.state == .returned,
            "lapsed": listing.state == .lapsed, "actions": kit.actions(actions, context), "hasActions": !actions.isEmpty,
            "canEdit": role == .provider && [.draft, .returned].contains(listing.state), "editHref": "/cloud/ready-listings/\(listing.id!)/edit",
            "canReport": canReport, "reportAction": "/cloud/ready-listings/\(listing.id!)/reports",
            "reportIntro": try await kit.cycleText("cloud.ready.reportIntro", context), "progressHint": try await kit.cycleText("cloud.hint.progress", context),
            "reports": dto.reports.map { ["filed": kit.dateTime($0.filedAt, context), "due": kit.date($0.periodDue, context), "progress": $0.progress] },
            "hasReports": !dto.reports.isEmpty, "history": kit.history(dto.history, context), "hasHistory": !dto.history.isEmpty,
            "apiHref": "/api/v1/cloud/ready/\(dto.number)",
            "canAttach": role == .provider && ![ReadyStatus.registered, .withdrawn].contains(listing.state),
            "attachAction": "/cloud/ready-listings/\(listing.id!)/evidence",
            "showEvidence": dto.evidence != nil, "evidence": (dto.evidence ?? []).map { ["name": $0.filename, "href": $0.url] }, "hasEvidence": dto.evidence?.isEmpty == false,
        ]
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return kit.page("cloud-ready", title: dto.number, crumbs: [(kit.t("cloud.lists.ready", context), "/cloud/lists/ready"), (dto.number, nil)],
                        values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    // MARK: Fast Track

    func fastTrackPage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let (record, role) = try await fastTrack(context)
        let dto = try await views.fastTrack(record, role: role)
        let base = "/cloud/fast-track-applications/\(record.id!)/events"
        var sets: [(value: String, label: String)] = []
        if dto.availableEvents.contains("grant") {
            sets = try await QuestionSetRecord.query(on: db).sort(\.$code).sort(\.$version, .descending).all().map { ($0.id!.uuidString, "\($0.title)（\($0.code) v\($0.version)）") }
        }
        let actions: [WebKit.Action] = dto.availableEvents.compactMap { event in
            switch FastTrackEvent(rawValue: event) {
            case .submit, .verify, .promote: return .init(event: event, action: base)
            case .grant: return .init(event: event, action: base, choices: sets, choiceName: "questionSetId")
            case .return, .revoke: return .init(event: event, action: base, needsReason: true, secondary: true)
            case .withdraw: return .init(event: event, action: base, secondary: true)
            default: return nil
            }
        }
        let cert = dto.certificate
        var facts = [
            fact("cloud.field.service", kit.paren(dto.serviceName, dto.serviceNumber, context), context),
            fact("cloud.field.status", kit.status(.fastTrack, dto.status, context), context),
            fact("cloud.field.certificateNumber", cert.certificateNumber, context),
            fact("cloud.field.issuer", cert.issuer, context),
            fact("cloud.field.scope", cert.scope, context),
            fact("cloud.field.validity", "\(kit.date(cert.validFrom, context)) – \(kit.date(cert.validUntil, context))", context),
            fact("cloud.field.coversService", kit.t(cert.coversService ? "cloud.yes" : "cloud.no", context), context),
            fact("cloud.field.verified", kit.t(cert.verified ? "cloud.yes" : "cloud.no", context), context),
        ]
        if let granted = dto.grantedOn {
            facts.append(fact("cloud.since.fastTrack", kit.date(granted, context), context))
            facts.append(fact("cloud.field.startsOn", kit.date(dto.startsOn, context), context))
            facts.append(fact("cloud.until.fastTrack", kit.date(dto.provisionalUntil, context), context))
        }
        if let number = dto.registrationNumber { facts.append(fact("cloud.field.registration", number, context)) }
        var values: [String: Any] = [
            "heading": "\(kit.t("cloud.lists.fastTrack", context)) \(dto.number)", "number": dto.number, "facts": facts,
            "serviceHref": "/cloud/services/\(dto.serviceNumber)", "reason": dto.lastReason ?? "",
            "hasReason": dto.lastReason != nil && [.returned, .revoked].contains(record.state),
            "actions": kit.actions(actions, context), "hasActions": !actions.isEmpty,
            "canEdit": role == .provider && [.draft, .returned].contains(record.state), "editHref": "/cloud/fast-track-applications/\(record.id!)/edit",
            "isProvisional": record.state == .provisional, "history": kit.history(dto.history, context), "hasHistory": !dto.history.isEmpty,
            "reminders": dto.reminders.map { ["months": $0.months, "date": kit.date($0.date, context)] }, "hasReminders": !dto.reminders.isEmpty,
            "apiHref": "/api/v1/cloud/fast-track/\(dto.number)",
            "certFiles": (cert.evidence ?? []).map { ["name": $0.filename, "href": $0.url] }, "hasCertFiles": cert.evidence?.isEmpty == false,
            "procurementNote": record.state == .provisional,
        ]
        if let period = record.period { values["explanation"] = period.explanation.text(context.language) }
        if role != nil && record.state == .provisional {
            values.merge(try await questionnaire(record, role: role!, context)) { $1 }
        }
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return kit.page("cloud-fast-track", title: dto.number, crumbs: [(kit.t("cloud.lists.fastTrack", context), "/cloud/lists/fast-track"), (dto.number, nil)],
                        values: values, status: problem?.status ?? .ok, request: request, context: context)
    }

    func questionnaire(_ record: FastTrackRecord, role: WorkflowRole, _ context: AppContext) async throws -> [String: Any] {
        let q = try await views.questionnaire(record)
        let blockers = try await FastTrackDesk(services: services).promotionBlockers(record).map { $0.text.text(context.language) }
        let english = context.language == .en
        let base = "/cloud/fast-track-applications/\(record.id!)"
        let questions = q.questions.map { item -> [String: Any] in
            let finding = item.finding.flatMap(Finding.init(rawValue:))
            return WebKit.nonEmpty([
                "id": item.questionId.uuidString, "number": item.number, "category": item.category, "text": english ? (item.textEn ?? item.text) : item.text,
                "guidance": (english ? (item.guidanceEn ?? item.guidance) : item.guidance) ?? "", "controls": item.controls.joined(separator: ", "),
                "answer": item.answer ?? "", "answered": item.answer != nil, "answeredAt": kit.dateTime(item.answeredAt, context),
                "finding": finding.map { kit.t("cloud.finding.\($0.rawValue)", context) } ?? "", "hasFinding": finding != nil,
                "findingClass": finding == .ok ? "status-live" : "status-preparing", "note": item.findingNote ?? "",
                "canAnswer": role == .provider && finding != .ok, "canReview": role == .reviewer && item.answer != nil,
                "answerAction": "\(base)/answers/\(item.questionId)", "attachAction": "\(base)/answers/\(item.questionId)/attachments",
                "canAttach": role == .provider && item.answer != nil && finding != .ok, "findingAction": "\(base)/answers/\(item.questionId)/finding",
                "findings": Finding.allCases.map { ["value": $0.rawValue, "label": kit.t("cloud.finding.\($0.rawValue)", context), "checked": $0 == finding] },
                "files": item.attachments.map { ["name": $0.filename, "href": $0.url] },
            ])
        }
        let remediations = q.remediations.map { item -> [String: Any] in
            let state = RemediationStatus(rawValue: item.status) ?? .open
            let events = RemediationWorkflow.table.available(from: state, by: role)
            return WebKit.nonEmpty(["title": item.title, "description": item.description ?? "", "owner": item.owner, "due": kit.date(item.dueDate, context),
                    "question": item.questionNumber ?? "—", "status": kit.t("cloud.remediation.\(item.status)", context), "closed": state == .closed,
                    "events": events.map { ["event": $0.rawValue, "label": kit.t("cloud.event.\($0.rawValue)", context), "action": "\(base)/remediations/\(item.id)/events"] }])
        }
        return [
            "hasQuestionnaire": true, "questionSet": q.questionSet ?? "—", "questions": questions, "remediations": remediations,
            "hasRemediations": !remediations.isEmpty, "blockers": blockers, "hasBlockers": !blockers.isEmpty,
            "blockerCount": blockers.count, "answeredCount": q.questions.filter { $0.answer != nil }.count, "questionCount": q.questions.count,
            "remediationAction": "\(base)/remediations",
            "questionOptions": [["value": "", "label": kit.t("cloud.action.none", context)]] + q.questions.map { ["value": $0.questionId.uuidString, "label": $0.number] },
        ]
    }

    // MARK: registrations

    func registrationPage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let (record, role) = try await registration(context)
        let dto = try await views.registration(record, role: role)
        let base = "/cloud/registrations/\(record.id!)/events"
        let actions: [WebKit.Action] = dto.availableEvents.compactMap { event in
            switch RegistrationEvent(rawValue: event) {
            case .submit, .register, .reinstate: return .init(event: event, action: base)
            case .return, .suspend, .remove: return .init(event: event, action: base, needsReason: true, secondary: true)
            case .withdraw: return .init(event: event, action: base, secondary: true)
            default: return nil
            }
        }
        let list = record.cloudList
        var facts = [
            fact("cloud.field.service", kit.paren(dto.serviceName, dto.serviceNumber, context), context),
            fact("cloud.field.list", kit.listName(dto.list, context), context),
            fact("cloud.field.status", kit.status(list, dto.status, context), context),
            fact("cloud.field.source", kit.t("cloud.source.\(dto.source)", context), context),
            fact("cloud.field.auditFirm", dto.auditFirm ?? "—", context),
            fact("cloud.field.auditReportDate", kit.date(dto.auditReportDate, context), context),
            fact("cloud.field.registrationScope", dto.scope ?? "—", context),
            fact("cloud.since.\(dto.list)", kit.date(dto.registeredOn, context), context),
        ]
        if let bia = dto.businessImpactAssessment {
            facts.append(fact("cloud.field.biaAgency", kit.paren(bia.agency, kit.date(bia.assessedOn, context), context), context))
        } else {
            facts.append(fact("cloud.field.biaAgency", kit.t(list == .liu ? "cloud.registration.noBiaLIU" : "cloud.registration.noBia", context), context))
        }
        if let number = dto.fastTrackNumber { facts.append(fact("cloud.field.fastTrack", number, context)) }
        let sponsors = dto.sponsors.map { s -> [String: Any] in
            ["agency": s.agency, "since": kit.date(s.since, context), "until": kit.date(s.until, context), "active": s.until == nil,
             "endAction": "/cloud/registrations/\(record.id!)/sponsors/\(s.id)/end"]
        }
        var values: [String: Any] = [
            "heading": "\(kit.listName(dto.list, context)) \(dto.number)", "number": dto.number, "facts": facts, "isLIU": list == .liu,
            "serviceHref": "/cloud/services/\(dto.serviceNumber)", "reason": dto.lastReason ?? "",
            "hasReason": dto.lastReason != nil && [.returned, .suspended, .removed].contains(record.state),
            "actions": kit.actions(actions, context), "hasActions": !actions.isEmpty,
            "canEdit": role == .provider && [.draft, .returned].contains(record.state), "editHref": "/cloud/registrations/\(record.id!)/edit",
            "sponsors": sponsors, "hasSponsors": !sponsors.isEmpty, "canSponsor": role != nil && !record.state.isTerminal,
            "sponsorAction": "/cloud/registrations/\(record.id!)/sponsors",
            "history": kit.history(dto.history, context), "hasHistory": !dto.history.isEmpty, "apiHref": "/api/v1/cloud/registrations/\(dto.number)",
        ]
        if let problem { values.merge(FormErrors(problem, language: context.language).values) { $1 } }
        return kit.page("cloud-registration", title: dto.number, crumbs: [(kit.listName(dto.list, context), "/cloud/lists/\(dto.list)"), (dto.number, nil)],
                        values: values, status: problem?.status ?? .ok, request: request, context: context)
    }
}
