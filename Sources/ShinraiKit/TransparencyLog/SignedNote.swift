import Crypto
import Foundation

public enum SignedNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The note does not follow the c2sp.org/signed-note syntax.
    case malformedNote(String)
    /// Key names must be non-empty and contain no Unicode spaces and no `+`.
    case invalidKeyName(String)
    /// A verifier or signer key string is malformed.
    case malformedKey(String)
    /// The key ID in a key string does not match the key.
    case keyIDMismatch
    /// Only Ed25519 (signature type 0x01) is supported.
    case unsupportedAlgorithm(UInt8)
    /// A signature from a known key (name and key ID match) did not verify.
    case invalidSignature(name: String, keyID: UInt32)
    /// No signature from a known key was found.
    case noVerifiedSignature
    /// Two verifiers share the same name and key ID.
    case ambiguousKey(name: String, keyID: UInt32)

    public var description: String {
        switch self {
        case .malformedNote(let why): return "malformed note: \(why)"
        case .invalidKeyName(let name): return "invalid key name \"\(name)\""
        case .malformedKey(let why): return "malformed key: \(why)"
        case .keyIDMismatch: return "key ID does not match the key"
        case .unsupportedAlgorithm(let alg): return "unsupported signature algorithm 0x\(String(alg, radix: 16))"
        case .invalidSignature(let name, let id): return "invalid signature for key \(name)+\(NoteKeys.hex8(id))"
        case .noVerifiedSignature: return "note has no signature from a known key"
        case .ambiguousKey(let name, let id): return "ambiguous key \(name)+\(NoteKeys.hex8(id))"
        }
    }
}

/// Shared helpers for c2sp.org/signed-note keys (Ed25519, signature type 0x01).
public enum NoteKeys {
    /// Signature type byte for Ed25519 in c2sp.org/signed-note.
    public static let ed25519Type: UInt8 = 0x01

    /// Key names: non-empty, no Unicode white space, no `+`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "+" }
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4], big-endian.
    public static func keyID(name: String, publicKey: Data) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8))
        hasher.update(data: [UInt8(0x0A), ed25519Type])
        hasher.update(data: publicKey)
        let digest = Array(hasher.finalize())
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }

    static func bigEndian(_ v: UInt32) -> Data {
        Data([UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)])
    }

    /// Splits `name+hex8+base64` (after an optional prefix) the way the Go `note` package does.
    static func parseKeyString(_ text: String) throws -> (name: String, keyID: UInt32, key: Data) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw SignedNoteError.malformedKey("expected name+keyid+key") }
        let name = String(parts[0])
        let hex = String(parts[1])
        guard NoteKeys.isValidName(name) else { throw SignedNoteError.invalidKeyName(name) }
        guard hex.utf8.count == 8, let hexBytes = TLogHex.decode(hex), hex == hex.lowercased() else {
            throw SignedNoteError.malformedKey("key ID must be 8 lower-case hex digits")
        }
        let keyID = hexBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let key = strictBase64(String(parts[2])), !key.isEmpty else {
            throw SignedNoteError.malformedKey("key is not valid base64")
        }
        return (name, keyID, key)
    }

    /// Standard base64 with padding, rejecting non-canonical encodings.
    static func strictBase64(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return data
    }
}

/// A public key that verifies note signatures (c2sp.org/signed-note, Ed25519).
///
/// String form (Go `golang.org/x/mod/sumdb/note` verifier key):
/// `<name>+<8 hex digits key ID>+<base64(0x01 ‖ 32-byte public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// Raw 32-byte Ed25519 public key.
    public let publicKey: Data

    public init(name: String, publicKey: Data) throws {
        guard NoteKeys.isValidName(name) else { throw SignedNoteError.invalidKeyName(name) }
        guard publicKey.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)) != nil else {
            throw SignedNoteError.malformedKey("Ed25519 public key must be 32 bytes")
        }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeys.keyID(name: name, publicKey: publicKey)
    }

    /// Parses a verifier key string `name+hexkeyid+base64(0x01 ‖ pubkey)`.
    public init(verifierKey: String) throws {
        let (name, keyID, key) = try NoteKeys.parseKeyString(verifierKey)
        guard key[key.startIndex] == NoteKeys.ed25519Type else {
            throw SignedNoteError.unsupportedAlgorithm(key[key.startIndex])
        }
        try self.init(name: name, publicKey: Data(key.dropFirst()))
        guard self.keyID == keyID else { throw SignedNoteError.keyIDMismatch }
    }

    /// `name+hexkeyid+base64(0x01 ‖ pubkey)`.
    public var verifierKey: String {
        "\(name)+\(NoteKeys.hex8(keyID))+\((Data([NoteKeys.ed25519Type]) + publicKey).base64EncodedString())"
    }

    /// Verifies a raw Ed25519 signature (without the key ID prefix) over `message`.
    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }
}

/// A private key that signs notes (c2sp.org/signed-note, Ed25519).
///
/// String form (Go `note` signer key): `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>`.
/// Keep it secret: anyone holding it can sign checkpoints for the log.
public struct NoteSigner: Sendable {
    public let name: String
    public let keyID: UInt32
    let privateKey: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws {
        guard NoteKeys.isValidName(name) else { throw SignedNoteError.invalidKeyName(name) }
        self.name = name
        self.privateKey = privateKey
        self.keyID = NoteKeys.keyID(name: name, publicKey: privateKey.publicKey.rawRepresentation)
    }

    /// A signer from a 32-byte Ed25519 seed (RFC 8032 private key).
    public init(name: String, seed: Data) throws {
        guard seed.count == 32 else { throw SignedNoteError.malformedKey("Ed25519 seed must be 32 bytes") }
        try self.init(name: name, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    /// A new random key.
    public static func generate(name: String) throws -> NoteSigner {
        try NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// Parses `PRIVATE+KEY+name+hexkeyid+base64(0x01 ‖ seed)`; the key ID must match the derived public key.
    public init(privateKeyString: String) throws {
        let prefix = "PRIVATE+KEY+"
        guard privateKeyString.hasPrefix(prefix) else { throw SignedNoteError.malformedKey("missing PRIVATE+KEY+ prefix") }
        let (name, keyID, key) = try NoteKeys.parseKeyString(String(privateKeyString.dropFirst(prefix.count)))
        guard key[key.startIndex] == NoteKeys.ed25519Type else {
            throw SignedNoteError.unsupportedAlgorithm(key[key.startIndex])
        }
        try self.init(name: name, seed: Data(key.dropFirst()))
        guard self.keyID == keyID else { throw SignedNoteError.keyIDMismatch }
    }

    /// `PRIVATE+KEY+name+hexkeyid+base64(0x01 ‖ seed)`.
    public var privateKeyString: String {
        let key = Data([NoteKeys.ed25519Type]) + privateKey.rawRepresentation
        return "PRIVATE+KEY+\(name)+\(NoteKeys.hex8(keyID))+\(key.base64EncodedString())"
    }

    /// Raw 32-byte seed.
    public var seed: Data { privateKey.rawRepresentation }

    /// The matching public verifier.
    public var verifier: NoteVerifier {
        // Cannot fail: name validated, key derived from a valid private key.
        try! NoteVerifier(name: name, publicKey: privateKey.publicKey.rawRepresentation)
    }

    /// Raw Ed25519 signature over `message` (64 bytes).
    public func signature(for message: Data) throws -> Data {
        Data(try privateKey.signature(for: message))
    }
}

/// One signature line of a note: `— <name> base64(keyID ‖ signature)`.
public struct NoteSignature: Sendable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes without the 4-byte key ID.
    public let signature: Data

    public init(name: String, keyID: UInt32, signature: Data) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// base64(keyID ‖ signature).
    public var base64: String { (NoteKeys.bigEndian(keyID) + signature).base64EncodedString() }

    /// The full line including the trailing newline.
    public var line: String { "\u{2014} \(name) \(base64)\n" }
}

/// A note verified against a set of trusted keys.
public struct VerifiedNote: Sendable, Hashable {
    /// The signed text (ends with a newline).
    public let text: String
    /// Signatures from known keys, all of which verified.
    public let verifiedSignatures: [NoteSignature]
    /// Signatures from unknown keys (ignored, e.g. witness cosignatures).
    public let unverifiedSignatures: [NoteSignature]
}

/// c2sp.org/signed-note: text, a blank line, then signature lines
/// `— <key name> <base64(4-byte key ID ‖ signature)>`.
public struct SignedNote: Sendable, Hashable {
    /// The note text, including its final newline.
    public let text: String
    public let signatures: [NoteSignature]

    /// Upper bound on signature lines accepted when parsing (the spec requires ≥ 16).
    public static let maxSignatures = 100

    public init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The encoded note: text, blank line, signature lines.
    public var encoded: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Signs `text` (which must end with a newline and contain no control characters
    /// other than newline) with each signer and returns the encoded note.
    public static func sign(text: String, signers: [NoteSigner]) throws -> String {
        guard !signers.isEmpty else { throw SignedNoteError.malformedNote("no signers") }
        guard text.hasSuffix("\n") else { throw SignedNoteError.malformedNote("text must end with a newline") }
        try checkCharacters(text)
        let message = Data(text.utf8)
        let sigs = try signers.map {
            NoteSignature(name: $0.name, keyID: $0.keyID, signature: try $0.signature(for: message))
        }
        return SignedNote(text: text, signatures: sigs).encoded
    }

    static func checkCharacters(_ text: String) throws {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) {
            throw SignedNoteError.malformedNote("control character")
        }
    }

    /// Parses the note syntax without verifying any signature.
    public static func parse(_ note: Data) throws -> SignedNote {
        let string = String(decoding: note, as: UTF8.self)
        guard string.utf8.elementsEqual(note) else { throw SignedNoteError.malformedNote("not valid UTF-8") }
        return try parse(string)
    }

    /// Parses the note syntax without verifying any signature.
    public static func parse(_ note: String) throws -> SignedNote {
        try checkCharacters(note)
        let bytes = Array(note.utf8)
        // The text is separated from the signatures by the LAST blank line.
        var split = -1
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { split = i; break }
            i -= 1
        }
        guard split >= 0 else { throw SignedNoteError.malformedNote("no blank line before signatures") }
        let text = String(decoding: bytes[...split], as: UTF8.self)
        let sigBlock = bytes[(split + 2)...]
        guard !sigBlock.isEmpty, sigBlock.last == 0x0A else {
            throw SignedNoteError.malformedNote("signature block must be non-empty and end with a newline")
        }
        // Split the block into lines (bytes, so no grapheme clustering gets in the way).
        let lines = sigBlock.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= maxSignatures else { throw SignedNoteError.malformedNote("too many signatures") }
        let prefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]  // "— " (U+2014, space)
        var signatures: [NoteSignature] = []
        for line in lines {
            guard line.starts(with: prefix) else {
                throw SignedNoteError.malformedNote("signature line must start with \"\u{2014} \"")
            }
            let rest = line.dropFirst(prefix.count)
            guard let space = rest.firstIndex(of: 0x20) else {
                throw SignedNoteError.malformedNote("signature line without key name")
            }
            let name = String(decoding: rest[..<space], as: UTF8.self)
            let b64 = String(decoding: rest[(space + 1)...], as: UTF8.self)
            guard NoteKeys.isValidName(name) else { throw SignedNoteError.malformedNote("invalid key name") }
            guard let raw = NoteKeys.strictBase64(b64), raw.count >= 5 else {
                throw SignedNoteError.malformedNote("invalid signature encoding")
            }
            let id = raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            signatures.append(NoteSignature(name: name, keyID: id, signature: Data(raw.dropFirst(4))))
        }
        return SignedNote(text: text, signatures: signatures)
    }

    /// Parses and verifies a note (c2sp.org/signed-note §Signatures):
    /// signatures whose (name, key ID) match no verifier are ignored (returned as
    /// unverified); a signature from a known key that fails rejects the whole note;
    /// at least one known-key signature must verify.
    public static func open(_ note: String, verifiers: [NoteVerifier]) throws -> VerifiedNote {
        let parsed = try parse(note)
        var known: [String: NoteVerifier] = [:]
        for v in verifiers {
            let k = "\(v.name)+\(v.keyID)"
            if let existing = known[k], existing != v { throw SignedNoteError.ambiguousKey(name: v.name, keyID: v.keyID) }
            known[k] = v
        }
        let message = Data(parsed.text.utf8)
        var verified: [NoteSignature] = []
        var unverified: [NoteSignature] = []
        for sig in parsed.signatures {
            guard let v = known["\(sig.name)+\(sig.keyID)"] else {
                if !unverified.contains(sig) { unverified.append(sig) }
                continue
            }
            guard v.isValidSignature(sig.signature, for: message) else {
                throw SignedNoteError.invalidSignature(name: sig.name, keyID: sig.keyID)
            }
            if !verified.contains(where: { $0.name == sig.name && $0.keyID == sig.keyID }) { verified.append(sig) }
        }
        guard !verified.isEmpty else { throw SignedNoteError.noVerifiedSignature }
        return VerifiedNote(text: parsed.text, verifiedSignatures: verified, unverifiedSignatures: unverified)
    }

    /// `open` for raw bytes (validates UTF-8 first).
    public static func open(_ note: Data, verifiers: [NoteVerifier]) throws -> VerifiedNote {
        let string = String(decoding: note, as: UTF8.self)
        guard string.utf8.elementsEqual(note) else { throw SignedNoteError.malformedNote("not valid UTF-8") }
        return try open(string, verifiers: verifiers)
    }
}
