import FluentKit
import Foundation
import ShinraiKit

/// Imports a collection in the US inventory layout as drafts of the importing organisation; the
/// drafts then go through moderation like any other. By default all rows or none are written.
struct ImportService: Sendable {
    let services: Services

    struct Input: Codable, Sendable {
        var format: String
        var csv: String
        var dryRun: Bool?
        var skipInvalid: Bool?
    }

    struct Report: Encodable, Sendable {
        struct Created: Encodable, Sendable { var id: UUID; var title: String }
        var format: String
        var rows: Int
        var valid: Int
        var created: [Created]
        var dryRun: Bool
        var errors: [USInventory.RowError]
    }

    func run(csv: Data, dryRun: Bool, skipInvalid: Bool, by principal: Principal) async throws -> Report {
        guard let organisationID = principal.organisationID else {
            throw Problem(status: .forbidden, slug: "forbidden", title: .init(ja: "権限がありません", en: "Not allowed"),
                          detail: .init(ja: "取り込んだ事例は所属組織の下書きになります。組織に所属するアカウントで操作してください。",
                                        en: "Imported use cases become drafts of your organisation; use an account that belongs to one."))
        }
        let service = UseCaseService(services: services)
        let categories = try await service.activeCategorySlugs()
        let parsed = USInventory.parse(csv, categories: categories)
        var report = Report(format: USInventory.formatName, rows: parsed.rows, valid: parsed.valid.count, created: [], dryRun: dryRun, errors: parsed.errors)
        if parsed.rows == 0 && parsed.errors.isEmpty {
            report.errors = [USInventory.RowError(line: 2, column: "", code: "missing", detail: "The file has a header but no rows.", detailJa: "見出し行の後にデータの行がありません。")]
        }
        guard !dryRun, !parsed.valid.isEmpty, report.errors.isEmpty || skipInvalid else { return report }
        let now = services.now
        report.created = try await services.db.transaction { db in
            var created: [Report.Created] = []
            for row in parsed.valid {
                let record = try await service.insertDraft(row.content, for: organisationID, by: principal, at: now, on: db, action: "usecase.import")
                created.append(.init(id: record.id!, title: record.title))
            }
            return created
        }
        return report
    }
}
