/// How an HTTP announce response lists peers.
public enum PeerListForm: Hashable, Sendable {
    /// BEP 23 and BEP 7: `peers` holds 6-byte IPv4 entries, `peers6` 18-byte IPv6 entries.
    case compact
    /// BEP 3: `peers` is a list of dictionaries with `ip` (text) and `port`.
    case dictionary
}
