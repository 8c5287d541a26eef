import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// Annual cyber disclosures: the six items per company and fiscal year, published as public records.
struct AnnualService: Sendable {
    let services: Services
    /// The time the service acts at: the clock, or a fixed instant (the demo writes history).
    var at: Date? = nil
    var db: any Database { services.db }
    var now: Date { at ?? services.now }

    struct ItemInput: Codable, Sendable {
        var text: String?
        var figures: [String: FigureValue]?
    }

    struct ContentInput: Codable, Sendable {
        var governance: ItemInput?
        var informationAssets: ItemInput?
        var riskManagement: ItemInput?
        var seriousIncidents: ItemInput?
        var educationDrills: ItemInput?
        var supplyChain: ItemInput?

        func item(_ item: AnnualItem) -> ItemInput? {
            switch item {
            case .governance: return governance
            case .informationAssets: return informationAssets
            case .riskManagement: return riskManagement
            case .seriousIncidents: return seriousIncidents
            case .educationDrills: return educationDrills
            case .supplyChain: return supplyChain
            }
        }

        var content: AnnualContent {
            var out = AnnualContent()
            for annualItem in AnnualItem.allCases {
                if let input = item(annualItem) { out[annualItem] = AnnualItemContent(text: input.text, figures: input.figures ?? [:]) }
            }
            return out.normalised()
        }
    }

    struct CreateInput: Codable, Sendable {
        var fiscalYear: Int
        var content: ContentInput?
    }

    /// What the transparency log holds for each published version.
    struct PublishedAnnual: Codable, Sendable {
        struct Company: Codable, Sendable {
            var securitiesCode: String
            var corporateNumber: String
            var name: String
        }
        var number: String
        var version: Int
        var company: Company
        var fiscalYear: Int
        var fiscalYearEnd: String
        var content: AnnualContent
        var publishedAt: String
    }

    static func number(_ company: ListedCompany, _ fiscalYear: Int) -> String { "ANN-\(company.securitiesCode)-\(fiscalYear)" }

    // MARK: access

    func find(_ id: UUID, identity: Identity?) async throws -> AnnualDisclosure {
        guard let annual = try await AnnualDisclosure.find(id, on: db) else { throw Problem.notFound }
        if annual.status == .draft && !(identity?.canAccess(organisation: annual.organisationID) ?? false) { throw Problem.notFound }
        return annual
    }

    static func canEdit(_ annual: AnnualDisclosure, _ identity: Identity?) -> Bool {
        guard let identity, identity.role == .member else { return false }
        return identity.organisationID == annual.organisationID
    }

    struct Snapshot {
        let annual: AnnualDisclosure
        let company: ListedCompany
        let versions: [AnnualVersion]
        let draft: AnnualContent?
        let latest: AnnualContent?

        func published(_ version: AnnualVersion) -> PublishedAnnual? { try? DisclosureJSON.decode(PublishedAnnual.self, version.content) }
    }

    func snapshot(_ annual: AnnualDisclosure) async throws -> Snapshot {
        guard let company = try await ListedCompany.find(annual.companyID, on: db) else { throw Problem.notFound }
        let versions = try await AnnualVersion.query(on: db).filter(\.$annualID == annual.id!).sort(\.$version).all()
        let draft = try annual.draftContent.map { try DisclosureJSON.decode(AnnualContent.self, $0) }
        let latest = try versions.last.map { try DisclosureJSON.decode(PublishedAnnual.self, $0.content).content }
        return Snapshot(annual: annual, company: company, versions: versions, draft: draft, latest: latest)
    }

    // MARK: writes

    func create(_ input: CreateInput, identity: Identity) async throws -> AnnualDisclosure {
        let company = try await DisclosureStore.memberCompany(identity, on: db)
        guard let organisationID = identity.organisationID else { throw Problem.forbidden }
        return try await create(input, company: company, organisationID: organisationID, actor: Actor(identity))
    }

    func create(_ input: CreateInput, company: ListedCompany, organisationID: UUID, actor: Actor) async throws -> AnnualDisclosure {
        let now = self.now
        let content = input.content?.content ?? AnnualContent()
        var errors = ValidationErrors()
        let thisYear = JapanTime.date(of: now).year
        if !FiscalYear.supported.contains(input.fiscalYear) || input.fiscalYear > thisYear {
            errors.add("/fiscalYear", code: FieldError.Code.range,
                       .init(ja: "年度は2000〜\(thisYear)で入力してください（年度は期首の年）。", en: "The fiscal year must be from 2000 to \(thisYear) (the year it starts)."))
        }
        errors.add(contentsOf: content.draftProblems(), under: "/content")
        try errors.throwIfAny()
        return try await db.transaction { db in
            if try await AnnualDisclosure.query(on: db).filter(\.$companyID == company.id!).filter(\.$fiscalYear == input.fiscalYear).first() != nil {
                throw Problem.conflict(.init(ja: "この年度の開示はすでにあります。既存の開示を編集してください。", en: "A disclosure for this fiscal year already exists; edit it instead."),
                                       errors: [FieldError(pointer: "/fiscalYear", code: "duplicate", detail: "already exists", detailJa: "作成済みです")])
            }
            let annual = AnnualDisclosure()
            annual.companyID = company.id!
            annual.organisationID = organisationID
            annual.fiscalYear = input.fiscalYear
            annual.status = .draft
            annual.draftContent = try DisclosureJSON.string(content)
            annual.latestVersion = 0
            annual.createdAt = now
            annual.updatedAt = now
            try await annual.create(on: db)
            try await DisclosureStore.audit(db, actor, organisation: organisationID, action: "disclosure.annual.create", targetType: "annual",
                                            target: annual.id!.uuidString, summary: ["fiscalYear": String(input.fiscalYear)], at: now)
            return annual
        }
    }

    /// Saves the draft (a published disclosure gets a new draft, published again as the next version).
    func update(_ annual: AnnualDisclosure, content: AnnualContent, identity: Identity) async throws {
        guard Self.canEdit(annual, identity) else { throw Problem.forbidden }
        try await update(annual, content: content, actor: Actor(identity))
    }

    func update(_ annual: AnnualDisclosure, content: AnnualContent, actor: Actor) async throws {
        let content = content.normalised()
        let problems = content.draftProblems()
        if !problems.isEmpty { throw Problem.validation(problems.map { FieldError(pointer: "/content" + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }) }
        let now = self.now
        try await db.transaction { db in
            annual.draftContent = try DisclosureJSON.string(content)
            annual.updatedAt = now
            try await annual.save(on: db)
            try await DisclosureStore.audit(db, actor, organisation: annual.organisationID, action: "disclosure.annual.update", targetType: "annual",
                                            target: annual.id!.uuidString, summary: ["fiscalYear": String(annual.fiscalYear)], at: now)
        }
    }

    @discardableResult
    func submit(_ annual: AnnualDisclosure, identity: Identity) async throws -> AnnualVersion {
        guard Self.canEdit(annual, identity) else { throw Problem.forbidden }
        return try await submit(annual, actor: Actor(identity))
    }

    @discardableResult
    func submit(_ annual: AnnualDisclosure, actor: Actor) async throws -> AnnualVersion {
        guard let draftJSON = annual.draftContent else { throw Problem.state("提出する下書きがありません。", "There is no draft to submit.") }
        let content = try DisclosureJSON.decode(AnnualContent.self, draftJSON)
        let problems = content.draftProblems() + content.submissionProblems()
        if !problems.isEmpty {
            throw Problem.validation(problems.map { FieldError(pointer: "/content" + $0.pointer, code: $0.code, detail: $0.detail, detailJa: $0.detailJa) },
                                     detail: .init(ja: "6項目すべての記載が必要です。不足している項目を確認してください。", en: "All six items are required; check the missing ones."))
        }
        guard let company = try await ListedCompany.find(annual.companyID, on: db) else { throw Problem.notFound }
        let now = self.now
        return try await db.transaction { db in
            guard let fresh = try await AnnualDisclosure.find(annual.id!, on: db), fresh.draftContent != nil, fresh.latestVersion == annual.latestVersion else {
                throw Problem.state("この下書きはすでに提出されました。", "This draft has already been submitted.")
            }
            let number = Self.number(company, fresh.fiscalYear)
            let versionNumber = fresh.latestVersion + 1
            let record = PublishedAnnual(number: number, version: versionNumber,
                                         company: .init(securitiesCode: company.securitiesCode, corporateNumber: company.corporateNumber, name: company.name),
                                         fiscalYear: fresh.fiscalYear, fiscalYearEnd: FiscalYear.endDate(fresh.fiscalYear, endMonth: company.fiscalYearEndMonth).iso,
                                         content: content, publishedAt: JapanTime.iso8601(now))
            let logIndex = try await PublicRecord.publish(on: db, actor: actor, organisationID: fresh.organisationID,
                                                          type: "disclosure.annual.published", subject: "\(number) v\(versionNumber)", recordNumber: number,
                                                          content: record, targetType: "annual", targetID: fresh.id!.uuidString,
                                                          summary: ["number": number, "version": String(versionNumber)], at: now)
            let version = AnnualVersion()
            version.annualID = fresh.id!
            version.version = versionNumber
            version.content = try DisclosureJSON.string(record)
            version.publishedAt = now
            version.logIndex = logIndex
            version.publishedBy = actor.label
            try await version.create(on: db)
            fresh.status = .published
            fresh.draftContent = nil
            fresh.latestVersion = versionNumber
            fresh.latestPublishedAt = now
            fresh.updatedAt = now
            try await fresh.save(on: db)
            return version
        }
    }

    struct ImportPassage: Codable, Sendable {
        var text: String
        var item: AnnualItem
    }

    struct ImportFigure: Codable, Sendable {
        var item: AnnualItem
        var key: String
        var value: FigureValue
    }

    struct ImportInput: Codable, Sendable {
        var passages: [ImportPassage]
        var figures: [ImportFigure]?
    }

    /// Adds the confirmed passages to the draft (after any text already there) and sets the confirmed figures.
    func applyImport(_ annual: AnnualDisclosure, _ input: ImportInput, identity: Identity) async throws {
        guard Self.canEdit(annual, identity) else { throw Problem.forbidden }
        var errors = ValidationErrors()
        if input.passages.count > PassageClassifier.maxPassages {
            errors.add("/passages", code: FieldError.Code.range, .init(ja: "一度に取り込める段落は\(PassageClassifier.maxPassages)までです。", en: "At most \(PassageClassifier.maxPassages) passages at once."))
        }
        try errors.throwIfAny()
        let snapshot = try await snapshot(annual)
        var content = snapshot.draft ?? snapshot.latest ?? AnnualContent()
        for item in AnnualItem.allCases {
            let added = input.passages.filter { $0.item == item }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard !added.isEmpty else { continue }
            content[item].text = ([content[item].text].compactMap { $0 } + added).joined(separator: "\n")
        }
        for figure in input.figures ?? [] { content[figure.item].figures[figure.key] = figure.value }
        try await update(annual, content: content, identity: identity)
    }

    // MARK: reads

    struct ListFilter: Sendable {
        var fiscalYear: Int?
        var company: String?
    }

    func publicList(_ filter: ListFilter, page: ShinraiKit.PageRequest) async throws -> (items: [AnnualDisclosure], total: Int) {
        var query = AnnualDisclosure.query(on: db).filter(\.$latestVersion > 0)
        if let year = filter.fiscalYear { query = query.filter(\.$fiscalYear == year) }
        if let code = filter.company {
            guard let company = try await DisclosureStore.company(code: code, on: db) else { return ([], 0) }
            query = query.filter(\.$companyID == company.id!)
        }
        let total = try await query.count()
        let items = try await query.sort(\.$latestPublishedAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    /// The latest published content of each company for a fiscal year.
    func latestPublished(fiscalYear: Int, companies: [UUID]) async throws -> [UUID: AnnualContent] {
        var out: [UUID: AnnualContent] = [:]
        for chunk in stride(from: 0, to: companies.count, by: 400) {
            let part = Array(companies[chunk..<min(chunk + 400, companies.count)])
            let annuals = try await AnnualDisclosure.query(on: db).filter(\.$fiscalYear == fiscalYear).filter(\.$companyID ~~ part)
                .filter(\.$latestVersion > 0).all()
            guard !annuals.isEmpty else { continue }
            let byID = Dictionary(uniqueKeysWithValues: annuals.map { ($0.id!, $0) })
            let versions = try await AnnualVersion.query(on: db).filter(\.$annualID ~~ Array(byID.keys)).all()
            for version in versions {
                guard let annual = byID[version.annualID], annual.latestVersion == version.version else { continue }
                out[annual.companyID] = try DisclosureJSON.decode(PublishedAnnual.self, version.content).content
            }
        }
        return out
    }

    /// Serious incidents the company published on this platform during the fiscal year (a check against item 4).
    func publishedIncidentCount(company: ListedCompany, fiscalYear: Int) async throws -> Int {
        let end = FiscalYear.endDate(fiscalYear, endMonth: company.fiscalYearEndMonth)
        let start = FiscalYear.endDate(fiscalYear - 1, endMonth: company.fiscalYearEndMonth).next
        return try await Incident.query(on: db).filter(\.$companyID == company.id!).filter(\.$status == .published)
            .filter(\.$determinedAt >= JapanTime.startOfDay(start)).filter(\.$determinedAt < JapanTime.startOfDay(end.next)).count()
    }
}
