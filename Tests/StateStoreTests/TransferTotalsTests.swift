import Foundation
import StateStore
import Testing
import TorrentModel

@Suite("Transfer totals")
struct TransferTotalsTests {
    @Test("deltas add up, per torrent, across reopening the file")
    func addUpAcrossReopen() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            try store.addTorrent(fullRecord(1))
            try store.addTorrent(fullRecord(2))
            #expect(try store.totals(infoHash: infoHash(1)) == .zero)
            try store.addTransfer(infoHash: infoHash(1), uploaded: 100, downloaded: 5_000)
            try store.addTransfer(infoHash: infoHash(1), uploaded: 20, downloaded: 0)
            try store.addTransfer(infoHash: infoHash(2), uploaded: 1, downloaded: 2)
            #expect(try store.totals(infoHash: infoHash(1)) == TransferTotals(uploaded: 120, downloaded: 5_000))
            try store.close()
        }
        let store = try folder.open()
        try store.addTransfer(infoHash: infoHash(1), uploaded: 3, downloaded: 6_000_000_000)
        #expect(try store.totals(infoHash: infoHash(1)) == TransferTotals(uploaded: 123, downloaded: 6_000_005_000))
        #expect(try store.totals(infoHash: infoHash(2)) == TransferTotals(uploaded: 1, downloaded: 2))
    }

    @Test("totals of a torrent that is not in the library are refused")
    func unknownTorrent() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(throws: StateStoreError.unknownTorrent(infoHash(3))) {
            try store.addTransfer(infoHash: infoHash(3), uploaded: 1, downloaded: 1)
        }
        #expect(try store.totals(infoHash: infoHash(3)) == .zero)
    }
}
