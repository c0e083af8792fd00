import SwarmEngine
import Testing

@Suite("Peer sources")
struct PeerSourceTests {
    /// BEP 27: a private torrent's peers come from its trackers only (or by hand, or dialing in); a magnet link's
    /// DHT search, made before the metadata said the torrent is private, must not reach it.
    @Test func privateTorrentsTakeNoPeersFromTheDHTPEXOrLSD() {
        let allowed = PeerSource.allCases.filter(\.servesPrivateTorrents)
        #expect(Set(allowed) == [.tracker, .manual, .incoming])
    }
}
