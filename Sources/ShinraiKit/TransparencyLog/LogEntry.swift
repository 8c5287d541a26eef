import Foundation

public enum LogEntryError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidField(String, reason: String)
    case notCanonical
    case malformed(String)

    public var description: String {
        switch self {
        case .invalidField(let field, let reason): return "invalid log entry field \(field): \(reason)"
        case .notCanonical: return "log entry bytes are not in canonical form"
        case .malformed(let why): return "malformed log entry: \(why)"
        }
    }
}

/// One entry of the transparency log: a statement that a public record (listing,
/// published filing, issued credential, …) had a given content at a given time.
///
/// The leaf input of the Merkle tree is `canonicalJSON()`, e.g.
/// `{"contentHash":"<64 hex>","recordNumber":"RDY-2026-0007","subject":"acme-cloud","time":"2026-03-01T09:30:00Z","type":"cloud.listing.status"}`
///
/// Field rules: all strings non-empty, at most 1024 UTF-8 bytes, no control characters;
/// `contentHash` is exactly 64 lower-case hex digits; `time` is UTC with whole-second
/// precision (any fraction is truncated on init) in years 0001–9999.
public struct LogEntry: Sendable, Hashable, Codable {
    /// Kind of event, e.g. `cloud.listing.status`.
    public let type: String
    /// Human-readable id of the subject (organisation, product, person …).
    public let subject: String
    /// Public record number, e.g. `RDY-2026-0007`.
    public let recordNumber: String
    /// Lower-case hex SHA-256 of the record's content (usually of its canonical JSON).
    public let contentHash: String
    /// When the event happened (UTC, whole seconds).
    public let time: Date

    static let maxFieldBytes = 1024
    static let minTime: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maxTime: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    public init(type: String, subject: String, recordNumber: String, contentHash: String, time: Date) throws {
        try Self.check("type", type)
        try Self.check("subject", subject)
        try Self.check("recordNumber", recordNumber)
        guard TLogHex.isCanonicalSHA256(contentHash) else {
            throw LogEntryError.invalidField("contentHash", reason: "must be 64 lower-case hex digits")
        }
        let seconds = TLogTimestamp.wholeSeconds(time)
        guard seconds >= Self.minTime, seconds <= Self.maxTime else {
            throw LogEntryError.invalidField("time", reason: "must be within years 0001-9999")
        }
        self.type = type
        self.subject = subject
        self.recordNumber = recordNumber
        self.contentHash = contentHash
        self.time = Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Convenience: hashes `content` (its canonical JSON) to form `contentHash`.
    public init(type: String, subject: String, recordNumber: String, content: some Encodable, time: Date) throws {
        try self.init(
            type: type, subject: subject, recordNumber: recordNumber,
            contentHash: try CanonicalJSON.sha256Hex(of: content), time: time)
    }

    static func check(_ field: String, _ value: String) throws {
        guard !value.isEmpty else { throw LogEntryError.invalidField(field, reason: "must not be empty") }
        guard value.utf8.count <= maxFieldBytes else {
            throw LogEntryError.invalidField(field, reason: "longer than \(maxFieldBytes) bytes")
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw LogEntryError.invalidField(field, reason: "contains control characters")
        }
    }

    /// `time` as written in the entry: `YYYY-MM-DDTHH:MM:SSZ`.
    public var timeString: String { TLogTimestamp.format(time) }

    /// The entry as a JSON value.
    public var jsonValue: CanonicalJSON.Value {
        .object([
            "contentHash": .string(contentHash),
            "recordNumber": .string(recordNumber),
            "subject": .string(subject),
            "time": .string(timeString),
            "type": .string(type),
        ])
    }

    /// The canonical JSON bytes: the Merkle leaf input.
    public func canonicalJSON() -> Data {
        // Cannot fail: strings and no numbers.
        try! CanonicalJSON.encode(jsonValue)
    }

    /// RFC 9162 leaf hash: SHA-256(0x00 ‖ canonicalJSON()).
    public var leafHash: Data { MerkleHashing.leafHash(canonicalJSON()) }

    /// Parses leaf bytes strictly: they must be exactly the canonical JSON of a valid
    /// entry with the five fields and nothing else.
    public init(canonicalJSON data: Data) throws {
        guard case .object(let members) = try CanonicalJSON.parse(data) else {
            throw LogEntryError.malformed("not a JSON object")
        }
        let fields = ["contentHash", "recordNumber", "subject", "time", "type"]
        guard Set(members.keys) == Set(fields) else {
            throw LogEntryError.malformed("expected exactly the fields \(fields.joined(separator: ", "))")
        }
        func string(_ key: String) throws -> String {
            guard case .string(let s) = members[key]! else { throw LogEntryError.malformed("\(key) must be a string") }
            return s
        }
        guard let seconds = TLogTimestamp.parseSeconds(try string("time")) else {
            throw LogEntryError.invalidField("time", reason: "must be YYYY-MM-DDTHH:MM:SSZ")
        }
        try self.init(
            type: try string("type"), subject: try string("subject"), recordNumber: try string("recordNumber"),
            contentHash: try string("contentHash"), time: Date(timeIntervalSince1970: TimeInterval(seconds)))
        guard canonicalJSON() == data else { throw LogEntryError.notCanonical }
    }

    // MARK: Codable (same field names; time as the RFC 3339 string)

    enum CodingKeys: String, CodingKey {
        case type, subject, recordNumber, contentHash, time
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let timeText = try c.decode(String.self, forKey: .time)
        guard let seconds = TLogTimestamp.parseSeconds(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: c, debugDescription: "expected YYYY-MM-DDTHH:MM:SSZ")
        }
        try self.init(
            type: try c.decode(String.self, forKey: .type),
            subject: try c.decode(String.self, forKey: .subject),
            recordNumber: try c.decode(String.self, forKey: .recordNumber),
            contentHash: try c.decode(String.self, forKey: .contentHash),
            time: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(subject, forKey: .subject)
        try c.encode(recordNumber, forKey: .recordNumber)
        try c.encode(contentHash, forKey: .contentHash)
        try c.encode(timeString, forKey: .time)
    }
}
