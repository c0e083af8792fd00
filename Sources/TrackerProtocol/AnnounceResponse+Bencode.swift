import Bencode

extension AnnounceResponse {
    /// The bencoded HTTP response body, canonical (sorted keys).
    public func bencoded(peerForm: PeerListForm) -> [UInt8] {
        BencodeEncoder.encode(bencodeValue(peerForm: peerForm))
    }

    public func bencodeValue(peerForm: PeerListForm) -> BencodeValue {
        var entries: [String: BencodeValue] = ["interval": .integer(Int64(interval))]
        if let minInterval { entries["min interval"] = .integer(Int64(minInterval)) }
        if let trackerID { entries["tracker id"] = .bytes(trackerID) }
        if let complete { entries["complete"] = .integer(Int64(complete)) }
        if let incomplete { entries["incomplete"] = .integer(Int64(incomplete)) }
        if let downloaded { entries["downloaded"] = .integer(Int64(downloaded)) }
        if let warning { entries["warning message"] = .string(warning) }
        switch peerForm {
        case .compact:
            entries["peers"] = .bytes(PeerEndpoint.compactList(peers, family: .ipv4))
            if peers.contains(where: { $0.family == .ipv6 }) {
                entries["peers6"] = .bytes(PeerEndpoint.compactList(peers, family: .ipv6))
            }
        case .dictionary:
            entries["peers"] = .list(
                peers.map {
                    .dictionary([Array("ip".utf8): .string($0.host), Array("port".utf8): .integer(Int64($0.port))])
                })
        }
        var dictionary: [[UInt8]: BencodeValue] = [:]
        for (key, value) in entries { dictionary[Array(key.utf8)] = value }
        return .dictionary(dictionary)
    }

    /// Reads an HTTP announce response body: compact (`peers`, `peers6`) or dictionary peers,
    /// keys in any order, `failure reason` as a failure whatever else the response holds.
    ///
    /// Dictionary peers whose `ip` is a host name rather than a numeric address are left out:
    /// a pure codec cannot resolve names, and such peers are almost unheard of.
    public static func decodeHTTP(_ bytes: [UInt8]) throws(TrackerProtocolError) -> TrackerReply<AnnounceResponse> {
        let fields = try BencodeFields(decoding: bytes)
        if let reason = try fields.text("failure reason") { return .failure(reason: reason) }

        var peers: [PeerEndpoint] = []
        switch fields["peers"] {
        case nil:
            break
        case .bytes(let compact):
            peers = try PeerEndpoint.decodeCompactList(compact[...], family: .ipv4, key: "peers")
        case .list(let list):
            peers = try decodeDictionaryPeers(list)
        default:
            throw .wrongType(key: "peers", expected: "a byte string or a list")
        }
        if let compact6 = try fields.bytes("peers6") {
            peers += try PeerEndpoint.decodeCompactList(compact6[...], family: .ipv6, key: "peers6")
        }
        return .success(
            AnnounceResponse(
                interval: try fields.count("interval") ?? TrackerLimits.defaultAnnounceInterval,
                minInterval: try fields.count("min interval"),
                trackerID: try fields.bytes("tracker id"),
                complete: try fields.count("complete"),
                incomplete: try fields.count("incomplete"),
                downloaded: try fields.count("downloaded"),
                peers: peers,
                warning: try fields.text("warning message")))
    }

    private static func decodeDictionaryPeers(_ list: [BencodeValue]) throws(TrackerProtocolError) -> [PeerEndpoint] {
        var peers: [PeerEndpoint] = []
        for (index, element) in list.enumerated() {
            guard let entry = element.dictionaryValue else {
                throw .badPeerEntry(index: index, reason: "not a dictionary")
            }
            guard let ip = entry[Array("ip".utf8)]?.bytesValue else {
                throw .badPeerEntry(index: index, reason: "no 'ip' string")
            }
            guard let port = entry[Array("port".utf8)]?.integerValue else {
                throw .badPeerEntry(index: index, reason: "no 'port' integer")
            }
            guard let port16 = UInt16(exactly: port) else {
                throw .badPeerEntry(index: index, reason: "port \(port) out of range")
            }
            if let peer = PeerEndpoint(host: String(decoding: ip, as: UTF8.self), port: port16) { peers.append(peer) }
        }
        return peers
    }
}

extension TrackerReply where Payload == AnnounceResponse {
    /// The HTTP body for this reply; a failure is `d14:failure reason…e`.
    public func bencoded(peerForm: PeerListForm) -> [UInt8] {
        switch self {
        case .success(let response): return response.bencoded(peerForm: peerForm)
        case .failure(let reason): return BencodeEncoder.encode(["failure reason": .string(reason)])
        }
    }
}
