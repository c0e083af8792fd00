import Crypto

/// SHA-1 of a torrent's pieces computed as the bytes are written, so ingest reads nothing twice.
///
/// Files are appended in torrent order; `padToPieceBoundary()` stands for a BEP 47 pad file (zeros).
struct PieceHashStream {
    let pieceLength: Int
    private(set) var hashes: [UInt8] = []
    private var hasher = Insecure.SHA1()
    private var filled = 0
    private static let zeros = [UInt8](repeating: 0, count: 64 * 1024)

    init(pieceLength: Int) {
        self.pieceLength = pieceLength
    }

    /// Total bytes hashed so far, padding included.
    var length: Int64 { Int64(hashes.count / 20) * Int64(pieceLength) + Int64(filled) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(rest.count, pieceLength - filled)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
            filled += take
            rest = rest.dropFirst(take)
            if filled == pieceLength { finishPiece() }
        }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Zeros up to the next piece boundary; the number of zeros (0 when already on one).
    @discardableResult
    mutating func padToPieceBoundary() -> Int {
        guard filled > 0 else { return 0 }
        var padding = pieceLength - filled
        let total = padding
        while padding > 0 {
            let take = min(padding, Self.zeros.count)
            Self.zeros.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0.prefix(take))) }
            padding -= take
        }
        return total
    }

    /// Ends the last, possibly short, piece and returns all hashes.
    mutating func finish() -> [UInt8] {
        if filled > 0 { finishPiece() }
        return hashes
    }

    private mutating func finishPiece() {
        hashes.append(contentsOf: hasher.finalize())
        hasher = Insecure.SHA1()
        filled = 0
    }
}
