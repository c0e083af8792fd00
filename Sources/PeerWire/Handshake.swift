import NIOCore
import TorrentModel

/// The BEP 3 handshake: `19`, "BitTorrent protocol", 8 reserved bytes, the infohash, the peer id.
public struct Handshake: Hashable, Sendable, CustomStringConvertible {
    /// The protocol string, preceded on the wire by its length (19).
    public static let protocolString: [UInt8] = Array("BitTorrent protocol".utf8)
    /// The handshake's size on the wire.
    public static let length = 1 + protocolString.count + 8 + InfoHash.byteCount + PeerID.byteCount

    public var reserved: ReservedBits
    public var infoHash: InfoHash
    public var peerID: PeerID

    public init(reserved: ReservedBits = .shoal, infoHash: InfoHash, peerID: PeerID) {
        self.reserved = reserved
        self.infoHash = infoHash
        self.peerID = peerID
    }

    /// Reads a handshake from the first 68 bytes of `bytes`.
    public init(bytes: [UInt8]) throws(PeerWireError) {
        try Self.checkPrefix(bytes)
        guard bytes.count >= Self.length else { throw .truncatedHandshake(received: bytes.count) }
        var offset = 1 + Self.protocolString.count
        func take(_ count: Int) -> [UInt8] {
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }
        self.reserved = ReservedBits(bytes: take(8))!
        self.infoHash = InfoHash(bytes: take(InfoHash.byteCount))!
        self.peerID = PeerID(bytes: take(PeerID.byteCount))!
    }

    /// Throws as soon as the bytes seen so far (possibly fewer than 20) cannot begin a handshake,
    /// so a peer speaking another protocol is dropped without waiting for 68 bytes.
    static func checkPrefix(_ bytes: some Collection<UInt8>) throws(PeerWireError) {
        let expected = [UInt8(protocolString.count)] + protocolString
        guard bytes.prefix(expected.count).elementsEqual(expected.prefix(bytes.count)) else {
            throw .notBitTorrent(received: Array(bytes.prefix(expected.count)))
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(Self.protocolString.count))
        buffer.writeBytes(Self.protocolString)
        buffer.writeInteger(reserved.rawValue)
        buffer.writeBytes(infoHash.bytes)
        buffer.writeBytes(peerID.bytes)
    }

    /// The 68 bytes on the wire.
    public var bytes: [UInt8] {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(Self.length)
        encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    public var description: String { "handshake \(infoHash) from \(peerID) \(reserved)" }
}
