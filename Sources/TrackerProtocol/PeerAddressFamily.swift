/// IPv4 or IPv6: which kind of address a peer has, and so how long its compact entry is.
public enum PeerAddressFamily: Hashable, Sendable, CaseIterable {
    case ipv4
    case ipv6

    /// Address bytes: 4 or 16.
    public var addressSize: Int {
        switch self {
        case .ipv4: return 4
        case .ipv6: return 16
        }
    }

    /// Address and port in a compact peer list: 6 or 18 bytes.
    public var compactEntrySize: Int { addressSize + 2 }
}
