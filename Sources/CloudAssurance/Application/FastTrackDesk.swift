import FluentKit
import Foundation
import ShinraiKit

/// ISMAP Fast Track (§2.4): ISO/IEC 27017 evidence → verification → 18-month provisional status →
/// IPA questionnaire, findings and remediation → promotion to ISMAP-LIU, or expiry.
struct FastTrackDesk {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }
    var today: LocalDate { JapanTime.date(of: services.now) }
    /// Notifications are written in Japanese, with the words the pages use.
    /// The provider's answer to a question, to which files may be attached (an answer comes first).
    func attachableAnswer(_ record: FastTrackRecord, questionID: UUID, identity: Identity) async throws -> AnswerRecord {
        guard Access.role(identity, organisation: record.organisationID) == .provider else { throw Problem.forbidden }
        guard let answer = try await AnswerRecord.query(on: services.db).filter(\.$applicationID == record.id!).filter(\.$questionID == questionID).first() else {
            throw Problem.conflict(.init(ja: "先に回答を入力してください。", en: "Answer the question before attaching files."))
        }
        return answer
    }

    func label(_ key: String) -> String { services.views.catalogue.text(key, .ja) }

    func application(_ id: UUID) async throws -> FastTrackRecord {
        guard let record = try await FastTrackRecord.find(id, on: db) else { throw Problem.notFound }
        return record
    }

    static let openStatuses: [FastTrackStatus] = [.draft, .submitted, .returned, .verified, .provisional]

    func apply(_ input: FastTrackInput, identity: Identity) async throws -> FastTrackRecord {
        let (service, role) = try await Registry(services: services).owned(input.serviceId, identity: identity)
        guard role == .provider else { throw Problem.forbidden }
        let certificate = try input.validate(today: today)
        return try await db.transaction { db in
            if let open = try await FastTrackRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$status ~~ Self.openStatuses.map(\.rawValue)).first() {
                throw Problem.conflict(.init(ja: "このサービスには手続中のFast Track申請（\(open.number)）があります。",
                                             en: "This service already has a Fast Track application in progress (\(open.number))."),
                                       errors: [FieldError(pointer: "/serviceId", code: "duplicate",
                                                           detail: "This service already has a Fast Track application in progress (\(open.number)); continue or withdraw it instead of applying again.",
                                                           detailJa: "このサービスには手続中のFast Track申請（\(open.number)）があります。新たに申請せず、その申請を続けるか取り下げてください。")])
            }
            if let registered = try await RegistrationRecord.query(on: db).filter(\.$serviceID == service.id!)
                .filter(\.$status ~~ [RegistrationStatus.registered.rawValue, RegistrationStatus.suspended.rawValue]).first() {
                throw Problem.conflict(.init(ja: "このサービスはすでに登録されています（\(registered.number)）。", en: "This service is already registered (\(registered.number))."),
                                       errors: [FieldError(pointer: "/serviceId", code: "registered", detail: "This service is already registered (\(registered.number)); Fast Track is for services not yet registered.",
                                                           detailJa: "このサービスはすでに登録されています（\(registered.number)）。Fast Track は未登録のサービスが対象です。")])
            }
            let cert = try await existingOrNewCertificate(certificate, service: service, identity: identity, on: db)
            let record = FastTrackRecord()
            record.number = try await Numbering.next("FT", today: today, on: db)
            record.serviceID = service.id!
            record.organisationID = service.organisationID
            record.status = FastTrackStatus.draft.rawValue
            record.certificationID = cert.id!
            record.createdAt = now
            record.updatedAt = now
            try await record.create(on: db)
            try await StatusChange(list: .fastTrack, recordID: record.id!, recordNumber: record.number, service: service, from: nil,
                                   to: FastTrackStatus.draft.rawValue, event: "create", isPublic: false).write(on: db, actor: Actor(identity), at: now)
            try await ListIndex.save(ListIndex.entry(fastTrack: record, certificate: cert), service: service, on: db, at: now)
            return record
        }
    }

    func existingOrNewCertificate(_ valid: CertificationInput.Valid, service: CloudServiceRecord, identity: Identity, on db: any Database) async throws -> CertificationRecord {
        if let existing = try await CertificationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$kind == valid.kind.rawValue)
            .filter(\.$certificateNumber == valid.certificateNumber).filter(\.$removedAt == nil).first() {
            existing.issuer = valid.issuer
            existing.scope = valid.scope
            existing.coversService = valid.coversService
            existing.validFrom = valid.validFrom.iso
            existing.validUntil = valid.validUntil.iso
            try await existing.save(on: db)
            return existing
        }
        let input = CertificationInput(kind: valid.kind.rawValue, issuer: valid.issuer, certificateNumber: valid.certificateNumber, scope: valid.scope,
                                       coversService: valid.coversService, validFrom: valid.validFrom.iso, validUntil: valid.validUntil.iso)
        return try await Registry(services: services).addCertification(to: service, input, by: identity, on: db)
    }

    func certificate(of record: FastTrackRecord, on db: any Database) async throws -> CertificationRecord {
        guard let cert = try await CertificationRecord.find(record.certificationID, on: db) else { throw Problem.notFound }
        return cert
    }

    /// Replaces the certificate of a draft or returned application.
    func updateCertificate(_ record: FastTrackRecord, _ input: FastTrackInput, identity: Identity) async throws {
        let role = try Access.require(identity, organisation: record.organisationID)
        guard role == .provider else { throw Problem.forbidden }
        guard [.draft, .returned].contains(record.state) else {
            throw Problem.conflict(.init(ja: "下書きか差戻し中の申請だけを修正できます。", en: "Only draft or returned applications can be changed."))
        }
        var input = input
        input.serviceId = record.serviceID
        let valid = try input.validate(today: today)
        let service = try await Registry(services: services).service(id: record.serviceID)
        try await db.transaction { db in
            let cert = try await existingOrNewCertificate(valid, service: service, identity: identity, on: db)
            record.certificationID = cert.id!
            record.updatedAt = now
            try await record.save(on: db)
            try await ListIndex.save(ListIndex.entry(fastTrack: record, certificate: cert), service: service, on: db, at: now)
        }
    }

    func perform(_ event: FastTrackEvent, on record: FastTrackRecord, actor: Actor, role: WorkflowRole, reason: String? = nil,
                 questionSetID: UUID? = nil, identity: Identity? = nil) async throws {
        let from = record.state
        let to = try FastTrackWorkflow.next(from: from, on: event, by: role).orThrow()
        if [.return, .revoke].contains(event) && (reason ?? "").isEmpty {
            throw Problem.validation([FieldError(pointer: "/reason", code: "missing", detail: "Give the reasons.", detailJa: "理由を入力してください。")])
        }
        let cert = try await certificate(of: record, on: db)
        // The evidence must hold when the application is submitted, verified and granted.
        if [.submit, .verify, .grant].contains(event) {
            do { try FastTrackEvidence.check(cert.valid, today: today, prefix: "/certificate") } catch let problem as Problem {
                throw Problem.conflict(.init(ja: "ISO/IEC 27017 の認証が要件を満たしていません: " + problem.errors.compactMap(\.detailJa).joined(separator: " "),
                                             en: "The ISO/IEC 27017 certificate does not meet the requirements: " + problem.errors.map(\.detail).joined(separator: " ")),
                                       errors: problem.errors)
            }
        }
        if event == .expire, let period = record.period, !period.isExpired(on: today) {
            throw Problem.conflict(.init(ja: "暫定ステータスの期間（\(period.endsOn.iso)まで）が終わっていません。", en: "The provisional period runs until \(period.endsOn.iso)."))
        }
        var setID = questionSetID
        if event == .grant && setID == nil {
            let settings = try await CloudSettings.load(on: db)
            setID = try await QuestionSetRecord.query(on: db).filter(\.$code == settings.questionSetCode).sort(\.$version, .descending).first()?.id
            guard setID != nil else {
                throw Problem.conflict(.init(ja: "質問票（\(settings.questionSetCode)）が登録されていません。先に質問票を取り込んでください。",
                                             en: "No question set \(settings.questionSetCode) is loaded; import one first."))
            }
        }
        if event == .promote {
            let blockers = try await promotionBlockers(record)
            if !blockers.isEmpty {
                throw Problem.conflict(.init(ja: "本登録に移行できません: " + blockers.map(\.text.ja).joined(separator: " "),
                                             en: "Cannot promote yet: " + blockers.map(\.text.en).joined(separator: " ")))
            }
        }
        let boundSet = setID
        try await db.transaction { db in
            let service = try await Registry(services: services).service(id: record.serviceID, on: db)
            switch event {
            case .verify:
                record.verifiedOn = today.iso
                cert.verifiedAt = now
                cert.verifiedBy = actor.label
                try await cert.save(on: db)
            case .grant:
                let period = ProvisionalPeriod(grantedOn: today)
                record.grantedOn = period.grantedOn.iso
                record.provisionalUntil = period.endsOn.iso
                record.questionSetID = boundSet
                record.lastReason = nil
            case .return, .revoke:
                record.lastReason = reason
            case .promote:
                guard let identity else { throw Problem.forbidden }
                let registration = try await RegistrationDesk(services: services).record(service: service, list: .liu, registeredOn: today, auditFirm: nil,
                                                                                         identity: identity, source: "fast-track", fastTrackID: record.id, on: db)
                record.registrationID = registration.id
            default: break
            }
            record.status = to.rawValue
            record.updatedAt = now
            try await record.save(on: db)
            let isPublic = to.isPublic && record.grantedOn != nil
            var details = ["certificateNumber": cert.certificateNumber, "certificationBody": cert.issuer]
            if let granted = record.grantedOn { details["grantedOn"] = granted }
            if let until = record.provisionalUntil { details["provisionalUntil"] = until }
            try await StatusChange(list: .fastTrack, recordID: record.id!, recordNumber: record.number, service: service, from: from.rawValue,
                                   to: to.rawValue, event: event.rawValue, reason: reason, isPublic: isPublic, details: details)
                .write(on: db, actor: actor, at: now)
            try await ListIndex.save(ListIndex.entry(fastTrack: record, certificate: cert), service: service, on: db, at: now)
            try await notify(event, record: record, service: service, reason: reason, on: db)
        }
    }

    func notify(_ event: FastTrackEvent, record: FastTrackRecord, service: CloudServiceRecord, reason: String?, on db: any Database) async throws {
        let link = "/cloud/fast-track-applications/\(record.id!)"
        switch event {
        case .submit:
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.fast-track.submitted", subject: "Fast Track申請の審査依頼: \(service.name)",
                                            body: "\(record.number) が提出されました。ISO/IEC 27017 認証の確認をお願いします。", link: link, at: now)
        case .grant:
            try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.fast-track.granted",
                                            subject: "暫定ステータスが付与されました: \(service.name)",
                                            body: "\(record.number) の暫定ステータスは \(record.provisionalUntil ?? "") まで有効です。期間内に質問票に回答し、不足があれば是正してください。",
                                            link: link, at: now)
        case .return, .revoke, .promote, .verify:
            try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.fast-track.\(event.rawValue)",
                                            subject: "Fast Track: \(service.name)（\(label("cloud.event.\(event.rawValue)"))）", body: reason ?? record.number, link: link, at: now)
        case .expire:
            try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.fast-track.expired",
                                            subject: "暫定ステータスの期間が満了しました: \(service.name)",
                                            body: "\(record.number) は \(record.provisionalUntil ?? "") に満了し、本登録に移行しなかったため失効しました。", link: link, at: now)
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.fast-track.expired", subject: "暫定ステータス満了: \(service.name)",
                                            body: record.number, link: link, at: now)
        case .withdraw:
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.fast-track.withdrawn", subject: "Fast Track申請の取下げ: \(service.name)",
                                            body: record.number, link: link, at: now)
        }
    }

    // MARK: questionnaire

    struct Questionnaire {
        var set: QuestionSetRecord?
        var questions: [QuestionRecord]
        var answers: [UUID: AnswerRecord]
        var remediations: [RemediationRecord]
    }

    func questionnaire(_ record: FastTrackRecord, on database: (any Database)? = nil) async throws -> Questionnaire {
        let db = database ?? self.db
        guard let setID = record.questionSetID, let set = try await QuestionSetRecord.find(setID, on: db) else {
            return Questionnaire(set: nil, questions: [], answers: [:], remediations: [])
        }
        let questions = try await QuestionRecord.query(on: db).filter(\.$setID == setID).sort(\.$position).all()
        let answers = try await AnswerRecord.query(on: db).filter(\.$applicationID == record.id!).all()
        let remediations = try await RemediationRecord.query(on: db).filter(\.$applicationID == record.id!).sort(\.$createdAt).all()
        return Questionnaire(set: set, questions: questions, answers: Dictionary(answers.map { ($0.questionID, $0) }, uniquingKeysWith: { a, _ in a }),
                             remediations: remediations)
    }

    func promotionBlockers(_ record: FastTrackRecord, on database: (any Database)? = nil) async throws -> [PromotionBlocker] {
        let q = try await questionnaire(record, on: database)
        let numbers = Dictionary(q.questions.map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
        return PromotionReadiness.blockers(
            questions: q.questions.map(\.number),
            answers: q.questions.map { question in
                let answer = q.answers[question.id!]
                return .init(question: question.number, answered: answer != nil, finding: answer?.finding.flatMap(Finding.init(rawValue:)))
            },
            remediations: q.remediations.map { .init(title: $0.title, question: $0.questionID.flatMap { numbers[$0] }, status: $0.state) })
    }

    /// The provider answers while the status is provisional; an answer already found `ok` is final.
    func answer(_ record: FastTrackRecord, questionID: UUID, text: String?, identity: Identity) async throws -> AnswerRecord {
        let role = try Access.require(identity, organisation: record.organisationID)
        guard role == .provider else { throw Problem.forbidden }
        guard record.state == .provisional else {
            throw Problem.conflict(.init(ja: "質問票には暫定ステータスの期間中に回答します。", en: "The questionnaire is answered during the provisional status."))
        }
        guard let question = try await QuestionRecord.find(questionID, on: db), question.setID == record.questionSetID else { throw Problem.notFound }
        var check = InputCheck()
        let answerText = check.text("/answer", text, label: .init(ja: "回答", en: "answer"), max: 8000)
        try check.throwIfAny()
        return try await db.transaction { db in
            let answer = try await AnswerRecord.query(on: db).filter(\.$applicationID == record.id!).filter(\.$questionID == questionID).first() ?? AnswerRecord()
            if answer.finding == Finding.ok.rawValue {
                throw Problem.conflict(.init(ja: "この回答は確認済みです。", en: "This answer has been accepted and is final."))
            }
            answer.applicationID = record.id!
            answer.questionID = questionID
            answer.answer = answerText
            answer.answeredAt = now
            // A new answer needs a new review.
            if answer.finding == Finding.needsInfo.rawValue { answer.finding = nil; answer.reviewedAt = nil; answer.reviewedBy = nil }
            try await answer.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.fast-track.answer",
                                        targetType: "cloud.fast-track", targetID: record.id!.uuidString, summary: ["question": question.number], at: now)
            return answer
        }
    }

    func review(_ record: FastTrackRecord, answer: AnswerRecord, finding: String?, note: String?, identity: Identity) async throws {
        guard identity.isReviewer else { throw Problem.forbidden }
        guard record.state == .provisional else {
            throw Problem.conflict(.init(ja: "暫定ステータス中の回答だけを確認できます。", en: "Answers are reviewed during the provisional status."))
        }
        var check = InputCheck()
        let value = check.choice("/finding", finding, label: .init(ja: "確認結果", en: "finding"), as: Finding.self)
        let text = check.optionalText("/note", note, label: .init(ja: "コメント", en: "note"), max: 4000)
        if value != .ok && text == nil && value != nil {
            check.fail("/note", FieldError.Code.missing, ja: "不足・追加情報の内容をコメントに書いてください。", en: "Explain the gap or the information needed.")
        }
        try check.throwIfAny()
        let question = try await QuestionRecord.find(answer.questionID, on: db)
        try await db.transaction { db in
            answer.finding = value!.rawValue
            answer.findingNote = text
            answer.reviewedAt = now
            answer.reviewedBy = identity.displayName
            try await answer.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.fast-track.finding",
                                        targetType: "cloud.fast-track", targetID: record.id!.uuidString,
                                        summary: ["question": question?.number ?? "", "finding": value!.rawValue], at: now)
            if value != .ok {
                try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.fast-track.finding",
                                                subject: "質問票 \(question?.number ?? "") の確認結果: \(label("cloud.finding.\(value!.rawValue)"))", body: text ?? "",
                                                link: "/cloud/fast-track-applications/\(record.id!)", at: now)
            }
        }
    }

    struct RemediationInput: Codable, Sendable {
        var questionId: UUID?
        var title: String?
        var description: String?
        var owner: String?
        var dueDate: String?
    }

    func addRemediation(_ record: FastTrackRecord, _ input: RemediationInput, identity: Identity) async throws -> RemediationRecord {
        _ = try Access.require(identity, organisation: record.organisationID)
        guard record.state == .provisional else {
            throw Problem.conflict(.init(ja: "是正項目は暫定ステータス中に登録します。", en: "Remediation items belong to a provisional status."))
        }
        var check = InputCheck()
        let title = check.text("/title", input.title, label: .init(ja: "是正項目", en: "title"), max: 200)
        let description = check.optionalText("/description", input.description, label: .init(ja: "内容", en: "description"), max: 4000)
        let owner = check.text("/owner", input.owner, label: .init(ja: "担当者", en: "owner"), max: 100)
        let due = check.date("/dueDate", input.dueDate, label: .init(ja: "期限", en: "due date"))
        if let due, let until = record.provisionalUntil.flatMap(LocalDate.init), due > until {
            check.fail("/dueDate", ja: "期限は暫定ステータスの満了日（\(until.iso)）までにしてください。", en: "The due date must be on or before the end of the provisional status (\(until.iso)).")
        }
        if let due, due < today { check.fail("/dueDate", ja: "期限が過去の日付です。", en: "The due date is in the past.") }
        if let questionID = input.questionId {
            guard let question = try await QuestionRecord.find(questionID, on: db), question.setID == record.questionSetID else {
                throw Problem.validation([FieldError(pointer: "/questionId", code: "unknown", detail: "Not a question of this questionnaire.", detailJa: "この質問票の質問ではありません。")])
            }
        }
        try check.throwIfAny()
        return try await db.transaction { db in
            let item = RemediationRecord()
            item.applicationID = record.id!
            item.questionID = input.questionId
            item.title = title
            item.description = description
            item.owner = owner
            item.dueDate = due!.iso
            item.status = RemediationStatus.open.rawValue
            item.createdAt = now
            item.updatedAt = now
            try await item.create(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.fast-track.remediation-add",
                                        targetType: "cloud.fast-track", targetID: record.id!.uuidString, summary: ["title": title, "due": due!.iso], at: now)
            return item
        }
    }

    func remediation(_ event: RemediationEvent, item: RemediationRecord, record: FastTrackRecord, identity: Identity) async throws {
        let role = try Access.require(identity, organisation: record.organisationID)
        guard record.state == .provisional else {
            throw Problem.conflict(.init(ja: "暫定ステータス中だけ更新できます。", en: "Only during the provisional status."))
        }
        let to = try RemediationWorkflow.table.next(from: item.state, on: event, by: role).orThrow()
        try await db.transaction { db in
            let from = item.status
            item.status = to.rawValue
            item.updatedAt = now
            try await item.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: record.organisationID, action: "cloud.fast-track.remediation-\(event.rawValue)",
                                        targetType: "cloud.fast-track", targetID: record.id!.uuidString, summary: ["title": item.title, "from": from, "to": to.rawValue], at: now)
            if event == .complete {
                try await Notifications.enqueue(on: db, to: .reviewers, kind: "cloud.fast-track.remediation-done", subject: "是正完了の確認依頼: \(item.title)",
                                                body: record.number, link: "/cloud/fast-track-applications/\(record.id!)", at: now)
            }
        }
    }

    // MARK: the daily job

    /// Expires provisional statuses after their last day and sends the 6/3/1-month reminders.
    func runDaily(today: LocalDate) async throws -> String {
        let provisional = try await FastTrackRecord.query(on: db).filter(\.$status == FastTrackStatus.provisional.rawValue).all()
        var expired = 0, reminded = 0
        for record in provisional {
            guard let period = record.period else { continue }
            if period.isExpired(on: today) {
                try await perform(.expire, on: record, actor: .system("cloud.fast-track.expiry"), role: .system)
                expired += 1
                continue
            }
            let sent = try await Reminders.sent(recordID: record.id!, on: db)
            let sentMonths = Set(ProvisionalPeriod.reminderMonths.filter { sent.contains("ft-\($0)m") })
            guard let months = period.dueReminder(on: today, alreadySent: sentMonths) else { continue }
            let claimed = try await db.transaction { db -> Bool in
                // Stale earlier reminders are marked as handled so they are never sent late.
                for stale in ProvisionalPeriod.reminderMonths where stale > months && !sentMonths.contains(stale) {
                    _ = try await Reminders.claim(recordID: record.id!, kind: "ft-\(stale)m", on: db, at: now)
                }
                guard try await Reminders.claim(recordID: record.id!, kind: "ft-\(months)m", on: db, at: now) else { return false }
                let service = try await Registry(services: services).service(id: record.serviceID, on: db)
                let blockers = try await promotionBlockers(record, on: db).count
                try await Notifications.enqueue(on: db, to: .organisation(record.organisationID), kind: "cloud.fast-track.reminder",
                    subject: "暫定ステータスの満了まで\(months)か月: \(service.name)",
                    body: "\(record.number) の暫定ステータスは \(period.endsOn.iso) に満了します。本登録への移行に残っている項目: \(blockers)件。",
                    link: "/cloud/fast-track-applications/\(record.id!)", at: now)
                return true
            }
            if claimed { reminded += 1 }
        }
        return "fast track: \(expired) expired, \(reminded) reminded"
    }
}
