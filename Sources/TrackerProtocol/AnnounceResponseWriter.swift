/// The announce response body written straight to bytes (the tracker's hot path): the same canonical
/// bencode as `AnnounceResponse.bencoded(peerForm:)`, without building a value tree first.
///
/// Keys in byte order: complete, downloaded, incomplete, interval, min interval, peers, peers6,
/// tracker id, warning message.
public enum AnnounceResponseWriter {
    public struct Header: Sendable {
        public var interval: Int
        public var minInterval: Int
        public var stats: ScrapeStats
        public var trackerID: [UInt8]?
        public var warning: String?

        public init(
            interval: Int, minInterval: Int, stats: ScrapeStats, trackerID: [UInt8]? = nil, warning: String? = nil
        ) {
            self.interval = interval
            self.minInterval = minInterval
            self.stats = stats
            self.trackerID = trackerID
            self.warning = warning
        }
    }

    /// Compact peers (BEP 23), IPv6 ones in `peers6` (BEP 7); `peers` is always present, `peers6` only
    /// when there are IPv6 peers.
    public static func compact(_ header: Header, peers: [TrackedPeer]) -> [UInt8] {
        var v4 = 0
        for peer in peers where !peer.address.isIPv6 { v4 += 1 }
        let v6 = peers.count - v4
        var out: [UInt8] = []
        out.reserveCapacity(120 + v4 * 6 + v6 * 18)
        out.append(UInt8(ascii: "d"))
        writeCounts(header, to: &out)
        writeKey("peers", to: &out)
        writeLength(v4 * 6, to: &out)
        for peer in peers where !peer.address.isIPv6 { peer.address.appendCompact(to: &out) }
        if v6 > 0 {
            writeKey("peers6", to: &out)
            writeLength(v6 * 18, to: &out)
            for peer in peers where peer.address.isIPv6 { peer.address.appendCompact(to: &out) }
        }
        writeTail(header, to: &out)
        return out
    }

    /// Dictionary peers (BEP 3): `ip`, `peer id` (left out for `no_peer_id`) and `port`.
    public static func dictionary(_ header: Header, peers: [TrackedPeer], includePeerIDs: Bool) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "d")]
        writeCounts(header, to: &out)
        writeKey("peers", to: &out)
        out.append(UInt8(ascii: "l"))
        for peer in peers {
            out.append(UInt8(ascii: "d"))
            writeKey("ip", to: &out)
            writeString(Array(peer.address.endpoint.host.utf8), to: &out)
            if includePeerIDs {
                writeKey("peer id", to: &out)
                writeString(peer.peerID.bytes, to: &out)
            }
            writeInteger("port", Int(peer.address.port), to: &out)
            out.append(UInt8(ascii: "e"))
        }
        out.append(UInt8(ascii: "e"))
        writeTail(header, to: &out)
        return out
    }

    /// A BEP 15 announce response: the same bytes as `UDPTrackerResponse.announce(…).encoded(peerFamily:)`,
    /// listing only the peers of `family` (the family of the socket the request came in on).
    public static func udp(
        transactionID: UInt32, interval: Int, stats: ScrapeStats, peers: [TrackedPeer], family: PeerAddressFamily
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(TrackerLimits.udpAnnounceResponseHeaderSize + peers.count * family.compactEntrySize)
        for value in [
            UDPTrackerAction.announce.rawValue, transactionID, UInt32(clamping: interval),
            UInt32(clamping: stats.incomplete), UInt32(clamping: stats.complete),
        ] {
            out.append(UInt8(truncatingIfNeeded: value >> 24))
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            out.append(UInt8(truncatingIfNeeded: value))
        }
        for peer in peers where peer.address.family == family { peer.address.appendCompact(to: &out) }
        return out
    }

    /// `d14:failure reason<n>:<reason>e`.
    public static func failure(_ reason: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "d")]
        writeKey("failure reason", to: &out)
        writeString(Array(reason.utf8), to: &out)
        out.append(UInt8(ascii: "e"))
        return out
    }

    /// The keys before `peers`, in order.
    private static func writeCounts(_ header: Header, to out: inout [UInt8]) {
        writeInteger("complete", header.stats.complete, to: &out)
        writeInteger("downloaded", header.stats.downloaded, to: &out)
        writeInteger("incomplete", header.stats.incomplete, to: &out)
        writeInteger("interval", header.interval, to: &out)
        writeInteger("min interval", header.minInterval, to: &out)
    }

    private static func writeTail(_ header: Header, to out: inout [UInt8]) {
        if let trackerID = header.trackerID {
            writeKey("tracker id", to: &out)
            writeString(trackerID, to: &out)
        }
        if let warning = header.warning {
            writeKey("warning message", to: &out)
            writeString(Array(warning.utf8), to: &out)
        }
        out.append(UInt8(ascii: "e"))
    }

    private static func writeKey(_ key: StaticString, to out: inout [UInt8]) {
        writeLength(key.utf8CodeUnitCount, to: &out)
        key.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func writeString(_ bytes: [UInt8], to out: inout [UInt8]) {
        writeLength(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    private static func writeLength(_ length: Int, to out: inout [UInt8]) {
        writeDecimal(length, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    private static func writeInteger(_ key: StaticString, _ value: Int, to out: inout [UInt8]) {
        writeKey(key, to: &out)
        out.append(UInt8(ascii: "i"))
        writeDecimal(value, to: &out)
        out.append(UInt8(ascii: "e"))
    }

    /// Decimal digits without going through String.
    public static func writeDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude > 0 else { return out.append(UInt8(ascii: "0")) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}
