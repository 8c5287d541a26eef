import FluentKit
import Foundation
import ShinraiKit

// Data transfer objects of the JSON API, exports and snapshots (camelCase; dates `YYYY-MM-DD` in Japan).

struct ProviderDTO: Codable, Sendable, Equatable {
    var name: String
    var corporateNumber: String?
}

struct CertificationDTO: Codable, Sendable {
    var id: UUID
    var kind: String
    var label: String
    var issuer: String
    var certificateNumber: String
    var scope: String
    var coversService: Bool
    var validFrom: String
    var validUntil: String
    /// Valid today (and not removed).
    var valid: Bool
    var verified: Bool
    /// Evidence files (certificate copies): only for the provider and reviewers, absent in public views.
    var evidence: [AttachmentDTO]?
    init(_ c: CertificationRecord, today: LocalDate, evidence: [AttachmentDTO]? = nil) {
        id = c.id!; kind = c.kind; label = c.certificationKind.label; issuer = c.issuer; certificateNumber = c.certificateNumber
        scope = c.scope; coversService = c.coversService; validFrom = c.validFrom; validUntil = c.validUntil
        valid = c.isValid(on: today); verified = c.verifiedAt != nil
        self.evidence = evidence
    }
}

struct ContactDTO: Codable, Sendable, Equatable {
    var role: String
    var name: String?
    var email: String?
    var phone: String?
}

struct ListStatusDTO: Codable, Sendable {
    var list: String
    var recordNumber: String
    var status: String
    var since: String?
    var until: String?
}

struct ServiceDTO: Codable, Sendable {
    var id: UUID
    var number: String
    var name: String
    var nameEn: String?
    var serviceModel: String
    var description: String
    var descriptionEn: String?
    var website: String?
    var governingLaw: String
    var jurisdiction: String
    var regions: [String]
    var contacts: [ContactDTO]
    var provider: ProviderDTO
    var certifications: [CertificationDTO]
    var lists: [ListStatusDTO]
    var isPublic: Bool
    var url: String
}

struct ListEntryDTO: Codable, Sendable {
    var list: String
    var recordNumber: String
    var status: String
    var since: String?
    var until: String?
    var changedAt: Date
    var service: ServiceRef
    var provider: ProviderDTO
    var regions: [String]
    var certifications: [String]
    var details: [String: String]

    struct ServiceRef: Codable, Sendable {
        var number: String
        var name: String
        var nameEn: String?
        var serviceModel: String
        var url: String
    }

    init(_ row: ListEntryRecord) {
        list = row.list; recordNumber = row.recordNumber; status = row.status; since = row.since; until = row.until; changedAt = row.changedAt
        service = ServiceRef(number: row.serviceNumber, name: row.serviceName, nameEn: row.serviceNameEn, serviceModel: row.serviceModel,
                             url: "/cloud/services/\(row.serviceNumber)")
        provider = ProviderDTO(name: row.providerName, corporateNumber: row.providerCorporateNumber)
        regions = row.regions.split(separator: ",").map(String.init)
        certifications = row.certKinds.split(separator: ",").map(String.init)
        details = row.detailMap
    }
}

struct StatusEventDTO: Codable, Sendable {
    var list: String
    var recordNumber: String
    var from: String?
    var to: String
    var event: String
    var date: String
    var at: Date
    var reason: String?
    var logIndex: Int64?
    var isPublic: Bool
    init(_ e: StatusEventRecord) {
        list = e.list; recordNumber = e.recordNumber; from = e.fromStatus; to = e.toStatus; event = e.event; date = e.onDate; at = e.at
        reason = e.reason; logIndex = e.logIndex; isPublic = e.isPublic
    }
}

enum ServiceView {
    /// The public description of a service (what list pages and the log show).
    static func publicDocument(_ service: CloudServiceRecord, on db: any Database, today: LocalDate) async throws -> ServiceDTO {
        try await dto(service, on: db, today: today, includePrivate: false)
    }

    static func dto(_ service: CloudServiceRecord, on db: any Database, today: LocalDate, includePrivate: Bool) async throws -> ServiceDTO {
        let provider = try await Organisation.find(service.organisationID, on: db)
        let certs = try await CertificationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$removedAt == nil).sort(\.$validUntil, .descending).all()
        var entries = ListEntryRecord.query(on: db).filter(\.$serviceID == service.id!)
        if !includePrivate { entries = entries.filter(\.$isPublic == true) }
        let lists = try await entries.sort(\.$list).all().map {
            ListStatusDTO(list: $0.list, recordNumber: $0.recordNumber, status: $0.status, since: $0.since, until: $0.until)
        }
        var evidence: [UUID: [AttachmentDTO]] = [:]
        if includePrivate, !certs.isEmpty {
            let files = try await AttachmentRecord.query(on: db).filter(\.$ownerType == "cloud.certification").filter(\.$ownerID ~~ certs.map { $0.id! })
                .field(\.$id).field(\.$ownerType).field(\.$ownerID).field(\.$filename).field(\.$mediaType).field(\.$size).field(\.$sha256)
                .field(\.$organisationID).field(\.$uploadedBy).field(\.$createdAt).sort(\.$createdAt).all()
            for file in files { evidence[file.ownerID, default: []].append(AttachmentDTO(file)) }
        }
        // Personal names of contact persons are not published.
        let contacts = service.contactList.map { ContactDTO(role: $0.role, name: includePrivate ? $0.name : nil, email: $0.email, phone: $0.phone) }
        return ServiceDTO(id: service.id!, number: service.number, name: service.name, nameEn: service.nameEn, serviceModel: service.serviceModel,
                          description: service.description, descriptionEn: service.descriptionEn, website: service.website,
                          governingLaw: service.governingLaw, jurisdiction: service.jurisdiction, regions: service.regionCodes, contacts: contacts,
                          provider: ProviderDTO(name: provider?.name ?? "", corporateNumber: provider?.corporateNumber),
                          certifications: certs.map { CertificationDTO($0, today: today, evidence: includePrivate ? evidence[$0.id!] ?? [] : nil) }, lists: lists, isPublic: service.isPublic,
                          url: "/cloud/services/\(service.number)")
    }
}

/// The public lists: filters, search, sorting and paging over `cloud_list_entries`.
struct ListQuery: Sendable, Equatable {
    enum Sort: String, CaseIterable, Sendable { case name, provider, since, until, updated }

    var list: CloudList
    var q: String?
    var serviceModel: ServiceModel?
    var region: String?
    var certification: CertificationKind?
    /// nil: the list's current statuses; `all`: every public status.
    var statuses: [String]
    var statusParameter: String?
    var poc: Bool?
    var corporateNumber: String?
    var sort: Sort = .name
    var descending = false

    static let parameters: [APIOperation.Parameter] = [
        .init("q", in: .query, schema: .string(maxLength: 100), description: "Search service, provider, description and numbers"),
        .init("serviceModel", in: .query, schema: .string(enumValues: ServiceModel.allCases.map(\.rawValue)), description: "IaaS, PaaS or SaaS"),
        .init("region", in: .query, schema: .string(maxLength: 5, pattern: "^[A-Za-z]{2}(-[0-9]{2})?$"), description: "ISO 3166 code: a country (JP, US) or a prefecture (JP-13)"),
        .init("certification", in: .query, schema: .string(enumValues: CertificationKind.allCases.map(\.rawValue)), description: "Holds a valid certification of this kind"),
        .init("status", in: .query, schema: .string(maxLength: 40), description: "A public status of the list, or `all`; default: the current statuses"),
        .init("poc", in: .query, schema: .string(enumValues: ["true", "false"]), description: "ISMAP-Ready: open to proofs of concept"),
        .init("corporateNumber", in: .query, schema: .string(maxLength: 20), description: "Provider 法人番号 (13 digits with check digit)"),
        .init("sort", in: .query, schema: .string(enumValues: Sort.allCases.map(\.rawValue) + Sort.allCases.map { "-" + $0.rawValue }),
              description: "Sort key; a leading - sorts descending"),
    ]

    /// Reads the query string; bad values are a 400 with the parameter named.
    static func parse(_ list: CloudList, query: [String: String]) throws -> ListQuery {
        var errors: [FieldError] = []
        func bad(_ name: String, _ en: String, _ ja: String) { errors.append(FieldError(pointer: "/query/\(name)", code: "invalid", detail: en, detailJa: ja)) }
        var out = ListQuery(list: list, statuses: list.currentStatuses)
        out.q = SearchText.term(query["q"])
        if let raw = query["q"], raw.count > 100 { bad("q", "q is at most 100 characters.", "検索語は100文字以内です。") }
        if let raw = query["serviceModel"], !raw.isEmpty {
            if let model = ServiceModel(rawValue: raw) { out.serviceModel = model } else { bad("serviceModel", "serviceModel is iaas, paas or saas.", "サービス形態の値が正しくありません。") }
        }
        if let raw = query["region"], !raw.isEmpty {
            if let code = RegionCode.normalize(raw) { out.region = code } else { bad("region", "region is an ISO 3166 code such as JP, JP-13 or US.", "所在地は JP、JP-13、US のようなコードで指定してください。") }
        }
        if let raw = query["certification"], !raw.isEmpty {
            if let kind = CertificationKind(rawValue: raw) { out.certification = kind } else { bad("certification", "Unknown certification kind.", "認証の種類が正しくありません。") }
        }
        if let raw = query["status"], !raw.isEmpty {
            if raw == "all" { out.statuses = list.publicStatuses; out.statusParameter = "all" }
            else if list.publicStatuses.contains(raw) { out.statuses = [raw]; out.statusParameter = raw }
            else { bad("status", "status is one of \(list.publicStatuses.joined(separator: ", ")) or all.", "状態の値が正しくありません。") }
        }
        if let raw = query["poc"], !raw.isEmpty {
            if raw == "true" || raw == "false" { out.poc = raw == "true" } else { bad("poc", "poc is true or false.", "poc は true か false です。") }
        }
        if let raw = query["corporateNumber"], !raw.isEmpty {
            do { out.corporateNumber = try CorporateNumber(raw).value } catch let error as JapaneseIdentifierError {
                errors.append(error.fieldError(at: "/query/corporateNumber"))
            }
        }
        if let raw = query["sort"], !raw.isEmpty {
            let descending = raw.hasPrefix("-")
            if let sort = Sort(rawValue: descending ? String(raw.dropFirst()) : raw) { out.sort = sort; out.descending = descending }
            else { bad("sort", "sort is one of name, provider, since, until, updated (prefix - for descending).", "並べ替えの指定が正しくありません。") }
        } else if list == .fastTrack {
            out.sort = .until
        }
        if !errors.isEmpty { throw Problem.badRequest(.init(ja: "絞り込みの指定が正しくありません。", en: "Invalid filter parameters."), errors: errors) }
        return out
    }

    /// The query parameters that reproduce this query (for links and the pager).
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let q { items.append(("q", q)) }
        if let serviceModel { items.append(("serviceModel", serviceModel.rawValue)) }
        if let region { items.append(("region", region)) }
        if let certification { items.append(("certification", certification.rawValue)) }
        if let statusParameter { items.append(("status", statusParameter)) }
        if let poc { items.append(("poc", poc ? "true" : "false")) }
        if let corporateNumber { items.append(("corporateNumber", corporateNumber)) }
        items.append(("sort", (descending ? "-" : "") + sort.rawValue))
        return items
    }

    func build(on db: any Database) -> QueryBuilder<ListEntryRecord> {
        var query = ListEntryRecord.query(on: db).filter(\.$list == list.rawValue).filter(\.$isPublic == true).filter(\.$status ~~ statuses)
        if let q { query = query.filter(\.$search ~~ q) }
        if let serviceModel { query = query.filter(\.$serviceModel == serviceModel.rawValue) }
        if let region { query = query.filter(\.$regions ~~ ("," + region)) }
        if let certification { query = query.filter(\.$certKinds ~~ ("," + certification.rawValue + ",")) }
        if let poc { query = query.filter(\.$details ~~ "\"pocAvailable\":\"\(poc)\"") }
        if let corporateNumber { query = query.filter(\.$providerCorporateNumber == corporateNumber) }
        let direction: DatabaseQuery.Sort.Direction = descending ? .descending : .ascending
        switch sort {
        case .name: query = query.sort(\.$serviceName, direction)
        case .provider: query = query.sort(\.$providerName, direction).sort(\.$serviceName)
        case .since: query = query.sort(\.$since, direction).sort(\.$serviceName)
        case .until: query = query.sort(\.$until, direction).sort(\.$serviceName)
        case .updated: query = query.sort(\.$changedAt, direction).sort(\.$serviceName)
        }
        return query.sort(\.$recordNumber)
    }

    func page(_ page: ShinraiKit.PageRequest, on db: any Database) async throws -> (items: [ListEntryRecord], total: Int) {
        let total = try await build(on: db).count()
        let items = try await build(on: db).range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }

    /// Every matching entry (exports), up to a safety limit.
    func all(on db: any Database, limit: Int = 50_000) async throws -> [ListEntryRecord] {
        try await build(on: db).limit(limit).all()
    }
}
