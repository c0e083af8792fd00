/// One `#EXT-X-STREAM-INF` entry of a master playlist and the URI of its media playlist.
public struct VariantStream: Sendable, Equatable, Hashable {
    /// The media playlist, relative to the master playlist.
    public var uri: String
    /// Peak segment bit rate in bits per second (`BANDWIDTH`, required).
    public var bandwidth: Int
    /// Average segment bit rate in bits per second (`AVERAGE-BANDWIDTH`).
    public var averageBandwidth: Int?
    /// RFC 6381 codec strings (`CODECS`), e.g. `["avc1.64001f", "mp4a.40.2"]`; empty when unknown.
    public var codecs: [String]
    public var resolution: Resolution?
    /// Frames per second (`FRAME-RATE`); written with three decimals.
    public var frameRate: Double?

    public init(
        uri: String, bandwidth: Int, averageBandwidth: Int? = nil, codecs: [String] = [],
        resolution: Resolution? = nil, frameRate: Double? = nil
    ) {
        self.uri = uri
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
        self.codecs = codecs
        self.resolution = resolution
        self.frameRate = frameRate
    }
}
