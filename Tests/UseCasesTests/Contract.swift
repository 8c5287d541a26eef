import Foundation
import ShinraiKit

/// Checks JSON values against the schemas of the published OpenAPI document: the subset of JSON
/// Schema the platform uses (type, properties, required, additionalProperties, enum, items, oneOf,
/// $ref, pattern, maxLength, minimum, maximum, formats date-time/date/uuid).
struct SchemaChecker {
    let document: [String: Any]

    var schemas: [String: Any] { (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:] }

    func operation(_ method: String, _ template: String) -> [String: Any]? {
        ((document["paths"] as? [String: Any])?[template] as? [String: Any])?[method.lowercased()] as? [String: Any]
    }

    func responseSchema(_ method: String, _ template: String, status: Int) -> [String: Any]? {
        guard let responses = operation(method, template)?["responses"] as? [String: Any],
              let response = responses[String(status)] as? [String: Any] else { return nil }
        return ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    func requestSchema(_ method: String, _ template: String) -> [String: Any]? {
        (((operation(method, template)?["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    func check(_ value: Any, _ schema: [String: Any], at path: String = "") -> [String] {
        if let ref = schema["$ref"] as? String {
            guard let target = schemas[String(ref.split(separator: "/").last!)] as? [String: Any] else { return ["\(path): unresolved \(ref)"] }
            return check(value, target, at: path)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let passing = options.filter { check(value, $0, at: path).isEmpty }
            return passing.count == 1 ? [] : ["\(path): matches \(passing.count) of oneOf"]
        }
        var problems: [String] = []
        if let type = schema["type"] as? String {
            switch type {
            case "null": if !(value is NSNull) { problems.append("\(path): expected null") }
            case "boolean": if !(value is Bool) { problems.append("\(path): expected boolean") }
            case "integer", "number":
                guard let number = value as? NSNumber else { problems.append("\(path): expected \(type)"); break }
                if type == "integer" && number.doubleValue != number.doubleValue.rounded() { problems.append("\(path): expected integer") }
                if let min = schema["minimum"] as? Int, number.doubleValue < Double(min) { problems.append("\(path): below minimum") }
                if let max = schema["maximum"] as? Int, number.doubleValue > Double(max) { problems.append("\(path): above maximum") }
            case "string":
                guard let text = value as? String else { problems.append("\(path): expected string"); break }
                if let values = schema["enum"] as? [String], !values.contains(text) { problems.append("\(path): \(text) not in enum") }
                if let max = schema["maxLength"] as? Int, text.unicodeScalars.count > max { problems.append("\(path): longer than \(max)") }
                if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil { problems.append("\(path): \(text) does not match \(pattern)") }
                switch schema["format"] as? String {
                case "date-time": if ISO8601Timestamp.parse(text) == nil { problems.append("\(path): not a date-time") }
                case "date": if LocalDate(text) == nil { problems.append("\(path): not a date") }
                case "uuid": if UUID(uuidString: text) == nil { problems.append("\(path): not a uuid") }
                default: break
                }
            case "array":
                guard let items = value as? [Any] else { problems.append("\(path): expected array"); break }
                if let max = schema["maxItems"] as? Int, items.count > max { problems.append("\(path): more than \(max) items") }
                if let itemSchema = schema["items"] as? [String: Any] {
                    for (i, item) in items.enumerated() { problems += check(item, itemSchema, at: "\(path)/\(i)") }
                }
            case "object":
                guard let object = value as? [String: Any] else { problems.append("\(path): expected object"); break }
                let properties = schema["properties"] as? [String: Any] ?? [:]
                for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path)/\(key): missing") }
                for (key, member) in object {
                    if let propertySchema = properties[key] as? [String: Any] { problems += check(member, propertySchema, at: "\(path)/\(key)") }
                    else if schema["additionalProperties"] as? Bool == false { problems.append("\(path)/\(key): not allowed") }
                }
            default: break
            }
        }
        return problems
    }
}
