import Foundation
import ShinraiKit

/// Whether a control must be implemented (§2.1).
public enum ControlApplicability: String, CaseIterable, Codable, Sendable {
    /// Every registered service implements it.
    case required
    /// Implemented when a government user asks for it (the paper's proposal for BYOK).
    case onRequest = "on-request"
    /// Chosen by the provider according to its risks.
    case optional
}

/// §2.1 metadata of a control: its purpose, the risks it addresses, acceptable alternative
/// measures, and its applicability. Kept inside the control's OSCAL object (properties and parts
/// in Shinrai's namespace) so that exports carry it and re-imports restore it.
public struct ControlGuidance: Codable, Sendable, Equatable {
    public var applicability: ControlApplicability?
    public var purposeJa: String?
    public var purposeEn: String?
    public var risksJa: String?
    public var risksEn: String?
    public var alternativesJa: String?
    public var alternativesEn: String?

    public init(applicability: ControlApplicability? = nil, purposeJa: String? = nil, purposeEn: String? = nil, risksJa: String? = nil,
                risksEn: String? = nil, alternativesJa: String? = nil, alternativesEn: String? = nil) {
        self.applicability = applicability; self.purposeJa = purposeJa; self.purposeEn = purposeEn; self.risksJa = risksJa
        self.risksEn = risksEn; self.alternativesJa = alternativesJa; self.alternativesEn = alternativesEn
    }

    public var isEmpty: Bool { self == ControlGuidance() }

    static let parts: [(name: String, ja: WritableKeyPath<ControlGuidance, String?>, en: WritableKeyPath<ControlGuidance, String?>)] = [
        ("purpose", \.purposeJa, \.purposeEn), ("risks", \.risksJa, \.risksEn), ("alternatives", \.alternativesJa, \.alternativesEn),
    ]

    /// Reads the metadata from a control object.
    public init(control: JSONObject) {
        self.init()
        if let value = OSCAL.Node.prop(control, "applicability", namespace: OSCAL.namespace) { applicability = ControlApplicability(rawValue: value) }
        guard case .array(let items)? = control["parts"] else { return }
        for case .object(let part) in items {
            guard part["ns"] == .string(OSCAL.namespace), case .string(let name)? = part["name"], case .string(let prose)? = part["prose"],
                  let entry = Self.parts.first(where: { $0.name == name }) else { continue }
            if part["class"] == .string("en") { self[keyPath: entry.en] = prose } else { self[keyPath: entry.ja] = prose }
        }
    }

    /// The control object with this metadata in place of any earlier Shinrai metadata.
    public func applied(to control: JSONObject) -> JSONObject {
        var out = control
        var props: [JSONValue] = []
        if case .array(let existing)? = control["props"] {
            props = existing.filter { item in
                guard case .object(let p) = item else { return true }
                return !(p["ns"] == .string(OSCAL.namespace) && p["name"] == .string("applicability"))
            }
        }
        if let applicability {
            props.append(.object(JSONObject([("name", .string("applicability")), ("ns", .string(OSCAL.namespace)), ("value", .string(applicability.rawValue))])))
        }
        out["props"] = props.isEmpty ? nil : .array(props)
        var parts: [JSONValue] = []
        if case .array(let existing)? = control["parts"] {
            parts = existing.filter { item in
                guard case .object(let p) = item, p["ns"] == .string(OSCAL.namespace), case .string(let name)? = p["name"] else { return true }
                return !Self.parts.contains { $0.name == name }
            }
        }
        let id: String = { if case .string(let s)? = control["id"] { return s } else { return "control" } }()
        for entry in Self.parts {
            for (language, path) in [("ja", entry.ja), ("en", entry.en)] {
                guard let prose = self[keyPath: path], !prose.isEmpty else { continue }
                parts.append(.object(JSONObject([("id", .string("\(id)_\(entry.name)_\(language)")), ("name", .string(entry.name)),
                                                 ("ns", .string(OSCAL.namespace)), ("class", .string(language)), ("prose", .string(prose))])))
            }
        }
        out["parts"] = parts.isEmpty ? nil : .array(parts)
        // Children stay last, where OSCAL puts them.
        if let controls = out["controls"] { out["controls"] = nil; out["controls"] = controls }
        return out
    }

    /// Validation for the edit form and API.
    public static func validate(_ guidance: ControlGuidance) -> [FieldError] {
        var errors: [FieldError] = []
        for (pointer, value) in [("/purposeJa", guidance.purposeJa), ("/purposeEn", guidance.purposeEn), ("/risksJa", guidance.risksJa),
                                 ("/risksEn", guidance.risksEn), ("/alternativesJa", guidance.alternativesJa), ("/alternativesEn", guidance.alternativesEn)] {
            if let value, value.count > 4000 {
                errors.append(FieldError(pointer: pointer, code: "range", detail: "At most 4,000 characters.", detailJa: "4,000文字以内で入力してください。"))
            }
        }
        if guidance.applicability == .onRequest && (guidance.alternativesJa ?? "").isEmpty && (guidance.alternativesEn ?? "").isEmpty {
            errors.append(FieldError(pointer: "/alternativesJa", code: "missing",
                                     detail: "A control implemented only on request must list the alternative measures (§2.1).",
                                     detailJa: "利用者の求めに応じて実装する管理策には代替策を記載してください（2.1）。"))
        }
        return errors
    }
}
