/// Tracker announce and scrape: models and codecs for HTTP (BEP 3, 7, 23, 48) and UDP (BEP 15, 41).
///
/// Sizes fixed by the protocols, and the limits this module holds untrusted input to.
public enum TrackerLimits {
    // MARK: Fixed by the protocols

    /// The magic number that opens every UDP connect request (BEP 15).
    public static let udpProtocolID: UInt64 = 0x41727101980
    /// A compact IPv4 peer: 4 address bytes and a 2-byte port, network byte order (BEP 23).
    public static let compactIPv4PeerSize = 6
    /// A compact IPv6 peer: 16 address bytes and a 2-byte port (BEP 7, and BEP 15 over IPv6).
    public static let compactIPv6PeerSize = 18
    /// Infohash and peer id are 20 raw bytes each.
    public static let peerIDSize = 20
    /// UDP connect request and response are both exactly 16 bytes.
    public static let udpConnectSize = 16
    /// A UDP announce request without BEP 41 options.
    public static let udpAnnounceRequestSize = 98
    /// A UDP announce response before its peer list.
    public static let udpAnnounceResponseHeaderSize = 20
    /// A UDP scrape request before its infohashes; also every request's common header.
    public static let udpRequestHeaderSize = 16
    /// Action and transaction id, the header of every UDP response.
    public static let udpResponseHeaderSize = 8
    /// Seeders, completed and leechers for one torrent in a UDP scrape response.
    public static let udpScrapeEntrySize = 12

    // MARK: Chosen limits

    /// BEP 15: "up to about 74 torrents can be scraped at once" in one UDP packet.
    public static let maximumUDPScrapeInfoHashes = 74
    /// The most infohashes one HTTP scrape query may name; more is a request to refuse.
    public static let maximumHTTPScrapeInfoHashes = 256
    /// The longest announce or scrape query string accepted, in bytes. Real announces are under 400.
    public static let maximumQueryLength = 8 * 1024
    /// The longest `key`, `trackerid` or `ip` value accepted in a query, in bytes after decoding.
    public static let maximumTextFieldLength = 256
    /// The interval assumed when a successful HTTP response has none (libtorrent does the same).
    public static let defaultAnnounceInterval = 1800
}
