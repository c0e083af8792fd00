import TestSupport
import Testing

@testable import DHT

@Suite("the routing table")
struct RoutingTableTests {
    /// Our ID is all zeros, so a node's bucket is the number of leading zero bits of its ID.
    static let ownID = NodeID.zero

    static func table(onePerAddress: Bool = false, buckets: Int = 160, secure: Bool = false) -> RoutingTable {
        RoutingTable(
            ownID: ownID,
            settings: RoutingTable.Settings(
                maximumBuckets: buckets, onePerAddressPerBucket: onePerAddress, requiresSecureIDs: secure),
            now: 0)
    }

    /// A node `n` whose ID has `prefix` leading zero bits (so it shares that many bits with ours).
    static func node(prefix: Int, _ n: Int, port: UInt16 = 6881) -> CompactNodeInfo {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[prefix / 8] = 0x80 >> UInt8(prefix % 8)
        bytes[19] |= UInt8(n)
        return CompactNodeInfo(id: NodeID(bytes: bytes)!, endpoint: .ipv4(10, 0, UInt8(prefix), UInt8(n), port: port))
    }

    @Test func nodesThatAnswerAreAddedAndRenewed() {
        var table = Self.table()
        let node = Self.node(prefix: 0, 1)
        #expect(table.nodeResponded(node, now: 1) == .added)
        #expect(table.count == 1)
        #expect(table.nodeResponded(node, now: 2) == .updated)
        #expect(table.count == 1)
        #expect(table.entry(at: node.endpoint)?.lastResponse == 2)
        #expect(table.state(of: table.allEntries[0], now: 3) == .good)
    }

    @Test func ownIDAndPortZeroAreRefused() {
        var table = Self.table()
        #expect(
            table.nodeResponded(CompactNodeInfo(id: Self.ownID, endpoint: Fixtures.endpoint(1)), now: 0)
                == .rejected(.ownID))
        #expect(
            table.nodeResponded(CompactNodeInfo(id: Fixtures.id("80"), endpoint: Fixtures.endpoint(1, port: 0)), now: 0)
                == .rejected(.portZero))
        #expect(table.count == 0)
    }

    @Test func onlyTheBucketHoldingOurIDSplits() {
        var table = Self.table()
        // Eight far nodes fill bucket 0 (they share no bit with us).
        for n in 1...8 { #expect(table.nodeResponded(Self.node(prefix: 0, n), now: 0) == .added) }
        #expect(table.bucketCount == 1)
        // A ninth far node splits the only bucket; bucket 0 is then full of far nodes, and the next far
        // node waits as a replacement instead of splitting again.
        #expect(table.nodeResponded(Self.node(prefix: 1, 1), now: 0) == .added)
        #expect(table.bucketCount == 2)
        #expect(table.entries(inBucket: 0).count == 8)
        #expect(table.entries(inBucket: 1).count == 1)
        if case .cached = table.nodeResponded(Self.node(prefix: 0, 9), now: 0) {} else { Issue.record("not cached") }
        #expect(table.bucketCount == 2 && table.replacementCount == 1)
        // Nodes near us keep splitting the last bucket.
        for prefix in 1...40 {
            for n in 1...8 { table.nodeResponded(Self.node(prefix: prefix, n), now: 0) }
        }
        #expect(table.bucketCount >= 40)
        for index in 0..<(table.bucketCount - 1) {
            for entry in table.entries(inBucket: index) {
                #expect(Self.ownID.commonPrefixLength(with: entry.node.id) == index)
            }
            #expect(table.entries(inBucket: index).count <= 8)
        }
    }

    @Test func tableSizeIsBounded() {
        var table = Self.table(buckets: 4)
        var random = SeededRandom(seed: 8)
        for n in 0..<5_000 {
            let id = NodeID.random(using: &random)
            let endpoint = DHTEndpoint.ipv4(10, UInt8(n >> 16), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), port: 1)
            table.nodeResponded(CompactNodeInfo(id: id, endpoint: endpoint), now: Double(n))
        }
        #expect(table.bucketCount == 4)
        #expect(table.count <= 4 * 8)
        #expect(table.replacementCount <= 4 * 8)
        #expect(table.endpoints.count == table.count + table.replacementCount)
    }

    @Test func oneNodePerEndpointAndOneEndpointPerNode() {
        var table = Self.table()
        let node = Self.node(prefix: 0, 1)
        table.nodeResponded(node, now: 0)
        let impostor = CompactNodeInfo(id: Fixtures.id("c0"), endpoint: node.endpoint)
        #expect(table.nodeResponded(impostor, now: 1) == .rejected(.endpointTaken))
        let moved = CompactNodeInfo(id: node.id, endpoint: Fixtures.endpoint(99))
        #expect(table.nodeResponded(moved, now: 1) == .rejected(.idAtOtherEndpoint))
        #expect(table.count == 1)
        // Once the owner of the endpoint is bad, a new node may take it over.
        table.nodeFailed(at: node.endpoint, now: 2)
        table.nodeFailed(at: node.endpoint, now: 3)
        #expect(table.nodeResponded(impostor, now: 4) == .added)
        #expect(table.allEntries.map(\.node) == [impostor])
    }

    @Test func onePerAddressPerBucketWhenAsked() {
        var table = Self.table(onePerAddress: true)
        let first = CompactNodeInfo(id: Fixtures.id("80"), endpoint: .ipv4(10, 0, 0, 1, port: 1))
        let samehost = CompactNodeInfo(id: Fixtures.id("c0"), endpoint: .ipv4(10, 0, 0, 1, port: 2))
        #expect(table.nodeResponded(first, now: 0) == .added)
        #expect(table.nodeResponded(samehost, now: 0) == .rejected(.addressInBucket))
        var permissive = Self.table()
        permissive.nodeResponded(first, now: 0)
        #expect(permissive.nodeResponded(samehost, now: 0) == .added)
    }

    @Test func secureIDsWhenAsked() {
        var table = Self.table(secure: true)
        var random = SeededRandom(seed: 2)
        let host = DHTEndpoint.ipv4(203, 0, 113, 7, port: 1).host
        let good = CompactNodeInfo(id: .secure(for: host, using: &random), endpoint: DHTEndpoint(host: host, port: 1))
        let bad = CompactNodeInfo(id: Fixtures.id("01"), endpoint: .ipv4(203, 0, 113, 8, port: 1))
        #expect(table.nodeResponded(good, now: 0) == .added)
        #expect(table.nodeResponded(bad, now: 0) == .rejected(.insecureID))
        // Private addresses are exempt.
        #expect(table.nodeResponded(Fixtures.node(Fixtures.id("02"), 5), now: 0) == .added)
    }

    @Test func nodeStatesFollowBEP5() {
        var table = Self.table()
        let node = Self.node(prefix: 0, 1)
        table.nodeResponded(node, now: 100)
        let fresh = DHTLimits.nodeFreshness
        func state(_ now: Double) -> NodeState { table.state(of: table.entry(at: node.endpoint)!, now: now) }
        #expect(state(100 + fresh - 1) == .good)
        #expect(state(100 + fresh) == .questionable)
        // A node that answered once stays good while it keeps querying us.
        let known = table.nodeQueried(node, now: 100 + fresh)
        #expect(known)
        #expect(state(100 + fresh + 1) == .good)
        table.nodeFailed(at: node.endpoint, now: 100 + fresh + 2)
        #expect(state(100 + fresh + 2) == .questionable)
        table.nodeFailed(at: node.endpoint, now: 100 + fresh + 3)
        #expect(state(100 + fresh + 3) == .bad)
        // An answer clears the failures.
        table.nodeResponded(node, now: 2_000)
        #expect(state(2_000) == .good)
    }

    @Test func queriesFromUnknownNodesDoNotAddThem() {
        var table = Self.table()
        let unknown = table.nodeQueried(Self.node(prefix: 0, 1), now: 0)
        #expect(!unknown)
        #expect(table.count == 0)
        // Nor do they renew a node claiming someone else's ID.
        table.nodeResponded(Self.node(prefix: 0, 1), now: 0)
        let impostor = table.nodeQueried(
            CompactNodeInfo(id: Self.node(prefix: 0, 1).id, endpoint: Fixtures.endpoint(77)), now: 1)
        #expect(!impostor)
    }

    @Test func badNodesGiveWayToReplacements() {
        var table = Self.table(buckets: 1)
        for n in 1...8 { table.nodeResponded(Self.node(prefix: 0, n), now: 0) }
        guard case .cached(let ping) = table.nodeResponded(Self.node(prefix: 0, 9), now: 10) else {
            Issue.record("not cached")
            return
        }
        #expect(ping.isEmpty, "all good: nothing to ping yet")
        // Later, the bucket's nodes are questionable: the caller is told which to ping.
        guard case .cached(let later) = table.nodeResponded(Self.node(prefix: 0, 10), now: 2_000) else {
            Issue.record("not cached")
            return
        }
        #expect(later.count == 8)
        let victim = Self.node(prefix: 0, 3)
        #expect(table.nodeFailed(at: victim.endpoint, now: 2_001) == nil)
        // The newest replacement moves in when the node goes bad.
        #expect(table.nodeFailed(at: victim.endpoint, now: 2_002) == Self.node(prefix: 0, 10))
        #expect(table.entry(at: victim.endpoint) == nil)
        #expect(table.count == 8 && table.replacementCount == 1)
    }

    @Test func aBadNodeIsReplacedDirectlyByANewcomer() {
        var table = Self.table(buckets: 1)
        for n in 1...8 { table.nodeResponded(Self.node(prefix: 0, n), now: 0) }
        table.nodeFailed(at: Self.node(prefix: 0, 4).endpoint, now: 1)
        table.nodeFailed(at: Self.node(prefix: 0, 4).endpoint, now: 1)
        #expect(table.nodeResponded(Self.node(prefix: 0, 20), now: 2) == .replaced(Self.node(prefix: 0, 4)))
        #expect(table.count == 8)
    }

    @Test func closestIsSortedByDistanceAndSkipsBadNodes() {
        var table = Self.table()
        var random = SeededRandom(seed: 4)
        var nodes: [CompactNodeInfo] = []
        for n in 0..<200 {
            let node = CompactNodeInfo(
                id: .random(using: &random), endpoint: .ipv4(10, 1, UInt8(n / 256), UInt8(n % 256), port: 1))
            if table.nodeResponded(node, now: 0) == .added { nodes.append(node) }
        }
        let target = NodeID.random(using: &random)
        let closest = table.closest(to: target, count: 8, now: 1)
        let expected = nodes.sorted { $0.id.distance(to: target) < $1.id.distance(to: target) }.prefix(8)
        #expect(closest == Array(expected))
        table.nodeFailed(at: closest[0].endpoint, now: 1)
        table.nodeFailed(at: closest[0].endpoint, now: 1)
        let after = table.closest(to: target, count: 8, now: 1)
        #expect(!after.contains(closest[0]))
        #expect(after.count == 8)
        #expect(table.closest(to: target, count: 0, now: 1).isEmpty)
        #expect(table.closest(to: target, count: 8, family: .ipv6, now: 1).isEmpty)
        #expect(table.closest(to: target, count: 8, goodOnly: true, now: 5_000).isEmpty)
    }

    @Test func bucketsUnchangedFor15MinutesWantARefreshInTheirRange() {
        var table = Self.table()
        for n in 1...9 { table.nodeResponded(Self.node(prefix: 0, n), now: 0) }
        table.nodeResponded(Self.node(prefix: 1, 1), now: 100)
        #expect(table.bucketsNeedingRefresh(now: 899).isEmpty)
        #expect(table.bucketsNeedingRefresh(now: 900) == [0])
        #expect(table.bucketsNeedingRefresh(now: 1_000) == [0, 1])
        var random = SeededRandom(seed: 3)
        for _ in 0..<20 {
            #expect(table.refreshTarget(forBucket: 0, using: &random).commonPrefixLength(with: Self.ownID) == 0)
            #expect(table.refreshTarget(forBucket: 1, using: &random).commonPrefixLength(with: Self.ownID) >= 1)
        }
        table.markRefreshed(bucket: 0, now: 1_000)
        #expect(table.bucketsNeedingRefresh(now: 1_000) == [1])
    }

    @Test func nodesToPingAreTheLongestSilentQuestionableOnes() {
        var table = Self.table()
        for n in 1...5 { table.nodeResponded(Self.node(prefix: 0, n), now: Double(n)) }
        #expect(table.nodesToPing(now: 10, maximum: 3).isEmpty)
        let ping = table.nodesToPing(now: 903.5, maximum: 10)
        #expect(ping == [Self.node(prefix: 0, 1), Self.node(prefix: 0, 2), Self.node(prefix: 0, 3)])
        #expect(table.nodesToPing(now: 2_000, maximum: 2).count == 2)
        #expect(table.stateCounts(now: 903.5) == [.good: 2, .questionable: 3, .bad: 0])
    }

    @Test func snapshotKeepsAnsweringNodesAndRestoresThemUnconfirmed() throws {
        var table = Self.table()
        var random = SeededRandom(seed: 6)
        for n in 0..<50 {
            table.nodeResponded(
                CompactNodeInfo(id: .random(using: &random), endpoint: .ipv4(10, 2, 0, UInt8(n), port: 7000)), now: 0)
        }
        // A bad node with no replacement waiting stays in the table, but not in the snapshot.
        let bad = try #require(table.allEntries.last?.node)
        #expect(table.nodeFailed(at: bad.endpoint, now: 1) == nil)
        #expect(table.nodeFailed(at: bad.endpoint, now: 1) == nil)
        let snapshot = table.snapshot(now: 2)
        #expect(snapshot.ownID == Self.ownID.bytes)
        #expect(snapshot.nodes.count == table.count - 1)
        #expect(!snapshot.nodes.contains { $0.nodeInfo == bad })

        var restored = Self.table()
        let added = restored.restore(snapshot, now: 10)
        #expect(added == restored.count && added > 0)
        for entry in restored.allEntries {
            #expect(entry.lastResponse == nil)
            #expect(restored.state(of: entry, now: 10) == .questionable)
        }
        // Unconfirmed nodes are never saved again, and give way to nodes that answer.
        #expect(restored.snapshot(now: 10).nodes.isEmpty)
        #expect(restored.nodesToPing(now: 10, maximum: 100).count == added)

        // Damaged rows are skipped.
        let damaged = RoutingTable.Snapshot(
            ownID: [1],
            nodes: [
                .init(id: [1, 2], address: [1, 2, 3, 4], port: 1),
                .init(id: Fixtures.id("80").bytes, address: [1], port: 1),
            ])
        var empty = Self.table()
        #expect(empty.restore(damaged, now: 0) == 0)
    }

    @Test func unconfirmedNodesGiveWayToAnsweringOnes() {
        var table = Self.table(buckets: 1)
        let snapshot = RoutingTable.Snapshot(
            ownID: Self.ownID.bytes,
            nodes: (1...8).map {
                let node = Self.node(prefix: 0, $0)
                return .init(id: node.id.bytes, address: node.endpoint.addressBytes, port: node.endpoint.port)
            })
        #expect(table.restore(snapshot, now: 0) == 8)
        guard case .replaced = table.nodeResponded(Self.node(prefix: 0, 50), now: 1) else {
            Issue.record("an answering node should replace an unconfirmed one")
            return
        }
        // Restoring into a full table of answering nodes adds nothing.
        var full = Self.table(buckets: 1)
        for n in 1...8 { full.nodeResponded(Self.node(prefix: 0, 100 + n), now: 0) }
        #expect(full.restore(snapshot, now: 0) == 0)
    }

    @Test func removeForgetsANode() {
        var table = Self.table()
        let node = Self.node(prefix: 0, 1)
        table.nodeResponded(node, now: 0)
        table.remove(at: node.endpoint)
        #expect(table.count == 0 && table.entry(at: node.endpoint) == nil)
        table.remove(at: node.endpoint)
    }
}
