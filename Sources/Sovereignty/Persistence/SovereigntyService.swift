import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// The module's domain operations. Each write validates, then changes the data, its audit
/// event (and, for public records, the transparency-log entry) in one transaction.
struct SovereigntyService: Sendable {
    let services: Services
    let cache: IndicatorCache

    init(services: Services, cache: IndicatorCache = IndicatorCache()) {
        self.services = services
        self.cache = cache
    }

    var db: any Database { services.db }
    var currentFiscalYear: Int { FiscalYear.of(services.now) }

    func snapshot() async throws -> SovereigntySnapshot { try await cache.snapshot(on: services.db) }

    // MARK: publishing a yearly figure

    /// Publishes the figures of a fiscal year as a new revision of record `SSR-<year>`.
    func publish(fiscalYear year: Int, by identity: Identity) async throws -> Publication {
        guard identity.isReviewer else { throw Problem.forbidden }
        return try await publish(fiscalYear: year, actor: Actor(identity))
    }

    func publish(fiscalYear year: Int, actor: Actor) async throws -> Publication {
        let snapshot = try await snapshot()
        guard snapshot.result.years.contains(year) else {
            throw Problem.validation([FieldError(pointer: "/fiscalYear", code: FieldError.Code.invalid,
                                                 detail: "There are no declarations for this fiscal year.", detailJa: "この年度の申告がありません。")])
        }
        let now = services.now
        let versions = try await ParameterStore.versions(on: db)
        guard let version = ParameterStore.inForce(year, among: versions) else { throw Problem.notFound }
        return try await services.db.transaction { db in
            try await Generation.bump(on: db)
            let previous = try await Publication.query(on: db).filter(\.$fiscalYear == year).sort(\.$revision, .descending).first()
            let recordNumber = "SSR-\(year)"
            let figure = PublishedFigure(
                recordNumber: recordNumber, fiscalYear: year, revision: (previous?.revision ?? 0) + 1, provisional: year >= FiscalYear.of(now),
                parameterVersion: version.version, parameters: version.parameters,
                cells: snapshot.result.cells.filter { $0.fiscalYear == year }.map(IndicatorCellDTO.init),
                governmentAdoption: snapshot.result.governmentAdoption.first { $0.fiscalYear == year }.map(GovernmentAdoptionDTO.init),
                overseasSales: snapshot.overseasSales.first { $0.fiscalYear == year })
            if let previous, var earlier = try? JSONDecoder().decode(PublishedFigure.self, from: Data(previous.content.utf8)) {
                earlier.revision = figure.revision
                earlier.provisional = figure.provisional
                if earlier == figure {
                    throw Problem.conflict(.init(ja: "前回の公表（第\(previous.revision)版）から数値が変わっていません。",
                                                 en: "The figures have not changed since revision \(previous.revision)."))
                }
            }
            let content = String(decoding: try CanonicalJSON.encode(figure), as: UTF8.self)
            let publication = Publication()
            publication.fiscalYear = year
            publication.revision = figure.revision
            publication.recordNumber = recordNumber
            publication.content = content
            publication.contentHash = try CanonicalJSON.sha256Hex(of: figure)
            publication.parameterVersion = version.version
            publication.rateBP = snapshot.result.cell(year, .overall)?.rateBP
            publication.publishedAt = now
            publication.publishedBy = actor.label
            publication.logIndex = -1
            try await publication.create(on: db)
            publication.logIndex = try await PublicRecord.publish(
                on: db, actor: actor, organisationID: nil, type: "sovereignty.indicator", subject: FiscalYear.label(year, .ja),
                recordNumber: recordNumber, content: figure, targetType: "sovereignty-publication", targetID: publication.id!.uuidString,
                summary: ["fiscalYear": "\(year)", "revision": "\(figure.revision)", "rate": publication.rateBP.map(BasisPoints.decimal) ?? "suppressed"],
                at: now)
            try await publication.save(on: db)
            return publication
        }
    }
}
