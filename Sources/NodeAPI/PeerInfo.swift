/// One connected peer of a torrent in ``TorrentDetail``.
public struct PeerInfo: Codable, Equatable, Sendable {
    /// `host:port`, or `[v6]:port`.
    public var address: String
    /// The client the peer names in its BEP 10 handshake (`v`), or decoded from its peer ID; null when unknown.
    public var client: String?
    /// Bytes per second from this peer.
    public var downloadRate: Int64
    /// Bytes per second to this peer.
    public var uploadRate: Int64
    /// How we learned of the peer: `tracker`, `dht`, `pex`, `lsd`, `manual` or `incoming`; absent when unknown.
    public var source: String?

    public init(
        address: String, client: String? = nil, downloadRate: Int64 = 0, uploadRate: Int64 = 0, source: String? = nil
    ) {
        self.address = address
        self.client = client
        self.downloadRate = downloadRate
        self.uploadRate = uploadRate
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case address, client, downloadRate, uploadRate, source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(String.self, forKey: .address)
        client = try container.decodeIfPresent(String.self, forKey: .client)
        downloadRate = try container.decode(Int64.self, forKey: .downloadRate)
        uploadRate = try container.decode(Int64.self, forKey: .uploadRate)
        source = try container.decodeIfPresent(String.self, forKey: .source)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        if let client {
            try container.encode(client, forKey: .client)
        } else {
            try container.encodeNil(forKey: .client)
        }
        try container.encode(downloadRate, forKey: .downloadRate)
        try container.encode(uploadRate, forKey: .uploadRate)
        try container.encodeIfPresent(source, forKey: .source)
    }
}
