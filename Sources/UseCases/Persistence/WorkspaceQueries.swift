import FluentKit
import Foundation
import ShinraiKit

/// Lists for the people who work on use cases: an organisation's submissions, the moderation queue.
struct WorkspaceQueries: Sendable {
    let services: Services

    /// Members see their organisation's submissions; moderators see every organisation's.
    func submissions(for principal: Principal, status: SubmissionStatus?, page: ShinraiKit.PageRequest,
                     ownOnly: Bool = false) async throws -> (items: [SubmissionItemDTO], total: Int) {
        var query = UseCaseRecord.query(on: services.db)
        if !principal.isModerator || ownOnly {
            guard let organisation = principal.organisationID else { return ([], 0) }
            query = query.filter(\.$organisationID == organisation)
        }
        if let status { query = query.filter(\.$statusRaw == status.rawValue) }
        let total = try await query.count()
        let sorted = status == .submitted ? query.sort(\.$submittedAt).sort(\.$id) : query.sort(\.$updatedAt, .descending).sort(\.$id)
        let records = try await sorted.range(page.offset..<(page.offset + page.limit)).all()
        let names = try await Organisation.query(on: services.db).filter(\.$id ~~ Array(Set(records.map(\.organisationID)))).all()
        let items = records.map { r in
            SubmissionItemDTO(id: r.id!, number: r.number, title: r.title, status: r.statusRaw, revision: r.revision,
                              publishedVersion: r.publishedVersion, organisationName: names.first { $0.id == r.organisationID }?.name ?? "",
                              updatedAt: r.updatedAt, submittedAt: r.submittedAt)
        }
        return (items, total)
    }
}
