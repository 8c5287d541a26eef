import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// A product, service or infrastructure site as entered by its vendor or the operating agency.
public struct OfferingInput: Codable, Sendable {
    /// The vendor (an organisation). Members may leave it out: their own organisation.
    public var vendorId: UUID?
    public var name: String
    public var nameEn: String?
    public var kind: OfferingKind
    /// Category code, e.g. `endpoint`.
    public var category: String
    public var description: String?
    public var unit: UnitOfMeasure?
    public var governingLaw: String?
    /// nil or absent: as the vendor; `[]`: no foreign law reaches this offering.
    public var foreignLaws: [ForeignLaw]?
    public var development: [String]?
    public var operation: [String]?
    public var support: [String]?
    public var dataLocation: [String]?
    public var siteType: SiteType?
    public var siteCountry: String?
    public var prefecture: Int?
    public var gpuCount: Int?
    public var itPowerKw: Int?

    public init(vendorId: UUID? = nil, name: String, nameEn: String? = nil, kind: OfferingKind, category: String, description: String? = nil,
                unit: UnitOfMeasure? = nil, governingLaw: String? = nil, foreignLaws: [ForeignLaw]? = nil, development: [String]? = nil,
                operation: [String]? = nil, support: [String]? = nil, dataLocation: [String]? = nil, siteType: SiteType? = nil,
                siteCountry: String? = nil, prefecture: Int? = nil, gpuCount: Int? = nil, itPowerKw: Int? = nil) {
        self.vendorId = vendorId; self.name = name; self.nameEn = nameEn; self.kind = kind; self.category = category
        self.description = description; self.unit = unit; self.governingLaw = governingLaw; self.foreignLaws = foreignLaws
        self.development = development; self.operation = operation; self.support = support; self.dataLocation = dataLocation
        self.siteType = siteType; self.siteCountry = siteCountry; self.prefecture = prefecture; self.gpuCount = gpuCount; self.itPowerKw = itPowerKw
    }
}

/// The logged content of an offering revision.
struct PublishedOffering: Encodable {
    let number: String
    let revision: Int
    let vendor: String
    let vendorCorporateNumber: String?
    let name: String
    let nameEn: String?
    let kind: OfferingKind
    let category: String
    let facts: OfferingFacts
    let siteType: SiteType?
    let prefecture: Int?
    let withdrawn: Bool
}

extension SovereigntyService {
    struct ValidOffering {
        var name: String
        var nameEn: String?
        var description: String
        var facts: OfferingFacts
        var siteType: SiteType?
        var prefecture: Int?
        var gpuCount: Int?
        var itPowerKW: Int?
    }

    static func validate(_ input: OfferingInput) -> (ValidOffering, ValidationErrors) {
        var errors = ValidationErrors()
        let name = FactValidation.text(input.name, "/name", max: 200, into: &errors)
        if name.isEmpty { errors.add("/name", code: FieldError.Code.missing, .init(ja: "名称を入力してください。", en: "Enter the name.")) }
        let nameEn = FactValidation.text(input.nameEn, "/nameEn", max: 200, into: &errors)
        let description = FactValidation.text(input.description, "/description", max: 2000, into: &errors)
        let law = FactValidation.country(input.governingLaw, "/governingLaw", required: false, into: &errors)
        let laws = input.foreignLaws.map { Array(Set($0)).sorted { $0.rawValue < $1.rawValue } }
        let development = FactValidation.countries(input.development, "/development", into: &errors)
        let operation = FactValidation.countries(input.operation, "/operation", into: &errors)
        let support = FactValidation.countries(input.support, "/support", into: &errors)
        let data = FactValidation.countries(input.dataLocation, "/dataLocation", into: &errors)
        var siteCountry: Country?
        if input.kind == .infrastructure {
            if input.siteType == nil {
                errors.add("/siteType", code: FieldError.Code.missing, .init(ja: "拠点の種類を選んでください。", en: "Choose the type of site."))
            }
            siteCountry = FactValidation.country(input.siteCountry, "/siteCountry", required: true, into: &errors)
            if let prefecture = input.prefecture {
                if siteCountry?.isJapan != true {
                    errors.add("/prefecture", code: FieldError.Code.invalid, .init(ja: "都道府県は国内の拠点にだけ指定します。", en: "Only sites in Japan have a prefecture."))
                } else if JapanesePrefecture.byCode(prefecture) == nil {
                    errors.add("/prefecture", code: FieldError.Code.range, .init(ja: "都道府県コードは1〜47です。", en: "The prefecture code is from 1 to 47."))
                }
            } else if siteCountry?.isJapan == true {
                errors.add("/prefecture", code: FieldError.Code.missing, .init(ja: "国内の拠点は都道府県を選んでください。", en: "Choose the prefecture of a site in Japan."))
            }
            if let gpus = input.gpuCount, !(0...10_000_000).contains(gpus) {
                errors.add("/gpuCount", code: FieldError.Code.range, .init(ja: "GPU数は0〜10,000,000です。", en: "The GPU count is from 0 to 10,000,000."))
            }
            if let power = input.itPowerKw, !(0...100_000_000).contains(power) {
                errors.add("/itPowerKw", code: FieldError.Code.range, .init(ja: "IT電力は0〜100,000,000 kWです。", en: "IT power is from 0 to 100,000,000 kW."))
            }
        } else if input.siteType != nil || input.siteCountry?.isEmpty == false || input.prefecture != nil || input.gpuCount != nil || input.itPowerKw != nil {
            errors.add("/siteType", code: FieldError.Code.invalid,
                       .init(ja: "拠点の情報はインフラにだけ入力します。", en: "Site details apply to infrastructure only."))
        }
        let facts = OfferingFacts(governingLaw: law, foreignLaws: laws, development: development, operation: operation, support: support,
                                  dataLocation: data, siteCountry: siteCountry)
        return (ValidOffering(name: name, nameEn: nameEn.isEmpty ? nil : nameEn, description: description, facts: facts,
                              siteType: input.kind == .infrastructure ? input.siteType : nil,
                              prefecture: input.kind == .infrastructure ? input.prefecture : nil,
                              gpuCount: input.kind == .infrastructure ? input.gpuCount : nil,
                              itPowerKW: input.kind == .infrastructure ? input.itPowerKw : nil), errors)
    }

    func createOffering(_ input: OfferingInput, by identity: Identity) async throws -> Offering {
        let (valid, validation) = Self.validate(input)
        var errors = validation
        let vendorID: UUID
        if let requested = input.vendorId {
            guard identity.canAccess(organisation: requested) else { throw Problem.forbidden }
            vendorID = requested
        } else if let own = identity.organisationID, !identity.isReviewer {
            vendorID = own
        } else {
            errors.add("/vendorId", code: FieldError.Code.missing, .init(ja: "提供事業者を選んでください。", en: "Choose the vendor."))
            vendorID = UUID()
        }
        let now = services.now
        let checked = errors
        return try await services.db.transaction { db in
            var errors = checked
            try await Generation.bump(on: db)  // also serialises concurrent numbering
            let category = try await SecurityCategory.query(on: db).filter(\.$code == input.category).first()
            if category == nil || category?.active == false {
                errors.add("/category", code: FieldError.Code.invalid, .init(ja: "分野を一覧から選んでください。", en: "Choose a category from the list."))
            }
            let vendor = try await Organisation.find(vendorID, on: db)
            if vendor == nil && input.vendorId != nil {
                errors.add("/vendorId", code: FieldError.Code.invalid, .init(ja: "指定された組織がありません。", en: "No organisation has this id."))
            }
            try errors.throwIfAny()
            let year = JapaneseDate.components(now).year
            let prefix = "SVO-\(year)-"
            let count = try await Offering.query(on: db).filter(\.$number >= prefix).filter(\.$number < "SVO-\(year)-~").count()
            let offering = Offering()
            offering.number = prefix + String(format: "%04d", count + 1)
            offering.$vendor.id = vendorID
            offering.kind = input.kind
            offering.revision = 1
            offering.withdrawn = false
            offering.createdAt = now
            apply(valid, input: input, category: category!, to: offering, at: now)
            try await offering.create(on: db)
            try await publishOffering(offering, vendor: vendor!, category: category!, actor: Actor(identity), at: now, on: db)
            try await ScoreStore.refresh(offerings: [offering.id!], on: db)
            return offering
        }
    }

    func updateOffering(_ id: UUID, _ input: OfferingInput, by identity: Identity) async throws -> Offering {
        let (valid, errors) = Self.validate(input)
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let offering = try await Offering.find(id, on: db) else { throw Problem.notFound }
            guard identity.canAccess(organisation: offering.$vendor.id) else { throw Problem.forbidden }
            var errors = errors
            if let requested = input.vendorId, requested != offering.$vendor.id {
                errors.add("/vendorId", code: FieldError.Code.invalid, .init(ja: "提供事業者は変更できません。", en: "The vendor cannot be changed."))
            }
            if input.kind != offering.kind {
                errors.add("/kind", code: FieldError.Code.invalid,
                           .init(ja: "種類は変更できません。新しい提供物として登録してください。", en: "The kind cannot be changed; register a new offering."))
            }
            let category = try await SecurityCategory.query(on: db).filter(\.$code == input.category).first()
            if category == nil || (category?.active == false && category?.id != offering.$category.id) {
                errors.add("/category", code: FieldError.Code.invalid, .init(ja: "分野を一覧から選んでください。", en: "Choose a category from the list."))
            }
            try errors.throwIfAny()
            guard let vendor = try await Organisation.find(offering.$vendor.id, on: db) else { throw Problem.notFound }
            apply(valid, input: input, category: category!, to: offering, at: now)
            offering.revision += 1
            try await offering.save(on: db)
            try await publishOffering(offering, vendor: vendor, category: category!, actor: Actor(identity), at: now, on: db)
            try await ScoreStore.refresh(offerings: [offering.id!], on: db)
            return offering
        }
    }

    /// Withdrawn offerings stay in the register (and in past declarations) but are marked.
    func withdrawOffering(_ id: UUID, by identity: Identity) async throws -> Offering {
        let now = services.now
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            guard let offering = try await Offering.find(id, on: db) else { throw Problem.notFound }
            guard identity.canAccess(organisation: offering.$vendor.id) else { throw Problem.forbidden }
            guard !offering.withdrawn else {
                throw Problem.conflict(.init(ja: "この提供物は取り下げ済みです。", en: "This offering is already withdrawn."))
            }
            guard let vendor = try await Organisation.find(offering.$vendor.id, on: db),
                  let category = try await SecurityCategory.find(offering.$category.id, on: db) else { throw Problem.notFound }
            offering.withdrawn = true
            offering.revision += 1
            offering.updatedAt = now
            try await offering.save(on: db)
            try await publishOffering(offering, vendor: vendor, category: category, actor: Actor(identity), at: now, on: db)
            return offering
        }
    }

    private func apply(_ valid: ValidOffering, input: OfferingInput, category: SecurityCategory, to offering: Offering, at now: Date) {
        offering.name = valid.name
        offering.nameEn = valid.nameEn
        offering.$category.id = category.id!
        offering.description = valid.description
        offering.unit = input.unit ?? .licences
        offering.governingLaw = valid.facts.governingLaw?.code
        offering.foreignLaws = valid.facts.foreignLaws.map(ForeignLaws.storage)
        offering.development = CountryList.storage(valid.facts.development)
        offering.operation = CountryList.storage(valid.facts.operation)
        offering.support = CountryList.storage(valid.facts.support)
        offering.dataLocation = CountryList.storage(valid.facts.dataLocation)
        offering.siteType = valid.siteType
        offering.siteCountry = valid.facts.siteCountry?.code
        offering.prefecture = valid.prefecture
        offering.gpuCount = valid.gpuCount
        offering.itPowerKW = valid.itPowerKW
        offering.updatedAt = now
    }

    func publishOffering(_ offering: Offering, vendor: Organisation, category: SecurityCategory, actor: Actor, at time: Date, on db: any Database) async throws {
        try await PublicRecord.publish(
            on: db, actor: actor, organisationID: vendor.id, type: offering.withdrawn ? "sovereignty.offering.withdrawn" : "sovereignty.offering",
            subject: offering.name, recordNumber: offering.number,
            content: PublishedOffering(number: offering.number, revision: offering.revision, vendor: vendor.name, vendorCorporateNumber: vendor.corporateNumber,
                                       name: offering.name, nameEn: offering.nameEn, kind: offering.kind, category: category.code, facts: offering.facts,
                                       siteType: offering.siteType, prefecture: offering.prefecture, withdrawn: offering.withdrawn),
            targetType: "sovereignty-offering", targetID: offering.id!.uuidString,
            summary: ["number": offering.number, "revision": "\(offering.revision)", "kind": offering.kind.rawValue], at: time)
    }
}
