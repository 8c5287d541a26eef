import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// Read models of the public side: search, details, versions, similar cases, feeds and exports.
struct PublicUseCases: Sendable {
    let services: Services
    let search: SearchSnapshots
    var service: UseCaseService { UseCaseService(services: services) }

    func labels() async throws -> Labels {
        Labels(catalogue: services.views.catalogue, categories: try await service.categories(includeInactive: true))
    }

    func search(_ query: SearchQuery) async throws -> (result: SearchResult, labels: Labels) {
        async let labels = self.labels()
        let result = try await SearchIndex.search(query, snapshots: search, on: services.sql)
        return (result, try await labels)
    }

    func searchPage(_ query: SearchQuery) async throws -> SearchPageDTO {
        let (result, labels) = try await search(query)
        let terms = query.terms
        var facets: [String: [FacetValueDTO]] = [:]
        for facet in Facet.allCases {
            facets[facet.rawValue] = labels.facetValues(facet, counts: result.facets[facet] ?? [:], selected: query.filters[facet] ?? [])
        }
        let items = result.rows.map { UseCaseSummaryDTO($0, terms: terms) }
        return SearchPageDTO(items: items, total: result.total, limit: query.page.limit, page: query.page.page,
                             nextPage: query.page.offset + items.count < result.total ? query.page.page + 1 : nil,
                             query: query.text, sort: query.effectiveSort.rawValue, facets: facets)
    }

    func detail(_ record: UseCaseRecord, _ version: UseCaseVersionRecord) async throws -> UseCaseDTO {
        let published = try version.record()
        let indexes = try await TransparencyLogStore.indexes(ofRecord: published.number, on: services.db)
        let withdrawn = record.listed ? nil : record.withdrawnAt.map { WithdrawnDTO(at: $0, reason: record.withdrawnReason ?? "") }
        return UseCaseDTO(
            number: published.number, version: published.version, status: withdrawn == nil ? "published" : "withdrawn",
            organisation: OrganisationDTO(id: published.organisation.id, name: published.organisation.name,
                                          corporateNumber: published.organisation.corporateNumber,
                                          localGovernmentCode: published.organisation.localGovernmentCode),
            firstPublishedAt: record.firstPublishedAt ?? version.publishedAt, publishedAt: version.publishedAt,
            views: record.views, reuses: record.reuses, logIndex: version.logIndex, logIndexes: indexes, contentHash: version.contentHash,
            proof: Self.proofLink(version.logIndex), highRisk: published.content.governance.highRisk, content: published.content,
            withdrawn: withdrawn, url: "/usecases/\(published.number)")
    }

    static func proofLink(_ index: Int64) -> String { "/api/v1/log/proof/inclusion?index=\(index)" }

    func versionInfos(_ record: UseCaseRecord) async throws -> [VersionInfoDTO] {
        try await service.versions(of: record.id!).map {
            VersionInfoDTO(version: $0.version, publishedAt: $0.publishedAt, note: $0.note, logIndex: $0.logIndex,
                           contentHash: $0.contentHash, url: "/usecases/\($0.number)/versions/\($0.version)")
        }
    }

    /// Cases like this one: same category or industry first, ranked by shared character pairs of
    /// title and summary, with a nudge for the same kind and size of organisation.
    func similar(to content: UseCaseContent, excluding id: UUID?, limit: Int = 5) async throws -> [SearchIndex.Row] {
        let pool = try await SearchIndex.neighbours(category: content.category, industry: content.industry, excluding: id, limit: 100, on: services.sql)
        let target = SearchText.bigrams(content.title + " " + content.summary)
        return pool.map { row -> (SearchIndex.Row, Double) in
            var score = SearchText.similarity(target, SearchText.bigrams(row.title + " " + row.summary))
            if row.category == content.category { score += 0.3 }
            if row.industry == content.industry { score += 0.2 }
            if row.organisationType == content.organisationType.rawValue { score += 0.1 }
            if !row.municipalityScale.isEmpty && row.municipalityScale == content.municipalityScale?.rawValue { score += 0.1 }
            return (row, score)
        }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.updatedAt > $1.0.updatedAt }
        .prefix(limit).map(\.0)
    }

    /// The newest published versions of listed cases, for the Atom feed.
    func recentVersions(limit: Int) async throws -> [UseCaseVersionRecord] {
        try await UseCaseVersionRecord.query(on: services.db)
            .join(UseCaseRecord.self, on: \UseCaseVersionRecord.$usecaseID == \UseCaseRecord.$id)
            .filter(UseCaseRecord.self, \.$listed == true)
            .sort(\.$publishedAt, .descending).sort(\.$version, .descending).limit(limit).all()
    }

    /// The current published version of each listed case, in the order of `ids`.
    func currentVersions(ids: [UUID]) async throws -> [PublishedUseCase] {
        guard !ids.isEmpty else { return [] }
        let rows = try await services.sql.raw("""
            SELECT u.id AS usecase_id, v.record AS record FROM usecases u
            JOIN usecase_versions v ON v.usecase_id = u.id AND v.version = u.published_version
            WHERE u.listed = \(bind: true) AND u.id IN (\(binds: ids))
            """).all()
        var byID: [UUID: PublishedUseCase] = [:]
        for row in rows {
            let json = try row.decode(column: "record", as: String.self)
            byID[try row.decode(column: "usecase_id", as: UUID.self)] = try JSONDecoder.iso.decode(PublishedUseCase.self, from: Data(json.utf8))
        }
        return ids.compactMap { byID[$0] }
    }

    /// Current versions of the cases matching a search (every page), for exports.
    func currentVersions(matching query: SearchQuery, max: Int) async throws -> [PublishedUseCase] {
        var all: [PublishedUseCase] = []
        var paging = query
        paging.page = ShinraiKit.PageRequest(limit: 200, page: 1)
        while all.count < max {
            let result = try await SearchIndex.search(paging, snapshots: search, on: services.sql)
            let ids = result.rows.map(\.id)
            if ids.isEmpty { break }
            all += try await currentVersions(ids: ids)
            if result.rows.count < 200 { break }
            paging.page.page += 1
        }
        return Array(all.prefix(max))
    }
}
