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
        // The tracker's hot path: one copy of the query, slices into it, and text only for error messages.
        let bytes = Array(query.utf8)
        guard bytes.count <= TrackerLimits.maximumQueryLength else {
            throw .queryTooLong(length: bytes.count, limit: TrackerLimits.maximumQueryLength)
        }
        var values = [ArraySlice<UInt8>?](repeating: nil, count: QueryField.allCases.count)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            defer { start = end + 1 }
            guard end > start else { continue }
            let piece = bytes[start..<end]
            let equals = piece.firstIndex(of: UInt8(ascii: "=")) ?? end
            let rawName = bytes[start..<equals]
            let rawValue = equals < end ? bytes[(equals + 1)..<end] : []
            guard let field = try QueryField(rawName: rawName) else {
                // Unknown fields are ignored, but must still be well-formed.
                guard !rawValue.contains(UInt8(ascii: "%")) || QueryString.percentDecode(rawValue) != nil else {
                    throw .badPercentEncoding(field: Self.text(rawName))
                }
                continue
            }
            guard values[field.rawValue] == nil else { throw .duplicateField(field.name) }
            if rawValue.contains(UInt8(ascii: "%")) {
                guard let decoded = QueryString.percentDecode(rawValue) else {
                    throw .badPercentEncoding(field: field.name)
                }
                values[field.rawValue] = decoded[...]
            } else {
                values[field.rawValue] = rawValue
            }
        }
        func required(_ field: QueryField) throws(TrackerProtocolError) -> ArraySlice<UInt8> {
            guard let value = values[field.rawValue] else { throw .missingField(field.name) }
            return value
        }
        let infoHashBytes = try required(.infoHash)
        guard let infoHash = InfoHash(bytes: Array(infoHashBytes)) else {
            throw .badInfoHashLength(infoHashBytes.count)
        }
        let peerID = try required(.peerID)
        guard peerID.count == TrackerLimits.peerIDSize else { throw .badPeerIDLength(peerID.count) }
        let portBytes = try required(.port)
        guard let port = Self.decimal(portBytes).flatMap({ UInt16(exactly: $0) }), port > 0 else {
            throw .badPort(Self.text(portBytes))
        }
        let uploaded = try Self.count(.uploaded, try required(.uploaded))
        let downloaded = try Self.count(.downloaded, try required(.downloaded))
        let left = try Self.count(.left, try required(.left))

        var event = AnnounceEvent.none
        if let value = values[QueryField.event.rawValue] {
            guard let parsed = AnnounceEvent(queryValue: Self.text(value)) else { throw .badEvent(Self.text(value)) }
            event = parsed
        }
        var compact = false
        if let value = values[QueryField.compact.rawValue] {
            switch Self.text(value) {
            case "0": compact = false
            case "1": compact = true
            default: throw .badFlag(field: "compact", value: Self.text(value))
            }
        }
        var numWant: Int?
        // Some clients send -1 for "the tracker's default", as in UDP.
        if let value = values[QueryField.numWant.rawValue], value.elementsEqual("-1".utf8) == false {
            guard let number = Self.decimal(value), number <= Int64(Int32.max) else {
                throw .badNumber(field: "numwant", value: Self.text(value))
            }
            numWant = Int(number)
        }
        var key: UInt32?
        if let value = values[QueryField.key.rawValue] { key = try Self.parseKey(Array(value)) }
        let trackerID = try values[QueryField.trackerID.rawValue].map { (bytes) throws(TrackerProtocolError) in
            try Self.limited("trackerid", Array(bytes))
        }
        let ip = try values[QueryField.ip.rawValue].map { (bytes) throws(TrackerProtocolError) in
            Self.text(try Self.limited("ip", Array(bytes)))
        }
        try self.init(
            infoHash: infoHash, peerID: Array(peerID), port: port, uploaded: uploaded, downloaded: downloaded,
            left: left, event: event, compact: compact, numWant: numWant, key: key, trackerID: trackerID, ip: ip)
    }

    /// The fields this model reads; others (`no_peer_id`, `supportcrypto`, …) are skipped.
    private enum QueryField: Int, CaseIterable {
        case infoHash, peerID, port, uploaded, downloaded, left, event, compact, numWant, key, trackerID, ip

        var name: String {
            switch self {
            case .infoHash: return "info_hash"
            case .peerID: return "peer_id"
            case .port: return "port"
            case .uploaded: return "uploaded"
            case .downloaded: return "downloaded"
            case .left: return "left"
            case .event: return "event"
            case .compact: return "compact"
            case .numWant: return "numwant"
            case .key: return "key"
            case .trackerID: return "trackerid"
            case .ip: return "ip"
            }
        }

        private static let byName: [[UInt8]: QueryField] = Dictionary(
            uniqueKeysWithValues: allCases.map { (Array($0.name.utf8), $0) })

        /// Nil for a field this model does not read; a name with bad percent-encoding is an error.
        init?(rawName: ArraySlice<UInt8>) throws(TrackerProtocolError) {
            var name = rawName
            if rawName.contains(UInt8(ascii: "%")) {
                guard let decoded = QueryString.percentDecode(rawName) else {
                    throw .badPercentEncoding(field: AnnounceRequest.text(rawName))
                }
                name = decoded[...]
            }
            guard name.count <= 10, let field = Self.byName[Array(name)] else { return nil }
            self = field
        }
    }

    /// Digits only, as a non-negative number; nil for anything else (a sign, a space, an overflow).
    private static func decimal(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func count(_ field: QueryField, _ bytes: ArraySlice<UInt8>) throws(TrackerProtocolError) -> Int64 {
        guard let value = decimal(bytes) else { throw .badNumber(field: field.name, value: text(bytes)) }
        return value
    }

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

    private static func limited(_ name: String, _ bytes: [UInt8]) throws(TrackerProtocolError) -> [UInt8] {
        guard bytes.count <= TrackerLimits.maximumTextFieldLength else {
            throw .fieldTooLong(field: name, length: bytes.count, limit: TrackerLimits.maximumTextFieldLength)
        }
        return bytes
    }

    static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
