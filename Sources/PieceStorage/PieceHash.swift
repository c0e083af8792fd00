import Crypto

/// SHA-1 of piece bytes, through swift-crypto's pointer API (no copies, SHA-NI where the CPU has it).
struct PieceHash {
    /// How much of a piece is hashed and then written at a time: small enough to stay in a core's L2 cache
    /// between the two.
    static let chunkLength = 128 * 1024

    private var hasher = Insecure.SHA1()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Whether the bytes fed so far hash to `expected`.
    func matches(_ expected: ArraySlice<UInt8>) -> Bool {
        hasher.finalize().withUnsafeBytes { digest in digest.elementsEqual(expected) }
    }

    static func matches(_ bytes: UnsafeRawBufferPointer, expected: ArraySlice<UInt8>) -> Bool {
        var hash = PieceHash()
        hash.update(bytes)
        return hash.matches(expected)
    }

    static func matches(_ bytes: [UInt8], expected: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { matches($0, expected: expected) }
    }
}
