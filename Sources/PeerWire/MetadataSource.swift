/// The serving side of BEP 9: answers a peer's metadata requests from a torrent's info bytes.
public struct MetadataSource: Sendable {
    /// The bencoded info dictionary, exactly as hashed into the infohash.
    public let infoBytes: [UInt8]

    public init(infoBytes: [UInt8]) {
        self.infoBytes = infoBytes
    }

    /// The `metadata_size` to announce in the extension handshake.
    public var totalSize: Int { infoBytes.count }

    public var pieceCount: Int { MetadataMessage.pieceCount(forSize: infoBytes.count) }

    /// The data message for piece `index`, or a reject for a piece that does not exist.
    public func response(toPiece index: Int) -> MetadataMessage {
        guard index >= 0 && index < pieceCount else { return .reject(piece: index) }
        let start = index * PeerWireLimits.metadataPieceLength
        let end = start + MetadataMessage.pieceLength(index, forSize: infoBytes.count)
        return .data(piece: index, totalSize: infoBytes.count, bytes: Array(infoBytes[start..<end]))
    }
}
