// TEMPORARY: replaced by Support/* when delivered.
import Foundation
public enum UILanguage: String, Sendable, CaseIterable { case ja, en }
public struct FieldError: Codable, Sendable, Equatable {
    public var pointer: String; public var code: String; public var detail: String; public var detailJa: String?
    public init(pointer: String, code: String, detail: String, detailJa: String? = nil) { self.pointer = pointer; self.code = code; self.detail = detail; self.detailJa = detailJa }
}
public struct JSONInputError: Error { public var errors: [FieldError]; public var summary: String }
public struct ValidationErrors {
    public var errors: [FieldError] = []
    public init() {}
    public mutating func add(_ pointer: String, code: String, _ text: LocalizedText) { errors.append(FieldError(pointer: pointer, code: code, detail: text.en, detailJa: text.ja)) }
    public var isEmpty: Bool { errors.isEmpty }
    public func throwIfAny() throws { if !errors.isEmpty { throw Problem.validation(errors) } }
}
public struct StrictJSONDecoder { public init() {}
    public func decode<T: Decodable>(_ t: T.Type, from data: Data) throws -> T { try JSONDecoder().decode(t, from: data) } }
public struct JapaneseIdentifierError: Error { public var messageJa: String; public var messageEn: String }
public struct CorporateNumber { public let value: String
    public init(_ s: String) throws { value = s }
    public static func checkDigit(for base12: String) -> Int { 9 - (base12.reversed().enumerated().reduce(0) { $0 + Int(String($1.element))! * ($1.offset % 2 == 0 ? 1 : 2) } % 9) } }
public struct LocalGovernmentCode { public let value: String
    public init(_ s: String) throws { value = s }
    public static func checkDigit(for base5: String) -> Int { let w = [6,5,4,3,2]; let s = zip(base5, w).reduce(0) { $0 + Int(String($1.0))! * $1.1 }; let r = s % 11; return r == 0 ? 0 : (11 - r) % 10 } }
public enum JapaneseDate {
    public static func long(_ d: Date, language: UILanguage) -> String { "\(d)" }
    public static func dateTime(_ d: Date, language: UILanguage) -> String { "\(d)" }
    public static func time(_ d: Date, language: UILanguage) -> String { "\(d)" }
}
