import TorrentModel

extension LSDAnnouncement {
    /// Reads one datagram. Strict where it matters and tolerant like libtorrent elsewhere: the method must be
    /// `BT-SEARCH` (any case); header names are matched in any case and order; lines end in CRLF or LF;
    /// headers other than `Port`, `Infohash` and `cookie` (`Host` included) and lines without a colon are
    /// skipped; the headers end at the first empty line or the end of the packet. `Port` must be 1–65535
    /// (the first one counts). `Infohash` values that are not 40 hex digits, the all-zero infohash and
    /// repeats are skipped; more `Infohash` lines than the limit refuse the packet, as does a packet longer
    /// than `LSDLimits.maximumPacketSize` (not read at all).
    public static func decode(_ packet: some Collection<UInt8>) throws(LSDDecodingError) -> LSDAnnouncement {
        guard packet.count <= LSDLimits.maximumPacketSize else {
            throw .packetTooLarge(size: packet.count, limit: LSDLimits.maximumPacketSize)
        }
        let lines = Self.lines(Array(packet))
        let requestLine = lines.first ?? []
        let method = requestLine.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard Self.lowercased(method) == Array("bt-search".utf8) else {
            throw .notBTSearch(method: Self.show(method.isEmpty ? requestLine : method))
        }

        var portValue: ArraySlice<UInt8>?
        var infoHashes: [InfoHash] = []
        var seen: Set<InfoHash> = []
        var infoHashLines = 0
        var cookie: String?
        for line in lines.dropFirst() {
            if Self.trimmed(line).isEmpty { break }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let value = Self.trimmed(line[(colon + 1)...])
            switch Self.lowercased(Self.trimmed(line[..<colon])) {
            case Array("port".utf8):
                if portValue == nil { portValue = value }
            case Array("infohash".utf8):
                infoHashLines += 1
                guard value.count == 2 * InfoHash.byteCount,
                    let bytes = Hex.decode(String(decoding: value, as: UTF8.self)),
                    bytes.contains(where: { $0 != 0 }), let infoHash = InfoHash(bytes: bytes),
                    seen.insert(infoHash).inserted
                else { continue }
                infoHashes.append(infoHash)
            case Array("cookie".utf8):
                if cookie == nil, !value.isEmpty, value.count <= LSDLimits.maximumCookieLength {
                    cookie = String(decoding: value, as: UTF8.self)
                }
            default:
                continue
            }
        }

        guard infoHashLines <= LSDLimits.maximumInfoHashesPerAnnouncement else {
            throw .tooManyInfoHashes(count: infoHashLines, limit: LSDLimits.maximumInfoHashesPerAnnouncement)
        }
        guard let portValue else { throw .missingPort }
        guard let port = Self.port(portValue) else { throw .invalidPort(Self.show(portValue)) }
        guard !infoHashes.isEmpty else { throw .noInfoHash }
        return LSDAnnouncement(port: port, infoHashes: infoHashes, cookie: cookie)
    }

    /// The packet cut at each LF, a CR before it removed.
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }

    /// Without spaces and tabs at either end.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }) else { return [] }
        let last = bytes.lastIndex(where: { !isBlank($0) })!
        return bytes[first...last]
    }

    /// ASCII letters in lowercase, other bytes as they are.
    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
    }

    /// 1–5 decimal digits of a number from 1 to 65535.
    private static func port(_ digits: ArraySlice<UInt8>) -> UInt16? {
        guard (1...5).contains(digits.count),
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (1...Int(UInt16.max)).contains(value) ? UInt16(value) : nil
    }

    /// Printable ASCII as text, anything else as \xNN, at most 32 bytes: for one readable log line.
    static func show(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        for byte in bytes.prefix(32) {
            if byte >= 0x20 && byte < 0x7F {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}
