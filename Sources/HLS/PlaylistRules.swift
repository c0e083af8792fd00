/// The RFC 8216 rules Shoal checks on every playlist it reads, since a playlist may come from a peer:
///
/// - the first line is `#EXTM3U`; no control characters, no byte order mark (§4.1);
/// - `EXT-X-VERSION`, `EXT-X-TARGETDURATION`, `EXT-X-MEDIA-SEQUENCE`, `EXT-X-PLAYLIST-TYPE`, `EXT-X-ENDLIST`,
///   `EXT-X-INDEPENDENT-SEGMENTS` (and the other playlist-wide tags) appear at most once;
/// - every tag Shoal reads has a value of its grammar: integers are decimal-integers that fit in `Int`,
///   attribute lists follow §4.2, `EXT-X-MAP` has a `URI`, `EXT-X-STREAM-INF` has a `BANDWIDTH`;
/// - a media playlist has `EXT-X-TARGETDURATION`, and every `EXTINF` duration rounded to the nearest
///   integer is at most that (§4.3.3.1);
/// - every `EXTINF` and `EXT-X-STREAM-INF` is followed by a URI line, and every URI line follows one;
/// - media and master playlist tags are not mixed (§4.1);
/// - `EXT-X-VERSION` is high enough for the features used (§7): decimal `EXTINF` durations need 3,
///   `EXT-X-BYTERANGE` and `EXT-X-I-FRAMES-ONLY` need 4, `EXT-X-MAP` needs 6 (5 in an I-frame playlist);
/// - no `EXTINF` follows `EXT-X-ENDLIST`.
///
/// Input no valid playlist can have (too large, a line too long, invalid UTF-8) is reported as one
/// violation without looking further.
public enum PlaylistRules {
    /// Everything wrong with `text`, earliest line first. With `kind`, the text must be that kind of playlist;
    /// without, the tags decide (and a playlist with no kind-specific tag gets only the common checks).
    public static func violations(in text: String, as kind: PlaylistKind? = nil) -> [PlaylistError] {
        do {
            return check(try PlaylistScanner.lines(of: text), as: kind).violations
        } catch {
            return [error]
        }
    }

    /// Everything wrong with a playlist read as bytes (which must be UTF-8).
    public static func violations(in bytes: [UInt8], as kind: PlaylistKind? = nil) -> [PlaylistError] {
        do {
            return check(try PlaylistScanner.lines(of: bytes), as: kind).violations
        } catch {
            return [error]
        }
    }

    /// Throws the first violation in `text`, if there is one.
    public static func validate(_ text: String, as kind: PlaylistKind? = nil) throws(PlaylistError) {
        if let first = violations(in: text, as: kind).first { throw first }
    }

    /// Lines that passed every rule, or the first violation.
    static func checked(_ lines: [PlaylistLine], as kind: PlaylistKind) throws(PlaylistError) -> CheckedPlaylist {
        let result = check(lines, as: kind)
        if let first = result.violations.first { throw first }
        return result
    }

    // Playlist-wide tags that RFC 8216 allows once per playlist.
    fileprivate static let onceOnlyTags: Set<String> = [
        "EXT-X-VERSION", "EXT-X-TARGETDURATION", "EXT-X-MEDIA-SEQUENCE", "EXT-X-PLAYLIST-TYPE", "EXT-X-ENDLIST",
        "EXT-X-INDEPENDENT-SEGMENTS", "EXT-X-I-FRAMES-ONLY", "EXT-X-DISCONTINUITY-SEQUENCE", "EXT-X-START",
    ]

    static func check(_ lines: [PlaylistLine], as expected: PlaylistKind?) -> CheckedPlaylist {
        var state = RuleState()
        if lines.first?.number != 1 || lines.first?.content != .tag(name: "EXTM3U", value: nil) {
            // "#EXTM3U:anything" is not the header either.
            state.report(.missingHeader)
        }
        for line in lines {
            guard state.result.violations.count < PlaylistLimits.maximumViolations else { break }
            switch line.content {
            case .uri(let uri): state.see(uri: uri, line: line.number, expected: expected)
            case .tag(let name, let value): state.see(tag: name, value: value, line: line.number)
            }
        }
        state.finish(expected: expected)
        return state.result
    }
}

/// What the rules have seen so far while walking the lines once.
private struct RuleState {
    var result = CheckedPlaylist()
    private var firstLines: [String: Int] = [:]
    /// An `EXTINF` or `EXT-X-STREAM-INF` still waiting for its URI line.
    private var awaitingURI: (line: Int, tag: String)?
    private var endListLine: Int?
    private var declaredVersion: Int?
    private var versionUnreadable = false
    private var targetDuration: Int?
    private var hasTargetDuration = false
    private var isIFramesOnly = false
    /// `EXTINF`s to compare with the target duration once the whole playlist is read.
    private var durations: [(line: Int, duration: Double, text: String)] = []
    /// The first line using each feature that needs a minimum version, with that version.
    private var features: [(line: Int, feature: String, version: Int)] = []

    mutating func report(_ error: PlaylistError) {
        guard result.violations.count < PlaylistLimits.maximumViolations else { return }
        result.violations.append(error)
    }

    mutating func see(uri: String, line: Int, expected: PlaylistKind?) {
        if awaitingURI == nil {
            let kind = result.kind?.kind ?? expected ?? .media
            report(.uriWithoutTag(line: line, tag: kind == .master ? "EXT-X-STREAM-INF" : "EXTINF"))
        }
        awaitingURI = nil
        result.entries.append(.init(line: line, item: .uri(uri)))
    }

    mutating func see(tag name: String, value: String?, line: Int) {
        if PlaylistRules.onceOnlyTags.contains(name) {
            if let first = firstLines[name] {
                report(.duplicateTag(line: line, tag: name, firstLine: first))
            } else {
                firstLines[name] = line
            }
        }
        if let kind = PlaylistKind(tag: name) {
            if let established = result.kind {
                if established.kind != kind {
                    report(
                        .mixedPlaylistKinds(
                            line: line, tag: name, firstLine: established.line, firstTag: established.tag))
                }
            } else {
                result.kind = (kind, line, name)
            }
        }
        if name == "EXTINF" || name == "EXT-X-STREAM-INF" {
            if let waiting = awaitingURI { report(.missingURI(line: waiting.line, tag: waiting.tag)) }
            awaitingURI = (line, name)
        }
        if name == "EXTINF", let endListLine { report(.segmentAfterEndList(line: line, endListLine: endListLine)) }
        if name == "EXT-X-TARGETDURATION" { hasTargetDuration = true }

        let tag: PlaylistTag
        do {
            tag = try PlaylistTag.decode(name: name, value: value, line: line)
        } catch {
            report(error)
            if name == "EXT-X-VERSION" { versionUnreadable = true }
            return
        }
        switch tag {
        case .other: return
        case .version(let version): declaredVersion = declaredVersion ?? version
        case .targetDuration(let target): targetDuration = targetDuration ?? target
        case .endList: endListLine = endListLine ?? line
        case .iFramesOnly:
            isIFramesOnly = true
            require(version: 4, for: "#EXT-X-I-FRAMES-ONLY", line: line)
        case .byteRange: require(version: 4, for: "#EXT-X-BYTERANGE", line: line)
        case .map: require(version: 6, for: "#EXT-X-MAP", line: line)
        case .segmentInfo(let duration, let text, let isDecimal, _):
            durations.append((line, duration, text))
            if isDecimal { require(version: 3, for: "a decimal #EXTINF duration", line: line) }
        case .header, .mediaSequence, .playlistType, .independentSegments, .streamInfo: break
        }
        result.entries.append(.init(line: line, item: .tag(tag)))
    }

    mutating func finish(expected: PlaylistKind?) {
        if let waiting = awaitingURI { report(.missingURI(line: waiting.line, tag: waiting.tag)) }
        if let expected, let found = result.kind, found.kind != expected {
            report(.wrongKind(line: found.line, tag: found.tag, found: found.kind))
        }
        if (result.kind?.kind ?? expected) == .media {
            if !hasTargetDuration { report(.missingTargetDuration) }
            if let targetDuration {
                // §4.3.3.1: rounded to the nearest integer (halves up), at most the target duration.
                for entry in durations where entry.duration.rounded() > Double(targetDuration) {
                    report(.durationExceedsTarget(line: entry.line, duration: entry.text, target: targetDuration))
                }
            }
        }
        if !versionUnreadable {
            for use in features {
                // The map needs one version less in an I-frame playlist (§7).
                let required = use.feature == "#EXT-X-MAP" && isIFramesOnly ? 5 : use.version
                if (declaredVersion ?? 1) < required {
                    report(
                        .versionTooLow(
                            line: use.line, feature: use.feature, required: required, declared: declaredVersion))
                }
            }
        }
        // Sorting by line keeps the report readable; the index keeps errors of one line in the order found.
        result.violations = result.violations.enumerated()
            .sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }
            .map(\.element)
    }

    private mutating func require(version: Int, for feature: String, line: Int) {
        guard !features.contains(where: { $0.feature == feature }) else { return }
        features.append((line, feature, version))
    }
}
