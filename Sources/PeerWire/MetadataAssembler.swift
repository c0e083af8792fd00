import TorrentModel

/// Collects the pieces of a torrent's info dictionary from peers (BEP 9) for a magnet link, and
/// builds the torrent once the bytes hash to the infohash.
///
/// Pure bookkeeping: the session asks it which piece to request next, hands it what peers send,
/// and tells it when a request will not be answered (reject, timeout, disconnect).
public struct MetadataAssembler: Sendable {
    /// What became of the metadata after a piece arrived.
    public enum Outcome: Sendable {
        /// More pieces are needed.
        case incomplete
        /// Every piece arrived and hashed to the infohash.
        case complete(Metainfo)
        /// Every piece arrived but the bytes do not hash to the infohash: some peer sent wrong
        /// data. Everything was discarded and will be requested again.
        case hashMismatch
        /// The bytes hash to the infohash but do not describe a torrent Shoal accepts. No peer can
        /// fix this: the magnet link names a broken or refused torrent.
        case refused(MetainfoError)
    }

    private enum PieceState: Sendable {
        case missing
        case requested
        case received
    }

    public let infoHash: InfoHash
    /// The `metadata_size` the peer announced.
    public let totalSize: Int
    private var bytes: [UInt8]
    private var pieces: [PieceState]
    private var receivedCount = 0

    /// Refuses sizes of 0, below 0 or above `PeerWireLimits.maximumMetadataSize`.
    public init(infoHash: InfoHash, totalSize: Int) throws(PeerWireError) {
        guard totalSize > 0 && totalSize <= PeerWireLimits.maximumMetadataSize else {
            throw .metadataSizeRefused(totalSize)
        }
        self.infoHash = infoHash
        self.totalSize = totalSize
        self.bytes = [UInt8](repeating: 0, count: totalSize)
        self.pieces = [PieceState](repeating: .missing, count: MetadataMessage.pieceCount(forSize: totalSize))
    }

    public var pieceCount: Int { pieces.count }

    /// Pieces neither received nor currently requested.
    public var missingPieces: [Int] { pieces.indices.filter { pieces[$0] == .missing } }

    public var receivedPieceCount: Int { receivedCount }

    /// The lowest missing piece, now marked as requested; nil when every piece is received or
    /// already requested.
    public mutating func nextRequest() -> Int? {
        guard let index = pieces.firstIndex(of: .missing) else { return nil }
        pieces[index] = .requested
        return index
    }

    /// A request that will not be answered (the peer rejected it, timed out or left): the piece
    /// becomes missing again so it can be asked of another peer.
    public mutating func requestFailed(piece index: Int) {
        guard pieces.indices.contains(index), pieces[index] == .requested else { return }
        pieces[index] = .missing
    }

    /// Takes a ut_metadata message from a peer. Requests are not the assembler's business and
    /// leave it unchanged; a reject releases the piece.
    public mutating func receive(_ message: MetadataMessage) throws(PeerWireError) -> Outcome {
        switch message {
        case .request:
            return .incomplete
        case .reject(let piece):
            requestFailed(piece: piece)
            return .incomplete
        case .data(let piece, let totalSize, let data):
            return try receive(piece: piece, totalSize: totalSize, data: data)
        }
    }

    /// Takes one piece. A piece that does not fit (wrong index, size or length) throws, and a
    /// requested piece is released. A piece already received is ignored.
    public mutating func receive(piece index: Int, totalSize: Int, data: [UInt8]) throws(PeerWireError) -> Outcome {
        guard pieces.indices.contains(index) else {
            throw .invalidMetadataPiece("piece \(index) of metadata with \(pieces.count) pieces")
        }
        guard totalSize == self.totalSize else {
            requestFailed(piece: index)
            throw .invalidMetadataPiece("total size \(totalSize), announced as \(self.totalSize)")
        }
        let expectedLength = MetadataMessage.pieceLength(index, forSize: totalSize)
        guard data.count == expectedLength else {
            requestFailed(piece: index)
            throw .invalidMetadataPiece("piece \(index) has \(data.count) bytes, expected \(expectedLength)")
        }
        guard pieces[index] != .received else { return .incomplete }

        let start = index * PeerWireLimits.metadataPieceLength
        bytes.replaceSubrange(start..<(start + expectedLength), with: data)
        pieces[index] = .received
        receivedCount += 1
        guard receivedCount == pieces.count else { return .incomplete }

        guard InfoHash(hashingInfo: bytes) == infoHash else {
            reset()
            return .hashMismatch
        }
        do {
            return .complete(try Metainfo(infoBytes: bytes))
        } catch {
            return .refused(error)
        }
    }

    private mutating func reset() {
        pieces = [PieceState](repeating: .missing, count: pieces.count)
        receivedCount = 0
    }
}
