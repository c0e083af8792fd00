import NIOCore
import PeerWire
import SwarmEngine
import Testing
import TorrentModel

/// A node bound to one address dials from it too, so that the peer (and the peers it tells through PEX) knows
/// the node at the address it listens on.
@Suite("Outgoing address")
struct OutgoingAddressTests {
    @Test(
        "a dial leaves from the outgoing address when one is set, else from the one the system picks",
        arguments: [nil, "127.0.0.6"])
    func dialsFromTheOutgoingAddress(outgoingHost: String?) async throws {
        let fixture = try TorrentFixture(fileLengths: [64 * 1024], seed: 41)
        var settings = EngineSettings()
        settings.outgoingAddress = try outgoingHost.map { try SocketAddress(ipAddress: $0, port: 0) }
        let seen = try await SwarmHarness(dials: [(from: 1, to: 0)], settings: [1: settings]).run(
            metainfo: fixture.metainfo, stores: [try await fixture.seedStore(), try await fixture.emptyStore()]
        ) { sessions, _ in
            await sessions[1].waitUntilComplete()
            return await sessions[0].peerSummaries.compactMap(\.address)
        }
        #expect(seen.count == 1)
        #expect(seen.allSatisfy { $0.hasPrefix("\(outgoingHost ?? "127.0.0.1"):") }, "the seed saw \(seen)")
    }

    @Test("only specific listen addresses are outgoing addresses")
    func outgoingAddressForListenHost() {
        #expect(EngineSettings.outgoingAddress(forListenHost: "0.0.0.0") == nil)
        #expect(EngineSettings.outgoingAddress(forListenHost: "::") == nil)
        #expect(EngineSettings.outgoingAddress(forListenHost: "example.org") == nil)
        #expect(EngineSettings.outgoingAddress(forListenHost: "127.0.0.3")?.ipAddress == "127.0.0.3")
        #expect(EngineSettings.outgoingAddress(forListenHost: "::1")?.ipAddress == "::1")
        #expect(EngineSettings.outgoingAddress(forListenHost: "10.1.2.3")?.port == 0)
    }
}
