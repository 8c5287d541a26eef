import Foundation

/// UI strings, one JSON catalogue per language (nested objects; keys are paths like
/// `nav.home`). Modules contribute their own catalogues, merged under their keys.
public final class Catalogue: @unchecked Sendable {
    /// Immutable after init; `[String: Any]` is what Mustache walks for `{{t.nav.home}}`.
    private let trees: [UILanguage: [String: Any]]

    public init(trees: [UILanguage: [String: Any]]) { self.trees = trees }

    /// Loads `locales/<lang>.json` from every bundle and merges them (later bundles may not
    /// overwrite earlier keys: a clash is a startup error).
    public static func load(from directories: [URL]) throws -> Catalogue {
        var trees: [UILanguage: [String: Any]] = [:]
        for language in UILanguage.allCases {
            var merged: [String: Any] = [:]
            for dir in directories {
                let url = dir.appendingPathComponent("\(language.rawValue).json")
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
                guard let tree = object as? [String: Any] else { throw CatalogueError.notAnObject(url.path) }
                try merge(tree, into: &merged, path: "", file: url.path)
            }
            trees[language] = merged
        }
        return Catalogue(trees: trees)
    }

    private static func merge(_ tree: [String: Any], into target: inout [String: Any], path: String, file: String) throws {
        for (key, value) in tree {
            let full = path.isEmpty ? key : "\(path).\(key)"
            if let sub = value as? [String: Any] {
                var existing = target[key] as? [String: Any] ?? [:]
                if target[key] != nil && target[key] as? [String: Any] == nil { throw CatalogueError.clash(full, file) }
                try merge(sub, into: &existing, path: full, file: file)
                target[key] = existing
            } else {
                if target[key] != nil { throw CatalogueError.clash(full, file) }
                target[key] = value
            }
        }
    }

    public func tree(_ language: UILanguage) -> [String: Any] { trees[language] ?? [:] }

    /// Every leaf key path of a language, for completeness checks.
    public func keys(_ language: UILanguage) -> Set<String> {
        var result = Set<String>()
        func walk(_ node: [String: Any], _ path: String) {
            for (key, value) in node {
                let full = path.isEmpty ? key : "\(path).\(key)"
                if let sub = value as? [String: Any] { walk(sub, full) } else { result.insert(full) }
            }
        }
        walk(tree(language), "")
        return result
    }

    /// The string at `path`, or the path itself so a missing key is visible rather than blank.
    public func text(_ path: String, _ language: UILanguage) -> String {
        var node: Any = tree(language)
        for part in path.split(separator: ".") {
            guard let dict = node as? [String: Any], let next = dict[String(part)] else { return path }
            node = next
        }
        return node as? String ?? path
    }

    public enum CatalogueError: Error, CustomStringConvertible {
        case notAnObject(String)
        case clash(String, String)
        public var description: String {
            switch self {
            case .notAnObject(let file): return "\(file): a catalogue must be a JSON object"
            case let .clash(key, file): return "\(file): key \(key) is defined twice"
            }
        }
    }
}
