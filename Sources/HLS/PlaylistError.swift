/// Why a playlist was rejected. Each case says where (a 1-based line number) and what is wrong; tag names
/// are stored without their leading `#`.
public enum PlaylistError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: The text itself

    case tooLarge(bytes: Int, limit: Int)
    case lineTooLong(line: Int, bytes: Int, limit: Int)
    case invalidUTF8(line: Int)
    /// RFC 8216 §4.1 forbids control characters other than the line ends; `scalar` is the character's code.
    case controlCharacter(line: Int, scalar: UInt32)
    case byteOrderMark
    case missingHeader

    // MARK: Tags and their values

    /// A tag that may appear once appeared again.
    case duplicateTag(line: Int, tag: String, firstLine: Int)
    case missingValue(line: Int, tag: String)
    case badValue(line: Int, tag: String, value: String, expected: String)
    case badAttributeList(line: Int, tag: String, AttributeListError)
    case missingAttribute(line: Int, tag: String, attribute: String)
    case badAttribute(line: Int, tag: String, attribute: String, value: String, expected: String)

    // MARK: Structure

    /// An `EXTINF` or `EXT-X-STREAM-INF` not followed by a URI line before the next such tag or the end.
    case missingURI(line: Int, tag: String)
    /// A URI line with no `EXTINF` (media) or `EXT-X-STREAM-INF` (master) before it.
    case uriWithoutTag(line: Int, tag: String)
    case missingTargetDuration
    /// `duration` as written in the playlist.
    case durationExceedsTarget(line: Int, duration: String, target: Int)
    /// A tag of one kind of playlist (`tag`) in a playlist that already has one of the other (`firstTag`).
    case mixedPlaylistKinds(line: Int, tag: String, firstLine: Int, firstTag: String)
    /// A feature used on `line` needs a higher `EXT-X-VERSION` than declared (nil: none, which means 1).
    case versionTooLow(line: Int, feature: String, required: Int, declared: Int?)
    case segmentAfterEndList(line: Int, endListLine: Int)

    // MARK: Reading into a model

    /// A media playlist was expected and `tag` makes this a master playlist, or the other way round.
    case wrongKind(line: Int, tag: String, found: PlaylistKind)
    case noVariants
    /// Valid HLS that Shoal's models cannot represent.
    case unsupported(line: Int, feature: String)

    /// The line the problem is on, if it is on one.
    public var line: Int? {
        switch self {
        case .tooLarge, .byteOrderMark, .missingTargetDuration, .noVariants: return nil
        case .missingHeader: return 1
        case .lineTooLong(let line, _, _), .invalidUTF8(let line), .controlCharacter(let line, _),
            .duplicateTag(let line, _, _), .missingValue(let line, _), .badValue(let line, _, _, _),
            .badAttributeList(let line, _, _), .missingAttribute(let line, _, _),
            .badAttribute(let line, _, _, _, _), .missingURI(let line, _), .uriWithoutTag(let line, _),
            .durationExceedsTarget(let line, _, _), .mixedPlaylistKinds(let line, _, _, _),
            .versionTooLow(let line, _, _, _), .segmentAfterEndList(let line, _), .wrongKind(let line, _, _),
            .unsupported(let line, _):
            return line
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): return "playlist is \(bytes) bytes, more than the limit of \(limit)"
        case .lineTooLong(let line, let bytes, let limit):
            return "line \(line): \(bytes) bytes long, more than the limit of \(limit)"
        case .invalidUTF8(let line): return "line \(line): not valid UTF-8"
        case .controlCharacter(let line, let scalar): return "line \(line): control character \(Self.codePoint(scalar))"
        case .byteOrderMark: return "playlist starts with a byte order mark, which RFC 8216 forbids"
        case .missingHeader: return "missing #EXTM3U on the first line"
        case .duplicateTag(let line, let tag, let firstLine):
            return "line \(line): #\(tag) appears again (first on line \(firstLine))"
        case .missingValue(let line, let tag): return "line \(line): #\(tag) without a value"
        case .badValue(let line, let tag, let value, let expected):
            return "line \(line): #\(tag) value '\(value)' is not \(expected)"
        case .badAttributeList(let line, let tag, let reason): return "line \(line): #\(tag): \(reason)"
        case .missingAttribute(let line, let tag, let attribute): return "line \(line): #\(tag) without \(attribute)"
        case .badAttribute(let line, let tag, let attribute, let value, let expected):
            return "line \(line): \(attribute)=\(value) in #\(tag) is not \(expected)"
        case .missingURI(let line, let tag): return "line \(line): #\(tag) without a URI"
        case .uriWithoutTag(let line, let tag): return "line \(line): URI without a #\(tag) before it"
        case .missingTargetDuration: return "media playlist without #EXT-X-TARGETDURATION"
        case .durationExceedsTarget(let line, let duration, let target):
            return "line \(line): EXTINF duration \(duration) exceeds EXT-X-TARGETDURATION \(target)"
        case .mixedPlaylistKinds(let line, let tag, let firstLine, let firstTag):
            let kind = PlaylistKind(tag: tag).map { "\($0) tag " } ?? ""
            let firstKind = PlaylistKind(tag: firstTag).map { "a \($0)" } ?? "a playlist"
            return "line \(line): \(kind)#\(tag) in \(firstKind) (#\(firstTag) on line \(firstLine))"
        case .versionTooLow(let line, let feature, let required, let declared):
            let declaration = declared.map { "declares \($0)" } ?? "declares none (version 1)"
            return "line \(line): \(feature) needs EXT-X-VERSION \(required) or later, but the playlist \(declaration)"
        case .segmentAfterEndList(let line, let endListLine):
            return "line \(line): #EXTINF after #EXT-X-ENDLIST on line \(endListLine)"
        case .wrongKind(let line, let tag, let found):
            let expected: PlaylistKind = found == .media ? .master : .media
            return "line \(line): #\(tag) makes this a \(found), not a \(expected)"
        case .noVariants: return "master playlist without #EXT-X-STREAM-INF"
        case .unsupported(let line, let feature): return "line \(line): \(feature) is not supported"
        }
    }

    /// `text` cut to a length fit for a one-line message; playlists from peers may hold anything.
    static func excerpt(_ text: some StringProtocol) -> String {
        guard text.count > PlaylistLimits.maximumQuotedCharacters else { return String(text) }
        return String(text.prefix(PlaylistLimits.maximumQuotedCharacters)) + "…"
    }

    private static func codePoint(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
