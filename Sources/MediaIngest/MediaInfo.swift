/// What a probe learned of a media file: the container and its streams. Plain values, no FFmpeg types.
public struct MediaInfo: Sendable, Equatable {
    public var path: String
    /// libavformat's name for the demuxer, e.g. "matroska,webm".
    public var container: String
    /// Seconds; nil when neither the container nor the streams say.
    public var duration: Double?
    /// Seconds of the earliest timestamp.
    public var startTime: Double
    public var bitRate: Int?
    public var streams: [StreamInfo]
    /// Seconds (stream time) of the key frames of the chosen video stream, ascending.
    public var videoKeyFrames: [Double]

    public init(
        path: String, container: String, duration: Double?, startTime: Double, bitRate: Int?, streams: [StreamInfo],
        videoKeyFrames: [Double]
    ) {
        self.path = path
        self.container = container
        self.duration = duration
        self.startTime = startTime
        self.bitRate = bitRate
        self.streams = streams
        self.videoKeyFrames = videoKeyFrames
    }
}

/// One stream of a media file.
public struct StreamInfo: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case video, audio, subtitle, data, attachment, unknown
    }

    /// The stream's index in the file.
    public var index: Int
    public var kind: Kind
    /// libavcodec's short name, e.g. "h264", "aac", "mpeg2video", "mp2".
    public var codec: String
    /// libavcodec's profile number (FF_PROFILE_*), or nil when unknown.
    public var profile: Int?
    public var width: Int
    public var height: Int
    /// e.g. "yuv420p"; nil for audio or when unknown.
    public var pixelFormat: String?
    /// Frames per second, or nil when unknown.
    public var frameRate: Double?
    public var sampleRate: Int
    public var channels: Int
    public var bitRate: Int?
    public var isDefault: Bool
    /// Cover art and thumbnails: a video stream of one picture.
    public var isAttachedPicture: Bool
    public var language: String?
    /// Codec configuration (avcC, AudioSpecificConfig, ...), as the container carries it.
    public var extradata: [UInt8]

    public init(
        index: Int, kind: Kind, codec: String, profile: Int? = nil, width: Int = 0, height: Int = 0,
        pixelFormat: String? = nil, frameRate: Double? = nil, sampleRate: Int = 0, channels: Int = 0,
        bitRate: Int? = nil, isDefault: Bool = false, isAttachedPicture: Bool = false, language: String? = nil,
        extradata: [UInt8] = []
    ) {
        self.index = index
        self.kind = kind
        self.codec = codec
        self.profile = profile
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.frameRate = frameRate
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
        self.isDefault = isDefault
        self.isAttachedPicture = isAttachedPicture
        self.language = language
        self.extradata = extradata
    }

    /// "stream 1 (mpeg2video)": how errors and summaries name a stream.
    public var label: String { "stream \(index) (\(codec))" }
}
