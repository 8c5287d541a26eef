import Foundation
import ShinraiKit

/// Where the response to an incident stands.
public enum ResponseStatus: String, Codable, Sendable, CaseIterable {
    case investigating, contained, recovering, recovered
}

public enum FinancialImpactKind: String, Codable, Sendable, CaseIterable {
    /// A single amount in yen.
    case amount
    /// A range (lower and upper bound) in yen.
    case range
    /// Not yet determined; the reason must be given (and an amendment follows once it is).
    case undetermined
}

/// 財務的影響: an amount, a range, or "not yet determined" with the reason.
public struct FinancialImpact: Codable, Sendable, Equatable {
    public var kind: FinancialImpactKind
    public var amountYen: Int?
    public var minYen: Int?
    public var maxYen: Int?
    public var undeterminedReason: String?

    public init(kind: FinancialImpactKind, amountYen: Int? = nil, minYen: Int? = nil, maxYen: Int? = nil, undeterminedReason: String? = nil) {
        self.kind = kind; self.amountYen = amountYen; self.minYen = minYen; self.maxYen = maxYen; self.undeterminedReason = undeterminedReason
    }

    /// 「約1億2,000万円」-free plain text: 「120,000,000円」「50,000,000円〜80,000,000円」「未確定（理由）」.
    public func text(_ language: UILanguage) -> String {
        switch kind {
        case .amount: return amountYen.map { Yen.text($0, language) } ?? "—"
        case .range:
            guard let lower = minYen, let upper = maxYen else { return "—" }
            return language == .ja ? "\(Yen.text(lower, .ja))〜\(Yen.text(upper, .ja))" : "\(Yen.text(lower, .en)) to \(Yen.text(upper, .en))"
        case .undetermined:
            let reason = undeterminedReason ?? ""
            return language == .ja ? "未確定（\(reason)）" : "Not yet determined (\(reason))"
        }
    }
}

enum Yen {
    /// Upper bound of any amount the system accepts (10 trillion yen).
    static let maximum = 10_000_000_000_000

    static func text(_ value: Int, _ language: UILanguage) -> String {
        let grouped = SVGChart.defaultFormat(Double(value))
        return language == .ja ? "\(grouped)円" : "¥\(grouped)"
    }
}

/// The parts of a filing's content, used by regime rules to say what they require.
public enum IncidentField: String, Codable, Sendable, CaseIterable {
    case summary, systemsAffected, dataAffected, affectedPeople, businessImpact, countermeasures, responseStatus,
         financialImpact, cause, personalDataItems, secondaryDamage, crossBorderImpact, occurredAt

    var labelJa: String {
        switch self {
        case .summary: return "被害内容（何が起きたか）"
        case .systemsAffected: return "影響を受けたシステム"
        case .dataAffected: return "影響を受けたデータ"
        case .affectedPeople: return "影響を受けた人数"
        case .businessImpact: return "業務への影響"
        case .countermeasures: return "対策・対応状況"
        case .responseStatus: return "対応の段階"
        case .financialImpact: return "財務的影響"
        case .cause: return "原因"
        case .personalDataItems: return "漏えい等した個人データの項目"
        case .secondaryDamage: return "二次被害またはそのおそれ"
        case .crossBorderImpact: return "国境を越える影響"
        case .occurredAt: return "発生日時"
        }
    }

    var labelEn: String {
        switch self {
        case .summary: return "Damage (what happened)"
        case .systemsAffected: return "Systems affected"
        case .dataAffected: return "Data affected"
        case .affectedPeople: return "Number of people affected"
        case .businessImpact: return "Business impact"
        case .countermeasures: return "Countermeasures and response status"
        case .responseStatus: return "Stage of the response"
        case .financialImpact: return "Financial impact"
        case .cause: return "Cause"
        case .personalDataItems: return "Items of personal data involved"
        case .secondaryDamage: return "Secondary damage or its risk"
        case .crossBorderImpact: return "Cross-border impact"
        case .occurredAt: return "When it occurred"
        }
    }

    func label(_ language: UILanguage) -> String { language == .ja ? labelJa : labelEn }
}

/// What a company states about an incident in a filing (each published version keeps its own copy).
public struct IncidentContent: Codable, Sendable, Equatable {
    public var title: String
    /// 被害内容: what happened.
    public var summary: String?
    public var systemsAffected: String?
    public var dataAffected: String?
    /// Number of people affected; nil when not known, with `affectedPeopleNote` saying why.
    public var affectedPeople: Int?
    /// Whether the number is an estimate, or why it is not known yet.
    public var affectedPeopleNote: String?
    /// 業務影響.
    public var businessImpact: String?
    /// 対策・対応状況.
    public var countermeasures: String?
    public var responseStatus: ResponseStatus?
    /// 財務的影響.
    public var financialImpact: FinancialImpact?
    public var cause: String?
    public var personalDataItems: String?
    public var secondaryDamage: String?
    public var crossBorderImpact: String?

    public init(title: String = "") { self.title = title }

    public static let textLimit = 8000
    public static let titleLimit = 200
    public static let peopleLimit = 10_000_000_000

    var texts: [(String, String?)] {
        [("summary", summary), ("systemsAffected", systemsAffected), ("dataAffected", dataAffected), ("affectedPeopleNote", affectedPeopleNote),
         ("businessImpact", businessImpact), ("countermeasures", countermeasures), ("cause", cause), ("personalDataItems", personalDataItems),
         ("secondaryDamage", secondaryDamage), ("crossBorderImpact", crossBorderImpact)]
    }

    /// Trims every text and turns empty texts into nil.
    public func normalised() -> IncidentContent {
        func clean(_ s: String?) -> String? { s?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        var c = self
        c.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        c.summary = clean(summary); c.systemsAffected = clean(systemsAffected); c.dataAffected = clean(dataAffected)
        c.affectedPeopleNote = clean(affectedPeopleNote); c.businessImpact = clean(businessImpact); c.countermeasures = clean(countermeasures)
        c.cause = clean(cause); c.personalDataItems = clean(personalDataItems); c.secondaryDamage = clean(secondaryDamage)
        c.crossBorderImpact = clean(crossBorderImpact)
        if var impact = financialImpact {
            impact.undeterminedReason = clean(impact.undeterminedReason)
            c.financialImpact = impact
        }
        return c
    }

    /// Problems that make even a draft unacceptable: lengths, negative or absurd numbers,
    /// inconsistent ranges. Pointers are relative to the content object (`prefix` is prepended).
    public func draftProblems(prefix: String = "") -> [FieldError] {
        var errors = ValidationErrors()
        if title.isEmpty {
            errors.add(prefix + "/title", code: FieldError.Code.missing, .init(ja: "件名を入力してください。", en: "Enter a title."))
        } else if title.count > Self.titleLimit {
            errors.add(prefix + "/title", code: FieldError.Code.invalid, .init(ja: "件名は\(Self.titleLimit)文字以内にしてください。", en: "The title is at most \(Self.titleLimit) characters."))
        }
        for (key, value) in texts where (value?.count ?? 0) > Self.textLimit {
            errors.add(prefix + "/" + key, code: FieldError.Code.invalid,
                       .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
        }
        TextRules.check([(prefix + "/title", title)] + texts.map { (prefix + "/" + $0.0, $0.1) }
                        + [(prefix + "/financialImpact/undeterminedReason", financialImpact?.undeterminedReason)], into: &errors)
        if let people = affectedPeople, !(0...Self.peopleLimit).contains(people) {
            errors.add(prefix + "/affectedPeople", code: FieldError.Code.range,
                       .init(ja: "影響を受けた人数は0以上の整数で入力してください。", en: "The number of people affected must be zero or more."))
        }
        if let impact = financialImpact {
            let yen: [(String, Int?)] = [("amountYen", impact.amountYen), ("minYen", impact.minYen), ("maxYen", impact.maxYen)]
            for (key, value) in yen {
                if let value, !(0...Yen.maximum).contains(value) {
                    errors.add(prefix + "/financialImpact/" + key, code: FieldError.Code.range,
                               .init(ja: "金額は0円以上10兆円以下で入力してください。", en: "Amounts must be from ¥0 to ¥10 trillion."))
                }
            }
            if let lower = impact.minYen, let upper = impact.maxYen, lower > upper {
                errors.add(prefix + "/financialImpact/maxYen", code: FieldError.Code.invalid,
                           .init(ja: "金額の上限は下限以上にしてください。", en: "The upper bound must not be below the lower bound."))
            }
            if (impact.undeterminedReason?.count ?? 0) > Self.textLimit {
                errors.add(prefix + "/financialImpact/undeterminedReason", code: FieldError.Code.invalid,
                           .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
            }
        }
        return errors.errors
    }

    /// Whether a required part is present.
    public func has(_ field: IncidentField, occurredAt: Date?) -> Bool {
        switch field {
        case .summary: return summary != nil
        case .systemsAffected: return systemsAffected != nil
        case .dataAffected: return dataAffected != nil
        case .affectedPeople: return affectedPeople != nil || affectedPeopleNote != nil
        case .businessImpact: return businessImpact != nil
        case .countermeasures: return countermeasures != nil && responseStatus != nil
        case .responseStatus: return responseStatus != nil
        case .financialImpact: return financialImpactProblem() == nil
        case .cause: return cause != nil
        case .personalDataItems: return personalDataItems != nil
        case .secondaryDamage: return secondaryDamage != nil
        case .crossBorderImpact: return crossBorderImpact != nil
        case .occurredAt: return occurredAt != nil
        }
    }

    private func financialImpactProblem() -> (String, LocalizedText)? {
        guard let impact = financialImpact else {
            return ("/financialImpact/kind", .init(ja: "財務的影響を記載してください（金額、金額の範囲、または未確定とその理由）。",
                                                   en: "State the financial impact: an amount, a range, or \"not yet determined\" with the reason."))
        }
        switch impact.kind {
        case .amount where impact.amountYen == nil:
            return ("/financialImpact/amountYen", .init(ja: "財務的影響の金額（円）を入力してください。", en: "Enter the financial impact in yen."))
        case .range where impact.minYen == nil || impact.maxYen == nil:
            return ("/financialImpact/minYen", .init(ja: "財務的影響の金額の範囲（下限と上限）を入力してください。", en: "Enter both bounds of the financial impact range."))
        case .undetermined where impact.undeterminedReason == nil:
            return ("/financialImpact/undeterminedReason", .init(ja: "財務的影響が未確定である理由を記載してください。", en: "Explain why the financial impact is not yet determined."))
        default:
            return nil
        }
    }

    /// Missing required parts, each with a message that says what to add. Pointers are relative
    /// to the content object (`prefix` is prepended).
    public func missing(_ fields: [IncidentField], occurredAt: Date?, prefix: String = "") -> [FieldError] {
        var errors = ValidationErrors()
        for field in fields where !has(field, occurredAt: occurredAt) {
            switch field {
            case .financialImpact:
                if let (pointer, text) = financialImpactProblem() { errors.add(prefix + pointer, code: FieldError.Code.missing, text) }
            case .affectedPeople:
                errors.add(prefix + "/affectedPeople", code: FieldError.Code.missing,
                           .init(ja: "影響を受けた人数を入力するか、未確定であればその旨と理由を記載してください。",
                                 en: "Enter the number of people affected, or explain why it is not known yet."))
            case .countermeasures:
                if countermeasures == nil {
                    errors.add(prefix + "/countermeasures", code: FieldError.Code.missing,
                               .init(ja: "対策・対応状況を記載してください。", en: "Describe the countermeasures and the response status."))
                }
                if responseStatus == nil {
                    errors.add(prefix + "/responseStatus", code: FieldError.Code.missing,
                               .init(ja: "対応の段階（調査中・封じ込め済み・復旧中・復旧済み）を選んでください。",
                                     en: "Choose the stage of the response (investigating, contained, recovering, recovered)."))
                }
            case .occurredAt:
                errors.add("/occurredAt", code: FieldError.Code.missing, .init(ja: "発生日時を入力してください。", en: "Enter when the incident occurred."))
            default:
                errors.add(prefix + "/" + field.rawValue, code: FieldError.Code.missing,
                           .init(ja: "「\(field.labelJa)」を記載してください。", en: "Add the \"\(field.labelEn)\"."))
            }
        }
        return errors.errors
    }

    /// The parts this paper requires in every timely disclosure (§2.7: 被害内容、業務影響、対策・対応状況、財務的影響).
    public static let timelyDisclosureRequirements: [IncidentField] = [
        .summary, .systemsAffected, .dataAffected, .affectedPeople, .businessImpact, .countermeasures, .financialImpact,
    ]
}

/// The facts that start the clocks. They are fixed once the first version is published.
public struct IncidentFacts: Codable, Sendable, Equatable {
    public var occurredAt: Date?
    public var discoveredAt: Date
    /// When the company determined that the incident is serious (material): the clock starts here.
    public var determinedAt: Date
    public var personalData: Bool
    /// Suspected malicious act (不正の目的): the PPC final report gets 60 days, NIS2 asks for it.
    public var malicious: Bool

    public init(occurredAt: Date? = nil, discoveredAt: Date, determinedAt: Date, personalData: Bool = false, malicious: Bool = false) {
        self.occurredAt = occurredAt; self.discoveredAt = discoveredAt; self.determinedAt = determinedAt
        self.personalData = personalData; self.malicious = malicious
    }

    /// Earliest instant accepted for any incident time.
    public static let earliest = JapaneseDate.date(year: 2000, month: 1, day: 1)

    /// Times must be in order (occurred ≤ discovered ≤ determined), not in the future and not absurdly old.
    public func problems(now: Date) -> [FieldError] {
        var errors = ValidationErrors()
        let times: [(String, Date?)] = [("occurredAt", occurredAt), ("discoveredAt", discoveredAt), ("determinedAt", determinedAt)]
        for (key, value) in times {
            guard let value else { continue }
            if value > now {
                errors.add("/" + key, code: FieldError.Code.invalid, .init(ja: "未来の日時は入力できません。", en: "The time cannot be in the future."))
            } else if value < Self.earliest {
                errors.add("/" + key, code: FieldError.Code.range, .init(ja: "2000年1月1日以降の日時を入力してください。", en: "Enter a time on or after 1 January 2000."))
            }
        }
        if determinedAt < discoveredAt {
            errors.add("/determinedAt", code: FieldError.Code.invalid,
                       .init(ja: "重大性の判断日時は発見日時より後にしてください（発見前に判断はできません）。",
                             en: "The determination cannot be earlier than the discovery."))
        }
        if let occurred = occurredAt, occurred > discoveredAt {
            errors.add("/occurredAt", code: FieldError.Code.invalid,
                       .init(ja: "発生日時は発見日時より前にしてください。", en: "The incident cannot have occurred after it was discovered."))
        }
        return errors.errors
    }
}
