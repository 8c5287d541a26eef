import FluentKit
import Foundation
import ShinraiKit

struct ReadyReportDTO: Codable, Sendable {
    var filedAt: Date
    var periodDue: String?
    var progress: String
    var targetApplicationDate: String?
}

struct ReadyDTO: Codable, Sendable {
    var id: UUID
    var number: String
    var serviceId: UUID
    var serviceNumber: String
    var serviceName: String
    var status: String
    var auditFirm: String
    var auditContractDate: String
    var gapAssessmentDate: String?
    var targetList: String
    var targetApplicationDate: String
    var scope: String
    var pocAvailable: Bool
    var listedOn: String?
    var nextReportDue: String?
    var appliedReference: String?
    var registrationNumber: String?
    var lastReason: String?
    var availableEvents: [String]
    var reports: [ReadyReportDTO]
    /// Evidence files of the declaration (audit contract, gap assessment): provider and reviewers only.
    var evidence: [AttachmentDTO]?
    var history: [StatusEventDTO]
}

struct ReminderDTO: Codable, Sendable { var months: Int; var date: String }

struct FastTrackDTO: Codable, Sendable {
    var id: UUID
    var number: String
    var serviceId: UUID
    var serviceNumber: String
    var serviceName: String
    var status: String
    var certificate: CertificationDTO
    var verifiedOn: String?
    var grantedOn: String?
    var startsOn: String?
    var provisionalUntil: String?
    var reminders: [ReminderDTO]
    var registrationNumber: String?
    var questionSet: String?
    var lastReason: String?
    var blockers: [String]
    var availableEvents: [String]
    var history: [StatusEventDTO]
}

struct AttachmentDTO: Codable, Sendable {
    var id: UUID
    var filename: String
    var mediaType: String
    var size: Int
    var sha256: String
    var url: String
    init(_ a: AttachmentRecord) {
        id = a.id!; filename = a.filename; mediaType = a.mediaType; size = a.size; sha256 = a.sha256; url = "/api/v1/cloud/attachments/\(a.id!)"
    }
}

struct QuestionnaireDTO: Codable, Sendable {
    struct Item: Codable, Sendable {
        var questionId: UUID
        var number: String
        var category: String
        var text: String
        var textEn: String?
        var guidance: String?
        var guidanceEn: String?
        var controls: [String]
        var answerId: UUID?
        var answer: String?
        var answeredAt: Date?
        var finding: String?
        var findingNote: String?
        var attachments: [AttachmentDTO]
    }
    struct Remediation: Codable, Sendable {
        var id: UUID
        var questionNumber: String?
        var title: String
        var description: String?
        var owner: String
        var dueDate: String
        var status: String
    }
    var questionSet: String?
    var questions: [Item]
    var remediations: [Remediation]
    var blockers: [String]
}

struct SponsorDTO: Codable, Sendable { var id: UUID; var agency: String; var since: String; var until: String? }

struct BusinessImpactDTO: Codable, Sendable { var agency: String; var assessedOn: String?; var summary: String? }

struct RegistrationDTO: Codable, Sendable {
    var id: UUID
    var number: String
    var list: String
    var serviceId: UUID
    var serviceNumber: String
    var serviceName: String
    var status: String
    var source: String
    var auditFirm: String?
    var auditReportDate: String?
    var scope: String?
    var businessImpactAssessment: BusinessImpactDTO?
    var registeredOn: String?
    var fastTrackNumber: String?
    var sponsors: [SponsorDTO]
    var lastReason: String?
    var availableEvents: [String]
    var history: [StatusEventDTO]
}

/// Loads the detail of a workflow record for one viewer (API and pages use the same data).
struct RecordViews {
    let services: Services
    var db: any Database { services.db }
    var today: LocalDate { JapanTime.date(of: services.now) }

    func history(recordID: UUID, includePrivate: Bool) async throws -> [StatusEventDTO] {
        var query = StatusEventRecord.query(on: db).filter(\.$recordID == recordID)
        if !includePrivate { query = query.filter(\.$isPublic == true) }
        return try await query.sort(\.$seq).all().map(StatusEventDTO.init)
    }

    func ready(_ r: ReadyListingRecord, role: WorkflowRole?) async throws -> ReadyDTO {
        let service = try await Registry(services: services).service(id: r.serviceID)
        let includePrivate = role != nil
        let reports = includePrivate ? try await ReadyReportRecord.query(on: db).filter(\.$listingID == r.id!).sort(\.$filedAt, .descending).all()
            .map { ReadyReportDTO(filedAt: $0.filedAt, periodDue: $0.periodDue, progress: $0.progress, targetApplicationDate: $0.targetApplicationDate) } : []
        let registration = try await find(RegistrationRecord.self, r.registrationID)
        return ReadyDTO(id: r.id!, number: r.number, serviceId: service.id!, serviceNumber: service.number, serviceName: service.name, status: r.status,
                        auditFirm: r.auditFirm, auditContractDate: r.auditContractDate, gapAssessmentDate: r.gapAssessmentDate, targetList: r.targetList,
                        targetApplicationDate: r.targetApplicationDate, scope: r.scope, pocAvailable: r.pocAvailable, listedOn: r.listedOn,
                        nextReportDue: r.nextReportDue, appliedReference: r.appliedReference, registrationNumber: registration?.number,
                        lastReason: includePrivate ? r.lastReason : nil,
                        availableEvents: role.map { ReadyWorkflow.table.available(from: r.state, by: $0).map(\.rawValue) } ?? [],
                        reports: reports,
                        evidence: includePrivate ? try await Registry(services: services).attachments(ownerType: "cloud.ready", ownerIDs: [r.id!]).map(AttachmentDTO.init) : nil,
                        history: try await history(recordID: r.id!, includePrivate: includePrivate))
    }

    func fastTrack(_ r: FastTrackRecord, role: WorkflowRole?) async throws -> FastTrackDTO {
        let service = try await Registry(services: services).service(id: r.serviceID)
        let cert = try await FastTrackDesk(services: services).certificate(of: r, on: db)
        let includePrivate = role != nil
        let period = r.period
        let registration = try await find(RegistrationRecord.self, r.registrationID)
        let set = try await find(QuestionSetRecord.self, r.questionSetID)
        let blockers = includePrivate && r.state == .provisional ? try await FastTrackDesk(services: services).promotionBlockers(r).map(\.text.en) : []
        return FastTrackDTO(id: r.id!, number: r.number, serviceId: service.id!, serviceNumber: service.number, serviceName: service.name, status: r.status,
                            certificate: CertificationDTO(cert, today: today, evidence: includePrivate
                                ? try await Registry(services: services).attachments(ownerType: "cloud.certification", ownerIDs: [cert.id!]).map(AttachmentDTO.init) : nil),
                            verifiedOn: r.verifiedOn, grantedOn: r.grantedOn,
                            startsOn: period?.startsOn.iso, provisionalUntil: r.provisionalUntil,
                            reminders: period?.reminders.map { ReminderDTO(months: $0.months, date: $0.date.iso) } ?? [],
                            registrationNumber: registration?.number, questionSet: set.map { "\($0.code) v\($0.version)" },
                            lastReason: includePrivate ? r.lastReason : nil, blockers: blockers,
                            availableEvents: role.map { FastTrackWorkflow.table.available(from: r.state, by: $0).map(\.rawValue) } ?? [],
                            history: try await history(recordID: r.id!, includePrivate: includePrivate))
    }

    func questionnaire(_ r: FastTrackRecord) async throws -> QuestionnaireDTO {
        let desk = FastTrackDesk(services: services)
        let q = try await desk.questionnaire(r)
        let answerIDs = q.answers.values.compactMap(\.id)
        let files = try await Registry(services: services).attachments(ownerType: "cloud.answer", ownerIDs: answerIDs)
        let numbers = Dictionary(q.questions.map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
        return QuestionnaireDTO(
            questionSet: q.set.map { "\($0.code) v\($0.version)" },
            questions: q.questions.map { question in
                let answer = q.answers[question.id!]
                return .init(questionId: question.id!, number: question.number, category: question.category, text: question.text, textEn: question.textEn,
                             guidance: question.guidance, guidanceEn: question.guidanceEn, controls: question.document.controls ?? [],
                             answerId: answer?.id, answer: answer?.answer, answeredAt: answer?.answeredAt, finding: answer?.finding, findingNote: answer?.findingNote,
                             attachments: files.filter { $0.ownerID == answer?.id }.map(AttachmentDTO.init))
            },
            remediations: q.remediations.map {
                .init(id: $0.id!, questionNumber: $0.questionID.flatMap { numbers[$0] }, title: $0.title, description: $0.description, owner: $0.owner,
                      dueDate: $0.dueDate, status: $0.status)
            },
            blockers: r.state == .provisional ? try await desk.promotionBlockers(r).map(\.text.en) : [])
    }

    func registration(_ r: RegistrationRecord, role: WorkflowRole?) async throws -> RegistrationDTO {
        let service = try await Registry(services: services).service(id: r.serviceID)
        let includePrivate = role != nil
        let sponsors = try await SponsorRecord.query(on: db).filter(\.$registrationID == r.id!).sort(\.$since).all()
            .map { SponsorDTO(id: $0.id!, agency: $0.agency, since: $0.since, until: $0.until) }
        let fastTrack = try await find(FastTrackRecord.self, r.fastTrackID)
        return RegistrationDTO(id: r.id!, number: r.number, list: r.list, serviceId: service.id!, serviceNumber: service.number, serviceName: service.name,
                               status: r.status, source: r.source, auditFirm: r.auditFirm, auditReportDate: r.auditReportDate, scope: r.scope,
                               businessImpactAssessment: r.biaAgency.map { BusinessImpactDTO(agency: $0, assessedOn: r.biaDate, summary: includePrivate ? r.biaSummary : nil) },
                               registeredOn: r.registeredOn, fastTrackNumber: fastTrack?.number, sponsors: sponsors,
                               lastReason: includePrivate ? r.lastReason : nil,
                               availableEvents: role.map { RegistrationWorkflow.table.available(from: r.state, by: $0).map(\.rawValue) } ?? [],
                               history: try await history(recordID: r.id!, includePrivate: includePrivate))
    }

    func find<M: Model>(_ type: M.Type, _ id: UUID?) async throws -> M? where M.IDValue == UUID {
        guard let id else { return nil }
        return try await M.find(id, on: db)
    }

    // MARK: lookups by public number, for a viewer

    /// A record visible to the viewer: owners and reviewers always, the public once it was published.
    func visible<R>(_ record: R?, organisation: (R) -> UUID, isPublished: (R) -> Bool, context: AppContext) throws -> (R, WorkflowRole?) {
        guard let record else { throw Problem.notFound }
        let role = Access.role(context.identity, organisation: organisation(record))
        guard role != nil || isPublished(record) else { throw Problem.notFound }
        return (record, role)
    }

    func readyListing(number: String, context: AppContext) async throws -> (ReadyListingRecord, WorkflowRole?) {
        let record = number.count > 40 ? nil : try await ReadyListingRecord.query(on: db).filter(\.$number == number).first()
        return try visible(record, organisation: \.organisationID, isPublished: { $0.listedOn != nil }, context: context)
    }

    func fastTrack(number: String, context: AppContext) async throws -> (FastTrackRecord, WorkflowRole?) {
        let record = number.count > 40 ? nil : try await FastTrackRecord.query(on: db).filter(\.$number == number).first()
        return try visible(record, organisation: \.organisationID, isPublished: { $0.grantedOn != nil }, context: context)
    }

    func registration(number: String, context: AppContext) async throws -> (RegistrationRecord, WorkflowRole?) {
        let record = number.count > 40 ? nil : try await RegistrationRecord.query(on: db).filter(\.$number == number).first()
        return try visible(record, organisation: \.organisationID, isPublished: { $0.registeredOn != nil }, context: context)
    }

    func service(number: String, context: AppContext) async throws -> (CloudServiceRecord, WorkflowRole?) {
        let record = number.count > 40 ? nil : try await CloudServiceRecord.query(on: db).filter(\.$number == number).first()
        return try visible(record, organisation: \.organisationID, isPublished: \.isPublic, context: context)
    }
}
