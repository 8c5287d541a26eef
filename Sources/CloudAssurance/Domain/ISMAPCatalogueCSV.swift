import Foundation
import ShinraiKit

/// A control catalogue in the structure of the ISMAP criteria, exchanged as CSV.
///
/// The ISMAP 管理基準 has three parts — ガバナンス基準 (governance), マネジメント基準 (management)
/// and 管理策基準 (control criteria). The control criteria are sections, control objectives
/// (統制目標, e.g. `8.1.2`) and detailed controls (詳細管理策, e.g. `8.1.2.7.PB`). A detailed
/// control whose suffix contains `B` is a 基本言明要件 (basic requirement every registered
/// service must meet); the others are chosen by the provider.
///
/// Columns (a header row is required; order does not matter):
///
///     criteria,type,id,parent,title_ja,title_en,text_ja,text_en,mandatory,applicability,
///     purpose_ja,purpose_en,risks_ja,risks_en,alternatives_ja,alternatives_en
///
/// - `criteria`: governance | management | control
/// - `type`: section | objective | detailed
/// - `mandatory`: yes | no, or empty to derive it from the id suffix
/// - `applicability`: required | on-request | optional, or empty (required when mandatory)
///
/// The import builds an OSCAL catalogue (criteria and sections as groups, objectives as
/// controls, detailed controls nested in them), so ISMAP-structured catalogues are stored,
/// shown, mapped and exported like any other.
public enum ISMAPCatalogueCSV {
    public static let columns = ["criteria", "type", "id", "parent", "title_ja", "title_en", "text_ja", "text_en", "mandatory", "applicability",
                                 "purpose_ja", "purpose_en", "risks_ja", "risks_en", "alternatives_ja", "alternatives_en"]

    public enum Criteria: String, CaseIterable, Sendable {
        case governance, management, control
        var titleJa: String { self == .governance ? "ガバナンス基準" : self == .management ? "マネジメント基準" : "管理策基準" }
        var titleEn: String { self == .governance ? "Governance criteria" : self == .management ? "Management criteria" : "Control criteria" }
    }

    public enum RowType: String, CaseIterable, Sendable { case section, objective, detailed }

    public struct Row: Sendable, Equatable {
        public var criteria: Criteria
        public var type: RowType
        public var id: String
        public var parent: String?
        public var titleJa: String
        public var titleEn: String?
        public var textJa: String?
        public var textEn: String?
        public var mandatory: Bool
        public var guidance: ControlGuidance
    }

    /// `8.1.2.7.PB` → mandatory (its suffix has a B).
    public static func isBasicRequirement(_ id: String) -> Bool {
        guard let suffix = id.split(separator: ".").last, suffix.allSatisfy({ $0.isLetter }) else { return false }
        return suffix.uppercased().contains("B")
    }

    public static func parse(_ data: Data) throws -> [Row] {
        let rows: [CSVParser.Row]
        do { rows = try CSVParser.parse(data) } catch let error as CSVParseError {
            throw OSCAL.ImportError("/csv", "\(error.line)行目: \(error.ja)", "Line \(error.line): \(error.en)")
        }
        guard let header = rows.first else { throw OSCAL.ImportError("/csv", "CSVが空です。", "The CSV is empty.") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["criteria", "type", "id", "title_ja"] where !names.contains(required) {
            throw OSCAL.ImportError("/csv", "見出し行に列 \(required) がありません。", "The header row has no \(required) column.")
        }
        var errors: [FieldError] = []
        var out: [Row] = []
        var ids = Set<String>()
        var types: [String: RowType] = [:]
        for row in rows.dropFirst() {
            func value(_ column: String) -> String? {
                guard let i = names.firstIndex(of: column), i < row.fields.count else { return nil }
                let text = CSVWriter.unprotect(row.fields[i]).trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            func fail(_ column: String, _ ja: String, _ en: String) {
                errors.append(FieldError(pointer: "/csv/line/\(row.line)/\(column)", code: "invalid", detail: "Line \(row.line): \(en)", detailJa: "\(row.line)行目: \(ja)"))
            }
            guard let criteria = value("criteria").flatMap({ Criteria(rawValue: $0.lowercased()) }) else {
                fail("criteria", "criteria は governance / management / control のいずれかです。", "criteria must be governance, management or control."); continue
            }
            guard let type = value("type").flatMap({ RowType(rawValue: $0.lowercased()) }) else {
                fail("type", "type は section / objective / detailed のいずれかです。", "type must be section, objective or detailed."); continue
            }
            guard let id = value("id"), id.count <= 64, !id.contains(where: { $0.isWhitespace }) else {
                fail("id", "id は空白を含まない64文字以内の識別子です。", "id must be an identifier of at most 64 characters without spaces."); continue
            }
            guard !ids.contains(id) else { fail("id", "id \(id) が重複しています。", "The id \(id) appears twice."); continue }
            guard let title = value("title_ja") else { fail("title_ja", "title_ja（名称）は必須です。", "title_ja is required."); continue }
            let parent = value("parent")
            switch type {
            case .section:
                if let parent, types[parent] != .section { fail("parent", "section の親は section です。", "The parent of a section must be a section."); continue }
            case .objective:
                guard let parent, types[parent] == .section else { fail("parent", "objective の親は先に定義した section です。", "An objective needs a section defined above it as parent."); continue }
            case .detailed:
                guard let parent, types[parent] == .objective else { fail("parent", "detailed の親は先に定義した objective です。", "A detailed control needs an objective defined above it as parent."); continue }
            }
            var mandatory = isBasicRequirement(id)
            if let flag = value("mandatory")?.lowercased() {
                guard ["yes", "no", "true", "false", "1", "0"].contains(flag) else { fail("mandatory", "mandatory は yes / no です。", "mandatory must be yes or no."); continue }
                mandatory = ["yes", "true", "1"].contains(flag)
            }
            var guidance = ControlGuidance(purposeJa: value("purpose_ja"), purposeEn: value("purpose_en"), risksJa: value("risks_ja"),
                                           risksEn: value("risks_en"), alternativesJa: value("alternatives_ja"), alternativesEn: value("alternatives_en"))
            if let text = value("applicability") {
                guard let applicability = ControlApplicability(rawValue: text.lowercased()) else {
                    fail("applicability", "applicability は required / on-request / optional です。", "applicability must be required, on-request or optional."); continue
                }
                guidance.applicability = applicability
            } else if type != .section {
                guidance.applicability = mandatory ? .required : .optional
            }
            for error in ControlGuidance.validate(guidance) {
                fail(String(error.pointer.dropFirst()), error.detailJa ?? error.detail, error.detail)
            }
            ids.insert(id)
            types[id] = type
            out.append(Row(criteria: criteria, type: type, id: id, parent: parent, titleJa: title, titleEn: value("title_en"),
                           textJa: value("text_ja"), textEn: value("text_en"), mandatory: mandatory, guidance: guidance))
        }
        if !errors.isEmpty { throw OSCAL.ImportError(errors: Array(errors.prefix(50))) }
        if out.isEmpty { throw OSCAL.ImportError("/csv", "管理策の行がありません。", "There are no rows below the header.") }
        return out
    }

    /// The rows as an OSCAL catalogue.
    public static func catalog(_ rows: [Row], uuid: UUID, title: String, version: String, published: Date) -> OSCAL.Catalog {
        var nodes: [OSCAL.Node] = []
        var index: [String: Int] = [:]
        func ns(_ name: String, _ value: String) -> JSONValue {
            .object(JSONObject([("name", .string(name)), ("ns", .string(OSCAL.namespace)), ("value", .string(value))]))
        }
        for criteria in Criteria.allCases where rows.contains(where: { $0.criteria == criteria }) {
            index["criteria:\(criteria.rawValue)"] = nodes.count
            nodes.append(OSCAL.Node(kind: .group, id: criteria.rawValue, parent: nil, depth: 0, title: criteria.titleJa, json: JSONObject([
                ("id", .string(criteria.rawValue)), ("class", .string("ismap-criteria")), ("title", .string(criteria.titleJa)),
                ("props", .array([ns("title-en", criteria.titleEn)])), ("groups", .array([])), ("controls", .array([])),
            ])))
        }
        for row in rows {
            let parentIndex = row.parent.flatMap { index[$0] } ?? index["criteria:\(row.criteria.rawValue)"]!
            var props: [JSONValue] = [.object(JSONObject([("name", .string("label")), ("value", .string(row.id))])), ns("criteria", row.criteria.rawValue)]
            if let en = row.titleEn { props.append(ns("title-en", en)) }
            if row.type != .section { props.append(ns("mandatory", row.mandatory ? "true" : "false")) }
            var object = JSONObject([("id", .string(row.id)), ("class", .string("ismap-\(row.type.rawValue)")), ("title", .string(row.titleJa)),
                                     ("props", .array(props))])
            var parts: [JSONValue] = []
            if let text = row.textJa { parts.append(.object(JSONObject([("id", .string("\(row.id)_smt")), ("name", .string("statement")), ("prose", .string(text))]))) }
            if let text = row.textEn {
                parts.append(.object(JSONObject([("id", .string("\(row.id)_smt_en")), ("name", .string("statement")), ("ns", .string(OSCAL.namespace)),
                                                 ("class", .string("en")), ("prose", .string(text))])))
            }
            if !parts.isEmpty { object["parts"] = .array(parts) }
            if row.type == .section { object["groups"] = .array([]) }
            object["controls"] = .array([])
            if row.type != .section { object = row.guidance.applied(to: object) }
            index[row.id] = nodes.count
            nodes.append(OSCAL.Node(kind: row.type == .section ? .group : .control, id: row.id, parent: parentIndex,
                                    depth: nodes[parentIndex].depth + 1, title: row.titleJa, json: object))
        }
        // Drop placeholders nobody filled, so the document has no empty arrays.
        var hasGroups = Set<Int>(), hasControls = Set<Int>()
        for node in nodes { if let p = node.parent { if node.kind == .group { hasGroups.insert(p) } else { hasControls.insert(p) } } }
        for i in nodes.indices {
            if !hasGroups.contains(i) { nodes[i].json["groups"] = nil }
            if !hasControls.contains(i) { nodes[i].json["controls"] = nil }
        }
        let metadata = JSONObject([("title", .string(title)), ("last-modified", .string(ISO8601Timestamp.format(published))),
                                   ("version", .string(version)), ("oscal-version", .string("1.1.2")),
                                   ("props", .array([ns("structure", "ismap")]))])
        let shell = JSONObject([("uuid", .string(uuid.uuidString.lowercased())), ("metadata", .object(metadata)), ("groups", .array([]))])
        return OSCAL.Catalog(uuid: uuid.uuidString.lowercased(), title: title, version: version, oscalVersion: "1.1.2", shell: shell, nodes: nodes)
    }

    /// Reads back the rows from stored nodes (export).
    public static func rows(from nodes: [OSCAL.Node]) -> [Row] {
        nodes.compactMap { node -> Row? in
            guard let id = node.id, let level = node.oscalClass, level.hasPrefix("ismap-"), let type = RowType(rawValue: String(level.dropFirst(6))),
                  let criteria = OSCAL.Node.prop(node.json, "criteria", namespace: OSCAL.namespace).flatMap(Criteria.init(rawValue:)) else { return nil }
            let parent = node.parent.flatMap { p -> String? in nodes[p].oscalClass == "ismap-criteria" ? nil : nodes[p].id }
            var textEn: String?
            if case .array(let parts)? = node.json["parts"] {
                for case .object(let part) in parts where part["ns"] == .string(OSCAL.namespace) && part["name"] == .string("statement") {
                    if case .string(let prose)? = part["prose"] { textEn = prose }
                }
            }
            let statement = node.statement
            return Row(criteria: criteria, type: type, id: id, parent: parent, titleJa: node.title,
                       titleEn: OSCAL.Node.prop(node.json, "title-en", namespace: OSCAL.namespace),
                       textJa: statement.isEmpty ? nil : statement, textEn: textEn,
                       mandatory: OSCAL.Node.prop(node.json, "mandatory", namespace: OSCAL.namespace) == "true",
                       guidance: ControlGuidance(control: node.json))
        }
    }

    public static func csv(_ rows: [Row]) -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: columns)
        for row in rows {
            let g = row.guidance
            writer.addRow(texts: [row.criteria.rawValue, row.type.rawValue, row.id, row.parent ?? "", row.titleJa, row.titleEn ?? "",
                                  row.textJa ?? "", row.textEn ?? "", row.type == .section ? "" : (row.mandatory ? "yes" : "no"),
                                  g.applicability?.rawValue ?? "", g.purposeJa ?? "", g.purposeEn ?? "", g.risksJa ?? "", g.risksEn ?? "",
                                  g.alternativesJa ?? "", g.alternativesEn ?? ""])
        }
        return writer.data
    }
}
