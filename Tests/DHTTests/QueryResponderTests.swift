import TestSupport
import Testing
import TorrentModel

@testable import DHT

@Suite("answering queries")
struct QueryResponderTests {
    static let ownID = Fixtures.id("8000")
    static let source = DHTEndpoint.ipv4(203, 0, 113, 7, port: 40_000)
    static let sourceID = Fixtures.id("4000")

    struct Node {
        var responder = QueryResponder(
            ownID: QueryResponderTests.ownID, tokens: TokenIssuer(secret: Array(repeating: 5, count: 32)),
            rateLimiter: DHTRateLimiter(settings: .init(ratePerSecond: 100, burst: 100), now: 0),
            version: Array("SH01".utf8))
        var table = RoutingTable(
            ownID: QueryResponderTests.ownID, settings: .init(onePerAddressPerBucket: false), now: 0)
        var random = SeededRandom(seed: 1)

        init(nodes: Int = 40) {
            var random = SeededRandom(seed: 2)
            for n in 0..<nodes {
                table.nodeResponded(
                    CompactNodeInfo(
                        id: .random(using: &random), endpoint: .ipv4(10, 3, UInt8(n / 256), UInt8(n % 256), port: 1)),
                    now: 0)
            }
        }

        mutating func ask(
            _ method: KRPCQuery.Method, from source: DHTEndpoint = QueryResponderTests.source,
            want: Set<DHTEndpoint.Family> = [],
            readOnly: Bool = false, now: Double = 1, proven: Bool = false, paddedTo padding: Int? = nil
        ) -> (outcome: QueryResponder.Outcome, size: Int) {
            var query = KRPCMessage(
                transactionID: [0x12, 0x34],
                kind: .query(KRPCQuery(senderID: QueryResponderTests.sourceID, method: method, want: want)),
                readOnly: readOnly)
            let bytes = padding.map { query.encoded(paddedTo: $0) } ?? query.encoded()
            // What the node reads is the packet as sent, padding and all.
            if let decoded = try? KRPCMessage.decode(bytes) { query = decoded }
            let outcome = responder.answer(
                query, from: source, requestSize: bytes.count, table: &table, now: now, proven: proven, using: &random)
            return (outcome, bytes.count)
        }

        static func decode(_ outcome: QueryResponder.Outcome) throws -> KRPCMessage {
            guard case .reply(let bytes) = outcome else {
                Issue.record("no reply: \(outcome)")
                throw CancellationError()
            }
            return try KRPCMessage.decode(bytes)
        }

        /// Makes `source` verified: it answered one of our queries.
        mutating func verify(_ source: DHTEndpoint = QueryResponderTests.source) {
            table.nodeResponded(CompactNodeInfo(id: QueryResponderTests.sourceID, endpoint: source), now: 0)
        }
    }

    @Test func pingIsAnsweredWithOurIDAndTheirAddress() throws {
        var node = Node()
        node.verify()
        let reply = try Node.decode(node.ask(.ping).outcome)
        #expect(reply.transactionID == [0x12, 0x34])
        #expect(reply.response == KRPCResponse(senderID: Self.ownID))
        #expect(reply.requesterAddress == Self.source)
        #expect(reply.version == Array("SH01".utf8))
    }

    @Test func anUnverifiedPingGetsABareAnswerNoLargerThanItself() throws {
        var node = Node()
        let (outcome, size) = node.ask(.ping)
        let reply = try Node.decode(outcome)
        #expect(reply.response == KRPCResponse(senderID: Self.ownID))
        // `v` and `ip` are what a bare ping answer can spare.
        #expect(reply.version == nil && reply.requesterAddress == nil)
        guard case .reply(let bytes) = outcome else { return }
        #expect(bytes.count <= size)
    }

    @Test func unverifiedSourcesNeverGetMoreBytesThanTheySent() throws {
        var node = Node()
        for method: KRPCQuery.Method in [
            .ping, .findNode(target: Fixtures.id("1234")), .getPeers(infoHash: Fixtures.infoHash),
        ] {
            let (outcome, size) = node.ask(method, want: [.ipv4, .ipv6])
            guard case .reply(let bytes) = outcome else {
                Issue.record("no reply to \(method)")
                continue
            }
            #expect(bytes.count <= size, "\(method.name): \(bytes.count) bytes for \(size)")
        }
        // A get_peers answer still carries the token, which is what a new node needs to announce.
        let reply = try Node.decode(node.ask(.getPeers(infoHash: Fixtures.infoHash)).outcome)
        #expect(reply.response?.token != nil)
    }

    @Test func verifiedSourcesGetFullAnswers() throws {
        var node = Node()
        node.verify()
        let target = Fixtures.id("1234")
        let (outcome, size) = node.ask(.findNode(target: target))
        let reply = try Node.decode(outcome)
        #expect(reply.response?.nodes == node.table.closest(to: target, family: .ipv4, now: 1))
        #expect(reply.response?.nodes.count == 8)
        guard case .reply(let bytes) = outcome else { return }
        #expect(bytes.count > size)
        #expect(bytes.count <= DHTLimits.maximumResponseSize)
    }

    /// Shoal pads its lookup queries, so that a node that does not know it yet can answer in full.
    @Test func paddedLookupQueriesGetFullAnswersFromNodesThatDoNotKnowUs() throws {
        var node = Node()
        for n in 0..<10 {
            _ = node.responder.peerStore.announce(
                .ipv4(192, 0, 2, UInt8(n), port: 6881), seed: false, for: Fixtures.infoHash, now: 1)
        }
        let target = Fixtures.id("1234")
        let (bare, _) = node.ask(.findNode(target: target))
        #expect(try Node.decode(bare).response?.nodes.count ?? 0 < 8)
        let (found, size) = node.ask(.findNode(target: target), paddedTo: DHTLimits.lookupQuerySize)
        #expect(size == DHTLimits.lookupQuerySize)
        #expect(try Node.decode(found).response?.nodes.count == 8)
        let (peers, _) = node.ask(.getPeers(infoHash: Fixtures.infoHash), paddedTo: DHTLimits.lookupQuerySize)
        let answer = try #require(try Node.decode(peers).response)
        #expect(answer.values.count == 10 && answer.token != nil, "\(answer)")
        guard case .reply(let bytes) = peers else { return }
        #expect(bytes.count <= DHTLimits.lookupQuerySize)
    }

    /// A source the table refused (a second node of an address it holds) but that answered us is proven
    /// all the same, when the caller says so: a client restarted on a new port is not stuck with short answers.
    @Test func sourcesProvenOutsideTheTableGetFullAnswers() throws {
        var node = Node()
        let target = Fixtures.id("1234")
        let (short, _) = node.ask(.findNode(target: target))
        #expect(try Node.decode(short).response?.nodes.count ?? 0 < 8)
        let (outcome, _) = node.ask(.findNode(target: target), proven: true)
        #expect(try Node.decode(outcome).response?.nodes.count == 8)
    }

    @Test func announceNeedsAValidTokenForTheSourceAddress() throws {
        var node = Node()
        let token = try #require(
            try Node.decode(node.ask(.getPeers(infoHash: Fixtures.infoHash)).outcome).response?.token)
        // A token given to another address is refused with error 203.
        let spoofed = DHTEndpoint.ipv4(198, 51, 100, 9, port: 1)
        let refused = try Node.decode(
            node.ask(
                .announcePeer(infoHash: Fixtures.infoHash, port: 6881, impliedPort: false, token: token, seed: false),
                from: spoofed
            )
            .outcome)
        #expect(refused.error?.code == 203)
        #expect(node.responder.peerStore.peerCount == 0)
        // With the right token the peer is stored, at the port it names.
        let accepted = try Node.decode(
            node.ask(
                .announcePeer(infoHash: Fixtures.infoHash, port: 6881, impliedPort: false, token: token, seed: true)
            ).outcome)
        #expect(accepted.response == KRPCResponse(senderID: Self.ownID))
        // With implied_port, at the UDP source port.
        _ = node.ask(.announcePeer(infoHash: Fixtures.infoHash, port: 0, impliedPort: true, token: token, seed: false))
        var random = SeededRandom(seed: 1)
        let stored = node.responder.peerStore.peers(for: Fixtures.infoHash, family: .ipv4, now: 2, using: &random)
        #expect(Set(stored) == [DHTEndpoint(host: Self.source.host, port: 6881), Self.source])
    }

    @Test func getPeersReturnsStoredPeersToVerifiedSources() throws {
        var node = Node()
        node.verify()
        for n in 0..<150 {
            _ = node.responder.peerStore.announce(
                .ipv4(192, 0, 2, UInt8(n), port: 1), seed: false, for: Fixtures.infoHash, now: 0)
        }
        let (outcome, _) = node.ask(.getPeers(infoHash: Fixtures.infoHash))
        let reply = try Node.decode(outcome)
        let values = reply.response?.values ?? []
        #expect(values.count > 50)
        #expect(values.count <= DHTLimits.maximumValuesPerResponse)
        guard case .reply(let bytes) = outcome else { return }
        #expect(bytes.count <= DHTLimits.maximumResponseSize)
    }

    @Test func queriesRenewKnownNodesUnlessReadOnly() {
        var node = Node()
        node.verify()
        _ = node.ask(.ping, readOnly: true, now: 500)
        #expect(node.table.entry(at: Self.source)?.lastQuery == nil)
        _ = node.ask(.ping, now: 600)
        #expect(node.table.entry(at: Self.source)?.lastQuery == 600)
    }

    @Test func floodsAreRateLimited() {
        var node = Node()
        node.responder.rateLimiter = DHTRateLimiter(settings: .init(ratePerSecond: 1, burst: 3), now: 0)
        let outcomes = (0..<10).map { _ in node.ask(.ping).outcome }
        #expect(outcomes.count { if case .reply = $0 { return true } else { return false } } == 3)
        #expect(outcomes.last == .drop(.rateLimited))
    }

    @Test func responsesAndErrorsAreNotAnswered() {
        var node = Node()
        var random = SeededRandom(seed: 1)
        let response = KRPCMessage(transactionID: [1], kind: .response(KRPCResponse(senderID: Self.sourceID)))
        #expect(
            node.responder.answer(
                response, from: Self.source, requestSize: 100, table: &node.table, now: 1, using: &random)
                == .drop(.notAQuery))
    }

    @Test func undecodableQueriesGetAShortError() throws {
        var node = Node()
        let packet = Array("d1:ad2:id20:abcdefghij0123456789e1:q6:vote!!1:t2:xy1:y1:qe".utf8)
        let error: KRPCDecodingError
        do {
            _ = try KRPCMessage.decode(packet)
            Issue.record("decoded")
            return
        } catch let caught {
            error = caught
        }
        let outcome = node.responder.answer(undecodable: error, from: Self.source, requestSize: packet.count, now: 1)
        let reply = try Node.decode(outcome)
        #expect(reply.error?.code == 204)
        guard case .reply(let bytes) = outcome else { return }
        #expect(bytes.count <= packet.count)
        // Garbage with no transaction id is dropped.
        #expect(
            node.responder.answer(
                undecodable: KRPCDecodingError(.notADictionary), from: Self.source, requestSize: 5, now: 1)
                == .drop(.undecodable))
    }

    @Test func aFloodOfHostileQueriesKeepsEverythingBounded() throws {
        var node = Node()
        node.responder.rateLimiter = DHTRateLimiter(settings: .init(maximumAddresses: 256), now: 0)
        let tableBefore = node.table.allEntries.map(\.node)
        var random = SeededRandom(seed: 77)
        var replies = 0
        for n in 0..<20_000 {
            let source = DHTEndpoint.ipv4(100, UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), port: 1)
            let method: KRPCQuery.Method =
                n % 2 == 0
                ? .announcePeer(
                    infoHash: Fixtures.infoHash, port: 1, impliedPort: false, token: random.bytes(count: 8), seed: false
                )
                : .getPeers(infoHash: Fixtures.infoHash)
            let (outcome, size) = node.ask(method, from: source, now: Double(n) / 1_000)
            if case .reply(let bytes) = outcome {
                replies += 1
                #expect(bytes.count <= size)
            }
        }
        #expect(replies > 0)
        #expect(node.responder.rateLimiter.trackedAddresses <= 256)
        // Forged tokens stored nothing, and strangers never entered the routing table.
        #expect(node.responder.peerStore.peerCount == 0)
        #expect(node.table.allEntries.map(\.node) == tableBefore)
    }
}
