import Foundation
import HTTPTypes
import Hummingbird

/// An error the user can act on. Rendered as RFC 9457 problem JSON on the API and as an
/// error page (or a form error summary) on the web. Never carries internal details.
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// Slug of the problem type; the `type` member is `/problems/<slug>`.
    public var slug: String
    public var title: LocalizedText
    public var detail: LocalizedText?
    public var errors: [FieldError]
    /// Seconds for `Retry-After` (throttling).
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, slug: String, title: LocalizedText, detail: LocalizedText? = nil,
                errors: [FieldError] = [], retryAfter: Int? = nil) {
        self.status = status; self.slug = slug; self.title = title; self.detail = detail
        self.errors = errors; self.retryAfter = retryAfter
    }

    public static let unauthenticated = Problem(status: .unauthorized, slug: "unauthenticated",
        title: .init(ja: "サインインが必要です", en: "Sign-in required"),
        detail: .init(ja: "このページを使うにはサインインしてください。", en: "Sign in (or send a valid bearer token) to use this resource."))
    public static let forbidden = Problem(status: .forbidden, slug: "forbidden",
        title: .init(ja: "権限がありません", en: "Not allowed"),
        detail: .init(ja: "この操作を行う権限がありません。", en: "Your account is not allowed to do this."))
    public static let notFound = Problem(status: .notFound, slug: "not-found",
        title: .init(ja: "見つかりません", en: "Not found"),
        detail: .init(ja: "お探しの記録は見つかりませんでした。", en: "The record does not exist or is not visible to you."))
    public static let noRoute = Problem(status: .notFound, slug: "no-route",
        title: .init(ja: "ページが見つかりません", en: "Page not found"),
        detail: .init(ja: "URLをお確かめください。", en: "No page or endpoint has this address."))
    public static let csrf = Problem(status: .forbidden, slug: "csrf",
        title: .init(ja: "フォームの有効期限が切れました", en: "The form has expired"),
        detail: .init(ja: "ページを再読み込みしてから、もう一度送信してください。", en: "Reload the page and submit the form again."))
    public static let tooLarge = Problem(status: .contentTooLarge, slug: "too-large",
        title: .init(ja: "送信データが大きすぎます", en: "Request body too large"))
    public static let unsupportedMediaType = Problem(status: .unsupportedMediaType, slug: "unsupported-media-type",
        title: .init(ja: "形式が違います", en: "Unsupported media type"),
        detail: .init(ja: "Content-Type: application/json で送信してください。", en: "Send the body as Content-Type: application/json."))
    public static let internalError = Problem(status: .internalServerError, slug: "internal",
        title: .init(ja: "システムエラーが発生しました", en: "Something went wrong"),
        detail: .init(ja: "時間をおいてもう一度お試しください。問題が続く場合は、リクエストIDを添えて運営者に連絡してください。",
                      en: "Try again later. If it keeps happening, contact the operator with the request id."))

    public static func badRequest(_ detail: LocalizedText, errors: [FieldError] = []) -> Problem {
        Problem(status: .badRequest, slug: "bad-request", title: .init(ja: "リクエストが正しくありません", en: "Bad request"), detail: detail, errors: errors)
    }

    public static func validation(_ errors: [FieldError], detail: LocalizedText? = nil) -> Problem {
        Problem(status: .unprocessableContent, slug: "validation",
                title: .init(ja: "入力内容を確認してください", en: "Some fields need attention"),
                detail: detail ?? .init(ja: "\(errors.count)件の項目に問題があります。", en: "\(errors.count) field(s) need attention."),
                errors: errors)
    }

    public static func conflict(_ detail: LocalizedText, errors: [FieldError] = []) -> Problem {
        Problem(status: .conflict, slug: "conflict", title: .init(ja: "現在の状態ではできません", en: "Conflict"), detail: detail, errors: errors)
    }

    public static func tooManyRequests(retryAfter seconds: Int) -> Problem {
        Problem(status: .tooManyRequests, slug: "too-many-requests",
                title: .init(ja: "試行回数が多すぎます", en: "Too many attempts"),
                detail: .init(ja: "しばらく（約\(max(1, seconds / 60))分）待ってから、もう一度お試しください。",
                              en: "Wait about \(max(1, seconds / 60)) minute(s) and try again."),
                retryAfter: seconds)
    }

    /// The API token has used its requests for this window (`APIRateLimit`).
    public static func rateLimited(limit: Int, retryAfter seconds: Int) -> Problem {
        Problem(status: .tooManyRequests, slug: "rate-limited",
                title: .init(ja: "リクエストが多すぎます", en: "Too many requests"),
                detail: .init(ja: "このAPIトークンで送信できるリクエストは1分間に\(limit)件までです。\(seconds)秒後にもう一度お試しください。",
                              en: "This API token may send \(limit) requests per minute. Try again in \(seconds) second(s)."),
                retryAfter: seconds)
    }
}

/// A pair of Japanese and English texts for messages produced in code.
public struct LocalizedText: Sendable, Equatable, Codable {
    public var ja: String
    public var en: String
    public init(ja: String, en: String) { self.ja = ja; self.en = en }
    public func text(_ language: UILanguage) -> String { language == .ja ? ja : en }
}

/// RFC 9457 body.
struct ProblemDocument: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var requestId: String?
    var errors: [FieldError]?
}

extension Problem {
    func document(instance: String?, requestID: String?) -> ProblemDocument {
        ProblemDocument(type: "/problems/\(slug)", title: title.en, status: Int(status.code), detail: detail?.en,
                        instance: instance, requestId: requestID, errors: errors.isEmpty ? nil : errors)
    }

    func response(instance: String?, requestID: String?) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document(instance: instance, requestID: requestID))) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
