import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// The browser pages of the module. Handlers translate HTTP to service calls; every string
/// comes from the `sovereignty` catalogue.
struct SovereigntyWeb {
    let service: SovereigntyService
    var services: Services { service.services }
    var views: Views { services.views }
    var limit: Int { services.config.maxBodyBytes }

    /// The module's stylesheet (served by the module, so the platform stylesheet stays untouched).
    static let stylesheet: Data = {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("static/sovereignty.css") else { return Data() }
        return (try? Data(contentsOf: url)) ?? Data()
    }()

    func register(_ routes: Routes) {
        routes.get("/sovereignty/sovereignty.css") { request, _ in
            API.cacheable(Self.stylesheet, contentType: "text/css; charset=utf-8", request: request)
        }
        registerPublic(routes)
        registerVendorForms(routes)
        registerDeclarations(routes)
        registerAdministration(routes)
    }

    // MARK: helpers

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text("sovereignty.\(key)", context.language) }

    /// A page in the security pillar with the module's breadcrumb first.
    func page(_ template: String, title: String, crumbs: [(String, String?)] = [], values: [String: Any], status: HTTPResponse.Status = .ok,
              _ request: Request, _ context: AppContext) -> Response {
        let root = (t("title", context), Optional("/sovereignty"))
        let trail: [(label: String, href: String?)] = template == "sovereignty-dashboard" ? [(t("title", context), nil)]
            : [root] + crumbs.map { ($0.0, $0.1) } + [(title, nil)]
        return views.page(Page(template, title: title, section: "security", breadcrumbs: trail, values: values, status: status),
                          request: request, context: context)
    }

    static func redirect(_ path: String) -> Response { Response(status: .seeOther, headers: [.location: path]) }

    static func query(_ request: Request) -> [String: String] { SovereigntyAPI.query(request) }

    /// Values for a re-rendered form: the error summary and per-field messages.
    static func errorValues(_ problem: Problem?, _ context: AppContext) -> [String: Any] {
        guard let problem else { return [:] }
        return FormErrors(problem, language: context.language).values
    }

    func identity(_ context: AppContext) throws -> Identity { try context.requireIdentity() }

    /// Lists typed as `JP, US` become arrays of codes (validated by the service).
    static func list(_ text: String?) -> [String] {
        (text ?? "").components(separatedBy: CharacterSet(charactersIn: ",、，;； \t\n")).filter { !$0.isEmpty }
    }

    static func optionalText(_ form: FormData, _ name: String) -> String? { form.text(name) }

    /// Errors found while reading a form followed by the service's errors for other fields
    /// (one message per field: the form's comes first).
    static func merge(_ formErrors: [FieldError], _ fieldErrors: [FieldError]) -> [FieldError] {
        let pointers = Set(formErrors.map(\.pointer))
        return formErrors + fieldErrors.filter { !pointers.contains($0.pointer) }
    }

    /// A whole number typed in a form (commas, 円 and full-width digits allowed); nil when empty.
    static func number(_ form: FormData, _ name: String, pointer: String, into errors: inout ValidationErrors) -> Int64? {
        DeclarationCSV.number(form.text(name) ?? "", pointer, into: &errors)
    }
}

/// Display formats.
enum Format {
    static func yen(_ value: Int64?, _ language: UILanguage) -> String {
        guard let value else { return "—" }
        let digits = grouped(value)
        return language == .ja ? "\(digits)円" : "¥\(digits)"
    }

    static func grouped(_ value: Int64) -> String {
        var digits = String(value.magnitude)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits = String(digits.dropLast(3))
        }
        return (value < 0 ? "-" : "") + digits + out
    }

    static func grouped(_ value: Int) -> String { grouped(Int64(value)) }

    static func percent(_ bp: Int?) -> String { bp.map(BasisPoints.percent) ?? "—" }

    static func points(_ bp: Int?, _ language: UILanguage) -> String {
        guard let bp else { return "—" }
        return BasisPoints.points(bp) + (language == .ja ? "ポイント" : " pt")
    }

    static func score(_ bp: Int) -> String {
        let whole = bp / 10000, fraction = bp % 10000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func date(_ date: Date, _ language: UILanguage) -> String { JapaneseDate.long(date, language: language) }
}
