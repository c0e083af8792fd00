import NodeAPI
import Testing
import TorrentModel

@Suite struct TorrentReferenceTests {
    let first = hash("abcdef0123456789abcdef0123456789abcdef01")
    let second = hash("abcdef9999999999999999999999999999999999")
    let third = hash("0123456789012345678901234567890123456789")

    @Test func parsesFullInfohashesAndPrefixesInEitherCase() throws {
        let full = try TorrentReference(parsing: "ABCDEF0123456789ABCDEF0123456789ABCDEF01")
        #expect(full.text == "abcdef0123456789abcdef0123456789abcdef01")
        #expect(full.isComplete)
        #expect(full.infoHash == first)

        let prefix = try TorrentReference(parsing: "  AbCdEf\n")
        #expect(prefix.text == "abcdef")
        #expect(!prefix.isComplete)
        #expect(prefix.infoHash == nil)
        #expect(TorrentReference(first).text == first.hex)
    }

    @Test(arguments: [
        ("", "no torrent given"),
        ("   ", "no torrent given"),
        ("abcde", "too short"),
        ("xyz123", "is not an infohash"),
        ("abcdef/../x", "is not an infohash"),
        ("abcdef0123456789abcdef0123456789abcdef0123", "longer than an infohash"),
        ("magnet:?xt=urn:btih:abc", "is not an infohash"),
    ])
    func refusesWhatIsNotAReference(text: String, reason: String) {
        #expect {
            try TorrentReference(parsing: text)
        } throws: { error in
            guard case .invalidInput(let message) = error as? NodeControlError else { return false }
            return message.contains(reason)
        }
    }

    @Test func matchesUniqueAmbiguousAndNone() throws {
        let library = [first, second, third]
        #expect(try TorrentReference(parsing: "abcdef0").match(in: library) == .unique(first))
        #expect(try TorrentReference(parsing: "012345").match(in: library) == .unique(third))
        #expect(try TorrentReference(parsing: "ABCDEF").match(in: library) == .ambiguous([first, second]))
        #expect(try TorrentReference(parsing: "ffffff").match(in: library) == .none)
        #expect(try TorrentReference(parsing: "abcdef").match(in: []) == .none)
        // The same infohash twice is one match, not an ambiguity.
        #expect(try TorrentReference(parsing: "abcdef0").match(in: [first, first]) == .unique(first))
        // A full infohash matches only itself.
        #expect(TorrentReference(second).match(in: library) == .unique(second))
    }

    @Test func resolvesOrThrowsTheMatchingError() throws {
        let library = [second, first, third]
        #expect(try TorrentReference(parsing: "abcdef01").resolve(in: library) == first)
        #expect(throws: NodeControlError.ambiguousReference(reference: "abcdef", matches: [first.hex, second.hex])) {
            try TorrentReference(parsing: "abcdef").resolve(in: library)
        }
        #expect(throws: NodeControlError.unknownTorrent(reference: "fedcba")) {
            try TorrentReference(parsing: "FEDCBA").resolve(in: library)
        }
    }
}
