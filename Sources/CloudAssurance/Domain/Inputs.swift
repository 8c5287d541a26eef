import Foundation
import ShinraiKit

/// Collects field errors while turning raw input (a form or a JSON body) into domain values.
/// The pointers name the form fields, so the web and the API report the same problems.
struct InputCheck {
    var errors: [FieldError] = []

    mutating func fail(_ pointer: String, _ code: String = FieldError.Code.invalid, ja: String, en: String) {
        errors.append(FieldError(pointer: pointer, code: code, detail: en, detailJa: ja))
    }

    func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    mutating func text(_ pointer: String, _ value: String?, label: LocalizedText, max: Int) -> String {
        guard let text = clean(value) else {
            fail(pointer, FieldError.Code.missing, ja: "\(label.ja)を入力してください。", en: "Enter the \(label.en).")
            return ""
        }
        if text.count > max { fail(pointer, FieldError.Code.range, ja: "\(label.ja)は\(max)文字以内で入力してください。", en: "The \(label.en) must be at most \(max) characters.") }
        return text
    }

    mutating func optionalText(_ pointer: String, _ value: String?, label: LocalizedText, max: Int) -> String? {
        guard let text = clean(value) else { return nil }
        if text.count > max { fail(pointer, FieldError.Code.range, ja: "\(label.ja)は\(max)文字以内で入力してください。", en: "The \(label.en) must be at most \(max) characters.") }
        return text
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ pointer: String, _ value: String?, label: LocalizedText, as: E.Type) -> E? where E.RawValue == String {
        guard let text = clean(value) else {
            fail(pointer, FieldError.Code.missing, ja: "\(label.ja)を選んでください。", en: "Choose the \(label.en).")
            return nil
        }
        guard let choice = E(rawValue: text) else {
            fail(pointer, ja: "\(label.ja)の値が正しくありません。", en: "The \(label.en) must be one of: \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        return choice
    }

    /// A calendar date `YYYY-MM-DD` (full-width digits accepted).
    mutating func date(_ pointer: String, _ value: String?, label: LocalizedText, required: Bool = true) -> LocalDate? {
        guard let text = clean(value)?.precomposedStringWithCompatibilityMapping else {
            if required { fail(pointer, FieldError.Code.missing, ja: "\(label.ja)を入力してください。", en: "Enter the \(label.en).") }
            return nil
        }
        guard let date = LocalDate(text), (1949...2099).contains(date.year) else {
            fail(pointer, ja: "\(label.ja)は実在する日付を YYYY-MM-DD の形で入力してください。", en: "The \(label.en) must be a real date written YYYY-MM-DD.")
            return nil
        }
        return date
    }

    mutating func email(_ pointer: String, _ value: String?, label: LocalizedText, required: Bool) -> String? {
        guard let text = clean(value) else {
            if required { fail(pointer, FieldError.Code.missing, ja: "\(label.ja)を入力してください。", en: "Enter the \(label.en).") }
            return nil
        }
        if text.count > 254 || text.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) == nil {
            fail(pointer, ja: "\(label.ja)の形式が正しくありません（例: security@example.jp）。", en: "The \(label.en) is not a valid e-mail address (e.g. security@example.jp).")
        }
        return text
    }

    mutating func url(_ pointer: String, _ value: String?, label: LocalizedText) -> String? {
        guard let text = clean(value) else { return nil }
        guard text.count <= 500, let url = URL(string: text), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            fail(pointer, ja: "\(label.ja)は https:// で始まるURLを入力してください。", en: "The \(label.en) must be a URL starting with https://.")
            return nil
        }
        return text
    }

    mutating func corporateNumber(_ pointer: String, _ value: String?) -> String? {
        guard let text = clean(value) else { return nil }
        do { return try CorporateNumber(text).value } catch let error as JapaneseIdentifierError {
            errors.append(error.fieldError(at: pointer))
            return nil
        } catch { return nil }
    }

    func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

/// Labels shared by the checks (the forms show the same words).
enum Label {
    static let name = LocalizedText(ja: "サービス名", en: "service name")
    static let nameEn = LocalizedText(ja: "サービス名（英語）", en: "English service name")
    static let serviceModel = LocalizedText(ja: "サービス形態", en: "service model")
    static let description = LocalizedText(ja: "サービスの説明", en: "description")
    static let website = LocalizedText(ja: "ウェブサイト", en: "website")
    static let governingLaw = LocalizedText(ja: "準拠法", en: "governing law")
    static let jurisdiction = LocalizedText(ja: "合意管轄裁判所", en: "court of jurisdiction")
    static let regions = LocalizedText(ja: "データセンターの所在地", en: "data-centre regions")
    static let contactName = LocalizedText(ja: "担当者名", en: "contact name")
    static let contactEmail = LocalizedText(ja: "連絡先メールアドレス", en: "contact e-mail")
    static let contactPhone = LocalizedText(ja: "電話番号", en: "telephone")
    static let kind = LocalizedText(ja: "認証の種類", en: "certification")
    static let issuer = LocalizedText(ja: "認証機関", en: "certification body")
    static let certificateNumber = LocalizedText(ja: "認証番号", en: "certificate number")
    static let scope = LocalizedText(ja: "認証範囲", en: "scope")
    static let validFrom = LocalizedText(ja: "有効期間の開始日", en: "start of validity")
    static let validUntil = LocalizedText(ja: "有効期間の終了日", en: "end of validity")
    static let auditFirm = LocalizedText(ja: "監査機関", en: "audit firm")
    static let contractDate = LocalizedText(ja: "監査契約日", en: "audit contract date")
    static let gapDate = LocalizedText(ja: "ギャップ評価の完了日", en: "gap assessment date")
    static let targetList = LocalizedText(ja: "目標とするリスト", en: "target list")
    static let targetDate = LocalizedText(ja: "申請予定日", en: "target application date")
    static let readyScope = LocalizedText(ja: "対象範囲", en: "scope")
    static let reason = LocalizedText(ja: "理由", en: "reasons")
    static let progress = LocalizedText(ja: "進捗の内容", en: "progress")
    static let reference = LocalizedText(ja: "申請番号などの参照", en: "reference")
}

/// A cloud service's public description (registry).
public struct ServiceInput: Codable, Sendable, Equatable {
    public struct Contact: Codable, Sendable, Equatable {
        public var role: String
        public var name: String?
        public var email: String?
        public var phone: String?
        public init(role: String, name: String?, email: String?, phone: String?) { self.role = role; self.name = name; self.email = email; self.phone = phone }
    }
    public var name: String?
    public var nameEn: String?
    public var serviceModel: String?
    public var description: String?
    public var descriptionEn: String?
    public var website: String?
    public var governingLaw: String?
    public var jurisdiction: String?
    public var regions: [String]?
    public var contacts: [Contact]?
    /// For reviewers who record a service of another provider (existing ISMAP entries).
    public var providerCorporateNumber: String?

    public init(name: String? = nil, nameEn: String? = nil, serviceModel: String? = nil, description: String? = nil, descriptionEn: String? = nil,
                website: String? = nil, governingLaw: String? = nil, jurisdiction: String? = nil, regions: [String]? = nil,
                contacts: [Contact]? = nil, providerCorporateNumber: String? = nil) {
        self.name = name; self.nameEn = nameEn; self.serviceModel = serviceModel; self.description = description; self.descriptionEn = descriptionEn
        self.website = website; self.governingLaw = governingLaw; self.jurisdiction = jurisdiction; self.regions = regions
        self.contacts = contacts; self.providerCorporateNumber = providerCorporateNumber
    }

    public enum ContactRole: String, CaseIterable, Sendable { case sales, security, support }

    public struct Valid: Sendable, Equatable, Codable {
        public var name: String
        public var nameEn: String?
        public var serviceModel: ServiceModel
        public var description: String
        public var descriptionEn: String?
        public var website: String?
        public var governingLaw: String
        public var jurisdiction: String
        public var regions: [String]
        public var contacts: [Contact]
    }

    public func validate() throws -> Valid {
        var check = InputCheck()
        let name = check.text("/name", name, label: Label.name, max: 200)
        let nameEn = check.optionalText("/nameEn", nameEn, label: Label.nameEn, max: 200)
        let model = check.choice("/serviceModel", serviceModel, label: Label.serviceModel, as: ServiceModel.self)
        let description = check.text("/description", description, label: Label.description, max: 4000)
        let descriptionEn = check.optionalText("/descriptionEn", descriptionEn, label: Label.description, max: 4000)
        let website = check.url("/website", website, label: Label.website)
        let law = check.text("/governingLaw", governingLaw, label: Label.governingLaw, max: 100)
        let court = check.text("/jurisdiction", jurisdiction, label: Label.jurisdiction, max: 200)
        var codes: [String] = []
        for (i, raw) in (regions ?? []).enumerated() {
            if let code = RegionCode.normalize(raw) { if !codes.contains(code) { codes.append(code) } } else {
                check.fail("/regions/\(i)", ja: "所在地「\(raw)」は ISO 3166 のコード（例: JP-13、US）ではありません。",
                           en: "\"\(raw)\" is not an ISO 3166 code such as JP-13 or US.")
            }
        }
        if codes.isEmpty && check.errors.allSatisfy({ !$0.pointer.hasPrefix("/regions") }) {
            check.fail("/regions", FieldError.Code.missing, ja: "データセンターの所在地を1つ以上選んでください。", en: "Choose at least one data-centre region.")
        }
        if codes.count > 60 { check.fail("/regions", FieldError.Code.range, ja: "所在地は60件までです。", en: "At most 60 regions.") }
        var contacts: [Contact] = []
        for (i, contact) in (self.contacts ?? []).enumerated() {
            let base = "/contacts/\(i)"
            guard let role = check.choice(base + "/role", contact.role, label: .init(ja: "窓口の種類", en: "contact role"), as: ContactRole.self) else { continue }
            let name = check.optionalText(base + "/name", contact.name, label: Label.contactName, max: 100)
            let email = check.email(base + "/email", contact.email, label: Label.contactEmail, required: true)
            let phone = check.optionalText(base + "/phone", contact.phone, label: Label.contactPhone, max: 30)
            if let phone, phone.range(of: "^[0-9+()\\- ]{6,30}$", options: .regularExpression) == nil {
                check.fail(base + "/phone", ja: "電話番号は数字とハイフンで入力してください。", en: "The telephone number may contain digits, spaces, +, ( ) and hyphens.")
            }
            contacts.append(Contact(role: role.rawValue, name: name, email: email, phone: phone))
        }
        if !contacts.contains(where: { $0.role == ContactRole.security.rawValue }) && check.errors.allSatisfy({ !$0.pointer.hasPrefix("/contacts") }) {
            check.fail("/contacts", FieldError.Code.missing, ja: "セキュリティ窓口のメールアドレスを入力してください。", en: "Give a security contact (role \"security\") with an e-mail address.")
        }
        try check.throwIfAny()
        return Valid(name: name, nameEn: nameEn, serviceModel: model!, description: description, descriptionEn: descriptionEn, website: website,
                     governingLaw: law, jurisdiction: court, regions: codes, contacts: contacts)
    }
}

/// A certification held for a service.
public struct CertificationInput: Codable, Sendable, Equatable {
    public var kind: String?
    public var issuer: String?
    public var certificateNumber: String?
    public var scope: String?
    /// The provider declares that the certificate's scope includes this service.
    public var coversService: Bool?
    public var validFrom: String?
    public var validUntil: String?

    public init(kind: String? = nil, issuer: String? = nil, certificateNumber: String? = nil, scope: String? = nil, coversService: Bool? = nil,
                validFrom: String? = nil, validUntil: String? = nil) {
        self.kind = kind; self.issuer = issuer; self.certificateNumber = certificateNumber; self.scope = scope
        self.coversService = coversService; self.validFrom = validFrom; self.validUntil = validUntil
    }

    public struct Valid: Sendable, Equatable {
        public var kind: CertificationKind
        public var issuer: String
        public var certificateNumber: String
        public var scope: String
        public var coversService: Bool
        public var validFrom: LocalDate
        public var validUntil: LocalDate
    }

    /// `pointer` prefixes every field (e.g. `/certificate` inside a Fast Track application).
    public func validate(prefix: String = "") throws -> Valid {
        var check = InputCheck()
        let kind = check.choice(prefix + "/kind", kind, label: Label.kind, as: CertificationKind.self)
        let issuer = check.text(prefix + "/issuer", issuer, label: Label.issuer, max: 200)
        let number = check.text(prefix + "/certificateNumber", certificateNumber, label: Label.certificateNumber, max: 100)
        let scope = check.text(prefix + "/scope", scope, label: Label.scope, max: 2000)
        let from = check.date(prefix + "/validFrom", validFrom, label: Label.validFrom)
        let until = check.date(prefix + "/validUntil", validUntil, label: Label.validUntil)
        if let from, let until, until < from {
            check.fail(prefix + "/validUntil", ja: "有効期間の終了日が開始日より前です。", en: "The end of validity is before its start.")
        }
        try check.throwIfAny()
        return Valid(kind: kind!, issuer: issuer, certificateNumber: number, scope: scope, coversService: coversService ?? false,
                     validFrom: from!, validUntil: until!)
    }
}
