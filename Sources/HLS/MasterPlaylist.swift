/// An RFC 8216 multivariant ("master") playlist: the variant streams a player chooses between.
public struct MasterPlaylist: Sendable, Equatable, Hashable {
    /// `EXT-X-VERSION`; a parsed playlist without the tag has version 1.
    public var version: Int
    /// `EXT-X-INDEPENDENT-SEGMENTS`: every segment of every variant starts with a keyframe.
    public var independentSegments: Bool
    public var variants: [VariantStream]

    public init(version: Int = 7, independentSegments: Bool = true, variants: [VariantStream]) {
        self.version = version
        self.independentSegments = independentSegments
        self.variants = variants
    }
}
