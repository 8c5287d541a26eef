import FluentKit
import Foundation
import ShinraiKit

/// Control catalogues (OSCAL catalog and profile, ISMAP-structured CSV) and the §2.1 control
/// metadata.
struct CatalogueDesk {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }

    struct ImportOptions: Sendable {
        var key: String
        var evidenceFor: [CertificationKind] = []
        var isTarget: Bool = false
        var title: String?
        var version: String?
    }

    static func validateKey(_ key: String?, pointer: String = "/key") throws -> String {
        guard let key, key.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil else {
            throw Problem.validation([FieldError(pointer: pointer, code: "invalid", detail: "The key is 2–63 lower-case letters, digits and hyphens, e.g. ismap-2026.",
                                                 detailJa: "キーは英小文字・数字・ハイフンの2〜63文字です（例: ismap-2026）。")])
        }
        return key
    }

    func catalogue(key: String) async throws -> CatalogueRecord {
        guard key.count <= 63, let record = try await CatalogueRecord.query(on: db).filter(\.$key == key).first() else { throw Problem.notFound }
        return record
    }

    func importOSCAL(_ data: Data, options: ImportOptions, actor: Actor) async throws -> CatalogueRecord {
        do {
            let root = try OSCAL.parse(data)
            if OSCAL.kind(of: root) == "profile" {
                return try await storeProfile(try OSCAL.profile(from: root), options: options, actor: actor)
            }
            return try await store(try OSCAL.catalog(from: root), structure: "oscal", options: options, actor: actor)
        } catch let error as OSCAL.ImportError {
            throw error.problem
        }
    }

    func importISMAPCSV(_ data: Data, options: ImportOptions, actor: Actor) async throws -> CatalogueRecord {
        let rows: [ISMAPCatalogueCSV.Row]
        do { rows = try ISMAPCatalogueCSV.parse(data) } catch let error as OSCAL.ImportError { throw error.problem }
        let existing = try await CatalogueRecord.query(on: db).filter(\.$key == options.key).first()
        let catalog = ISMAPCatalogueCSV.catalog(rows, uuid: existing.flatMap { UUID(uuidString: $0.oscalUUID) } ?? UUID(),
                                                title: options.title ?? "ISMAP管理基準（構造サンプル）", version: options.version ?? "1.0", published: now)
        return try await store(catalog, structure: "ismap", options: options, actor: actor)
    }

    func store(_ catalog: OSCAL.Catalog, structure: String, options: ImportOptions, actor: Actor) async throws -> CatalogueRecord {
        let key = try Self.validateKey(options.key)
        return try await db.transaction { db in
            let record = try await CatalogueRecord.query(on: db).filter(\.$key == key).first() ?? CatalogueRecord()
            var carried: [String: ControlGuidance] = [:]
            if let id = record.id {
                if record.kind != "catalog" { throw Problem.conflict(.init(ja: "このキーはプロファイルに使われています。", en: "This key belongs to a profile.")) }
                // Guidance written in Shinrai survives a re-import of an upstream catalogue.
                for node in try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == id).all() where node.kind == "control" {
                    let guidance = ControlGuidance(control: OSCAL.object(node.json))
                    if !guidance.isEmpty, let oscalID = node.oscalID { carried[oscalID] = guidance }
                }
                try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == id).delete()
            }
            if options.isTarget {
                for other in try await CatalogueRecord.query(on: db).filter(\.$isTarget == true).all() where other.key != key {
                    other.isTarget = false
                    try await other.save(on: db)
                }
            }
            record.key = key
            record.kind = "catalog"
            record.structure = structure
            record.title = options.title ?? catalog.title
            record.version = options.version ?? catalog.version
            record.oscalUUID = catalog.uuid
            record.evidenceFor = options.evidenceFor.map(\.rawValue).joined(separator: ",")
            record.isTarget = options.isTarget
            record.document = OSCAL.text(catalog.shell)
            record.controlCount = catalog.controlCount
            record.importedAt = now
            record.importedBy = actor.label
            try await record.save(on: db)
            var rows: [CatalogueNodeRecord] = []
            rows.reserveCapacity(catalog.nodes.count)
            for (seq, node) in catalog.nodes.enumerated() {
                var json = node.json
                if node.kind == .control, let id = node.id, let guidance = carried[id], ControlGuidance(control: json).isEmpty {
                    json = guidance.applied(to: json)
                }
                rows.append(Self.row(node, json: json, seq: seq, catalogueID: record.id!))
            }
            for start in stride(from: 0, to: rows.count, by: 500) {
                try await Array(rows[start..<min(rows.count, start + 500)]).create(on: db)
            }
            try await AuditTrail.record(on: db, actor: actor, organisationID: nil, action: "cloud.catalogue.import", targetType: "cloud.catalogue",
                                        targetID: key, summary: ["title": record.title, "controls": String(record.controlCount), "structure": structure], at: now)
            return record
        }
    }

    static func row(_ node: OSCAL.Node, json: JSONObject, seq: Int, catalogueID: UUID) -> CatalogueNodeRecord {
        let row = CatalogueNodeRecord()
        let stored = OSCAL.Node(kind: node.kind, id: node.id, parent: node.parent, depth: node.depth, title: node.title, json: json)
        row.catalogueID = catalogueID
        row.seq = seq
        row.kind = node.kind.rawValue
        row.oscalID = node.id
        row.parentSeq = node.parent
        row.depth = node.depth
        row.title = node.title
        row.label = stored.label
        row.oscalClass = stored.oscalClass
        row.statement = stored.statement
        row.json = OSCAL.text(json)
        row.mandatory = OSCAL.Node.prop(json, "mandatory", namespace: OSCAL.namespace) == "true"
        row.applicability = ControlGuidance(control: json).applicability?.rawValue
        row.search = SearchText.normalize([node.id ?? "", stored.label ?? "", node.title, OSCAL.Node.prop(json, "title-en", namespace: OSCAL.namespace) ?? "",
                                           String(stored.statement.prefix(2000))].joined(separator: " "))
        return row
    }

    func storeProfile(_ profile: OSCAL.Profile, options: ImportOptions, actor: Actor) async throws -> CatalogueRecord {
        let key = try Self.validateKey(options.key)
        return try await db.transaction { db in
            let record = try await CatalogueRecord.query(on: db).filter(\.$key == key).first() ?? CatalogueRecord()
            if record.id != nil && record.kind != "profile" {
                throw Problem.conflict(.init(ja: "このキーはカタログに使われています。", en: "This key belongs to a catalogue."))
            }
            record.key = key
            record.kind = "profile"
            record.structure = "oscal"
            record.title = options.title ?? profile.title
            record.version = options.version ?? profile.version
            record.oscalUUID = profile.uuid
            record.evidenceFor = ""
            record.isTarget = false
            record.document = profile.document.serialized
            record.controlCount = profile.includedIDs.count
            record.importedAt = now
            record.importedBy = actor.label
            try await record.save(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: nil, action: "cloud.profile.import", targetType: "cloud.catalogue",
                                        targetID: key, summary: ["title": record.title, "controls": String(record.controlCount)], at: now)
            return record
        }
    }

    func nodes(of record: CatalogueRecord) async throws -> [CatalogueNodeRecord] {
        try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == record.id!).sort(\.$seq).all()
    }

    /// The OSCAL document as imported (plus metadata edited in Shinrai).
    func export(_ record: CatalogueRecord) async throws -> Data {
        if record.kind == "profile" { return Data(record.document.utf8) }
        let nodes = try await nodes(of: record).map(\.node)
        let document = OSCAL.document(shell: OSCAL.object(record.document), nodes: nodes)
        return Data(document.serialized.utf8)
    }

    func exportCSV(_ record: CatalogueRecord) async throws -> Data {
        guard record.structure == "ismap" else {
            throw Problem.conflict(.init(ja: "CSVで出力できるのはISMAP形式のカタログです。OSCAL JSONをご利用ください。",
                                         en: "Only ISMAP-structured catalogues export as CSV; use the OSCAL JSON."))
        }
        return ISMAPCatalogueCSV.csv(ISMAPCatalogueCSV.rows(from: try await nodes(of: record).map(\.node)))
    }

    func control(_ record: CatalogueRecord, id: String) async throws -> CatalogueNodeRecord {
        guard id.count <= 100, let node = try await CatalogueNodeRecord.query(on: db).filter(\.$catalogueID == record.id!).filter(\.$oscalID == id).first() else {
            throw Problem.notFound
        }
        return node
    }

    func updateGuidance(_ record: CatalogueRecord, node: CatalogueNodeRecord, guidance: ControlGuidance, actor: Actor) async throws {
        let errors = ControlGuidance.validate(guidance)
        if !errors.isEmpty { throw Problem.validation(errors) }
        guard node.kind == "control" else { throw Problem.notFound }
        try await db.transaction { db in
            let json = guidance.applied(to: OSCAL.object(node.json))
            node.json = OSCAL.text(json)
            node.applicability = guidance.applicability?.rawValue
            try await node.save(on: db)
            // The metadata tells government users what they may ask for: every version is logged.
            try await PublicRecord.publish(on: db, actor: actor, organisationID: nil, type: "cloud.control.guidance", subject: "\(record.key) \(node.oscalID ?? "")",
                                           recordNumber: "\(record.key):\(node.oscalID ?? "")", content: guidance, targetType: "cloud.control",
                                           targetID: "\(record.key):\(node.oscalID ?? "")", summary: ["applicability": guidance.applicability?.rawValue ?? ""], at: now)
        }
    }

    func updateEvidence(_ record: CatalogueRecord, kinds: [CertificationKind], isTarget: Bool, actor: Actor) async throws {
        try await db.transaction { db in
            if isTarget {
                for other in try await CatalogueRecord.query(on: db).filter(\.$isTarget == true).all() where other.id != record.id {
                    other.isTarget = false
                    try await other.save(on: db)
                }
            }
            record.evidenceFor = kinds.map(\.rawValue).joined(separator: ",")
            record.isTarget = isTarget && record.kind == "catalog"
            try await record.save(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: nil, action: "cloud.catalogue.settings", targetType: "cloud.catalogue",
                                        targetID: record.key, summary: ["evidenceFor": record.evidenceFor, "target": String(record.isTarget)], at: now)
        }
    }

    /// The controls of the catalogues a profile imports that it selects.
    func resolve(profile record: CatalogueRecord, against catalogue: CatalogueRecord) async throws -> (selected: [String], missing: [String]) {
        let profile = try OSCAL.profile(from: Data(record.document.utf8))
        let ids = try await nodes(of: catalogue).filter { $0.kind == "control" }.compactMap(\.oscalID)
        return OSCAL.resolve(profile, controlIDs: ids)
    }
}

/// Crosswalks between catalogues in the OSCAL control-mapping model, or as CSV.
struct CrosswalkDesk {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }

    static let csvColumns = ["source", "relationship", "target", "coverage", "confidence", "remarks"]

    func crosswalk(key: String) async throws -> CrosswalkRecord {
        guard key.count <= 63, let record = try await CrosswalkRecord.query(on: db).filter(\.$key == key).first() else { throw Problem.notFound }
        return record
    }

    /// The catalogue a mapping names: an explicit key, or the catalogue whose OSCAL uuid the href points at.
    func catalogueKey(explicit: String?, href: String?, pointer: String) async throws -> String {
        if let explicit, !explicit.isEmpty {
            let key = try CatalogueDesk.validateKey(explicit, pointer: pointer)
            guard try await CatalogueRecord.query(on: db).filter(\.$key == key).first() != nil else {
                throw Problem.validation([FieldError(pointer: pointer, code: "unknown", detail: "No catalogue with key \(key).", detailJa: "キー \(key) のカタログはありません。")])
            }
            return key
        }
        if let href, href.hasPrefix("#") {
            let uuid = String(href.dropFirst()).lowercased()
            if let match = try await CatalogueRecord.query(on: db).filter(\.$oscalUUID == uuid).first() { return match.key }
        }
        throw Problem.validation([FieldError(pointer: pointer, code: "missing", detail: "Say which imported catalogue this side of the mapping refers to.",
                                             detailJa: "対応表のこちら側がどのカタログかを指定してください。")])
    }

    func importOSCAL(_ data: Data, key: String?, source: String?, target: String?, actor: Actor) async throws -> CrosswalkRecord {
        let key = try CatalogueDesk.validateKey(key)
        let collection: OSCAL.MappingCollection
        do { collection = try OSCAL.mappingCollection(from: data) } catch let error as OSCAL.ImportError { throw error.problem }
        let sourceKey = try await catalogueKey(explicit: source, href: collection.sourceHref, pointer: "/source")
        let targetKey = try await catalogueKey(explicit: target, href: collection.targetHref, pointer: "/target")
        try await checkControls(collection.maps, source: sourceKey, target: targetKey)
        return try await store(key: key, title: collection.title, uuid: collection.uuid, shell: collection.shell, mappingShell: collection.mappingShell,
                               source: sourceKey, target: targetKey, maps: collection.maps, actor: actor)
    }

    /// Every id a map names must exist in its catalogue (a typo would silently weaken the calculator).
    func checkControls(_ maps: [OSCAL.Mapping], source: String, target: String) async throws {
        let desk = CatalogueDesk(services: services)
        let sourceIDs = Set(try await desk.nodes(of: try await desk.catalogue(key: source)).compactMap(\.oscalID))
        let targetIDs = Set(try await desk.nodes(of: try await desk.catalogue(key: target)).compactMap(\.oscalID))
        var errors: [FieldError] = []
        for (i, map) in maps.enumerated() {
            for id in map.sources where !sourceIDs.contains(id) {
                errors.append(FieldError(pointer: "/maps/\(i)/sources", code: "unknown", detail: "\(source) has no control \(id).", detailJa: "\(source) に管理策 \(id) はありません。"))
            }
            for id in map.targets where !targetIDs.contains(id) {
                errors.append(FieldError(pointer: "/maps/\(i)/targets", code: "unknown", detail: "\(target) has no control \(id).", detailJa: "\(target) に管理策 \(id) はありません。"))
            }
        }
        if !errors.isEmpty { throw Problem.validation(Array(errors.prefix(50))) }
    }

    func importCSV(_ data: Data, key: String?, title: String?, source: String?, target: String?, actor: Actor) async throws -> CrosswalkRecord {
        let key = try CatalogueDesk.validateKey(key)
        let sourceKey = try await catalogueKey(explicit: source, href: nil, pointer: "/source")
        let targetKey = try await catalogueKey(explicit: target, href: nil, pointer: "/target")
        var check = InputCheck()
        let title = check.text("/title", title, label: .init(ja: "題名", en: "title"), max: 200)
        try check.throwIfAny()
        let rows: [CSVParser.Row]
        do { rows = try CSVParser.parse(data) } catch let error as CSVParseError {
            throw Problem.validation([FieldError(pointer: "/csv", code: "invalid", detail: "Line \(error.line): \(error.en)", detailJa: "\(error.line)行目: \(error.ja)")])
        }
        guard let header = rows.first else { throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "The CSV is empty.", detailJa: "CSVが空です。")]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["source", "relationship", "target"] where !names.contains(required) {
            throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "The header row has no \(required) column.", detailJa: "見出し行に列 \(required) がありません。")])
        }
        var maps: [OSCAL.Mapping] = []
        var errors: [FieldError] = []
        for row in rows.dropFirst() {
            func value(_ column: String) -> String? {
                guard let i = names.firstIndex(of: column), i < row.fields.count else { return nil }
                let text = CSVWriter.unprotect(row.fields[i]).trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            if let raw = value("relationship"), MappingRelationship(rawValue: raw) == nil {
                let allowed = MappingRelationship.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(pointer: "/csv/line/\(row.line)", code: "invalid", detail: "Line \(row.line): the relationship \"\(raw)\" is not one of \(allowed).",
                                         detailJa: "\(row.line)行目: relationship「\(raw)」は使えません。\(allowed) のいずれかです。"))
                continue
            }
            guard let source = value("source"), let targetID = value("target"),
                  let relationship = value("relationship").flatMap(MappingRelationship.init(rawValue:)) else {
                errors.append(FieldError(pointer: "/csv/line/\(row.line)", code: "invalid", detail: "Line \(row.line): source, relationship (e.g. equivalent-to) and target are required.",
                                         detailJa: "\(row.line)行目: source・relationship（例: equivalent-to）・target が必要です。"))
                continue
            }
            let coverage = value("coverage").flatMap(Double.init), confidence = value("confidence").flatMap(Double.init)
            // A value that is not a number (e.g. "80%") is refused rather than dropped.
            let unreadable = (value("coverage") != nil && coverage == nil) || (value("confidence") != nil && confidence == nil)
            if unreadable || [coverage, confidence].contains(where: { $0.map { !(0...1).contains($0) } ?? false }) {
                errors.append(FieldError(pointer: "/csv/line/\(row.line)", code: "range", detail: "Line \(row.line): coverage and confidence are numbers between 0 and 1 (e.g. 0.8).",
                                         detailJa: "\(row.line)行目: coverage と confidence は0〜1の数値です（例: 0.8）。"))
                continue
            }
            let json = OSCAL.mapObject(uuid: UUID(), source: source, target: targetID, relationship: relationship, coverage: coverage,
                                       confidence: confidence, remarks: value("remarks"))
            maps.append(OSCAL.Mapping(sources: [source], targets: [targetID], relationship: relationship, coverage: coverage,
                                      confidence: confidence, remarks: value("remarks"), json: json))
        }
        if !errors.isEmpty { throw Problem.validation(Array(errors.prefix(50))) }
        if maps.isEmpty { throw Problem.validation([FieldError(pointer: "/csv", code: "missing", detail: "There are no mapping rows.", detailJa: "対応の行がありません。")]) }
        try await checkControls(maps, source: sourceKey, target: targetKey)
        let desk = CatalogueDesk(services: services)
        let sourceCatalogue = try await desk.catalogue(key: sourceKey), targetCatalogue = try await desk.catalogue(key: targetKey)
        let uuid = UUID().uuidString.lowercased()
        let shell = JSONObject([
            ("uuid", .string(uuid)),
            ("metadata", .object(JSONObject([("title", .string(title)), ("last-modified", .string(ISO8601Timestamp.format(now))),
                                             ("version", .string("1.0")), ("oscal-version", .string("1.2.0"))]))),
            ("provenance", .object(JSONObject([("method", .string("human")), ("matching-rationale", .string("semantic")), ("status", .string("draft")),
                                               ("mapping-description", .string(title))]))),
            ("mappings", .array([])),
            ("back-matter", .object(JSONObject([("resources", .array([
                .object(JSONObject([("uuid", .string(sourceCatalogue.oscalUUID)), ("title", .string(sourceCatalogue.title))])),
                .object(JSONObject([("uuid", .string(targetCatalogue.oscalUUID)), ("title", .string(targetCatalogue.title))])),
            ]))]))),
        ])
        let mappingShell = JSONObject([
            ("uuid", .string(UUID().uuidString.lowercased())),
            ("source-resource", .object(JSONObject([("type", .string("catalog")), ("href", .string("#" + sourceCatalogue.oscalUUID))]))),
            ("target-resource", .object(JSONObject([("type", .string("catalog")), ("href", .string("#" + targetCatalogue.oscalUUID))]))),
            ("maps", .array([])),
        ])
        return try await store(key: key, title: title, uuid: uuid, shell: shell, mappingShell: mappingShell, source: sourceKey, target: targetKey, maps: maps, actor: actor)
    }

    func store(key: String, title: String, uuid: String, shell: JSONObject, mappingShell: JSONObject, source: String, target: String,
               maps: [OSCAL.Mapping], actor: Actor) async throws -> CrosswalkRecord {
        try await db.transaction { db in
            let record = try await CrosswalkRecord.query(on: db).filter(\.$key == key).first() ?? CrosswalkRecord()
            if let id = record.id { try await MappingRecord.query(on: db).filter(\.$crosswalkID == id).delete() }
            record.key = key
            record.title = title
            record.sourceCatalogue = source
            record.targetCatalogue = target
            record.oscalUUID = uuid
            record.shell = OSCAL.text(shell)
            record.mappingShell = OSCAL.text(mappingShell)
            record.mapCount = maps.count
            record.importedAt = now
            record.importedBy = actor.label
            try await record.save(on: db)
            let rows = maps.enumerated().map { seq, map -> MappingRecord in
                let row = MappingRecord()
                row.crosswalkID = record.id!
                row.seq = seq
                row.sources = map.sources.joined(separator: " ")
                row.targets = map.targets.joined(separator: " ")
                row.relationship = map.relationship.rawValue
                row.coverage = map.coverage
                row.confidence = map.confidence
                row.remarks = map.remarks
                row.json = OSCAL.text(map.json)
                return row
            }
            for start in stride(from: 0, to: rows.count, by: 500) { try await Array(rows[start..<min(rows.count, start + 500)]).create(on: db) }
            try await AuditTrail.record(on: db, actor: actor, organisationID: nil, action: "cloud.crosswalk.import", targetType: "cloud.crosswalk", targetID: key,
                                        summary: ["source": source, "target": target, "maps": String(maps.count)], at: now)
            return record
        }
    }

    func maps(of record: CrosswalkRecord) async throws -> [MappingRecord] {
        try await MappingRecord.query(on: db).filter(\.$crosswalkID == record.id!).sort(\.$seq).all()
    }

    func export(_ record: CrosswalkRecord) async throws -> Data {
        let maps = try await maps(of: record).map { OSCAL.object($0.json) }
        return Data(OSCAL.document(collectionShell: OSCAL.object(record.shell), mappingShell: OSCAL.object(record.mappingShell), maps: maps).serialized.utf8)
    }

    func exportCSV(_ record: CrosswalkRecord) async throws -> Data {
        var writer = CSVWriter()
        writer.addRow(texts: Self.csvColumns)
        for map in try await maps(of: record) {
            for source in map.sources.split(separator: " ") {
                for target in map.targets.split(separator: " ") {
                    writer.addRow([.text(String(source)), .text(map.relationship), .text(String(target)),
                                   map.coverage.map { .number($0) } ?? .empty, map.confidence.map { .number($0) } ?? .empty, .text(map.remarks ?? "")])
                }
            }
        }
        return writer.data
    }

    /// Every mapping statement of every crosswalk, as calculator edges.
    func edges() async throws -> [MappingEdge] {
        let crosswalks = try await CrosswalkRecord.query(on: db).all()
        let byID = Dictionary(crosswalks.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var edges: [MappingEdge] = []
        for map in try await MappingRecord.query(on: db).all() {
            guard let crosswalk = byID[map.crosswalkID], let relationship = MappingRelationship(rawValue: map.relationship) else { continue }
            for source in map.sources.split(separator: " ") {
                for target in map.targets.split(separator: " ") {
                    edges.append(MappingEdge(source: ControlRef(crosswalk.sourceCatalogue, String(source)), target: ControlRef(crosswalk.targetCatalogue, String(target)),
                                             relationship: relationship, crosswalk: crosswalk.key))
                }
            }
        }
        return edges
    }
}
