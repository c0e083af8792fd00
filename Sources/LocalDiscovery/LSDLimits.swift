/// Named limits of Local Service Discovery (BEP 14), in one place. Each bounds what a broken or hostile
/// host on the LAN can make Shoal read, hold or dial; the numbers follow BEP 14 and libtorrent where BEP 14
/// says nothing.
public enum LSDLimits {
    /// The IPv4 multicast group and port of BEP 14.
    public static let ipv4Group = "239.192.152.143"
    /// The IPv6 multicast group of BEP 14 (site-local scope).
    public static let ipv6Group = "ff15::efc0:988f"
    /// The UDP port of BEP 14, on both groups.
    public static let port = 6_771

    /// The largest announcement read or written. Real ones are about 200 bytes (libtorrent and
    /// Transmission send one infohash per packet); 20 infohashes fit in about 1,150 bytes. Anything longer
    /// is refused unread: it stays under the smallest common MTU less IP and UDP headers, so a packet of
    /// ours is never fragmented.
    public static let maximumPacketSize = 1_400

    /// Infohashes packed into one of our packets, and accepted in one received packet; a packet naming more
    /// is refused. 20 lines of 52 bytes keep a packet well under `maximumPacketSize`.
    public static let maximumInfoHashesPerAnnouncement = 20

    /// Longest `cookie` value kept; a longer one is ignored (it cannot be ours).
    public static let maximumCookieLength = 32

    /// Seconds between two announcements of the same torrent (libtorrent's
    /// `local_service_announce_interval`: 5 minutes).
    public static let announceInterval: Double = 5 * 60

    /// Seconds between two packets of ours, at least: one packet a second over all torrents.
    public static let minimumSendInterval: Double = 1

    /// Seconds before the same source may report the same infohash again: one peer per infohash per
    /// source address a minute.
    public static let reportInterval: Double = 60

    /// (Source, infohash) pairs remembered by the incoming limiter. When full, new pairs are dropped, so a
    /// flood of forged source addresses can neither grow memory nor make Shoal dial more.
    public static let maximumTrackedReports = 4_096

    /// Peers reported per second over all sources, and how many at once after a quiet spell: the bound on
    /// dials a LAN flood can cause even from many addresses.
    public static let reportsPerSecond: Double = 10
    public static let reportBurst: Double = 50
}
