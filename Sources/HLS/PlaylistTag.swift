/// A tag whose value Shoal reads, decoded and checked against its RFC 8216 grammar.
enum PlaylistTag: Sendable, Equatable {
    case header
    case version(Int)
    case targetDuration(Int)
    case mediaSequence(Int)
    case playlistType(PlaylistType)
    case independentSegments
    case endList
    case iFramesOnly
    case map(MediaInitializationSection)
    /// `EXT-X-BYTERANGE`: only its effect on the required version matters here.
    case byteRange(ByteRange)
    /// `EXTINF`; `text` is the duration as written, `isDecimal` whether it has a fractional part.
    case segmentInfo(duration: Double, text: String, isDecimal: Bool, title: String?)
    /// `EXT-X-STREAM-INF`, with an empty URI until the line after it is read.
    case streamInfo(VariantStream)
    /// Any other tag: allowed, and ignored.
    case other

    /// Decodes the value of the tag called `name`, found on `line`.
    static func decode(name: String, value: String?, line: Int) throws(PlaylistError) -> PlaylistTag {
        let reader = ValueReader(tag: name, value: value, line: line)
        switch name {
        case "EXTM3U": return .header
        case "EXT-X-VERSION": return .version(try reader.integer())
        case "EXT-X-TARGETDURATION": return .targetDuration(try reader.integer())
        case "EXT-X-MEDIA-SEQUENCE": return .mediaSequence(try reader.integer())
        case "EXT-X-PLAYLIST-TYPE":
            let text = try reader.text()
            guard let type = PlaylistType(rawValue: text) else {
                throw .badValue(line: line, tag: name, value: PlaylistError.excerpt(text), expected: "VOD or EVENT")
            }
            return .playlistType(type)
        case "EXT-X-INDEPENDENT-SEGMENTS": return .independentSegments
        case "EXT-X-ENDLIST": return .endList
        case "EXT-X-I-FRAMES-ONLY": return .iFramesOnly
        case "EXT-X-BYTERANGE":
            let text = try reader.text()
            guard let range = ByteRange(parsing: Substring(text)) else {
                throw .badValue(
                    line: line, tag: name, value: PlaylistError.excerpt(text), expected: "a byte range <n>[@<o>]")
            }
            return .byteRange(range)
        case "EXTINF": return try reader.segmentInfo()
        case "EXT-X-MAP": return .map(try reader.map())
        case "EXT-X-STREAM-INF": return .streamInfo(try reader.streamInfo())
        default: return .other
        }
    }
}

/// Reads one tag's value, turning every failure into a `PlaylistError` that names the tag and line.
private struct ValueReader {
    let tag: String
    let value: String?
    let line: Int

    static let integerExpectation = "a decimal integer from 0 to \(Int.max)"
    static let decimalExpectation =
        "a decimal number below \(DecimalText.fixed(PlaylistLimits.decimalCeiling, decimals: 0))"

    func text() throws(PlaylistError) -> String {
        guard let value, !value.isEmpty else { throw .missingValue(line: line, tag: tag) }
        return value
    }

    func integer() throws(PlaylistError) -> Int {
        let text = try text()
        guard let number = DecimalText.integer(Substring(text)) else {
            throw .badValue(line: line, tag: tag, value: PlaylistError.excerpt(text), expected: Self.integerExpectation)
        }
        return number
    }

    func attributes() throws(PlaylistError) -> AttributeList {
        let text = try text()
        do {
            return try AttributeList(parsing: text)
        } catch {
            throw .badAttributeList(line: line, tag: tag, error)
        }
    }

    /// `<duration>,[<title>]`; a missing comma is tolerated, as most players do.
    func segmentInfo() throws(PlaylistError) -> PlaylistTag {
        let text = try text()
        let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        let durationText = parts[0]
        guard let duration = DecimalText.floatingPoint(durationText) else {
            throw .badValue(
                line: line, tag: tag, value: PlaylistError.excerpt(durationText), expected: Self.decimalExpectation)
        }
        let title = parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil
        return .segmentInfo(
            duration: duration, text: String(durationText), isDecimal: durationText.contains("."), title: title)
    }

    func map() throws(PlaylistError) -> MediaInitializationSection {
        let list = try attributes()
        let uri = try quotedString("URI", in: list, required: true) ?? ""
        var range: ByteRange?
        if let text = try quotedString("BYTERANGE", in: list, required: false) {
            guard let parsed = ByteRange(parsing: Substring(text)) else {
                throw .badAttribute(
                    line: line, tag: tag, attribute: "BYTERANGE", value: PlaylistError.excerpt("\"\(text)\""),
                    expected: "a byte range \"<n>[@<o>]\"")
            }
            range = parsed
        }
        return MediaInitializationSection(uri: uri, byteRange: range)
    }

    func streamInfo() throws(PlaylistError) -> VariantStream {
        let list = try attributes()
        guard let bandwidthValue = list["BANDWIDTH"] else {
            throw .missingAttribute(line: line, tag: tag, attribute: "BANDWIDTH")
        }
        let bandwidth = try read("BANDWIDTH", bandwidthValue, \.decimalInteger, Self.integerExpectation)
        var variant = VariantStream(uri: "", bandwidth: bandwidth)
        if let value = list["AVERAGE-BANDWIDTH"] {
            variant.averageBandwidth = try read("AVERAGE-BANDWIDTH", value, \.decimalInteger, Self.integerExpectation)
        }
        if let codecs = try quotedString("CODECS", in: list, required: false) {
            variant.codecs = codecs.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
        }
        if let value = list["RESOLUTION"] {
            variant.resolution = try read("RESOLUTION", value, \.resolution, "a resolution <width>x<height>")
        }
        if let value = list["FRAME-RATE"] {
            variant.frameRate = try read("FRAME-RATE", value, \.decimalFloatingPoint, Self.decimalExpectation)
        }
        return variant
    }

    private func quotedString(_ name: String, in list: AttributeList, required: Bool) throws(PlaylistError) -> String? {
        guard let value = list[name] else {
            if required { throw .missingAttribute(line: line, tag: tag, attribute: name) }
            return nil
        }
        return try read(name, value, \.quotedString, "a quoted string")
    }

    private func read<T>(
        _ name: String, _ value: AttributeValue, _ accessor: KeyPath<AttributeValue, T?>, _ expected: String
    ) throws(PlaylistError) -> T {
        guard let result = value[keyPath: accessor] else {
            throw .badAttribute(
                line: line, tag: tag, attribute: name, value: PlaylistError.excerpt(value.description),
                expected: expected)
        }
        return result
    }
}

extension Substring {
    /// Without leading and trailing spaces (codec lists are sometimes written "a, b").
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
