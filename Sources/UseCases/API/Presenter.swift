import Foundation
import Hummingbird
import ShinraiKit

/// Words for codes, in both languages, from the catalogue and the category taxonomy.
struct Labels {
    let catalogue: Catalogue
    let categories: [CategoryRecord]

    func text(_ key: String, _ language: UILanguage) -> String { catalogue.text(key, language) }

    func label(_ facet: Facet, _ value: String, _ language: UILanguage) -> String {
        switch facet {
        case .industry: return text(Label.industry(value), language)
        case .category: return categories.first { $0.slug == value }?.name(language) ?? value
        case .organisationType: return OrganisationType(rawValue: value).map { text(Label.orgType($0), language) } ?? value
        case .municipalityScale:
            if value.isEmpty { return text("usecases.scale.none", language) }
            return MunicipalityScale(rawValue: value).map { text(Label.scale($0), language) } ?? value
        case .stage: return Stage(rawValue: value).map { text(Label.stage($0), language) } ?? value
        case .confidentiality: return Int(value).map { text(Label.confidentiality($0), language) } ?? value
        }
    }

    /// The values shown for a facet: every value with matches, plus the selected ones, in the
    /// vocabulary's order.
    func facetValues(_ facet: Facet, counts: [String: Int], selected: [String]) -> [FacetValueDTO] {
        let order: [String]
        switch facet {
        case .industry: order = JSIC.codes
        case .category: order = categories.map(\.slug)
        case .organisationType: order = OrganisationType.allCases.map(\.rawValue)
        // Organisations other than municipalities have no scale: not a value worth filtering on.
        case .municipalityScale: order = MunicipalityScale.allCases.map(\.rawValue)
        case .stage: order = Stage.allCases.map(\.rawValue)
        case .confidentiality: order = ["1", "2", "3"]
        }
        let extra = counts.keys.filter { !order.contains($0) && !(facet == .municipalityScale && $0.isEmpty) }.sorted()
        return (order + extra).compactMap { value in
            let count = counts[value] ?? 0
            let isSelected = selected.contains(value)
            guard count > 0 || isSelected else { return nil }
            return FacetValueDTO(value: value, label: label(facet, value, .ja), labelEn: label(facet, value, .en), count: count, selected: isSelected)
        }
    }
}

struct FacetValueDTO: Encodable, Sendable {
    var value: String
    var label: String
    var labelEn: String
    var count: Int
    var selected: Bool
}

struct HighlightDTO: Encodable, Sendable {
    var title: String
    var summary: String
}

struct UseCaseSummaryDTO: Encodable, Sendable {
    var number: String
    var title: String
    var summary: String
    var organisationName: String
    var organisationType: String
    var municipalityScale: String?
    var industry: String
    var category: String
    var stage: String
    var confidentiality: Int
    var highRisk: Bool
    var version: Int
    var firstPublishedAt: Date
    var updatedAt: Date
    var reuses: Int
    var url: String
    var highlight: HighlightDTO?

    init(_ row: SearchIndex.Row, terms: [String]) {
        number = row.number; title = row.title; summary = row.summary; organisationName = row.organisationName
        organisationType = row.organisationType; municipalityScale = row.municipalityScale.nilIfEmpty; industry = row.industry
        category = row.category; stage = row.stage; confidentiality = row.confidentiality; highRisk = row.highRisk
        version = row.version; firstPublishedAt = row.firstPublishedAt; updatedAt = row.updatedAt; reuses = row.reuses
        url = "/usecases/\(row.number)"
        if !terms.isEmpty {
            highlight = HighlightDTO(title: SearchText.html(SearchText.highlight(row.title, terms: terms)),
                                     summary: SearchText.html(SearchText.highlight(row.summary, terms: terms)))
        }
    }
}

struct SearchPageDTO: Encodable, Sendable {
    var items: [UseCaseSummaryDTO]
    var total: Int
    var limit: Int
    var page: Int
    var nextPage: Int?
    var query: String
    var sort: String
    var facets: [String: [FacetValueDTO]]
}

struct OrganisationDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var corporateNumber: String?
    var localGovernmentCode: String?
}

struct WithdrawnDTO: Encodable, Sendable {
    var at: Date
    var reason: String
}

struct UseCaseDTO: Encodable, Sendable {
    var number: String
    var version: Int
    var status: String
    var organisation: OrganisationDTO
    var firstPublishedAt: Date
    var publishedAt: Date
    var views: Int
    var reuses: Int
    var logIndex: Int64
    var logIndexes: [Int64]
    var contentHash: String
    var proof: String
    var highRisk: Bool
    var content: UseCaseContent
    var withdrawn: WithdrawnDTO?
    var url: String
}

struct VersionInfoDTO: Encodable, Sendable {
    var version: Int
    var publishedAt: Date
    var note: String?
    var logIndex: Int64
    var contentHash: String
    var url: String
}

struct VersionDTO: Encodable, Sendable {
    var record: PublishedUseCase
    var contentHash: String
    var logIndex: Int64
    var proof: String
}

struct HistoryDTO: Encodable, Sendable {
    var action: String
    var comment: String?
    var actor: String
    var at: Date
}

struct SubmissionDTO: Encodable, Sendable {
    var id: UUID
    var number: String?
    var status: String
    var revision: Int
    var publishedVersion: Int
    var listed: Bool
    var organisationId: UUID
    var organisationName: String
    var createdAt: Date
    var updatedAt: Date
    var submittedAt: Date?
    var content: UseCaseContent
    var allowedActions: [String]
    var history: [HistoryDTO]
}

struct SubmissionItemDTO: Encodable, Sendable {
    var id: UUID
    var number: String?
    var title: String
    var status: String
    var revision: Int
    var publishedVersion: Int
    var organisationName: String
    var updatedAt: Date
    var submittedAt: Date?
}

struct CategoryDTO: Encodable, Sendable {
    var slug: String
    var name: String
    var nameEn: String
    var position: Int
    var active: Bool
    init(_ record: CategoryRecord) {
        slug = record.slug; name = record.nameJa; nameEn = record.nameEn; position = record.position; active = record.active
    }
}

struct TermDTO: Encodable, Sendable {
    var value: String
    var label: String
    var labelEn: String
}

struct IndustryDTO: Encodable, Sendable {
    var value: String
    var label: String
    var labelEn: String
    var groups: [TermDTO]
}

struct TaxonomiesDTO: Encodable, Sendable {
    var industries: [IndustryDTO]
    var organisationTypes: [TermDTO]
    var municipalityScales: [TermDTO]
    var stages: [TermDTO]
    var confidentialityLevels: [TermDTO]
    var licences: [TermDTO]
    var countermeasures: [TermDTO]
    var riskChecks: [TermDTO]
    var categories: [TermDTO]
}

extension SearchQuery {
    /// Reads `q`, the facet filters (repeatable), `sort`, `limit` and `page` from a query string.
    /// With `strict`, unknown values are a 400; otherwise (web pages) they are dropped.
    static func parse(_ request: Request, strict: Bool, defaultLimit: Int) throws -> SearchQuery {
        let form = FormData(encoded: request.uri.query ?? "")
        var errors: [FieldError] = []
        var query = SearchQuery(page: try ShinraiKit.PageRequest.parse(request, defaultLimit: defaultLimit))
        let text = form.first("q") ?? ""
        if text.count > SearchText.maxQueryLength {
            errors.append(FieldError(pointer: "/query/q", code: "range", detail: "The query is at most \(SearchText.maxQueryLength) characters.", detailJa: "検索語は\(SearchText.maxQueryLength)文字以内にしてください。"))
        }
        query.text = String(text.prefix(SearchText.maxQueryLength))
        for facet in Facet.allCases {
            var values: [String] = []
            for value in form.all(facet.rawValue) where !value.isEmpty {
                if facet.accepts(value) { if !values.contains(value) { values.append(value) } } else {
                    errors.append(FieldError(pointer: "/query/\(facet.rawValue)", code: "invalid", detail: "Unknown value for \(facet.rawValue).", detailJa: "絞り込みの値が正しくありません。"))
                }
            }
            if !values.isEmpty { query.filters[facet] = Array(values.prefix(30)) }
        }
        if let sort = form.first("sort"), !sort.isEmpty {
            if let value = SearchSort(rawValue: sort) { query.sort = value } else {
                errors.append(FieldError(pointer: "/query/sort", code: "invalid", detail: "sort is relevance, newest or reused.", detailJa: "並び順の指定が正しくありません。"))
            }
        }
        if strict && !errors.isEmpty { throw Problem.badRequest(.init(ja: "検索条件が正しくありません。", en: "Invalid search parameters."), errors: errors) }
        return query
    }

    /// The query string for links (facet toggles, paging), without the page.
    func queryItems(toggling toggle: (Facet, String)? = nil, sort newSort: SearchSort? = nil) -> [(String, String)] {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        for facet in Facet.allCases {
            var values = filters[facet] ?? []
            if let toggle, toggle.0 == facet {
                if let i = values.firstIndex(of: toggle.1) { values.remove(at: i) } else { values.append(toggle.1) }
            }
            items += values.map { (facet.rawValue, $0) }
        }
        if let s = newSort ?? sort { items.append(("sort", s.rawValue)) }
        if page.limit != 20 { items.append(("limit", String(page.limit))) }
        return items
    }
}
