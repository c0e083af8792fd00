/// An RFC 8216 media playlist: the segments of one rendition, in playback order.
public struct MediaPlaylist: Sendable, Equatable, Hashable {
    /// `EXT-X-VERSION`; a parsed playlist without the tag has version 1.
    public var version: Int
    /// `EXT-X-TARGETDURATION`, whole seconds.
    public var targetDuration: Int
    /// `EXT-X-MEDIA-SEQUENCE`: the sequence number of the first segment.
    public var mediaSequence: Int
    public var playlistType: PlaylistType?
    /// `EXT-X-INDEPENDENT-SEGMENTS`: every segment starts with a keyframe.
    public var independentSegments: Bool
    /// `EXT-X-MAP`: the initialization section all segments need.
    public var map: MediaInitializationSection?
    public var segments: [MediaSegment]
    /// `EXT-X-ENDLIST`: no segment will be added.
    public var endList: Bool

    public init(
        version: Int = 7, targetDuration: Int, mediaSequence: Int = 0, playlistType: PlaylistType? = nil,
        independentSegments: Bool = false, map: MediaInitializationSection? = nil, segments: [MediaSegment] = [],
        endList: Bool = false
    ) {
        self.version = version
        self.targetDuration = targetDuration
        self.mediaSequence = mediaSequence
        self.playlistType = playlistType
        self.independentSegments = independentSegments
        self.map = map
        self.segments = segments
        self.endList = endList
    }

    /// The playlist Shoal writes for a finished CMAF rendition: version 7 (`EXT-X-MAP` needs 6), VOD,
    /// independent segments (the segmenter cuts at keyframes), the init section, and the end tag.
    public static func video(segments: [MediaSegment], mapURI: String) -> MediaPlaylist {
        MediaPlaylist(
            version: 7, targetDuration: targetDuration(for: segments), mediaSequence: 0, playlistType: .vod,
            independentSegments: true, map: MediaInitializationSection(uri: mapURI), segments: segments,
            endList: true)
    }

    /// The target duration for `segments`: the longest duration rounded up to whole seconds, at least 1.
    ///
    /// RFC 8216 §4.3.3.1 only asks that each duration rounded to the *nearest* integer be at most the target;
    /// rounding the longest one *up* satisfies that and is what players expect (a 4.2 s segment means
    /// target 5). Durations are written in microseconds, so one within a microsecond above a whole second
    /// (4.000000001 from floating-point noise) counts as that second rather than pushing the target up by one.
    /// A target of 0 would be legal for an empty playlist, but players use it as a reload interval.
    public static func targetDuration(for segments: [MediaSegment]) -> Int {
        var target = 1
        for segment in segments {
            let seconds: Int
            // The same rounding as the rendered text, so the target always matches what is written.
            if let written = DecimalText.fixedPoint(segment.duration, decimals: 6) {
                seconds = written.negative ? 0 : written.whole + (written.fraction <= 1 ? 0 : 1)
            } else {
                seconds = DecimalText.ceilingClamped(segment.duration)
            }
            target = max(target, seconds)
        }
        return target
    }
}
