import Foundation
import GRDB
import TorrentModel

extension StateStore {
    /// Replaces the saved completion of a torrent with `bitfield`, in one transaction. Normally called
    /// by `PersistentCompletionState.flush()`, which keeps the durability rule.
    public func saveCompletion(infoHash: InfoHash, bitfield: Bitfield) throws(StateStoreError) {
        try write("save piece completion of torrent \(infoHash)") { db in
            try Self.requireTorrent(db, infoHash)
            try PieceCompletionRecord(infoHash: infoHash.hex, pieceCount: bitfield.count, bits: Data(bitfield.bytes))
                .upsert(db)
        }
    }

    /// The completion last saved for a torrent; nil when none was saved.
    public func completion(infoHash: InfoHash) throws(StateStoreError) -> Bitfield? {
        let record = try read("read piece completion of torrent \(infoHash)") { db in
            try PieceCompletionRecord.fetchOne(db, key: infoHash.hex)
        }
        guard let record else { return nil }
        guard let bitfield = Bitfield(wireBytes: [UInt8](record.bits), count: record.pieceCount) else {
            throw .invalidRecord(
                "piece completion of torrent \(infoHash): \(record.bits.count) bytes do not hold "
                    + "exactly \(record.pieceCount) bits")
        }
        return bitfield
    }
}
