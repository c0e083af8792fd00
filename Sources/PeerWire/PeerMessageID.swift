/// The ID byte of a length-prefixed message. An open set: IDs Shoal does not know are skipped,
/// not refused, so later extensions do not break connections.
public struct PeerMessageID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // BEP 3
    public static let choke = PeerMessageID(rawValue: 0)
    public static let unchoke = PeerMessageID(rawValue: 1)
    public static let interested = PeerMessageID(rawValue: 2)
    public static let notInterested = PeerMessageID(rawValue: 3)
    public static let have = PeerMessageID(rawValue: 4)
    public static let bitfield = PeerMessageID(rawValue: 5)
    public static let request = PeerMessageID(rawValue: 6)
    public static let piece = PeerMessageID(rawValue: 7)
    public static let cancel = PeerMessageID(rawValue: 8)
    // BEP 5
    public static let port = PeerMessageID(rawValue: 9)
    // BEP 6
    public static let suggestPiece = PeerMessageID(rawValue: 0x0D)
    public static let haveAll = PeerMessageID(rawValue: 0x0E)
    public static let haveNone = PeerMessageID(rawValue: 0x0F)
    public static let rejectRequest = PeerMessageID(rawValue: 0x10)
    public static let allowedFast = PeerMessageID(rawValue: 0x11)
    // BEP 10
    public static let extended = PeerMessageID(rawValue: 20)

    /// Whether `PeerMessage` has a case for this ID.
    public var isKnown: Bool { Self.names[rawValue] != nil }

    /// The payload length (after the ID byte) of messages whose size never varies.
    public var fixedPayloadLength: Int? {
        switch self {
        case .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone: return 0
        case .have, .suggestPiece, .allowedFast: return 4
        case .request, .cancel, .rejectRequest: return 12
        case .port: return 2
        default: return nil
        }
    }

    private static let names: [UInt8: String] = [
        0: "choke", 1: "unchoke", 2: "interested", 3: "not interested", 4: "have", 5: "bitfield",
        6: "request", 7: "piece", 8: "cancel", 9: "port", 0x0D: "suggest piece", 0x0E: "have all",
        0x0F: "have none", 0x10: "reject request", 0x11: "allowed fast", 20: "extended",
    ]

    public var description: String { Self.names[rawValue] ?? "unknown (ID \(rawValue))" }
}
