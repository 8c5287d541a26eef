import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Helpers shared by the module's pages.
struct WebKit {
    let services: Services
    var views: Views { services.views }
    var today: LocalDate { JapanTime.date(of: services.now) }

    func t(_ key: String, _ context: AppContext) -> String { views.catalogue.text(key, context.language) }

    /// `名前（補足）` in Japanese, `name (aside)` in English.
    func paren(_ text: String, _ aside: String, _ context: AppContext) -> String {
        context.language == .ja ? "\(text)（\(aside)）" : "\(text) (\(aside))"
    }

    /// A list in running text: `東京都、大阪府` / `Tokyo, Osaka`.
    func join(_ items: [String], _ context: AppContext) -> String { items.joined(separator: context.language == .ja ? "、" : ", ") }

    /// A text that names the report cycle: `{months}`, `{grace}` and `{notice}` are filled from the parameters.
    func cycleText(_ key: String, _ context: AppContext) async throws -> String {
        let settings = try await CloudSettings.load(on: services.db)
        return t(key, context).replacingOccurrences(of: "{months}", with: String(settings.reportIntervalMonths))
            .replacingOccurrences(of: "{grace}", with: String(settings.reportGraceDays)).replacingOccurrences(of: "{notice}", with: String(settings.reportNoticeDays))
    }

    /// `2027年10月15日（令和9年）` / `15 October 2027` for a stored `YYYY-MM-DD`.
    func date(_ iso: String?, _ context: AppContext) -> String {
        guard let iso, let d = LocalDate(iso) else { return "—" }
        return JapaneseDate.long(year: d.year, month: d.month, day: d.day, language: context.language)
    }

    func dateTime(_ date: Date?, _ context: AppContext) -> String {
        guard let date else { return "—" }
        return JapaneseDate.dateTime(date, language: context.language)
    }

    func yen(_ value: Int, _ context: AppContext) -> String {
        let text = SVGChart.defaultFormat(Double(value))
        return context.language == .ja ? "\(text)円" : "¥\(text)"
    }

    func status(_ list: CloudList, _ status: String, _ context: AppContext) -> String {
        let group = list == .ready ? "ready" : list == .fastTrack ? "fastTrack" : "registration"
        return t("cloud.status.\(group).\(status)", context)
    }

    func listName(_ list: String, _ context: AppContext) -> String {
        t("cloud.lists.\(list == "fast-track" ? "fastTrack" : list)", context)
    }

    /// Drops empty strings: Mustache renders a section for any string, even an empty one.
    static func nonEmpty(_ values: [String: Any]) -> [String: Any] {
        values.filter { !(($0.value as? String)?.isEmpty ?? false) }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    func page(_ template: String, title: String, crumbs: [(String, String?)], values: [String: Any], status: HTTPResponse.Status = .ok,
              request: Request, context: AppContext) -> Response {
        var values = values
        values["cloudNav"] = navigation(context, path: request.uri.path)
        // Brackets around asides: full-width in Japanese, " (…)" in English.
        values["lp"] = context.language == .ja ? "（" : " ("
        values["rp"] = context.language == .ja ? "）" : ")"
        values["sep"] = context.language == .ja ? "、" : ", "
        return views.page(Page(template, title: title, section: "security", breadcrumbs: [(t("cloud.title", context), "/cloud")] + crumbs.map { ($0.0, $0.1) },
                               values: values, status: status), request: request, context: context)
    }

    func navigation(_ context: AppContext, path: String) -> [[String: Any]] {
        var items: [(String, String)] = CloudList.allCases.map { ("/cloud/lists/\($0.slug)", listName($0.rawValue, context)) }
        items += [("/cloud/catalogues", t("cloud.nav.catalogues", context)), ("/cloud/audit-scope", t("cloud.nav.auditScope", context)),
                  ("/cloud/applicability", t("cloud.nav.applicability", context)), ("/cloud/statistics", t("cloud.nav.statistics", context))]
        if context.identity != nil { items.append(("/cloud/my", t("cloud.nav.my", context))) }
        if context.identity?.isReviewer == true { items.append(("/cloud/review", t("cloud.nav.review", context))) }
        if context.identity?.isAdmin == true { items.append(("/cloud/admin", t("cloud.nav.admin", context))) }
        return items.map { ["href": $0.0, "label": $0.1, "current": path == $0.0] }
    }

    /// Status history rows with links to the transparency log.
    func history(_ events: [StatusEventDTO], _ context: AppContext) -> [[String: Any]] {
        events.map { e in
            let list = CloudList(rawValue: e.list) ?? .ismap
            var row: [String: Any] = [
                "date": dateTime(e.at, context), "list": listName(e.list, context), "record": e.recordNumber,
                "from": e.from.map { status(list, $0, context) } ?? "—", "to": status(list, e.to, context),
                "event": t("cloud.event.\(e.event)", context), "reason": e.reason ?? "", "hasReason": (e.reason ?? "").isEmpty == false,
                "private": !e.isPublic,
            ]
            if let index = e.logIndex {
                row["logIndex"] = String(index)
                row["logHref"] = "/log/entries/\(index)"
                row["proofHref"] = "/api/v1/log/proof/inclusion?index=\(index)"
            }
            return row
        }
    }

    struct Action {
        var event: String
        var action: String
        var needsReason = false
        var needsReference = false
        var secondary = false
        var extra: [(String, String)] = []
        /// Options for a select (e.g. the question set at grant).
        var choices: [(value: String, label: String)] = []
        var choiceName = ""
    }

    func actions(_ items: [Action], _ context: AppContext) -> [[String: Any]] {
        items.map { a in
            [
                "label": t("cloud.event.\(a.event)", context), "action": a.action, "event": a.event, "needsReason": a.needsReason,
                "needsReference": a.needsReference, "secondary": a.secondary, "id": "act-\(a.event)",
                "hint": t("cloud.eventHint.\(a.event)", context),
                "extra": a.extra.map { ["name": $0.0, "value": $0.1] },
                "hasChoices": !a.choices.isEmpty, "choiceName": a.choiceName,
                "choices": a.choices.map { ["value": $0.value, "label": $0.label] },
            ]
        }
    }
}

/// An accessible form rendered by `cloud-form.mustache`: labels, hints, an error summary at the
/// top linking to each field, and the errors beside the fields.
struct FormSpec {
    enum Kind { case text, email, date, number, url, textarea, select, checkbox, checkboxes, radios }

    struct Field {
        var name: String
        var label: String
        var kind: Kind = .text
        var value: String = ""
        var hint: String?
        var options: [(value: String, label: String)] = []
        /// Selected values of checkbox groups.
        var selected: Set<String> = []
        var maxLength: Int?
        var lang: String?
        var inputMode: String?
    }

    var heading: String
    var intro: String?
    var action: String
    var submit: String
    var fields: [Field]
    var cancel: (href: String, label: String)?
    var notes: [String] = []

    func values(problem: Problem?, language: UILanguage) -> [String: Any] {
        var messages: [String: String] = [:]
        var out: [String: Any] = ["heading": heading, "hasIntro": intro != nil, "action": action, "submit": submit,
                                  "notes": notes, "hasNotes": !notes.isEmpty]
        if let intro { out["intro"] = intro }
        if let cancel { out["cancelHref"] = cancel.href; out["cancelLabel"] = cancel.label }
        if let problem {
            let errors = FormErrors(problem, language: language)
            out.merge(errors.values) { $1 }
            for item in errors.items {
                let field = item.pointer.split(separator: "/").first.map(String.init) ?? ""
                if messages[field] == nil { messages[field] = language == .ja ? (item.detailJa ?? item.detail) : item.detail }
            }
        }
        out["fields"] = fields.map { f -> [String: Any] in
            var row: [String: Any] = ["name": f.name, "label": f.label, "value": f.value, "hasHint": f.hint != nil]
            // Absent values must be absent keys: Mustache renders a section for a nil inside `Any`.
            if let hint = f.hint { row["hint"] = hint }
            if let maxLength = f.maxLength { row["maxLength"] = maxLength }
            if let lang = f.lang { row["lang"] = lang }
            if let inputMode = f.inputMode { row["inputMode"] = inputMode }
            switch f.kind {
            case .text, .email, .date, .number, .url:
                row["isInput"] = true
                row["inputType"] = f.kind == .email ? "email" : f.kind == .date ? "date" : f.kind == .number ? "number" : f.kind == .url ? "url" : "text"
            case .textarea: row["isTextarea"] = true
            case .select:
                row["isSelect"] = true
                row["options"] = f.options.map { ["value": $0.value, "label": $0.label, "selected": $0.value == f.value] }
            case .checkbox:
                row["isCheckbox"] = true
                row["checked"] = f.value == "true"
            case .checkboxes, .radios:
                row["isFieldset"] = true
                row["inputType"] = f.kind == .radios ? "radio" : "checkbox"
                row["options"] = f.options.enumerated().map { i, o in
                    ["value": o.value, "label": o.label, "checked": f.selected.contains(o.value) || (f.kind == .radios && o.value == f.value), "index": i]
                }
            }
            if let message = messages[f.name] { row["error"] = message }
            return row
        }
        return out
    }
}

extension FormData {
    /// Every value of a repeated field (checkbox groups), trimmed, without empties.
    func list(_ name: String) -> [String] {
        all(name).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
    func flag(_ name: String) -> Bool { ["true", "on", "yes", "1"].contains(first(name) ?? "") }
}

extension Problem {
    /// The same problem with its field pointers renamed (domain pointers to form field names).
    func renamed(_ map: (String) -> String) -> Problem {
        var copy = self
        copy.errors = errors.map { FieldError(pointer: map($0.pointer), code: $0.code, detail: $0.detail, detailJa: $0.detailJa) }
        return copy
    }
}
