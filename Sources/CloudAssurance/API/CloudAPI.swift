import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

extension Request {
    /// The query string as a dictionary (the first value of a repeated name wins).
    var query: [String: String] {
        var out: [String: String] = [:]
        for (key, value) in uri.queryParameters where out[String(key)] == nil { out[String(key)] = String(value) }
        return out
    }
}

extension AppContext {
    func path(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty, value.count <= 100 else { throw Problem.notFound }
        return value
    }
    func pathUUID(_ name: String) throws -> UUID {
        guard let value = parameters.get(name, as: UUID.self) else { throw Problem.notFound }
        return value
    }
}

/// The module's JSON API under `/api/v1/cloud/`.
struct CloudAPI {
    let services: Services
    var db: any Database { services.db }
    var today: LocalDate { JapanTime.date(of: services.now) }
    var views: RecordViews { RecordViews(services: services) }
    /// Catalogue imports carry whole OSCAL documents (the NIST baseline is 2.6 MB).
    static let importLimit = 16 << 20

    struct EventInput: Codable, Sendable {
        var event: String
        var reason: String?
        var reference: String?
        var questionSetId: UUID?
    }

    func limit() -> Int { services.config.maxBodyBytes }

    func register(_ routes: Routes) {
        for (name, schema) in CloudSchemas.all { routes.schema(name, schema) }
        registerRegistry(routes)
        registerReady(routes)
        registerFastTrack(routes)
        registerRegistrations(routes)
        registerCatalogues(routes)
        registerTools(routes)
    }

    // MARK: registry

    static let listParam = APIOperation.Parameter("list", in: .path, schema: CloudSchemas.listEnum, description: "ismap, liu, ready or fast-track")
    static let numberParam = APIOperation.Parameter("number", in: .path, schema: .string(maxLength: 40), description: "Public record number, e.g. CS-2026-0001")

    func registerRegistry(_ routes: Routes) {
        routes.api(.init(method: "GET", path: "/api/v1/cloud/lists/{list}", operationID: "listCloudList",
                         summary: "A public list (ISMAP, ISMAP-LIU, ISMAP-Ready, Fast Track provisional) with filters, search, sorting and paging",
                         tag: "cloud", parameters: [Self.listParam] + ListQuery.parameters + PageRequest.parameters,
                         responses: [200: .init("Page of list entries", schema: PageOf<ListEntryDTO>.schema(.ref("CloudListEntry")))], authenticated: false)) { request, context in
            guard let list = CloudList(rawValue: try context.path("list")) else { throw Problem.notFound }
            let query = try ListQuery.parse(list, query: request.query)
            let page = try PageRequest.parse(request)
            let (items, total) = try await query.page(page, on: db)
            return try API.publicJSON(PageOf(items: items.map(ListEntryDTO.init), total: total, request: page), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/cloud/services", operationID: "listCloudServices",
                         summary: "Services the caller manages (members: their organisation's; reviewers: all)", tag: "cloud",
                         parameters: PageRequest.parameters, responses: [200: .init("Page of services", schema: PageOf<ServiceDTO>.schema(.ref("CloudService")))],
                         authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let page = try PageRequest.parse(request)
            var query = CloudServiceRecord.query(on: db)
            if !identity.isReviewer { query = query.filter(\.$organisationID == (identity.organisationID ?? UUID())) }
            let total = try await query.count()
            var items: [ServiceDTO] = []
            for service in try await query.sort(\.$name).sort(\.$number).range(page.offset..<(page.offset + page.limit)).all() {
                items.append(try await ServiceView.dto(service, on: db, today: today, includePrivate: true))
            }
            return try API.json(PageOf(items: items, total: total, request: page))
        }

        routes.api(.init(method: "POST", path: "/api/v1/cloud/services", operationID: "createCloudService", summary: "Register a cloud service",
                         tag: "cloud", requestBody: .ref("CloudServiceInput"),
                         responses: [201: .init("Created", schema: .ref("CloudService"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let input = try await API.decode(ServiceInput.self, from: request, limit: limit())
            let service = try await Registry(services: services).createService(input, by: identity)
            return try API.json(try await ServiceView.dto(service, on: db, today: today, includePrivate: true), status: .created,
                                headers: [.location: "/api/v1/cloud/services/\(service.number)"])
        }

        routes.api(.init(method: "GET", path: "/api/v1/cloud/services/{number}", operationID: "getCloudService",
                         summary: "A cloud service (public once on a list; its provider and reviewers always)", tag: "cloud", parameters: [Self.numberParam],
                         responses: [200: .init("Service", schema: .ref("CloudService"))], authenticated: false)) { request, context in
            let (service, role) = try await views.service(number: try context.path("number"), context: context)
            let dto = try await ServiceView.dto(service, on: db, today: today, includePrivate: role != nil)
            return role == nil ? try API.publicJSON(dto, request: request) : try API.json(dto)
        }

        routes.api(.init(method: "PUT", path: "/api/v1/cloud/services/{number}", operationID: "updateCloudService",
                         summary: "Update a service (a new public version once it is listed)", tag: "cloud", parameters: [Self.numberParam],
                         requestBody: .ref("CloudServiceInput"), responses: [200: .init("Service", schema: .ref("CloudService"))], authenticated: true)) { request, context in
            let (service, identity) = try await ownedService(context)
            let input = try await API.decode(ServiceInput.self, from: request, limit: limit())
            try await Registry(services: services).updateService(service, input, by: identity)
            return try API.json(try await ServiceView.dto(service, on: db, today: today, includePrivate: true))
        }

        routes.api(.init(method: "GET", path: "/api/v1/cloud/services/{number}/history", operationID: "getCloudServiceHistory",
                         summary: "Status history of every list record of a service, with transparency-log indexes", tag: "cloud", parameters: [Self.numberParam],
                         responses: [200: .init("Status changes, oldest first", schema: .array(.ref("CloudStatusEvent")))], authenticated: false)) { request, context in
            let (service, role) = try await views.service(number: try context.path("number"), context: context)
            var query = StatusEventRecord.query(on: db).filter(\.$serviceID == service.id!)
            if role == nil { query = query.filter(\.$isPublic == true) }
            let items = try await query.sort(\.$seq).all().map(StatusEventDTO.init)
            return role == nil ? try API.publicJSON(items, request: request) : try API.json(items)
        }

        routes.api(.init(method: "POST", path: "/api/v1/cloud/services/{number}/certifications", operationID: "addCloudCertification",
                         summary: "Record a certification of a service", tag: "cloud", parameters: [Self.numberParam], requestBody: .ref("CloudCertificationInput"),
                         responses: [201: .init("Created", schema: .ref("CloudCertification"))], authenticated: true)) { request, context in
            let (service, identity) = try await ownedService(context)
            let input = try await API.decode(CertificationInput.self, from: request, limit: limit())
            let cert = try await Registry(services: services).addCertification(to: service, input, by: identity)
            return try API.json(CertificationDTO(cert, today: today), status: .created)
        }

        let certParam = APIOperation.Parameter("certificationId", in: .path, schema: .uuid, description: "Certification id")
        routes.api(.init(method: "DELETE", path: "/api/v1/cloud/services/{number}/certifications/{certificationId}", operationID: "removeCloudCertification",
                         summary: "Remove a certification (kept in the history)", tag: "cloud", parameters: [Self.numberParam, certParam],
                         responses: [204: .init("Removed", schema: nil)], authenticated: true)) { _, context in
            let (service, identity) = try await ownedService(context)
            let cert = try await certification(context, service: service)
            try await Registry(services: services).removeCertification(cert, of: service, by: identity)
            return Response(status: .noContent)
        }

        routes.api(.init(method: "POST", path: "/api/v1/cloud/services/{number}/certifications/{certificationId}/verification", operationID: "verifyCloudCertification",
                         summary: "Mark a certification as checked with its issuer (reviewers)", tag: "cloud", parameters: [Self.numberParam, certParam],
                         responses: [200: .init("Certification", schema: .ref("CloudCertification"))], authenticated: true)) { _, context in
            let identity = try context.require(.reviewer)
            let (service, _) = try await ownedService(context)
            let cert = try await certification(context, service: service)
            try await Registry(services: services).verifyCertification(cert, of: service, by: identity)
            return try API.json(CertificationDTO(cert, today: today))
        }

        routes.api(.init(method: "POST", path: "/api/v1/cloud/services/{number}/certifications/{certificationId}/evidence", operationID: "addCloudCertificationEvidence",
                         summary: "Attach the certificate file (PDF, PNG, JPEG; base64)", tag: "cloud", parameters: [Self.numberParam, certParam],
                         requestBody: .ref("CloudEvidenceInput"), responses: [201: .init("Attached", schema: .ref("CloudAttachment"))], authenticated: true)) { request, context in
            let (service, identity) = try await ownedService(context)
            let cert = try await certification(context, service: service)
            let file = try await evidence(request, ownerType: "cloud.certification", ownerID: cert.id!, organisation: service.organisationID, identity: identity)
            return try API.json(AttachmentDTO(file), status: .created)
        }

        routes.api(.init(method: "GET", path: "/api/v1/cloud/attachments/{id}", operationID: "getCloudAttachment",
                         summary: "Download an evidence file (its provider and reviewers)", tag: "cloud",
                         parameters: [.init("id", in: .path, schema: .uuid, description: "Attachment id")],
                         responses: [200: .init("The file", contentType: "application/octet-stream", schema: .string(format: "binary"))], authenticated: true)) { _, context in
            let identity = try context.requireIdentity()
            guard let file = try await AttachmentRecord.find(try context.pathUUID("id"), on: db), identity.canAccess(organisation: file.organisationID) else {
                throw Problem.notFound
            }
            var headers = HTTPFields()
            // Always a download: evidence is never rendered inline by the browser.
            headers[.contentType] = "application/octet-stream"
            headers[.contentDisposition] = "attachment; filename=\"\(file.filename.filter { $0 != "\"" && $0.isASCII })\"; filename*=UTF-8''\(URLQuery.encode(file.filename))"
            headers[.cacheControl] = "private, no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: file.content)))
        }
    }

    func ownedService(_ context: AppContext) async throws -> (CloudServiceRecord, Identity) {
        let identity = try context.requireIdentity()
        let number = try context.path("number")
        guard number.count <= 40, let service = try await CloudServiceRecord.query(on: db).filter(\.$number == number).first(),
              Access.role(identity, organisation: service.organisationID) != nil else { throw Problem.notFound }
        return (service, identity)
    }

    func certification(_ context: AppContext, service: CloudServiceRecord) async throws -> CertificationRecord {
        guard let cert = try await CertificationRecord.find(try context.pathUUID("certificationId"), on: db), cert.serviceID == service.id!, cert.removedAt == nil else {
            throw Problem.notFound
        }
        return cert
    }

    struct EvidenceInput: Codable, Sendable { var filename: String; var mediaType: String; var content: String }

    func evidence(_ request: Request, ownerType: String, ownerID: UUID, organisation: UUID, identity: Identity) async throws -> AttachmentRecord {
        let input = try await API.decode(EvidenceInput.self, from: request, limit: Registry.maxAttachmentBytes * 4 / 3 + 4096)
        guard let content = Data(base64Encoded: input.content, options: .ignoreUnknownCharacters) else {
            throw Problem.validation([FieldError(pointer: "/content", code: "invalid", detail: "content must be base64.", detailJa: "content はBase64で送ってください。")])
        }
        return try await Registry(services: services).addAttachment(ownerType: ownerType, ownerID: ownerID, organisationID: organisation,
                                                                    filename: input.filename, mediaType: input.mediaType, content: content, by: identity)
    }

    // MARK: ISMAP-Ready

    func registerReady(_ routes: Routes) {
        routes.api(.init(method: "POST", path: "/api/v1/cloud/ready", operationID: "declareCloudReady",
                         summary: "Declare that a service has started toward ISMAP registration (a draft; submit it with an event)", tag: "cloud-ready",
                         requestBody: .ref("CloudReadyInput"), responses: [201: .init("Created", schema: .ref("CloudReady"))], authenticated: true)) { request, context in
            let input = try await API.decode(ReadyDeclarationInput.self, from: request, limit: limit())
            let listing = try await ReadyDesk(services: services).declare(input, identity: try context.requireIdentity())
            return try API.json(try await views.ready(listing, role: .provider), status: .created, headers: [.location: "/api/v1/cloud/ready/\(listing.number)"])
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/ready/{number}", operationID: "getCloudReady", summary: "An ISMAP-Ready declaration",
                         tag: "cloud-ready", parameters: [Self.numberParam], responses: [200: .init("Declaration", schema: .ref("CloudReady"))], authenticated: false)) { request, context in
            let (listing, role) = try await views.readyListing(number: try context.path("number"), context: context)
            let dto = try await views.ready(listing, role: role)
            return role == nil ? try API.publicJSON(dto, request: request) : try API.json(dto)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/ready/{number}", operationID: "updateCloudReady", summary: "Correct a draft or returned declaration",
                         tag: "cloud-ready", parameters: [Self.numberParam], requestBody: .ref("CloudReadyInput"),
                         responses: [200: .init("Declaration", schema: .ref("CloudReady"))], authenticated: true)) { request, context in
            let (listing, role) = try await views.readyListing(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(ReadyDeclarationInput.self, from: request, limit: limit())
            try await ReadyDesk(services: services).update(listing, input, identity: try context.requireIdentity())
            return try API.json(try await views.ready(listing, role: role))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/ready/{number}/events", operationID: "actOnCloudReady",
                         summary: "submit, list, return (reason), mark-applied (reference), mark-registered (reference: registration number), withdraw",
                         tag: "cloud-ready", parameters: [Self.numberParam], requestBody: .ref("CloudEventInput"),
                         responses: [200: .init("Declaration", schema: .ref("CloudReady"))], authenticated: true)) { request, context in
            let (listing, role) = try await views.readyListing(number: try context.path("number"), context: context)
            guard let role, let identity = context.identity else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(EventInput.self, from: request, limit: limit())
            try await readyEvent(input, listing: listing, role: role, identity: identity)
            return try API.json(try await views.ready(listing, role: role))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/ready/{number}/evidence", operationID: "addCloudReadyEvidence",
                         summary: "Attach evidence of the declaration, e.g. the audit contract or the gap-assessment report (PDF, PNG, JPEG, text; base64)",
                         tag: "cloud-ready", parameters: [Self.numberParam], requestBody: .ref("CloudEvidenceInput"),
                         responses: [201: .init("Attached", schema: .ref("CloudAttachment"))], authenticated: true)) { request, context in
            let identity = try context.requireIdentity()
            let (listing, role) = try await views.readyListing(number: try context.path("number"), context: context)
            try ReadyDesk.checkEvidenceAllowed(listing, role: role)
            let file = try await evidence(request, ownerType: "cloud.ready", ownerID: listing.id!, organisation: listing.organisationID, identity: identity)
            return try API.json(AttachmentDTO(file), status: .created)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/ready/{number}/reports", operationID: "fileCloudReadyReport",
                         summary: "File the periodic progress report", tag: "cloud-ready", parameters: [Self.numberParam], requestBody: .ref("CloudReadyReportInput"),
                         responses: [201: .init("Declaration", schema: .ref("CloudReady"))], authenticated: true)) { request, context in
            let (listing, role) = try await views.readyListing(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(ReadyReportInput.self, from: request, limit: limit())
            try await ReadyDesk(services: services).fileReport(listing, input, identity: try context.requireIdentity())
            return try API.json(try await views.ready(listing, role: role), status: .created)
        }
    }

    /// Shared by the API and the pages.
    func readyEvent(_ input: EventInput, listing: ReadyListingRecord, role: WorkflowRole, identity: Identity) async throws {
        guard let event = ReadyEvent(rawValue: input.event), event != .lapse, event != .fileReport else {
            throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "event is one of submit, list, return, mark-applied, mark-registered, withdraw.",
                                                 detailJa: "操作の指定が正しくありません。")])
        }
        var reason: String?
        if event == .return { reason = try ReasonInput(reason: input.reason).validate() }
        var reference: String?
        var registration: RegistrationRecord?
        if event == .markApplied {
            var check = InputCheck()
            reference = check.text("/reference", input.reference, label: Label.reference, max: 200)
            try check.throwIfAny()
        }
        if event == .markRegistered {
            guard let number = input.reference, number.count <= 40,
                  let found = try await RegistrationRecord.query(on: db).filter(\.$number == number).first(), found.serviceID == listing.serviceID,
                  found.state == .registered else {
                throw Problem.validation([FieldError(pointer: "/reference", code: "invalid", detail: "Give the number of this service's registration (e.g. ISMAP-2026-0001).",
                                                     detailJa: "このサービスの登録番号（例: ISMAP-2026-0001）を入力してください。")])
            }
            registration = found
        }
        try await ReadyDesk(services: services).perform(event, on: listing, actor: Actor(identity), role: role, reason: reason, reference: reference, registration: registration)
    }

    // MARK: Fast Track

    func registerFastTrack(_ routes: Routes) {
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track", operationID: "applyCloudFastTrack",
                         summary: "Apply for a Fast Track provisional status with an ISO/IEC 27017 certificate (a draft; submit it with an event)", tag: "cloud-fast-track",
                         requestBody: .ref("CloudFastTrackInput"), responses: [201: .init("Created", schema: .ref("CloudFastTrack"))], authenticated: true)) { request, context in
            let input = try await API.decode(FastTrackInput.self, from: request, limit: limit())
            let record = try await FastTrackDesk(services: services).apply(input, identity: try context.requireIdentity())
            return try API.json(try await views.fastTrack(record, role: .provider), status: .created, headers: [.location: "/api/v1/cloud/fast-track/\(record.number)"])
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/fast-track/{number}", operationID: "getCloudFastTrack", summary: "A Fast Track application",
                         tag: "cloud-fast-track", parameters: [Self.numberParam], responses: [200: .init("Application", schema: .ref("CloudFastTrack"))], authenticated: false)) { request, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            let dto = try await views.fastTrack(record, role: role)
            return role == nil ? try API.publicJSON(dto, request: request) : try API.json(dto)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/fast-track/{number}", operationID: "updateCloudFastTrack", summary: "Replace the certificate of a draft or returned application",
                         tag: "cloud-fast-track", parameters: [Self.numberParam], requestBody: .ref("CloudFastTrackInput"),
                         responses: [200: .init("Application", schema: .ref("CloudFastTrack"))], authenticated: true)) { request, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(FastTrackInput.self, from: request, limit: limit())
            try await FastTrackDesk(services: services).updateCertificate(record, input, identity: try context.requireIdentity())
            return try API.json(try await views.fastTrack(record, role: role))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track/{number}/events", operationID: "actOnCloudFastTrack",
                         summary: "submit, verify, grant (optional questionSetId), return (reason), promote, withdraw, revoke (reason)", tag: "cloud-fast-track",
                         parameters: [Self.numberParam], requestBody: .ref("CloudEventInput"),
                         responses: [200: .init("Application", schema: .ref("CloudFastTrack"))], authenticated: true)) { request, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            guard let role, let identity = context.identity else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(EventInput.self, from: request, limit: limit())
            try await fastTrackEvent(input, record: record, role: role, identity: identity)
            return try API.json(try await views.fastTrack(record, role: role))
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/fast-track/{number}/questionnaire", operationID: "getCloudQuestionnaire",
                         summary: "Questions, answers, findings and remediation items (the provider and reviewers)", tag: "cloud-fast-track",
                         parameters: [Self.numberParam], responses: [200: .init("Questionnaire", schema: .ref("CloudQuestionnaire"))], authenticated: true)) { _, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            return try API.json(try await views.questionnaire(record))
        }
        let questionParam = APIOperation.Parameter("question", in: .path, schema: .string(maxLength: 20), description: "Question number, e.g. Q1.2")
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/fast-track/{number}/answers/{question}", operationID: "answerCloudQuestion",
                         summary: "Answer one question (the provider, while provisional)", tag: "cloud-fast-track", parameters: [Self.numberParam, questionParam],
                         requestBody: .ref("CloudAnswerInput"), responses: [200: .init("Questionnaire", schema: .ref("CloudQuestionnaire"))], authenticated: true)) { request, context in
            let (record, question) = try await questionOf(context)
            struct Input: Codable { var answer: String }
            let input = try await API.decode(Input.self, from: request, limit: limit())
            _ = try await FastTrackDesk(services: services).answer(record, questionID: question.id!, text: input.answer, identity: try context.requireIdentity())
            return try API.json(try await views.questionnaire(record))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track/{number}/answers/{question}/finding", operationID: "reviewCloudAnswer",
                         summary: "Record a finding on an answer: ok, gap or needs-info (reviewers)", tag: "cloud-fast-track", parameters: [Self.numberParam, questionParam],
                         requestBody: .ref("CloudFindingInput"), responses: [200: .init("Questionnaire", schema: .ref("CloudQuestionnaire"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let (record, question) = try await questionOf(context)
            struct Input: Codable { var finding: String; var note: String? }
            let input = try await API.decode(Input.self, from: request, limit: limit())
            guard let answer = try await AnswerRecord.query(on: db).filter(\.$applicationID == record.id!).filter(\.$questionID == question.id!).first() else {
                throw Problem.conflict(.init(ja: "この質問にはまだ回答がありません。", en: "The question has not been answered yet."))
            }
            try await FastTrackDesk(services: services).review(record, answer: answer, finding: input.finding, note: input.note, identity: identity)
            return try API.json(try await views.questionnaire(record))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track/{number}/answers/{question}/attachments", operationID: "attachCloudAnswerFile",
                         summary: "Attach a file to an answer (base64)", tag: "cloud-fast-track", parameters: [Self.numberParam, questionParam],
                         requestBody: .ref("CloudEvidenceInput"), responses: [201: .init("Attached", schema: .ref("CloudAttachment"))], authenticated: true)) { request, context in
            let (record, question) = try await questionOf(context)
            let identity = try context.requireIdentity()
            let answer = try await FastTrackDesk(services: services).attachableAnswer(record, questionID: question.id!, identity: identity)
            let file = try await evidence(request, ownerType: "cloud.answer", ownerID: answer.id!, organisation: record.organisationID, identity: identity)
            return try API.json(AttachmentDTO(file), status: .created)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track/{number}/remediations", operationID: "addCloudRemediation",
                         summary: "Add a remediation item with owner and due date", tag: "cloud-fast-track", parameters: [Self.numberParam],
                         requestBody: .ref("CloudRemediationInput"), responses: [201: .init("Remediation item", schema: .ref("CloudRemediation"))], authenticated: true)) { request, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(FastTrackDesk.RemediationInput.self, from: request, limit: limit())
            let item = try await FastTrackDesk(services: services).addRemediation(record, input, identity: try context.requireIdentity())
            let questionNumber = try await views.find(QuestionRecord.self, item.questionID)?.number
            return try API.json(QuestionnaireDTO.Remediation(id: item.id!, questionNumber: questionNumber, title: item.title, description: item.description,
                                                             owner: item.owner, dueDate: item.dueDate, status: item.status), status: .created)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/fast-track/{number}/remediations/{item}/events", operationID: "actOnCloudRemediation",
                         summary: "start, complete (provider); close, reopen (reviewers)", tag: "cloud-fast-track",
                         parameters: [Self.numberParam, .init("item", in: .path, schema: .uuid, description: "Remediation item id")],
                         requestBody: .ref("CloudEventInput"), responses: [200: .init("Questionnaire", schema: .ref("CloudQuestionnaire"))], authenticated: true)) { request, context in
            let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            guard let item = try await RemediationRecord.find(try context.pathUUID("item"), on: db), item.applicationID == record.id! else { throw Problem.notFound }
            let input = try await API.decode(EventInput.self, from: request, limit: limit())
            guard let event = RemediationEvent(rawValue: input.event) else {
                throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "event is start, complete, close or reopen.", detailJa: "操作の指定が正しくありません。")])
            }
            try await FastTrackDesk(services: services).remediation(event, item: item, record: record, identity: try context.requireIdentity())
            return try API.json(try await views.questionnaire(record))
        }
    }

    func questionOf(_ context: AppContext) async throws -> (FastTrackRecord, QuestionRecord) {
        let (record, role) = try await views.fastTrack(number: try context.path("number"), context: context)
        guard role != nil, let setID = record.questionSetID else { throw Problem.notFound }
        guard let question = try await QuestionRecord.query(on: db).filter(\.$setID == setID).filter(\.$number == (try context.path("question"))).first() else {
            throw Problem.notFound
        }
        return (record, question)
    }

    func fastTrackEvent(_ input: EventInput, record: FastTrackRecord, role: WorkflowRole, identity: Identity) async throws {
        guard let event = FastTrackEvent(rawValue: input.event), event != .expire else {
            throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "event is one of submit, verify, grant, return, promote, withdraw, revoke.",
                                                 detailJa: "操作の指定が正しくありません。")])
        }
        var reason: String?
        if event == .return || event == .revoke { reason = try ReasonInput(reason: input.reason).validate() }
        if let setID = input.questionSetId, try await QuestionSetRecord.find(setID, on: db) == nil {
            throw Problem.validation([FieldError(pointer: "/questionSetId", code: "unknown", detail: "No such question set.", detailJa: "その質問票はありません。")])
        }
        try await FastTrackDesk(services: services).perform(event, on: record, actor: Actor(identity), role: role, reason: reason,
                                                            questionSetID: input.questionSetId, identity: identity)
    }

    // MARK: registrations

    func registerRegistrations(_ routes: Routes) {
        routes.api(.init(method: "POST", path: "/api/v1/cloud/registrations", operationID: "applyCloudRegistration",
                         summary: "Apply for the ISMAP or ISMAP-LIU list (LIU: no business-impact assessment needed)", tag: "cloud-registrations",
                         requestBody: .ref("CloudRegistrationInput"), responses: [201: .init("Created", schema: .ref("CloudRegistration"))], authenticated: true)) { request, context in
            let input = try await API.decode(RegistrationInput.self, from: request, limit: limit())
            let record = try await RegistrationDesk(services: services).apply(input, identity: try context.requireIdentity())
            return try API.json(try await views.registration(record, role: .provider), status: .created, headers: [.location: "/api/v1/cloud/registrations/\(record.number)"])
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/registration-records", operationID: "recordCloudRegistration",
                         summary: "Enter an existing registration (reviewers)", tag: "cloud-registrations", requestBody: .ref("CloudRegistrationRecordInput"),
                         responses: [201: .init("Created", schema: .ref("CloudRegistration"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            struct Input: Codable { var serviceNumber: String; var list: String; var registeredOn: String; var auditFirm: String? }
            let input = try await API.decode(Input.self, from: request, limit: limit())
            let record = try await recordRegistration(serviceNumber: input.serviceNumber, list: input.list, registeredOn: input.registeredOn,
                                                      auditFirm: input.auditFirm, identity: identity)
            return try API.json(try await views.registration(record, role: .reviewer), status: .created)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/registrations/{number}", operationID: "getCloudRegistration", summary: "An ISMAP or ISMAP-LIU registration",
                         tag: "cloud-registrations", parameters: [Self.numberParam], responses: [200: .init("Registration", schema: .ref("CloudRegistration"))], authenticated: false)) { request, context in
            let (record, role) = try await views.registration(number: try context.path("number"), context: context)
            let dto = try await views.registration(record, role: role)
            return role == nil ? try API.publicJSON(dto, request: request) : try API.json(dto)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/registrations/{number}", operationID: "updateCloudRegistration", summary: "Correct a draft or returned application",
                         tag: "cloud-registrations", parameters: [Self.numberParam], requestBody: .ref("CloudRegistrationInput"),
                         responses: [200: .init("Registration", schema: .ref("CloudRegistration"))], authenticated: true)) { request, context in
            let (record, role) = try await views.registration(number: try context.path("number"), context: context)
            guard role != nil else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(RegistrationInput.self, from: request, limit: limit())
            try await RegistrationDesk(services: services).update(record, input, identity: try context.requireIdentity())
            return try API.json(try await views.registration(record, role: role))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/registrations/{number}/events", operationID: "actOnCloudRegistration",
                         summary: "submit, withdraw (provider); return, register, suspend, reinstate, remove (reviewers; reasons where needed)", tag: "cloud-registrations",
                         parameters: [Self.numberParam], requestBody: .ref("CloudEventInput"),
                         responses: [200: .init("Registration", schema: .ref("CloudRegistration"))], authenticated: true)) { request, context in
            let (record, role) = try await views.registration(number: try context.path("number"), context: context)
            guard let role, let identity = context.identity else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            let input = try await API.decode(EventInput.self, from: request, limit: limit())
            guard let event = RegistrationEvent(rawValue: input.event) else {
                throw Problem.validation([FieldError(pointer: "/event", code: "invalid", detail: "Unknown event.", detailJa: "操作の指定が正しくありません。")])
            }
            try await RegistrationDesk(services: services).perform(event, on: record, actor: Actor(identity), role: role,
                                                                   reason: input.reason.flatMap { InputCheck().clean($0) })
            return try API.json(try await views.registration(record, role: role))
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/registrations/{number}/sponsors", operationID: "addCloudSponsor",
                         summary: "Record an agency that uses the service", tag: "cloud-registrations", parameters: [Self.numberParam],
                         requestBody: .ref("CloudSponsorInput"), responses: [201: .init("Registration", schema: .ref("CloudRegistration"))], authenticated: true)) { request, context in
            let (record, role) = try await views.registration(number: try context.path("number"), context: context)
            guard let role, let identity = context.identity else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            struct Input: Codable { var agency: String }
            let input = try await API.decode(Input.self, from: request, limit: limit())
            try await RegistrationDesk(services: services).addSponsor(input.agency, to: record, identity: identity)
            return try API.json(try await views.registration(record, role: role), status: .created)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/registrations/{number}/sponsors/{sponsor}/end", operationID: "endCloudSponsor",
                         summary: "Record that an agency stopped using the service (the registration stays listed)", tag: "cloud-registrations",
                         parameters: [Self.numberParam, .init("sponsor", in: .path, schema: .uuid, description: "Sponsor id")],
                         responses: [200: .init("Registration", schema: .ref("CloudRegistration"))], authenticated: true)) { _, context in
            let (record, role) = try await views.registration(number: try context.path("number"), context: context)
            guard let role, let identity = context.identity else { throw context.identity == nil ? Problem.unauthenticated : Problem.notFound }
            guard let sponsor = try await SponsorRecord.find(try context.pathUUID("sponsor"), on: db), sponsor.registrationID == record.id! else { throw Problem.notFound }
            try await RegistrationDesk(services: services).endSponsor(sponsor, of: record, identity: identity)
            return try API.json(try await views.registration(record, role: role))
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/review-queue", operationID: "getCloudReviewQueue", summary: "Work waiting for reviewers",
                         tag: "cloud-registrations", responses: [200: .init("Queue", schema: .ref("CloudReviewQueue"))], authenticated: true)) { _, context in
            try context.require(.reviewer)
            let queue = try await ReviewQueue(services: services).load()
            return try API.json(queue)
        }
    }

    func recordRegistration(serviceNumber: String, list: String, registeredOn: String, auditFirm: String?, identity: Identity) async throws -> RegistrationRecord {
        var check = InputCheck()
        let listValue = check.choice("/list", list, label: .init(ja: "リスト", en: "list"), as: RegistrationInput.List.self)
        let date = check.date("/registeredOn", registeredOn, label: .init(ja: "登録日", en: "registration date"))
        if let date, date > today { check.fail("/registeredOn", ja: "登録日が未来です。", en: "The registration date is in the future.") }
        let firm = check.optionalText("/auditFirm", auditFirm, label: Label.auditFirm, max: 200)
        let service = serviceNumber.count <= 40 ? try await CloudServiceRecord.query(on: db).filter(\.$number == serviceNumber).first() : nil
        if service == nil { check.fail("/serviceNumber", "unknown", ja: "そのサービス番号はありません。", en: "No service has this number.") }
        try check.throwIfAny()
        return try await RegistrationDesk(services: services).record(service: service!, list: listValue == .ismap ? .ismap : .liu, registeredOn: date!,
                                                                     auditFirm: firm, identity: identity)
    }

    // MARK: catalogues and crosswalks

    struct CatalogueDTO: Codable, Sendable {
        var key: String, kind: String, structure: String, title: String, version: String?, oscalUuid: String, evidenceFor: [String], isTarget: Bool
        var controls: Int, importedAt: Date, url: String
        init(_ c: CatalogueRecord) {
            key = c.key; kind = c.kind; structure = c.structure; title = c.title; version = c.version; oscalUuid = c.oscalUUID
            evidenceFor = c.evidenceKinds.map(\.rawValue); isTarget = c.isTarget; controls = c.controlCount; importedAt = c.importedAt
            url = "/api/v1/cloud/catalogues/\(c.key)"
        }
    }

    struct CrosswalkDTO: Codable, Sendable {
        var key: String, title: String, source: String, target: String, maps: Int, importedAt: Date, url: String
        init(_ c: CrosswalkRecord) {
            key = c.key; title = c.title; source = c.sourceCatalogue; target = c.targetCatalogue; maps = c.mapCount; importedAt = c.importedAt
            url = "/api/v1/cloud/crosswalks/\(c.key)"
        }
    }

    struct ControlDTO: Codable, Sendable {
        var id: String, catalogue: String, title: String, label: String?, `class`: String?, statement: String, mandatory: Bool, parent: String?
        var guidance: ControlGuidance
        var oscal: JSONValue
    }

    struct CatalogueImport: Codable, Sendable {
        var key: String
        var format: String
        var document: JSONValue?
        var csv: String?
        var title: String?
        var version: String?
        var evidenceFor: [String]?
        var target: Bool?
    }

    struct CrosswalkImport: Codable, Sendable {
        var key: String
        var format: String
        var document: JSONValue?
        var csv: String?
        var title: String?
        var source: String?
        var target: String?
    }

    func registerCatalogues(_ routes: Routes) {
        let keyParam = APIOperation.Parameter("key", in: .path, schema: .string(maxLength: 63), description: "Catalogue key")
        routes.api(.init(method: "GET", path: "/api/v1/cloud/catalogues", operationID: "listCloudCatalogues", summary: "Control catalogues and profiles",
                         tag: "cloud-catalogues", responses: [200: .init("Catalogues", schema: .array(.ref("CloudCatalogue")))], authenticated: false)) { request, _ in
            let items = try await CatalogueRecord.query(on: db).sort(\.$key).all().map(CatalogueDTO.init)
            return try API.publicJSON(items, request: request)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/catalogues", operationID: "importCloudCatalogue",
                         summary: "Import an OSCAL catalog or profile, or an ISMAP-structured CSV (reviewers); the same key replaces the catalogue",
                         tag: "cloud-catalogues", requestBody: .ref("CloudCatalogueImport"),
                         responses: [201: .init("Imported", schema: .ref("CloudCatalogue"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(CatalogueImport.self, from: request, limit: Self.importLimit)
            let record = try await importCatalogue(input, identity: identity)
            return try API.json(CatalogueDTO(record), status: .created)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/catalogues/{key}", operationID: "exportCloudCatalogue",
                         summary: "The catalogue or profile as OSCAL JSON (ids and structure as imported)", tag: "cloud-catalogues", parameters: [keyParam],
                         responses: [200: .init("OSCAL document", schema: .object([:]))], authenticated: false)) { request, context in
            let desk = CatalogueDesk(services: services)
            let record = try await desk.catalogue(key: try context.path("key"))
            return API.cacheable(try await desk.export(record), contentType: "application/json; charset=utf-8", request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/catalogues/{key}/controls", operationID: "listCloudControls",
                         summary: "Controls of a catalogue (search, applicability filter, paging)", tag: "cloud-catalogues",
                         parameters: [keyParam,
                                      .init("q", in: .query, schema: .string(maxLength: 100), description: "Search id, title and statement"),
                                      .init("applicability", in: .query, schema: .string(enumValues: ControlApplicability.allCases.map(\.rawValue)), description: "§2.1 applicability")]
                            + PageRequest.parameters,
                         responses: [200: .init("Page of controls", schema: PageOf<ControlDTO>.schema(.ref("CloudControl")))], authenticated: false)) { request, context in
            let desk = CatalogueDesk(services: services)
            let record = try await desk.catalogue(key: try context.path("key"))
            let page = try PageRequest.parse(request)
            let (items, total) = try await ControlQuery(services: services).page(record, query: request.query, page: page)
            return try API.publicJSON(PageOf(items: items.map { controlDTO($0, catalogue: record.key, parent: nil) }, total: total, request: page), request: request)
        }
        let controlParam = APIOperation.Parameter("control", in: .path, schema: .string(maxLength: 100), description: "Control id, e.g. 8.1.2.7.PB or ac-2")
        routes.api(.init(method: "GET", path: "/api/v1/cloud/catalogues/{key}/controls/{control}", operationID: "getCloudControl",
                         summary: "One control with its §2.1 metadata (purpose, risks, alternatives, applicability)", tag: "cloud-catalogues",
                         parameters: [keyParam, controlParam], responses: [200: .init("Control", schema: .ref("CloudControl"))], authenticated: false)) { request, context in
            let desk = CatalogueDesk(services: services)
            let record = try await desk.catalogue(key: try context.path("key"))
            let node = try await desk.control(record, id: try context.path("control"))
            let parent = try await ControlQuery(services: services).parentID(of: node)
            return try API.publicJSON(controlDTO(node, catalogue: record.key, parent: parent), request: request)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/catalogues/{key}/controls/{control}/guidance", operationID: "updateCloudControlGuidance",
                         summary: "Set the §2.1 metadata of a control (reviewers); each version is a public record", tag: "cloud-catalogues",
                         parameters: [keyParam, controlParam], requestBody: .ref("CloudGuidance"),
                         responses: [200: .init("Control", schema: .ref("CloudControl"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let desk = CatalogueDesk(services: services)
            let record = try await desk.catalogue(key: try context.path("key"))
            let node = try await desk.control(record, id: try context.path("control"))
            var guidance = try await API.decode(ControlGuidance.self, from: request, limit: limit())
            guidance = guidance.trimmed
            try await desk.updateGuidance(record, node: node, guidance: guidance, actor: Actor(identity))
            return try API.json(controlDTO(node, catalogue: record.key, parent: try await ControlQuery(services: services).parentID(of: node)))
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/crosswalks", operationID: "listCloudCrosswalks", summary: "Crosswalks between catalogues",
                         tag: "cloud-catalogues", responses: [200: .init("Crosswalks", schema: .array(.ref("CloudCrosswalk")))], authenticated: false)) { request, _ in
            let items = try await CrosswalkRecord.query(on: db).sort(\.$key).all().map(CrosswalkDTO.init)
            return try API.publicJSON(items, request: request)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/crosswalks", operationID: "importCloudCrosswalk",
                         summary: "Import a crosswalk: an OSCAL mapping-collection or CSV (reviewers); the same key replaces it", tag: "cloud-catalogues",
                         requestBody: .ref("CloudCrosswalkImport"), responses: [201: .init("Imported", schema: .ref("CloudCrosswalk"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(CrosswalkImport.self, from: request, limit: Self.importLimit)
            let record = try await importCrosswalk(input, identity: identity)
            return try API.json(CrosswalkDTO(record), status: .created)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/crosswalks/{key}", operationID: "exportCloudCrosswalk",
                         summary: "The crosswalk as an OSCAL mapping-collection", tag: "cloud-catalogues",
                         parameters: [.init("key", in: .path, schema: .string(maxLength: 63), description: "Crosswalk key")],
                         responses: [200: .init("OSCAL mapping collection", schema: .object([:]))], authenticated: false)) { request, context in
            let desk = CrosswalkDesk(services: services)
            let record = try await desk.crosswalk(key: try context.path("key"))
            return API.cacheable(try await desk.export(record), contentType: "application/json; charset=utf-8", request: request)
        }
    }

    func controlDTO(_ node: CatalogueNodeRecord, catalogue: String, parent: String?) -> ControlDTO {
        let json = OSCAL.object(node.json)
        return ControlDTO(id: node.oscalID ?? "", catalogue: catalogue, title: node.title, label: node.label, class: node.oscalClass, statement: node.statement,
                          mandatory: node.mandatory, parent: parent, guidance: ControlGuidance(control: json), oscal: .object(json))
    }

    func importCatalogue(_ input: CatalogueImport, identity: Identity) async throws -> CatalogueRecord {
        var errors: [FieldError] = []
        let kinds: [CertificationKind] = (input.evidenceFor ?? []).enumerated().compactMap { i, raw in
            if let kind = CertificationKind(rawValue: raw) { return kind }
            errors.append(FieldError(pointer: "/evidenceFor/\(i)", code: "invalid", detail: "Unknown certification kind.", detailJa: "認証の種類が正しくありません。"))
            return nil
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let options = CatalogueDesk.ImportOptions(key: try CatalogueDesk.validateKey(input.key), evidenceFor: kinds, isTarget: input.target ?? false,
                                                  title: InputCheck().clean(input.title), version: InputCheck().clean(input.version))
        let desk = CatalogueDesk(services: services)
        switch input.format {
        case "oscal":
            guard let document = input.document else {
                throw Problem.validation([FieldError(pointer: "/document", code: "missing", detail: "Give the OSCAL document.", detailJa: "OSCAL文書を入れてください。")])
            }
            return try await desk.importOSCAL(Data(document.serialized.utf8), options: options, actor: Actor(identity))
        case "ismap-csv":
            guard let csv = input.csv else {
                throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "Give the CSV text.", detailJa: "CSVを入れてください。")])
            }
            return try await desk.importISMAPCSV(Data(csv.utf8), options: options, actor: Actor(identity))
        default:
            throw Problem.validation([FieldError(pointer: "/format", code: "invalid", detail: "format is oscal or ismap-csv.", detailJa: "形式は oscal か ismap-csv です。")])
        }
    }

    func importCrosswalk(_ input: CrosswalkImport, identity: Identity) async throws -> CrosswalkRecord {
        let desk = CrosswalkDesk(services: services)
        switch input.format {
        case "oscal":
            guard let document = input.document else {
                throw Problem.validation([FieldError(pointer: "/document", code: "missing", detail: "Give the OSCAL mapping collection.", detailJa: "OSCAL文書を入れてください。")])
            }
            return try await desk.importOSCAL(Data(document.serialized.utf8), key: input.key, source: input.source, target: input.target, actor: Actor(identity))
        case "csv":
            return try await desk.importCSV(Data((input.csv ?? "").utf8), key: input.key, title: input.title, source: input.source, target: input.target, actor: Actor(identity))
        default:
            throw Problem.validation([FieldError(pointer: "/format", code: "invalid", detail: "format is oscal or csv.", detailJa: "形式は oscal か csv です。")])
        }
    }

    // MARK: tools: audit scope, applicability, statistics, snapshots, question sets, settings

    struct AuditScopeInput: Codable, Sendable {
        var serviceNumber: String?
        var certifications: [String]?
        var cycle: String?
        var mandatoryOnly: Bool?
        var targetCatalogue: String?
    }

    struct ApplicabilityAnswerDTO: Codable, Sendable {
        var question: ApplicabilityQuestion
        var rule: ApplicabilityRule?
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(question, forKey: .question)
            if let rule { try c.encode(rule, forKey: .rule) } else { try c.encodeNil(forKey: .rule) }
        }
    }

    struct StatisticsDTO: Codable, Sendable {
        var months: [String]
        var counts: [String: [Int]]
        var byServiceModel: [String: [String: Int]]
        var readyToRegistrationMedianDays: Double?
        var readyToRegistrationSamples: Int
        var fastTrackOutcomes: [String: Int]
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(months, forKey: .months)
            try c.encode(counts, forKey: .counts)
            try c.encode(byServiceModel, forKey: .byServiceModel)
            if let median = readyToRegistrationMedianDays { try c.encode(median, forKey: .readyToRegistrationMedianDays) } else { try c.encodeNil(forKey: .readyToRegistrationMedianDays) }
            try c.encode(readyToRegistrationSamples, forKey: .readyToRegistrationSamples)
            try c.encode(fastTrackOutcomes, forKey: .fastTrackOutcomes)
        }
    }

    struct SnapshotInfoDTO: Codable, Sendable {
        var date: String, generatedAt: Date, sha256: String, entries: Int, logIndex: Int64?, url: String
        init(_ s: SnapshotRecord) {
            date = s.date; generatedAt = s.generatedAt; sha256 = s.sha256; entries = s.entryCount; logIndex = s.logIndex; url = "/api/v1/cloud/snapshots/\(s.date)"
        }
    }

    struct QuestionSetInfoDTO: Codable, Sendable {
        var id: UUID, code: String, version: Int, title: String, titleEn: String?, questions: Int, createdAt: Date, url: String
        init(_ s: QuestionSetRecord) {
            id = s.id!; code = s.code; version = s.version; title = s.title; titleEn = s.titleEn; questions = s.questionCount; createdAt = s.createdAt
            url = "/api/v1/cloud/question-sets/\(s.code)/\(s.version)"
        }
    }

    struct QuestionSetImport: Codable, Sendable {
        var format: String
        var document: QuestionSetDocument?
        var csv: String?
        var code: String?
        var title: String?
        var titleEn: String?
    }

    func registerTools(_ routes: Routes) {
        routes.api(.init(method: "POST", path: "/api/v1/cloud/audit-scope", operationID: "calculateCloudAuditScope",
                         summary: "Audit-scope calculator: which ISMAP controls valid certifications cover (full/partial/none), the share exempted and the cost",
                         tag: "cloud-tools", requestBody: .ref("CloudAuditScopeInput"),
                         responses: [200: .init("Result", schema: .ref("CloudAuditScope"))], authenticated: false)) { request, context in
            let input = try await API.decode(AuditScopeInput.self, from: request, limit: limit())
            let outcome = try await auditScope(input, context: context)
            return try API.json(AuditScopeService.dto(outcome, language: context.language))
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/applicability", operationID: "checkCloudApplicability",
                         summary: "Which list a procurement requires or recommends, with the rule cited (§2.5-2)", tag: "cloud-tools",
                         parameters: [
                            .init("organisation", in: .query, required: true, schema: .string(enumValues: ProcuringOrganisation.allCases.map(\.rawValue)), description: "Procuring organisation"),
                            .init("confidentiality", in: .query, required: true, schema: .string(enumValues: ConfidentialityLevel.allCases.map(\.rawValue)), description: "機密性 class 1–3"),
                            .init("serviceModel", in: .query, required: true, schema: .string(enumValues: ServiceModel.allCases.map(\.rawValue)), description: "Service model"),
                            .init("lowImpact", in: .query, schema: .string(enumValues: ["true", "false"]), description: "The use is low-impact (ISMAP-LIU scope)"),
                         ],
                         responses: [200: .init("Answer", schema: .ref("CloudApplicabilityAnswer"))], authenticated: false)) { request, _ in
            let q = request.query
            let question: ApplicabilityQuestion
            do {
                question = try ApplicabilityDesk.question(organisation: q["organisation"], confidentiality: q["confidentiality"], serviceModel: q["serviceModel"], lowImpact: q["lowImpact"])
            } catch let problem as Problem {
                throw Problem.badRequest(.init(ja: "条件の指定が正しくありません。", en: "Invalid question."), errors: problem.errors.map {
                    FieldError(pointer: "/query" + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa)
                })
            }
            let rules = try await ApplicabilityDesk(services: services).rules().map(\.rule)
            return try API.publicJSON(ApplicabilityAnswerDTO(question: question, rule: ApplicabilityChecker.answer(question, rules: rules)), request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/applicability/rules", operationID: "listCloudApplicabilityRules", summary: "The checker's rules, in the order they are tried",
                         tag: "cloud-tools", responses: [200: .init("Rules", schema: .array(.ref("CloudApplicabilityRule")))], authenticated: false)) { request, _ in
            try API.publicJSON(try await ApplicabilityDesk(services: services).rules().map(\.rule), request: request)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/applicability/rules", operationID: "createCloudApplicabilityRule", summary: "Add a rule (administrators)",
                         tag: "cloud-tools", requestBody: .ref("CloudApplicabilityRuleInput"),
                         responses: [201: .init("Rule", schema: .ref("CloudApplicabilityRule"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let input = try await API.decode(ApplicabilityDesk.RuleInput.self, from: request, limit: limit())
            return try API.json(try await ApplicabilityDesk(services: services).save(input, id: nil, identity: identity).rule, status: .created)
        }
        let ruleParam = APIOperation.Parameter("id", in: .path, schema: .uuid, description: "Rule id")
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/applicability/rules/{id}", operationID: "updateCloudApplicabilityRule", summary: "Change a rule (administrators)",
                         tag: "cloud-tools", parameters: [ruleParam], requestBody: .ref("CloudApplicabilityRuleInput"),
                         responses: [200: .init("Rule", schema: .ref("CloudApplicabilityRule"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let id = try context.pathUUID("id")
            let input = try await API.decode(ApplicabilityDesk.RuleInput.self, from: request, limit: limit())
            return try API.json(try await ApplicabilityDesk(services: services).save(input, id: id, identity: identity).rule)
        }
        routes.api(.init(method: "DELETE", path: "/api/v1/cloud/applicability/rules/{id}", operationID: "deleteCloudApplicabilityRule", summary: "Delete a rule (administrators)",
                         tag: "cloud-tools", parameters: [ruleParam], responses: [204: .init("Deleted", schema: nil)], authenticated: true)) { _, context in
            let identity = try context.require(.admin)
            try await ApplicabilityDesk(services: services).delete(try context.pathUUID("id"), identity: identity)
            return Response(status: .noContent)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/statistics", operationID: "getCloudStatistics", summary: "Market information: counts over time, service models, time to registration, Fast Track outcomes",
                         tag: "cloud-tools", responses: [200: .init("Figures", schema: .ref("CloudStatistics"))], authenticated: false)) { request, _ in
            let figures = try await StatisticsDesk(services: services).figures(today: today)
            return try API.publicJSON(statisticsDTO(figures), request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/snapshots", operationID: "listCloudSnapshots", summary: "Daily snapshots of the four lists, newest first",
                         tag: "cloud", parameters: PageRequest.parameters,
                         responses: [200: .init("Page of snapshots", schema: PageOf<SnapshotInfoDTO>.schema(.ref("CloudSnapshotInfo")))], authenticated: false)) { request, _ in
            let page = try PageRequest.parse(request)
            let query = SnapshotRecord.query(on: db)
            let total = try await query.count()
            let items = try await SnapshotRecord.query(on: db).sort(\.$date, .descending).range(page.offset..<(page.offset + page.limit))
                .field(\.$id).field(\.$date).field(\.$generatedAt).field(\.$sha256).field(\.$entryCount).field(\.$logIndex).all()
            return try API.publicJSON(PageOf(items: items.map(SnapshotInfoDTO.init), total: total, request: page), request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/snapshots/{date}", operationID: "getCloudSnapshot", summary: "The snapshot of one day (its SHA-256 is in the transparency log)",
                         tag: "cloud", parameters: [.init("date", in: .path, schema: .date, description: "YYYY-MM-DD")],
                         responses: [200: .init("Snapshot", schema: .ref("CloudSnapshot"))], authenticated: false)) { request, context in
            let date = try context.path("date")
            guard LocalDate(date) != nil, let snapshot = try await SnapshotRecord.query(on: db).filter(\.$date == date).first() else { throw Problem.notFound }
            return API.cacheable(Data(snapshot.body.utf8), contentType: "application/json; charset=utf-8", request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/question-sets", operationID: "listCloudQuestionSets", summary: "Versions of the Fast Track questionnaires",
                         tag: "cloud-fast-track", responses: [200: .init("Question sets", schema: .array(.ref("CloudQuestionSetInfo")))], authenticated: false)) { request, _ in
            let items = try await QuestionSetRecord.query(on: db).sort(\.$code).sort(\.$version, .descending).all().map(QuestionSetInfoDTO.init)
            return try API.publicJSON(items, request: request)
        }
        routes.api(.init(method: "POST", path: "/api/v1/cloud/question-sets", operationID: "importCloudQuestionSet",
                         summary: "Import a question set as JSON or CSV; each import is a new version (reviewers)", tag: "cloud-fast-track",
                         requestBody: .ref("CloudQuestionSetImport"), responses: [201: .init("Imported", schema: .ref("CloudQuestionSetInfo"))], authenticated: true)) { request, context in
            let identity = try context.require(.reviewer)
            let input = try await API.decode(QuestionSetImport.self, from: request, limit: Self.importLimit)
            let set = try await importQuestionSet(input, identity: identity)
            return try API.json(QuestionSetInfoDTO(set), status: .created)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/question-sets/{code}/{version}", operationID: "exportCloudQuestionSet", summary: "One version of a question set (JSON)",
                         tag: "cloud-fast-track",
                         parameters: [.init("code", in: .path, schema: .string(maxLength: 63), description: "Set code"),
                                      .init("version", in: .path, schema: .integer(minimum: 1, maximum: 100_000), description: "Version")],
                         responses: [200: .init("Question set", schema: .ref("CloudQuestionSet"))], authenticated: false)) { request, context in
            guard let version = Int(try context.path("version")), version >= 1 else { throw Problem.notFound }
            let desk = QuestionSetDesk(services: services)
            let set = try await desk.set(code: try context.path("code"), version: version)
            return try API.publicJSON(try await desk.document(set), request: request)
        }
        routes.api(.init(method: "GET", path: "/api/v1/cloud/settings", operationID: "getCloudSettings", summary: "Report intervals, unit costs and other parameters",
                         tag: "cloud-tools", responses: [200: .init("Settings", schema: .ref("CloudSettings"))], authenticated: false)) { request, _ in
            try API.publicJSON(try await CloudSettings.load(on: db), request: request)
        }
        routes.api(.init(method: "PUT", path: "/api/v1/cloud/settings", operationID: "updateCloudSettings", summary: "Change the parameters (administrators)",
                         tag: "cloud-tools", requestBody: .ref("CloudSettings"),
                         responses: [200: .init("Settings", schema: .ref("CloudSettings"))], authenticated: true)) { request, context in
            let identity = try context.require(.admin)
            let settings = try await API.decode(CloudSettings.self, from: request, limit: limit())
            try await saveSettings(settings, identity: identity)
            return try API.json(settings)
        }
    }

    func saveSettings(_ settings: CloudSettings, identity: Identity) async throws {
        let errors = settings.validate()
        if !errors.isEmpty { throw Problem.validation(errors) }
        let now = services.now
        try await db.transaction { db in
            try await settings.save(on: db, by: Actor(identity), at: now)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: nil, action: "cloud.settings.update", targetType: "cloud.settings",
                                        targetID: "settings", summary: ["value": String(decoding: try API.encoder.encode(settings), as: UTF8.self)], at: now)
        }
    }

    func importQuestionSet(_ input: QuestionSetImport, identity: Identity) async throws -> QuestionSetRecord {
        let document: QuestionSetDocument
        switch input.format {
        case "json":
            guard let given = input.document else {
                throw Problem.validation([FieldError(pointer: "/document", code: "missing", detail: "Give the question set.", detailJa: "質問票を入れてください。")])
            }
            document = given
        case "csv":
            var check = InputCheck()
            let code = check.text("/code", input.code, label: .init(ja: "コード", en: "code"), max: 63)
            let title = check.text("/title", input.title, label: .init(ja: "題名", en: "title"), max: 200)
            let csv = check.text("/csv", input.csv, label: .init(ja: "CSV", en: "CSV"), max: Self.importLimit)
            try check.throwIfAny()
            document = try QuestionSetDocument.fromCSV(Data(csv.utf8), code: code, title: title, titleEn: InputCheck().clean(input.titleEn))
        default:
            throw Problem.validation([FieldError(pointer: "/format", code: "invalid", detail: "format is json or csv.", detailJa: "形式は json か csv です。")])
        }
        return try await QuestionSetDesk(services: services).importSet(document, actor: Actor(identity))
    }

    func statisticsDTO(_ f: StatisticsDesk.Figures) -> StatisticsDTO {
        StatisticsDTO(months: f.months, counts: Dictionary(uniqueKeysWithValues: f.series.map { ($0.key.rawValue, $0.value) }),
                      byServiceModel: Dictionary(uniqueKeysWithValues: f.byModel.map { ($0.key.rawValue, Dictionary(uniqueKeysWithValues: $0.value.map { ($0.key.rawValue, $0.value) })) }),
                      readyToRegistrationMedianDays: MarketStatistics.median(f.readyDays), readyToRegistrationSamples: f.readyDays.count,
                      fastTrackOutcomes: Dictionary(uniqueKeysWithValues: f.fastTrack.map { ($0.key.rawValue, $0.value) }))
    }

    /// The calculator for a service (its valid certifications) or for a hypothetical set of certifications.
    func auditScope(_ input: AuditScopeInput, context: AppContext) async throws -> AuditScopeService.Outcome {
        var check = InputCheck()
        let cycle = input.cycle.map { raw -> AuditCycle? in
            guard let value = AuditCycle(rawValue: raw) else { check.fail("/cycle", ja: "監査周期は annual か biennial です。", en: "cycle is annual or biennial."); return nil }
            return value
        } ?? .annual
        var certifications: [(id: String, label: String, kind: CertificationKind)] = []
        var excluded: [(String, LocalizedText)] = []
        let scope = AuditScopeService(services: services)
        if let number = InputCheck().clean(input.serviceNumber) {
            let service: CloudServiceRecord
            do { (service, _) = try await views.service(number: number, context: context) } catch let problem as Problem where problem.status == .notFound {
                // Named in the request body: a field error, worded so that it does not reveal unpublished services.
                throw Problem.validation([FieldError(pointer: "/serviceNumber", code: "unknown",
                                                     detail: "No service numbered \(number) is on a public list or managed by you. Check the number (e.g. CS-2026-0001), or leave it empty and choose certifications.",
                                                     detailJa: "サービス番号 \(number) の公開されたサービス（またはあなたが管理するサービス）はありません。番号（例: CS-2026-0001）を確かめるか、空欄にして認証を選んでください。")])
            }
            (certifications, excluded) = try await scope.evidence(for: service, today: today)
        } else {
            for (i, raw) in (input.certifications ?? []).enumerated() {
                if let kind = CertificationKind(rawValue: raw) { certifications.append((kind.rawValue, kind.label, kind)) }
                else { check.fail("/certifications/\(i)", ja: "認証の種類が正しくありません。", en: "Unknown certification kind.") }
            }
        }
        try check.throwIfAny()
        return try await scope.calculate(targetKey: InputCheck().clean(input.targetCatalogue), certifications: certifications, excluded: excluded,
                                         cycle: cycle ?? .annual, mandatoryOnly: input.mandatoryOnly ?? false)
    }
}

extension ControlGuidance {
    /// Empty texts count as absent.
    var trimmed: ControlGuidance {
        func t(_ s: String?) -> String? { InputCheck().clean(s) }
        return ControlGuidance(applicability: applicability, purposeJa: t(purposeJa), purposeEn: t(purposeEn), risksJa: t(risksJa), risksEn: t(risksEn),
                               alternativesJa: t(alternativesJa), alternativesEn: t(alternativesEn))
    }
}

/// Controls of a catalogue for lists and the API.
struct ControlQuery {
    let services: Services

    func page(_ record: CatalogueRecord, query: [String: String], page: ShinraiKit.PageRequest) async throws -> ([CatalogueNodeRecord], Int) {
        var errors: [FieldError] = []
        var builder = CatalogueNodeRecord.query(on: services.db).filter(\.$catalogueID == record.id!).filter(\.$kind == "control")
        if let raw = query["q"], raw.count > 100 { errors.append(FieldError(pointer: "/query/q", code: "range", detail: "q is at most 100 characters.", detailJa: "検索語は100文字以内です。")) }
        if let term = SearchText.term(query["q"]) { builder = builder.filter(\.$search ~~ term) }
        if let raw = query["applicability"], !raw.isEmpty {
            if ControlApplicability(rawValue: raw) != nil { builder = builder.filter(\.$applicability == raw) }
            else { errors.append(FieldError(pointer: "/query/applicability", code: "invalid", detail: "applicability is required, on-request or optional.", detailJa: "適用区分の値が正しくありません。")) }
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "絞り込みの指定が正しくありません。", en: "Invalid filter parameters."), errors: errors) }
        let total = try await builder.count()
        let items = try await builder.sort(\.$seq).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    func parentID(of node: CatalogueNodeRecord) async throws -> String? {
        guard let parent = node.parentSeq else { return nil }
        return try await CatalogueNodeRecord.query(on: services.db).filter(\.$catalogueID == node.catalogueID).filter(\.$seq == parent).first()?.oscalID
    }
}

/// What is waiting for reviewers.
struct ReviewQueue {
    let services: Services

    struct DTO: Codable, Sendable {
        var ready: [ListEntryDTO]
        var fastTrack: [ListEntryDTO]
        var registrations: [ListEntryDTO]
        var answersToReview: Int
        var remediationsToConfirm: Int
    }

    func load() async throws -> DTO {
        let db = services.db
        func entries(_ lists: [CloudList], _ statuses: [String]) async throws -> [ListEntryDTO] {
            try await ListEntryRecord.query(on: db).filter(\.$list ~~ lists.map(\.rawValue)).filter(\.$status ~~ statuses).sort(\.$changedAt).limit(200).all()
                .map(ListEntryDTO.init)
        }
        let provisional = try await FastTrackRecord.query(on: db).filter(\.$status == FastTrackStatus.provisional.rawValue).all().map(\.id!)
        let answers = provisional.isEmpty ? 0 : try await AnswerRecord.query(on: db).filter(\.$applicationID ~~ provisional).filter(\.$finding == nil).count()
        let remediations = provisional.isEmpty ? 0 : try await RemediationRecord.query(on: db).filter(\.$applicationID ~~ provisional)
            .filter(\.$status == RemediationStatus.done.rawValue).count()
        return DTO(ready: try await entries([.ready], [ReadyStatus.submitted.rawValue]),
                   fastTrack: try await entries([.fastTrack], [FastTrackStatus.submitted.rawValue, FastTrackStatus.verified.rawValue]),
                   registrations: try await entries([.ismap, .liu], [RegistrationStatus.submitted.rawValue]),
                   answersToReview: answers, remediationsToConfirm: remediations)
    }
}
