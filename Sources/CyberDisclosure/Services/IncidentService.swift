import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Incident filings: drafts, publication as public records, amendments, delays and the
/// submissions recorded for other regimes.
struct IncidentService: Sendable {
    let services: Services
    /// The time the service acts at: the clock, or a fixed instant (the demo writes history).
    var at: Date? = nil
    var db: any Database { services.db }
    var now: Date { at ?? services.now }

    static let maxDelayDays = 30
    static let textLimit = 4000

    // MARK: inputs

    struct CreateInput: Codable, Sendable {
        var occurredAt: Date?
        var discoveredAt: Date
        var determinedAt: Date
        var personalData: Bool?
        var malicious: Bool?
        var content: IncidentContent
    }

    struct UpdateInput: Codable, Sendable {
        var occurredAt: Date?
        var discoveredAt: Date?
        var determinedAt: Date?
        var personalData: Bool?
        var malicious: Bool?
        var content: IncidentContent
        /// For an amendment draft: what new information it reports.
        var reason: String?
    }

    struct AmendmentInput: Codable, Sendable {
        var informationAvailableAt: Date
        var reason: String
    }

    struct DelayInput: Codable, Sendable {
        var grounds: String
        var until: Date
    }

    enum Decision: String, Codable, Sendable, CaseIterable { case approve, reject }

    struct DecisionInput: Codable, Sendable {
        var decision: Decision
        var until: Date?
        var note: String?
    }

    struct SubmissionInput: Codable, Sendable {
        var submittedAt: Date
        var reference: String?
    }

    // MARK: the published record

    /// What the transparency log holds for each published version (its SHA-256 is the entry's content hash).
    struct PublishedVersion: Codable, Sendable, Equatable {
        struct Company: Codable, Sendable, Equatable {
            var securitiesCode: String
            var corporateNumber: String
            var name: String
        }
        struct Clock: Codable, Sendable, Equatable {
            var rule: String
            var trigger: String
            var due: String
            var late: Bool
            var delays: [[String]]
        }
        var number: String
        var version: Int
        var kind: DraftKind
        var company: Company
        var occurredAt: String?
        var discoveredAt: String
        var determinedAt: String
        var personalData: Bool
        var malicious: Bool
        var informationAvailableAt: String?
        var reason: String?
        var content: IncidentContent
        var clock: Clock
        var publishedAt: String
    }

    // MARK: loading and access

    /// An incident by UUID or public number, or 404. Never-published drafts are visible only to the
    /// company and to reviewers.
    func find(_ key: String, identity: Identity?) async throws -> Incident {
        let incident: Incident?
        if let id = UUID(uuidString: key) {
            incident = try await Incident.find(id, on: db)
        } else if key.range(of: "^INC-[0-9]{4}-[0-9]{4,}$", options: .regularExpression) != nil {
            incident = try await Incident.query(on: db).filter(\.$number == key).first()
        } else {
            incident = nil
        }
        guard let incident else { throw Problem.notFound }
        if incident.status == .draft && !(identity?.canAccess(organisation: incident.organisationID) ?? false) { throw Problem.notFound }
        return incident
    }

    static func canEdit(_ incident: Incident, _ identity: Identity?) -> Bool {
        guard let identity, identity.role == .member else { return false }
        return identity.organisationID == incident.organisationID
    }

    func requireEditor(_ incident: Incident, _ identity: Identity) throws {
        guard Self.canEdit(incident, identity) else { throw Problem.forbidden }
    }

    /// Everything a page or the API shows about an incident.
    struct Snapshot {
        let incident: Incident
        let company: ListedCompany
        let versions: [IncidentVersion]
        let delays: [DelayRequest]
        let reports: [ObligationReport]
        let rules: [RegimeRule]
        let obligations: [Obligation]
        let draft: IncidentContent?
        let current: IncidentContent

        func published(_ version: IncidentVersion) -> PublishedVersion? { try? DisclosureJSON.decode(PublishedVersion.self, version.content) }
        var pauses: [PauseWindow] { delays.compactMap(\.pause) }
    }

    func snapshot(_ incident: Incident) async throws -> Snapshot {
        guard let company = try await ListedCompany.find(incident.companyID, on: db) else { throw Problem.notFound }
        let versions = try await IncidentVersion.query(on: db).filter(\.$incidentID == incident.id!).sort(\.$version).all()
        let delays = try await DelayRequest.query(on: db).filter(\.$incidentID == incident.id!).sort(\.$requestedAt).all()
        let reports = try await ObligationReport.query(on: db).filter(\.$incidentID == incident.id!).all()
        let rules = try await DisclosureStore.rules(on: db)
        let draft = try incident.draftContent.map { try DisclosureJSON.decode(IncidentContent.self, $0) }
        let latest = try versions.last.map { try DisclosureJSON.decode(PublishedVersion.self, $0.content).content }
        let current = draft ?? latest ?? IncidentContent(title: incident.title)
        let input = ObligationInput(
            facts: incident.facts, company: company.flags, content: current,
            versions: versions.map { .init(version: $0.version, informationAvailableAt: $0.informationAvailableAt, publishedAt: $0.publishedAt) },
            draftAmendmentAvailableAt: incident.draftKind == .amendment ? incident.draftAvailableAt : nil,
            pauses: delays.compactMap(\.pause),
            submissions: Dictionary(reports.map { ($0.ruleCode, (at: $0.submittedAt, reference: $0.reference)) }, uniquingKeysWith: { a, _ in a }))
        let obligations = try ObligationPlanner.obligations(rules: rules, input: input, now: now)
        return Snapshot(incident: incident, company: company, versions: versions, delays: delays, reports: reports, rules: rules,
                        obligations: obligations, draft: draft, current: current)
    }

    // MARK: drafts

    func create(_ input: CreateInput, identity: Identity) async throws -> Incident {
        let company = try await DisclosureStore.memberCompany(identity, on: db)
        guard let organisationID = identity.organisationID else { throw Problem.forbidden }
        return try await create(input, company: company, organisationID: organisationID, actor: Actor(identity))
    }

    /// Records a draft for `company` (authorisation is the caller's job).
    func create(_ input: CreateInput, company: ListedCompany, organisationID: UUID, actor: Actor) async throws -> Incident {
        let facts = IncidentFacts(occurredAt: input.occurredAt, discoveredAt: input.discoveredAt, determinedAt: input.determinedAt,
                                  personalData: input.personalData ?? false, malicious: input.malicious ?? false)
        let content = input.content.normalised()
        let now = self.now
        var errors = ValidationErrors()
        errors.add(contentsOf: facts.problems(now: now))
        errors.add(contentsOf: content.draftProblems(prefix: "/content"))
        try errors.throwIfAny()
        return try await db.transaction { db in
            let incident = Incident()
            incident.companyID = company.id!
            incident.organisationID = organisationID
            incident.status = .draft
            incident.title = content.title
            Self.apply(facts, to: incident)
            incident.draftContent = try DisclosureJSON.string(content)
            incident.draftKind = .initial
            incident.latestVersion = 0
            incident.late = false
            incident.createdAt = now
            incident.updatedAt = now
            try await incident.create(on: db)
            try await DisclosureStore.audit(db, actor, organisation: organisationID, action: "disclosure.incident.create",
                                            targetType: "incident", target: incident.id!.uuidString,
                                            summary: ["title": content.title, "determinedAt": ISO8601Timestamp.format(facts.determinedAt)], at: now)
            return incident
        }
    }

    static func apply(_ facts: IncidentFacts, to incident: Incident) {
        incident.occurredAt = facts.occurredAt
        incident.discoveredAt = facts.discoveredAt
        incident.determinedAt = facts.determinedAt
        incident.personalData = facts.personalData
        incident.malicious = facts.malicious
    }

    func update(_ incident: Incident, _ input: UpdateInput, identity: Identity) async throws {
        try requireEditor(incident, identity)
        try await update(incident, input, actor: Actor(identity))
    }

    func update(_ incident: Incident, _ input: UpdateInput, actor: Actor) async throws {
        guard let kind = incident.draftKind else {
            throw Problem.state("編集中の下書きがありません。続報を作成してから編集してください。", "There is no draft; start an amendment to change a published filing.")
        }
        let now = self.now
        var facts = incident.facts
        if kind == .initial {
            if let value = input.discoveredAt { facts.discoveredAt = value }
            if let value = input.determinedAt { facts.determinedAt = value }
            facts.occurredAt = input.occurredAt
            if let value = input.personalData { facts.personalData = value }
            if let value = input.malicious { facts.malicious = value }
        } else {
            let changed = [input.discoveredAt.map { $0 != facts.discoveredAt }, input.determinedAt.map { $0 != facts.determinedAt },
                           input.occurredAt.map { $0 != facts.occurredAt }, input.personalData.map { $0 != facts.personalData },
                           input.malicious.map { $0 != facts.malicious }].contains(true)
            if changed {
                throw Problem.conflict(.init(ja: "発見・判断の日時などの事実は最初の公表後は変更できません（期限の起算点のため）。続報の本文で訂正を説明してください。",
                                             en: "The facts that start the clocks cannot change after the first publication; explain any correction in the amendment."))
            }
        }
        let content = input.content.normalised()
        let reason = input.reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var errors = ValidationErrors()
        if kind == .initial { errors.add(contentsOf: facts.problems(now: now)) }
        TextRules.check([("/reason", reason)], into: &errors)
        if let reason, kind == .amendment, reason.count > Self.textLimit {
            errors.add("/reason", code: FieldError.Code.invalid, .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
        }
        errors.add(contentsOf: content.draftProblems(prefix: "/content"))
        try errors.throwIfAny()
        let newFacts = facts
        try await db.transaction { db in
            Self.apply(newFacts, to: incident)
            incident.title = incident.status == .draft ? content.title : incident.title
            incident.draftContent = try DisclosureJSON.string(content)
            if kind == .amendment, let reason { incident.draftReason = reason }
            incident.updatedAt = now
            try await incident.save(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.incident.update",
                                            targetType: "incident", target: incident.id!.uuidString, summary: ["title": content.title, "draft": kind.rawValue], at: now)
        }
    }

    /// Publishes the draft as the next version: a public record with exactly one log entry.
    @discardableResult
    func submit(_ incident: Incident, identity: Identity) async throws -> IncidentVersion {
        try requireEditor(incident, identity)
        return try await submit(incident, actor: Actor(identity))
    }

    @discardableResult
    func submit(_ incident: Incident, actor: Actor) async throws -> IncidentVersion {
        guard let kind = incident.draftKind, let draftJSON = incident.draftContent else {
            throw Problem.state("提出する下書きがありません。", "There is no draft to submit.")
        }
        let snapshot = try await snapshot(incident)
        let content = try DisclosureJSON.decode(IncidentContent.self, draftJSON)
        let now = self.now
        let ruleCode = kind == .initial ? RegimeRule.timelyCode : RegimeRule.amendmentCode
        let rule = snapshot.rules.first { $0.code == ruleCode && $0.active } ?? snapshot.rules.first { $0.code == RegimeRule.timelyCode }
            ?? RegimeRule.defaults[0]
        var errors = ValidationErrors()
        errors.add(contentsOf: content.draftProblems(prefix: "/content"))
        errors.add(contentsOf: content.missing(rule.requiredContent, occurredAt: incident.occurredAt, prefix: "/content"))
        if kind == .initial { errors.add(contentsOf: incident.facts.problems(now: now)) }
        if kind == .amendment && (incident.draftReason ?? "").isEmpty {
            errors.add("/reason", code: FieldError.Code.missing, .init(ja: "続報の理由（新たに判明した事項）を記載してください。", en: "Say what new information the amendment reports."))
        }
        if !errors.isEmpty {
            throw Problem.validation(errors.errors, detail: .init(ja: "開示に必要な記載が不足しているため、提出できません。次の項目を確認してください。",
                                                                  en: "The filing lacks required content and cannot be submitted. Check the fields below."))
        }
        let trigger = kind == .initial ? incident.determinedAt : (incident.draftAvailableAt ?? incident.determinedAt)
        let deadline = try DeadlineEngine.deadline(rule.clock, from: trigger, pauses: rule.pausedByDelay ? snapshot.pauses : [])
        let late = deadline.isLate(at: now)
        let company = snapshot.company
        return try await db.transaction { db in
            // Re-read under the transaction: a second submit of the same draft must not publish twice.
            guard let fresh = try await Incident.find(incident.id!, on: db), fresh.draftKind == kind, fresh.latestVersion == incident.latestVersion else {
                throw Problem.state("この下書きはすでに提出されました。", "This draft has already been submitted.")
            }
            let number: String
            if let existing = fresh.number { number = existing } else {
                number = try await DisclosureStore.nextNumber("INC", year: JapanTime.date(of: now).year, on: db)
            }
            let versionNumber = fresh.latestVersion + 1
            let record = PublishedVersion(
                number: number, version: versionNumber, kind: kind,
                company: .init(securitiesCode: company.securitiesCode, corporateNumber: company.corporateNumber, name: company.name),
                occurredAt: fresh.occurredAt.map(JapanTime.iso8601), discoveredAt: JapanTime.iso8601(fresh.discoveredAt),
                determinedAt: JapanTime.iso8601(fresh.determinedAt), personalData: fresh.personalData, malicious: fresh.malicious,
                informationAvailableAt: kind == .amendment ? fresh.draftAvailableAt.map(JapanTime.iso8601) : nil,
                reason: kind == .amendment ? fresh.draftReason : nil, content: content,
                clock: .init(rule: rule.code, trigger: JapanTime.iso8601(trigger), due: JapanTime.iso8601(deadline.due), late: late,
                             delays: deadline.pauses.map { [JapanTime.iso8601($0.start), JapanTime.iso8601($0.end)] }),
                publishedAt: JapanTime.iso8601(now))
            let logIndex = try await PublicRecord.publish(
                on: db, actor: actor, organisationID: fresh.organisationID,
                type: kind == .initial ? "disclosure.incident.published" : "disclosure.incident.amended",
                subject: "\(number) v\(versionNumber) \(company.securitiesCode)", recordNumber: number, content: record,
                targetType: "incident", targetID: fresh.id!.uuidString,
                summary: ["number": number, "version": String(versionNumber), "late": String(late), "due": ISO8601Timestamp.format(deadline.due)], at: now)
            let version = IncidentVersion()
            version.incidentID = fresh.id!
            version.version = versionNumber
            version.kind = kind
            version.content = try DisclosureJSON.string(record)
            version.reason = record.reason
            version.informationAvailableAt = kind == .amendment ? fresh.draftAvailableAt : nil
            version.triggerAt = trigger
            version.dueAt = deadline.due
            version.publishedAt = now
            version.late = late
            version.logIndex = logIndex
            version.publishedBy = actor.label
            try await version.create(on: db)
            fresh.number = number
            fresh.status = .published
            fresh.title = content.title
            fresh.latestVersion = versionNumber
            fresh.draftContent = nil
            fresh.draftKind = nil
            fresh.draftAvailableAt = nil
            fresh.draftReason = nil
            if versionNumber == 1 {
                fresh.firstPublishedAt = now
                fresh.firstDueAt = deadline.due
                fresh.late = late
            }
            fresh.latestPublishedAt = now
            fresh.updatedAt = now
            try await fresh.save(on: db)
            let lateText = late ? (ja: "（期限後の開示）", en: " (filed after the deadline)") : (ja: "", en: "")
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "disclosure.incident.published",
                                            subject: "適時開示 \(number) 第\(versionNumber)版\(lateText.ja) / Disclosure \(number) v\(versionNumber)\(lateText.en)",
                                            body: "\(company.securitiesCode) \(company.name): \(content.title)", link: "/disclosure/incidents/\(number)", at: now)
            return version
        }
    }

    /// Starts an amendment: its own clock runs from the time the new information became available.
    func startAmendment(_ incident: Incident, _ input: AmendmentInput, identity: Identity) async throws {
        try requireEditor(incident, identity)
        try await startAmendment(incident, input, actor: Actor(identity))
    }

    func startAmendment(_ incident: Incident, _ input: AmendmentInput, actor: Actor) async throws {
        guard incident.status == .published else { throw Problem.state("最初の開示を公表してから続報を作成してください。", "Publish the first filing before an amendment.") }
        guard incident.draftKind == nil else { throw Problem.state("作成中の続報があります。先に提出してください。", "An amendment is already being drafted; submit it first.") }
        let now = self.now
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        if input.informationAvailableAt > now {
            errors.add("/informationAvailableAt", code: FieldError.Code.invalid, .init(ja: "未来の日時は入力できません。", en: "The time cannot be in the future."))
        }
        if input.informationAvailableAt < incident.determinedAt {
            errors.add("/informationAvailableAt", code: FieldError.Code.invalid,
                       .init(ja: "新たな情報が判明した日時は、重大性の判断日時より後にしてください。", en: "The information cannot have become available before the determination."))
        }
        TextRules.check([("/reason", reason)], into: &errors)
        if reason.isEmpty {
            errors.add("/reason", code: FieldError.Code.missing, .init(ja: "新たに判明した事項（続報の理由）を記載してください。", en: "Say what new information the amendment reports."))
        } else if reason.count > Self.textLimit {
            errors.add("/reason", code: FieldError.Code.invalid, .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
        }
        try errors.throwIfAny()
        guard let latest = try await IncidentVersion.query(on: db).filter(\.$incidentID == incident.id!).sort(\.$version, .descending).first() else {
            throw Problem.notFound
        }
        let content = try DisclosureJSON.decode(PublishedVersion.self, latest.content).content
        try await db.transaction { db in
            incident.draftKind = .amendment
            incident.draftContent = try DisclosureJSON.string(content)
            incident.draftAvailableAt = input.informationAvailableAt
            incident.draftReason = reason
            incident.updatedAt = now
            try await incident.save(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.incident.amendment.start",
                                            targetType: "incident", target: incident.id!.uuidString,
                                            summary: ["informationAvailableAt": ISO8601Timestamp.format(input.informationAvailableAt), "reason": reason], at: now)
        }
    }

    // MARK: delays

    func requestDelay(_ incident: Incident, _ input: DelayInput, identity: Identity) async throws -> DelayRequest {
        try requireEditor(incident, identity)
        return try await requestDelay(incident, input, actor: Actor(identity))
    }

    func requestDelay(_ incident: Incident, _ input: DelayInput, actor: Actor) async throws -> DelayRequest {
        let snapshot = try await snapshot(incident)
        let now = self.now
        guard let clock = snapshot.obligations.first(where: { $0.rule.pausedByDelay && $0.status.isOpen }) else {
            throw Problem.state("開示の期限が進行中のときだけ猶予を申請できます。", "A delay can be requested only while a disclosure clock is running.")
        }
        if clock.status == .overdue {
            throw Problem.state("期限を過ぎた開示は猶予できません。直ちに開示してください。", "A deadline that has passed cannot be delayed; disclose now.")
        }
        if snapshot.delays.contains(where: { $0.status == .pending || ($0.status == .approved && ($0.approvedUntil ?? now) > now && $0.endedAt == nil) }) {
            throw Problem.state("審査中または有効な猶予がすでにあります。", "A delay is already pending or in effect.")
        }
        let grounds = input.grounds.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        TextRules.check([("/grounds", grounds)], into: &errors)
        if grounds.count < 20 {
            errors.add("/grounds", code: FieldError.Code.missing,
                       .init(ja: "猶予を求める根拠を具体的に記載してください（20文字以上）。", en: "Give the grounds for the delay (at least 20 characters)."))
        } else if grounds.count > Self.textLimit {
            errors.add("/grounds", code: FieldError.Code.invalid, .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
        }
        if input.until <= now {
            errors.add("/until", code: FieldError.Code.invalid, .init(ja: "猶予の終了日時は現在より後にしてください。", en: "The delay must end in the future."))
        } else if input.until > now.addingTimeInterval(TimeInterval(Self.maxDelayDays) * 86400) {
            errors.add("/until", code: FieldError.Code.range,
                       .init(ja: "猶予は一度に\(Self.maxDelayDays)日までです（延長は改めて申請）。", en: "A delay is at most \(Self.maxDelayDays) days at a time (request again to extend)."))
        }
        try errors.throwIfAny()
        return try await db.transaction { db in
            let delay = DelayRequest()
            delay.incidentID = incident.id!
            delay.status = .pending
            delay.grounds = grounds
            delay.requestedUntil = input.until
            delay.requestedAt = now
            delay.requestedBy = actor.label
            try await delay.create(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.delay.request",
                                            targetType: "delay", target: delay.id!.uuidString,
                                            summary: ["incident": incident.id!.uuidString, "until": ISO8601Timestamp.format(input.until)], at: now)
            try await Notifications.enqueue(on: db, to: .reviewers, kind: "disclosure.delay.requested",
                                            subject: "開示猶予の申請 / Delay requested: \(snapshot.company.securitiesCode) \(snapshot.company.name)",
                                            body: incident.title, link: "/disclosure/incidents/\(incident.publicID)", at: now)
            return delay
        }
    }

    func decideDelay(_ delayID: UUID, _ input: DecisionInput, identity: Identity) async throws -> DelayRequest {
        guard identity.isReviewer else { throw Problem.forbidden }
        return try await decideDelay(delayID, input, actor: Actor(identity))
    }

    /// A reviewer's decision (the caller checks the role).
    func decideDelay(_ delayID: UUID, _ input: DecisionInput, actor: Actor) async throws -> DelayRequest {
        guard let delay = try await DelayRequest.find(delayID, on: db), let incident = try await Incident.find(delay.incidentID, on: db) else {
            throw Problem.notFound
        }
        guard delay.status == .pending else { throw Problem.state("この申請はすでに判断済みです。", "This request has already been decided.") }
        let now = self.now
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var errors = ValidationErrors()
        TextRules.check([("/note", note)], into: &errors)
        if (note?.count ?? 0) > Self.textLimit {
            errors.add("/note", code: FieldError.Code.invalid, .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
        }
        var until = delay.requestedUntil
        switch input.decision {
        case .approve:
            if let requested = input.until {
                if requested > delay.requestedUntil {
                    errors.add("/until", code: FieldError.Code.range, .init(ja: "申請された期間より長くは承認できません。", en: "The approval cannot run longer than requested."))
                }
                until = min(requested, delay.requestedUntil)
            }
            if until <= now {
                errors.add("/until", code: FieldError.Code.invalid, .init(ja: "猶予の終了日時は現在より後にしてください。", en: "The delay must end in the future."))
            }
            let snapshot = try await snapshot(incident)
            if !snapshot.obligations.contains(where: { $0.rule.pausedByDelay && ($0.status == .open || $0.status == .paused) }) {
                throw Problem.state("進行中の開示期限がない（提出済みまたは期限超過）ため、承認できません。",
                                    "There is no running disclosure clock (already filed or overdue), so the delay cannot be approved.")
            }
        case .reject:
            if note == nil {
                errors.add("/note", code: FieldError.Code.missing, .init(ja: "却下の理由を記載してください。", en: "Give the reason for the rejection."))
            }
        }
        try errors.throwIfAny()
        let approvedUntil = until
        return try await db.transaction { db in
            delay.status = input.decision == .approve ? .approved : .rejected
            delay.decidedAt = now
            delay.decidedBy = actor.label
            delay.decisionNote = note
            delay.approvedUntil = input.decision == .approve ? approvedUntil : nil
            try await delay.save(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.delay.\(input.decision.rawValue)",
                                            targetType: "delay", target: delay.id!.uuidString,
                                            summary: ["incident": incident.id!.uuidString, "until": delay.approvedUntil.map { ISO8601Timestamp.format($0) } ?? ""], at: now)
            let verdict = input.decision == .approve ? (ja: "承認", en: "approved") : (ja: "却下", en: "rejected")
            try await Notifications.enqueue(on: db, to: .organisation(incident.organisationID), kind: "disclosure.delay.decided",
                                            subject: "開示猶予が\(verdict.ja)されました / Delay \(verdict.en)",
                                            body: incident.title, link: "/disclosure/incidents/\(incident.publicID)", at: now)
            return delay
        }
    }

    /// Ends an approved delay early (the grounds no longer apply): the clock runs again from now.
    /// The company may also withdraw its pending request.
    func endDelay(_ delayID: UUID, identity: Identity) async throws {
        guard let delay = try await DelayRequest.find(delayID, on: db), let incident = try await Incident.find(delay.incidentID, on: db) else {
            throw Problem.notFound
        }
        let editor = Self.canEdit(incident, identity)
        guard identity.isReviewer || editor else { throw Problem.forbidden }
        if delay.status == .pending && !editor { throw Problem.state("審査中の申請は判断してください。", "Decide the pending request instead.") }
        try await endDelay(delayID, actor: Actor(identity))
    }

    func endDelay(_ delayID: UUID, actor: Actor) async throws {
        guard let delay = try await DelayRequest.find(delayID, on: db), let incident = try await Incident.find(delay.incidentID, on: db) else {
            throw Problem.notFound
        }
        let now = self.now
        if delay.status == .pending {
            try await db.transaction { db in
                delay.status = .withdrawn
                delay.endedAt = now
                try await delay.save(on: db)
                try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.delay.withdraw",
                                                targetType: "delay", target: delay.id!.uuidString, summary: [:], at: now)
            }
            return
        }
        guard delay.status == .approved, let until = delay.approvedUntil, until > now, delay.endedAt == nil else {
            throw Problem.state("有効な猶予ではありません。", "This delay is not in effect.")
        }
        try await db.transaction { db in
            delay.status = .ended
            delay.endedAt = now
            try await delay.save(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.delay.end",
                                            targetType: "delay", target: delay.id!.uuidString, summary: ["endedAt": ISO8601Timestamp.format(now)], at: now)
        }
    }

    // MARK: other regimes

    func recordSubmission(_ incident: Incident, ruleCode: String, _ input: SubmissionInput, identity: Identity) async throws -> ObligationReport {
        try requireEditor(incident, identity)
        return try await recordSubmission(incident, ruleCode: ruleCode, input, actor: Actor(identity))
    }

    func recordSubmission(_ incident: Incident, ruleCode: String, _ input: SubmissionInput, actor: Actor) async throws -> ObligationReport {
        let snapshot = try await snapshot(incident)
        guard let obligation = snapshot.obligations.first(where: { $0.rule.code == ruleCode && !$0.rule.metByPublication }) else {
            throw Problem.notFound
        }
        if obligation.metAt != nil { throw Problem.state("この報告の提出はすでに記録されています。", "This submission has already been recorded.") }
        let now = self.now
        let reference = input.reference?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var errors = ValidationErrors()
        if input.submittedAt > now {
            errors.add("/submittedAt", code: FieldError.Code.invalid, .init(ja: "未来の日時は入力できません。", en: "The time cannot be in the future."))
        }
        if input.submittedAt < incident.discoveredAt {
            errors.add("/submittedAt", code: FieldError.Code.invalid, .init(ja: "提出日時は発見日時より後にしてください。", en: "The submission cannot precede the discovery."))
        }
        TextRules.check([("/reference", reference)], into: &errors)
        if (reference?.count ?? 0) > 200 {
            errors.add("/reference", code: FieldError.Code.invalid, .init(ja: "受付番号等は200文字以内にしてください。", en: "The reference is at most 200 characters."))
        }
        errors.add(contentsOf: snapshot.current.missing(obligation.rule.requiredContent, occurredAt: incident.occurredAt, prefix: "/content"))
        if !errors.isEmpty {
            throw Problem.validation(errors.errors, detail: .init(ja: "この報告に必要な記載が不足しているか、日時に誤りがあります。", en: "The report lacks required content or the time is wrong."))
        }
        return try await db.transaction { db in
            let report = ObligationReport()
            report.incidentID = incident.id!
            report.ruleCode = ruleCode
            report.submittedAt = input.submittedAt
            report.reference = reference
            report.recordedAt = now
            report.recordedBy = actor.label
            try await report.create(on: db)
            try await DisclosureStore.audit(db, actor, organisation: incident.organisationID, action: "disclosure.obligation.submitted",
                                            targetType: "incident", target: incident.id!.uuidString,
                                            summary: ["rule": ruleCode, "submittedAt": ISO8601Timestamp.format(input.submittedAt),
                                                      "late": String(obligation.deadline.isLate(at: input.submittedAt))], at: now)
            return report
        }
    }

    // MARK: lists

    struct PublicFilter: Sendable {
        var company: String?
        var late: Bool?
        var year: Int?
    }

    /// Published incidents, newest publication first.
    func publicList(_ filter: PublicFilter, page: ShinraiKit.PageRequest) async throws -> (items: [Incident], total: Int) {
        var query = Incident.query(on: db).filter(\.$status == .published)
        if let code = filter.company {
            guard let company = try await DisclosureStore.company(code: code, on: db) else { return ([], 0) }
            query = query.filter(\.$companyID == company.id!)
        }
        if let late = filter.late { query = query.filter(\.$late == late) }
        if let year = filter.year {
            query = query.filter(\.$firstPublishedAt >= JapaneseDate.date(year: year, month: 1, day: 1))
                .filter(\.$firstPublishedAt < JapaneseDate.date(year: year + 1, month: 1, day: 1))
        }
        let total = try await query.count()
        let items = try await query.sort(\.$latestPublishedAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    /// The company's own incidents (drafts included), newest first.
    func organisationList(_ organisationID: UUID) async throws -> [Incident] {
        try await Incident.query(on: db).filter(\.$organisationID == organisationID).sort(\.$updatedAt, .descending).limit(200).all()
    }

    /// Incidents that may still have a running clock: unpublished or with a draft, or recent enough for
    /// the longest regime clock (60 days, plus delays).
    func candidatesForClocks() async throws -> [Incident] {
        let horizon = now.addingTimeInterval(-150 * 86400)
        return try await Incident.query(on: db).group(.or) { group in
            group.filter(\.$status == .draft).filter(\.$draftKind != nil).filter(\.$determinedAt >= horizon)
        }.all()
    }
}
