import Foundation
import ShinraiKit

/// A reporting regime that can run on an incident.
public enum Regime: String, Codable, Sendable, CaseIterable {
    /// Timely disclosure to the exchange as proposed by the paper (§2.7).
    case tse
    /// Personal-data breach reports to the Personal Information Protection Commission (APPI Art. 26).
    case ppc
    /// EU NIS2 Directive Art. 23 staged reporting.
    case nis2
    /// U.S. SEC Form 8-K Item 1.05 for dual-listed companies.
    case sec

    var labelJa: String {
        switch self {
        case .tse: return "適時開示（取引所）"
        case .ppc: return "個人情報保護委員会への報告"
        case .nis2: return "EU NIS2指令"
        case .sec: return "米国SEC"
        }
    }
    var labelEn: String {
        switch self {
        case .tse: return "Timely disclosure (exchange)"
        case .ppc: return "Report to the PPC (APPI)"
        case .nis2: return "EU NIS2 Directive"
        case .sec: return "U.S. SEC"
        }
    }
    func label(_ language: UILanguage) -> String { language == .ja ? labelJa : labelEn }
}

/// What starts a rule's clock.
public enum RuleTrigger: String, Codable, Sendable, CaseIterable {
    /// The determination that the incident is serious (material).
    case determination
    /// The discovery of the incident (the PPC's 「知った時」).
    case discovery
    /// The time the information of an amendment became available.
    case informationAvailable
    /// The submission of an earlier stage (`triggerStage`), e.g. NIS2's final report a month after the notification.
    case stageSubmitted
}

/// When a rule applies to an incident.
public enum Applicability: String, Codable, Sendable, CaseIterable {
    case always
    case personalData
    case personalDataMalicious
    case personalDataNotMalicious
    case nis2Entity
    case secRegistrant

    func applies(facts: IncidentFacts, company: CompanyFlags) -> Bool {
        switch self {
        case .always: return true
        case .personalData: return facts.personalData
        case .personalDataMalicious: return facts.personalData && facts.malicious
        case .personalDataNotMalicious: return facts.personalData && !facts.malicious
        case .nis2Entity: return company.nis2Entity
        case .secRegistrant: return company.secRegistrant
        }
    }

    var labelJa: String {
        switch self {
        case .always: return "すべての重大インシデント"
        case .personalData: return "個人データの漏えい等"
        case .personalDataMalicious: return "不正の目的によるおそれがある個人データの漏えい等"
        case .personalDataNotMalicious: return "個人データの漏えい等（不正の目的によるおそれがないもの）"
        case .nis2Entity: return "NIS2の対象事業者"
        case .secRegistrant: return "米国SEC登録会社（重複上場）"
        }
    }
    var labelEn: String {
        switch self {
        case .always: return "Every serious incident"
        case .personalData: return "Personal-data breaches"
        case .personalDataMalicious: return "Personal-data breaches that may be malicious"
        case .personalDataNotMalicious: return "Personal-data breaches not suspected to be malicious"
        case .nis2Entity: return "Entities in scope of NIS2"
        case .secRegistrant: return "SEC registrants (dual-listed)"
        }
    }
}

/// The company attributes that decide which regimes apply.
public struct CompanyFlags: Sendable, Equatable {
    public var secRegistrant: Bool
    public var nis2Entity: Bool
    public init(secRegistrant: Bool = false, nis2Entity: Bool = false) { self.secRegistrant = secRegistrant; self.nis2Entity = nis2Entity }
}

/// One reporting obligation as rule data: its clock, its trigger, when it applies and the content it requires.
public struct RegimeRule: Codable, Sendable, Equatable {
    public var code: String
    public var regime: Regime
    public var nameJa: String
    public var nameEn: String
    public var basisJa: String
    public var basisEn: String
    public var noteJa: String?
    public var noteEn: String?
    public var clock: ClockSpec
    public var trigger: RuleTrigger
    public var triggerStage: String?
    public var applicability: Applicability
    public var requiredContent: [IncidentField]
    /// Whether an approved delay (decided by a reviewer of the competent authority) stops this clock.
    public var pausedByDelay: Bool
    /// Met by publishing a version on this platform (timely disclosure); otherwise the company records the submission.
    public var metByPublication: Bool
    public var active: Bool
    public var position: Int

    public func name(_ language: UILanguage) -> String { language == .ja ? nameJa : nameEn }
    public func basis(_ language: UILanguage) -> String { language == .ja ? basisJa : basisEn }
    public func note(_ language: UILanguage) -> String? { language == .ja ? noteJa : noteEn }

    public static let timelyCode = "tse-timely"
    public static let amendmentCode = "tse-amendment"

    /// The rules a new installation starts with. Administrators may change clocks and switch rules off.
    public static let defaults: [RegimeRule] = [
        RegimeRule(code: timelyCode, regime: .tse, nameJa: "重大インシデントの適時開示", nameEn: "Timely disclosure of a serious incident",
                   basisJa: "2026年度重点要望 §2.7（米国SEC Form 8-K Item 1.05にならい4営業日以内）", basisEn: "FY2026 priority requests §2.7 (4 business days, after SEC Form 8-K Item 1.05)",
                   noteJa: "重大と判断した日が取引所の休業日なら、翌営業日から数える。", noteEn: "When the determination falls on a day the exchange is closed, counting starts from the next business day.",
                   clock: .businessDays(4, .exchange), trigger: .determination, triggerStage: nil, applicability: .always,
                   requiredContent: IncidentContent.timelyDisclosureRequirements, pausedByDelay: true, metByPublication: true, active: true, position: 10),
        RegimeRule(code: amendmentCode, regime: .tse, nameJa: "適時開示の追加開示（続報）", nameEn: "Follow-up disclosure (amendment)",
                   basisJa: "2026年度重点要望 §2.7（未確定だった情報が判明した時点から4営業日以内。SEC Form 8-K Item 1.05 Instruction 2にならう）",
                   basisEn: "FY2026 priority requests §2.7 (4 business days from when undetermined information becomes available, after Form 8-K Item 1.05 Instruction 2)",
                   noteJa: nil, noteEn: nil,
                   clock: .businessDays(4, .exchange), trigger: .informationAvailable, triggerStage: nil, applicability: .always,
                   requiredContent: IncidentContent.timelyDisclosureRequirements, pausedByDelay: true, metByPublication: true, active: true, position: 20),
        RegimeRule(code: "ppc-preliminary", regime: .ppc, nameJa: "個人情報保護委員会への速報", nameEn: "Preliminary report to the PPC",
                   basisJa: "個人情報保護法第26条第1項、同法施行規則第8条第1項（知った後、速やかに）", basisEn: "APPI Art. 26(1); Enforcement Rules Art. 8(1) (promptly after becoming aware)",
                   noteJa: "ガイドライン（通則編）では、知った時点から概ね3〜5日以内。ここでは5日を期限とする。", noteEn: "The PPC guidelines say roughly 3 to 5 days from becoming aware; 5 days is used as the deadline.",
                   clock: .calendarDays(5), trigger: .discovery, triggerStage: nil, applicability: .personalData,
                   requiredContent: [.summary], pausedByDelay: false, metByPublication: false, active: true, position: 30),
        RegimeRule(code: "ppc-final", regime: .ppc, nameJa: "個人情報保護委員会への確報（30日）", nameEn: "Final report to the PPC (30 days)",
                   basisJa: "個人情報保護法施行規則第8条第2項（知った日から30日以内）", basisEn: "APPI Enforcement Rules Art. 8(2) (within 30 days of becoming aware)",
                   noteJa: "土日・祝日も数え、末日が行政機関の休日なら翌開庁日まで。", noteEn: "Weekends and holidays count; a last day on which government offices are closed moves to the next open day.",
                   clock: .calendarDays(30, extended: true), trigger: .discovery, triggerStage: nil, applicability: .personalDataNotMalicious,
                   requiredContent: [.summary, .personalDataItems, .affectedPeople, .cause, .secondaryDamage, .countermeasures],
                   pausedByDelay: false, metByPublication: false, active: true, position: 40),
        RegimeRule(code: "ppc-final-malicious", regime: .ppc, nameJa: "個人情報保護委員会への確報（不正の目的: 60日）", nameEn: "Final report to the PPC (malicious: 60 days)",
                   basisJa: "個人情報保護法施行規則第7条第3号・第8条第2項（不正の目的をもって行われたおそれがある場合は60日以内）",
                   basisEn: "APPI Enforcement Rules Arts. 7(iii) and 8(2) (60 days where the breach may have been committed for a wrongful purpose)",
                   noteJa: "土日・祝日も数え、末日が行政機関の休日なら翌開庁日まで。", noteEn: "Weekends and holidays count; a last day on which government offices are closed moves to the next open day.",
                   clock: .calendarDays(60, extended: true), trigger: .discovery, triggerStage: nil, applicability: .personalDataMalicious,
                   requiredContent: [.summary, .personalDataItems, .affectedPeople, .cause, .secondaryDamage, .countermeasures],
                   pausedByDelay: false, metByPublication: false, active: true, position: 50),
        RegimeRule(code: "nis2-early-warning", regime: .nis2, nameJa: "NIS2 早期警告（24時間）", nameEn: "NIS2 early warning (24 hours)",
                   basisJa: "指令(EU) 2022/2555 第23条第4項(a)", basisEn: "Directive (EU) 2022/2555 Art. 23(4)(a)",
                   noteJa: "重大なインシデントを認識してから24時間以内。不正行為の疑いと国境を越える影響の有無を示す。", noteEn: "Within 24 hours of becoming aware of the significant incident; say whether it is suspected to be malicious and whether it could have a cross-border impact.",
                   clock: .hours(24), trigger: .determination, triggerStage: nil, applicability: .nis2Entity,
                   requiredContent: [.summary, .crossBorderImpact], pausedByDelay: false, metByPublication: false, active: true, position: 60),
        RegimeRule(code: "nis2-notification", regime: .nis2, nameJa: "NIS2 インシデント通知（72時間）", nameEn: "NIS2 incident notification (72 hours)",
                   basisJa: "指令(EU) 2022/2555 第23条第4項(b)", basisEn: "Directive (EU) 2022/2555 Art. 23(4)(b)",
                   noteJa: "初期評価（深刻度と影響）を含める。", noteEn: "Include an initial assessment of severity and impact.",
                   clock: .hours(72), trigger: .determination, triggerStage: nil, applicability: .nis2Entity,
                   requiredContent: [.summary, .businessImpact], pausedByDelay: false, metByPublication: false, active: true, position: 70),
        RegimeRule(code: "nis2-final", regime: .nis2, nameJa: "NIS2 最終報告（通知から1か月）", nameEn: "NIS2 final report (1 month after the notification)",
                   basisJa: "指令(EU) 2022/2555 第23条第4項(d)", basisEn: "Directive (EU) 2022/2555 Art. 23(4)(d)",
                   noteJa: "インシデント通知の提出から1か月以内。通知が未提出の間は、通知の期限から仮に数える。", noteEn: "One month after the incident notification was submitted; until it is, the count runs provisionally from the notification's deadline.",
                   clock: .months(1), trigger: .stageSubmitted, triggerStage: "nis2-notification", applicability: .nis2Entity,
                   requiredContent: [.summary, .cause, .countermeasures, .crossBorderImpact], pausedByDelay: false, metByPublication: false, active: true, position: 80),
        RegimeRule(code: "sec-8k", regime: .sec, nameJa: "米国SEC Form 8-K Item 1.05（4営業日）", nameEn: "SEC Form 8-K Item 1.05 (4 business days)",
                   basisJa: "Form 8-K Item 1.05、一般指示B.1（重要性の判断から4営業日以内）", basisEn: "Form 8-K Item 1.05 and General Instruction B.1 (4 business days after the materiality determination)",
                   noteJa: "米国の営業日で数える。SECの開示延期は米国司法長官が判断するため、ここでの猶予では止まらない。", noteEn: "Counted on U.S. business days. An SEC delay is decided by the U.S. Attorney General, so a delay approved here does not stop this clock.",
                   clock: .businessDays(4, .usFederal), trigger: .determination, triggerStage: nil, applicability: .secRegistrant,
                   requiredContent: [.summary, .systemsAffected, .dataAffected, .occurredAt, .businessImpact, .financialImpact],
                   pausedByDelay: false, metByPublication: false, active: true, position: 90),
    ]
}

/// The state of one obligation on one incident.
public enum ObligationStatus: String, Codable, Sendable, CaseIterable {
    /// Clock running.
    case open
    /// Clock stopped by an approved delay that lasts now.
    case paused
    /// Deadline passed and not met.
    case overdue
    case metOnTime
    case metLate

    public var isOpen: Bool { self == .open || self == .paused || self == .overdue }
}

/// One computed obligation: the rule, what started it, its deadline and where it stands.
public struct Obligation: Sendable {
    public let key: String
    public let rule: RegimeRule
    /// The amendment version the obligation belongs to (timely-disclosure amendments).
    public let version: Int?
    public let trigger: Date
    /// The trigger is an estimate (an earlier stage not yet submitted).
    public let provisional: Bool
    public let deadline: ObligationDeadline
    public let metAt: Date?
    public let reference: String?
    public let status: ObligationStatus
    public let missing: [IncidentField]
}

/// Everything that decides an incident's obligations.
public struct ObligationInput: Sendable {
    public struct PublishedVersion: Sendable {
        public var version: Int
        public var informationAvailableAt: Date?
        public var publishedAt: Date
        public init(version: Int, informationAvailableAt: Date?, publishedAt: Date) {
            self.version = version; self.informationAvailableAt = informationAvailableAt; self.publishedAt = publishedAt
        }
    }
    public var facts: IncidentFacts
    public var company: CompanyFlags
    public var content: IncidentContent
    public var versions: [PublishedVersion]
    /// The information-available time of an amendment being drafted.
    public var draftAmendmentAvailableAt: Date?
    public var pauses: [PauseWindow]
    /// Recorded submissions to other regimes: rule code → (time, reference).
    public var submissions: [String: (at: Date, reference: String?)]

    public init(facts: IncidentFacts, company: CompanyFlags, content: IncidentContent, versions: [PublishedVersion] = [],
                draftAmendmentAvailableAt: Date? = nil, pauses: [PauseWindow] = [], submissions: [String: (at: Date, reference: String?)] = [:]) {
        self.facts = facts; self.company = company; self.content = content; self.versions = versions
        self.draftAmendmentAvailableAt = draftAmendmentAvailableAt; self.pauses = pauses; self.submissions = submissions
    }
}

/// Works out every obligation of an incident from the rules.
public enum ObligationPlanner {
    public static func obligations(rules: [RegimeRule], input: ObligationInput, now: Date) throws -> [Obligation] {
        var out: [Obligation] = []
        var byCode: [String: Obligation] = [:]
        for rule in rules.filter(\.active).sorted(by: { $0.position < $1.position }) {
            guard rule.applicability.applies(facts: input.facts, company: input.company) else { continue }
            let pauses = rule.pausedByDelay ? input.pauses : []
            let missing = rule.requiredContent.filter { !input.content.has($0, occurredAt: input.facts.occurredAt) }
            func make(key: String, version: Int?, trigger: Date, provisional: Bool, metAt: Date?, reference: String?) throws -> Obligation {
                let deadline = try DeadlineEngine.deadline(rule.clock, from: trigger, pauses: pauses)
                let status: ObligationStatus
                if let metAt {
                    status = deadline.isLate(at: metAt) ? .metLate : .metOnTime
                } else if deadline.isLate(at: now) {
                    status = .overdue
                } else if deadline.pauses.contains(where: { $0.start <= now && now < $0.end }) {
                    status = .paused
                } else {
                    status = .open
                }
                return Obligation(key: key, rule: rule, version: version, trigger: trigger, provisional: provisional, deadline: deadline,
                                  metAt: metAt, reference: reference, status: status, missing: metAt == nil ? missing : [])
            }
            switch rule.trigger {
            case .informationAvailable:
                for version in input.versions where version.version > 1 {
                    guard let available = version.informationAvailableAt else { continue }
                    out.append(try make(key: "\(rule.code):\(version.version)", version: version.version, trigger: available, provisional: false,
                                        metAt: version.publishedAt, reference: nil))
                }
                if let available = input.draftAmendmentAvailableAt {
                    let next = (input.versions.map(\.version).max() ?? 1) + 1
                    out.append(try make(key: "\(rule.code):\(next)", version: next, trigger: available, provisional: false, metAt: nil, reference: nil))
                }
            case .determination, .discovery, .stageSubmitted:
                var trigger = rule.trigger == .discovery ? input.facts.discoveredAt : input.facts.determinedAt
                var provisional = false
                if rule.trigger == .stageSubmitted {
                    guard let stage = rule.triggerStage, let earlier = byCode[stage] else { continue }
                    if let submitted = earlier.metAt { trigger = submitted } else { trigger = earlier.deadline.due; provisional = true }
                }
                let met: (at: Date, reference: String?)?
                if rule.metByPublication {
                    met = input.versions.first(where: { $0.version == 1 }).map { ($0.publishedAt, nil) }
                } else {
                    met = input.submissions[rule.code]
                }
                let obligation = try make(key: rule.code, version: rule.metByPublication ? 1 : nil, trigger: trigger, provisional: provisional,
                                          metAt: met?.at, reference: met?.reference)
                byCode[rule.code] = obligation
                out.append(obligation)
            }
        }
        return out
    }
}
