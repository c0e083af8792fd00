import Testing

@testable import HLS

/// The lines joined into playlist text.
private func playlist(_ lines: [String]) -> String {
    lines.joined(separator: "\n") + "\n"
}

private let validMedia = [
    "#EXTM3U",  // 1
    "#EXT-X-VERSION:7",  // 2
    "#EXT-X-TARGETDURATION:5",  // 3
    "#EXT-X-MEDIA-SEQUENCE:0",  // 4
    "#EXT-X-PLAYLIST-TYPE:VOD",  // 5
    "#EXT-X-INDEPENDENT-SEGMENTS",  // 6
    "#EXT-X-MAP:URI=\"init.mp4\"",  // 7
    "#EXTINF:4.000000,",  // 8
    "a.m4s",  // 9
    "#EXTINF:5.000000,",  // 10
    "b.m4s",  // 11
    "#EXT-X-ENDLIST",  // 12
]

private let validMaster = [
    "#EXTM3U",  // 1
    "#EXT-X-VERSION:7",  // 2
    "#EXT-X-INDEPENDENT-SEGMENTS",  // 3
    "#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.64001f,mp4a.40.2\"",  // 4
    "v.m3u8",  // 5
]

/// `validMedia` with line `number` (1-based) replaced by `replacement` (nil: removed).
private func media(replacing number: Int, with replacement: String?) -> String {
    var lines = validMedia
    if let replacement { lines[number - 1] = replacement } else { lines.remove(at: number - 1) }
    return playlist(lines)
}

/// `validMedia` with `extra` inserted before line `number`.
private func media(inserting extra: String, before number: Int) -> String {
    var lines = validMedia
    lines.insert(extra, at: number - 1)
    return playlist(lines)
}

@Suite("RFC 8216 rules")
struct PlaylistRulesTests {
    @Test func validPlaylistsPass() throws {
        #expect(PlaylistRules.violations(in: playlist(validMedia)) == [])
        #expect(PlaylistRules.violations(in: playlist(validMedia), as: .media) == [])
        #expect(PlaylistRules.violations(in: playlist(validMaster)) == [])
        #expect(PlaylistRules.violations(in: playlist(validMaster), as: .master) == [])
        try PlaylistRules.validate(playlist(validMedia))
        try PlaylistRules.validate(playlist(validMaster))
    }

    @Test func firstLineMustBeTheHeader() {
        #expect(PlaylistRules.violations(in: media(replacing: 1, with: nil)) == [.missingHeader])
        #expect(PlaylistRules.violations(in: "\n" + playlist(validMedia)) == [.missingHeader])
        #expect(PlaylistRules.violations(in: media(replacing: 1, with: "#EXTM3U8")) == [.missingHeader])
        #expect(PlaylistRules.violations(in: media(replacing: 1, with: "# EXTM3U")) == [.missingHeader])
        #expect(PlaylistRules.violations(in: "") == [.missingHeader])
        #expect(PlaylistError.missingHeader.description == "missing #EXTM3U on the first line")
        #expect(throws: PlaylistError.missingHeader) { try MediaPlaylist(parsing: media(replacing: 1, with: nil)) }
    }

    static let onceOnlyTags = [
        "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:5", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-ENDLIST", "#EXT-X-INDEPENDENT-SEGMENTS",
    ]

    @Test(arguments: onceOnlyTags)
    func playlistTagsAppearAtMostOnce(tag: String) {
        // A second copy at the end, on line 13.
        var lines = validMedia
        lines.append(tag)
        let name = String(tag.dropFirst().prefix { $0 != ":" })
        let first = validMedia.firstIndex(of: tag).map { $0 + 1 } ?? 0
        let expected = PlaylistError.duplicateTag(line: 13, tag: name, firstLine: first)
        #expect(PlaylistRules.violations(in: playlist(lines)) == [expected])
        #expect(throws: expected) { try MediaPlaylist(parsing: playlist(lines)) }
    }

    @Test func duplicateTagMessage() {
        #expect(
            PlaylistError.duplicateTag(line: 9, tag: "EXT-X-VERSION", firstLine: 2).description
                == "line 9: #EXT-X-VERSION appears again (first on line 2)")
    }

    @Test func mediaPlaylistsNeedATargetDuration() {
        #expect(PlaylistRules.violations(in: media(replacing: 3, with: nil)) == [.missingTargetDuration])
        #expect(PlaylistError.missingTargetDuration.description == "media playlist without #EXT-X-TARGETDURATION")
    }

    @Test func durationsRoundedToNearestMustNotExceedTheTarget() {
        let long = media(replacing: 10, with: "#EXTINF:6.2,")
        let expected = PlaylistError.durationExceedsTarget(line: 10, duration: "6.2", target: 5)
        #expect(PlaylistRules.violations(in: long) == [expected])
        #expect(expected.description == "line 10: EXTINF duration 6.2 exceeds EXT-X-TARGETDURATION 5")
        #expect(throws: expected) { try MediaPlaylist(parsing: long) }
        // 5.4 rounds to 5 and is allowed; 5.5 rounds (half up) to 6 and is not.
        #expect(PlaylistRules.violations(in: media(replacing: 10, with: "#EXTINF:5.4,")) == [])
        #expect(
            PlaylistRules.violations(in: media(replacing: 10, with: "#EXTINF:5.5,"))
                == [.durationExceedsTarget(line: 10, duration: "5.5", target: 5)])
        // The target may come after the segments.
        var lines = validMedia
        lines.remove(at: 2)
        lines.insert("#EXT-X-TARGETDURATION:4", at: 10)
        #expect(
            PlaylistRules.violations(in: playlist(lines))
                == [.durationExceedsTarget(line: 9, duration: "5.000000", target: 4)])
    }

    @Test func everyExtinfNeedsAURI() {
        let expected = PlaylistError.missingURI(line: 8, tag: "EXTINF")
        #expect(PlaylistRules.violations(in: media(replacing: 9, with: nil)) == [expected])
        #expect(expected.description == "line 8: #EXTINF without a URI")
        // At the very end.
        let atEnd = playlist(Array(validMedia.prefix(10)))
        #expect(PlaylistRules.violations(in: atEnd) == [.missingURI(line: 10, tag: "EXTINF")])
        // Other tags and comments between EXTINF and its URI are fine.
        #expect(PlaylistRules.violations(in: media(inserting: "#EXT-X-DISCONTINUITY", before: 9)) == [])
        #expect(PlaylistRules.violations(in: media(inserting: "# comment", before: 9)) == [])
    }

    @Test func everyURINeedsATag() {
        let extra = media(inserting: "stray.m4s", before: 12)
        #expect(PlaylistRules.violations(in: extra) == [.uriWithoutTag(line: 12, tag: "EXTINF")])
        #expect(
            PlaylistError.uriWithoutTag(line: 12, tag: "EXTINF").description
                == "line 12: URI without a #EXTINF before it")
        let master = playlist(validMaster + ["other.m3u8"])
        #expect(PlaylistRules.violations(in: master) == [.uriWithoutTag(line: 6, tag: "EXT-X-STREAM-INF")])
    }

    @Test func streamInfNeedsAURIAndABandwidth() {
        var lines = validMaster
        lines.removeLast()
        #expect(
            PlaylistRules.violations(in: playlist(lines)) == [.missingURI(line: 4, tag: "EXT-X-STREAM-INF")])
        #expect(
            PlaylistRules.violations(in: playlist(lines + ["#EXT-X-STREAM-INF:BANDWIDTH=1", "x.m3u8"]))
                == [.missingURI(line: 4, tag: "EXT-X-STREAM-INF")])
        lines = validMaster
        lines[3] = "#EXT-X-STREAM-INF:AVERAGE-BANDWIDTH=1000,CODECS=\"avc1.64001f\""
        let expected = PlaylistError.missingAttribute(line: 4, tag: "EXT-X-STREAM-INF", attribute: "BANDWIDTH")
        #expect(PlaylistRules.violations(in: playlist(lines)) == [expected])
        #expect(expected.description == "line 4: #EXT-X-STREAM-INF without BANDWIDTH")
    }

    @Test func mediaAndMasterTagsDoNotMix() {
        let master = playlist(validMaster + ["#EXT-X-TARGETDURATION:5"])
        let expected = PlaylistError.mixedPlaylistKinds(
            line: 6, tag: "EXT-X-TARGETDURATION", firstLine: 4, firstTag: "EXT-X-STREAM-INF")
        #expect(PlaylistRules.violations(in: master) == [expected])
        #expect(
            expected.description
                == "line 6: media playlist tag #EXT-X-TARGETDURATION in a master playlist (#EXT-X-STREAM-INF on line 4)"
        )
        let mixedMedia = media(inserting: "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"a\"", before: 12)
        #expect(
            PlaylistRules.violations(in: mixedMedia)
                == [.mixedPlaylistKinds(line: 12, tag: "EXT-X-MEDIA", firstLine: 3, firstTag: "EXT-X-TARGETDURATION")])
    }

    @Test func mapNeedsVersionSix() {
        let old = media(replacing: 2, with: "#EXT-X-VERSION:5")
        let expected = PlaylistError.versionTooLow(line: 7, feature: "#EXT-X-MAP", required: 6, declared: 5)
        #expect(PlaylistRules.violations(in: old) == [expected])
        #expect(
            expected.description == "line 7: #EXT-X-MAP needs EXT-X-VERSION 6 or later, but the playlist declares 5")
        // In an I-frame playlist, 5 is enough.
        var lines = validMedia
        lines[1] = "#EXT-X-VERSION:5"
        lines.insert("#EXT-X-I-FRAMES-ONLY", at: 6)
        #expect(PlaylistRules.violations(in: playlist(lines)) == [])
        lines[1] = "#EXT-X-VERSION:3"
        #expect(
            PlaylistRules.violations(in: playlist(lines)) == [
                .versionTooLow(line: 7, feature: "#EXT-X-I-FRAMES-ONLY", required: 4, declared: 3),
                .versionTooLow(line: 8, feature: "#EXT-X-MAP", required: 5, declared: 3),
            ])
        #expect(PlaylistRules.violations(in: media(replacing: 2, with: "#EXT-X-VERSION:6")) == [])
    }

    @Test func decimalDurationsNeedVersionThree() {
        // Without EXT-X-VERSION the version is 1; drop the map so only the durations matter.
        var lines = validMedia
        lines.remove(at: 6)
        lines.remove(at: 1)
        let expected = PlaylistError.versionTooLow(
            line: 6, feature: "a decimal #EXTINF duration", required: 3, declared: nil)
        #expect(PlaylistRules.violations(in: playlist(lines)) == [expected])
        #expect(
            expected.description
                == "line 6: a decimal #EXTINF duration needs EXT-X-VERSION 3 or later, "
                + "but the playlist declares none (version 1)"
        )
        // Integer durations are fine in versions 1 and 2; version 3 allows decimals.
        let integers = lines.map { $0.replacingFirst("4.000000", with: "4").replacingFirst("5.000000", with: "5") }
        #expect(PlaylistRules.violations(in: playlist(integers)) == [])
        #expect(PlaylistRules.violations(in: playlist(inserting("#EXT-X-VERSION:2", at: 1, into: integers))) == [])
        #expect(PlaylistRules.violations(in: playlist(inserting("#EXT-X-VERSION:3", at: 1, into: lines))) == [])
    }

    @Test func mapNeedsAQuotedURI() {
        let noURI = media(replacing: 7, with: "#EXT-X-MAP:BYTERANGE=\"100@0\"")
        let expected = PlaylistError.missingAttribute(line: 7, tag: "EXT-X-MAP", attribute: "URI")
        #expect(PlaylistRules.violations(in: noURI) == [expected])
        #expect(expected.description == "line 7: #EXT-X-MAP without URI")
        #expect(
            PlaylistRules.violations(in: media(replacing: 7, with: "#EXT-X-MAP:URI=init.mp4"))
                == [
                    .badAttribute(
                        line: 7, tag: "EXT-X-MAP", attribute: "URI", value: "init.mp4", expected: "a quoted string")
                ])
        #expect(
            PlaylistRules.violations(in: media(replacing: 7, with: "#EXT-X-MAP"))
                == [.missingValue(line: 7, tag: "EXT-X-MAP")])
        #expect(
            PlaylistRules.violations(in: media(replacing: 7, with: "#EXT-X-MAP:URI=\"i.mp4\",BYTERANGE=\"x\""))
                == [
                    .badAttribute(
                        line: 7, tag: "EXT-X-MAP", attribute: "BYTERANGE", value: "\"x\"",
                        expected: "a byte range \"<n>[@<o>]\"")
                ])
    }

    static let integerExpectation = "a decimal integer from 0 to 9223372036854775807"

    static let badMediaSequences = ["-1", "abc", "1.5", " 1", "+1", "0x10", "18446744073709551616"]

    @Test(arguments: badMediaSequences)
    func mediaSequenceIsANonNegativeInteger(value: String) {
        let text = media(replacing: 4, with: "#EXT-X-MEDIA-SEQUENCE:\(value)")
        let expected = PlaylistError.badValue(
            line: 4, tag: "EXT-X-MEDIA-SEQUENCE", value: value, expected: Self.integerExpectation)
        #expect(PlaylistRules.violations(in: text) == [expected])
        #expect(throws: expected) { try MediaPlaylist(parsing: text) }
    }

    @Test func mediaSequenceValueMessage() {
        #expect(
            PlaylistError.badValue(line: 4, tag: "EXT-X-MEDIA-SEQUENCE", value: "-1", expected: Self.integerExpectation)
                .description
                == "line 4: #EXT-X-MEDIA-SEQUENCE value '-1' is not a decimal integer from 0 to 9223372036854775807")
        #expect(
            PlaylistRules.violations(in: media(replacing: 4, with: "#EXT-X-MEDIA-SEQUENCE:"))
                == [.missingValue(line: 4, tag: "EXT-X-MEDIA-SEQUENCE")])
    }

    @Test func otherTagValuesFollowTheirGrammar() {
        #expect(
            PlaylistRules.violations(in: media(replacing: 5, with: "#EXT-X-PLAYLIST-TYPE:vod"))
                == [.badValue(line: 5, tag: "EXT-X-PLAYLIST-TYPE", value: "vod", expected: "VOD or EVENT")])
        #expect(
            PlaylistRules.violations(in: media(replacing: 8, with: "#EXTINF:-4,"))
                == [.badValue(line: 8, tag: "EXTINF", value: "-4", expected: "a decimal number below 1000000000000")])
        #expect(
            PlaylistRules.violations(in: media(replacing: 8, with: "#EXTINF:"))
                == [.missingValue(line: 8, tag: "EXTINF")])
        #expect(
            PlaylistRules.violations(in: media(inserting: "#EXT-X-BYTERANGE:abc", before: 9))
                == [.badValue(line: 9, tag: "EXT-X-BYTERANGE", value: "abc", expected: "a byte range <n>[@<o>]")])
        // A bad version is reported once, not again as too low for every feature.
        #expect(
            PlaylistRules.violations(in: media(replacing: 2, with: "#EXT-X-VERSION:seven"))
                == [.badValue(line: 2, tag: "EXT-X-VERSION", value: "seven", expected: Self.integerExpectation)])
    }

    @Test func noSegmentAfterTheEndList() {
        let text = playlist(validMedia + ["#EXTINF:4.0,", "c.m4s"])
        let expected = PlaylistError.segmentAfterEndList(line: 13, endListLine: 12)
        #expect(PlaylistRules.violations(in: text) == [expected])
        #expect(expected.description == "line 13: #EXTINF after #EXT-X-ENDLIST on line 12")
        // Other tags after the end list are not segments.
        #expect(PlaylistRules.violations(in: playlist(validMedia + ["#EXT-X-SHOAL-NOTE:1"])) == [])
    }

    @Test func expectedKindIsChecked() {
        #expect(
            PlaylistRules.violations(in: playlist(validMaster), as: .media)
                == [.wrongKind(line: 4, tag: "EXT-X-STREAM-INF", found: .master)])
        #expect(
            PlaylistRules.violations(in: playlist(validMedia), as: .master)
                == [.wrongKind(line: 3, tag: "EXT-X-TARGETDURATION", found: .media)])
        // Without kind tags, only an expected media playlist needs a target duration.
        #expect(PlaylistRules.violations(in: "#EXTM3U\n") == [])
        #expect(PlaylistRules.violations(in: "#EXTM3U\n", as: .master) == [])
        #expect(PlaylistRules.violations(in: "#EXTM3U\n", as: .media) == [.missingTargetDuration])
    }

    @Test func controlCharactersAndByteOrderMarks() {
        #expect(
            PlaylistRules.violations(in: media(replacing: 9, with: "a\u{0}.m4s"))
                == [.controlCharacter(line: 9, scalar: 0)])
        #expect(
            PlaylistRules.violations(in: media(replacing: 9, with: "a\t.m4s")) == [
                .controlCharacter(line: 9, scalar: 9)
            ])
        #expect(
            PlaylistRules.violations(in: media(replacing: 9, with: "a\u{85}.m4s"))
                == [.controlCharacter(line: 9, scalar: 0x85)])
        // A CR that does not end a line.
        #expect(
            PlaylistRules.violations(in: Array("#EXTM3U\r#EXT-X-VERSION:7\n".utf8))
                == [.controlCharacter(line: 1, scalar: 0x0D)])
        #expect(PlaylistError.controlCharacter(line: 9, scalar: 0).description == "line 9: control character U+0000")
        #expect(PlaylistRules.violations(in: "\u{FEFF}" + playlist(validMedia)) == [.byteOrderMark])
        // Non-ASCII text is fine.
        #expect(PlaylistRules.violations(in: media(replacing: 9, with: "épisode-ü.m4s")) == [])
    }

    @Test func violationsAreAllReportedInLineOrder() {
        var lines = validMedia
        lines[0] = "#EXTM3: typo"
        lines[2] = "#EXT-X-TARGETDURATION:3"  // both segments now too long
        lines[8] = "#EXT-X-DISCONTINUITY"  // EXTINF on line 8 loses its URI
        lines.append("#EXT-X-VERSION:7")
        #expect(
            PlaylistRules.violations(in: playlist(lines)) == [
                .missingHeader,
                .missingURI(line: 8, tag: "EXTINF"),
                .durationExceedsTarget(line: 8, duration: "4.000000", target: 3),
                .durationExceedsTarget(line: 10, duration: "5.000000", target: 3),
                .duplicateTag(line: 13, tag: "EXT-X-VERSION", firstLine: 2),
            ])
        #expect(throws: PlaylistError.missingHeader) { try PlaylistRules.validate(playlist(lines)) }
    }

    @Test func errorsKnowTheirLine() {
        #expect(PlaylistError.missingHeader.line == 1)
        #expect(PlaylistError.missingTargetDuration.line == nil)
        #expect(PlaylistError.missingURI(line: 8, tag: "EXTINF").line == 8)
        #expect(PlaylistError.tooLarge(bytes: 1, limit: 0).line == nil)
    }
}

/// `lines` with `extra` inserted at index `index`.
private func inserting(_ extra: String, at index: Int, into lines: [String]) -> [String] {
    var lines = lines
    lines.insert(extra, at: index)
    return lines
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
