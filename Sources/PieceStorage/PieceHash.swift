import Crypto

/// SHA-1 of piece bytes, through swift-crypto's pointer API (no copies, SHA-NI where the CPU has it).
enum PieceHash {
    static func matches(_ bytes: UnsafeRawBufferPointer, expected: ArraySlice<UInt8>) -> Bool {
        var hasher = Insecure.SHA1()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { digest in digest.elementsEqual(expected) }
    }

    static func matches(_ bytes: [UInt8], expected: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { matches($0, expected: expected) }
    }
}
