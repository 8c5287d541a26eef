import Foundation

/// Identifies a *perfect* (complete) subtree of the log's Merkle tree.
///
/// Node `(level, index)` covers the leaves `[index · 2^level, (index + 1) · 2^level)`.
/// Level 0 nodes are the leaf hashes. A node exists (and is stored) as soon as the
/// log has at least `(index + 1) · 2^level` entries; its hash never changes after that.
public struct MerkleNodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let level: Int
    public let index: Int64

    public init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    /// First leaf covered (inclusive).
    public var start: Int64 { index << Int64(level) }
    /// One past the last leaf covered.
    public var end: Int64 { (index + 1) << Int64(level) }
    /// Number of leaves covered (2^level).
    public var leafCount: Int64 { Int64(1) << Int64(level) }

    /// A single-integer key for storage: `index << 6 | level` (unique for trees of
    /// fewer than 2^57 leaves). Handy as a one-column primary key so a batch read is
    /// `WHERE key IN (…)`.
    public var storageKey: Int64 { index << 6 | Int64(level) }

    public init(storageKey: Int64) {
        self.init(level: Int(storageKey & 0x3F), index: storageKey >> 6)
    }

    public static func < (lhs: MerkleNodeID, rhs: MerkleNodeID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }

    public var description: String { "(\(level), \(index))" }
}

/// A perfect-subtree hash together with its position.
public struct MerkleNode: Hashable, Sendable {
    public let id: MerkleNodeID
    public let hash: Data

    public init(id: MerkleNodeID, hash: Data) {
        self.id = id
        self.hash = hash
    }
}

/// Read access to stored perfect-subtree hashes.
///
/// Implementations return the hashes they have for the requested ids; an id that is
/// absent from the result is treated as missing (`MerkleTreeError.missingNode`).
/// Every proof and historical root is answered with exactly one call.
public protocol MerkleNodeReader: Sendable {
    func hashes(for ids: [MerkleNodeID]) async throws -> [MerkleNodeID: Data]
}

/// Everything the persistence layer must write after appending a batch of leaves.
public struct MerkleAppendPlan: Sendable, Equatable {
    /// Tree size before the batch.
    public let previousSize: Int64
    /// Tree size after the batch.
    public let newSize: Int64
    /// Every perfect-subtree node completed by the batch (level 0 = the new leaf
    /// hashes, plus each interior node that became complete), in creation order.
    /// Persist all of them; none of them ever changes afterwards.
    public let newNodes: [MerkleNode]
    /// The compact range ("frontier") of the new tree, left to right; equal to
    /// `MerkleTree.frontierIDs(size: newSize)` with hashes. Every element is also
    /// either in `newNodes` or was already stored.
    public let frontier: [MerkleNode]
    /// MTH of the new tree (`newSize` leaves).
    public let root: Data
}

public enum MerkleTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSize(Int64)
    case indexOutOfRange(index: Int64, size: Int64)
    case invalidConsistencyRange(first: Int64, second: Int64)
    case frontierMismatch(expected: Int, got: Int)
    case invalidHashLength(Int)
    case missingNode(MerkleNodeID)

    public var description: String {
        switch self {
        case .invalidSize(let s): return "invalid tree size \(s)"
        case .indexOutOfRange(let i, let s): return "leaf index \(i) out of range for tree size \(s)"
        case .invalidConsistencyRange(let a, let b): return "invalid consistency range \(a)..\(b)"
        case .frontierMismatch(let e, let g): return "frontier has \(g) hashes, expected \(e)"
        case .invalidHashLength(let n): return "hash has \(n) bytes, expected 32"
        case .missingNode(let id): return "stored Merkle node \(id) is missing"
        }
    }
}

/// The Merkle tree of RFC 9162 §2.1 over perfect-subtree storage.
///
/// Nothing here rebuilds the tree: appends need only the frontier, and roots and
/// proofs decompose each needed `MTH(D[a:b])` into stored perfect subtrees, fetch
/// them with ONE `MerkleNodeReader.hashes(for:)` call and fold them.
public enum MerkleTree {
    // MARK: Node arithmetic

    /// Decomposes the leaf range `[start, end)` into maximal perfect subtrees,
    /// left to right. For a range that is a subtree of the RFC tree (which is all
    /// this type ever asks for), the sizes strictly decrease, so there are at most
    /// `⌊log2(end − start)⌋ + 1` nodes.
    public static func perfectSubtrees(from start: Int64, to end: Int64) -> [MerkleNodeID] {
        precondition(start >= 0 && start <= end, "invalid range")
        var result: [MerkleNodeID] = []
        var a = start
        while a < end {
            let alignment = a == 0 ? 63 : a.trailingZeroBitCount
            let fits = 63 - (end - a).leadingZeroBitCount
            let level = min(alignment, fits)
            result.append(MerkleNodeID(level: level, index: a >> Int64(level)))
            a += Int64(1) << Int64(level)
        }
        return result
    }

    /// The compact range of a tree of `size` leaves: one perfect subtree per set bit
    /// of `size`, from the highest level (leftmost) to the lowest (rightmost).
    /// At most `⌊log2 size⌋ + 1` ids; empty for size 0.
    public static func frontierIDs(size: Int64) -> [MerkleNodeID] {
        precondition(size >= 0, "negative size")
        return perfectSubtrees(from: 0, to: size)
    }

    /// Largest power of two strictly smaller than `n` (n ≥ 2): RFC 9162's split point `k`.
    static func splitPoint(_ n: Int64) -> Int64 {
        Int64(1) << Int64(63 - (n - 1).leadingZeroBitCount)
    }

    /// MTH of a subtree from its perfect decomposition (left to right): fold from the right.
    static func fold(_ hashes: [Data]) -> Data {
        guard var acc = hashes.last else { return MerkleHashing.emptyRoot }
        var i = hashes.count - 2
        while i >= 0 {
            acc = MerkleHashing.nodeHash(hashes[i], acc)
            i -= 1
        }
        return acc
    }

    // MARK: Append

    /// Computes what to store when appending `newLeafHashes` to a tree of
    /// `existingSize` leaves whose compact range is `frontier` (hashes of
    /// `frontierIDs(size: existingSize)`, in that order).
    ///
    /// Cost: one node hash per completed node (fewer than k + log2 n for a batch of k)
    /// plus at most log2 n hashes for the root; no reads besides the frontier.
    public static func appendPlan(existingSize: Int64, frontier: [Data], newLeafHashes: [Data]) throws -> MerkleAppendPlan {
        guard existingSize >= 0 else { throw MerkleTreeError.invalidSize(existingSize) }
        let frontierIDs = frontierIDs(size: existingSize)
        guard frontier.count == frontierIDs.count else {
            throw MerkleTreeError.frontierMismatch(expected: frontierIDs.count, got: frontier.count)
        }
        for hash in frontier where hash.count != MerkleHashing.hashSize {
            throw MerkleTreeError.invalidHashLength(hash.count)
        }
        for hash in newLeafHashes where hash.count != MerkleHashing.hashSize {
            throw MerkleTreeError.invalidHashLength(hash.count)
        }
        guard Int64.max - existingSize >= Int64(newLeafHashes.count) else {
            throw MerkleTreeError.invalidSize(existingSize)
        }

        var stack: [MerkleNode] = zip(frontierIDs, frontier).map { MerkleNode(id: $0, hash: $1) }
        var newNodes: [MerkleNode] = []
        newNodes.reserveCapacity(newLeafHashes.count * 2 + 64)
        var leafIndex = existingSize
        for leafHash in newLeafHashes {
            var node = MerkleNode(id: MerkleNodeID(level: 0, index: leafIndex), hash: leafHash)
            newNodes.append(node)
            // Merge with left siblings of the same level: each merge completes a perfect node.
            while let top = stack.last, top.id.level == node.id.level {
                stack.removeLast()
                node = MerkleNode(
                    id: MerkleNodeID(level: node.id.level + 1, index: node.id.index >> 1),
                    hash: MerkleHashing.nodeHash(top.hash, node.hash)
                )
                newNodes.append(node)
            }
            stack.append(node)
            leafIndex += 1
        }
        return MerkleAppendPlan(
            previousSize: existingSize,
            newSize: leafIndex,
            newNodes: newNodes,
            frontier: stack,
            root: fold(stack.map(\.hash))
        )
    }

    /// Convenience: reads the frontier of `existingSize` from `reader` (one call of
    /// at most log2 n + 1 ids) and plans the append.
    public static func appendPlan(existingSize: Int64, newLeafHashes: [Data], reader: some MerkleNodeReader) async throws -> MerkleAppendPlan {
        guard existingSize >= 0 else { throw MerkleTreeError.invalidSize(existingSize) }
        let ids = frontierIDs(size: existingSize)
        let hashes = try await fetch(ids, from: reader)
        return try appendPlan(existingSize: existingSize, frontier: ids.map { hashes[$0]! }, newLeafHashes: newLeafHashes)
    }

    /// Root of a tree given its compact range hashes (left to right).
    public static func root(frontier: [Data]) -> Data {
        fold(frontier)
    }

    /// Full re-derivation of MTH(D[n]) from all leaf hashes (O(n), O(log n) memory).
    public static func recomputeRoot(leafHashes: [Data]) -> Data {
        var stack: [(level: Int, hash: Data)] = []
        for leaf in leafHashes {
            var level = 0
            var hash = leaf
            while let top = stack.last, top.level == level {
                stack.removeLast()
                hash = MerkleHashing.nodeHash(top.hash, hash)
                level += 1
            }
            stack.append((level, hash))
        }
        return fold(stack.map(\.hash))
    }

    /// Full re-derivation from leaf inputs (entry bytes).
    public static func recomputeRoot(leaves: [Data]) -> Data {
        recomputeRoot(leafHashes: leaves.map(MerkleHashing.leafHash))
    }

    // MARK: Proof shapes (pure, no I/O)

    /// The leaf ranges `[a, b)` whose MTH form the RFC 9162 §2.1.3.1 inclusion proof
    /// (audit path) for leaf `index` in a tree of `size`, in proof order (bottom-up).
    public static func inclusionProofRanges(index: Int64, size: Int64) throws -> [Range<Int64>] {
        guard size >= 0 else { throw MerkleTreeError.invalidSize(size) }
        guard index >= 0, index < size else { throw MerkleTreeError.indexOutOfRange(index: index, size: size) }
        var lo: Int64 = 0
        var hi = size
        var topDown: [Range<Int64>] = []
        // PATH(m, D[lo:hi]): while the subtree has more than one leaf, descend into the
        // half containing m; the other half's MTH is appended (after the deeper path).
        while hi - lo > 1 {
            let k = splitPoint(hi - lo)
            if index - lo < k {
                topDown.append((lo + k)..<hi)
                hi = lo + k
            } else {
                topDown.append(lo..<(lo + k))
                lo += k
            }
        }
        return topDown.reversed()
    }

    /// The leaf ranges whose MTH form the RFC 9162 §2.1.4.1 consistency proof
    /// `PROOF(first, D[second])`, in proof order. Empty when `first == 0` or `first == second`.
    public static func consistencyProofRanges(first: Int64, second: Int64) throws -> [Range<Int64>] {
        guard first >= 0, second >= first else {
            throw MerkleTreeError.invalidConsistencyRange(first: first, second: second)
        }
        if first == 0 || first == second { return [] }
        var lo: Int64 = 0
        var hi = second
        var m = first
        var isOriginalRoot = true  // the `b` flag of SUBPROOF
        var topDown: [Range<Int64>] = []
        while true {
            let n = hi - lo
            if m == n {
                if !isOriginalRoot { topDown.append(lo..<hi) }
                break
            }
            let k = splitPoint(n)
            if m <= k {
                topDown.append((lo + k)..<hi)
                hi = lo + k
            } else {
                topDown.append(lo..<(lo + k))
                lo += k
                m -= k
                isOriginalRoot = false
            }
        }
        return topDown.reversed()
    }

    /// All stored nodes needed to compute the MTH of each range, in order.
    public static func nodeIDs(for ranges: [Range<Int64>]) -> [MerkleNodeID] {
        ranges.flatMap { perfectSubtrees(from: $0.lowerBound, to: $0.upperBound) }
    }

    /// Node ids read by `inclusionProof(index:size:reader:)` (one batch).
    public static func inclusionProofNodeIDs(index: Int64, size: Int64) throws -> [MerkleNodeID] {
        nodeIDs(for: try inclusionProofRanges(index: index, size: size))
    }

    /// Node ids read by `consistencyProof(first:second:reader:)` (one batch).
    public static func consistencyProofNodeIDs(first: Int64, second: Int64) throws -> [MerkleNodeID] {
        nodeIDs(for: try consistencyProofRanges(first: first, second: second))
    }

    // MARK: Reads

    /// MTH of the first `size` leaves (any historical size ≤ the current size):
    /// one reader call for the `popcount(size)` frontier nodes of that size.
    public static func root(size: Int64, reader: some MerkleNodeReader) async throws -> Data {
        guard size >= 0 else { throw MerkleTreeError.invalidSize(size) }
        let ids = frontierIDs(size: size)
        if ids.isEmpty { return MerkleHashing.emptyRoot }
        let hashes = try await fetch(ids, from: reader)
        return fold(ids.map { hashes[$0]! })
    }

    /// RFC 9162 §2.1.3.1 inclusion proof for leaf `index` in the tree of `size` leaves.
    /// One reader call for at most 2·⌈log2 size⌉ nodes (only the proof element touching the
    /// right edge of the tree can be an imperfect subtree).
    public static func inclusionProof(index: Int64, size: Int64, reader: some MerkleNodeReader) async throws -> [Data] {
        try await hashes(of: try inclusionProofRanges(index: index, size: size), reader: reader)
    }

    /// RFC 9162 §2.1.4.1 consistency proof between sizes `first` ≤ `second`.
    /// One reader call for at most 2·⌈log2 second⌉ + 1 nodes (no call when the proof is empty).
    public static func consistencyProof(first: Int64, second: Int64, reader: some MerkleNodeReader) async throws -> [Data] {
        try await hashes(of: try consistencyProofRanges(first: first, second: second), reader: reader)
    }

    /// MTH of each range (each must be a subtree of the RFC tree), with one reader call.
    static func hashes(of ranges: [Range<Int64>], reader: some MerkleNodeReader) async throws -> [Data] {
        if ranges.isEmpty { return [] }
        let decomposed = ranges.map { perfectSubtrees(from: $0.lowerBound, to: $0.upperBound) }
        let fetched = try await fetch(decomposed.flatMap { $0 }, from: reader)
        return decomposed.map { ids in fold(ids.map { fetched[$0]! }) }
    }

    /// One batched read; verifies every id is present with a 32-byte hash.
    static func fetch(_ ids: [MerkleNodeID], from reader: some MerkleNodeReader) async throws -> [MerkleNodeID: Data] {
        if ids.isEmpty { return [:] }
        let result = try await reader.hashes(for: ids)
        for id in ids {
            guard let hash = result[id] else { throw MerkleTreeError.missingNode(id) }
            guard hash.count == MerkleHashing.hashSize else { throw MerkleTreeError.invalidHashLength(hash.count) }
        }
        return result
    }
}

/// Dictionary-backed node store for tests, benchmarks and small tools.
/// Counts reader calls so tests can check the one-batch-per-proof property.
public actor InMemoryMerkleNodeStore: MerkleNodeReader {
    public private(set) var size: Int64 = 0
    private var nodes: [MerkleNodeID: Data] = [:]
    /// Number of `hashes(for:)` calls served.
    public private(set) var readCalls = 0
    /// Total number of ids requested through `hashes(for:)`.
    public private(set) var nodesRead = 0

    public init() {}

    public func hashes(for ids: [MerkleNodeID]) async throws -> [MerkleNodeID: Data] {
        readCalls += 1
        nodesRead += ids.count
        var out: [MerkleNodeID: Data] = [:]
        out.reserveCapacity(ids.count)
        for id in ids {
            if let hash = nodes[id] { out[id] = hash }
        }
        return out
    }

    /// Appends leaf hashes: reads the frontier from the dictionary, stores `plan.newNodes`.
    @discardableResult
    public func append(leafHashes: [Data]) throws -> MerkleAppendPlan {
        let frontier = try MerkleTree.frontierIDs(size: size).map { id -> Data in
            guard let hash = nodes[id] else { throw MerkleTreeError.missingNode(id) }
            return hash
        }
        let plan = try MerkleTree.appendPlan(existingSize: size, frontier: frontier, newLeafHashes: leafHashes)
        for node in plan.newNodes { nodes[node.id] = node.hash }
        size = plan.newSize
        return plan
    }

    /// Appends entries (hashing each entry's canonical leaf bytes).
    @discardableResult
    public func append(entries: [LogEntry]) throws -> MerkleAppendPlan {
        try append(leafHashes: entries.map(\.leafHash))
    }

    /// Number of stored nodes.
    public var nodeCount: Int { nodes.count }

    /// Direct access for tests (e.g. to simulate a corrupted store).
    public func storedHash(_ id: MerkleNodeID) -> Data? { nodes[id] }
    public func overwrite(_ id: MerkleNodeID, with hash: Data) { nodes[id] = hash }

    public func resetCounters() {
        readCalls = 0
        nodesRead = 0
    }
}
