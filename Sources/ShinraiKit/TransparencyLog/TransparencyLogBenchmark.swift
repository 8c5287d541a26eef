import Foundation

/// In-memory benchmark of the log core (not a test): appends `entries` synthetic
/// leaves in batches to an `InMemoryMerkleNodeStore`, then times random inclusion
/// and consistency proofs (each verified). Call it from a CLI or a test harness:
///
/// ```swift
/// let report = try await TransparencyLogBenchmark.run(entries: 1_000_000)
/// print(report)
/// ```
public enum TransparencyLogBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public let entries: Int64
        public let batchSize: Int
        public let appendSeconds: Double
        public let storedNodes: Int
        public let proofSamples: Int
        public let inclusionMicrosecondsAverage: Double
        public let consistencyMicrosecondsAverage: Double
        public let maxNodesReadPerInclusionProof: Int
        public let maxNodesReadPerConsistencyProof: Int
        public let readCallsPerProof: Double

        public var description: String {
            """
            transparency log benchmark (in memory)
              append: \(entries) entries in batches of \(batchSize): \(String(format: "%.2f", appendSeconds)) s \
            (\(String(format: "%.0f", Double(entries) / max(appendSeconds, 1e-9))) entries/s), \(storedNodes) nodes stored
              inclusion proof + verify: \(String(format: "%.1f", inclusionMicrosecondsAverage)) µs avg, \
            ≤ \(maxNodesReadPerInclusionProof) nodes read
              consistency proof + verify: \(String(format: "%.1f", consistencyMicrosecondsAverage)) µs avg, \
            ≤ \(maxNodesReadPerConsistencyProof) nodes read
              reader calls per proof: \(String(format: "%.2f", readCallsPerProof))
            """
        }
    }

    public static func run(entries: Int64 = 1_000_000, batchSize: Int = 1_000, proofSamples: Int = 1_000) async throws -> Report {
        precondition(entries > 0 && batchSize > 0 && proofSamples > 0)
        let store = InMemoryMerkleNodeStore()
        let clock = ContinuousClock()
        var next: Int64 = 0
        let appendDuration = try await clock.measure {
            while next < entries {
                let count = Int(min(Int64(batchSize), entries - next))
                var batch: [Data] = []
                batch.reserveCapacity(count)
                for i in next..<(next + Int64(count)) {
                    var le = i.littleEndian
                    batch.append(MerkleHashing.leafHash(Data(bytes: &le, count: 8)))
                }
                try await store.append(leafHashes: batch)
                next += Int64(count)
            }
        }
        let root = try await MerkleTree.root(size: entries, reader: store)
        await store.resetCounters()

        var rng = SplitMix64(seed: 0x5EED)
        var maxInclusion = 0
        let inclusionDuration = try await clock.measure {
            for _ in 0..<proofSamples {
                let index = Int64(rng.next() % UInt64(entries))
                var le = index.littleEndian
                let leaf = MerkleHashing.leafHash(Data(bytes: &le, count: 8))
                let proof = try await MerkleTree.inclusionProof(index: index, size: entries, reader: store)
                try MerkleVerification.verifyInclusion(leafHash: leaf, index: index, size: entries, proof: proof, root: root)
                maxInclusion = max(maxInclusion, try MerkleTree.inclusionProofNodeIDs(index: index, size: entries).count)
            }
        }
        var maxConsistency = 0
        let consistencyDuration = try await clock.measure {
            for _ in 0..<proofSamples {
                let first = Int64(rng.next() % UInt64(entries)) + 1
                let firstRoot = try await MerkleTree.root(size: first, reader: store)
                let proof = try await MerkleTree.consistencyProof(first: first, second: entries, reader: store)
                try MerkleVerification.verifyConsistency(
                    first: first, second: entries, firstRoot: firstRoot, secondRoot: root, proof: proof)
                maxConsistency = max(maxConsistency, try MerkleTree.consistencyProofNodeIDs(first: first, second: entries).count)
            }
        }
        let calls = await store.readCalls
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        return Report(
            entries: entries,
            batchSize: batchSize,
            appendSeconds: seconds(appendDuration),
            storedNodes: await store.nodeCount,
            proofSamples: proofSamples,
            inclusionMicrosecondsAverage: seconds(inclusionDuration) * 1e6 / Double(proofSamples),
            // includes fetching the historical first root (one more read call)
            consistencyMicrosecondsAverage: seconds(consistencyDuration) * 1e6 / Double(proofSamples),
            maxNodesReadPerInclusionProof: maxInclusion,
            maxNodesReadPerConsistencyProof: maxConsistency,
            readCallsPerProof: Double(calls) / Double(proofSamples * 3)
        )
    }

    /// Small deterministic PRNG (SplitMix64) for reproducible samples.
    struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
