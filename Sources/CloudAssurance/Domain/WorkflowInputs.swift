import Foundation
import ShinraiKit

/// ISMAP-Ready declaration (§2.3): the concrete actions a provider has started.
public struct ReadyDeclarationInput: Codable, Sendable, Equatable {
    public var serviceId: UUID?
    public var auditFirm: String?
    public var auditContractDate: String?
    public var gapAssessmentDone: Bool?
    public var gapAssessmentDate: String?
    public var targetList: String?
    public var targetApplicationDate: String?
    public var scope: String?
    /// Open to proofs of concept with agencies and municipalities.
    public var pocAvailable: Bool?

    public init(serviceId: UUID? = nil, auditFirm: String? = nil, auditContractDate: String? = nil, gapAssessmentDone: Bool? = nil,
                gapAssessmentDate: String? = nil, targetList: String? = nil, targetApplicationDate: String? = nil, scope: String? = nil,
                pocAvailable: Bool? = nil) {
        self.serviceId = serviceId; self.auditFirm = auditFirm; self.auditContractDate = auditContractDate; self.gapAssessmentDone = gapAssessmentDone
        self.gapAssessmentDate = gapAssessmentDate; self.targetList = targetList; self.targetApplicationDate = targetApplicationDate
        self.scope = scope; self.pocAvailable = pocAvailable
    }

    public enum TargetList: String, CaseIterable, Sendable, Codable { case ismap, liu }

    public struct Valid: Sendable, Equatable {
        public var auditFirm: String
        public var auditContractDate: LocalDate
        public var gapAssessmentDate: LocalDate?
        public var targetList: TargetList
        public var targetApplicationDate: LocalDate
        public var scope: String
        public var pocAvailable: Bool
    }

    /// A declaration must show concrete action: an audit firm under contract (not in the future),
    /// a completed gap assessment, and an application date within three years.
    public func validate(today: LocalDate) throws -> Valid {
        var check = InputCheck()
        if serviceId == nil { check.fail("/serviceId", FieldError.Code.missing, ja: "対象のサービスを選んでください。", en: "Choose the service.") }
        let firm = check.text("/auditFirm", auditFirm, label: Label.auditFirm, max: 200)
        let contract = check.date("/auditContractDate", auditContractDate, label: Label.contractDate)
        if let contract, contract > today {
            check.fail("/auditContractDate", ja: "監査契約日が未来の日付です。契約済みであることが掲載の条件です。", en: "The audit contract date is in the future: the contract must already be signed.")
        }
        var gapDate: LocalDate?
        if gapAssessmentDone != true {
            check.fail("/gapAssessmentDone", FieldError.Code.missing, ja: "ギャップ評価を完了していることが掲載の条件です。", en: "A completed gap assessment is required for the Ready list.")
        } else {
            gapDate = check.date("/gapAssessmentDate", gapAssessmentDate, label: Label.gapDate)
            if let gapDate, gapDate > today { check.fail("/gapAssessmentDate", ja: "ギャップ評価の完了日が未来の日付です。", en: "The gap assessment date is in the future.") }
        }
        let list = check.choice("/targetList", targetList, label: Label.targetList, as: TargetList.self)
        let target = check.date("/targetApplicationDate", targetApplicationDate, label: Label.targetDate)
        if let target {
            if target < today { check.fail("/targetApplicationDate", ja: "申請予定日が過去の日付です。", en: "The target application date is in the past.") }
            else if target > CivilPeriod.day(months: 36, after: today) {
                check.fail("/targetApplicationDate", ja: "申請予定日は3年以内にしてください。", en: "The target application date must be within three years.")
            }
        }
        let scope = check.text("/scope", scope, label: Label.readyScope, max: 2000)
        try check.throwIfAny()
        return Valid(auditFirm: firm, auditContractDate: contract!, gapAssessmentDate: gapDate, targetList: list!,
                     targetApplicationDate: target!, scope: scope, pocAvailable: pocAvailable ?? false)
    }
}

/// A six-monthly progress report of a Ready listing.
public struct ReadyReportInput: Codable, Sendable, Equatable {
    public var progress: String?
    public var targetApplicationDate: String?
    public init(progress: String? = nil, targetApplicationDate: String? = nil) { self.progress = progress; self.targetApplicationDate = targetApplicationDate }

    public func validate(today: LocalDate) throws -> (progress: String, targetApplicationDate: LocalDate?) {
        var check = InputCheck()
        let progress = check.text("/progress", progress, label: Label.progress, max: 4000)
        let target = check.date("/targetApplicationDate", targetApplicationDate, label: Label.targetDate, required: false)
        if let target, target < today { check.fail("/targetApplicationDate", ja: "申請予定日が過去の日付です。", en: "The target application date is in the past.") }
        try check.throwIfAny()
        return (progress, target)
    }
}

/// Reasons for returning, revoking, suspending or removing a record.
public struct ReasonInput: Codable, Sendable, Equatable {
    public var reason: String?
    public init(reason: String? = nil) { self.reason = reason }
    public func validate() throws -> String {
        var check = InputCheck()
        let text = check.text("/reason", reason, label: Label.reason, max: 4000)
        try check.throwIfAny()
        return text
    }
}

/// A Fast Track application (§2.4): the ISO/IEC 27017 certificate of the service.
public struct FastTrackInput: Codable, Sendable, Equatable {
    public var serviceId: UUID?
    public var certificate: CertificationInput?
    public init(serviceId: UUID? = nil, certificate: CertificationInput? = nil) { self.serviceId = serviceId; self.certificate = certificate }

    /// The evidence rule: an ISO/IEC 27017 certificate, valid today, whose scope covers the service.
    public func validate(today: LocalDate) throws -> CertificationInput.Valid {
        var check = InputCheck()
        if serviceId == nil { check.fail("/serviceId", FieldError.Code.missing, ja: "対象のサービスを選んでください。", en: "Choose the service.") }
        guard let certificate else {
            check.fail("/certificate", FieldError.Code.missing, ja: "ISO/IEC 27017 の認証情報を入力してください。", en: "Give the ISO/IEC 27017 certificate.")
            throw Problem.validation(check.errors)
        }
        var fields = certificate
        fields.kind = fields.kind ?? CertificationKind.iso27017.rawValue
        let valid: CertificationInput.Valid
        do { valid = try fields.validate(prefix: "/certificate") } catch let problem as Problem {
            throw Problem.validation(check.errors + problem.errors)
        }
        try check.throwIfAny()
        try FastTrackEvidence.check(valid, today: today, prefix: "/certificate")
        return valid
    }
}

public enum FastTrackEvidence {
    /// Refuses a certificate that cannot support a provisional status, with the reason.
    public static func check(_ certificate: CertificationInput.Valid, today: LocalDate, prefix: String) throws {
        var check = InputCheck()
        if certificate.kind != .iso27017 {
            check.fail(prefix + "/kind", ja: "Fast Track の対象は ISO/IEC 27017 の認証です。", en: "Fast Track needs an ISO/IEC 27017 certificate.")
        }
        if certificate.validUntil < today {
            check.fail(prefix + "/validUntil", ja: "認証の有効期間が \(certificate.validUntil.iso) に終了しています。有効な認証が必要です。",
                       en: "The certificate expired on \(certificate.validUntil.iso); a valid certificate is required.")
        }
        if certificate.validFrom > today {
            check.fail(prefix + "/validFrom", ja: "認証の有効期間がまだ始まっていません（\(certificate.validFrom.iso)から）。", en: "The certificate is not valid yet (from \(certificate.validFrom.iso)).")
        }
        if !certificate.coversService {
            check.fail(prefix + "/coversService", ja: "認証範囲にこのサービスが含まれていません。範囲に含まれる認証が必要です。",
                       en: "The certificate's scope does not cover this service; the scope must include it.")
        }
        try check.throwIfAny()
    }
}

/// An application for the ISMAP or ISMAP-LIU list (§2.2).
public struct RegistrationInput: Codable, Sendable, Equatable {
    public var serviceId: UUID?
    public var list: String?
    public var auditFirm: String?
    public var auditReportDate: String?
    public var scope: String?
    /// ISMAP-LIU: an agency's business-impact assessment is optional evidence, not a precondition.
    public var businessImpactAssessment: BusinessImpactAssessment?
    /// Agencies using the service (informative; a listing does not depend on them).
    public var sponsors: [String]?

    public struct BusinessImpactAssessment: Codable, Sendable, Equatable {
        public var agency: String?
        public var assessedOn: String?
        public var summary: String?
        public init(agency: String? = nil, assessedOn: String? = nil, summary: String? = nil) { self.agency = agency; self.assessedOn = assessedOn; self.summary = summary }
    }

    public init(serviceId: UUID? = nil, list: String? = nil, auditFirm: String? = nil, auditReportDate: String? = nil, scope: String? = nil,
                businessImpactAssessment: BusinessImpactAssessment? = nil, sponsors: [String]? = nil) {
        self.serviceId = serviceId; self.list = list; self.auditFirm = auditFirm; self.auditReportDate = auditReportDate; self.scope = scope
        self.businessImpactAssessment = businessImpactAssessment; self.sponsors = sponsors
    }

    public enum List: String, CaseIterable, Sendable, Codable { case ismap, liu }

    public struct Valid: Sendable, Equatable {
        public var list: List
        public var auditFirm: String
        public var auditReportDate: LocalDate
        public var scope: String
        public var biaAgency: String?
        public var biaDate: LocalDate?
        public var biaSummary: String?
        public var sponsors: [String]
    }

    public func validate(today: LocalDate) throws -> Valid {
        var check = InputCheck()
        if serviceId == nil { check.fail("/serviceId", FieldError.Code.missing, ja: "対象のサービスを選んでください。", en: "Choose the service.") }
        let list = check.choice("/list", list, label: .init(ja: "申請するリスト", en: "list"), as: List.self)
        let firm = check.text("/auditFirm", auditFirm, label: Label.auditFirm, max: 200)
        let report = check.date("/auditReportDate", auditReportDate, label: .init(ja: "監査報告書の日付", en: "audit report date"))
        if let report, report > today { check.fail("/auditReportDate", ja: "監査報告書の日付が未来です。", en: "The audit report date is in the future.") }
        let scope = check.text("/scope", scope, label: Label.readyScope, max: 2000)
        var agency: String?, assessed: LocalDate?, summary: String?
        if let bia = businessImpactAssessment, [bia.agency, bia.assessedOn, bia.summary].contains(where: { check.clean($0) != nil }) {
            agency = check.text("/businessImpactAssessment/agency", bia.agency, label: .init(ja: "業務影響度評価を行った機関", en: "assessing agency"), max: 200)
            assessed = check.date("/businessImpactAssessment/assessedOn", bia.assessedOn, label: .init(ja: "評価日", en: "assessment date"))
            summary = check.optionalText("/businessImpactAssessment/summary", bia.summary, label: .init(ja: "評価の概要", en: "summary"), max: 2000)
        }
        var sponsors: [String] = []
        for (i, name) in (self.sponsors ?? []).enumerated() {
            if let text = check.optionalText("/sponsors/\(i)", name, label: .init(ja: "利用機関名", en: "agency name"), max: 200), !sponsors.contains(text) { sponsors.append(text) }
        }
        if sponsors.count > 50 { check.fail("/sponsors", FieldError.Code.range, ja: "利用機関は50件までです。", en: "At most 50 agencies.") }
        try check.throwIfAny()
        return Valid(list: list!, auditFirm: firm, auditReportDate: report!, scope: scope, biaAgency: agency, biaDate: assessed,
                     biaSummary: summary, sponsors: sponsors)
    }
}
