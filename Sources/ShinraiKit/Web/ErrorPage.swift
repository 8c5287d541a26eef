import Foundation
import Hummingbird

/// The HTML error page (status, plain-language title, what to do, request id).
enum ErrorPage {
    static func render(_ problem: Problem, request: Request, context: AppContext, views: Views) -> Response {
        var response = views.page(
            Page("error", title: problem.title.text(context.language), values: [
                "status": Int(problem.status.code),
                "title": problem.title.text(context.language),
                "detail": problem.detail?.text(context.language) ?? "",
                "fieldErrors": problem.errors.map { ["detail": context.language == .ja ? ($0.detailJa ?? $0.detail) : $0.detail] },
                "showSignIn": problem.status == .unauthorized,
            ], status: problem.status),
            request: request, context: context)
        if let retryAfter = problem.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }
}
