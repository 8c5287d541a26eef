import Crypto
import Foundation

/// RFC 9162 §2.1.1 hashing (identical to RFC 6962 §2.1 with SHA-256).
///
/// - leaf hash  = SHA-256(0x00 ‖ leaf input)
/// - node hash  = SHA-256(0x01 ‖ left ‖ right)
/// - MTH({})    = SHA-256("")
public enum MerkleHashing {
    /// Size in bytes of every hash in the log (SHA-256).
    public static let hashSize = 32

    /// MTH of the empty tree: SHA-256 of the empty string
    /// (`e3b0c442…b855`).
    public static let emptyRoot: Data = Data(SHA256.hash(data: Data()))

    /// Leaf hash: SHA-256(0x00 ‖ leafInput).
    public static func leafHash(_ leafInput: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [UInt8(0x00)])
        hasher.update(data: leafInput)
        return Data(hasher.finalize())
    }

    /// Interior node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [UInt8(0x01)])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// Plain SHA-256 of arbitrary bytes (used for content hashes).
    public static func sha256(_ data: Data) -> Data {
        Data(SHA256.hash(data: data))
    }
}

/// Small hex helpers used by the transparency log (namespaced to avoid clashing
/// with other `Data` extensions in the module).
public enum TLogHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex encoding.
    public static func encode(_ data: Data) -> String {
        var out = [UInt8]()
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (upper or lower case). Returns nil for odd length or non-hex characters.
    public static func decode(_ string: String) -> Data? {
        let bytes = Array(string.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out = Data(capacity: bytes.count / 2)
        var i = 0
        while i < bytes.count {
            guard let hi = nibble(bytes[i]), let lo = nibble(bytes[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// True if `string` is exactly 64 lower-case hex characters (a SHA-256 in canonical form).
    public static func isCanonicalSHA256(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        return bytes.count == 64 && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
