import FluentKit
import Foundation
import ShinraiKit

/// An organisation's use case as it is being worked on (the draft or the submission under review)
/// plus its public state. Published versions are kept apart, unchanged, in `UseCaseVersionRecord`.
final class UseCaseRecord: Model, @unchecked Sendable {
    static let schema = "usecases"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    /// Public number (`UC-2026-0001`), given at first publication.
    @OptionalField(key: "number") var number: String?
    @Field(key: "status") var statusRaw: String
    /// JSON of `UseCaseContent` (the working copy).
    @Field(key: "content") var contentJSON: String
    @Field(key: "title") var title: String
    /// Increases with every change; guards against two people changing the same submission.
    @Field(key: "revision") var revision: Int
    @Field(key: "published_version") var publishedVersion: Int
    /// True while a published version is shown to the public.
    @Field(key: "listed") var listed: Bool
    /// Row key of the search index (assigned at first publication, kept for good).
    @OptionalField(key: "search_seq") var searchSeq: Int64?
    @Field(key: "views") var views: Int
    @Field(key: "reuses") var reuses: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "first_published_at") var firstPublishedAt: Date?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?

    init() {}

    var status: SubmissionStatus {
        get { SubmissionStatus(rawValue: statusRaw) ?? .draft }
        set { statusRaw = newValue.rawValue }
    }

    func content() throws -> UseCaseContent {
        try JSONDecoder().decode(UseCaseContent.self, from: Data(contentJSON.utf8))
    }

    func setContent(_ content: UseCaseContent) throws {
        contentJSON = String(decoding: try Storage.encoder.encode(content), as: UTF8.self)
        title = content.title
    }
}

/// One published version, exactly as it was logged: never changed after it is written.
final class UseCaseVersionRecord: Model, @unchecked Sendable {
    static let schema = "usecase_versions"
    @ID(key: .id) var id: UUID?
    @Field(key: "usecase_id") var usecaseID: UUID
    @Field(key: "number") var number: String
    @Field(key: "version") var version: Int
    /// JSON of `PublishedUseCase`; its canonical SHA-256 is `contentHash` and is in the log entry.
    @Field(key: "record") var recordJSON: String
    @Field(key: "content_hash") var contentHash: String
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String
    @Field(key: "log_index") var logIndex: Int64
    @OptionalField(key: "note") var note: String?

    init() {}

    func record() throws -> PublishedUseCase {
        try JSONDecoder.iso.decode(PublishedUseCase.self, from: Data(recordJSON.utf8))
    }
}

/// One step of a submission's history (submitted, changes requested with the comment, published, …).
final class UseCaseReviewRecord: Model, @unchecked Sendable {
    static let schema = "usecase_reviews"
    @ID(key: .id) var id: UUID?
    @Field(key: "usecase_id") var usecaseID: UUID
    @Field(key: "action") var action: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "actor_label") var actorLabel: String
    @OptionalField(key: "actor_account_id") var actorAccountID: UUID?
    @Field(key: "at") var at: Date

    init() {}
}

/// A problem category of the editable taxonomy.
final class CategoryRecord: Model, @unchecked Sendable {
    static let schema = "usecase_categories"
    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name_ja") var nameJa: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "position") var position: Int
    @Field(key: "active") var active: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(slug: String, nameJa: String, nameEn: String, position: Int, at: Date) {
        self.slug = slug; self.nameJa = nameJa; self.nameEn = nameEn; self.position = position; self.active = true; self.updatedAt = at
    }

    func name(_ language: UILanguage) -> String { language == .ja ? nameJa : nameEn }
}

final class NeedRecord: Model, @unchecked Sendable {
    static let schema = "usecase_needs"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "content") var contentJSON: String
    @Field(key: "title") var title: String
    @Field(key: "industry") var industry: String
    @OptionalField(key: "category") var category: String?
    @OptionalField(key: "region") var region: String?
    /// `YYYY-MM-DD` (sorts as text on every database).
    @OptionalField(key: "deadline") var deadline: String?
    @Field(key: "status") var statusRaw: String
    @Field(key: "search_text") var searchText: String
    @Field(key: "responses") var responses: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "solved_by") var solvedBy: String?
    @OptionalField(key: "closing_note") var closingNote: String?

    init() {}

    var status: NeedStatus {
        get { NeedStatus(rawValue: statusRaw) ?? .open }
        set { statusRaw = newValue.rawValue }
    }

    func content() throws -> NeedContent {
        try JSONDecoder().decode(NeedContent.self, from: Data(contentJSON.utf8))
    }

    func setContent(_ content: NeedContent) throws {
        contentJSON = String(decoding: try Storage.encoder.encode(content), as: UTF8.self)
        title = content.title; industry = content.industry; category = content.category
        region = content.region; deadline = content.deadline?.iso; searchText = content.searchText()
    }
}

final class NeedResponseRecord: Model, @unchecked Sendable {
    static let schema = "usecase_need_responses"
    @ID(key: .id) var id: UUID?
    @Field(key: "need_id") var needID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "message") var message: String
    /// A published use case of the responder that shows what they offer.
    @OptionalField(key: "usecase_number") var usecaseNumber: String?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

enum Storage {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.format(date))
        }
        return encoder
    }()
}

extension JSONDecoder {
    static let iso: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time")
            }
            return date
        }
        return decoder
    }()
}
