import Crypto
import Foundation
import Testing

import ShinraiKit

/// Known answers from the RFC 6962 / Certificate Transparency reference vectors
/// (github.com/transparency-dev/merkle testonly/constants.go and proof/verify_test.go).
enum TLogVectors {
    static let emptyRoot = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Roots for sizes 1…8.
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    /// Leaf hash of our 9th leaf (0x70…0x8f, 32 bytes) and the size-9 root, computed with
    /// Python's hashlib (an independent implementation), and re-derived in a test below.
    static let leaf9Hash = "ef29dd52bce3d016ac8fbe7602b4142cc592eb2ea56b98fdd3c8e5238b9ed7f1"
    static let root9 = "e2834d5f59dd6f6ea28c05b772d63c10640bda7037a96f088fd4f26ddccc95d2"

    /// All perfect-subtree hashes of the 8-leaf tree: [level][index].
    static let nodeHashes: [[String]] = [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ]

    /// (0-based leaf index, size, proof) — the CT vectors use 1-based leaf numbers.
    static let inclusionProofs: [(Int64, Int64, [String])] = [
        (0, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (5, 8, [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        (0, 1, []),
    ]

    static let consistencyProofs: [(Int64, Int64, [String])] = [
        (1, 1, []),
        (1, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (6, 8, [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        (2, 5, [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        (6, 7, [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    /// Root for size 1…9 as bytes.
    static func root(_ size: Int) -> Data {
        TLogTestSupport.hex(size == 9 ? root9 : roots[size - 1])
    }
}

/// Deterministic PRNG for reproducible "random" batches.
struct TLogTestRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Transparency log: Merkle tree")
struct TransparencyLogMerkleTests {
    let hex = TLogTestSupport.hex
    let leaves = TLogTestSupport.vectorLeaves

    // MARK: Known answers

    @Test("empty root, leaf hashes and roots 1–8 match the CT vectors; size 9 root matches")
    func knownRoots() async throws {
        #expect(MerkleHashing.emptyRoot == hex(TLogVectors.emptyRoot))
        #expect(MerkleTree.recomputeRoot(leafHashes: []) == hex(TLogVectors.emptyRoot))
        for (i, leaf) in leaves.prefix(8).enumerated() {
            #expect(MerkleHashing.leafHash(leaf) == hex(TLogVectors.nodeHashes[0][i]))
        }
        #expect(MerkleHashing.leafHash(leaves[8]) == hex(TLogVectors.leaf9Hash))
        // Size 9 = HASH(0x01 ‖ MTH(D[0:8]) ‖ MTH(D[8:9])), computed here with SHA256 directly.
        let direct = Data(SHA256.hash(data: Data([0x01]) + hex(TLogVectors.roots[7]) + hex(TLogVectors.leaf9Hash)))
        #expect(direct == hex(TLogVectors.root9))

        let store = try await TLogTestSupport.store(leaves: leaves)
        #expect(try await MerkleTree.root(size: 0, reader: store) == hex(TLogVectors.emptyRoot))
        for size in 1...9 {
            #expect(MerkleTree.recomputeRoot(leaves: Array(leaves.prefix(size))) == TLogVectors.root(size), "size \(size)")
            #expect(try await MerkleTree.root(size: Int64(size), reader: store) == TLogVectors.root(size), "size \(size)")
        }
    }

    @Test("append stores exactly the perfect subtrees of the CT vector tree")
    func storedNodesMatchVectorTable() async throws {
        let plan = try MerkleTree.appendPlan(
            existingSize: 0, frontier: [], newLeafHashes: leaves.prefix(8).map(MerkleHashing.leafHash))
        var expected: [MerkleNodeID: Data] = [:]
        for (level, row) in TLogVectors.nodeHashes.enumerated() {
            for (index, h) in row.enumerated() { expected[MerkleNodeID(level: level, index: Int64(index))] = hex(h) }
        }
        #expect(plan.newNodes.count == 15)
        #expect(Dictionary(uniqueKeysWithValues: plan.newNodes.map { ($0.id, $0.hash) }) == expected)
        #expect(plan.root == TLogVectors.root(8))
        #expect(plan.frontier == [MerkleNode(id: MerkleNodeID(level: 3, index: 0), hash: TLogVectors.root(8))])
    }

    @Test("frontier (compact range) of every size 0–8 matches the CT compact-tree vectors")
    func frontierMatchesCompactTrees() throws {
        let n = TLogVectors.nodeHashes
        let expected: [[(Int, Int)]] = [
            [], [(0, 0)], [(1, 0)], [(1, 0), (0, 2)], [(2, 0)], [(2, 0), (0, 4)], [(2, 0), (1, 2)],
            [(2, 0), (1, 2), (0, 6)], [(3, 0)],
        ]
        var frontier: [Data] = []
        for size in 0...8 {
            let ids = MerkleTree.frontierIDs(size: Int64(size))
            #expect(ids == expected[size].map { MerkleNodeID(level: $0.0, index: Int64($0.1)) })
            #expect(frontier == expected[size].map { hex(n[$0.0][$0.1]) }, "size \(size)")
            if size < 8 {
                let plan = try MerkleTree.appendPlan(
                    existingSize: Int64(size), frontier: frontier, newLeafHashes: [MerkleHashing.leafHash(leaves[size])])
                #expect(plan.frontier.map(\.id) == MerkleTree.frontierIDs(size: Int64(size + 1)))
                frontier = plan.frontier.map(\.hash)
            }
        }
        #expect(MerkleTree.frontierIDs(size: 1 << 40) == [MerkleNodeID(level: 40, index: 0)])
        // Node ids: covered leaf range and the packed storage key.
        let id = MerkleNodeID(level: 3, index: 5)
        #expect(id.start == 40 && id.end == 48 && id.leafCount == 8)
        #expect(id.storageKey == 5 * 64 + 3)
        #expect(MerkleNodeID(storageKey: id.storageKey) == id)
        #expect(MerkleNodeID(storageKey: MerkleNodeID(level: 0, index: (1 << 56) + 7).storageKey) == MerkleNodeID(level: 0, index: (1 << 56) + 7))
        #expect(MerkleTree.frontierIDs(size: 13).map(\.level) == [3, 2, 0])
    }

    @Test("CT inclusion-proof vectors are produced and verify")
    func knownInclusionProofs() async throws {
        let store = try await TLogTestSupport.store(leaves: Array(leaves.prefix(8)))
        for (index, size, expected) in TLogVectors.inclusionProofs {
            let proof = try await MerkleTree.inclusionProof(index: index, size: size, reader: store)
            #expect(proof == expected.map(hex), "index \(index) size \(size)")
            let leafHash = MerkleHashing.leafHash(leaves[Int(index)])
            try MerkleVerification.verifyInclusion(
                leafHash: leafHash, index: index, size: size, proof: expected.map(hex), root: TLogVectors.root(Int(size)))
        }
    }

    @Test("CT consistency-proof vectors are produced and verify")
    func knownConsistencyProofs() async throws {
        let store = try await TLogTestSupport.store(leaves: Array(leaves.prefix(8)))
        for (first, second, expected) in TLogVectors.consistencyProofs {
            let proof = try await MerkleTree.consistencyProof(first: first, second: second, reader: store)
            #expect(proof == expected.map(hex), "\(first) → \(second)")
            try MerkleVerification.verifyConsistency(
                first: first, second: second, firstRoot: TLogVectors.root(Int(first)),
                secondRoot: TLogVectors.root(Int(second)), proof: expected.map(hex))
        }
    }

    @Test("inclusion proofs for every index of every size 1–9 verify against the known roots", arguments: 1...9)
    func everyInclusionProofAgainstKnownRoots(size: Int) async throws {
        let store = try await TLogTestSupport.store(leaves: leaves)  // 9 leaves stored; proofs for historical sizes
        let root = TLogVectors.root(size)
        for index in 0..<size {
            let proof = try await MerkleTree.inclusionProof(index: Int64(index), size: Int64(size), reader: store)
            #expect(proof == TLogReference.path(index, leaves[0..<size]))
            let leafHash = MerkleHashing.leafHash(leaves[index])
            try MerkleVerification.verifyInclusion(leafHash: leafHash, index: Int64(index), size: Int64(size), proof: proof, root: root)
            #expect(TLogReference.verifyInclusion(leafHash: leafHash, m: index, n: size, proof: proof, root: root))
            // Wrong root (the root of another size) fails.
            let wrongRoot = TLogVectors.root(size == 9 ? 8 : size + 1)
            #expect(!MerkleVerification.isValidInclusion(
                leafHash: leafHash, index: Int64(index), size: Int64(size), proof: proof, root: wrongRoot))
        }
    }

    // MARK: Incremental append

    @Test("random batch appends give the same roots and nodes as a full recompute, at every historical size")
    func randomBatches() async throws {
        var rng = TLogTestRNG(state: 42)
        let total = 300
        let allLeaves = TLogTestSupport.syntheticLeaves(total)
        let leafHashes = allLeaves.map(MerkleHashing.leafHash)

        let oneShot = try MerkleTree.appendPlan(existingSize: 0, frontier: [], newLeafHashes: leafHashes)
        for trial in 0..<3 {
            let store = InMemoryMerkleNodeStore()
            var collected: [MerkleNode] = []
            var size = 0
            while size < total {
                let k = trial == 0 ? 1 : Int.random(in: 0...23, using: &rng)
                let batch = Array(leafHashes[size..<min(total, size + k)])
                let plan = try await store.append(leafHashes: batch)
                size += batch.count
                #expect(plan.newSize == Int64(size))
                #expect(plan.root == TLogReference.mth(allLeaves[0..<size]), "size \(size)")
                #expect(plan.frontier.map(\.id) == MerkleTree.frontierIDs(size: Int64(size)))
                collected += plan.newNodes
            }
            #expect(Set(collected) == Set(oneShot.newNodes))
            #expect(collected.count == oneShot.newNodes.count)  // no node written twice
            // Every perfect subtree fully inside [0, total) is stored: Σ_level ⌊n / 2^level⌋.
            let expectedCount = (0..<10).reduce(0) { $0 + total >> $1 }
            #expect(await store.nodeCount == expectedCount)
            for s in 0...total {
                #expect(try await MerkleTree.root(size: Int64(s), reader: store) == MerkleTree.recomputeRoot(leafHashes: Array(leafHashes[0..<s])))
            }
        }
        for s in stride(from: 0, through: total, by: 37) {
            #expect(MerkleTree.recomputeRoot(leafHashes: Array(leafHashes[0..<s])) == TLogReference.mth(allLeaves[0..<s]))
        }
    }

    @Test("appendPlan with an empty batch keeps the root")
    func emptyBatch() throws {
        let hashes = leaves.map(MerkleHashing.leafHash)
        let plan = try MerkleTree.appendPlan(existingSize: 0, frontier: [], newLeafHashes: Array(hashes.prefix(5)))
        let again = try MerkleTree.appendPlan(existingSize: 5, frontier: plan.frontier.map(\.hash), newLeafHashes: [])
        #expect(again.newNodes.isEmpty)
        #expect(again.root == TLogVectors.root(5))
        #expect(again.newSize == 5)
    }

    @Test("appendPlan reads only the frontier through the reader (one call)")
    func appendThroughReader() async throws {
        let store = try await TLogTestSupport.store(leaves: Array(leaves.prefix(7)))
        await store.resetCounters()
        let plan = try await MerkleTree.appendPlan(
            existingSize: 7, newLeafHashes: [MerkleHashing.leafHash(leaves[7]), MerkleHashing.leafHash(leaves[8])], reader: store)
        #expect(await store.readCalls == 1)
        #expect(await store.nodesRead == 3)
        #expect(plan.root == TLogVectors.root(9))
        #expect(Set(plan.newNodes.map(\.id)) == [
            MerkleNodeID(level: 0, index: 7), MerkleNodeID(level: 1, index: 3), MerkleNodeID(level: 2, index: 1),
            MerkleNodeID(level: 3, index: 0), MerkleNodeID(level: 0, index: 8),
        ])
    }

    // MARK: Reads

    @Test("each proof and root is one batched read of at most O(log n) nodes")
    func oneBatchedRead() async throws {
        let n = 1000
        let store = try await TLogTestSupport.store(leaves: TLogTestSupport.syntheticLeaves(n))
        for index in [0, 499, 511, 512, 998, 999] as [Int64] {
            await store.resetCounters()
            _ = try await MerkleTree.inclusionProof(index: index, size: Int64(n), reader: store)
            #expect(await store.readCalls == 1)
            #expect(await store.nodesRead == (try MerkleTree.inclusionProofNodeIDs(index: index, size: Int64(n))).count)
            #expect(await store.nodesRead <= 20)
        }
        for first in [1, 3, 500, 512, 999] as [Int64] {
            await store.resetCounters()
            _ = try await MerkleTree.consistencyProof(first: first, second: Int64(n), reader: store)
            #expect(await store.readCalls == 1)
            #expect(await store.nodesRead <= 21)
        }
        await store.resetCounters()
        _ = try await MerkleTree.root(size: 999, reader: store)
        #expect(await store.readCalls == 1)
        #expect(await store.nodesRead == 999.nonzeroBitCount)
        await store.resetCounters()
        #expect(try await MerkleTree.consistencyProof(first: 1000, second: 1000, reader: store).isEmpty)
        #expect(await store.readCalls == 0)
    }

    @Test("node-count bounds hold for huge sizes (pure id computation)")
    func readBoundsForHugeTrees() throws {
        var rng = TLogTestRNG(state: 7)
        for _ in 0..<2000 {
            let size = Int64.random(in: 2...(1 << 45), using: &rng)
            let log2ceil = 64 - (size - 1).leadingZeroBitCount
            let index = Int64.random(in: 0..<size, using: &rng)
            let inc = try MerkleTree.inclusionProofNodeIDs(index: index, size: size)
            #expect(inc.count <= 2 * log2ceil)
            #expect(Set(inc).count == inc.count)
            #expect(inc.allSatisfy { $0.end <= size })
            let first = Int64.random(in: 1...size, using: &rng)
            let con = try MerkleTree.consistencyProofNodeIDs(first: first, second: size)
            #expect(con.count <= 2 * log2ceil + 1)
            #expect(con.allSatisfy { $0.end <= size })
            #expect(try MerkleTree.inclusionProofRanges(index: index, size: size).count <= log2ceil)
        }
    }

    // MARK: Tamper detection

    @Test("changing any one leaf changes the recomputed root")
    func changedLeafChangesRoot() {
        let base = TLogTestSupport.syntheticLeaves(20)
        let root = MerkleTree.recomputeRoot(leaves: base)
        for i in 0..<base.count {
            var changed = base
            changed[i] = Data("tampered".utf8)
            #expect(MerkleTree.recomputeRoot(leaves: changed) != root, "leaf \(i)")
        }
        // Reordering two leaves changes it too.
        var swapped = base
        swapped.swapAt(3, 4)
        #expect(MerkleTree.recomputeRoot(leaves: swapped) != root)
        // Leaf/node domain separation: a one-leaf tree whose leaf is (hash0 ‖ hash1) does not
        // have the root of the two-leaf tree.
        let twoLeafRoot = MerkleTree.recomputeRoot(leaves: Array(base.prefix(2)))
        let concatenated = MerkleHashing.leafHash(base[0]) + MerkleHashing.leafHash(base[1])
        #expect(MerkleTree.recomputeRoot(leaves: [concatenated]) != twoLeafRoot)
    }

    @Test("corrupted inclusion proofs are rejected")
    func corruptedInclusionProofs() async throws {
        let store = try await TLogTestSupport.store(leaves: leaves)
        let someHash = hex("abacaba000000000000000000000000000000000000000000060061e00123456")
        for (index, size): (Int64, Int64) in [(1, 8), (5, 8), (2, 3), (1, 5), (8, 9), (0, 9)] {
            let proof = try await MerkleTree.inclusionProof(index: index, size: size, reader: store)
            let root = TLogVectors.root(Int(size))
            let leaf = MerkleHashing.leafHash(leaves[Int(index)])
            #expect(MerkleVerification.isValidInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
            var probes: [(Int64, Int64, Data, [Data], Data, String)] = [
                (index - 1, size, leaf, proof, root, "index - 1"),
                (index + 1, size, leaf, proof, root, "index + 1"),
                (index ^ 2, size, leaf, proof, root, "index ^ 2"),
                (index, size * 2, leaf, proof, root, "size * 2"),
                (index, size / 2, leaf, proof, root, "size / 2"),
                (index, size, MerkleHashing.leafHash(Data("WrongLeaf".utf8)), proof, root, "wrong leaf"),
                (index, size, leaf, proof, MerkleHashing.emptyRoot, "empty root"),
                (index, size, leaf, proof, someHash, "random root"),
                (index, size, leaf, proof + [someHash], root, "trailing hash"),
                (index, size, leaf, proof + [root], root, "trailing root"),
                (index, size, leaf, [root] + proof, root, "preceding root"),
                (index, size, leaf, proof + [Data()], root, "trailing garbage"),
            ]
            for i in proof.indices {
                var p = proof
                p[i][p[i].startIndex] ^= 8
                probes.append((index, size, leaf, p, root, "bit flip \(i)"))
            }
            if !proof.isEmpty { probes.append((index, size, leaf, Array(proof.dropLast()), root, "removed component")) }
            if proof.count > 1 {
                probes.append((index, size, leaf, [proof[0], someHash] + proof.dropFirst(), root, "inserted component"))
            }
            for (i, s, l, p, r, what) in probes {
                #expect(!MerkleVerification.isValidInclusion(leafHash: l, index: i, size: s, proof: p, root: r), "\(what) (\(index), \(size))")
            }
        }
    }

    @Test("corrupted consistency proofs are rejected")
    func corruptedConsistencyProofs() async throws {
        let store = try await TLogTestSupport.store(leaves: leaves)
        let someHash = hex("abacaba000000000000000000000000000000000000000000060061e00123456")
        for (first, second): (Int64, Int64) in [(1, 8), (6, 8), (2, 5), (6, 7), (3, 9), (4, 9), (8, 9)] {
            let proof = try await MerkleTree.consistencyProof(first: first, second: second, reader: store)
            let r1 = TLogVectors.root(Int(first))
            let r2 = TLogVectors.root(Int(second))
            try MerkleVerification.verifyConsistency(first: first, second: second, firstRoot: r1, secondRoot: r2, proof: proof)
            var probes: [(Int64, Int64, Data, Data, [Data], String)] = [
                (first - 1, second, r1, r2, proof, "first - 1"),
                (first + 1, second, r1, r2, proof, "first + 1"),
                (first ^ 2, second, r1, r2, proof, "first ^ 2"),
                (first, second * 2, r1, r2, proof, "second * 2"),
                (first, second / 2, r1, r2, proof, "second / 2"),
                (first, second, someHash, r2, proof, "wrong first root"),
                (first, second, r1, someHash, proof, "wrong second root"),
                (first, second, r2, r1, proof, "swapped roots"),
                (first, second, r1, r2, [], "empty proof"),
                (first, second, r1, r2, proof + [someHash], "trailing hash"),
                (first, second, r1, r2, proof + [r1], "trailing root1"),
                (first, second, r1, r2, [r2] + proof, "preceding root2"),
                (first, second, r1, r2, [proof[0]] + proof, "preceding proof[0]"),
                (first, second, r1, r2, Array(proof.dropLast()), "truncated"),
            ]
            for i in proof.indices {
                var p = proof
                p[i][p[i].startIndex] ^= 16
                probes.append((first, second, r1, r2, p, "bit flip \(i)"))
            }
            for (a, b, x, y, p, what) in probes where !(a == first && b == second && x == r1 && y == r2 && p == proof) {
                #expect(!MerkleVerification.isValidConsistency(first: a, second: b, firstRoot: x, secondRoot: y, proof: p), "\(what) (\(first), \(second))")
            }
        }
    }

    @Test("consistency edge cases (first == 0, first == second, time travel)")
    func consistencyEdgeCases() {
        let r1 = hex(TLogVectors.roots[0])
        let r2 = hex(TLogVectors.roots[1])
        let e = MerkleHashing.emptyRoot
        #expect(MerkleVerification.isValidConsistency(first: 0, second: 0, firstRoot: e, secondRoot: e, proof: []))
        #expect(MerkleVerification.isValidConsistency(first: 0, second: 1, firstRoot: e, secondRoot: r1, proof: []))
        #expect(MerkleVerification.isValidConsistency(first: 1, second: 1, firstRoot: r1, secondRoot: r1, proof: []))
        #expect(!MerkleVerification.isValidConsistency(first: 1, second: 1, firstRoot: r1, secondRoot: r2, proof: []))
        #expect(!MerkleVerification.isValidConsistency(first: 1, second: 0, firstRoot: r1, secondRoot: e, proof: []))
        #expect(!MerkleVerification.isValidConsistency(first: 2, second: 1, firstRoot: r2, secondRoot: r1, proof: []))
        #expect(!MerkleVerification.isValidConsistency(first: 1, second: 2, firstRoot: r1, secondRoot: r2, proof: []))
        #expect(!MerkleVerification.isValidConsistency(first: 0, second: 0, firstRoot: e, secondRoot: e, proof: [e]))
        #expect(!MerkleVerification.isValidConsistency(first: 0, second: 1, firstRoot: e, secondRoot: r1, proof: [e]))
        #expect(!MerkleVerification.isValidConsistency(first: 1, second: 1, firstRoot: r1, secondRoot: r1, proof: [e]))
        #expect(!MerkleVerification.isValidConsistency(first: 1, second: 2, firstRoot: Data("short".utf8), secondRoot: r2, proof: [r2]))
        #expect(throws: MerkleVerificationError.emptyProof) {
            try MerkleVerification.verifyConsistency(first: 1, second: 2, firstRoot: r1, secondRoot: r2, proof: [])
        }
        // Inclusion edge cases.
        #expect(!MerkleVerification.isValidInclusion(leafHash: r1, index: 0, size: 0, proof: [], root: e))
        #expect(!MerkleVerification.isValidInclusion(leafHash: r1, index: 1, size: 1, proof: [], root: r1))
        #expect(!MerkleVerification.isValidInclusion(leafHash: r1, index: -1, size: 1, proof: [], root: r1))
        #expect(MerkleVerification.isValidInclusion(leafHash: r1, index: 0, size: 1, proof: [], root: r1))
        #expect(!MerkleVerification.isValidInclusion(leafHash: Data(), index: 0, size: 1, proof: [], root: Data()))
    }

    @Test("a corrupted store yields proofs that fail against the signed root")
    func corruptedStoreIsDetected() async throws {
        let allLeaves = TLogTestSupport.syntheticLeaves(50)
        let store = try await TLogTestSupport.store(leaves: allLeaves)
        let root = try await MerkleTree.root(size: 50, reader: store)
        // (3, 1) covers leaves 8..<16: it is the third element of leaf 0's audit path.
        let victim = MerkleNodeID(level: 3, index: 1)
        let original = try #require(await store.storedHash(victim))
        await store.overwrite(victim, with: MerkleHashing.leafHash(Data("evil".utf8)))
        let proof = try await MerkleTree.inclusionProof(index: 0, size: 50, reader: store)
        #expect(!MerkleVerification.isValidInclusion(
            leafHash: MerkleHashing.leafHash(allLeaves[0]), index: 0, size: 50, proof: proof, root: root))
        await store.overwrite(victim, with: original)
        let repaired = try await MerkleTree.inclusionProof(index: 0, size: 50, reader: store)
        #expect(MerkleVerification.isValidInclusion(
            leafHash: MerkleHashing.leafHash(allLeaves[0]), index: 0, size: 50, proof: repaired, root: root))
        // (4, 2) covers leaves 32..<48: part of the frontier of size 50, so the root changes.
        await store.overwrite(MerkleNodeID(level: 4, index: 2), with: MerkleHashing.leafHash(Data("evil".utf8)))
        #expect(try await MerkleTree.root(size: 50, reader: store) != root)
        #expect(try await MerkleTree.root(size: 32, reader: store) == TLogReference.mth(allLeaves[0..<32]))
    }

    // MARK: Errors

    @Test("invalid arguments are rejected")
    func invalidArguments() async throws {
        let h = MerkleHashing.leafHash(Data())
        #expect(throws: MerkleTreeError.frontierMismatch(expected: 2, got: 1)) {
            try MerkleTree.appendPlan(existingSize: 3, frontier: [h], newLeafHashes: [h])
        }
        #expect(throws: MerkleTreeError.invalidHashLength(3)) {
            try MerkleTree.appendPlan(existingSize: 0, frontier: [], newLeafHashes: [Data([1, 2, 3])])
        }
        #expect(throws: MerkleTreeError.invalidSize(-1)) {
            try MerkleTree.appendPlan(existingSize: -1, frontier: [], newLeafHashes: [h])
        }
        let store = try await TLogTestSupport.store(leaves: Array(leaves.prefix(4)))
        await #expect(throws: MerkleTreeError.indexOutOfRange(index: 4, size: 4)) {
            try await MerkleTree.inclusionProof(index: 4, size: 4, reader: store)
        }
        await #expect(throws: MerkleTreeError.invalidConsistencyRange(first: 3, second: 2)) {
            try await MerkleTree.consistencyProof(first: 3, second: 2, reader: store)
        }
        // Sizes beyond what is stored surface as missing nodes, not as wrong answers.
        await #expect(throws: MerkleTreeError.missingNode(MerkleNodeID(level: 0, index: 4))) {
            try await MerkleTree.root(size: 5, reader: store)
        }
        await #expect(throws: MerkleTreeError.self) {
            try await MerkleTree.inclusionProof(index: 0, size: 6, reader: store)
        }
    }
}
