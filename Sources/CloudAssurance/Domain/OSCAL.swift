import Foundation
import ShinraiKit

/// NIST OSCAL (JSON) catalogues, profiles and control mappings, read into flat rows and written
/// back. Every object keeps its members in their original order; only the child lists of groups
/// and controls are stored apart (their places are kept as empty arrays), so an export rebuilds
/// the document with the same ids, structure and content.
public enum OSCAL {
    /// Namespace of the properties and parts Shinrai adds (ISMAP levels, §2.1 control metadata).
    public static let namespace = "https://shinrai.example/ns/oscal"

    public struct ImportError: Error, Sendable, Equatable {
        public let errors: [FieldError]
        init(_ pointer: String, _ ja: String, _ en: String) {
            errors = [FieldError(pointer: pointer, code: FieldError.Code.invalid, detail: en, detailJa: ja)]
        }
        init(errors: [FieldError]) { self.errors = errors }
        public var problem: Problem { .validation(errors, detail: .init(ja: "OSCAL文書を取り込めません。", en: "The OSCAL document cannot be imported.")) }
    }

    // MARK: catalogues

    public struct Node: Sendable, Equatable {
        public enum Kind: String, Sendable { case group, control }
        public var kind: Kind
        /// The OSCAL `id` (optional for groups).
        public var id: String?
        /// Index of the parent in the flat list; nil for children of the catalogue itself.
        public var parent: Int?
        public var depth: Int
        public var title: String
        /// The object with its `groups`/`controls` emptied.
        public var json: JSONObject

        /// The plain `label` property (NIST also gives zero-padded and SP 800-53A labels, with a class).
        public var label: String? {
            if case .array(let props)? = json["props"] {
                for case .object(let prop) in props where prop["name"] == .string("label") && prop["class"] == nil {
                    if case .string(let value)? = prop["value"] { return value }
                }
            }
            return Node.prop(json, "label")
        }
        public var sortID: String? { Node.prop(json, "sort-id") }
        public var oscalClass: String? { json["class"].flatMap { if case .string(let s) = $0 { return s } else { return nil } } }
        public var isWithdrawn: Bool { Node.prop(json, "status") == "withdrawn" }
        /// The statement prose (all statement parts, depth first), for search and lists.
        public var statement: String { Node.prose(json, partName: "statement") }

        static func prop(_ object: JSONObject, _ name: String, namespace: String? = nil) -> String? {
            guard case .array(let props)? = object["props"] else { return nil }
            for case .object(let prop) in props {
                guard case .string(let n)? = prop["name"], n == name else { continue }
                if let namespace { guard case .string(let ns)? = prop["ns"], ns == namespace else { continue } }
                if case .string(let value)? = prop["value"] { return value }
            }
            return nil
        }

        static func prose(_ object: JSONObject, partName: String) -> String {
            guard case .array(let parts)? = object["parts"] else { return "" }
            var out: [String] = []
            func walk(_ part: JSONObject, inside: Bool) {
                let matches = inside || (part["name"] == .string(partName) && part["ns"] == nil)
                if matches, case .string(let prose)? = part["prose"] { out.append(prose) }
                if case .array(let children)? = part["parts"] {
                    for case .object(let child) in children { walk(child, inside: matches) }
                }
            }
            for case .object(let part) in parts { walk(part, inside: false) }
            return out.joined(separator: "\n")
        }
    }

    public struct Catalog: Sendable, Equatable {
        public var uuid: String
        public var title: String
        public var version: String?
        public var oscalVersion: String?
        /// The `catalog` object with `groups`/`controls` emptied.
        public var shell: JSONObject
        /// Groups and controls in document order (a parent always before its children).
        public var nodes: [Node]
        public var controlCount: Int { nodes.filter { $0.kind == .control }.count }
    }

    /// Reads `{"catalog": {...}}`.
    public static func catalog(from data: Data) throws -> Catalog { try catalog(from: try parse(data)) }

    /// The kind of OSCAL document (`catalog`, `profile`, `mapping-collection`), or nil.
    public static func kind(of root: JSONValue) -> String? {
        guard case .object(let top) = root else { return nil }
        return ["catalog", "profile", "mapping-collection"].first { top[$0] != nil }
    }

    public static func catalog(from root: JSONValue) throws -> Catalog {
        guard case .object(let top) = root, case .object(let catalog)? = top["catalog"] else {
            throw ImportError("", "catalog オブジェクトがありません（OSCALカタログではありません）。", "There is no \"catalog\" object: this is not an OSCAL catalog.")
        }
        var errors: [FieldError] = []
        guard case .string(let uuid)? = catalog["uuid"], case .object(let metadata)? = catalog["metadata"],
              case .string(let title)? = metadata["title"] else {
            throw ImportError("/catalog/metadata", "uuid と metadata.title が必要です。", "The catalog needs a uuid and metadata.title.")
        }
        var nodes: [Node] = []
        var seen = Set<String>()
        func visit(_ object: JSONObject, kind: Node.Kind, parent: Int?, depth: Int, pointer: String) {
            var shell = object
            var id: String?
            if case .string(let value)? = object["id"] { id = value }
            if kind == .control && id == nil { errors.append(FieldError(pointer: pointer + "/id", code: "missing", detail: "A control needs an id.", detailJa: "管理策には id が必要です。")) }
            if let id {
                if seen.contains(id) { errors.append(FieldError(pointer: pointer + "/id", code: "duplicate", detail: "The id \(id) is used twice.", detailJa: "id \(id) が重複しています。")) }
                seen.insert(id)
            }
            var title = ""
            if case .string(let value)? = object["title"] { title = value }
            else { errors.append(FieldError(pointer: pointer + "/title", code: "missing", detail: "A title is required.", detailJa: "title が必要です。")) }
            if shell["groups"] != nil { shell["groups"] = .array([]) }
            if shell["controls"] != nil { shell["controls"] = .array([]) }
            let index = nodes.count
            nodes.append(Node(kind: kind, id: id, parent: parent, depth: depth, title: title, json: shell))
            if kind == .group { children(object, "groups", .group, parent: index, depth: depth + 1, pointer: pointer) }
            children(object, "controls", .control, parent: index, depth: depth + 1, pointer: pointer)
        }
        func children(_ object: JSONObject, _ key: String, _ kind: Node.Kind, parent: Int?, depth: Int, pointer: String) {
            guard let value = object[key] else { return }
            guard case .array(let items) = value else {
                errors.append(FieldError(pointer: pointer + "/" + key, code: "type", detail: "\(key) must be an array.", detailJa: "\(key) は配列でなければなりません。"))
                return
            }
            for (i, item) in items.enumerated() {
                guard case .object(let child) = item else {
                    errors.append(FieldError(pointer: "\(pointer)/\(key)/\(i)", code: "type", detail: "Expected an object.", detailJa: "オブジェクトが必要です。"))
                    continue
                }
                visit(child, kind: kind, parent: parent, depth: depth, pointer: "\(pointer)/\(key)/\(i)")
            }
        }
        children(catalog, "groups", .group, parent: nil, depth: 0, pointer: "/catalog")
        children(catalog, "controls", .control, parent: nil, depth: 0, pointer: "/catalog")
        if !errors.isEmpty { throw ImportError(errors: Array(errors.prefix(50))) }
        var shell = catalog
        if shell["groups"] != nil { shell["groups"] = .array([]) }
        if shell["controls"] != nil { shell["controls"] = .array([]) }
        var version: String?, oscalVersion: String?
        if case .string(let v)? = metadata["version"] { version = v }
        if case .string(let v)? = metadata["oscal-version"] { oscalVersion = v }
        return Catalog(uuid: uuid, title: title, version: version, oscalVersion: oscalVersion, shell: shell, nodes: nodes)
    }

    /// Rebuilds `{"catalog": {...}}` from the shell and the flat nodes.
    public static func document(shell: JSONObject, nodes: [Node]) -> JSONValue {
        var childrenOf: [Int?: [Int]] = [:]
        for (i, node) in nodes.enumerated() { childrenOf[node.parent, default: []].append(i) }
        func fill(_ object: JSONObject, children: [Int]) -> JSONObject {
            var out = object
            let groups = children.filter { nodes[$0].kind == .group }.map { JSONValue.object(fill(nodes[$0].json, children: childrenOf[$0] ?? [])) }
            let controls = children.filter { nodes[$0].kind == .control }.map { JSONValue.object(fill(nodes[$0].json, children: childrenOf[$0] ?? [])) }
            if out["groups"] != nil || !groups.isEmpty { out["groups"] = .array(groups) }
            if out["controls"] != nil || !controls.isEmpty { out["controls"] = .array(controls) }
            return out
        }
        return .object(JSONObject([("catalog", .object(fill(shell, children: childrenOf[nil] ?? [])))]))
    }

    // MARK: profiles

    public struct Profile: Sendable, Equatable {
        public var uuid: String
        public var title: String
        public var version: String?
        public var document: JSONValue
        /// The `href` of each import.
        public var imports: [String]
        /// Controls named by `include-controls/with-ids`, in order.
        public var includedIDs: [String]
        public var includesAll: Bool
        public var excludedIDs: [String]
        /// `matching` patterns of include-controls.
        public var patterns: [String]
    }

    public static func profile(from data: Data) throws -> Profile { try profile(from: try parse(data)) }

    public static func profile(from root: JSONValue) throws -> Profile {
        guard case .object(let top) = root, case .object(let profile)? = top["profile"] else {
            throw ImportError("", "profile オブジェクトがありません（OSCALプロファイルではありません）。", "There is no \"profile\" object: this is not an OSCAL profile.")
        }
        guard case .string(let uuid)? = profile["uuid"], case .object(let metadata)? = profile["metadata"],
              case .string(let title)? = metadata["title"] else {
            throw ImportError("/profile/metadata", "uuid と metadata.title が必要です。", "The profile needs a uuid and metadata.title.")
        }
        guard case .array(let imports)? = profile["imports"], !imports.isEmpty else {
            throw ImportError("/profile/imports", "imports が必要です。", "The profile needs at least one import.")
        }
        var hrefs: [String] = [], included: [String] = [], excluded: [String] = [], patterns: [String] = []
        var all = false
        func ids(_ selectors: JSONValue?, into list: inout [String], patterns: inout [String]) {
            guard case .array(let items)? = selectors else { return }
            for case .object(let selector) in items {
                if case .array(let withIDs)? = selector["with-ids"] { for case .string(let id) in withIDs { list.append(id) } }
                if case .array(let matching)? = selector["matching"] {
                    for case .object(let m) in matching { if case .string(let p)? = m["pattern"] { patterns.append(p) } }
                }
            }
        }
        for case .object(let item) in imports {
            if case .string(let href)? = item["href"] { hrefs.append(href) }
            if item["include-all"] != nil { all = true }
            ids(item["include-controls"], into: &included, patterns: &patterns)
            var ignored: [String] = []
            ids(item["exclude-controls"], into: &excluded, patterns: &ignored)
        }
        var version: String?
        if case .string(let v)? = metadata["version"] { version = v }
        return Profile(uuid: uuid, title: title, version: version, document: root, imports: hrefs, includedIDs: included,
                       includesAll: all, excludedIDs: excluded, patterns: patterns)
    }

    /// The controls of a catalogue that a profile selects (with-ids, matching globs, include-all,
    /// minus exclusions), and the named ids the catalogue does not have.
    public static func resolve(_ profile: Profile, controlIDs: [String]) -> (selected: [String], missing: [String]) {
        let present = Set(controlIDs)
        var chosen = Set<String>()
        if profile.includesAll { chosen = present }
        chosen.formUnion(profile.includedIDs.filter(present.contains))
        for pattern in profile.patterns { chosen.formUnion(controlIDs.filter { glob(pattern, matches: $0) }) }
        chosen.subtract(profile.excludedIDs)
        return (controlIDs.filter(chosen.contains), profile.includedIDs.filter { !present.contains($0) })
    }

    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" { return (j...t.count).contains { match(i + 1, $0) } }
            guard j < t.count, p[i] == "?" || p[i] == t[j] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    // MARK: control mappings (crosswalks)

    public struct Mapping: Sendable, Equatable {
        public var sources: [String]
        public var targets: [String]
        public var relationship: MappingRelationship
        /// `coverage.target-coverage`, 0…1.
        public var coverage: Double?
        /// `confidence-score.percentage`, 0…1.
        public var confidence: Double?
        public var remarks: String?
        /// The `maps` entry as imported.
        public var json: JSONObject
    }

    public struct MappingCollection: Sendable, Equatable {
        public var uuid: String
        public var title: String
        /// The collection with its `mappings` emptied.
        public var shell: JSONObject
        /// The first `mappings` entry with its `maps` emptied.
        public var mappingShell: JSONObject
        public var sourceHref: String?
        public var targetHref: String?
        public var maps: [Mapping]
    }

    public static func mappingCollection(from data: Data) throws -> MappingCollection {
        let root = try parse(data)
        guard case .object(let top) = root, case .object(let collection)? = top["mapping-collection"] else {
            throw ImportError("", "mapping-collection オブジェクトがありません。", "There is no \"mapping-collection\" object: this is not an OSCAL control mapping.")
        }
        guard case .string(let uuid)? = collection["uuid"], case .object(let metadata)? = collection["metadata"],
              case .string(let title)? = metadata["title"] else {
            throw ImportError("/mapping-collection/metadata", "uuid と metadata.title が必要です。", "The mapping collection needs a uuid and metadata.title.")
        }
        guard case .array(let mappings)? = collection["mappings"], mappings.count == 1, case .object(let mapping) = mappings[0] else {
            throw ImportError("/mapping-collection/mappings", "mappings はちょうど1件（1組のカタログ間の対応）にしてください。",
                              "mappings must hold exactly one entry (one pair of catalogues); split larger collections.")
        }
        var errors: [FieldError] = []
        var maps: [Mapping] = []
        if case .array(let entries)? = mapping["maps"] {
            for (i, entry) in entries.enumerated() {
                let pointer = "/mapping-collection/mappings/0/maps/\(i)"
                guard case .object(let map) = entry else { errors.append(FieldError(pointer: pointer, code: "type", detail: "Expected an object.", detailJa: "オブジェクトが必要です。")); continue }
                guard case .string(let rel)? = map["relationship"], let relationship = MappingRelationship(rawValue: rel) else {
                    errors.append(FieldError(pointer: pointer + "/relationship", code: "invalid",
                                             detail: "relationship must be one of \(MappingRelationship.allCases.map(\.rawValue).joined(separator: ", ")).",
                                             detailJa: "relationship の値が正しくありません。"))
                    continue
                }
                let sources = refs(map["sources"]), targets = refs(map["targets"])
                if sources.isEmpty || targets.isEmpty {
                    errors.append(FieldError(pointer: pointer, code: "missing", detail: "sources and targets need at least one control id-ref.", detailJa: "sources と targets に管理策の id-ref が必要です。"))
                    continue
                }
                var coverage: Double?, confidence: Double?, remarks: String?
                if case .object(let c)? = map["coverage"], case .number(let n)? = c["target-coverage"] { coverage = Double(n) }
                if case .object(let c)? = map["confidence-score"], case .number(let n)? = c["percentage"] { confidence = Double(n) }
                if case .string(let r)? = map["remarks"] { remarks = r }
                for (name, value) in [("target-coverage", coverage), ("percentage", confidence)] {
                    if let value, !(0...1).contains(value) {
                        errors.append(FieldError(pointer: pointer, code: "range", detail: "\(name) must be between 0 and 1.", detailJa: "\(name) は0から1の間です。"))
                    }
                }
                maps.append(Mapping(sources: sources, targets: targets, relationship: relationship, coverage: coverage, confidence: confidence, remarks: remarks, json: map))
            }
        }
        if maps.isEmpty && errors.isEmpty { errors.append(FieldError(pointer: "/mapping-collection/mappings/0/maps", code: "missing", detail: "There are no maps.", detailJa: "対応付け（maps）がありません。")) }
        if !errors.isEmpty { throw ImportError(errors: Array(errors.prefix(50))) }
        var shell = collection
        shell["mappings"] = .array([])
        var mappingShell = mapping
        mappingShell["maps"] = .array([])
        func href(_ key: String) -> String? {
            if case .object(let resource)? = mapping[key], case .string(let h)? = resource["href"] { return h }
            return nil
        }
        return MappingCollection(uuid: uuid, title: title, shell: shell, mappingShell: mappingShell,
                                 sourceHref: href("source-resource"), targetHref: href("target-resource"), maps: maps)
    }

    static func refs(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            if case .object(let ref) = item, case .string(let id)? = ref["id-ref"] { return id }
            return nil
        }
    }

    /// Rebuilds a mapping collection.
    public static func document(collectionShell: JSONObject, mappingShell: JSONObject, maps: [JSONObject]) -> JSONValue {
        var mapping = mappingShell
        mapping["maps"] = .array(maps.map(JSONValue.object))
        var collection = collectionShell
        collection["mappings"] = .array([.object(mapping)])
        return .object(JSONObject([("mapping-collection", .object(collection))]))
    }

    /// A new map entry (for mappings entered in Shinrai rather than imported).
    public static func mapObject(uuid: UUID, source: String, target: String, relationship: MappingRelationship,
                                 coverage: Double?, confidence: Double?, remarks: String?) -> JSONObject {
        var map = JSONObject([
            ("uuid", .string(uuid.uuidString.lowercased())),
            ("relationship", .string(relationship.rawValue)),
            ("sources", .array([.object(JSONObject([("type", .string("control")), ("id-ref", .string(source))]))])),
            ("targets", .array([.object(JSONObject([("type", .string("control")), ("id-ref", .string(target))]))])),
        ])
        if let coverage { map["coverage"] = .object(JSONObject([("target-coverage", .number(numberText(coverage)))])) }
        if let confidence { map["confidence-score"] = .object(JSONObject([("percentage", .number(numberText(confidence)))])) }
        if let remarks { map["remarks"] = .string(remarks) }
        return map
    }

    static func numberText(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }

    public static func parse(_ data: Data) throws -> JSONValue {
        do { return try StrictJSONDecoder(maxDepth: 100).parse(data) } catch let error as JSONInputError {
            throw ImportError(errors: error.errors)
        }
    }

    /// Compact JSON text of an object (member order kept).
    public static func text(_ object: JSONObject) -> String { JSONValue.object(object).serialized }

    public static func object(_ text: String) -> JSONObject {
        if let value = try? StrictJSONDecoder(maxDepth: 100).parse(Data(text.utf8)), case .object(let object) = value { return object }
        return JSONObject()
    }
}
