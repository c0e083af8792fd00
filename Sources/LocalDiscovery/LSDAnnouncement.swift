import TorrentModel

/// A BEP 14 announcement: "peers for these torrents listen on this TCP port at my address". It travels as
/// an HTTP-like request in one UDP datagram to the multicast group:
///
///     BT-SEARCH * HTTP/1.1\r\n
///     Host: 239.192.152.143:6771\r\n
///     Port: <TCP port>\r\n
///     Infohash: <40 hex digits>\r\n        (one line per torrent)
///     cookie: <our cookie>\r\n
///     \r\n
///     \r\n
///
/// The peer's address is the packet's source address; only the port is in the message. The cookie lets a
/// sender recognise its own packets when the group loops them back.
public struct LSDAnnouncement: Sendable, Hashable {
    /// The TCP port the sender's BitTorrent listener is on: 1–65535.
    public var port: UInt16
    /// The torrents announced, without duplicates, in the order they appeared.
    public var infoHashes: [InfoHash]
    /// The sender's cookie, when there was one (libtorrent and Shoal send one; Transmission does not).
    public var cookie: String?

    public init(port: UInt16, infoHashes: [InfoHash], cookie: String? = nil) {
        self.port = port
        self.infoHashes = infoHashes
        self.cookie = cookie
    }

    /// `Host` of an announcement to the IPv4 group.
    public static let ipv4Host = "\(LSDLimits.ipv4Group):\(LSDLimits.port)"
    /// `Host` of an announcement to the IPv6 group.
    public static let ipv6Host = "[\(LSDLimits.ipv6Group)]:\(LSDLimits.port)"

    /// `Host` for a group address and port: IPv6 addresses in brackets.
    public static func host(group: String, port: Int) -> String {
        group.contains(":") ? "[\(group)]:\(port)" : "\(group):\(port)"
    }

    /// The packet, with `host` as the `Host` header (the group and port it is sent to). Infohashes in
    /// lowercase hex, as libtorrent writes them; the headers in libtorrent's order and case.
    public func encoded(host: String = LSDAnnouncement.ipv4Host) -> [UInt8] {
        var text = "BT-SEARCH * HTTP/1.1\r\nHost: \(host)\r\nPort: \(port)\r\n"
        for infoHash in infoHashes { text += "Infohash: \(infoHash.hex)\r\n" }
        if let cookie { text += "cookie: \(cookie)\r\n" }
        text += "\r\n\r\n"
        return Array(text.utf8)
    }
}
