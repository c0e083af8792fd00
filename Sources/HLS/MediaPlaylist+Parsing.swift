extension MediaPlaylist {
    /// Reads a media playlist. The text must pass every rule of `PlaylistRules`; URIs are kept as written
    /// (relative ones stay relative), unknown tags and comments are skipped.
    public init(parsing text: String) throws(PlaylistError) {
        try self.init(checked: PlaylistRules.checked(PlaylistScanner.lines(of: text), as: .media))
    }

    /// Reads a media playlist from bytes, which must be UTF-8.
    public init(parsing bytes: [UInt8]) throws(PlaylistError) {
        try self.init(checked: PlaylistRules.checked(PlaylistScanner.lines(of: bytes), as: .media))
    }

    private init(checked: CheckedPlaylist) throws(PlaylistError) {
        self.init(version: 1, targetDuration: 0)
        var pending: (duration: Double, title: String?)?
        for entry in checked.entries {
            switch entry.item {
            case .uri(let uri):
                // The rules guarantee an EXTINF before every URI line.
                if let info = pending {
                    segments.append(MediaSegment(duration: info.duration, uri: uri, title: info.title))
                }
                pending = nil
            case .tag(.segmentInfo(let duration, _, _, let title)): pending = (duration, title)
            case .tag(.version(let value)): version = value
            case .tag(.targetDuration(let value)): targetDuration = value
            case .tag(.mediaSequence(let value)): mediaSequence = value
            case .tag(.playlistType(let value)): playlistType = value
            case .tag(.independentSegments): independentSegments = true
            case .tag(.endList): endList = true
            case .tag(.map(let section)):
                // Valid HLS, but one `map` cannot say which segments each section applies to.
                if map != nil {
                    throw .unsupported(line: entry.line, feature: "a second #EXT-X-MAP")
                }
                if !segments.isEmpty || pending != nil {
                    throw .unsupported(line: entry.line, feature: "#EXT-X-MAP after the first segment")
                }
                map = section
            case .tag: break
            }
        }
    }
}
