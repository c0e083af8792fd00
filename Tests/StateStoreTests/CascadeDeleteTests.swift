import Foundation
import GRDB
import Testing
import TorrentModel

@testable import StateStore

@Suite("Removing a torrent")
struct CascadeDeleteTests {
    @Test("takes its completion, totals and known peers with it, and leaves other torrents alone")
    func cascade() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        for byte: UInt8 in [1, 2] {
            try store.addTorrent(fullRecord(byte))
            try store.saveCompletion(infoHash: infoHash(byte), bitfield: bitfield(count: 12, set: [1, 11]))
            try store.addTransfer(infoHash: infoHash(byte), uploaded: 10, downloaded: 20)
            try store.rememberPeers(
                [PeerAddress(host: "10.0.0.\(byte)", port: 6881)], for: infoHash(byte), seenAt: date(9))
        }
        try store.setSetting("kept", "yes")

        #expect(try store.removeTorrent(infoHash: infoHash(1)))

        #expect(try store.completion(infoHash: infoHash(1)) == nil)
        #expect(try store.totals(infoHash: infoHash(1)) == .zero)
        #expect(try store.knownPeers(for: infoHash(1)).isEmpty)
        for table in ["pieceCompletion", "transferTotals", "knownPeer"] {
            let rows = try store.pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM \(table) WHERE infohash = ?", arguments: [infoHash(1).hex])
            }
            #expect(rows == 0, "rows left in \(table)")
        }

        #expect(try store.completion(infoHash: infoHash(2)) == bitfield(count: 12, set: [1, 11]))
        #expect(try store.totals(infoHash: infoHash(2)) == TransferTotals(uploaded: 10, downloaded: 20))
        #expect(try store.knownPeers(for: infoHash(2)).count == 1)
        #expect(try store.setting("kept") == "yes")
    }
}
