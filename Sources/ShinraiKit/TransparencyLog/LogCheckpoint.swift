import Foundation

public enum LogCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case originMismatch(expected: String, got: String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed checkpoint: \(why)"
        case .originMismatch(let e, let g): return "checkpoint origin is \"\(g)\", expected \"\(e)\""
        }
    }
}

/// A c2sp.org/tlog-checkpoint: the signed head of the log.
///
/// Note text:
/// ```
/// <origin>\n
/// <tree size, decimal, no leading zeros>\n
/// <root hash, standard base64>\n
/// [<extension line>\n ...]
/// ```
/// signed as a c2sp.org/signed-note by an Ed25519 key whose name is the origin.
public struct LogCheckpoint: Sendable, Hashable {
    /// Unique log identity, e.g. `shinrai.example.org/log`.
    public let origin: String
    /// Number of leaves.
    public let size: Int64
    /// MTH of the first `size` leaves (32 bytes).
    public let rootHash: Data
    /// Optional opaque extension lines (non-empty; not recommended by the spec).
    public let extensions: [String]

    public init(origin: String, size: Int64, rootHash: Data, extensions: [String] = []) throws {
        guard !origin.isEmpty, !Self.hasControlCharacters(origin) else {
            throw LogCheckpointError.malformed("origin must be a non-empty line")
        }
        guard size >= 0 else { throw LogCheckpointError.malformed("negative size") }
        guard rootHash.count == MerkleHashing.hashSize else {
            throw LogCheckpointError.malformed("root hash must be 32 bytes")
        }
        for ext in extensions where ext.isEmpty || Self.hasControlCharacters(ext) {
            throw LogCheckpointError.malformed("extension lines must be non-empty single lines")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    static func hasControlCharacters(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.value < 0x20 }
    }

    /// The note text (body) of the checkpoint.
    public var body: String {
        var text = "\(origin)\n\(size)\n\(rootHash.base64EncodedString())\n"
        for ext in extensions { text += ext + "\n" }
        return text
    }

    /// Parses a checkpoint body (the note text, signatures removed).
    public init(body: String) throws {
        guard body.hasSuffix("\n") else { throw LogCheckpointError.malformed("body must end with a newline") }
        let lines = Array(body.utf8).dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw LogCheckpointError.malformed("needs origin, size and root hash lines") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            sizeText == "0" || !sizeText.hasPrefix("0"), let size = Int64(sizeText)
        else { throw LogCheckpointError.malformed("size must be a decimal number without leading zeros") }
        guard let root = NoteKeys.strictBase64(lines[2]), root.count == MerkleHashing.hashSize else {
            throw LogCheckpointError.malformed("root hash must be standard base64 of 32 bytes")
        }
        try self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines[3...]))
    }

    /// Signs the checkpoint; returns the signed note text. The signer's key name
    /// must equal the origin (c2sp.org/tlog-checkpoint: SHOULD).
    public func signed(by signer: NoteSigner) throws -> String {
        guard signer.name == origin else { throw LogCheckpointError.originMismatch(expected: origin, got: signer.name) }
        return try SignedNote.sign(text: body, signers: [signer])
    }

    /// Verifies a signed checkpoint with the log's key and parses it. The origin must
    /// equal `origin` (default: the verifier's key name). Unknown extra signatures
    /// (e.g. witness cosignatures) are ignored.
    public static func open(_ note: String, verifier: NoteVerifier, origin: String? = nil) throws -> LogCheckpoint {
        let verified = try SignedNote.open(note, verifiers: [verifier])
        let checkpoint = try LogCheckpoint(body: verified.text)
        let expected = origin ?? verifier.name
        guard checkpoint.origin == expected else {
            throw LogCheckpointError.originMismatch(expected: expected, got: checkpoint.origin)
        }
        return checkpoint
    }
}
