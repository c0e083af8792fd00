import NIOCore

/// Recently read spans of verified pieces. Peers ask for a piece 16 KiB at a time; reading a whole span
/// (up to `spanLength`) once and serving the rest from memory saves a trip to the storage threads per
/// block. Spans are kept as `ByteBuffer`s, so a block sent from one is a slice of it, not a copy. Least
/// recently used spans go first beyond `capacityBytes`.
struct ReadCache {
    static let spanLength = 1024 * 1024
    static let capacityBytes = 16 * 1024 * 1024

    struct Key: Hashable {
        let piece: Int
        let span: Int
    }

    private var entries: [Key: ByteBuffer] = [:]
    /// Least recently used first.
    private var order: [Key] = []
    private var bytes = 0

    /// The span of a piece of length `pieceLength` that holds `offset`: its key, start and length.
    static func span(piece: Int, offset: Int, pieceLength: Int) -> (key: Key, start: Int, length: Int) {
        let index = offset / spanLength
        let start = index * spanLength
        return (Key(piece: piece, span: index), start, min(spanLength, pieceLength - start))
    }

    mutating func get(_ key: Key) -> ByteBuffer? {
        guard let span = entries[key] else { return nil }
        if order.last != key, let position = order.firstIndex(of: key) {
            order.remove(at: position)
            order.append(key)
        }
        return span
    }

    mutating func put(_ key: Key, _ span: ByteBuffer) {
        guard entries[key] == nil else { return }
        entries[key] = span
        order.append(key)
        bytes += span.readableBytes
        while bytes > Self.capacityBytes, let oldest = order.first {
            order.removeFirst()
            bytes -= entries.removeValue(forKey: oldest)?.readableBytes ?? 0
        }
    }
}
