/// A packet a UDP tracker sends back (BEP 15).
public enum UDPTrackerResponse: Hashable, Sendable {
    case connect(transactionID: UInt32, connectionID: UInt64)
    /// Carries `interval`, `complete` (seeders), `incomplete` (leechers) and peers; other fields stay nil.
    case announce(transactionID: UInt32, response: AnnounceResponse)
    /// One entry per requested infohash, in the order of the request.
    case scrape(transactionID: UInt32, stats: [ScrapeStats])
    case error(transactionID: UInt32, message: String)

    public var transactionID: UInt32 {
        switch self {
        case .connect(let transactionID, _), .announce(let transactionID, _), .scrape(let transactionID, _),
            .error(let transactionID, _):
            return transactionID
        }
    }

    public var action: UDPTrackerAction {
        switch self {
        case .connect: return .connect
        case .announce: return .announce
        case .scrape: return .scrape
        case .error: return .error
        }
    }

    /// Encodes the packet. An announce lists only the peers of `peerFamily`: the family of the socket
    /// the request came in on decides whether entries are 6 or 18 bytes, so the other family cannot be sent.
    public func encoded(peerFamily: PeerAddressFamily = .ipv4) -> [UInt8] {
        var writer = PacketWriter(capacity: TrackerLimits.udpAnnounceResponseHeaderSize)
        writer.write(action.rawValue)
        writer.write(transactionID)
        switch self {
        case .connect(_, let connectionID):
            writer.write(connectionID)
        case .announce(_, let response):
            writer.write(UInt32(clamping: response.interval))
            writer.write(UInt32(clamping: response.incomplete ?? 0))
            writer.write(UInt32(clamping: response.complete ?? 0))
            writer.write(PeerEndpoint.compactList(response.peers, family: peerFamily))
        case .scrape(_, let stats):
            for entry in stats {
                writer.write(UInt32(clamping: entry.complete))
                writer.write(UInt32(clamping: entry.downloaded))
                writer.write(UInt32(clamping: entry.incomplete))
            }
        case .error(_, let message):
            writer.write(message.utf8)
        }
        return writer.bytes
    }

    /// Reads a response as a client receives it. `peerFamily` is the family of the tracker's address:
    /// over IPv6 the announce peer list has 18-byte entries.
    public static func decode(
        _ bytes: [UInt8], peerFamily: PeerAddressFamily
    ) throws(TrackerProtocolError) -> UDPTrackerResponse {
        guard bytes.count >= TrackerLimits.udpResponseHeaderSize else {
            throw .udpPacketTooShort(length: bytes.count, minimum: TrackerLimits.udpResponseHeaderSize)
        }
        var reader = PacketReader(bytes)
        let actionValue = reader.readUInt32()
        let transactionID = reader.readUInt32()
        switch UDPTrackerAction(rawValue: actionValue) {
        case .connect:
            guard bytes.count == TrackerLimits.udpConnectSize else {
                throw .udpBadLength(packet: "connect response", length: bytes.count)
            }
            return .connect(transactionID: transactionID, connectionID: reader.readUInt64())
        case .announce:
            guard bytes.count >= TrackerLimits.udpAnnounceResponseHeaderSize else {
                throw .udpBadLength(packet: "announce response", length: bytes.count)
            }
            let interval = reader.readUInt32()
            let leechers = reader.readUInt32()
            let seeders = reader.readUInt32()
            let peers = try PeerEndpoint.decodeCompactList(
                reader.readRest(), family: peerFamily, key: "UDP announce response peers")
            let response = AnnounceResponse(
                interval: Int(interval), complete: Int(seeders), incomplete: Int(leechers), peers: peers)
            return .announce(transactionID: transactionID, response: response)
        case .scrape:
            let entryBytes = bytes.count - TrackerLimits.udpResponseHeaderSize
            guard entryBytes % TrackerLimits.udpScrapeEntrySize == 0 else {
                throw .udpBadLength(packet: "scrape response", length: bytes.count)
            }
            let stats = (0..<entryBytes / TrackerLimits.udpScrapeEntrySize).map { _ in
                let seeders = reader.readUInt32()
                let completed = reader.readUInt32()
                let leechers = reader.readUInt32()
                return ScrapeStats(complete: Int(seeders), downloaded: Int(completed), incomplete: Int(leechers))
            }
            return .scrape(transactionID: transactionID, stats: stats)
        case .error:
            return .error(transactionID: transactionID, message: String(decoding: reader.readRest(), as: UTF8.self))
        case nil:
            throw .udpUnknownAction(actionValue)
        }
    }
}
