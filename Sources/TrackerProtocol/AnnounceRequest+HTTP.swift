import TorrentModel

extension AnnounceRequest {
    /// The announce query (BEP 3): infohash and peer id percent-encoded as raw bytes, the key as
    /// 8 uppercase hex digits (as libtorrent sends it), optional fields only when set.
    public var httpQuery: String {
        var fields = [
            "info_hash=" + QueryString.percentEncode(infoHash.bytes),
            "peer_id=" + QueryString.percentEncode(peerID),
            "port=\(port)",
            "uploaded=\(uploaded)",
            "downloaded=\(downloaded)",
            "left=\(left)",
            "compact=\(compact ? 1 : 0)",
        ]
        if let event = event.queryValue { fields.append("event=" + event) }
        if let numWant { fields.append("numwant=\(numWant)") }
        if let key { fields.append("key=" + Self.keyText(key)) }
        if let trackerID { fields.append("trackerid=" + QueryString.percentEncode(trackerID)) }
        if let ip { fields.append("ip=" + QueryString.percentEncode(ip.utf8)) }
        return fields.joined(separator: "&")
    }

    /// The full announce URL: the tracker's URL (which may carry its own query) plus `httpQuery`.
    public func httpURL(announceURL: String) -> String {
        QueryString.appending(httpQuery, to: announceURL)
    }

    /// Parses an announce query as a tracker receives it, strictly: the infohash and peer id must be
    /// 20 bytes, the port 1–65535, the byte counts non-negative numbers; known fields may not repeat.
    /// Fields this model does not carry (`no_peer_id`, `supportcrypto`, …) are ignored.
    ///
    /// A `key` that is not 1–8 hex digits (clients may send any token) is folded into 32 bits with
    /// FNV-1a, so the same token always gives the same key.
    public init(httpQuery query: some StringProtocol) throws(TrackerProtocolError) {
        var values: [String: [UInt8]] = [:]
        for field in try QueryString.parse(query) where Self.queryFieldNames.contains(field.name) {
            guard values.updateValue(field.value, forKey: field.name) == nil else {
                throw .duplicateField(field.name)
            }
        }
        func required(_ name: String) throws(TrackerProtocolError) -> [UInt8] {
            guard let value = values[name] else { throw .missingField(name) }
            return value
        }
        let infoHashBytes = try required("info_hash")
        guard let infoHash = InfoHash(bytes: infoHashBytes) else { throw .badInfoHashLength(infoHashBytes.count) }
        let peerID = try required("peer_id")
        guard peerID.count == TrackerLimits.peerIDSize else { throw .badPeerIDLength(peerID.count) }
        let portText = Self.text(try required("port"))
        guard Self.isDecimal(portText), let port = UInt16(portText), port > 0 else { throw .badPort(portText) }
        let uploaded = try Self.count("uploaded", try required("uploaded"))
        let downloaded = try Self.count("downloaded", try required("downloaded"))
        let left = try Self.count("left", try required("left"))

        var event = AnnounceEvent.none
        if let value = values["event"] {
            guard let parsed = AnnounceEvent(queryValue: Self.text(value)) else { throw .badEvent(Self.text(value)) }
            event = parsed
        }
        var compact = false
        if let value = values["compact"] {
            switch Self.text(value) {
            case "0": compact = false
            case "1": compact = true
            default: throw .badFlag(field: "compact", value: Self.text(value))
            }
        }
        var numWant: Int?
        if let value = values["numwant"] {
            let text = Self.text(value)
            // Some clients send -1 for "the tracker's default", as in UDP.
            if text != "-1" {
                guard Self.isDecimal(text), let number = Int32(text) else {
                    throw .badNumber(field: "numwant", value: text)
                }
                numWant = Int(number)
            }
        }
        var key: UInt32?
        if let value = values["key"] { key = try Self.parseKey(value) }
        let trackerID = try values["trackerid"].map { (bytes) throws(TrackerProtocolError) in
            try Self.limited("trackerid", bytes)
        }
        let ip = try values["ip"].map { (bytes) throws(TrackerProtocolError) in
            Self.text(try Self.limited("ip", bytes))
        }
        try self.init(
            infoHash: infoHash, peerID: peerID, port: port, uploaded: uploaded, downloaded: downloaded, left: left,
            event: event, compact: compact, numWant: numWant, key: key, trackerID: trackerID, ip: ip)
    }

    private static let queryFieldNames: Set<String> = [
        "info_hash", "peer_id", "port", "uploaded", "downloaded", "left", "event", "compact", "numwant", "key",
        "trackerid", "ip",
    ]

    static func keyText(_ key: UInt32) -> String {
        let hex = String(key, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    private static func parseKey(_ bytes: [UInt8]) throws(TrackerProtocolError) -> UInt32 {
        let bytes = try limited("key", bytes)
        if (1...8).contains(bytes.count), bytes.allSatisfy({ HexDigit.value($0) != nil }) {
            return bytes.reduce(0) { $0 << 4 | UInt32(HexDigit.value($1)!) }
        }
        // FNV-1a, 32-bit.
        return bytes.reduce(0x811C_9DC5 as UInt32) { ($0 ^ UInt32($1)) &* 0x0100_0193 }
    }

    private static func count(_ name: String, _ bytes: [UInt8]) throws(TrackerProtocolError) -> Int64 {
        let text = text(bytes)
        guard isDecimal(text), let value = Int64(text) else { throw .badNumber(field: name, value: text) }
        return value
    }

    private static func limited(_ name: String, _ bytes: [UInt8]) throws(TrackerProtocolError) -> [UInt8] {
        guard bytes.count <= TrackerLimits.maximumTextFieldLength else {
            throw .fieldTooLong(field: name, length: bytes.count, limit: TrackerLimits.maximumTextFieldLength)
        }
        return bytes
    }

    /// Digits only: `Int64("+5")` would accept a sign, which no client sends.
    static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
