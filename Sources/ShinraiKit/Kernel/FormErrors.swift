import Foundation

/// Field errors of a failed form, shaped for the error summary and the fields.
public struct FormErrors {
    public let items: [FieldError]
    public let language: UILanguage

    public init(_ problem: Problem, language: UILanguage) {
        self.language = language
        if problem.errors.isEmpty {
            items = [FieldError(pointer: "", code: problem.slug, detail: problem.detail?.en ?? problem.title.en,
                                detailJa: problem.detail?.ja ?? problem.title.ja)]
        } else {
            items = problem.errors
        }
    }

    static func field(_ pointer: String) -> String {
        pointer.split(separator: "/").first.map(String.init) ?? ""
    }

    func message(_ error: FieldError) -> String { language == .ja ? (error.detailJa ?? error.detail) : error.detail }

    /// Values for the templates: `errorSummary` (list with anchors) and `error_<field>` messages.
    public var values: [String: Any] {
        var out: [String: Any] = [
            "hasErrors": true,
            "errorSummary": items.map { error -> [String: Any] in
                let field = Self.field(error.pointer)
                return ["field": field, "hasField": !field.isEmpty, "message": message(error)]
            },
        ]
        for error in items {
            let field = Self.field(error.pointer)
            guard !field.isEmpty, out["error_\(field)"] == nil else { continue }
            out["error_\(field)"] = message(error)
        }
        return out
    }
}
