import Foundation
import ShinraiKit
import Testing
@testable import CloudAssurance

/// The shared OSCAL files (../shared/data/oscal) are bundled with the module's samples; when the
/// shared folder exists, the bundled copies must be identical to it.
@Suite("OSCAL catalogues, profiles and mappings; the ISMAP-structured CSV")
struct OSCALTests {
    static let shared = URL(fileURLWithPath: "/work/shared/data/oscal")
    static func file(_ name: String) throws -> Data {
        let bundled = try CloudDemo.sample(name)
        if let original = FileManager.default.contents(atPath: shared.appendingPathComponent(name).path) { #expect(original == bundled, "\(name) differs from the shared copy") }
        return bundled
    }
    static let low = "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"

    func json(_ data: Data) throws -> NSDictionary { try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary) }

    @Test("the NIST SP 800-53 Rev.5 Low baseline imports completely: 18 groups, 149 controls with parameters and parts")
    func lowBaseline() throws {
        let catalog = try OSCAL.catalog(from: try Self.file(Self.low))
        #expect(catalog.uuid == "0470d39a-3e02-4bff-82cf-676d522c1554")
        #expect(catalog.nodes.filter { $0.kind == .group }.count == 18)
        #expect(catalog.controlCount == 149)
        let ac2 = try #require(catalog.nodes.first { $0.id == "ac-2" })
        #expect(ac2.title == "Account Management")
        #expect(ac2.label == "AC-2")
        #expect(ac2.statement.contains("Define and document the types of accounts"))
        #expect(ac2.json["params"] != nil)
        // Enhancements nest under their control.
        let enhancement = try #require(catalog.nodes.first { $0.id == "ia-2.1" })
        #expect(catalog.nodes[enhancement.parent!].id == "ia-2")
    }

    @Test("round trip: the exported document equals the imported one (ids, structure, parameters, parts, back-matter)",
          arguments: [low, "basic-catalog.json"])
    func roundTrip(name: String) throws {
        let data = try Self.file(name)
        let catalog = try OSCAL.catalog(from: data)
        let exported = OSCAL.document(shell: catalog.shell, nodes: catalog.nodes)
        #expect(try json(Data(exported.serialized.utf8)) == (try json(data)))
        // Also through the stored text of every node.
        let reparsed = catalog.nodes.map { OSCAL.Node(kind: $0.kind, id: $0.id, parent: $0.parent, depth: $0.depth, title: $0.title, json: OSCAL.object(OSCAL.text($0.json))) }
        #expect(try json(Data(OSCAL.document(shell: OSCAL.object(OSCAL.text(catalog.shell)), nodes: reparsed).serialized.utf8)) == (try json(data)))
    }

    @Test("the basic example catalogue keeps nested groups and choice parameters")
    func basic() throws {
        let catalog = try OSCAL.catalog(from: try Self.file("basic-catalog.json"))
        #expect(catalog.nodes.contains { $0.kind == .group && $0.depth == 1 && $0.id == "s1.1" })
        let control = try #require(catalog.nodes.first { $0.id == "s1.1.1" })
        #expect(CataloguePages.parameters(control.json)["s1.1.1-prm1"]?.contains("initiating a device lock") == true)
        let prose = CataloguePages.parts(control.json, params: CataloguePages.parameters(control.json)).map { $0["prose"] as? String ?? "" }.joined()
        #expect(!prose.contains("{{ insert"))
    }

    @Test("the MODERATE profile lists its controls and resolves against the Low catalogue, naming what the catalogue lacks")
    func profile() throws {
        let profile = try OSCAL.profile(from: try Self.file("NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"))
        #expect(profile.imports == ["#84cbf061-eb87-4ec1-8112-1f529232e907"])
        #expect(profile.includedIDs.count > 250)
        #expect(profile.includedIDs.first == "ac-1")
        let low = try OSCAL.catalog(from: try Self.file(Self.low))
        let (selected, missing) = OSCAL.resolve(profile, controlIDs: low.nodes.compactMap { $0.kind == .control ? $0.id : nil })
        #expect(selected.contains("ac-2") && !selected.contains("ac-2.1"))
        #expect(missing.contains("ac-2.1"))
        #expect(selected.count + missing.count == profile.includedIDs.count)
    }

    @Test("globs of profile matching")
    func globs() {
        #expect(OSCAL.glob("ac-*", matches: "ac-2.1"))
        #expect(OSCAL.glob("ac-?", matches: "ac-2"))
        #expect(!OSCAL.glob("ac-?", matches: "ac-22"))
    }

    @Test("refusals name the place: not a catalogue, duplicate ids, a control without id")
    func refusals() {
        #expect(throws: OSCAL.ImportError.self) { try OSCAL.catalog(from: Data("{\"profile\":{}}".utf8)) }
        #expect(throws: OSCAL.ImportError.self) { try OSCAL.catalog(from: Data("not json".utf8)) }
        let duplicate = """
        {"catalog":{"uuid":"u","metadata":{"title":"t"},"controls":[{"id":"a","title":"A"},{"id":"a","title":"B"},{"title":"C"}]}}
        """
        do { _ = try OSCAL.catalog(from: Data(duplicate.utf8)); Issue.record("must fail") } catch let error as OSCAL.ImportError {
            #expect(error.errors.map(\.pointer) == ["/catalog/controls/1/id", "/catalog/controls/2/id"])
            #expect(error.errors.map(\.code) == ["duplicate", "missing"])
        } catch { Issue.record("\(error)") }
    }

    @Test("the NIST → ISO mapping collection: relationships, references and a faithful round trip")
    func mappingCollection() throws {
        let data = try CloudDemo.sample("crosswalk-nist-iso27001.json")
        let collection = try OSCAL.mappingCollection(from: data)
        #expect(collection.sourceHref == "#0470d39a-3e02-4bff-82cf-676d522c1554")
        #expect(collection.maps.count == 18)
        #expect(collection.maps.contains { $0.relationship == .noRelationship })
        let exported = OSCAL.document(collectionShell: collection.shell, mappingShell: collection.mappingShell, maps: collection.maps.map(\.json))
        #expect(try json(Data(exported.serialized.utf8)) == (try json(data)))
        #expect(throws: OSCAL.ImportError.self) {
            try OSCAL.mappingCollection(from: Data(#"{"mapping-collection":{"uuid":"u","metadata":{"title":"t"},"mappings":[{"maps":[{"relationship":"similar-to","sources":[{"type":"control","id-ref":"a"}],"targets":[{"type":"control","id-ref":"b"}]}]}]}}"#.utf8))
        }
    }

    @Test("ISMAP-structured CSV: criteria, sections, objectives and detailed controls; mandatory from the B suffix; §2.1 metadata")
    func ismapCSV() throws {
        let rows = try ISMAPCatalogueCSV.parse(try CloudDemo.sample("ismap-sample.csv"))
        #expect(rows.count == 64)
        let byok = try #require(rows.first { $0.id == "8.1.2.7.PB" })
        #expect(byok.type == .detailed && byok.parent == "8.1.2" && byok.mandatory)
        #expect(byok.guidance.applicability == .onRequest)
        #expect(byok.guidance.alternativesJa?.contains("HSM") == true)
        #expect(rows.first { $0.id == "10.1.2.20.PB" }?.guidance.applicability == .onRequest)
        #expect(rows.first { $0.id == "9.4.2.9.P" }?.mandatory == false)
        #expect(ISMAPCatalogueCSV.isBasicRequirement("8.1.2.7.PB") && ISMAPCatalogueCSV.isBasicRequirement("5.1.1.1.B") && !ISMAPCatalogueCSV.isBasicRequirement("5.1.1.12.P"))
        let catalog = ISMAPCatalogueCSV.catalog(rows, uuid: UUID(), title: "t", version: "1", published: Date(timeIntervalSince1970: 0))
        #expect(catalog.nodes.filter { $0.kind == .group }.map(\.id!).prefix(3) == ["governance", "management", "control"])
        let node = try #require(catalog.nodes.first { $0.id == "8.1.2.7.PB" })
        #expect(catalog.nodes[node.parent!].id == "8.1.2")
        #expect(ControlGuidance(control: node.json).applicability == .onRequest)
        // CSV → catalogue → CSV gives the same rows.
        let again = ISMAPCatalogueCSV.rows(from: catalog.nodes)
        #expect(again == rows)
        #expect(try ISMAPCatalogueCSV.parse(ISMAPCatalogueCSV.csv(again)) == rows)
    }

    @Test("ISMAP CSV refusals: unknown criteria, a detailed control without objective, on-request without alternatives, duplicate ids")
    func ismapCSVRefusals() {
        let csv = """
        criteria,type,id,parent,title_ja,applicability
        control,section,8,,資産,
        other,objective,8.1,8,x,
        control,detailed,8.1.1.B,8,y,
        control,objective,8.2,8,z,
        control,detailed,8.2.1.B,8.2,w,on-request
        control,section,8,,dup,
        """
        do { _ = try ISMAPCatalogueCSV.parse(Data(csv.utf8)); Issue.record("must fail") } catch let error as OSCAL.ImportError {
            #expect(error.errors.map(\.pointer) == ["/csv/line/3/criteria", "/csv/line/4/parent", "/csv/line/6/alternativesJa", "/csv/line/7/id"])
            #expect(error.errors.allSatisfy { ($0.detailJa ?? "").contains("行目") })
        } catch { Issue.record("\(error)") }
    }

    @Test("guidance is written into the control's OSCAL object and read back; re-applying replaces it")
    func guidance() {
        var control = JSONObject([("id", .string("x")), ("title", .string("X")), ("props", .array([.object(JSONObject([("name", .string("label")), ("value", .string("X"))]))])),
                                  ("controls", .array([]))])
        let first = ControlGuidance(applicability: .onRequest, purposeJa: "目的", alternativesJa: "代替策", alternativesEn: "alternatives")
        control = first.applied(to: control)
        #expect(ControlGuidance(control: control) == first)
        #expect(control.keys.last == "controls")
        let second = ControlGuidance(applicability: .required, risksEn: "risks")
        control = second.applied(to: control)
        #expect(ControlGuidance(control: control) == second)
        #expect(OSCAL.Node.prop(control, "label") == "X")
        #expect(ControlGuidance.validate(ControlGuidance(applicability: .onRequest)).map(\.pointer) == ["/alternativesJa"])
    }
}
