import Foundation
import ShinraiKit

/// JSON shapes of the module's API and their OpenAPI schemas (kept side by side so they agree).
enum DTO {
    struct CompanyRef: Codable, Sendable {
        var securitiesCode: String
        var corporateNumber: String
        var name: String
        var nameEn: String?
        init(_ company: ListedCompany) {
            securitiesCode = company.securitiesCode; corporateNumber = company.corporateNumber; name = company.name; nameEn = company.nameEn
        }
    }

    struct Company: Codable, Sendable {
        var id: UUID
        var corporateNumber: String
        var securitiesCode: String
        var name: String
        var nameEn: String?
        var marketSegment: MarketSegment
        var fiscalYearEndMonth: Int
        var secRegistrant: Bool
        var nis2Entity: Bool
        var alphanumericCode: Bool
        init(_ c: ListedCompany) {
            id = c.id!; corporateNumber = c.corporateNumber; securitiesCode = c.securitiesCode; name = c.name; nameEn = c.nameEn
            marketSegment = c.marketSegment; fiscalYearEndMonth = c.fiscalYearEndMonth; secRegistrant = c.secRegistrant; nis2Entity = c.nis2Entity
            alphanumericCode = c.securitiesCode.contains(where: \.isLetter)
        }
    }

    struct Index: Codable, Sendable {
        struct Snapshot: Codable, Sendable {
            var effectiveDate: String
            var members: Int
        }
        var code: String
        var name: String
        var nameEn: String?
        var snapshots: [Snapshot]
    }

    struct Constituents: Codable, Sendable {
        var index: String
        var effectiveDate: String
        var companies: [Company]
    }

    struct ImportInput: Codable, Sendable {
        var effectiveDate: String
        var csv: String
    }

    struct ImportResult: Codable, Sendable {
        var index: String
        var effectiveDate: String
        var members: Int
        var createdCompanies: Int
    }

    struct RuleUpdate: Codable, Sendable {
        var clock: ClockSpec
        var active: Bool
    }

    struct IncidentSummary: Codable, Sendable {
        var id: UUID
        var number: String?
        var title: String
        var status: IncidentStatus
        var company: CompanyRef
        var determinedAt: Date
        var firstPublishedAt: Date?
        var latestPublishedAt: Date?
        var dueAt: Date?
        var late: Bool
        var latestVersion: Int
        var url: String
        init(_ incident: Incident, company: ListedCompany) {
            id = incident.id!; number = incident.number; title = incident.title; status = incident.status; self.company = CompanyRef(company)
            determinedAt = incident.determinedAt; firstPublishedAt = incident.firstPublishedAt; latestPublishedAt = incident.latestPublishedAt
            dueAt = incident.firstDueAt; late = incident.late; latestVersion = incident.latestVersion
            url = "/disclosure/incidents/\(incident.publicID)"
        }
    }

    struct Window: Codable, Sendable {
        var start: Date
        var end: Date
    }

    struct ObligationItem: Codable, Sendable {
        var key: String
        var rule: String
        var regime: Regime
        var name: String
        var nameEn: String
        var version: Int?
        var trigger: Date
        var provisional: Bool
        var dueAt: Date
        var dueDate: String
        var status: ObligationStatus
        var metAt: Date?
        var reference: String?
        var remainingSeconds: Int
        var paused: [Window]
        var missing: [IncidentField]
        var explanation: String
        var explanationEn: String
        init(_ o: Obligation, now: Date) {
            key = o.key; rule = o.rule.code; regime = o.rule.regime; name = o.rule.nameJa; nameEn = o.rule.nameEn; version = o.version
            trigger = o.trigger; provisional = o.provisional; dueAt = o.deadline.due; dueDate = o.deadline.dueDate.iso; status = o.status
            metAt = o.metAt; reference = o.reference; remainingSeconds = Int(o.deadline.remaining(at: now).rounded(.down))
            paused = o.deadline.pauses.map { Window(start: $0.start, end: $0.end) }; missing = o.missing
            explanation = o.deadline.explanationJa; explanationEn = o.deadline.explanationEn
        }
    }

    struct Delay: Codable, Sendable {
        var id: UUID
        var status: DelayStatus
        var grounds: String?
        var requestedUntil: Date
        var requestedAt: Date
        var decidedAt: Date?
        var approvedUntil: Date?
        var endedAt: Date?
        var decisionNote: String?
        init(_ d: DelayRequest, confidential: Bool) {
            id = d.id!; status = d.status; requestedUntil = d.requestedUntil; requestedAt = d.requestedAt; decidedAt = d.decidedAt
            approvedUntil = d.approvedUntil; endedAt = d.endedAt
            grounds = confidential ? d.grounds : nil; decisionNote = confidential ? d.decisionNote : nil
        }
    }

    struct VersionSummary: Codable, Sendable {
        var version: Int
        var kind: DraftKind
        var publishedAt: Date
        var triggerAt: Date
        var dueAt: Date
        var late: Bool
        var logIndex: Int64
        var reason: String?
        init(_ v: IncidentVersion) {
            version = v.version; kind = v.kind; publishedAt = v.publishedAt; triggerAt = v.triggerAt; dueAt = v.dueAt; late = v.late
            logIndex = v.logIndex; reason = v.reason
        }
    }

    struct Draft: Codable, Sendable {
        var kind: DraftKind
        var content: IncidentContent
        var informationAvailableAt: Date?
        var reason: String?
    }

    struct IncidentDetail: Codable, Sendable {
        var incident: IncidentSummary
        var occurredAt: Date?
        var discoveredAt: Date
        var personalData: Bool
        var malicious: Bool
        var content: IncidentContent?
        var draft: Draft?
        var versions: [VersionSummary]
        var obligations: [ObligationItem]
        var delays: [Delay]
    }

    struct VersionDetail: Codable, Sendable {
        var summary: VersionSummary
        var record: IncidentService.PublishedVersion
        var logEntry: String
        var inclusionProof: String
    }

    struct DashboardItem: Codable, Sendable {
        var incident: IncidentSummary
        var obligation: ObligationItem
    }

    struct PendingDelay: Codable, Sendable {
        var incident: IncidentSummary
        var delay: Delay
    }

    struct Dashboard: Codable, Sendable {
        var generatedAt: Date
        var open: [DashboardItem]
        var overdue: [DashboardItem]
        var pendingDelays: [PendingDelay]
        var lateFilings: [IncidentSummary]
    }

    struct AnnualSummary: Codable, Sendable {
        var id: UUID
        var number: String
        var company: CompanyRef
        var fiscalYear: Int
        var fiscalYearEnd: String
        var status: IncidentStatus
        var latestVersion: Int
        var latestPublishedAt: Date?
        var url: String
        init(_ a: AnnualDisclosure, company: ListedCompany) {
            id = a.id!; number = AnnualService.number(company, a.fiscalYear); self.company = CompanyRef(company); fiscalYear = a.fiscalYear
            fiscalYearEnd = FiscalYear.endDate(a.fiscalYear, endMonth: company.fiscalYearEndMonth).iso; status = a.status
            latestVersion = a.latestVersion; latestPublishedAt = a.latestPublishedAt; url = "/disclosure/annual/\(a.id!)"
        }
    }

    struct AnnualVersionSummary: Codable, Sendable {
        var version: Int
        var publishedAt: Date
        var logIndex: Int64
    }

    struct SECItem: Codable, Sendable {
        var item: AnnualItem
        var crossReference: SECCrossReference
    }

    struct AnnualDetail: Codable, Sendable {
        var annual: AnnualSummary
        var content: AnnualContent?
        var draft: AnnualContent?
        var versions: [AnnualVersionSummary]
        var secCrossReference: [SECItem]
        var score: ScoreItem?
    }

    struct ScoreItem: Codable, Sendable {
        var rubricVersion: Int
        var levels: [Int]
        var total: Int
        var maximum: Int
        var percent: Double
        var stars: Int
    }

    struct ClassifyInput: Codable, Sendable {
        var text: String
    }

    struct FigureProposal: Codable, Sendable {
        var item: AnnualItem
        var key: String
        var value: FigureValue
        var evidence: String
    }

    struct Passage: Codable, Sendable {
        var index: Int
        var text: String
        var item: AnnualItem?
        var score: Int
        var matched: [String]
        var heading: Bool
        var figures: [FigureProposal]
    }

    struct Classification: Codable, Sendable {
        var passages: [Passage]
    }

    struct RubricDoc: Codable, Sendable {
        var version: Int
        var rubric: Rubric
        var maximum: Int
    }

    struct Coverage: Codable, Sendable {
        var item: AnnualItem
        var present: Int
        var quantified: Int
        var presentPercent: Double
        var quantifiedPercent: Double
        var previousPresentPercent: Double?
    }

    struct SurveyRow: Codable, Sendable {
        var rank: Int
        var securitiesCode: String
        var name: String
        var disclosed: Bool
        var levels: [Int]
        var total: Int
        var maximum: Int
        var percent: Double
        var stars: Int
        var previousTotal: Int?
        var change: Int?
    }

    struct SurveySummary: Codable, Sendable {
        var id: UUID
        var number: String
        var index: String
        var fiscalYear: Int
        var rubricVersion: Int
        var runAt: Date
        var companies: Int
        var disclosed: Int
        var meanPercent: Double
        var logIndex: Int64
        var url: String
    }

    struct SurveyDetail: Codable, Sendable {
        var survey: SurveySummary
        var constituentsEffective: String
        var previousSurvey: String?
        var previousMeanPercent: Double?
        var meanPercentChange: Double?
        var starDistribution: [Int]
        var coverage: [Coverage]
        var results: [SurveyRow]
    }

    // MARK: schemas

    static let companyRef: JSONSchema = .object([
        "securitiesCode": .string(pattern: "^[0-9][0-9A-Z][0-9][0-9A-Z]$"), "corporateNumber": .string(pattern: "^[0-9]{13}$"),
        "name": .string(), "nameEn": .nullable(.string()),
    ], required: ["securitiesCode", "corporateNumber", "name"])

    static var incidentContent: JSONSchema {
        let text = JSONSchema.nullable(.string(maxLength: IncidentContent.textLimit))
        return .object([
            "title": .string(maxLength: IncidentContent.titleLimit), "summary": text, "systemsAffected": text, "dataAffected": text,
            "affectedPeople": .nullable(.integer(minimum: 0, maximum: IncidentContent.peopleLimit)), "affectedPeopleNote": text,
            "businessImpact": text, "countermeasures": text,
            "responseStatus": .nullable(.string(enumValues: ResponseStatus.allCases.map(\.rawValue))),
            "financialImpact": .nullable(.object([
                "kind": .string(enumValues: FinancialImpactKind.allCases.map(\.rawValue)),
                "amountYen": .nullable(.integer(minimum: 0, maximum: Yen.maximum)), "minYen": .nullable(.integer(minimum: 0, maximum: Yen.maximum)),
                "maxYen": .nullable(.integer(minimum: 0, maximum: Yen.maximum)), "undeterminedReason": text,
            ], required: ["kind"], additional: false)),
            "cause": text, "personalDataItems": text, "secondaryDamage": text, "crossBorderImpact": text,
        ], required: ["title"], additional: false)
    }

    static var annualContent: JSONSchema {
        var items: [String: JSONSchema] = [:]
        for item in AnnualItem.allCases {
            var figures: [String: JSONSchema] = [:]
            for figure in item.figures {
                switch figure.kind {
                case .flag: figures[figure.key] = .boolean(description: figure.labelEn)
                case .count, .percent: figures[figure.key] = .integer(minimum: figure.kind.range.lowerBound, maximum: figure.kind.range.upperBound, description: figure.labelEn)
                }
            }
            items[item.rawValue] = .object(["text": .nullable(.string(maxLength: AnnualContent.textLimit, pattern: nil)),
                                            "figures": .object(figures, additional: false)], additional: false,
                                           description: item.label(.en))
        }
        return .object(items, additional: false)
    }

    static var clockSpec: JSONSchema {
        .object(["kind": .string(enumValues: ClockKind.allCases.map(\.rawValue)), "amount": .integer(minimum: 0, maximum: 2160),
                 "calendar": .string(enumValues: ClockCalendar.allCases.map(\.rawValue)), "extendToBusinessDay": .boolean()],
                required: ["kind", "amount", "calendar", "extendToBusinessDay"], additional: false)
    }

    static let window: JSONSchema = .object(["start": .dateTime, "end": .dateTime], required: ["start", "end"])

    static var schemas: [String: JSONSchema] {
        let incidentFields = JSONSchema.string(enumValues: IncidentField.allCases.map(\.rawValue))
        let obligation: JSONSchema = .object([
            "key": .string(), "rule": .string(), "regime": .string(enumValues: Regime.allCases.map(\.rawValue)), "name": .string(), "nameEn": .string(),
            "version": .nullable(.integer()), "trigger": .dateTime, "provisional": .boolean(), "dueAt": .dateTime, "dueDate": .date,
            "status": .string(enumValues: ObligationStatus.allCases.map(\.rawValue)), "metAt": .nullable(.dateTime), "reference": .nullable(.string()),
            "remainingSeconds": .integer(description: "Seconds until the deadline; negative once it has passed"), "paused": .array(window),
            "missing": .array(incidentFields), "explanation": .string(description: "How the deadline was counted (Japanese)"),
            "explanationEn": .string(description: "How the deadline was counted (English)"),
        ], required: ["key", "rule", "regime", "name", "nameEn", "trigger", "provisional", "dueAt", "dueDate", "status", "remainingSeconds",
                      "paused", "missing", "explanation", "explanationEn"])
        let delay: JSONSchema = .object([
            "id": .uuid, "status": .string(enumValues: DelayStatus.allCases.map(\.rawValue)), "grounds": .nullable(.string()),
            "requestedUntil": .dateTime, "requestedAt": .dateTime, "decidedAt": .nullable(.dateTime), "approvedUntil": .nullable(.dateTime),
            "endedAt": .nullable(.dateTime), "decisionNote": .nullable(.string()),
        ], required: ["id", "status", "requestedUntil", "requestedAt"])
        let versionSummary: JSONSchema = .object([
            "version": .integer(minimum: 1), "kind": .string(enumValues: DraftKind.allCases.map(\.rawValue)), "publishedAt": .dateTime,
            "triggerAt": .dateTime, "dueAt": .dateTime, "late": .boolean(), "logIndex": .integer(minimum: 0), "reason": .nullable(.string()),
        ], required: ["version", "kind", "publishedAt", "triggerAt", "dueAt", "late", "logIndex"])
        let company: JSONSchema = .object([
            "id": .uuid, "corporateNumber": .string(pattern: "^[0-9]{13}$"), "securitiesCode": .string(pattern: "^[0-9][0-9A-Z][0-9][0-9A-Z]$"),
            "name": .string(), "nameEn": .nullable(.string()), "marketSegment": .string(enumValues: MarketSegment.allCases.map(\.rawValue)),
            "fiscalYearEndMonth": .integer(minimum: 1, maximum: 12), "secRegistrant": .boolean(), "nis2Entity": .boolean(), "alphanumericCode": .boolean(),
        ], required: ["id", "corporateNumber", "securitiesCode", "name", "marketSegment", "fiscalYearEndMonth", "secRegistrant", "nis2Entity", "alphanumericCode"])
        let figureValue = JSONSchema.any
        let sec: JSONSchema = .object([
            "regulationSK": .array(.string()), "topic": .string(), "coverage": .string(enumValues: ["direct", "partial"]),
            "xbrl": .array(.object(["name": .string(), "figure": .nullable(.string()), "value": .nullable(.boolean())], required: ["name"])),
        ], required: ["regulationSK", "topic", "coverage", "xbrl"])
        let rubric: JSONSchema = .object([
            "items": .array(.object([
                "item": .string(enumValues: AnnualItem.allCases.map(\.rawValue)), "weight": .integer(minimum: 0, maximum: 10),
                "presentMinLength": .integer(minimum: 1, maximum: 5000), "specificMinLength": .integer(minimum: 1, maximum: 20000),
                "requiredFigures": .array(.string(), maxItems: 10),
            ], required: ["item", "weight", "presentMinLength", "specificMinLength", "requiredFigures"], additional: false), maxItems: 6),
            "starThresholds": .array(.integer(minimum: 1, maximum: 100), maxItems: 5),
        ], required: ["items", "starThresholds"], additional: false)
        let surveySummary: JSONSchema = .object([
            "id": .uuid, "number": .string(), "index": .string(), "fiscalYear": .integer(), "rubricVersion": .integer(minimum: 1), "runAt": .dateTime,
            "companies": .integer(minimum: 0), "disclosed": .integer(minimum: 0), "meanPercent": .number(), "logIndex": .integer(minimum: 0), "url": .string(),
        ], required: ["id", "number", "index", "fiscalYear", "rubricVersion", "runAt", "companies", "disclosed", "meanPercent", "logIndex", "url"])
        return [
            "DisclosureCompanyRef": companyRef,
            "DisclosureCompany": company,
            "DisclosureCompanyInput": .object([
                "corporateNumber": .string(description: "法人番号 (13 digits with check digit)"),
                "securitiesCode": .string(description: "証券コード: 4 characters, e.g. 7203 or 130A"),
                "name": .string(maxLength: 200), "nameEn": .nullable(.string(maxLength: 200)),
                "marketSegment": .string(enumValues: MarketSegment.allCases.map(\.rawValue)), "fiscalYearEndMonth": .integer(minimum: 1, maximum: 12),
                "secRegistrant": .nullable(.boolean()), "nis2Entity": .nullable(.boolean()),
            ], required: ["corporateNumber", "securitiesCode", "name", "marketSegment", "fiscalYearEndMonth"], additional: false),
            "DisclosureIndex": .object(["code": .string(), "name": .string(), "nameEn": .nullable(.string()),
                                        "snapshots": .array(.object(["effectiveDate": .date, "members": .integer(minimum: 0)], required: ["effectiveDate", "members"]))],
                                       required: ["code", "name", "snapshots"]),
            "DisclosureIndexInput": .object(["code": .string(maxLength: 32, pattern: "^[A-Za-z0-9][A-Za-z0-9-]{1,31}$"), "name": .string(maxLength: 200),
                                             "nameEn": .nullable(.string(maxLength: 200))], required: ["code", "name"], additional: false),
            "DisclosureConstituents": .object(["index": .string(), "effectiveDate": .date, "companies": .array(.ref("DisclosureCompany"))],
                                              required: ["index", "effectiveDate", "companies"]),
            "DisclosureConstituentImport": .object([
                "effectiveDate": .string(format: "date"),
                "csv": .string(description: "UTF-8 CSV with a header: securitiesCode (証券コード) and, for companies not yet registered, corporateNumber, name, nameEn, marketSegment, fiscalYearEndMonth", maxLength: 2_000_000),
            ], required: ["effectiveDate", "csv"], additional: false),
            "DisclosureImportResult": .object(["index": .string(), "effectiveDate": .date, "members": .integer(minimum: 0), "createdCompanies": .integer(minimum: 0)],
                                              required: ["index", "effectiveDate", "members", "createdCompanies"]),
            "DisclosureClock": clockSpec,
            "DisclosureRegimeRule": .object([
                "code": .string(), "regime": .string(enumValues: Regime.allCases.map(\.rawValue)), "nameJa": .string(), "nameEn": .string(),
                "basisJa": .string(), "basisEn": .string(), "noteJa": .nullable(.string()), "noteEn": .nullable(.string()), "clock": clockSpec,
                "trigger": .string(enumValues: RuleTrigger.allCases.map(\.rawValue)), "triggerStage": .nullable(.string()),
                "applicability": .string(enumValues: Applicability.allCases.map(\.rawValue)), "requiredContent": .array(incidentFields),
                "pausedByDelay": .boolean(), "metByPublication": .boolean(), "active": .boolean(), "position": .integer(),
            ], required: ["code", "regime", "nameJa", "nameEn", "basisJa", "basisEn", "clock", "trigger", "applicability", "requiredContent",
                          "pausedByDelay", "metByPublication", "active", "position"]),
            "DisclosureRegimeRuleUpdate": .object(["clock": clockSpec, "active": .boolean()], required: ["clock", "active"], additional: false),
            "DisclosureIncidentContent": incidentContent,
            "DisclosureIncidentSummary": .object([
                "id": .uuid, "number": .nullable(.string(pattern: "^INC-[0-9]{4}-[0-9]{4,}$")), "title": .string(),
                "status": .string(enumValues: IncidentStatus.allCases.map(\.rawValue)), "company": .ref("DisclosureCompanyRef"),
                "determinedAt": .dateTime, "firstPublishedAt": .nullable(.dateTime), "latestPublishedAt": .nullable(.dateTime),
                "dueAt": .nullable(.dateTime), "late": .boolean(description: "The first version was published after its deadline"),
                "latestVersion": .integer(minimum: 0), "url": .string(),
            ], required: ["id", "title", "status", "company", "determinedAt", "late", "latestVersion", "url"]),
            "DisclosureObligation": obligation,
            "DisclosureDelay": delay,
            "DisclosureVersionSummary": versionSummary,
            "DisclosureIncident": .object([
                "incident": .ref("DisclosureIncidentSummary"), "occurredAt": .nullable(.dateTime), "discoveredAt": .dateTime,
                "personalData": .boolean(), "malicious": .boolean(), "content": .nullable(.ref("DisclosureIncidentContent")),
                "draft": .nullable(.object(["kind": .string(enumValues: DraftKind.allCases.map(\.rawValue)), "content": .ref("DisclosureIncidentContent"),
                                            "informationAvailableAt": .nullable(.dateTime), "reason": .nullable(.string())], required: ["kind", "content"])),
                "versions": .array(.ref("DisclosureVersionSummary")), "obligations": .array(.ref("DisclosureObligation")), "delays": .array(.ref("DisclosureDelay")),
            ], required: ["incident", "discoveredAt", "personalData", "malicious", "versions", "obligations", "delays"]),
            "DisclosureIncidentInput": .object([
                "occurredAt": .nullable(.dateTime), "discoveredAt": .dateTime,
                "determinedAt": .string(format: "date-time", description: "When the incident was determined to be serious (material): the clock starts here"),
                "personalData": .nullable(.boolean()), "malicious": .nullable(.boolean()), "content": .ref("DisclosureIncidentContent"),
            ], required: ["discoveredAt", "determinedAt", "content"], additional: false),
            "DisclosureIncidentUpdate": .object([
                "occurredAt": .nullable(.dateTime), "discoveredAt": .nullable(.dateTime), "determinedAt": .nullable(.dateTime),
                "personalData": .nullable(.boolean()), "malicious": .nullable(.boolean()), "content": .ref("DisclosureIncidentContent"),
                "reason": .nullable(.string(maxLength: IncidentService.textLimit, pattern: nil)),
            ], required: ["content"], additional: false),
            "DisclosureAmendmentInput": .object(["informationAvailableAt": .dateTime, "reason": .string(maxLength: IncidentService.textLimit)],
                                                required: ["informationAvailableAt", "reason"], additional: false),
            "DisclosureDelayInput": .object(["grounds": .string(maxLength: IncidentService.textLimit), "until": .dateTime],
                                            required: ["grounds", "until"], additional: false),
            "DisclosureDelayDecision": .object(["decision": .string(enumValues: IncidentService.Decision.allCases.map(\.rawValue)),
                                                "until": .nullable(.dateTime), "note": .nullable(.string(maxLength: IncidentService.textLimit))],
                                               required: ["decision"], additional: false),
            "DisclosureSubmissionInput": .object(["submittedAt": .dateTime, "reference": .nullable(.string(maxLength: 200))],
                                                 required: ["submittedAt"], additional: false),
            "DisclosureVersion": .object([
                "summary": .ref("DisclosureVersionSummary"),
                "record": .object([:], description: "The published record exactly as logged: its canonical JSON's SHA-256 is the log entry's content hash"),
                "logEntry": .string(), "inclusionProof": .string(),
            ], required: ["summary", "record", "logEntry", "inclusionProof"]),
            "DisclosureDashboard": .object([
                "generatedAt": .dateTime,
                "open": .array(.object(["incident": .ref("DisclosureIncidentSummary"), "obligation": .ref("DisclosureObligation")], required: ["incident", "obligation"])),
                "overdue": .array(.object(["incident": .ref("DisclosureIncidentSummary"), "obligation": .ref("DisclosureObligation")], required: ["incident", "obligation"])),
                "pendingDelays": .array(.object(["incident": .ref("DisclosureIncidentSummary"), "delay": .ref("DisclosureDelay")], required: ["incident", "delay"])),
                "lateFilings": .array(.ref("DisclosureIncidentSummary")),
            ], required: ["generatedAt", "open", "overdue", "pendingDelays", "lateFilings"]),
            "DisclosureAnnualContent": annualContent,
            "DisclosureAnnualInput": .object(["fiscalYear": .integer(minimum: 2000, maximum: 2099, description: "The year the fiscal year starts (年度)"),
                                              "content": .nullable(annualContent)], required: ["fiscalYear"], additional: false),
            "DisclosureAnnualSummary": .object([
                "id": .uuid, "number": .string(), "company": .ref("DisclosureCompanyRef"), "fiscalYear": .integer(), "fiscalYearEnd": .date,
                "status": .string(enumValues: IncidentStatus.allCases.map(\.rawValue)), "latestVersion": .integer(minimum: 0),
                "latestPublishedAt": .nullable(.dateTime), "url": .string(),
            ], required: ["id", "number", "company", "fiscalYear", "fiscalYearEnd", "status", "latestVersion", "url"]),
            "DisclosureSECCrossReference": sec,
            "DisclosureAnnual": .object([
                "annual": .ref("DisclosureAnnualSummary"), "content": .nullable(.ref("DisclosureAnnualContent")), "draft": .nullable(.ref("DisclosureAnnualContent")),
                "versions": .array(.object(["version": .integer(minimum: 1), "publishedAt": .dateTime, "logIndex": .integer(minimum: 0)],
                                           required: ["version", "publishedAt", "logIndex"])),
                "secCrossReference": .array(.object(["item": .string(enumValues: AnnualItem.allCases.map(\.rawValue)), "crossReference": .ref("DisclosureSECCrossReference")],
                                                    required: ["item", "crossReference"])),
                "score": .nullable(.object(["rubricVersion": .integer(minimum: 1), "levels": .array(.integer(minimum: 0, maximum: 2)), "total": .integer(minimum: 0),
                                            "maximum": .integer(minimum: 0), "percent": .number(), "stars": .integer(minimum: 0, maximum: 5)],
                                           required: ["rubricVersion", "levels", "total", "maximum", "percent", "stars"])),
            ], required: ["annual", "versions", "secCrossReference"]),
            "DisclosureImportInput": .object([
                "passages": .array(.object(["text": .string(maxLength: AnnualContent.textLimit), "item": .string(enumValues: AnnualItem.allCases.map(\.rawValue))],
                                           required: ["text", "item"], additional: false), maxItems: PassageClassifier.maxPassages),
                "figures": .nullable(.array(.object(["item": .string(enumValues: AnnualItem.allCases.map(\.rawValue)), "key": .string(maxLength: 50), "value": figureValue],
                                                    required: ["item", "key", "value"], additional: false), maxItems: 50)),
            ], required: ["passages"], additional: false),
            "DisclosureClassifyInput": .object(["text": .string(maxLength: PassageClassifier.maxCharacters)], required: ["text"], additional: false),
            "DisclosureClassification": .object(["passages": .array(.object([
                "index": .integer(minimum: 0), "text": .string(), "item": .nullable(.string(enumValues: AnnualItem.allCases.map(\.rawValue))),
                "score": .integer(minimum: 0), "matched": .array(.string()), "heading": .boolean(),
                "figures": .array(.object(["item": .string(enumValues: AnnualItem.allCases.map(\.rawValue)), "key": .string(), "value": figureValue, "evidence": .string()],
                                          required: ["item", "key", "value", "evidence"])),
            ], required: ["index", "text", "score", "matched", "heading", "figures"]))], required: ["passages"]),
            "DisclosureRubric": .object(["version": .integer(minimum: 1), "rubric": rubric, "maximum": .integer(minimum: 0)], required: ["version", "rubric", "maximum"]),
            "DisclosureRubricInput": rubric,
            "DisclosureSurveyInput": .object(["index": .string(maxLength: 32), "fiscalYear": .integer(minimum: 2000, maximum: 2099),
                                              "asOf": .nullable(.string(format: "date"))], required: ["index", "fiscalYear"], additional: false),
            "DisclosureSurveySummary": surveySummary,
            "DisclosureSurvey": .object([
                "survey": .ref("DisclosureSurveySummary"), "constituentsEffective": .date, "previousSurvey": .nullable(.string()),
                "previousMeanPercent": .nullable(.number()), "meanPercentChange": .nullable(.number()),
                "starDistribution": .array(.integer(minimum: 0), maxItems: 6),
                "coverage": .array(.object(["item": .string(enumValues: AnnualItem.allCases.map(\.rawValue)), "present": .integer(minimum: 0),
                                            "quantified": .integer(minimum: 0), "presentPercent": .number(), "quantifiedPercent": .number(),
                                            "previousPresentPercent": .nullable(.number())],
                                           required: ["item", "present", "quantified", "presentPercent", "quantifiedPercent"])),
                "results": .array(.object(["rank": .integer(minimum: 1), "securitiesCode": .string(), "name": .string(), "disclosed": .boolean(),
                                           "levels": .array(.integer(minimum: 0, maximum: 2)), "total": .integer(minimum: 0), "maximum": .integer(minimum: 0),
                                           "percent": .number(), "stars": .integer(minimum: 0, maximum: 5), "previousTotal": .nullable(.integer()),
                                           "change": .nullable(.integer())],
                                          required: ["rank", "securitiesCode", "name", "disclosed", "levels", "total", "maximum", "percent", "stars"])),
            ], required: ["survey", "constituentsEffective", "starDistribution", "coverage", "results"]),
        ]
    }
}
