/// A magnet URI for a BitTorrent v1 swarm: `magnet:?xt=urn:btih:<hash>` with optional
/// `dn` (name), `tr` (trackers), `x.pe` (peers), `ws` (web seeds) and `so` (BEP 53 file selection).
public struct MagnetLink: Hashable, Sendable {
    public var infoHash: InfoHash
    public var displayName: String?
    public var trackers: [String]
    /// Peer addresses as given, `host:port` or `[v6]:port`.
    public var peers: [PeerAddress]
    public var webSeeds: [String]
    /// BEP 53: the file indices to download, when the link names them.
    public var selectedFiles: [Int]?

    public init(
        infoHash: InfoHash, displayName: String? = nil, trackers: [String] = [], peers: [PeerAddress] = [],
        webSeeds: [String] = [], selectedFiles: [Int]? = nil
    ) {
        self.infoHash = infoHash
        self.displayName = displayName
        self.trackers = trackers
        self.peers = peers
        self.webSeeds = webSeeds
        self.selectedFiles = selectedFiles
    }
}

/// A peer's address as text: a host name, IPv4 or IPv6 address, and a port.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `a.b.c.d:port` or `[v6]:port`; port 1–65535.
    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { return nil }
            portPart = rest.dropFirst()
            guard hostPart.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard !hostPart.contains(":") else { return nil }
        }
        let hostAllowed = hostPart.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
                || $0 == ":"
        }
        guard !hostPart.isEmpty, hostAllowed, !portPart.isEmpty, portPart.allSatisfy(\.isASCIIDigit),
            let port = UInt16(portPart), port > 0
        else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
