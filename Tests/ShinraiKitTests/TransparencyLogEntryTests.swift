import Crypto
import Foundation
import Testing

import ShinraiKit

@Suite("Transparency log: canonical JSON and log entries")
struct TransparencyLogEntryTests {
    func canonical(_ json: String) throws -> String {
        String(decoding: try CanonicalJSON.canonicalize(Data(json.utf8)), as: UTF8.self)
    }

    // MARK: Canonical JSON

    @Test("RFC 8785 §3.2.2 example: primitives, strings and numbers")
    func rfc8785Primitives() throws {
        let input = #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try canonical(input) == expected)
    }

    @Test("RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units")
    func rfc8785Sorting() throws {
        let input = #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try canonical(input) == expected)
    }

    @Test("RFC 8785 Appendix B: number serialization", arguments: [
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ])
    func rfc8785Numbers(bits: String, expected: String) throws {
        let d = Double(bitPattern: UInt64(bits, radix: 16)!)
        #expect(String(decoding: try CanonicalJSON.encode(.number(d)), as: UTF8.self) == expected)
    }

    @Test("integers are exact; other lexemes normalize")
    func integersAndLexemes() throws {
        #expect(try canonical("[9223372036854775807,-9223372036854775808,-0,0,1.0,1.5e3,100,1E2]")
            == "[9223372036854775807,-9223372036854775808,0,0,1,1500,100,100]")
        #expect(try canonical("9223372036854775808") == "9223372036854776000")  // beyond Int64: a double
        #expect(throws: CanonicalJSONError.nonFiniteNumber) { try CanonicalJSON.canonicalize(Data("1e400".utf8)) }
        #expect(throws: CanonicalJSONError.nonFiniteNumber) { try CanonicalJSON.encode(.number(.nan)) }
        #expect(throws: CanonicalJSONError.nonFiniteNumber) { try CanonicalJSON.encode(.number(.infinity)) }
    }

    @Test("whitespace removed, no escaped slashes, control characters escaped, UTF-8 kept")
    func stringsAndWhitespace() throws {
        #expect(try canonical(" { \"b\" : 1 ,\n\t\"a\" : [ true , null , \"x\\/y\" ] } ") == #"{"a":[true,null,"x/y"],"b":1}"#)
        let value: CanonicalJSON.Value = .string("\u{0}\u{1f}\u{8}\u{c}\n\r\t\"\\/é\u{2028}")
        #expect(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
            == "\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/é\u{2028}\"")
        #expect(Array(try CanonicalJSON.encode(.string("é"))) == [0x22, 0xC3, 0xA9, 0x22])
        #expect(try canonical(#"{"nested":{"z":[],"a":{}},"":""}"#) == #"{"":"","nested":{"a":{},"z":[]}}"#)
    }

    @Test("invalid JSON is rejected", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "01", "1.", ".5", "+1", "-", "\"\u{1}\"", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "tru", "nul", "[1] [2]", "{'a':1}", "{\"a\" 1}", "NaN",
    ])
    func invalidJSON(text: String) {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Data(text.utf8)) }
    }

    @Test("invalid UTF-8 and excessive nesting are rejected")
    func invalidBytes() {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Data([0x22, 0xFF, 0x22])) }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Data([0x22, 0xC3, 0x22])) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: CanonicalJSONError.nestingTooDeep) { try CanonicalJSON.parse(Data(deep.utf8)) }
        #expect(!CanonicalJSON.isCanonical(Data("{\"a\": 1}".utf8)))
        #expect(CanonicalJSON.isCanonical(Data("{\"a\":1}".utf8)))
    }

    struct Record: Encodable {
        let zeta: String
        let alpha: Int
        let ratio: Double
        let tags: [String]
        let when: Date
        let blob: Data
        let missing: String?
    }

    @Test("Encodable values encode canonically (sorted keys, RFC 3339 dates, base64 data)")
    func encodable() throws {
        let r = Record(
            zeta: "a/b", alpha: 7, ratio: 0.25, tags: ["x", "y"],
            when: Date(timeIntervalSince1970: 1_772_357_400.75), blob: Data([1, 2, 3]), missing: nil)
        let json = String(decoding: try CanonicalJSON.encode(r), as: UTF8.self)
        #expect(json == #"{"alpha":7,"blob":"AQID","ratio":0.25,"tags":["x","y"],"when":"2026-03-01T09:30:00Z","zeta":"a/b"}"#)
        // The content hash is SHA-256 of those bytes (computed independently here).
        #expect(try CanonicalJSON.sha256Hex(of: r) == TLogTestSupport.toHex(Data(SHA256.hash(data: Data(json.utf8)))))
        // A JSON value and the equivalent Encodable hash identically.
        let v: CanonicalJSON.Value = ["b": ["c": nil], "a": [1, 2.5, "x/y"]]
        #expect(try CanonicalJSON.sha256Hex(of: v) == "e1145ce18265b85147e47aca5fb341a8baeb33a818cd9839b5c2be3228c69247")
        struct Same: Encodable {
            struct Inner: Encodable {
                enum CodingKeys: CodingKey { case c }
                func encode(to encoder: any Encoder) throws {
                    var k = encoder.container(keyedBy: CodingKeys.self)
                    try k.encodeNil(forKey: .c)
                }
            }
            let b = Inner()
            let a: [TLogTestScalar] = [.int(1), .double(2.5), .string("x/y")]
        }
        #expect(try CanonicalJSON.sha256Hex(of: Same()) == "e1145ce18265b85147e47aca5fb341a8baeb33a818cd9839b5c2be3228c69247")
    }

    @Test("canonical output is a fixed point: parse(encode(x)) re-encodes identically")
    func fixedPoint() throws {
        var rng = TLogTestRNG(state: 99)
        func random(_ depth: Int) -> CanonicalJSON.Value {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &rng))
            case 3: return .number(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1))
            case 4: return .string(String((0..<Int.random(in: 0..<8, using: &rng)).map { _ in
                Character(Unicode.Scalar([0x0A, 0x22, 0x5C, 0x41, 0xE9, 0x20AC, 0x1F600, 0x2F, 0x01].randomElement(using: &rng)!)!)
            }))
            case 5: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in random(depth + 1) })
            default:
                var o: [String: CanonicalJSON.Value] = [:]
                for i in 0..<Int.random(in: 0..<4, using: &rng) { o["k\(i)\(["é", "Z", "a", "😀"].randomElement(using: &rng)!)"] = random(depth + 1) }
                return .object(o)
            }
        }
        for _ in 0..<300 {
            let v = random(0)
            let bytes = try CanonicalJSON.encode(v)
            #expect(try CanonicalJSON.encode(try CanonicalJSON.parse(bytes)) == bytes)
            #expect(CanonicalJSON.isCanonical(bytes))
        }
    }

    // MARK: Timestamps

    @Test("RFC 3339 timestamps (UTC, whole seconds) format and parse", arguments: [
        (Int64(1_772_357_400), "2026-03-01T09:30:00Z"),
        (951_868_799, "2000-02-29T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-2_203_934_400, "1900-02-28T12:00:00Z"),
        (1_735_689_599, "2024-12-31T23:59:59Z"),
        (0, "1970-01-01T00:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func timestamps(seconds: Int64, text: String) {
        #expect(TLogTimestamp.format(seconds: seconds) == text)
        #expect(TLogTimestamp.parseSeconds(text) == seconds)
    }

    @Test("non-canonical timestamps are rejected")
    func badTimestamps() {
        for text in ["2026-03-01T09:30:00.000Z", "2026-03-01T09:30:00+00:00", "2026-03-01t09:30:00z", "2026-02-29T00:00:00Z",
                     "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T09:60:00Z", "0000-01-01T00:00:00Z", "2026-3-1T09:30:00Z"] {
            #expect(TLogTimestamp.parseSeconds(text) == nil, "\(text)")
        }
        // Fractions are truncated toward the past.
        #expect(TLogTimestamp.format(Date(timeIntervalSince1970: 59.999)) == "1970-01-01T00:00:59Z")
        #expect(TLogTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
    }

    // MARK: Log entries

    static let example = #"{"contentHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","recordNumber":"RDY-2026-0007","subject":"acme-cloud","time":"2026-03-01T09:30:00Z","type":"cloud.listing.status"}"#

    func exampleEntry(time: Date = Date(timeIntervalSince1970: 1_772_357_400)) throws -> LogEntry {
        try LogEntry(
            type: "cloud.listing.status", subject: "acme-cloud", recordNumber: "RDY-2026-0007",
            contentHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", time: time)
    }

    @Test("log entry canonical JSON and leaf hash (known answer)")
    func entryKnownAnswer() throws {
        let entry = try exampleEntry(time: Date(timeIntervalSince1970: 1_772_357_400.9))  // fraction truncated
        #expect(String(decoding: entry.canonicalJSON(), as: UTF8.self) == Self.example)
        // Leaf hash = SHA-256(0x00 ‖ bytes), value computed with Python's hashlib.
        #expect(TLogTestSupport.toHex(entry.leafHash) == "5cda7e2df9aaa2dff8176aa2cb9cfcfea868a2809cb09ffe506783e3492d79c8")
        #expect(entry.time == Date(timeIntervalSince1970: 1_772_357_400))
        // contentHash of "test" is SHA-256("test").
        #expect(entry.contentHash == TLogTestSupport.toHex(Data(SHA256.hash(data: Data("test".utf8)))))
        // Codable output canonicalizes to the same bytes; decoding round-trips.
        #expect(try CanonicalJSON.encode(entry) == entry.canonicalJSON())
        #expect(try JSONDecoder().decode(LogEntry.self, from: entry.canonicalJSON()) == entry)
    }

    @Test("log entries parse strictly from their leaf bytes")
    func entryParsing() throws {
        let entry = try exampleEntry()
        #expect(try LogEntry(canonicalJSON: Data(Self.example.utf8)) == entry)
        let nonCanonical = [
            Self.example.replacingOccurrences(of: ",", with: ", "),
            #"{"type":"cloud.listing.status","contentHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","recordNumber":"RDY-2026-0007","subject":"acme-cloud","time":"2026-03-01T09:30:00Z"}"#,
            Self.example.replacingOccurrences(of: "RDY-2026-0007", with: #"RDY\u002d2026-0007"#),
        ]
        for text in nonCanonical {
            #expect(throws: LogEntryError.notCanonical) { try LogEntry(canonicalJSON: Data(text.utf8)) }
        }
        let invalid = [
            Self.example.replacingOccurrences(of: "9f86d0", with: "9F86D0"),
            Self.example.replacingOccurrences(of: "09:30:00Z", with: "09:30:00.000Z"),
            Self.example.replacingOccurrences(of: #","type""#, with: #","extra":1,"type""#),
            Self.example.replacingOccurrences(of: #""subject":"acme-cloud","#, with: ""),
            Self.example.replacingOccurrences(of: #""acme-cloud""#, with: "42"),
            "[]",
        ]
        for text in invalid {
            #expect(throws: (any Error).self) { try LogEntry(canonicalJSON: Data(text.utf8)) }
        }
    }

    @Test("log entry fields are validated")
    func entryValidation() throws {
        let hash = String(repeating: "a", count: 64)
        let t = Date(timeIntervalSince1970: 0)
        #expect(throws: LogEntryError.self) { try LogEntry(type: "", subject: "s", recordNumber: "r", contentHash: hash, time: t) }
        #expect(throws: LogEntryError.self) { try LogEntry(type: "t", subject: "a\nb", recordNumber: "r", contentHash: hash, time: t) }
        #expect(throws: LogEntryError.self) { try LogEntry(type: "t", subject: "s", recordNumber: "r", contentHash: "abc", time: t) }
        #expect(throws: LogEntryError.self) {
            try LogEntry(type: "t", subject: "s", recordNumber: "r", contentHash: hash, time: Date(timeIntervalSince1970: 3e11))
        }
        #expect(throws: LogEntryError.self) {
            try LogEntry(type: "t", subject: String(repeating: "x", count: 1025), recordNumber: "r", contentHash: hash, time: t)
        }
        // Unicode and slashes are fine and written as UTF-8.
        let e = try LogEntry(type: "t", subject: "株式会社/ACME", recordNumber: "r", contentHash: hash, time: t)
        #expect(String(decoding: e.canonicalJSON(), as: UTF8.self).contains("\"subject\":\"株式会社/ACME\""))
        #expect(try LogEntry(canonicalJSON: e.canonicalJSON()) == e)
        // content: initializer hashes canonical JSON of the content.
        let c = try LogEntry(type: "t", subject: "s", recordNumber: "r", content: ["b": 2, "a": 1] as CanonicalJSON.Value, time: t)
        #expect(c.contentHash == TLogTestSupport.toHex(Data(SHA256.hash(data: Data(#"{"a":1,"b":2}"#.utf8)))))
    }

    @Test("entries appended to the log are provable")
    func entriesInTheLog() async throws {
        let store = InMemoryMerkleNodeStore()
        var entries: [LogEntry] = []
        for i in 0..<5 {
            entries.append(try LogEntry(
                type: "cloud.listing.status", subject: "acme-\(i)", recordNumber: "RDY-2026-000\(i)",
                contentHash: TLogTestSupport.toHex(Data(SHA256.hash(data: Data("\(i)".utf8)))),
                time: Date(timeIntervalSince1970: 1_772_357_400 + Double(i))))
        }
        let plan = try await store.append(entries: entries)
        #expect(plan.root == TLogReference.mth(entries.map { $0.canonicalJSON() }[...]))
        let proof = try await MerkleTree.inclusionProof(index: 3, size: 5, reader: store)
        try MerkleVerification.verifyInclusion(leafHash: entries[3].leafHash, index: 3, size: 5, proof: proof, root: plan.root)
        #expect(!MerkleVerification.isValidInclusion(leafHash: entries[2].leafHash, index: 3, size: 5, proof: proof, root: plan.root))
    }
}

/// Helper for encoding a heterogeneous array in the Encodable test.
enum TLogTestScalar: Encodable {
    case int(Int), double(Double), string(String)
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        }
    }
}
