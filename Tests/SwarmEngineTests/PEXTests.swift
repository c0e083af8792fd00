import NIOCore
import PeerWire
import PieceStorage
import Swarm
import SwarmEngine
import TestSupport
import Testing
import TorrentModel

/// Peer exchange (BEP 11) between engines on 127.0.0.1, and against scripted peers.
@Suite("Peer exchange")
struct PEXTests {
    @Test("C knows only B, learns A from B's ut_pex, dials A and downloads from it", .timeLimit(.minutes(2)))
    func learnsAPeerThroughPEX() async throws {
        let fixture = try TorrentFixture(fileLengths: [300 * 1024], seed: 31)
        let stores: [any PieceStore] = [
            try await fixture.seedStore(), try await fixture.emptyStore(), try await fixture.emptyStore(),
        ]
        let infoHash = fixture.metainfo.infoHash
        let pieceCount = fixture.metainfo.pieceCount
        try await SwarmHarness(dials: [(from: 1, to: 0)]).runEngines(metainfo: fixture.metainfo, stores: stores) {
            engines, sessions, ports in
            let (a, b, c) = (sessions[0], sessions[1], sessions[2])
            // B wants nothing, so whatever C gets it gets from A.
            await b.setPiecePriorities(Array(repeating: .skip, count: pieceCount))
            try await eventually("B is connected to A", timeout: .seconds(60)) { await b.connectedPeerCount == 1 }
            engines[2].connect(host: "127.0.0.1", port: ports[1], infoHash: infoHash)
            await c.waitUntilComplete()
            #expect(await c.isComplete)
            #expect(await c.bytesLeft == 0)
            let peers = await c.peerSummaries
            #expect(peers.first { $0.address == "127.0.0.1:\(ports[1])" }?.source == .manual)
            #expect(await c.connectedPeerCount == 2)
            #expect(await c.pexMessagesTaken >= 1)
            // A heard of C from B's ut_pex too and may have dialed it at the same time; of the two connections
            // both ends keep the same one (docs/engine.md), so C's link to A is its PEX dial or A's. When A's came
            // first, C drops its own dial before starting it (`claimDial`), which a loaded machine makes likelier.
            let linkToA = await c.peerSourceCounts
            let dials = await c.peerExchangeDials.started
            #expect(linkToA == [.manual: 1, .pex: 1] || linkToA == [.manual: 1, .incoming: 1])
            #expect(dials == 1 || (dials == 0 && linkToA == [.manual: 1, .incoming: 1]), "\(dials) PEX dials")
            #expect(await a.connectedPeerCount == 2)
        }
    }

    @Test(
        "a private torrent neither offers, sends nor takes ut_pex; a public one does all three",
        .timeLimit(.minutes(3)), arguments: [true, false])
    func privateTorrent(isPrivate: Bool) async throws {
        let fixture = try TorrentFixture(fileLengths: [64 * 1024], isPrivate: isPrivate, seed: 32)
        let stores: [any PieceStore] = [try await fixture.seedStore(), try await fixture.emptyStore()]
        let infoHash = fixture.metainfo.infoHash
        try await SwarmHarness(dials: [(from: 1, to: 0)]).runEngines(metainfo: fixture.metainfo, stores: stores) {
            _, sessions, ports in
            let engine = sessions[0]
            // The engine has a peer to tell the probe about.
            try await eventually("the second engine is connected", timeout: .seconds(60)) {
                await engine.connectedPeerCount == 1
            }
            let offered = (1...3).map { (address: [UInt8]([127, 0, 0, 1]), port: UInt16($0)) }
            let report = try await PEXProbe.run(
                port: ports[0], infoHash: infoHash, payloads: [PEXProbe.rawAdded(offered)], listenFor: .seconds(15))
            #expect(report.advertisedPEX == !isPrivate)
            #expect(report.pexMessages.isEmpty == isPrivate)
            if !isPrivate {
                let told = report.pexMessages.flatMap(\.added).map(\.address.description)
                #expect(told.contains("127.0.0.1:\(ports[1])"))
            }
            #expect(await engine.pexMessagesTaken == (isPrivate ? 0 : 1))
            #expect(await engine.peerExchangeDials.started == (isPrivate ? 0 : offered.count))
        }
    }

    @Test(
        "a ut_pex flood (huge lists, many messages, garbage) dials no more than the limits allow",
        .timeLimit(.minutes(3)), arguments: [6, EngineSettings.defaultMaximumConnections])
    func flood(maximumConnections: Int) async throws {
        let fixture = try TorrentFixture(fileLengths: [64 * 1024], seed: 33)
        // The engine dials from an address of its own, so that only its dials count at the black holes.
        let holes = try await BlackHoles.start(count: 12, countingFrom: "127.0.0.83")
        var settings = EngineSettings()
        settings.maximumConnections = maximumConnections
        settings.outgoingAddress = try SocketAddress(ipAddress: "127.0.0.83", port: 0)
        let infoHash = fixture.metainfo.infoHash
        // Listeners that never answer come first, so every dial started stays in flight; then addresses
        // nobody listens on, up to the 200 entries a list may hold.
        let addresses =
            holes.ports.map { (address: [UInt8]([127, 0, 0, 1]), port: UInt16($0)) }
            + (1...(200 - holes.ports.count)).map { (address: [UInt8]([127, 0, 0, 1]), port: UInt16($0)) }
        var payloads = [PEXProbe.rawAdded(addresses)]
        for round in 0..<30 {
            payloads.append(PEXProbe.rawAdded(addresses.map { ($0.address, $0.port &+ UInt16(1000 + round)) }))
        }
        payloads.append([UInt8](repeating: 0xFF, count: 5000))
        payloads.append(Array("d5:added3:abce".utf8))
        payloads.append(PEXProbe.rawAdded(Array(repeating: (address: [127, 0, 0, 2], port: 9), count: 201)))
        let flood = payloads
        let stores: [any PieceStore] = [try await fixture.seedStore()]
        let seen = try await SwarmHarness(dials: [], settings: [0: settings]).runEngines(
            metainfo: fixture.metainfo, stores: stores
        ) { _, sessions, ports in
            _ = try await PEXProbe.run(port: ports[0], infoHash: infoHash, payloads: flood, listenFor: .seconds(15))
            return (
                dials: await sessions[0].peerExchangeDials, taken: await sessions[0].pexMessagesTaken,
                ignored: await sessions[0].pexMessagesIgnored
            )
        }
        let accepted = holes.accepted
        let mostOpen = holes.mostOpen
        await holes.close()
        // The probe holds one connection; the dials in flight share what is left, up to the pending-dial cap. (A
        // dial that timed out frees its place: on a loaded machine the probe's 15 s stretch, and a second wave
        // may come, so what counts is how many were open at once.)
        let limit = min(maximumConnections - 1, EngineSettings.defaultMaximumPendingDials)
        #expect(accepted >= 1)
        #expect(mostOpen <= limit, "\(mostOpen) black-hole connections open at once, \(accepted) in all")
        #expect(seen.dials.started <= limit)
        #expect(seen.dials.waiting <= EngineSettings.defaultMaximumPeerCandidates)
        #expect(seen.taken == 1)
        #expect(seen.ignored == payloads.count - 1)
    }
}
