import DHT
import DHTNode
import TestSupport
import Testing
import TorrentModel

/// A running node under a flood of garbage, oversized, mistyped and forged packets from many source
/// ports: it neither crashes nor grows its tables past their limits, and still answers a good ping.
@Suite(.timeLimit(.minutes(5))) struct HostilePacketTests {
    @Test func aFloodOfHostilePacketsLeavesTheNodeBoundedAndAnswering() async throws {
        var random = SeededRandom(seed: 42)
        // The real rate limit (5 queries a second per address), and a small peer store to fill.
        let store = PeerStore.Settings(maximumPeersPerInfoHash: 10, maximumInfoHashes: 5, maximumPeers: 30)
        var settings = LoopbackDHT.settings(rateLimited: true, peerStore: store)
        settings.transactions = TransactionTableSettings(maximumPending: 64)
        let node = try await LoopbackDHT.node(settings)
        let sockets = try (0..<50).map { _ in try RawUDPSocket() }
        let packets = Self.hostilePackets(&random)

        try await LoopbackDHT.running([node]) {
            for round in 0..<40 {
                for (index, socket) in sockets.enumerated() {
                    socket.send(packets[(round * sockets.count + index) % packets.count], to: node.port)
                }
                for socket in sockets { _ = socket.receiveAll() }
                if round % 10 == 9 { try await Task.sleep(for: .milliseconds(20)) }
            }
            // Forged announces with a token that was issued to this address, to fill the peer store.
            let token = try await Self.token(from: node, asking: sockets[0])
            for index in 0..<400 {
                let method = KRPCQuery.Method.announcePeer(
                    infoHash: Self.infoHash(index % 20), port: UInt16(1_000 + index), impliedPort: false,
                    token: token, seed: false)
                sockets[index % sockets.count].send(Self.query(method, t: [1, 1]), to: node.port)
                if index % 50 == 49 { try await Task.sleep(for: .milliseconds(20)) }
            }

            let health = await node.health
            #expect(health.malformedPackets > 0)
            #expect(health.queriesDropped > 0, "the rate limit never applied")
            #expect(health.storedPeers <= store.maximumPeers)
            #expect(health.storedInfoHashes <= store.maximumInfoHashes)
            #expect(health.pendingQueries <= 64)
            #expect(health.nodes == 0, "nodes that only queried entered the table")
            #expect(health.answersMatched == 0)

            // A good ping from a new port is answered once the limiter lets 127.0.0.1 through again.
            let pinger = try RawUDPSocket()
            let ping = Self.query(.ping, t: [7, 7])
            try await eventually("an answer to a good ping", timeout: .seconds(60), poll: .milliseconds(500)) {
                pinger.send(ping, to: node.port)
                try? await Task.sleep(for: .milliseconds(200))
                return pinger.receiveAll().contains { packet in
                    guard let message = try? KRPCMessage.decode(packet) else { return false }
                    return message.transactionID == [7, 7] && message.response?.senderID == node.id
                }
            }
        }
    }

    static let senderID = NodeID(bytes: Array(repeating: 0x42, count: 20))!

    static func infoHash(_ index: Int) -> InfoHash {
        InfoHash(bytes: [UInt8(index)] + Array(repeating: 0x33, count: 19))!
    }

    static func query(_ method: KRPCQuery.Method, t: [UInt8]) -> [UInt8] {
        KRPCMessage(transactionID: t, kind: .query(KRPCQuery(senderID: senderID, method: method))).encoded()
    }

    /// A write token for 127.0.0.1, asked for until the rate limiter lets a `get_peers` through.
    static func token(from node: DHTNode, asking socket: RawUDPSocket) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            socket.send(query(.getPeers(infoHash: infoHash(0)), t: [9, 9]), to: node.port)
            try await Task.sleep(for: .milliseconds(300))
            let tokens = socket.receiveAll().compactMap { (try? KRPCMessage.decode($0))?.response?.token }
            if let token = tokens.first { return token }
        }
        throw TimedOutWaiting(what: "a token from the node")
    }

    /// Garbage, oversized packets, wrong types, deep nesting, unknown methods, forged tokens, stray answers.
    static func hostilePackets(_ random: inout SeededRandom) -> [[UInt8]] {
        var packets: [[UInt8]] = [
            [],
            Array("d".utf8),
            Array("i42e".utf8),
            Array("le".utf8),
            Array("d1:t2:aa1:y1:q1:q4:ping1:ai5ee".utf8),  // arguments not a dictionary
            Array("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe".utf8),  // short id
            Array("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q7:no_such1:t2:aa1:y1:qe".utf8),  // unknown method
            Array("d1:t2:aa1:y1:ze".utf8),  // unknown type
            Array("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaae1:t2:zz1:y1:re".utf8),  // answer to nothing
            Array("d1:eli201e4:oopse1:t2:zz1:y1:ee".utf8),  // error to nothing
            Array(String(repeating: "l", count: 200).utf8) + Array(String(repeating: "e", count: 200).utf8),
            Array(repeating: 0x64, count: 4_000),  // huge
            Array("d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:".utf8) + Array(repeating: 0, count: 1_400) + Array("ee".utf8),
        ]
        for _ in 0..<20 { packets.append(random.bytes(count: 1 + random.below(1_600))) }
        for index in 0..<20 {
            let forged = KRPCQuery.Method.announcePeer(
                infoHash: infoHash(index), port: 6_881, impliedPort: false, token: random.bytes(count: 8), seed: false)
            packets.append(query(forged, t: [2, UInt8(index)]))
            packets.append(query(.getPeers(infoHash: infoHash(index)), t: [3, UInt8(index)]))
            packets.append(query(.findNode(target: NodeID(bytes: random.bytes(count: 20))!), t: [4, UInt8(index)]))
        }
        return packets
    }
}
