/// Why a magnet link was refused.
public enum MagnetError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAMagnet
    case missingInfoHash
    case badInfoHash(String)
    case conflictingInfoHashes
    case onlyV2Hash
    case badPercentEncoding(String)
    case badPeer(String)
    case badFileSelection(String)
    case emptyValue(String)

    public var description: String {
        switch self {
        case .notAMagnet: return "not a magnet link: it must start with 'magnet:?'"
        case .missingInfoHash: return "magnet link has no 'xt=urn:btih:' infohash"
        case .badInfoHash(let text):
            return "magnet infohash '\(text)' is neither 40 hex digits nor 32 base32 characters"
        case .conflictingInfoHashes: return "magnet link names two different v1 infohashes"
        case .onlyV2Hash: return "magnet link has only a v2 infohash (btmh); Shoal speaks BitTorrent v1"
        case .badPercentEncoding(let text): return "bad percent-encoding in magnet parameter '\(text)'"
        case .badPeer(let text): return "magnet peer 'x.pe=\(text)' is not host:port"
        case .badFileSelection(let text):
            return "magnet file selection 'so=\(text)' is not a list of indices and ranges"
        case .emptyValue(let key): return "magnet parameter '\(key)' is empty"
        }
    }
}

extension MagnetLink {
    /// The most files a `so=` selection may expand to (ranges included), so a hostile link stays small.
    public static let maximumSelectedFiles = 100_000

    /// Parses a magnet URI. Unknown parameters are ignored, as other clients do; known ones must be well formed.
    public init(parsing text: String) throws(MagnetError) {
        let trimmed = text.trimmingWhitespace
        guard trimmed.lowercased().hasPrefix("magnet:?") else { throw .notAMagnet }
        let query = trimmed.dropFirst("magnet:?".count)

        var infoHash: InfoHash?
        var sawV2Hash = false
        var displayName: String?
        var trackers: [String] = []
        var peers: [PeerAddress] = []
        var webSeeds: [String] = []
        var selectedFiles: [Int]?

        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).lowercased()
            guard let value = Self.percentDecode(parts.count > 1 ? parts[1] : "") else {
                throw .badPercentEncoding(String(pair))
            }
            switch key {
            case "xt":
                let lowered = value.lowercased()
                if lowered.hasPrefix("urn:btih:") {
                    let hashText = String(value.dropFirst("urn:btih:".count))
                    guard let parsed = InfoHash(hashText) else { throw .badInfoHash(hashText) }
                    if let infoHash, infoHash != parsed { throw .conflictingInfoHashes }
                    infoHash = parsed
                } else if lowered.hasPrefix("urn:btmh:") {
                    sawV2Hash = true
                }
            case "dn":
                displayName = value
            case "tr":
                guard !value.isEmpty else { throw .emptyValue("tr") }
                if !trackers.contains(value) { trackers.append(value) }
            case "x.pe":
                guard let peer = PeerAddress(value) else { throw .badPeer(value) }
                peers.append(peer)
            case "ws":
                guard !value.isEmpty else { throw .emptyValue("ws") }
                webSeeds.append(value)
            case "so":
                guard let files = Self.parseSelection(value) else { throw .badFileSelection(value) }
                selectedFiles = files
            default:
                continue
            }
        }
        guard let infoHash else { throw sawV2Hash ? .onlyV2Hash : .missingInfoHash }
        self.init(
            infoHash: infoHash, displayName: displayName, trackers: trackers, peers: peers, webSeeds: webSeeds,
            selectedFiles: selectedFiles)
    }

    /// The URI: hex infohash first, then name, trackers, web seeds, peers and selection.
    public var uri: String {
        var parts = ["xt=urn:btih:\(infoHash.hex)"]
        if let displayName { parts.append("dn=\(Self.percentEncode(displayName))") }
        parts += trackers.map { "tr=\(Self.percentEncode($0))" }
        parts += webSeeds.map { "ws=\(Self.percentEncode($0))" }
        parts += peers.map { "x.pe=\(Self.percentEncode($0.description))" }
        if let selectedFiles { parts.append("so=\(Self.formatSelection(selectedFiles))") }
        return "magnet:?" + parts.joined(separator: "&")
    }

    /// `0,2,4-6` → [0, 2, 4, 5, 6]; nil when malformed, descending or too large.
    static func parseSelection(_ text: String) -> [Int]? {
        var files: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
                let low = Int(bounds[0]),
                let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low,
                // No torrent has more files than this, and it keeps `index + 1` from overflowing.
                high < TorrentLimits.maximumFileCount,
                // Cannot overflow: 0 <= low <= high.
                high - low < maximumSelectedFiles - files.count
            else { return nil }
            files.append(contentsOf: low...high)
        }
        return files
    }

    static func formatSelection(_ files: [Int]) -> String {
        var items: [String] = []
        var index = 0
        while index < files.count {
            var end = index
            while end + 1 < files.count && files[end + 1] == files[end] + 1 { end += 1 }
            items.append(end > index ? "\(files[index])-\(files[end])" : "\(files[index])")
            index = end + 1
        }
        return items.joined(separator: ",")
    }

    /// Characters that stay as they are in a query value (RFC 3986 unreserved, plus `:` and `/`,
    /// which are safe there and keep tracker URLs readable).
    private static func percentEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    /// Decodes `%XX` escapes; `+` stays a plus, as in other BitTorrent clients. Nil when an escape is
    /// malformed or the result is not UTF-8.
    private static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value)
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: Substring {
        let scalars = self[...]
        guard let first = scalars.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isWhitespace })!
        return Substring(scalars[first...last])
    }
}

extension Character {
    /// Only 0–9: `Int("+1")` would accept a sign.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
