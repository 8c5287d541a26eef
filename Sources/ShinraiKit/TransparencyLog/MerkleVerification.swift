import Foundation

public enum MerkleVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case indexOutOfRange(index: Int64, size: Int64)
    case invalidSizes(first: Int64, second: Int64)
    case invalidHashLength
    case wrongProofLength
    case rootMismatch
    case firstRootMismatch
    case secondRootMismatch
    case emptyProof
    case nonEmptyProofForTrivialCase

    public var description: String {
        switch self {
        case .indexOutOfRange(let i, let s): return "leaf index \(i) out of range for tree size \(s)"
        case .invalidSizes(let a, let b): return "invalid tree sizes \(a) and \(b)"
        case .invalidHashLength: return "a hash does not have 32 bytes"
        case .wrongProofLength: return "proof has the wrong number of elements"
        case .rootMismatch: return "computed root does not match the expected root"
        case .firstRootMismatch: return "proof does not lead to the first root"
        case .secondRootMismatch: return "proof does not lead to the second root"
        case .emptyProof: return "consistency proof is empty"
        case .nonEmptyProofForTrivialCase: return "proof must be empty for these sizes"
        }
    }
}

/// Client-side verification of RFC 9162 proofs. Independent of any storage.
public enum MerkleVerification {
    /// RFC 9162 §2.1.3.2: the root implied by `proof` for `leafHash` at `index` in a tree of `size`.
    public static func rootFromInclusionProof(leafHash: Data, index: Int64, size: Int64, proof: [Data]) throws -> Data {
        guard index >= 0, size > 0, index < size else {
            throw MerkleVerificationError.indexOutOfRange(index: index, size: size)
        }
        guard leafHash.count == MerkleHashing.hashSize, proof.allSatisfy({ $0.count == MerkleHashing.hashSize }) else {
            throw MerkleVerificationError.invalidHashLength
        }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { throw MerkleVerificationError.wrongProofLength }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHashing.nodeHash(p, r)
                if fn & 1 == 0 {
                    // Right edge: skip levels where this node has no right sibling.
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHashing.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw MerkleVerificationError.wrongProofLength }
        return r
    }

    /// RFC 9162 §2.1.3.2 inclusion verification. Throws with a reason on failure.
    public static func verifyInclusion(leafHash: Data, index: Int64, size: Int64, proof: [Data], root: Data) throws {
        guard root.count == MerkleHashing.hashSize else { throw MerkleVerificationError.invalidHashLength }
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        guard computed == root else { throw MerkleVerificationError.rootMismatch }
    }

    /// Boolean form of `verifyInclusion`.
    public static func isValidInclusion(leafHash: Data, index: Int64, size: Int64, proof: [Data], root: Data) -> Bool {
        (try? verifyInclusion(leafHash: leafHash, index: index, size: size, proof: proof, root: root)) != nil
    }

    /// RFC 9162 §2.1.4.2 consistency verification between (`first`, `firstRoot`) and
    /// (`second`, `secondRoot`). Throws with a reason on failure.
    ///
    /// Edge cases (outside the RFC algorithm, which assumes 0 < first < second):
    /// `first == second` requires an empty proof and equal roots; `first == 0` requires
    /// an empty proof (the empty tree is a prefix of every tree).
    public static func verifyConsistency(first: Int64, second: Int64, firstRoot: Data, secondRoot: Data, proof: [Data]) throws {
        guard first >= 0, second >= first else {
            throw MerkleVerificationError.invalidSizes(first: first, second: second)
        }
        guard firstRoot.count == MerkleHashing.hashSize, secondRoot.count == MerkleHashing.hashSize else {
            throw MerkleVerificationError.invalidHashLength
        }
        if first == second {
            guard proof.isEmpty else { throw MerkleVerificationError.nonEmptyProofForTrivialCase }
            guard firstRoot == secondRoot else { throw MerkleVerificationError.rootMismatch }
            return
        }
        if first == 0 {
            guard proof.isEmpty else { throw MerkleVerificationError.nonEmptyProofForTrivialCase }
            return
        }
        guard !proof.isEmpty else { throw MerkleVerificationError.emptyProof }
        guard proof.allSatisfy({ $0.count == MerkleHashing.hashSize }) else {
            throw MerkleVerificationError.invalidHashLength
        }
        var path = proof
        // 2. If first is an exact power of 2, prepend first_hash to the path.
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        // 3.
        var fn = first - 1
        var sn = second - 1
        // 4. If LSB(fn) is set, right-shift both until it is not.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5.
        var fr = path[0]
        var sr = path[0]
        // 6.
        for c in path.dropFirst() {
            if sn == 0 { throw MerkleVerificationError.wrongProofLength }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHashing.nodeHash(c, fr)
                sr = MerkleHashing.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHashing.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        // 7.
        guard sn == 0 else { throw MerkleVerificationError.wrongProofLength }
        guard fr == firstRoot else { throw MerkleVerificationError.firstRootMismatch }
        guard sr == secondRoot else { throw MerkleVerificationError.secondRootMismatch }
    }

    /// Boolean form of `verifyConsistency`.
    public static func isValidConsistency(first: Int64, second: Int64, firstRoot: Data, secondRoot: Data, proof: [Data]) -> Bool {
        (try? verifyConsistency(first: first, second: second, firstRoot: firstRoot, secondRoot: secondRoot, proof: proof)) != nil
    }

    /// Full re-derivation of the root from all leaf hashes (e.g. `shinrai log verify --full`).
    public static func recomputeRoot(leafHashes: [Data]) -> Data {
        MerkleTree.recomputeRoot(leafHashes: leafHashes)
    }
}
