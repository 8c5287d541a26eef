import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Control catalogues, control pages with the §2.1 metadata, crosswalks and question sets.
struct CataloguePages {
    let services: Services
    var kit: WebKit { WebKit(services: services) }
    var db: any Database { services.db }
    var desk: CatalogueDesk { CatalogueDesk(services: services) }

    func register(_ routes: Routes) {
        routes.get("/cloud/catalogues") { request, context in try await index(request, context) }
        routes.get("/cloud/catalogues/{key}") { request, context in try await catalogue(request, context) }
        routes.get("/cloud/catalogues/{key}/oscal.json") { request, context in
            let record = try await desk.catalogue(key: try context.path("key"))
            return API.cacheable(try await desk.export(record), contentType: "application/json; charset=utf-8", request: request, filename: "\(record.key).json")
        }
        routes.get("/cloud/catalogues/{key}/catalogue.csv") { request, context in
            let record = try await desk.catalogue(key: try context.path("key"))
            return API.cacheable(try await desk.exportCSV(record), contentType: "text/csv; charset=utf-8", request: request, filename: "\(record.key).csv")
        }
        routes.get("/cloud/catalogues/{key}/controls/{control}") { request, context in try await control(request, context) }
        routes.get("/cloud/crosswalks/{key}") { request, context in try await crosswalk(request, context) }
        routes.get("/cloud/crosswalks/{key}/mapping.json") { request, context in
            let crosswalks = CrosswalkDesk(services: services)
            let record = try await crosswalks.crosswalk(key: try context.path("key"))
            return API.cacheable(try await crosswalks.export(record), contentType: "application/json; charset=utf-8", request: request, filename: "\(record.key).json")
        }
        routes.get("/cloud/crosswalks/{key}/mapping.csv") { request, context in
            let crosswalks = CrosswalkDesk(services: services)
            let record = try await crosswalks.crosswalk(key: try context.path("key"))
            return API.cacheable(try await crosswalks.exportCSV(record), contentType: "text/csv; charset=utf-8", request: request, filename: "\(record.key).csv")
        }
        routes.get("/cloud/question-sets/{code}/{version}") { request, context in try await questionSet(request, context) }
        routes.get("/cloud/question-sets/{code}/{version}/questions.csv") { request, context in
            let (set, document) = try await loadSet(context)
            return API.cacheable(document.csv(), contentType: "text/csv; charset=utf-8", request: request, filename: "\(set.code)-v\(set.version).csv")
        }
        routes.get("/cloud/question-sets/{code}/{version}/questions.json") { request, context in
            let (set, document) = try await loadSet(context)
            return API.cacheable(try API.encoder.encode(document), contentType: "application/json; charset=utf-8", request: request, filename: "\(set.code)-v\(set.version).json")
        }
    }

    func index(_ request: Request, _ context: AppContext) async throws -> Response {
        let catalogues = try await CatalogueRecord.query(on: db).sort(\.$key).all().map { c -> [String: Any] in
            ["key": c.key, "title": c.title, "version": c.version ?? "—", "kind": kit.t("cloud.catalogue.kind.\(c.kind)", context),
             "controls": c.controlCount, "target": c.isTarget, "evidence": c.evidenceKinds.map { $0.label(context.language) }.joined(separator: ", "),
             "href": "/cloud/catalogues/\(c.key)", "imported": kit.dateTime(c.importedAt, context)]
        }
        let crosswalks = try await CrosswalkRecord.query(on: db).sort(\.$key).all().map { c -> [String: Any] in
            ["key": c.key, "title": c.title, "source": c.sourceCatalogue, "target": c.targetCatalogue, "maps": c.mapCount, "href": "/cloud/crosswalks/\(c.key)"]
        }
        let sets = try await QuestionSetRecord.query(on: db).sort(\.$code).sort(\.$version, .descending).all().map { s -> [String: Any] in
            ["code": s.code, "version": s.version, "title": s.title, "questions": s.questionCount, "href": "/cloud/question-sets/\(s.code)/\(s.version)",
             "created": kit.dateTime(s.createdAt, context)]
        }
        let title = kit.t("cloud.catalogue.title", context)
        return kit.page("cloud-catalogues", title: title, crumbs: [(title, nil)], values: [
            "catalogues": catalogues, "crosswalks": crosswalks, "sets": sets, "hasCrosswalks": !crosswalks.isEmpty, "hasSets": !sets.isEmpty,
            "canImport": context.identity?.isReviewer ?? false,
        ], request: request, context: context)
    }

    func catalogue(_ request: Request, _ context: AppContext) async throws -> Response {
        let record = try await desk.catalogue(key: try context.path("key"))
        var values: [String: Any] = [
            "key": record.key, "title": record.title, "version": record.version ?? "—", "uuid": record.oscalUUID, "kind": kit.t("cloud.catalogue.kind.\(record.kind)", context),
            "isProfile": record.kind == "profile", "isISMAP": record.structure == "ismap", "target": record.isTarget,
            "evidence": record.evidenceKinds.map { $0.label(context.language) }.joined(separator: ", "), "controls": record.controlCount,
            "jsonHref": "/cloud/catalogues/\(record.key)/oscal.json", "csvHref": "/cloud/catalogues/\(record.key)/catalogue.csv",
            "apiHref": "/api/v1/cloud/catalogues/\(record.key)", "canEdit": context.identity?.isReviewer ?? false,
            "settingsHref": "/cloud/review/catalogues/\(record.key)/settings",
        ]
        if record.kind == "profile" {
            let catalogues = try await CatalogueRecord.query(on: db).filter(\.$kind == "catalog").sort(\.$key).all()
            let chosen = request.query["against"].flatMap { key in catalogues.first { $0.key == key } } ?? catalogues.first
            values["against"] = catalogues.map { ["value": $0.key, "label": $0.title, "selected": $0.key == chosen?.key] }
            if let chosen {
                let (selected, missing) = try await desk.resolve(profile: record, against: chosen)
                values["resolved"] = ["catalogue": chosen.title, "selected": selected.count, "missing": missing, "hasMissing": !missing.isEmpty,
                                      "ids": selected.prefix(500).map { ["id": $0, "href": "/cloud/catalogues/\(chosen.key)/controls/\(URLQuery.encode($0))"] }] as [String: Any]
            }
        } else {
            let page = try PageRequest.parse(request, defaultLimit: 100)
            let (items, total) = try await ControlQuery(services: services).page(record, query: request.query, page: page)
            let groups = try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == record.id!).filter(\.$kind == "group").filter(\.$depth <= 1)
                .sort(\.$seq).all()
            values["groups"] = groups.map { ["title": $0.title, "id": $0.oscalID ?? "", "sub": $0.depth > 0] }
            values["rows"] = items.map { node -> [String: Any] in
                ["id": node.oscalID ?? "", "label": node.label ?? node.oscalID ?? "", "title": node.title, "depth": min(node.depth, 6),
                 "href": "/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))",
                 "applicability": node.applicability.map { kit.t("cloud.applicability.\($0)", context) } ?? "", "onRequest": node.applicability == "on-request",
                 "mandatory": node.mandatory, "withdrawn": node.node.isWithdrawn]
            }
            values["total"] = total
            values["q"] = request.query["q"] ?? ""
            values["applicabilities"] = [["value": "", "label": kit.t("cloud.filter.any", context), "selected": (request.query["applicability"] ?? "").isEmpty]]
                + ControlApplicability.allCases.map { ["value": $0.rawValue, "label": kit.t("cloud.applicability.\($0.rawValue)", context), "selected": request.query["applicability"] == $0.rawValue] }
            var query: [(String, String)] = []
            if let q = request.query["q"], !q.isEmpty { query.append(("q", q)) }
            if let a = request.query["applicability"], !a.isEmpty { query.append(("applicability", a)) }
            values["pager"] = Pager(page: page, total: total, path: "/cloud/catalogues/\(record.key)", query: query).values(context, services.views)
        }
        return kit.page("cloud-catalogue", title: record.title, crumbs: [(kit.t("cloud.catalogue.title", context), "/cloud/catalogues"), (record.title, nil)],
                        values: values, request: request, context: context)
    }

    func control(_ request: Request, _ context: AppContext) async throws -> Response {
        let record = try await desk.catalogue(key: try context.path("key"))
        let node = try await desk.control(record, id: try context.path("control"))
        let json = OSCAL.object(node.json)
        let guidance = ControlGuidance(control: json)
        let params = Self.parameters(json)
        let parts = Self.parts(json, params: params).map { part -> [String: Any] in
            var part = part
            if let name = part["name"] as? String, Self.partNames.contains(name) { part["name"] = kit.t("cloud.partName.\(name)", context) }
            return part
        }
        let parent = try await ControlQuery(services: services).parentID(of: node)
        let children = try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == record.id!).filter(\.$parentSeq == node.seq).filter(\.$kind == "control")
            .sort(\.$seq).all()
        let mappings = try await mappings(of: record.key, control: node.oscalID ?? "", context)
        let language = context.language
        func pick(_ ja: String?, _ en: String?) -> String { (language == .ja ? (ja ?? en) : (en ?? ja)) ?? "" }
        let title = "\(node.label ?? node.oscalID ?? "") \(node.title)"
        return kit.page("cloud-control", title: title, crumbs: [(kit.t("cloud.catalogue.title", context), "/cloud/catalogues"),
                                                                (record.title, "/cloud/catalogues/\(record.key)"), (node.oscalID ?? "", nil)], values: [
            "id": node.oscalID ?? "", "label": node.label ?? node.oscalID ?? "", "title": node.title,
            "titleEn": OSCAL.Node.prop(json, "title-en", namespace: OSCAL.namespace) ?? "", "catalogue": record.title, "catalogueHref": "/cloud/catalogues/\(record.key)",
            "parts": parts, "hasParts": !parts.isEmpty, "params": params.map { ["id": $0.key, "text": $0.value] }.sorted { ($0["id"] ?? "") < ($1["id"] ?? "") },
            "hasParams": !params.isEmpty, "mandatory": node.mandatory, "isISMAP": record.structure == "ismap",
            "applicability": guidance.applicability.map { kit.t("cloud.applicability.\($0.rawValue)", context) } ?? "",
            "applicabilityHelp": guidance.applicability.map { kit.t("cloud.applicabilityHelp.\($0.rawValue)", context) } ?? "",
            "hasApplicability": guidance.applicability != nil, "onRequest": guidance.applicability == .onRequest,
            "purpose": pick(guidance.purposeJa, guidance.purposeEn), "risks": pick(guidance.risksJa, guidance.risksEn),
            "alternatives": pick(guidance.alternativesJa, guidance.alternativesEn),
            "hasGuidance": !guidance.isEmpty,
            "parentHref": parent.map { "/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode($0))" } ?? "", "parent": parent ?? "", "hasParent": parent != nil,
            "children": children.map { ["id": $0.oscalID ?? "", "title": $0.title, "href": "/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode($0.oscalID ?? ""))"] },
            "hasChildren": !children.isEmpty, "mappings": mappings, "hasMappings": !mappings.isEmpty,
            "canEdit": context.identity?.isReviewer ?? false,
            "editHref": "/cloud/review/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))/guidance",
            "apiHref": "/api/v1/cloud/catalogues/\(record.key)/controls/\(URLQuery.encode(node.oscalID ?? ""))",
        ], request: request, context: context)
    }

    static let partNames: Set<String> = ["statement", "guidance", "overview", "item", "objective", "assessment-objective", "assessment-method"]

    /// Parameter texts: `[Assignment: label]` or `[Selection: a; b]`, as NIST renders them.
    static func parameters(_ control: JSONObject) -> [String: String] {
        guard case .array(let items)? = control["params"] else { return [:] }
        var out: [String: String] = [:]
        for case .object(let p) in items {
            guard case .string(let id)? = p["id"] else { continue }
            if case .object(let select)? = p["select"], case .array(let choices)? = select["choice"] {
                out[id] = "[" + choices.compactMap { if case .string(let s) = $0 { return s } else { return nil } }.joined(separator: "; ") + "]"
            } else if case .string(let label)? = p["label"] {
                out[id] = "[\(label)]"
            } else {
                out[id] = "[\(id)]"
            }
        }
        return out
    }

    static func insertParameters(_ text: String, _ params: [String: String]) -> String {
        var out = text
        while let range = out.range(of: "\\{\\{\\s*insert:\\s*param,\\s*([^}\\s]+)\\s*\\}\\}", options: .regularExpression) {
            let token = String(out[range])
            let id = token.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "")
                .replacingOccurrences(of: "insert:", with: "").replacingOccurrences(of: "param,", with: "").trimmingCharacters(in: .whitespaces)
            out.replaceSubrange(range, with: params[id] ?? "[\(id)]")
        }
        return out
    }

    /// The control's parts (statement, guidance, …) flattened with their depth; Shinrai's own parts are shown apart.
    static func parts(_ control: JSONObject, params: [String: String]) -> [[String: Any]] {
        var rows: [[String: Any]] = []
        func walk(_ part: JSONObject, depth: Int) {
            if part["ns"] == .string(OSCAL.namespace) && part["name"] != .string("statement") { return }
            var label = ""
            if let l = OSCAL.Node.prop(part, "label") { label = l }
            let name: String = { if case .string(let n)? = part["name"] { return n } else { return "" } }()
            let prose: String = { if case .string(let p)? = part["prose"] { return insertParameters(p, params) } else { return "" } }()
            let english = part["class"] == .string("en")
            rows.append(["depth": min(depth, 5), "label": label, "name": name, "prose": prose, "heading": depth == 0 && !english,
                         "lang": english ? "en" : "", "isEnglish": english])
            if case .array(let children)? = part["parts"] { for case .object(let child) in children { walk(child, depth: depth + 1) } }
        }
        if case .array(let parts)? = control["parts"] { for case .object(let part) in parts { walk(part, depth: 0) } }
        return rows
    }

    func mappings(of catalogue: String, control: String, _ context: AppContext) async throws -> [[String: Any]] {
        let crosswalks = try await CrosswalkRecord.query(on: db).group(.or) { $0.filter(\.$sourceCatalogue == catalogue).filter(\.$targetCatalogue == catalogue) }.all()
        var rows: [[String: Any]] = []
        for crosswalk in crosswalks {
            let maps = try await MappingRecord.query(on: db).filter(\.$crosswalkID == crosswalk.id!)
                .group(.or) { $0.filter(\.$sources ~~ control).filter(\.$targets ~~ control) }.all()
            for map in maps {
                let sources = map.sources.split(separator: " ").map(String.init), targets = map.targets.split(separator: " ").map(String.init)
                guard let relationship = MappingRelationship(rawValue: map.relationship) else { continue }
                if crosswalk.sourceCatalogue == catalogue && sources.contains(control) {
                    for t in targets { rows.append(row(crosswalk, other: crosswalk.targetCatalogue, id: t, relationship: relationship, context)) }
                }
                if crosswalk.targetCatalogue == catalogue && targets.contains(control) {
                    for s in sources { rows.append(row(crosswalk, other: crosswalk.sourceCatalogue, id: s, relationship: relationship.inverse, context)) }
                }
            }
        }
        return rows
    }

    func row(_ crosswalk: CrosswalkRecord, other: String, id: String, relationship: MappingRelationship, _ context: AppContext) -> [String: Any] {
        ["crosswalk": crosswalk.title, "crosswalkHref": "/cloud/crosswalks/\(crosswalk.key)", "catalogue": other, "id": id,
         "href": "/cloud/catalogues/\(other)/controls/\(URLQuery.encode(id))", "relationship": kit.t("cloud.relationship.\(relationship.rawValue)", context),
         "coverage": kit.t("cloud.coverage.\(relationship.coverage.name)", context)]
    }

    func crosswalk(_ request: Request, _ context: AppContext) async throws -> Response {
        let crosswalks = CrosswalkDesk(services: services)
        let record = try await crosswalks.crosswalk(key: try context.path("key"))
        let page = try PageRequest.parse(request, defaultLimit: 100)
        let query = MappingRecord.query(on: db).filter(\.$crosswalkID == record.id!)
        let total = try await query.count()
        let maps = try await MappingRecord.query(on: db).filter(\.$crosswalkID == record.id!).sort(\.$seq).range(page.offset..<(page.offset + page.limit)).all()
        let rows = maps.map { m -> [String: Any] in
            let relationship = MappingRelationship(rawValue: m.relationship) ?? .noRelationship
            return WebKit.nonEmpty(["sources": m.sources.split(separator: " ").map { ["id": String($0), "href": "/cloud/catalogues/\(record.sourceCatalogue)/controls/\(URLQuery.encode(String($0)))"] },
                    "targets": m.targets.split(separator: " ").map { ["id": String($0), "href": "/cloud/catalogues/\(record.targetCatalogue)/controls/\(URLQuery.encode(String($0)))"] },
                    "relationship": kit.t("cloud.relationship.\(relationship.rawValue)", context), "coverage": kit.t("cloud.coverage.\(relationship.coverage.name)", context),
                    "targetCoverage": m.coverage.map { SVGChart.defaultFormat($0 * 100) + "%" } ?? "—",
                    "confidence": m.confidence.map { SVGChart.defaultFormat($0 * 100) + "%" } ?? "—", "remarks": m.remarks ?? ""])
        }
        return kit.page("cloud-crosswalk", title: record.title, crumbs: [(kit.t("cloud.catalogue.title", context), "/cloud/catalogues"), (record.title, nil)], values: [
            "title": record.title, "key": record.key, "source": record.sourceCatalogue, "target": record.targetCatalogue, "maps": total, "rows": rows,
            "sourceHref": "/cloud/catalogues/\(record.sourceCatalogue)", "targetHref": "/cloud/catalogues/\(record.targetCatalogue)",
            "jsonHref": "/cloud/crosswalks/\(record.key)/mapping.json", "csvHref": "/cloud/crosswalks/\(record.key)/mapping.csv",
            "pager": Pager(page: page, total: total, path: "/cloud/crosswalks/\(record.key)").values(context, services.views),
        ], request: request, context: context)
    }

    func loadSet(_ context: AppContext) async throws -> (QuestionSetRecord, QuestionSetDocument) {
        guard let version = Int(try context.path("version")), version >= 1 else { throw Problem.notFound }
        let desk = QuestionSetDesk(services: services)
        let set = try await desk.set(code: try context.path("code"), version: version)
        return (set, try await desk.document(set))
    }

    func questionSet(_ request: Request, _ context: AppContext) async throws -> Response {
        let (set, document) = try await loadSet(context)
        let title = "\(set.title)（v\(set.version)）"
        let english = context.language == .en
        return kit.page("cloud-question-set", title: title, crumbs: [(kit.t("cloud.catalogue.title", context), "/cloud/catalogues"), (title, nil)], values: [
            "title": title, "code": set.code, "version": set.version, "created": kit.dateTime(set.createdAt, context),
            "questions": document.questions.map { q -> [String: Any] in
                ["number": q.number, "category": q.category, "text": english ? (q.textEn ?? q.text) : q.text,
                 "guidance": (english ? (q.guidanceEn ?? q.guidance) : q.guidance) ?? "", "controls": (q.controls ?? []).joined(separator: ", ")]
            },
            "csvHref": "/cloud/question-sets/\(set.code)/\(set.version)/questions.csv", "jsonHref": "/cloud/question-sets/\(set.code)/\(set.version)/questions.json",
        ], request: request, context: context)
    }
}
