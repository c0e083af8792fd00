extension MasterPlaylist {
    /// Reads a master playlist. The text must pass every rule of `PlaylistRules` and name at least one
    /// variant; attributes and tags Shoal does not model (`AUDIO`, `EXT-X-MEDIA`, ...) are skipped.
    public init(parsing text: String) throws(PlaylistError) {
        try self.init(checked: PlaylistRules.checked(PlaylistScanner.lines(of: text), as: .master))
    }

    /// Reads a master playlist from bytes, which must be UTF-8.
    public init(parsing bytes: [UInt8]) throws(PlaylistError) {
        try self.init(checked: PlaylistRules.checked(PlaylistScanner.lines(of: bytes), as: .master))
    }

    private init(checked: CheckedPlaylist) throws(PlaylistError) {
        self.init(version: 1, independentSegments: false, variants: [])
        var pending: VariantStream?
        for entry in checked.entries {
            switch entry.item {
            case .uri(let uri):
                // The rules guarantee an EXT-X-STREAM-INF before every URI line.
                if var variant = pending {
                    variant.uri = uri
                    variants.append(variant)
                }
                pending = nil
            case .tag(.streamInfo(let variant)): pending = variant
            case .tag(.version(let value)): version = value
            case .tag(.independentSegments): independentSegments = true
            case .tag: break
            }
        }
        guard !variants.isEmpty else { throw .noVariants }
    }
}
