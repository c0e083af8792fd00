import Foundation
import GRDB

/// A row of `pieceCompletion`: which pieces of one torrent were verified and on disk when the
/// bitfield was last flushed. `bits` is in BitTorrent wire order (piece 0 is the high bit of byte 0),
/// so it is exactly `Bitfield.bytes` and what a peer would be sent.
struct PieceCompletionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pieceCompletion"

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case infoHash = "infohash"
        case pieceCount, bits
    }

    var infoHash: String
    var pieceCount: Int
    var bits: Data
}
