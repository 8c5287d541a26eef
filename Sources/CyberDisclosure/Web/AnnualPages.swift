import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Annual cyber disclosure pages: list, the six items with the SEC cross-reference, the form, and the free-text import.
extension DisclosureWebRoutes {
    func registerAnnualPages(_ routes: Routes) {
        routes.get("/disclosure/annual") { request, context in try await annualList(request, context) }
        routes.post("/disclosure/annual") { request, context in
            let identity = try context.requireIdentity()
            let form = try await FormData.read(request, limit: limit)
            do {
                guard let year = Int(form.first("fiscalYear") ?? "") else {
                    throw Problem.validation([FieldError(pointer: "/fiscalYear", code: FieldError.Code.missing, detail: "Choose the fiscal year.", detailJa: "年度を選んでください。")])
                }
                let annual = try await annuals.create(.init(fiscalYear: year, content: nil), identity: identity)
                return Self.redirect("/disclosure/annual/\(annual.id!)/edit")
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                // The fiscal year is chosen on the company page, which shows why it was refused.
                return Self.redirect("/disclosure/my?error=\(problem.status == .conflict ? "annualExists" : "annualYear")")
            }
        }
        routes.get("/disclosure/annual/{id}") { request, context in try await annualPage(request, context, problem: nil) }
        routes.get("/disclosure/annual/{id}/edit") { request, context in
            let (annual, snapshot) = try await editableAnnual(context)
            return annualForm(request, context, snapshot: snapshot, values: AnnualForm.values(snapshot.draft ?? snapshot.latest ?? AnnualContent()),
                              problem: nil, annual: annual)
        }
        routes.post("/disclosure/annual/{id}/edit") { request, context in
            let (annual, snapshot) = try await editableAnnual(context)
            let identity = try context.require(.member)
            let form = try await FormData.read(request, limit: limit)
            let parsed = AnnualForm(form)
            do {
                try await annuals.update(annual, content: try parsed.parse(), identity: identity)
                if form.first("action") == "submit" {
                    guard let fresh = try await AnnualDisclosure.find(annual.id!, on: services.db) else { throw Problem.notFound }
                    try await annuals.submit(fresh, identity: identity)
                    return Self.redirect("/disclosure/annual/\(annual.id!)?done=annualPublished")
                }
                return Self.redirect("/disclosure/annual/\(annual.id!)?done=saved")
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return annualForm(request, context, snapshot: snapshot, values: parsed.values, problem: problem, annual: annual)
            }
        }
        routes.post("/disclosure/annual/{id}/submit") { request, context in
            let (annual, snapshot) = try await editableAnnual(context)
            let identity = try context.require(.member)
            do { try await annuals.submit(annual, identity: identity) } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return annualForm(request, context, snapshot: snapshot, values: AnnualForm.values(snapshot.draft ?? AnnualContent()), problem: problem, annual: annual)
            }
            return Self.redirect("/disclosure/annual/\(annual.id!)?done=annualPublished")
        }
        routes.get("/disclosure/annual/{id}/import") { request, context in
            importPage(request, context, target: try await editableAnnual(context), text: "", proposals: nil, problem: nil)
        }
        routes.post("/disclosure/annual/{id}/import") { request, context in
            try await classifyPasted(request, context, target: try await editableAnnual(context))
        }
        // Reviewers read how a securities report's section covers the six items (proposals only:
        // reviewers never write a company's filing).
        routes.get("/disclosure/import") { request, context in
            try context.require(.reviewer)
            return importPage(request, context, target: nil, text: "", proposals: nil, problem: nil)
        }
        routes.post("/disclosure/import") { request, context in
            try context.require(.reviewer)
            return try await classifyPasted(request, context, target: nil)
        }
        routes.post("/disclosure/annual/{id}/import/apply") { request, context in
            let (annual, _) = try await editableAnnual(context)
            let identity = try context.require(.member)
            let form = try await FormData.read(request, limit: limit)
            // Fields come as p<i>.text / p<i>.item for passages and f<i>.* for figures, in page order.
            func indexes(_ prefix: String, _ suffix: String) -> [Int] {
                form.pairs.compactMap { pair in
                    guard pair.0.hasPrefix(prefix), pair.0.hasSuffix(suffix) else { return nil }
                    return Int(pair.0.dropFirst(prefix.count).dropLast(suffix.count))
                }
            }
            var passages: [AnnualService.ImportPassage] = []
            for index in indexes("p", ".text").prefix(PassageClassifier.maxPassages) {
                if let text = form.first("p\(index).text"), let item = AnnualItem(rawValue: form.first("p\(index).item") ?? "") {
                    passages.append(.init(text: text, item: item))
                }
            }
            var figures: [AnnualService.ImportFigure] = []
            for index in indexes("f", ".key").prefix(50) {
                guard let key = form.first("f\(index).key"), form.first("f\(index).use") == "on",
                      let item = AnnualItem(rawValue: form.first("f\(index).item") ?? ""), item.figure(key) != nil,
                      let value = IncidentForm.integer(form.first("f\(index).value") ?? "") else { continue }
                figures.append(.init(item: item, key: key, value: .number(value)))
            }
            try await annuals.applyImport(annual, .init(passages: passages, figures: figures), identity: identity)
            return Self.redirect("/disclosure/annual/\(annual.id!)/edit?done=passagesImported")
        }
    }

    func editableAnnual(_ context: AppContext) async throws -> (AnnualDisclosure, AnnualService.Snapshot) {
        let identity = try context.require(.member)
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let annual = try await annuals.find(id, identity: identity)
        guard AnnualService.canEdit(annual, identity) else { throw Problem.forbidden }
        return (annual, try await annuals.snapshot(annual))
    }

    func annualList(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try ShinraiKit.PageRequest.parse(request)
        let year = request.uri.queryParameters["fiscalYear"].flatMap { Int(String($0)) }.flatMap { (2000...2099).contains($0) ? $0 : nil }
        let (items, total) = try await annuals.publicList(.init(fiscalYear: year), page: page)
        let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: services.db)
        let rows = items.compactMap { annual -> [String: Any]? in
            guard let company = byID[annual.companyID] else { return nil }
            return ["code": company.securitiesCode, "company": company.displayName(context.language), "href": "/disclosure/annual/\(annual.id!)",
                    "fiscalYear": FiscalYear.label(annual.fiscalYear, endMonth: company.fiscalYearEndMonth, context.language),
                    "published": when(annual.latestPublishedAt, context), "version": annual.latestVersion]
        }
        return render("annual-list", title: t("annual.title", context), crumbs: [(t("annual.title", context), nil)], values: [
            "rows": rows, "hasRows": !rows.isEmpty, "total": total, "year": year.map(String.init) ?? "",
            "pager": Pager(page: page, total: total, path: "/disclosure/annual", query: year.map { [("fiscalYear", String($0))] } ?? []).values(context, views),
        ], request, context)
    }

    func itemViews(_ content: AnnualContent, _ context: AppContext, levels: [Int]?) -> [[String: Any]] {
        AnnualItem.allCases.enumerated().map { offset, item in
            let part = content[item]
            let figures = item.figures.compactMap { figure -> [String: Any]? in
                guard let value = part.figures[figure.key] else { return nil }
                return ["label": figure.label(context.language), "value": value.text(context.language, kind: figure.kind)]
            }
            let sec = SECCrossReference.filled(item, content: part)
            var view: [String: Any] = [
                "number": item.number, "label": item.label(context.language), "text": part.text ?? "", "hasText": part.text != nil,
                "figures": figures, "hasFigures": !figures.isEmpty, "secItems": sec.regulationSK.joined(separator: ", "),
                "secTopic": sec.topic, "secCoverage": t("annual.coverage.\(sec.coverage)", context),
                "xbrl": sec.xbrl.map { ["name": $0.name, "value": $0.value.map { $0 ? "true" : "false" } ?? "—"] },
            ]
            if let levels { view["level"] = levels[offset]; view["levelText"] = t("survey.level\(levels[offset])", context) }
            return view
        }
    }

    func annualPage(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let annual = try await annuals.find(id, identity: context.identity)
        let snapshot = try await annuals.snapshot(annual)
        let insider = context.identity?.canAccess(organisation: annual.organisationID) ?? false
        let editor = AnnualService.canEdit(annual, context.identity)
        let company = snapshot.company
        var values: [String: Any] = notice(request, context, allowed: ["annualPublished", "saved"])
        values["company"] = companyRow(company, context)
        values["fiscalYear"] = FiscalYear.label(annual.fiscalYear, endMonth: company.fiscalYearEndMonth, context.language)
        values["number"] = AnnualService.number(company, annual.fiscalYear)
        values["isPublished"] = annual.latestVersion > 0
        values["editor"] = editor
        values["editHref"] = "/disclosure/annual/\(annual.id!)/edit"
        values["importHref"] = "/disclosure/annual/\(annual.id!)/import"
        values["submitAction"] = "/disclosure/annual/\(annual.id!)/submit"
        values["apiHref"] = "/api/v1/disclosure/annual/\(annual.id!)"
        let (rubricVersion, rubric) = try await surveys.currentRubric()
        if let latest = snapshot.latest {
            let score = rubric.score(latest)
            values["items"] = itemViews(latest, context, levels: score.levels)
            values["score"] = ["total": score.total, "maximum": score.maximum, "percent": SVGChart.defaultFormat(score.percent),
                               "rubricVersion": rubricVersion].merging(stars(score.stars, context)) { $1 }
            let published = try await annuals.publishedIncidentCount(company: company, fiscalYear: annual.fiscalYear)
            if case .number(let stated)? = latest.seriousIncidents.figures["seriousIncidents"], stated < published {
                values["incidentGap"] = t("annual.incidentGap", context).replacingOccurrences(of: "{stated}", with: String(stated))
                    .replacingOccurrences(of: "{published}", with: String(published))
            }
        }
        if insider, let draft = snapshot.draft {
            values["draft"] = ["items": itemViews(draft, context, levels: rubric.score(draft).levels),
                               "missing": draft.submissionProblems().map { $0.detail(context.language) }, "hasMissing": !draft.submissionProblems().isEmpty]
        }
        values["versions"] = snapshot.versions.reversed().map { ["version": $0.version, "published": when($0.publishedAt, context), "logIndex": $0.logIndex,
                                                                  "logHref": "/log/entries/\($0.logIndex)", "proofHref": "/api/v1/log/proof/inclusion?index=\($0.logIndex)"] }
        values["hasVersions"] = !snapshot.versions.isEmpty
        if let problem { values.merge(formErrors(problem, context)) { $1 } }
        return render("annual", title: "\(company.displayName(context.language)) \(values["fiscalYear"] as? String ?? "")",
                      crumbs: [(t("annual.title", context), "/disclosure/annual"), (AnnualService.number(company, annual.fiscalYear), nil)],
                      values: values, status: problem?.status ?? .ok, request, context)
    }

    func annualForm(_ request: Request, _ context: AppContext, snapshot: AnnualService.Snapshot, values: [String: String], problem: Problem?,
                    annual: AnnualDisclosure) -> Response {
        let language = context.language
        var data: [String: Any] = [:]
        data["items"] = AnnualItem.allCases.map { item -> [String: Any] in
            ["key": item.rawValue, "number": item.number, "label": item.label(language), "hint": item.hint(language),
             "text": values["\(item.rawValue).text"] ?? "",
             "figures": item.figures.map { figure -> [String: Any] in
                let name = "\(item.rawValue).\(figure.key)"
                let value = values[name] ?? ""
                return ["name": name, "id": "\(item.rawValue)-\(figure.key)", "label": figure.label(language), "value": value, "isFlag": figure.kind == .flag,
                        "isPercent": figure.kind == .percent, "max": figure.kind.range.upperBound,
                        "yes": value == "yes", "no": value == "no"]
             }]
        }
        if let problem {
            data.merge(formErrors(problem, context)) { $1 }
            // Errors of an item (its text or a figure) are shown at the item.
            for item in AnnualItem.allCases {
                let messages = problem.errors.filter { $0.pointer.hasPrefix("/content/\(item.rawValue)") || $0.pointer.hasPrefix("/\(item.rawValue)") }
                    .map { $0.detail(language) }
                if !messages.isEmpty { data["error_\(item.rawValue)"] = messages.joined(separator: " ") }
            }
            data["items"] = (data["items"] as! [[String: Any]]).map { item in
                var item = item
                if let message = data["error_\(item["key"] as! String)"] { item["error"] = message }
                return item
            }
        }
        data.merge(notice(request, context, allowed: ["passagesImported"])) { $1 }
        data["company"] = companyRow(snapshot.company, context)
        data["fiscalYear"] = FiscalYear.label(annual.fiscalYear, endMonth: snapshot.company.fiscalYearEndMonth, language)
        data["action"] = "/disclosure/annual/\(annual.id!)/edit"
        data["cancelHref"] = "/disclosure/annual/\(annual.id!)"
        data["importHref"] = "/disclosure/annual/\(annual.id!)/import"
        let title = t("annual.editTitle", context)
        return render("annual-form", title: title, crumbs: [(t("my.title", context), "/disclosure/my"),
                                                             (AnnualService.number(snapshot.company, annual.fiscalYear), "/disclosure/annual/\(annual.id!)"), (title, nil)],
                      values: data, status: problem?.status ?? .ok, request, context)
    }

    /// Reads the pasted text and shows the proposals (or the problem with the text).
    func classifyPasted(_ request: Request, _ context: AppContext, target: (AnnualDisclosure, AnnualService.Snapshot)?) async throws -> Response {
        let form = try await FormData.read(request, limit: limit)
        let text = form.first("text") ?? ""
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > PassageClassifier.maxCharacters {
            let problem = Problem.validation([FieldError(pointer: "/text", code: FieldError.Code.missing,
                                                         detail: "Paste the cyber-security section (at most \(PassageClassifier.maxCharacters) characters).",
                                                         detailJa: "有価証券報告書のサイバーセキュリティの記載を貼り付けてください（\(PassageClassifier.maxCharacters)文字まで）。")])
            return importPage(request, context, target: target, text: text, proposals: nil, problem: problem)
        }
        return importPage(request, context, target: target, text: text, proposals: PassageClassifier.classify(text), problem: nil)
    }

    /// The import page: for a company's draft (confirm, then add) or, without a target, proposals to read.
    func importPage(_ request: Request, _ context: AppContext, target: (AnnualDisclosure, AnnualService.Snapshot)?, text: String,
                    proposals: [PassageClassifier.Proposal]?, problem: Problem?) -> Response {
        let language = context.language
        var data: [String: Any] = ["text": text]
        if let (annual, snapshot) = target {
            data["action"] = "/disclosure/annual/\(annual.id!)/import"
            data["applyAction"] = "/disclosure/annual/\(annual.id!)/import/apply"
            data["cancelHref"] = "/disclosure/annual/\(annual.id!)"
            data["company"] = companyRow(snapshot.company, context)
            data["fiscalYear"] = FiscalYear.label(annual.fiscalYear, endMonth: snapshot.company.fiscalYearEndMonth, language)
        } else {
            data["action"] = "/disclosure/import"
            data["cancelHref"] = "/disclosure/surveys"
            data["readOnly"] = true
        }
        if let proposals {
            data["proposals"] = proposals.map { proposal -> [String: Any] in
                ["index": proposal.index, "text": proposal.text, "heading": proposal.isHeading, "matched": proposal.matched.joined(separator: "、"),
                 "hasMatched": !proposal.matched.isEmpty,
                 "proposed": proposal.isHeading ? t("import.heading", context)
                    : proposal.item.map { "\($0.number). \($0.label(language))" } ?? t("import.unassigned", context),
                 "options": [["value": "", "label": t("import.skip", context), "selected": proposal.item == nil || proposal.isHeading] as [String: Any]]
                    + AnnualItem.allCases.map { ["value": $0.rawValue, "label": "\($0.number). \($0.label(language))",
                                                 "selected": !proposal.isHeading && proposal.item == $0] as [String: Any] }]
            }
            let figures = proposals.flatMap(\.figures)
            data["figures"] = figures.prefix(50).enumerated().map { offset, figure -> [String: Any] in
                ["index": offset, "item": figure.item.rawValue, "itemLabel": figure.item.label(language), "key": figure.key,
                 "label": figure.item.figure(figure.key)?.label(language) ?? figure.key, "value": figure.value.intValue, "evidence": figure.evidence]
            }
            data["hasFigures"] = !figures.isEmpty
            data["hasProposals"] = true
        }
        if let problem { data.merge(formErrors(problem, context)) { $1 } }
        let crumbs: [(label: String, href: String?)] = target.map { annual, snapshot in
            [(AnnualService.number(snapshot.company, annual.fiscalYear), "/disclosure/annual/\(annual.id!)"), (t("import.title", context), nil)]
        } ?? [(t("surveys.title", context), "/disclosure/surveys"), (t("import.title", context), nil)]
        return render("import", title: t("import.title", context), crumbs: crumbs, values: data, status: problem?.status ?? .ok, request, context)
    }
}

/// The annual disclosure form: `<item>.text` and `<item>.<figure>` fields.
struct AnnualForm {
    var values: [String: String]

    init(_ form: FormData) {
        values = [:]
        for item in AnnualItem.allCases {
            values["\(item.rawValue).text"] = form.first("\(item.rawValue).text") ?? ""
            for figure in item.figures { values["\(item.rawValue).\(figure.key)"] = form.first("\(item.rawValue).\(figure.key)") ?? "" }
        }
    }

    static func values(_ content: AnnualContent) -> [String: String] {
        var values: [String: String] = [:]
        for item in AnnualItem.allCases {
            values["\(item.rawValue).text"] = content[item].text ?? ""
            for figure in item.figures {
                switch content[item].figures[figure.key] {
                case .flag(let b)?: values["\(item.rawValue).\(figure.key)"] = b ? "yes" : "no"
                case .number(let n)?: values["\(item.rawValue).\(figure.key)"] = String(n)
                case nil: values["\(item.rawValue).\(figure.key)"] = ""
                }
            }
        }
        return values
    }

    func parse() throws -> AnnualContent {
        var content = AnnualContent()
        var errors = ValidationErrors()
        for item in AnnualItem.allCases {
            content[item].text = values["\(item.rawValue).text"]
            for figure in item.figures {
                let raw = (values["\(item.rawValue).\(figure.key)"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !raw.isEmpty else { continue }
                if figure.kind == .flag {
                    content[item].figures[figure.key] = .flag(raw == "yes")
                } else if let number = IncidentForm.integer(raw.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "％", with: "")) {
                    content[item].figures[figure.key] = .number(number)
                } else {
                    errors.add("/\(item.rawValue)/figures/\(figure.key)", code: FieldError.Code.type,
                               .init(ja: "「\(figure.labelJa)」は数字で入力してください。", en: "Enter \"\(figure.labelEn)\" as a whole number."))
                }
            }
        }
        try errors.throwIfAny()
        return content.normalised()
    }
}
