/// What a torrent is doing, as the API shows it: a short lowercase phrase. Open, like an identifier:
/// a later node may report states this version does not name, and clients show those as they are.
public struct TorrentState: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Fetching pieces.
    public static let downloading = TorrentState(rawValue: "downloading")
    /// Has every wanted piece and serves them.
    public static let seeding = TorrentState(rawValue: "seeding")
    /// Stopped by the user.
    public static let paused = TorrentState(rawValue: "paused")
    /// Re-checking its data against the piece hashes.
    public static let checking = TorrentState(rawValue: "checking")
    /// Waiting for its turn to run.
    public static let queued = TorrentState(rawValue: "queued")
    /// A magnet link waiting for the torrent's metadata from peers (BEP 9).
    public static let fetchingMetadata = TorrentState(rawValue: "fetching metadata")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
