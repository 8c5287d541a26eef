import Foundation
import ShinraiKit

/// The six items of the annual cyber-security disclosure proposed in §2.6.
public enum AnnualItem: String, Codable, Sendable, CaseIterable {
    /// ガバナンス体制（責任者のスキルと専門知識）
    case governance
    /// 守るべき情報資産
    case informationAssets
    /// リスク管理の取組み
    case riskManagement
    /// 重大インシデント発生数
    case seriousIncidents
    /// 教育・演習
    case educationDrills
    /// 取引先・サプライチェーンリスク対応状況
    case supplyChain

    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public func label(_ language: UILanguage) -> String {
        switch (self, language) {
        case (.governance, .ja): return "ガバナンス体制（責任者のスキルと専門知識）"
        case (.informationAssets, .ja): return "守るべき情報資産"
        case (.riskManagement, .ja): return "リスク管理の取組み"
        case (.seriousIncidents, .ja): return "重大インシデント発生数"
        case (.educationDrills, .ja): return "教育・演習"
        case (.supplyChain, .ja): return "取引先・サプライチェーンリスク対応状況"
        case (.governance, .en): return "Governance (responsible officers, their skills and expertise, board oversight)"
        case (.informationAssets, .en): return "Information assets to protect"
        case (.riskManagement, .en): return "Risk management"
        case (.seriousIncidents, .en): return "Number of serious incidents"
        case (.educationDrills, .en): return "Education and drills"
        case (.supplyChain, .en): return "Supplier and supply-chain risk"
        }
    }

    public func hint(_ language: UILanguage) -> String {
        switch (self, language) {
        case (.governance, .ja): return "責任者（CISO等）とその経歴・資格・専門性、取締役会による監督の仕組みと頻度。"
        case (.informationAssets, .ja): return "守るべき情報資産（顧客情報、技術情報、制御システム等）とその特定・管理の方法。"
        case (.riskManagement, .ja): return "リスクの特定・評価・対応の手順、外部の評価者・監査人の活用、全社的リスク管理への統合。"
        case (.seriousIncidents, .ja): return "当年度に発生した重大インシデントの件数と概要、事業への重要な影響の有無。"
        case (.educationDrills, .ja): return "教育・研修・演習の種類、回数、対象、受講率。"
        case (.supplyChain, .ja): return "取引先・委託先のリスクの特定と評価、契約上の要求事項、監督の方法。"
        case (.governance, .en): return "Who is responsible (e.g. a CISO), their background, qualifications and expertise, and how and how often the board oversees cyber risk."
        case (.informationAssets, .en): return "The information assets to protect (customer data, technology, control systems …) and how they are identified and managed."
        case (.riskManagement, .en): return "How risks are identified, assessed and treated, use of third-party assessors and auditors, integration into enterprise risk management."
        case (.seriousIncidents, .en): return "The number of serious incidents in the year, what they were, and whether they materially affected the business."
        case (.educationDrills, .en): return "Kinds of education, training and drills, how often, for whom, and participation."
        case (.supplyChain, .en): return "How supplier and outsourcing risks are identified and assessed, contractual requirements, and oversight."
        }
    }

    /// The figures that make the item comparable across companies and years.
    public var figures: [FigureDefinition] {
        switch self {
        case .governance:
            return [.init("responsibleOfficer", .flag, "責任者（CISO等）を定めている", "A responsible officer (e.g. CISO) is designated"),
                    .init("reportsToBoard", .flag, "責任者が取締役会に報告している", "The responsible officer reports to the board"),
                    .init("boardReportsPerYear", .count, "取締役会への年間報告回数", "Reports to the board per year"),
                    .init("directorsWithExpertise", .count, "セキュリティの専門知識を持つ役員の数", "Directors and officers with security expertise")]
        case .informationAssets:
            return [.init("assetCategories", .count, "特定した保護対象の情報資産の区分数", "Categories of protected information assets identified"),
                    .init("inventoryMaintained", .flag, "情報資産の台帳を維持している", "An inventory of information assets is maintained")]
        case .riskManagement:
            return [.init("integratedWithERM", .flag, "全社的リスク管理に統合している", "Integrated into enterprise risk management"),
                    .init("thirdPartyAssessors", .flag, "外部の評価者・監査人を活用している", "Third-party assessors or auditors are engaged"),
                    .init("assessmentsPerYear", .count, "年間のリスク評価・外部評価の回数", "Risk or external assessments per year")]
        case .seriousIncidents:
            return [.init("seriousIncidents", .count, "当年度の重大インシデント件数", "Serious incidents in the year"),
                    .init("materiallyAffected", .flag, "事業・財務に重要な影響があった（またはそのおそれ）", "Materially affected (or reasonably likely to affect) the business")]
        case .educationDrills:
            return [.init("trainingSessions", .count, "年間の教育・研修の回数", "Education and training sessions per year"),
                    .init("drills", .count, "年間の演習・訓練の回数", "Drills and exercises per year"),
                    .init("participationPercent", .percent, "受講率（％）", "Participation rate (%)")]
        case .supplyChain:
            return [.init("criticalSuppliers", .count, "重要な取引先・委託先の数", "Critical suppliers and contractors"),
                    .init("suppliersAssessed", .count, "セキュリティ評価を行った取引先の数", "Suppliers assessed for security"),
                    .init("oversightProcess", .flag, "取引先リスクを特定・監督する手順がある", "A process identifies and oversees supplier risk")]
        }
    }

    public func figure(_ key: String) -> FigureDefinition? { figures.first { $0.key == key } }
}

public enum FigureKind: String, Codable, Sendable {
    case count, percent, flag

    public var range: ClosedRange<Int> {
        switch self {
        case .count: return 0...1_000_000
        case .percent: return 0...100
        case .flag: return 0...1
        }
    }
}

public struct FigureDefinition: Sendable, Equatable {
    public let key: String
    public let kind: FigureKind
    public let labelJa: String
    public let labelEn: String
    init(_ key: String, _ kind: FigureKind, _ labelJa: String, _ labelEn: String) {
        self.key = key; self.kind = kind; self.labelJa = labelJa; self.labelEn = labelEn
    }
    public func label(_ language: UILanguage) -> String { language == .ja ? labelJa : labelEn }
}

/// A figure value as it appears in JSON: an integer, or a boolean for flags.
public enum FigureValue: Codable, Sendable, Equatable {
    case number(Int)
    case flag(Bool)

    public var intValue: Int {
        switch self {
        case .number(let n): return n
        case .flag(let b): return b ? 1 : 0
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .flag(flag) } else { self = .number(try container.decode(Int.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let n): try container.encode(n)
        case .flag(let b): try container.encode(b)
        }
    }

    public func text(_ language: UILanguage, kind: FigureKind) -> String {
        switch self {
        case .flag(let b): return b ? (language == .ja ? "はい" : "Yes") : (language == .ja ? "いいえ" : "No")
        case .number(let n): return kind == .percent ? "\(n)%" : SVGChart.defaultFormat(Double(n))
        }
    }
}

/// One item's disclosure: text plus figures (keyed by `FigureDefinition.key`).
public struct AnnualItemContent: Codable, Sendable, Equatable {
    public var text: String?
    public var figures: [String: FigureValue]
    public init(text: String? = nil, figures: [String: FigureValue] = [:]) { self.text = text; self.figures = figures }

    public var textLength: Int { text?.count ?? 0 }
}

/// The six items of one company's annual disclosure.
public struct AnnualContent: Codable, Sendable, Equatable {
    public var governance = AnnualItemContent()
    public var informationAssets = AnnualItemContent()
    public var riskManagement = AnnualItemContent()
    public var seriousIncidents = AnnualItemContent()
    public var educationDrills = AnnualItemContent()
    public var supplyChain = AnnualItemContent()

    public init() {}

    public subscript(item: AnnualItem) -> AnnualItemContent {
        get {
            switch item {
            case .governance: return governance
            case .informationAssets: return informationAssets
            case .riskManagement: return riskManagement
            case .seriousIncidents: return seriousIncidents
            case .educationDrills: return educationDrills
            case .supplyChain: return supplyChain
            }
        }
        set {
            switch item {
            case .governance: governance = newValue
            case .informationAssets: informationAssets = newValue
            case .riskManagement: riskManagement = newValue
            case .seriousIncidents: seriousIncidents = newValue
            case .educationDrills: educationDrills = newValue
            case .supplyChain: supplyChain = newValue
            }
        }
    }

    public static let textLimit = 20_000

    /// Trims texts, drops empty ones.
    public func normalised() -> AnnualContent {
        var out = self
        for item in AnnualItem.allCases {
            out[item].text = self[item].text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        }
        return out
    }

    /// Problems that make even a draft unacceptable (unknown figures, wrong types, ranges, lengths).
    public func draftProblems() -> [FieldError] {
        var errors = ValidationErrors()
        for item in AnnualItem.allCases {
            let content = self[item]
            if content.textLength > Self.textLimit {
                errors.add("/\(item.rawValue)/text", code: FieldError.Code.invalid,
                           .init(ja: "\(Self.textLimit)文字以内にしてください。", en: "At most \(Self.textLimit) characters."))
            }
            TextRules.check([("/\(item.rawValue)/text", content.text)], into: &errors)
            for (key, value) in content.figures.sorted(by: { $0.key < $1.key }) {
                let pointer = "/\(item.rawValue)/figures/\(key)"
                guard let definition = item.figure(key) else {
                    errors.add(pointer, code: FieldError.Code.unknownField,
                               .init(ja: "「\(item.label(.ja))」に「\(key)」という数値項目はありません。", en: "\(item.rawValue) has no figure \"\(key)\"."))
                    continue
                }
                switch (definition.kind, value) {
                case (.flag, .flag): break
                case (.flag, .number):
                    errors.add(pointer, code: FieldError.Code.type, .init(ja: "はい・いいえで答えてください。", en: "Expected true or false."))
                case (_, .flag):
                    errors.add(pointer, code: FieldError.Code.type, .init(ja: "数値を入力してください。", en: "Expected an integer."))
                case (let kind, .number(let n)) where !kind.range.contains(n):
                    errors.add(pointer, code: FieldError.Code.range,
                               .init(ja: "\(definition.labelJa)は\(kind.range.lowerBound)〜\(kind.range.upperBound)で入力してください。",
                                     en: "\(definition.labelEn) must be from \(kind.range.lowerBound) to \(kind.range.upperBound)."))
                default: break
                }
            }
        }
        return errors.errors
    }

    /// What a filing needs before it can be published: a text for every item (「該当なし」 is a text) and the
    /// number of serious incidents, the one count the paper names.
    public func submissionProblems() -> [FieldError] {
        var errors = ValidationErrors()
        for item in AnnualItem.allCases where self[item].text == nil {
            errors.add("/\(item.rawValue)/text", code: FieldError.Code.missing,
                       .init(ja: "「\(item.label(.ja))」を記載してください（該当しない場合はその旨を記載）。",
                             en: "Describe \"\(item.label(.en))\" (say so if it does not apply)."))
        }
        if seriousIncidents.figures["seriousIncidents"] == nil {
            errors.add("/seriousIncidents/figures/seriousIncidents", code: FieldError.Code.missing,
                       .init(ja: "当年度の重大インシデント件数を入力してください（0件も入力）。", en: "Enter the number of serious incidents in the year (including 0)."))
        }
        return errors.errors
    }
}

// MARK: - SEC cross-reference

/// Where an item's content goes in a U.S. filing: the Regulation S-K Item 106 paragraph (Form 10-K
/// Item 1C, Form 20-F Item 16K) and the cybersecurity (`cyd`) XBRL elements of the SEC taxonomy.
public struct SECCrossReference: Codable, Sendable, Equatable {
    public struct Element: Codable, Sendable, Equatable {
        public var name: String
        /// The figure whose value fills a flag element; nil for text blocks.
        public var figure: String?
        public var value: Bool?
    }
    public var regulationSK: [String]
    public var topic: String
    public var coverage: String
    public var xbrl: [Element]

    static func element(_ name: String, figure: String? = nil) -> Element { Element(name: "cyd:" + name, figure: figure, value: nil) }

    /// The mapping for each of the six items.
    public static func forItem(_ item: AnnualItem) -> SECCrossReference {
        switch item {
        case .governance:
            return .init(regulationSK: ["S-K Item 106(c)(1)", "S-K Item 106(c)(2)"],
                         topic: "Board oversight of cybersecurity risk; management's role, the relevant expertise of the persons responsible, and how they inform the board",
                         coverage: "direct",
                         xbrl: [element("CybersecurityRiskBoardOfDirectorsOversightTextBlock"), element("CybersecurityRiskRoleOfManagementTextBlock"),
                                element("CybersecurityRiskManagementPositionsOrCommitteesResponsibleFlag", figure: "responsibleOfficer"),
                                element("CybersecurityRiskManagementPositionsOrCommitteesResponsibleReportToBoardFlag", figure: "reportsToBoard")])
        case .informationAssets:
            return .init(regulationSK: ["S-K Item 106(b)(1)"], topic: "Processes for assessing, identifying and managing material risks from cybersecurity threats",
                         coverage: "partial", xbrl: [element("CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock")])
        case .riskManagement:
            return .init(regulationSK: ["S-K Item 106(b)(1)", "S-K Item 106(b)(1)(i)", "S-K Item 106(b)(1)(ii)"],
                         topic: "Risk-management processes, their integration into overall risk management, and the engagement of assessors, consultants and auditors",
                         coverage: "direct",
                         xbrl: [element("CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock"),
                                element("CybersecurityRiskManagementProcessesIntegratedTextBlock"),
                                element("CybersecurityRiskManagementProcessesIntegratedFlag", figure: "integratedWithERM"),
                                element("CybersecurityRiskManagementThirdPartyEngagedFlag", figure: "thirdPartyAssessors")])
        case .seriousIncidents:
            return .init(regulationSK: ["S-K Item 106(b)(2)", "Form 8-K Item 1.05"],
                         topic: "Whether risks from cybersecurity threats, including previous incidents, have materially affected or are reasonably likely to materially affect the registrant",
                         coverage: "direct",
                         xbrl: [element("CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag", figure: "materiallyAffected")])
        case .educationDrills:
            return .init(regulationSK: ["S-K Item 106(b)(1)"], topic: "Described as part of the risk-management processes (no separate Item 106 paragraph)",
                         coverage: "partial", xbrl: [element("CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock")])
        case .supplyChain:
            return .init(regulationSK: ["S-K Item 106(b)(1)(iii)"],
                         topic: "Processes to oversee and identify risks from cybersecurity threats associated with the use of third-party service providers",
                         coverage: "direct",
                         xbrl: [element("CybersecurityRiskThirdPartyOversightAndIdentificationProcessesFlag", figure: "oversightProcess")])
        }
    }

    /// The mapping filled with the values of a disclosure's figures.
    public static func filled(_ item: AnnualItem, content: AnnualItemContent) -> SECCrossReference {
        var reference = forItem(item)
        reference.xbrl = reference.xbrl.map { element in
            var element = element
            if let key = element.figure, case .flag(let value)? = content.figures[key] { element.value = value }
            return element
        }
        return reference
    }
}
