import Bencode
import NIOCore

/// `shoal_deadline`, a BEP 10 extension of Shoal's: when the sender needs pieces it asks the receiver for, as
/// milliseconds from the moment it sent the message. A watcher tells the peers it requests from; an uploader with
/// more requests than bandwidth serves the pieces due soonest first (`UploadQueue`), so a watcher about to stall
/// is not served after one with half a minute buffered. Relative times need no shared clock. Advice only: a
/// client that does not know the extension never sees the message.
///
/// The payload is a bencoded dictionary whose `d` is a byte string of 8-byte entries: the piece index and the
/// milliseconds until it is due, each a big-endian UInt32 (0: due now or overdue).
public struct DeadlineMessage: Hashable, Sendable {
    /// The extension's name in the `m` dictionary of the extension handshake.
    public static let extensionName = "shoal_deadline"
    /// The ID Shoal asks peers to send `shoal_deadline` messages with.
    public static let localExtensionID: UInt8 = 3
    /// Entries per message at most, sent or read: about two minutes of a video's pieces at most bit rates.
    public static let maximumEntries = 256

    public struct Entry: Hashable, Sendable {
        public var piece: Int
        /// Milliseconds from sending until the piece is due.
        public var dueIn: UInt32

        public init(piece: Int, dueIn: UInt32) {
            self.piece = piece
            self.dueIn = dueIn
        }
    }

    public var entries: [Entry]

    /// At most `maximumEntries` are kept, the first ones.
    public init(entries: [Entry]) {
        self.entries = Array(entries.prefix(Self.maximumEntries))
    }

    private static let entrySize = 8

    /// Decodes the payload of an extended message (after the extension ID byte).
    public static func decode(_ payload: [UInt8]) throws(PeerWireError) -> DeadlineMessage {
        let node: BencodeNode
        do {
            node = try BencodeDecoder(maximumDepth: 4, requiresSortedKeys: false).decode(payload)
        } catch {
            throw .invalidDeadlineMessage(error.description)
        }
        let fields = try BencodeFields(node, what: "the message", invalid: PeerWireError.invalidDeadlineMessage)
        let bytes = try fields.bytes("d") ?? []
        guard bytes.count % entrySize == 0 else {
            throw .invalidDeadlineMessage("'d' is \(bytes.count) bytes, not a multiple of \(entrySize)")
        }
        guard bytes.count / entrySize <= maximumEntries else {
            throw .invalidDeadlineMessage("\(bytes.count / entrySize) entries, more than \(maximumEntries)")
        }
        var buffer = ByteBuffer(bytes: bytes)
        var entries: [Entry] = []
        while let piece = buffer.readInteger(as: UInt32.self), let dueIn = buffer.readInteger(as: UInt32.self) {
            entries.append(Entry(piece: Int(piece), dueIn: dueIn))
        }
        return DeadlineMessage(entries: entries)
    }

    public static func decode(_ payload: ByteBuffer) throws(PeerWireError) -> DeadlineMessage {
        try decode(Array(payload.readableBytesView))
    }

    /// The canonical bencoding, without the extended message header.
    public func encoded() -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(entries.count * Self.entrySize)
        for entry in entries {
            buffer.writeInteger(UInt32(clamping: entry.piece))
            buffer.writeInteger(entry.dueIn)
        }
        return BencodeEncoder.encode(.dictionary([Array("d".utf8): .bytes(Array(buffer.readableBytesView))]))
    }

    /// The extended message carrying this one, with the ID the receiver asked for.
    public func message(extensionID: UInt8) -> PeerMessage {
        .extended(id: extensionID, payload: ByteBuffer(bytes: encoded()))
    }
}
