import TorrentModel

/// A packet a client sends to a UDP tracker (BEP 15), with BEP 41 URL data on announces.
public enum UDPTrackerRequest: Hashable, Sendable {
    case connect(transactionID: UInt32)
    /// `urlData` is the path and query of the tracker URL (BEP 41), empty when there is none.
    /// Over UDP a request carries no tracker id and always gets compact peers; its `ip` is IPv4 or none,
    /// its `key` and `numWant` are sent as 0 and -1 when nil.
    case announce(connectionID: UInt64, transactionID: UInt32, request: AnnounceRequest, urlData: [UInt8] = [])
    case scrape(connectionID: UInt64, transactionID: UInt32, infoHashes: [InfoHash])

    public var transactionID: UInt32 {
        switch self {
        case .connect(let transactionID), .announce(_, let transactionID, _, _), .scrape(_, let transactionID, _):
            return transactionID
        }
    }

    public var action: UDPTrackerAction {
        switch self {
        case .connect: return .connect
        case .announce: return .announce
        case .scrape: return .scrape
        }
    }

    public func encoded() -> [UInt8] {
        var writer = PacketWriter(capacity: TrackerLimits.udpAnnounceRequestSize)
        switch self {
        case .connect(let transactionID):
            writer.write(TrackerLimits.udpProtocolID)
            writer.write(UDPTrackerAction.connect.rawValue)
            writer.write(transactionID)
        case .announce(let connectionID, let transactionID, let request, let urlData):
            writer.write(connectionID)
            writer.write(UDPTrackerAction.announce.rawValue)
            writer.write(transactionID)
            writer.write(request.infoHash.bytes)
            writer.write(request.peerID)
            writer.write(request.downloaded)
            writer.write(request.left)
            writer.write(request.uploaded)
            writer.write(request.event.udpValue)
            writer.write(request.ip.flatMap { IPAddressText.parseIPv4(Array($0.utf8)[...]) } ?? [0, 0, 0, 0])
            writer.write(request.key ?? 0)
            writer.write(Int32(clamping: request.numWant ?? -1))
            writer.write(request.port)
            if !urlData.isEmpty { Self.writeURLData(urlData, to: &writer) }
        case .scrape(let connectionID, let transactionID, let infoHashes):
            writer.write(connectionID)
            writer.write(UDPTrackerAction.scrape.rawValue)
            writer.write(transactionID)
            for infoHash in infoHashes { writer.write(infoHash.bytes) }
        }
        return writer.bytes
    }

    /// Reads a request as a tracker receives it; lengths, the protocol id, the event, the port and
    /// the BEP 41 options are all checked.
    public static func decode(_ bytes: [UInt8]) throws(TrackerProtocolError) -> UDPTrackerRequest {
        guard bytes.count >= TrackerLimits.udpRequestHeaderSize else {
            throw .udpPacketTooShort(length: bytes.count, minimum: TrackerLimits.udpRequestHeaderSize)
        }
        var reader = PacketReader(bytes)
        let connectionID = reader.readUInt64()
        let actionValue = reader.readUInt32()
        let transactionID = reader.readUInt32()
        switch UDPTrackerAction(rawValue: actionValue) {
        case .connect:
            guard bytes.count == TrackerLimits.udpConnectSize else {
                throw .udpBadLength(packet: "connect request", length: bytes.count)
            }
            guard connectionID == TrackerLimits.udpProtocolID else { throw .udpBadProtocolID(connectionID) }
            return .connect(transactionID: transactionID)
        case .announce:
            guard bytes.count >= TrackerLimits.udpAnnounceRequestSize else {
                throw .udpBadLength(packet: "announce request", length: bytes.count)
            }
            let (request, urlData) = try decodeAnnounce(&reader)
            return .announce(
                connectionID: connectionID, transactionID: transactionID, request: request, urlData: urlData)
        case .scrape:
            let hashBytes = bytes.count - TrackerLimits.udpRequestHeaderSize
            guard hashBytes % InfoHash.byteCount == 0 else {
                throw .udpBadLength(packet: "scrape request", length: bytes.count)
            }
            let count = hashBytes / InfoHash.byteCount
            guard count > 0 else { throw .udpNoInfoHashes }
            guard count <= TrackerLimits.maximumUDPScrapeInfoHashes else {
                throw .tooManyInfoHashes(count: count, limit: TrackerLimits.maximumUDPScrapeInfoHashes)
            }
            let infoHashes = (0..<count).map { _ in InfoHash(bytes: reader.readBytes(InfoHash.byteCount))! }
            return .scrape(connectionID: connectionID, transactionID: transactionID, infoHashes: infoHashes)
        case .error, nil:
            throw .udpUnknownAction(actionValue)
        }
    }

    private static func decodeAnnounce(
        _ reader: inout PacketReader
    ) throws(TrackerProtocolError) -> (AnnounceRequest, [UInt8]) {
        let infoHash = InfoHash(bytes: reader.readBytes(InfoHash.byteCount))!
        let peerID = reader.readBytes(TrackerLimits.peerIDSize)
        let downloaded = reader.readInt64()
        let left = reader.readInt64()
        let uploaded = reader.readInt64()
        let eventValue = reader.readUInt32()
        guard let event = AnnounceEvent(udpValue: eventValue) else { throw .udpBadEvent(eventValue) }
        let ip = reader.readBytes(4)
        let key = reader.readUInt32()
        let numWant = reader.readInt32()
        let port = reader.readUInt16()
        guard port > 0 else { throw .badPort("0") }
        let urlData = try readURLData(reader.readRest())
        let request = try AnnounceRequest(
            infoHash: infoHash, peerID: peerID, port: port, uploaded: uploaded, downloaded: downloaded, left: left,
            event: event, compact: true, numWant: numWant < 0 ? nil : Int(numWant), key: key,
            ip: ip == [0, 0, 0, 0] ? nil : IPAddressText.format(ip))
        return (request, urlData)
    }

    // BEP 41 option types. Every type but these two carries a length byte, so unknown ones can be skipped.
    private static let endOfOptions: UInt8 = 0
    private static let noOperation: UInt8 = 1
    private static let urlDataOption: UInt8 = 2

    private static func writeURLData(_ data: [UInt8], to writer: inout PacketWriter) {
        var offset = 0
        while offset < data.count {
            let chunk = data[offset..<min(offset + 255, data.count)]
            writer.write([urlDataOption, UInt8(chunk.count)])
            writer.write(chunk)
            offset += chunk.count
        }
        writer.write([endOfOptions])
    }

    /// Joins the URL data options; an option whose length runs past the packet is refused.
    private static func readURLData(_ options: ArraySlice<UInt8>) throws(TrackerProtocolError) -> [UInt8] {
        var urlData: [UInt8] = []
        var index = options.startIndex
        while index < options.endIndex {
            let type = options[index]
            index += 1
            if type == endOfOptions { break }
            if type == noOperation { continue }
            guard index < options.endIndex else { throw .udpMalformedOptions }
            let length = Int(options[index])
            index += 1
            guard options.endIndex - index >= length else { throw .udpMalformedOptions }
            if type == urlDataOption { urlData += options[index..<index + length] }
            index += length
        }
        return urlData
    }
}
