import FluentKit
import Foundation
import ShinraiKit

/// A vendor's declaration of where it is owned, governed, developed, operated and supported.
public struct ProfileInput: Codable, Sendable {
    public var headquarters: String
    public var ultimateParent: String?
    public var controllingShareholders: [String]?
    public var governingLaw: String?
    public var foreignLaws: [ForeignLaw]?
    public var foreignLawNote: String?
    public var development: [String]?
    public var operation: [String]?
    public var support: [String]?
    public var dataLocation: [String]?
    public var evidence: [EvidenceLink]?

    public init(headquarters: String, ultimateParent: String? = nil, controllingShareholders: [String]? = nil, governingLaw: String? = nil,
                foreignLaws: [ForeignLaw]? = nil, foreignLawNote: String? = nil, development: [String]? = nil, operation: [String]? = nil,
                support: [String]? = nil, dataLocation: [String]? = nil, evidence: [EvidenceLink]? = nil) {
        self.headquarters = headquarters; self.ultimateParent = ultimateParent; self.controllingShareholders = controllingShareholders
        self.governingLaw = governingLaw; self.foreignLaws = foreignLaws; self.foreignLawNote = foreignLawNote
        self.development = development; self.operation = operation; self.support = support; self.dataLocation = dataLocation
        self.evidence = evidence
    }
}

/// Field checks shared by profiles and offerings.
enum FactValidation {
    static func country(_ text: String?, _ pointer: String, required: Bool, into errors: inout ValidationErrors) -> Country? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            if required {
                errors.add(pointer, code: FieldError.Code.missing, .init(ja: "国を選んでください。", en: "Choose a country."))
            }
            return nil
        }
        guard let country = Country(text) else {
            errors.add(pointer, code: FieldError.Code.invalid,
                       .init(ja: "「\(text)」は国コード（ISO 3166-1の英字2文字、例：JP）ではありません。",
                             en: "\"\(text)\" is not a country code (ISO 3166-1 alpha-2, e.g. JP)."))
            return nil
        }
        return country
    }

    static func countries(_ texts: [String]?, _ pointer: String, into errors: inout ValidationErrors) -> [Country] {
        var result: [Country] = []
        for (i, text) in (texts ?? []).enumerated() {
            if let c = country(text, "\(pointer)/\(i)", required: true, into: &errors), !result.contains(c) { result.append(c) }
        }
        if result.count > 30 {
            errors.add(pointer, code: FieldError.Code.invalid, .init(ja: "国は30か国までです。", en: "At most 30 countries."))
        }
        return result
    }

    static func text(_ value: String?, _ pointer: String, max: Int, into errors: inout ValidationErrors) -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > max {
            errors.add(pointer, code: FieldError.Code.invalid, .init(ja: "\(max)文字以内で入力してください。", en: "Use at most \(max) characters."))
        }
        return text
    }

    static func evidence(_ links: [EvidenceLink]?, into errors: inout ValidationErrors) -> [EvidenceLink] {
        let links = links ?? []
        if links.count > 10 {
            errors.add("/evidence", code: FieldError.Code.invalid, .init(ja: "根拠資料は10件までです。", en: "At most 10 evidence links."))
        }
        return links.prefix(10).enumerated().map { i, link in
            let label = text(link.label, "/evidence/\(i)/label", max: 200, into: &errors)
            let url = link.url.trimmingCharacters(in: .whitespaces)
            if label.isEmpty {
                errors.add("/evidence/\(i)/label", code: FieldError.Code.missing, .init(ja: "資料名を入力してください。", en: "Name the document."))
            }
            if !isWebAddress(url) {
                errors.add("/evidence/\(i)/url", code: FieldError.Code.invalid,
                           .init(ja: "https:// または http:// で始まるURLを入力してください。", en: "Enter a URL starting with https:// or http://."))
            }
            return EvidenceLink(label: label, url: url)
        }
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard text.count <= 2000, !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty else { return false }
        return true
    }
}

/// The logged content of a vendor profile revision.
struct PublishedProfile: Encodable {
    let vendor: String
    let corporateNumber: String?
    let revision: Int
    let facts: VendorFacts
    let foreignLawNote: String
    let evidence: [EvidenceLink]
    let status: ProfileStatus
}

extension SovereigntyService {
    /// Validates a profile; returns the facts, the note and the evidence.
    static func validate(_ input: ProfileInput) throws -> (VendorFacts, String, [EvidenceLink]) {
        var errors = ValidationErrors()
        let headquarters = FactValidation.country(input.headquarters, "/headquarters", required: true, into: &errors)
        let parent = FactValidation.country(input.ultimateParent, "/ultimateParent", required: false, into: &errors)
        let shareholders = FactValidation.countries(input.controllingShareholders, "/controllingShareholders", into: &errors)
        let law = FactValidation.country(input.governingLaw, "/governingLaw", required: false, into: &errors)
        let laws = Array(Set(input.foreignLaws ?? [])).sorted { $0.rawValue < $1.rawValue }
        let note = FactValidation.text(input.foreignLawNote, "/foreignLawNote", max: 1000, into: &errors)
        if laws.contains(.other) && note.isEmpty {
            errors.add("/foreignLawNote", code: FieldError.Code.missing,
                       .init(ja: "「その他」の法令名を記入してください。", en: "Name the other law."))
        }
        let development = FactValidation.countries(input.development, "/development", into: &errors)
        let operation = FactValidation.countries(input.operation, "/operation", into: &errors)
        let support = FactValidation.countries(input.support, "/support", into: &errors)
        let data = FactValidation.countries(input.dataLocation, "/dataLocation", into: &errors)
        let evidence = FactValidation.evidence(input.evidence, into: &errors)
        try errors.throwIfAny()
        return (VendorFacts(headquarters: headquarters!, ultimateParent: parent, controllingShareholders: shareholders, governingLaw: law,
                            foreignLaws: laws, development: development, operation: operation, support: support, dataLocation: data),
                note, evidence)
    }

    /// Creates or replaces a vendor's profile (a new logged revision; status back to declared
    /// unless a reviewer saves it) and rescores the vendor's offerings.
    @discardableResult
    func saveProfile(of organisationID: UUID, _ input: ProfileInput, by identity: Identity) async throws -> VendorProfile {
        // Members edit their own organisation's profile; the operating agency any vendor's.
        guard identity.canAccess(organisation: organisationID) else { throw Problem.forbidden }
        let (facts, note, evidence) = try Self.validate(input)
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let organisation = try await Organisation.find(organisationID, on: db) else { throw Problem.notFound }
            let profile = try await VendorProfile.query(on: db).filter(\.$organisation.$id == organisationID).first() ?? VendorProfile()
            let isNew = profile.id == nil
            profile.$organisation.id = organisationID
            profile.headquarters = facts.headquarters.code
            profile.ultimateParent = facts.ultimateParent?.code
            profile.controllingShareholders = CountryList.storage(facts.controllingShareholders)
            profile.governingLaw = facts.governingLaw?.code
            profile.foreignLaws = ForeignLaws.storage(facts.foreignLaws)
            profile.foreignLawNote = note
            profile.development = CountryList.storage(facts.development)
            profile.operation = CountryList.storage(facts.operation)
            profile.support = CountryList.storage(facts.support)
            profile.dataLocation = CountryList.storage(facts.dataLocation)
            profile.evidence = String(decoding: try JSONEncoder().encode(evidence), as: UTF8.self)
            // A change by the vendor needs checking again; a reviewer's save is checked by them.
            profile.status = identity.isReviewer ? .verified : .declared
            profile.verifiedAt = identity.isReviewer ? now : nil
            profile.verifiedBy = identity.isReviewer ? identity.actorLabel : nil
            profile.revision = isNew ? 1 : profile.revision + 1
            profile.updatedAt = now
            try await profile.save(on: db)
            try await publishProfile(profile, organisation: organisation, action: "sovereignty.vendor-profile", actor: Actor(identity), at: now, on: db)
            let offerings = try await Offering.query(on: db).filter(\.$vendor.$id == organisationID).all().compactMap(\.id)
            try await ScoreStore.refresh(offerings: offerings, on: db)
            return profile
        }
    }

    /// A reviewer confirms a profile against its evidence.
    func verifyProfile(of organisationID: UUID, by identity: Identity) async throws -> VendorProfile {
        guard identity.isReviewer else { throw Problem.forbidden }
        let now = services.now
        return try await services.db.transaction { db in
            guard let organisation = try await Organisation.find(organisationID, on: db),
                  let profile = try await VendorProfile.query(on: db).filter(\.$organisation.$id == organisationID).first() else { throw Problem.notFound }
            guard profile.status != .verified else {
                throw Problem.conflict(.init(ja: "このプロファイルは確認済みです。", en: "This profile is already verified."))
            }
            profile.status = .verified
            profile.verifiedAt = now
            profile.verifiedBy = identity.actorLabel
            profile.revision += 1
            profile.updatedAt = now
            try await profile.save(on: db)
            try await publishProfile(profile, organisation: organisation, action: "sovereignty.vendor-profile.verified", actor: Actor(identity), at: now, on: db)
            return profile
        }
    }

    func publishProfile(_ profile: VendorProfile, organisation: Organisation, action: String, actor: Actor, at time: Date, on db: any Database) async throws {
        try await PublicRecord.publish(
            on: db, actor: actor, organisationID: organisation.id, type: action, subject: organisation.name,
            recordNumber: Self.profileRecordNumber(organisation),
            content: PublishedProfile(vendor: organisation.name, corporateNumber: organisation.corporateNumber, revision: profile.revision,
                                      facts: profile.facts, foreignLawNote: profile.foreignLawNote, evidence: profile.evidenceLinks, status: profile.status),
            targetType: "sovereignty-vendor-profile", targetID: profile.id!.uuidString,
            summary: ["revision": "\(profile.revision)", "status": profile.status.rawValue, "headquarters": profile.headquarters], at: time)
    }

    static func profileRecordNumber(_ organisation: Organisation) -> String {
        "SOV-V-" + (organisation.corporateNumber ?? organisation.localGovernmentCode ?? organisation.id!.uuidString)
    }
}
