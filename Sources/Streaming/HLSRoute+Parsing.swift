import TorrentModel

extension HLSRoute {
    /// Reads a request path as sent, percent-encoded (Hummingbird's `request.uri.path`); anything from the first
    /// `?` or `#` on is dropped.
    ///
    /// - The infohash is 40 hex digits or 32 base32 characters, in either case (`InfoHash.init(_:)`).
    /// - Each component of a file path is percent-decoded on its own (UTF-8), then refused when it is empty
    ///   (`//`, a trailing `/`), `.` or `..`, holds an encoded `/` (`%2F`), NUL, a backslash or another control
    ///   character, or is longer than `HTTPServingLimits.maximumPathComponentBytes`. So no accepted path can
    ///   climb out of the torrent's folder, however it is encoded.
    /// - The whole path may be at most `HTTPServingLimits.maximumRequestPathBytes` long and have at most
    ///   `HTTPServingLimits.maximumPathComponents` components below the infohash.
    /// - `/watch/<infohash>` may end in one `/`.
    ///
    /// Whether the torrent and the file exist is the caller's question (404).
    public init(requestPath: some StringProtocol) throws(HLSRouteError) {
        var raw = Substring(requestPath)
        if let end = raw.firstIndex(where: { $0 == "?" || $0 == "#" }) { raw = raw[..<end] }
        guard raw.utf8.count <= HTTPServingLimits.maximumRequestPathBytes else {
            throw .pathTooLong(bytes: raw.utf8.count, limit: HTTPServingLimits.maximumRequestPathBytes)
        }
        let segments = raw.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 3, segments[0].isEmpty else { throw .unknownRoute }
        switch segments[1] {
        case Self.filePrefix[...]:
            let infoHash = try Self.infoHash(segments[2])
            let components = segments.dropFirst(3)
            guard !components.isEmpty, components != [""] else { throw .missingFilePath }
            guard components.count <= HTTPServingLimits.maximumPathComponents else {
                throw .tooManyComponents(count: components.count, limit: HTTPServingLimits.maximumPathComponents)
            }
            var path: [String] = []
            path.reserveCapacity(components.count)
            for component in components { path.append(try Self.decodeComponent(component)) }
            self = .file(infoHash, path: path)
        case Self.playerPrefix[...]:
            guard segments.count == 3 || (segments.count == 4 && segments[3].isEmpty) else { throw .unknownRoute }
            self = .player(try Self.infoHash(segments[2]))
        default:
            throw .unknownRoute
        }
    }

    private static func infoHash(_ segment: Substring) throws(HLSRouteError) -> InfoHash {
        guard case .success(let text) = PathSegmentEncoding.decode(segment), let infoHash = InfoHash(text) else {
            throw .invalidInfoHash(String(segment))
        }
        return infoHash
    }

    private static func decodeComponent(_ segment: Substring) throws(HLSRouteError) -> String {
        guard !segment.isEmpty else { throw .emptyComponent }
        let component: String
        switch PathSegmentEncoding.decode(segment) {
        case .success(let text): component = text
        case .failure(.malformedEscape): throw .malformedEscape(String(segment))
        case .failure(.invalidUTF8): throw .invalidUTF8(String(segment))
        case .failure(.rawControlCharacter(let byte)): throw .forbiddenCharacter(UInt32(byte))
        }
        // Bytes, not `String` comparison: Swift equates canonically equivalent strings, file systems do not.
        let bytes = component.utf8
        if bytes.elementsEqual(".".utf8) || bytes.elementsEqual("..".utf8) { throw .dotSegment(component) }
        for byte in bytes {
            if byte == UInt8(ascii: "/") { throw .encodedSlash(String(segment)) }
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") { throw .forbiddenCharacter(UInt32(byte)) }
        }
        guard bytes.count <= HTTPServingLimits.maximumPathComponentBytes else {
            throw .componentTooLong(bytes: bytes.count, limit: HTTPServingLimits.maximumPathComponentBytes)
        }
        return component
    }
}
