import TestSupport
import Testing
import TorrentModel

@testable import DHT

@Suite("iterative lookups")
struct LookupTests {
    /// A simulated DHT in which every node knows every other and answers with the K closest to the
    /// target, minus those it is told to forget.
    struct Network {
        var nodes: [CompactNodeInfo]
        var dead: Set<DHTEndpoint> = []
        var liars: Set<DHTEndpoint> = []
        var peersByNode: [DHTEndpoint: [DHTEndpoint]] = [:]
        /// Nodes in each answer: 8 like real nodes, or more to stand for the different views real nodes have.
        var answerCount = 8
        /// Extra nodes a hostile node adds to each answer.
        var junk: [DHTEndpoint: [CompactNodeInfo]] = [:]

        init(count: Int, seed: UInt64) {
            var random = SeededRandom(seed: seed)
            nodes = (0..<count).map {
                CompactNodeInfo(
                    id: .random(using: &random), endpoint: .ipv4(10, 9, UInt8($0 / 256), UInt8($0 % 256), port: 6881))
            }
        }

        func closest(to target: NodeID, count: Int = 8) -> [CompactNodeInfo] {
            Array(nodes.sorted { $0.id.distance(to: target) < $1.id.distance(to: target) }.prefix(count))
        }

        func answer(_ endpoint: DHTEndpoint, target: NodeID) -> KRPCResponse? {
            guard !dead.contains(endpoint), let node = nodes.first(where: { $0.endpoint == endpoint }) else {
                return nil
            }
            let id = liars.contains(endpoint) ? NodeID.zero : node.id
            return KRPCResponse(
                senderID: id, nodes: closest(to: target, count: answerCount) + (junk[endpoint] ?? []),
                values: peersByNode[endpoint] ?? [],
                token: Array(endpoint.compactBytes.prefix(4)))
        }
    }

    /// Runs `lookup` to the end against `network`, answering queries in the order they were sent and
    /// checking the parallelism bound. Returns the result and every endpoint queried.
    static func run(
        _ lookup: inout Lookup, in network: Network, bootstrap: [DHTEndpoint: [CompactNodeInfo]] = [:]
    ) -> (result: Lookup.Result?, queried: [DHTEndpoint]) {
        var pending: [DHTEndpoint] = []
        var queried: [DHTEndpoint] = []
        var result: Lookup.Result?
        func absorb(_ actions: [Lookup.Action]) {
            for action in actions {
                switch action {
                case .query(let endpoint, _):
                    pending.append(endpoint)
                    queried.append(endpoint)
                case .finished(let final):
                    #expect(result == nil, "finished twice")
                    result = final
                }
            }
            #expect(pending.count <= lookup.settings.parallelism)
        }
        absorb(lookup.start())
        var steps = 0
        while !pending.isEmpty && steps < 10_000 {
            steps += 1
            let endpoint = pending.removeFirst()
            if let nodes = bootstrap[endpoint] {
                absorb(lookup.handleResponse(from: endpoint, response: KRPCResponse(senderID: .zero, nodes: nodes)))
            } else if let response = network.answer(endpoint, target: lookup.target) {
                absorb(lookup.handleResponse(from: endpoint, response: response))
            } else {
                absorb(lookup.handleFailure(of: endpoint))
            }
        }
        return (result, queried)
    }

    @Test func findNodeConvergesOnTheKClosest() throws {
        let network = Network(count: 500, seed: 1)
        var random = SeededRandom(seed: 2)
        for _ in 0..<10 {
            let target = NodeID.random(using: &random)
            let seeds = (0..<8).map { _ in network.nodes[random.below(network.nodes.count)] }
            var lookup = Lookup(target: target, kind: .findNode, seeds: seeds)
            let (result, queried) = Self.run(&lookup, in: network)
            let final = try #require(result)
            #expect(final.closest.map(\.node) == network.closest(to: target))
            #expect(final.closest.allSatisfy { $0.token == nil }, "find_node keeps no tokens")
            #expect(Set(queried).count == queried.count, "no node asked twice")
            #expect(queried.count < 60)
            #expect(lookup.isFinished)
        }
    }

    @Test func getPeersCollectsPeersAndTokens() throws {
        var network = Network(count: 300, seed: 3)
        let target = NodeID(Fixtures.infoHash)
        let holders = network.closest(to: target, count: 3)
        for (index, holder) in holders.enumerated() {
            network.peersByNode[holder.endpoint] = [
                .ipv4(192, 0, 2, UInt8(index), port: 1), .ipv4(192, 0, 2, 100, port: 1),
            ]
        }
        var lookup = Lookup(target: target, kind: .getPeers, seeds: Array(network.nodes.prefix(8)))
        let final = try #require(Self.run(&lookup, in: network).result)
        #expect(
            Set(final.peers) == [
                .ipv4(192, 0, 2, 0, port: 1), .ipv4(192, 0, 2, 1, port: 1), .ipv4(192, 0, 2, 2, port: 1),
                .ipv4(192, 0, 2, 100, port: 1),
            ])
        #expect(final.peers.count == 4, "no repeats")
        #expect(final.closest.count == 8)
        for responder in final.closest {
            #expect(responder.token == Array(responder.node.endpoint.compactBytes.prefix(4)))
        }
    }

    @Test func deadNodesAndLiarsAreSkipped() throws {
        var network = Network(count: 400, seed: 5)
        var random = SeededRandom(seed: 6)
        let target = NodeID.random(using: &random)
        let trueClosest = network.closest(to: target, count: 12)
        network.dead = Set(trueClosest.prefix(2).map(\.endpoint))
        network.liars = [trueClosest[2].endpoint]
        network.answerCount = 16
        var lookup = Lookup(target: target, kind: .findNode, seeds: Array(network.nodes.suffix(8)))
        let final = try #require(Self.run(&lookup, in: network).result)
        #expect(final.closest.map(\.node) == Array(trueClosest.dropFirst(3).prefix(8)))
    }

    @Test func bootstrapNodesAreAskedFirstAndNeverReturned() throws {
        let network = Network(count: 200, seed: 7)
        let router = DHTEndpoint.ipv4(198, 51, 100, 1, port: 6881)
        var lookup = Lookup(target: network.nodes[0].id, kind: .findNode, seeds: [], bootstrap: [router])
        guard case .query(let first, let expected) = try #require(lookup.start().first) else {
            Issue.record("no query")
            return
        }
        #expect(first == router && expected == nil)
        var fresh = Lookup(target: network.nodes[0].id, kind: .findNode, seeds: [], bootstrap: [router])
        let final = try #require(
            Self.run(&fresh, in: network, bootstrap: [router: Array(network.nodes.suffix(8))]).result)
        #expect(final.closest.first?.node == network.nodes[0])
        #expect(!final.closest.contains { $0.node.endpoint == router })
    }

    @Test func aLookupWithNobodyToAskFinishesAtOnce() throws {
        var lookup = Lookup(target: .zero, kind: .getPeers, seeds: [])
        let actions = lookup.start()
        #expect(actions == [.finished(Lookup.Result(closest: [], peers: [], queriesSent: 0))])
        #expect(lookup.start().isEmpty, "finished only once")
    }

    @Test func allNodesDeadFinishesEmpty() throws {
        var network = Network(count: 50, seed: 8)
        network.dead = Set(network.nodes.map(\.endpoint))
        var lookup = Lookup(target: .zero, kind: .findNode, seeds: Array(network.nodes.prefix(8)))
        let final = try #require(Self.run(&lookup, in: network).result)
        #expect(final.closest.isEmpty && final.queriesSent == 8)
    }

    @Test func hostileAnswersCannotGrowTheLookup() throws {
        var network = Network(count: 100, seed: 9)
        var random = SeededRandom(seed: 10)
        let target = NodeID.random(using: &random)
        // Every node stuffs its answers with 50 made-up nodes near the target that never answer.
        for node in network.nodes {
            network.junk[node.endpoint] = (0..<50).map { _ in
                CompactNodeInfo(
                    id: .random(sharingPrefixOf: target, length: 30, flippingNextBit: false, using: &random),
                    endpoint: .ipv4(172, 16, random.nextByte(), random.nextByte(), port: 1))
            }
        }
        let settings = Lookup.Settings(maximumCandidates: 64, maximumQueries: 40)
        var lookup = Lookup(target: target, kind: .findNode, seeds: Array(network.nodes.prefix(8)), settings: settings)
        let (result, queried) = Self.run(&lookup, in: network)
        #expect(result != nil)
        #expect(queried.count <= 40)
        #expect(lookup.candidates.count <= 64)
    }

    @Test func repeatsOwnIDAndPortZeroAreNotCandidates() {
        let own = Fixtures.id("aa")
        let node = Fixtures.node(Fixtures.id("ab"), 1)
        let lookup = Lookup(
            target: own, kind: .findNode,
            seeds: [
                node, node, CompactNodeInfo(id: own, endpoint: Fixtures.endpoint(2)),
                Fixtures.node(Fixtures.id("ac"), 1),
                Fixtures.node(Fixtures.id("ad"), 3, port: 0),
            ],
            ownID: own)
        #expect(lookup.candidates.map(\.node) == [node])
    }

    @Test func unsolicitedAndLateAnswersAreIgnored() throws {
        let network = Network(count: 30, seed: 11)
        var lookup = Lookup(target: .zero, kind: .findNode, seeds: Array(network.nodes.prefix(4)))
        let first = lookup.start()
        #expect(first.count == 3)
        let stranger = DHTEndpoint.ipv4(1, 1, 1, 1, port: 1)
        #expect(
            lookup.handleResponse(from: stranger, response: KRPCResponse(senderID: .zero, nodes: network.nodes)).isEmpty
        )
        #expect(lookup.handleFailure(of: stranger).isEmpty)
        guard case .query(let asked, _) = first[0] else { return }
        // A failed node that answers late changes nothing.
        let afterFailure = lookup.handleFailure(of: asked)
        #expect(afterFailure.count == 1)
        #expect(lookup.handleResponse(from: asked, response: network.answer(asked, target: .zero)!).isEmpty)
    }

    @Test func stalledQueriesFreeTheirSlotButStillCount() throws {
        let network = Network(count: 60, seed: 12)
        var lookup = Lookup(target: .zero, kind: .findNode, seeds: Array(network.nodes.prefix(8)))
        let first = lookup.start()
        guard case .query(let slow, _) = first[0] else { return }
        let more = lookup.handleStall(of: slow)
        #expect(more.count == 1, "a new query takes the stalled one's slot")
        #expect(lookup.handleStall(of: slow).isEmpty, "stalling twice frees nothing more")
        // The late answer still counts.
        _ = lookup.handleResponse(from: slow, response: network.answer(slow, target: .zero)!)
        #expect(lookup.result.closest.contains { $0.node.endpoint == slow } || lookup.result.closest.count == 8)
    }
}
