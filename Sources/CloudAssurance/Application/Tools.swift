import Crypto
import FluentKit
import Foundation
import ShinraiKit

/// Runs the audit-scope calculator (§2.5-1) on stored catalogues and crosswalks.
struct AuditScopeService {
    let services: Services
    var db: any Database { services.db }

    struct Outcome {
        var target: CatalogueRecord
        var result: AuditScopeCalculator.Result
        var evidence: [AuditScopeCalculator.Evidence]
        /// Certifications that do not count, with the reason.
        var excluded: [(label: String, reason: LocalizedText)]
        var cycle: AuditCycle
        var mandatoryOnly: Bool
        var costs: AuditUnitCosts
    }

    func target(key: String?) async throws -> CatalogueRecord {
        if let key, !key.isEmpty { return try await CatalogueDesk(services: services).catalogue(key: key) }
        guard let target = try await CatalogueRecord.query(on: db).filter(\.$isTarget == true).first() else {
            throw Problem.conflict(.init(ja: "基準となるカタログ（ISMAP管理基準）が設定されていません。", en: "No target catalogue (the ISMAP criteria) is configured."))
        }
        return target
    }

    /// The certifications of a service that count today: valid, and covering the service.
    func evidence(for service: CloudServiceRecord, today: LocalDate) async throws -> (kinds: [(id: String, label: String, kind: CertificationKind)], excluded: [(String, LocalizedText)]) {
        let certs = try await CertificationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$removedAt == nil).all()
        var kinds: [(String, String, CertificationKind)] = [], excluded: [(String, LocalizedText)] = []
        for cert in certs {
            let label = "\(cert.certificationKind.label) \(cert.certificateNumber)"
            if !cert.coversService {
                excluded.append((label, .init(ja: "認証範囲にサービスが含まれていません", en: "the scope does not cover the service")))
            } else if !cert.isValid(on: today) {
                excluded.append((label, .init(ja: "有効期間外です（\(cert.validFrom)〜\(cert.validUntil)）", en: "not valid today (\(cert.validFrom) to \(cert.validUntil))")))
            } else {
                kinds.append((cert.id!.uuidString, label, cert.certificationKind))
            }
        }
        return (kinds, excluded)
    }

    func calculate(targetKey: String?, certifications: [(id: String, label: String, kind: CertificationKind)], excluded: [(String, LocalizedText)],
                   cycle: AuditCycle, mandatoryOnly: Bool) async throws -> Outcome {
        let target = try await target(key: targetKey)
        guard target.kind == "catalog" else { throw Problem.conflict(.init(ja: "プロファイルは計算の基準にできません。", en: "A profile cannot be the target.")) }
        let settings = try await CloudSettings.load(on: db)
        let catalogues = try await CatalogueRecord.query(on: db).filter(\.$kind == "catalog").all()
        var evidence: [AuditScopeCalculator.Evidence] = []
        var excluded = excluded
        for cert in certifications {
            let matching = catalogues.filter { $0.evidenceKinds.contains(cert.kind) }
            if matching.isEmpty {
                excluded.append((cert.label, .init(ja: "対応するカタログ・対応表が登録されていません", en: "no catalogue is registered for this certification")))
            }
            for catalogue in matching { evidence.append(.init(id: cert.id, label: cert.label, catalogue: catalogue.key)) }
        }
        let nodes = try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == target.id!).filter(\.$kind == "control").sort(\.$seq)
            .field(\.$id).field(\.$oscalID).field(\.$title).field(\.$mandatory).field(\.$oscalClass).field(\.$seq).field(\.$applicability).all()
        // In an ISMAP-structured catalogue the audited units are the detailed controls.
        let detailed = nodes.filter { $0.oscalClass == "ismap-detailed" }
        let units = (detailed.isEmpty ? nodes : detailed).filter { !mandatoryOnly || $0.mandatory }
        let targets = units.compactMap { node in
            node.oscalID.map { AuditScopeCalculator.TargetControl(id: $0, title: node.title, mandatory: node.mandatory,
                                                                 applicability: node.applicability.flatMap(ControlApplicability.init(rawValue:))) }
        }
        let calculator = AuditScopeCalculator(targetCatalogue: target.key, targets: targets, evidence: evidence,
                                              edges: try await CrosswalkDesk(services: services).edges(), maxHops: settings.maxMappingHops, costs: settings.costs)
        return Outcome(target: target, result: calculator.calculate(), evidence: evidence, excluded: excluded, cycle: cycle,
                       mandatoryOnly: mandatoryOnly, costs: settings.costs)
    }

    struct ResultDTO: Codable, Sendable {
        struct Control: Codable, Sendable {
            var id: String
            var title: String
            var mandatory: Bool
            var applicability: String?
            var coverage: String
            var evidence: String?
            var path: [String]
        }
        struct Excluded: Codable, Sendable { var certification: String; var reason: String }
        var targetCatalogue: String
        var controls: Int
        var full: Int
        var partial: Int
        var none: Int
        var exemptedPercent: Double
        var cycle: String
        var estimates: [AuditScopeCalculator.Estimate]
        var evidence: [String]
        var excluded: [Excluded]
        var results: [Control]
    }

    static func dto(_ outcome: Outcome, language: UILanguage = .en) -> ResultDTO {
        let r = outcome.result
        return ResultDTO(targetCatalogue: outcome.target.key, controls: r.controls.count, full: r.full, partial: r.partial, none: r.none,
                         exemptedPercent: r.exemptedPercent, cycle: outcome.cycle.rawValue, estimates: r.estimates,
                         evidence: Array(Set(outcome.evidence.map(\.label))).sorted(),
                         excluded: outcome.excluded.map { .init(certification: $0.label, reason: $0.reason.text(language)) },
                         results: r.controls.map { c in
                             .init(id: c.control.id, title: c.control.title, mandatory: c.control.mandatory, applicability: c.control.applicability?.rawValue,
                                   coverage: c.coverage.name,
                                   evidence: c.evidence?.label, path: c.path.map { "\($0.from) \($0.relationship.rawValue) \($0.to)" })
                         })
    }

    static func csv(_ outcome: Outcome) -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: ["control", "title", "mandatory", "applicability", "coverage", "needs_audit", "evidence", "mapping_path"])
        for c in outcome.result.controls {
            writer.addRow(texts: [c.control.id, c.control.title, c.control.mandatory ? "yes" : "no", c.control.applicability?.rawValue ?? "", c.coverage.name,
                                  c.coverage == .full ? "no" : "yes",
                                  c.evidence?.label ?? "", c.path.map { "\($0.from) \($0.relationship.rawValue) \($0.to)" }.joined(separator: " > ")])
        }
        return writer.data
    }
}

/// The applicability checker's rules (§2.5-2), editable by administrators.
struct ApplicabilityDesk {
    let services: Services
    var db: any Database { services.db }

    func rules() async throws -> [ApplicabilityRuleRecord] {
        try await ApplicabilityRuleRecord.query(on: db).sort(\.$priority).sort(\.$id).all()
    }

    struct RuleInput: Codable, Sendable {
        var priority: Int?
        var organisations: [String]?
        var confidentiality: [String]?
        var serviceModels: [String]?
        var lowImpactOnly: Bool?
        var level: String?
        var acceptableLists: [String]?
        var conclusionJa: String?
        var conclusionEn: String?
        var citation: String?
        var citationUrl: String?
    }

    func validate(_ input: RuleInput, id: UUID) throws -> ApplicabilityRule {
        var check = InputCheck()
        func values<T: RawRepresentable & CaseIterable>(_ pointer: String, _ raw: [String]?, _: T.Type) -> [T] where T.RawValue == String {
            var out: [T] = []
            for (i, text) in (raw ?? []).enumerated() {
                if let value = T(rawValue: text) { if !out.contains(where: { $0.rawValue == value.rawValue }) { out.append(value) } }
                else { check.fail("\(pointer)/\(i)", ja: "値「\(text)」は使えません。", en: "\"\(text)\" must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")).") }
            }
            return out
        }
        let priority = input.priority ?? 100
        if !(0...10_000).contains(priority) { check.fail("/priority", FieldError.Code.range, ja: "優先順位は0〜10000です。", en: "priority is 0–10000.") }
        let organisations = values("/organisations", input.organisations, ProcuringOrganisation.self)
        let confidentiality = values("/confidentiality", input.confidentiality, ConfidentialityLevel.self)
        let models = values("/serviceModels", input.serviceModels, ServiceModel.self)
        let level = check.choice("/level", input.level, label: .init(ja: "要否", en: "level"), as: RequirementLevel.self)
        let lists = values("/acceptableLists", input.acceptableLists, CloudList.self)
        let ja = check.text("/conclusionJa", input.conclusionJa, label: .init(ja: "結論（日本語）", en: "Japanese conclusion"), max: 1000)
        let en = check.text("/conclusionEn", input.conclusionEn, label: .init(ja: "結論（英語）", en: "English conclusion"), max: 1000)
        let citation = check.text("/citation", input.citation, label: .init(ja: "根拠", en: "citation"), max: 500)
        let url = check.url("/citationUrl", input.citationUrl, label: .init(ja: "根拠のURL", en: "citation URL"))
        if level == .required && lists.isEmpty {
            check.fail("/acceptableLists", FieldError.Code.missing, ja: "必須の場合は利用できるリストを選んでください。", en: "A requirement names the lists that satisfy it.")
        }
        try check.throwIfAny()
        return ApplicabilityRule(id: id, priority: priority, organisations: organisations, confidentiality: confidentiality, serviceModels: models,
                                 lowImpactOnly: input.lowImpactOnly, level: level!, acceptableLists: lists, conclusionJa: ja, conclusionEn: en,
                                 citation: citation, citationURL: url)
    }

    func save(_ input: RuleInput, id: UUID?, identity: Identity) async throws -> ApplicabilityRuleRecord {
        let now = services.now
        return try await db.transaction { db in
            let record: ApplicabilityRuleRecord
            if let id {
                guard let existing = try await ApplicabilityRuleRecord.find(id, on: db) else { throw Problem.notFound }
                record = existing
            } else {
                record = ApplicabilityRuleRecord()
                record.id = UUID()
            }
            let rule = try validate(input, id: record.id!)
            record.apply(rule, at: now)
            try await record.save(on: db)
            // Procurement officers rely on the rules: every version is a public record.
            try await PublicRecord.publish(on: db, actor: Actor(identity), organisationID: nil, type: "cloud.applicability-rule", subject: rule.conclusionJa,
                                           recordNumber: "RULE-\(record.id!.uuidString.prefix(8))", content: rule, targetType: "cloud.applicability-rule",
                                           targetID: record.id!.uuidString, summary: ["priority": String(rule.priority), "level": rule.level.rawValue], at: now)
            return record
        }
    }

    func delete(_ id: UUID, identity: Identity) async throws {
        let now = services.now
        try await db.transaction { db in
            guard let record = try await ApplicabilityRuleRecord.find(id, on: db) else { throw Problem.notFound }
            let rule = record.rule
            try await record.delete(on: db)
            try await PublicRecord.publish(on: db, actor: Actor(identity), organisationID: nil, type: "cloud.applicability-rule.deleted", subject: rule.conclusionJa,
                                           recordNumber: "RULE-\(id.uuidString.prefix(8))", content: rule, targetType: "cloud.applicability-rule",
                                           targetID: id.uuidString, summary: ["priority": String(rule.priority)], at: now)
        }
    }

    static func question(organisation: String?, confidentiality: String?, serviceModel: String?, lowImpact: String?) throws -> ApplicabilityQuestion {
        var check = InputCheck()
        let org = check.choice("/organisation", organisation, label: .init(ja: "調達する組織の種類", en: "organisation type"), as: ProcuringOrganisation.self)
        let level = check.choice("/confidentiality", confidentiality, label: .init(ja: "取り扱う情報の機密性", en: "confidentiality level"), as: ConfidentialityLevel.self)
        let model = check.choice("/serviceModel", serviceModel, label: Label.serviceModel, as: ServiceModel.self)
        var low = false
        if let raw = lowImpact, !raw.isEmpty {
            if ["true", "false"].contains(raw) { low = raw == "true" } else { check.fail("/lowImpact", ja: "lowImpact は true か false です。", en: "lowImpact is true or false.") }
        }
        try check.throwIfAny()
        return ApplicabilityQuestion(organisation: org!, confidentiality: level!, serviceModel: model!, lowImpact: low)
    }
}

/// Versioned questionnaires for Fast Track.
struct QuestionSetDesk {
    let services: Services
    var db: any Database { services.db }

    /// Stores a new version of the set named by `document.code`.
    func importSet(_ document: QuestionSetDocument, actor: Actor) async throws -> QuestionSetRecord {
        let errors = document.validate()
        if !errors.isEmpty { throw Problem.validation(errors) }
        let now = services.now
        return try await db.transaction { db in
            let latest = try await QuestionSetRecord.query(on: db).filter(\.$code == document.code).sort(\.$version, .descending).first()
            let set = QuestionSetRecord()
            set.code = document.code
            set.version = (latest?.version ?? 0) + 1
            set.title = document.title
            set.titleEn = document.titleEn
            set.questionCount = document.questions.count
            set.createdAt = now
            set.createdBy = actor.label
            try await set.create(on: db)
            let rows = document.questions.enumerated().map { i, q -> QuestionRecord in
                let row = QuestionRecord()
                row.setID = set.id!
                row.position = i
                row.number = q.number
                row.category = q.category
                row.text = q.text
                row.textEn = q.textEn
                row.guidance = q.guidance
                row.guidanceEn = q.guidanceEn
                row.controls = (q.controls ?? []).joined(separator: " ")
                return row
            }
            try await rows.create(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: nil, action: "cloud.question-set.import", targetType: "cloud.question-set",
                                        targetID: set.id!.uuidString, summary: ["code": set.code, "version": String(set.version), "questions": String(rows.count)], at: now)
            return set
        }
    }

    func set(code: String, version: Int) async throws -> QuestionSetRecord {
        guard code.count <= 63, let set = try await QuestionSetRecord.query(on: db).filter(\.$code == code).filter(\.$version == version).first() else { throw Problem.notFound }
        return set
    }

    func document(_ set: QuestionSetRecord) async throws -> QuestionSetDocument {
        let questions = try await QuestionRecord.query(on: db).filter(\.$setID == set.id!).sort(\.$position).all()
        return QuestionSetDocument(code: set.code, title: set.title, titleEn: set.titleEn, questions: questions.map(\.document))
    }
}

/// The daily machine-readable snapshot of the four lists (like FedRAMP's data.json), whose hash
/// is logged so that anyone can check a copy was not rewritten.
struct SnapshotDesk {
    let services: Services
    var db: any Database { services.db }

    struct Document: Codable, Sendable {
        var date: String
        var generatedAt: Date
        var publisher: String
        var procurementNote: String
        var counts: [String: Int]
        var lists: [String: [ListEntryDTO]]
    }

    func build(date: LocalDate) async throws -> Data {
        var lists: [String: [ListEntryDTO]] = [:]
        var counts: [String: Int] = [:]
        for list in CloudList.allCases {
            let entries = try await ListQuery(list: list, statuses: list.publicStatuses, sort: .name).all(on: db).map(ListEntryDTO.init)
            lists[list.rawValue] = entries
            counts[list.rawValue] = entries.filter { list.currentStatuses.contains($0.status) }.count
        }
        let document = Document(date: date.iso, generatedAt: services.now, publisher: services.config.logOrigin,
                                procurementNote: "Government users may procure from services with a Fast Track provisional status (§2.4) while it is valid.",
                                counts: counts, lists: lists)
        return try API.encoder.encode(document)
    }

    /// Stores today's snapshot once (the job may run again after a crash).
    @discardableResult
    func store(date: LocalDate) async throws -> SnapshotRecord {
        if let existing = try await SnapshotRecord.query(on: db).filter(\.$date == date.iso).first() { return existing }
        let body = try await build(date: date)
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let now = services.now
        let entries = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["lists"] as? [String: [Any]]
        let count = entries?.values.reduce(0) { $0 + $1.count } ?? 0
        return try await db.transaction { db in
            let record = SnapshotRecord()
            record.date = date.iso
            record.generatedAt = now
            record.sha256 = hash
            record.entryCount = count
            record.body = String(decoding: body, as: UTF8.self)
            record.logIndex = try await PublicRecord.publish(on: db, actor: .system("cloud.snapshot"), organisationID: nil, type: "cloud.snapshot",
                                                             subject: "ISMAP lists \(date.iso)", recordNumber: "SNAP-\(date.iso)",
                                                             content: ["date": date.iso, "sha256": hash, "entries": String(count)],
                                                             targetType: "cloud.snapshot", targetID: date.iso, summary: ["sha256": hash], at: now)
            try await record.create(on: db)
            return record
        }
    }
}

/// Market information (§2.5-3).
struct StatisticsDesk {
    let services: Services
    var db: any Database { services.db }

    struct Figures {
        var months: [String]
        var series: [CloudList: [Int]]
        var byModel: [CloudList: [ServiceModel: Int]]
        var readyDays: [Int]
        var fastTrack: [FastTrackStatus: Int]
    }

    func figures(today: LocalDate, months: Int = 24) async throws -> Figures {
        let events = try await StatusEventRecord.query(on: db).filter(\.$isPublic == true).sort(\.$seq)
            .field(\.$id).field(\.$list).field(\.$recordID).field(\.$toStatus).field(\.$onDate).field(\.$at).all()
        let changes = events.compactMap { e -> MarketStatistics.Change? in
            guard let list = CloudList(rawValue: e.list), let date = LocalDate(e.onDate) else { return nil }
            return .init(list: list, record: e.recordID, status: e.toStatus, date: date)
        }
        let over = MarketStatistics.countsOverTime(changes, months: months, today: today)
        var byModel: [CloudList: [ServiceModel: Int]] = [:]
        for list in CloudList.allCases {
            for model in ServiceModel.allCases {
                byModel[list, default: [:]][model] = try await ListEntryRecord.query(on: db).filter(\.$list == list.rawValue).filter(\.$isPublic == true)
                    .filter(\.$status ~~ list.currentStatuses).filter(\.$serviceModel == model.rawValue).count()
            }
        }
        return Figures(months: over.labels, series: over.series, byModel: byModel,
                       readyDays: MarketStatistics.readyToRegistrationDays(changes), fastTrack: MarketStatistics.fastTrackOutcomes(changes))
    }
}
