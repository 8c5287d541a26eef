import Foundation
import Hummingbird
import Mustache

/// Renders Mustache templates inside the common page layout.
public struct Views: Sendable {
    public let library: MustacheLibrary
    public let catalogue: Catalogue
    /// Names of all loaded templates, for tests that check catalogue keys used by templates.
    public let templateSources: [String: String]

    /// Loads `*.mustache` from each directory; names must be unique across directories.
    public static func load(templateDirectories: [URL], localeDirectories: [URL]) throws -> Views {
        var library = MustacheLibrary()
        var sources: [String: String] = [:]
        for dir in templateDirectories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".mustache") {
                let name = String(file.dropLast(".mustache".count))
                precondition(sources[name] == nil, "template \(name) defined twice")
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                try library.register(text, named: name)
                sources[name] = text
            }
        }
        return Views(library: library, catalogue: try Catalogue.load(from: localeDirectories), templateSources: sources)
    }

    public func render(_ template: String, _ values: [String: Any]) -> String {
        guard let html = library.render(values, withTemplate: template) else {
            preconditionFailure("missing template \(template)")
        }
        return html
    }
}

/// What every page needs besides its own content: who is signed in, the language, the CSRF
/// token, breadcrumbs and the page title.
public struct Page {
    public var template: String
    public var title: String
    public var section: String?
    public var breadcrumbs: [(label: String, href: String?)]
    public var values: [String: Any]
    public var status: HTTPResponse.Status

    public init(_ template: String, title: String, section: String? = nil,
                breadcrumbs: [(label: String, href: String?)] = [], values: [String: Any] = [:],
                status: HTTPResponse.Status = .ok) {
        self.template = template; self.title = title; self.section = section
        self.breadcrumbs = breadcrumbs; self.values = values; self.status = status
    }
}

extension Views {
    /// Renders a full HTML page with the layout chrome for this request.
    public func page(_ page: Page, request: Request, context: AppContext) -> Response {
        let language = context.language
        var values = page.values
        let t = catalogue.tree(language)
        values["t"] = t
        values["lang"] = language.rawValue
        values["isJa"] = language == .ja
        values["pageTitle"] = page.title
        values["csrf"] = context.csrfToken
        values["requestId"] = context.id
        values["section_\(page.section ?? "home")"] = true
        values["unreadCount"] = context.unreadCount
        values["hasUnread"] = context.unreadCount > 0
        let path = request.uri.path
        values["currentPath"] = path
        values["langSwitchHref"] = Self.languageSwitchHref(request: request, to: language == .ja ? .en : .ja)
        values["langSwitchLabel"] = language == .ja ? "English" : "日本語"
        values["langSwitchLang"] = language == .ja ? "en" : "ja"
        if let identity = context.identity {
            values["user"] = [
                "name": identity.displayName, "email": identity.email,
                "roleLabel": catalogue.text("roles.\(identity.role.rawValue)", language),
                "organisation": identity.organisationName ?? "",
                "isAdmin": identity.isAdmin, "isReviewer": identity.isReviewer,
            ] as [String: Any]
        }
        var crumbs: [[String: Any]] = [["label": catalogue.text("nav.home", language), "href": "/"]]
        for crumb in page.breadcrumbs {
            crumbs.append(["label": crumb.label, "href": crumb.href as Any, "hasHref": crumb.href != nil])
        }
        crumbs[0]["hasHref"] = true
        if page.breadcrumbs.isEmpty { crumbs = [] }
        if !crumbs.isEmpty { crumbs[crumbs.count - 1]["current"] = true }
        values["breadcrumbs"] = crumbs
        values["hasBreadcrumbs"] = !crumbs.isEmpty
        let html = render(page.template, values)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: page.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func languageSwitchHref(request: Request, to language: UILanguage) -> String {
        var items = request.uri.queryParameters.filter { $0.key != "lang" }.map { (String($0.key), String($0.value)) }
        items.append(("lang", language.rawValue))
        return request.uri.path + "?" + URLQuery.build(items)
    }
}
