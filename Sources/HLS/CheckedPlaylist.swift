/// A playlist's lines with their tags decoded, and what `PlaylistRules` found wrong with them. The models
/// are built from the entries only when `violations` is empty.
struct CheckedPlaylist: Sendable {
    enum Item: Sendable, Equatable {
        case tag(PlaylistTag)
        case uri(String)
    }

    struct Entry: Sendable, Equatable {
        var line: Int
        var item: Item
    }

    /// Decoded tags (unknown ones left out) and URI lines, in order.
    var entries: [Entry] = []
    /// The kind the tags make this playlist, and the first tag that decided it; nil if no tag did.
    var kind: (kind: PlaylistKind, line: Int, tag: String)?
    /// Sorted by line; at most `PlaylistLimits.maximumViolations`.
    var violations: [PlaylistError] = []
}
