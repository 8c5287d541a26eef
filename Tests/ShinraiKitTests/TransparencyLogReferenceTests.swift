import Crypto
import Foundation
import Testing

import ShinraiKit

/// Shared helpers for the TransparencyLog* tests (namespaced to avoid clashes in the test target).
enum TLogTestSupport {
    static func hex(_ s: String) -> Data {
        precondition(s.count % 2 == 0)
        var out = Data()
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func toHex(_ d: Data) -> String { d.map { String(format: "%02x", $0) }.joined() }

    /// The RFC 6962 / CT reference leaf inputs, plus a 9th leaf of our own.
    static let vectorLeaves: [Data] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
        "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f",
    ].map(hex)

    /// Synthetic leaf inputs for larger trees.
    static func syntheticLeaves(_ n: Int) -> [Data] {
        (0..<n).map { Data("leaf-\($0)".utf8) }
    }

    static func store(leaves: [Data]) async throws -> InMemoryMerkleNodeStore {
        let store = InMemoryMerkleNodeStore()
        try await store.append(leafHashes: leaves.map(TLogReference.leafHash))
        return store
    }
}

/// An independent implementation of RFC 6962 §2.1 written directly from the RFC's
/// recursive definitions, working on the list of leaf inputs (no storage, no
/// iteration tricks). Used to cross-check the production code byte for byte.
enum TLogReference {
    static func sha256(_ bytes: [UInt8]) -> Data { Data(SHA256.hash(data: bytes)) }

    static func leafHash(_ leaf: Data) -> Data { sha256([0x00] + Array(leaf)) }

    static func nodeHash(_ l: Data, _ r: Data) -> Data { sha256([0x01] + Array(l) + Array(r)) }

    /// k: the largest power of two smaller than n (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    /// MTH(D[n]).
    static func mth(_ d: ArraySlice<Data>) -> Data {
        let n = d.count
        if n == 0 { return sha256([]) }
        if n == 1 { return leafHash(d[d.startIndex]) }
        let k = split(n)
        let s = d.startIndex
        return nodeHash(mth(d[s..<s + k]), mth(d[(s + k)...]))
    }

    /// PATH(m, D[n]).
    static func path(_ m: Int, _ d: ArraySlice<Data>) -> [Data] {
        let n = d.count
        if n == 1 { return [] }
        let k = split(n)
        let s = d.startIndex
        if m < k {
            return path(m, d[s..<s + k]) + [mth(d[(s + k)...])]
        } else {
            return path(m - k, d[(s + k)...]) + [mth(d[s..<s + k])]
        }
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
    static func proof(_ m: Int, _ d: ArraySlice<Data>) -> [Data] {
        subproof(m, d, true)
    }

    static func subproof(_ m: Int, _ d: ArraySlice<Data>, _ b: Bool) -> [Data] {
        let n = d.count
        if m == n { return b ? [] : [mth(d)] }
        let k = split(n)
        let s = d.startIndex
        if m <= k {
            return subproof(m, d[s..<s + k], b) + [mth(d[(s + k)...])]
        } else {
            return subproof(m - k, d[(s + k)...], false) + [mth(d[s..<s + k])]
        }
    }

    /// Independent inclusion verifier: rebuilds the root by mirroring PATH's recursion.
    static func rootFromPath(leafHash: Data, m: Int, n: Int, proof: ArraySlice<Data>) -> Data? {
        if n == 1 { return proof.isEmpty ? leafHash : nil }
        guard let last = proof.last else { return nil }
        let rest = proof.dropLast()
        let k = split(n)
        if m < k {
            guard let left = rootFromPath(leafHash: leafHash, m: m, n: k, proof: rest) else { return nil }
            return nodeHash(left, last)
        } else {
            guard let right = rootFromPath(leafHash: leafHash, m: m - k, n: n - k, proof: rest) else { return nil }
            return nodeHash(last, right)
        }
    }

    static func verifyInclusion(leafHash: Data, m: Int, n: Int, proof: [Data], root: Data) -> Bool {
        guard m >= 0, m < n else { return false }
        return rootFromPath(leafHash: leafHash, m: m, n: n, proof: proof[...]) == root
    }

    /// Independent consistency verifier: mirrors SUBPROOF's recursion, computing the
    /// (old, new) subtree roots implied by the proof.
    static func consistencyRoots(m: Int, n: Int, proof: ArraySlice<Data>, b: Bool, firstRoot: Data) -> (Data, Data)? {
        if m == n {
            if b { return proof.isEmpty ? (firstRoot, firstRoot) : nil }
            guard proof.count == 1 else { return nil }
            return (proof[proof.startIndex], proof[proof.startIndex])
        }
        guard let last = proof.last else { return nil }
        let rest = proof.dropLast()
        let k = split(n)
        if m <= k {
            guard let (old, new) = consistencyRoots(m: m, n: k, proof: rest, b: b, firstRoot: firstRoot) else { return nil }
            return (old, nodeHash(new, last))
        } else {
            guard let (old, new) = consistencyRoots(m: m - k, n: n - k, proof: rest, b: false, firstRoot: firstRoot) else {
                return nil
            }
            return (nodeHash(last, old), nodeHash(last, new))
        }
    }

    static func verifyConsistency(m: Int, n: Int, proof: [Data], firstRoot: Data, secondRoot: Data) -> Bool {
        guard 0 < m, m <= n else { return false }
        guard let (old, new) = consistencyRoots(m: m, n: n, proof: proof[...], b: true, firstRoot: firstRoot) else {
            return false
        }
        return old == firstRoot && new == secondRoot
    }
}

@Suite("Transparency log: cross-check against an independent RFC 6962 implementation")
struct TransparencyLogReferenceTests {
    @Test("reference implementation reproduces the CT vectors (sanity check of the oracle)")
    func referenceMatchesVectors() {
        let leaves = TLogTestSupport.vectorLeaves
        #expect(TLogTestSupport.toHex(TLogReference.mth(leaves[0..<8]))
            == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        #expect(TLogTestSupport.toHex(TLogReference.mth(leaves[0..<3]))
            == "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")
        #expect(TLogTestSupport.toHex(TLogReference.mth(leaves[0..<0]))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // CT vector {leaf 6 (1-based), size 8} = PATH(5, D[8]) with 0-based m.
        let path = TLogReference.path(5, leaves[0..<8]).map(TLogTestSupport.toHex)
        #expect(path == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    }

    @Test("every inclusion proof for sizes 1–32 matches the reference and verifies both ways", arguments: 1...32)
    func inclusionProofsMatchReference(size: Int) async throws {
        let leaves = TLogTestSupport.syntheticLeaves(size)
        let store = try await TLogTestSupport.store(leaves: leaves)
        let root = TLogReference.mth(leaves[...])
        #expect(try await MerkleTree.root(size: Int64(size), reader: store) == root)
        for m in 0..<size {
            let proof = try await MerkleTree.inclusionProof(index: Int64(m), size: Int64(size), reader: store)
            let expected = TLogReference.path(m, leaves[...])
            #expect(proof == expected, "index \(m) size \(size)")
            let leafHash = TLogReference.leafHash(leaves[m])
            #expect(TLogReference.verifyInclusion(leafHash: leafHash, m: m, n: size, proof: proof, root: root))
            #expect(MerkleVerification.isValidInclusion(leafHash: leafHash, index: Int64(m), size: Int64(size), proof: proof, root: root))
            // A different leaf must fail under both verifiers.
            let other = TLogReference.leafHash(Data("not-a-leaf".utf8))
            #expect(!TLogReference.verifyInclusion(leafHash: other, m: m, n: size, proof: proof, root: root))
            #expect(!MerkleVerification.isValidInclusion(leafHash: other, index: Int64(m), size: Int64(size), proof: proof, root: root))
        }
    }

    @Test("every consistency proof between sizes 0 ≤ m ≤ n ≤ 16 matches the reference and verifies both ways", arguments: 1...16)
    func consistencyProofsMatchReference(second: Int) async throws {
        let leaves = TLogTestSupport.syntheticLeaves(second)
        let store = try await TLogTestSupport.store(leaves: leaves)
        let secondRoot = TLogReference.mth(leaves[...])
        for first in 0...second {
            let proof = try await MerkleTree.consistencyProof(first: Int64(first), second: Int64(second), reader: store)
            let firstRoot = TLogReference.mth(leaves[0..<first])
            #expect(try await MerkleTree.root(size: Int64(first), reader: store) == firstRoot)
            if first == 0 {
                #expect(proof.isEmpty)
            } else {
                #expect(proof == TLogReference.proof(first, leaves[...]), "\(first) → \(second)")
                #expect(TLogReference.verifyConsistency(m: first, n: second, proof: proof, firstRoot: firstRoot, secondRoot: secondRoot))
            }
            #expect(MerkleVerification.isValidConsistency(
                first: Int64(first), second: Int64(second), firstRoot: firstRoot, secondRoot: secondRoot, proof: proof))
            if first > 0 && first < second {
                // Proof against a root of a different history must fail under both verifiers.
                var forked = leaves
                forked[first - 1] = Data("forked".utf8)
                let forkedRoot = TLogReference.mth(forked[0..<first])
                #expect(!TLogReference.verifyConsistency(m: first, n: second, proof: proof, firstRoot: forkedRoot, secondRoot: secondRoot))
                #expect(!MerkleVerification.isValidConsistency(
                    first: Int64(first), second: Int64(second), firstRoot: forkedRoot, secondRoot: secondRoot, proof: proof))
            }
        }
    }

    @Test("a larger tree (1000 leaves): sampled proofs match the reference")
    func largerTreeSamples() async throws {
        let n = 1000
        let leaves = TLogTestSupport.syntheticLeaves(n)
        let store = try await TLogTestSupport.store(leaves: leaves)
        for m in [0, 1, 511, 512, 513, 767, 998, 999] {
            let proof = try await MerkleTree.inclusionProof(index: Int64(m), size: Int64(n), reader: store)
            #expect(proof == TLogReference.path(m, leaves[...]))
        }
        for first in [1, 2, 3, 255, 256, 257, 500, 511, 512, 513, 999] {
            let proof = try await MerkleTree.consistencyProof(first: Int64(first), second: Int64(n), reader: store)
            #expect(proof == TLogReference.proof(first, leaves[...]))
        }
    }
}
