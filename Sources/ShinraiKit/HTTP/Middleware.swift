import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

public enum CookieName {
    public static let session = "shinrai_session"
    public static let csrf = "shinrai_csrf"
    public static let language = "shinrai_lang"
}

/// Outermost: request id, security headers, and a last-resort error net that never shows
/// internals.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: error))")
            response = Problem.internalError.response(instance: request.uri.path, requestID: context.id)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        return response
    }
}

/// Chooses the language, identifies the caller (session cookie on the web, bearer token on
/// the API) and provides the CSRF token for forms.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: Services

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        let isAPI = request.uri.path.hasPrefix("/api/")
        var setLanguage: UILanguage?
        if let raw = request.uri.queryParameters["lang"], let language = UILanguage(rawValue: String(raw)) {
            context.language = language
            setLanguage = language
        } else if let raw = request.cookies[CookieName.language]?.value, let language = UILanguage(rawValue: raw) {
            context.language = language
        }
        var newCSRFCookie: String?
        var rateUsage: APIRateLimit.Usage?
        let accounts = AccountService(services)
        if isAPI {
            if let authorization = request.headers[.authorization] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer",
                      let identity = try await accounts.identity(bearer: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                    var response = Problem(status: .unauthorized, slug: "invalid-token",
                                           title: .init(ja: "トークンが無効です", en: "Invalid token"),
                                           detail: .init(ja: "APIトークンが無効か、失効しています。", en: "The bearer token is unknown or revoked."))
                        .response(instance: request.uri.path, requestID: context.id)
                    response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
                    return response
                }
                context.identity = identity
                // Counted only once the token is known: unknown tokens are refused above and
                // anonymous requests stay open.
                let limit = APIRateLimit(services)
                if limit.isEnabled, let tokenID = identity.tokenID {
                    let usage = try await limit.record(tokenID: tokenID, at: services.now)
                    if usage.exceeded {
                        var response = Problem.rateLimited(limit: usage.limit, retryAfter: usage.resetSeconds)
                            .response(instance: request.uri.path, requestID: context.id)
                        usage.apply(to: &response.headers)
                        return response
                    }
                    rateUsage = usage
                }
            }
        } else {
            if let token = request.cookies[CookieName.session]?.value, let (identity, csrf) = try await accounts.identity(sessionToken: token) {
                context.identity = identity
                context.csrfToken = csrf
                context.unreadCount = try await Notifications.unreadCount(identity.accountID, on: services.db)
            } else if let token = request.cookies[CookieName.csrf]?.value, token.count >= 32 {
                context.csrfToken = token
            } else {
                let token = AccountService.randomToken()
                context.csrfToken = token
                newCSRFCookie = token
            }
        }
        var response = try await next(request, context)
        rateUsage?.apply(to: &response.headers)
        if let language = setLanguage {
            response.setCookie(Cookie(name: CookieName.language, value: language.rawValue, maxAge: 365 * 86400, path: "/",
                                      secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
        }
        if let token = newCSRFCookie {
            response.setCookie(Cookie(name: CookieName.csrf, value: token, path: "/", secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// Turns errors into problem JSON on the API and a localized error page on the web.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: Services

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, logger: context.logger)
            if request.uri.path.hasPrefix("/api/") {
                return problem.response(instance: request.uri.path, requestID: context.id)
            }
            if problem.status == .unauthorized && request.method == .get {
                // Browsers go to the sign-in page and come back afterwards.
                let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
                return Response(status: .seeOther, headers: [.location: "/login?next=\(URLQuery.encode(next))"])
            }
            return ErrorPage.render(problem, request: request, context: context, views: services.views)
        }
    }

    static func problem(for error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .noRoute
            case .contentTooLarge: return .tooLarge
            case .methodNotAllowed:
                return Problem(status: .methodNotAllowed, slug: "method-not-allowed", title: .init(ja: "このメソッドは使えません", en: "Method not allowed"))
            case .badRequest:
                return .badRequest(.init(ja: "リクエストを読み取れませんでした。", en: "The request could not be read."))
            default:
                logger.error("http error \(error.status): \(error.body ?? "")")
                return error.status.code >= 500 ? .internalError : Problem(status: error.status, slug: "http-\(error.status.code)", title: .init(ja: error.status.reasonPhrase, en: error.status.reasonPhrase))
            }
        case let error as JSONInputError:
            return .validation(error.errors)
        default:
            logger.error("internal error: \(String(reflecting: error))")
            return .internalError
        }
    }
}

/// Every unsafe browser request must echo the CSRF token. API requests authenticate with
/// bearer tokens, which browsers never attach on their own, so they are exempt.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let limit: Int
    /// Forms that send files may be larger.
    let uploadLimit: Int

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), !request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        var request = request
        let buffer: ByteBuffer
        let multipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") ?? false
        do { buffer = try await request.body.collect(upTo: multipart ? uploadLimit : limit) } catch { throw Problem.tooLarge }
        request.body = .init(buffer: buffer)
        let form = FormData(buffer: buffer, contentType: request.headers[.contentType])
        guard let sent = form.first("_csrf"), !context.csrfToken.isEmpty, constantTimeEquals(sent, context.csrfToken) else {
            throw Problem.csrf
        }
        return try await next(request, context)
    }

    func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
