import LocalDiscovery
import TestSupport
import Testing
import TorrentModel

@Suite("the BT-SEARCH codec")
struct LSDAnnouncementTests {
    static let hashA = "0123456789abcdef0123456789abcdef01234567"
    static let hashB = "fedcba9876543210fedcba9876543210fedcba98"

    @Test func encodesLikeLibtorrent() {
        let announcement = LSDAnnouncement(
            port: 6881, infoHashes: [InfoHash(Self.hashA)!], cookie: "1a2b3c")
        #expect(announcement.encoded() == Fixtures.libtorrentPacket(port: 6881, infoHash: Self.hashA, cookie: "1a2b3c"))
    }

    @Test func encodesSeveralInfohashesAndTheIPv6Host() {
        let announcement = LSDAnnouncement(port: 51413, infoHashes: [InfoHash(Self.hashA)!, InfoHash(Self.hashB)!])
        let text = String(decoding: announcement.encoded(host: LSDAnnouncement.ipv6Host), as: UTF8.self)
        #expect(
            text
                == "BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\nPort: 51413\r\n"
                + "Infohash: \(Self.hashA)\r\nInfohash: \(Self.hashB)\r\n\r\n\r\n")
        #expect(LSDAnnouncement.host(group: "239.192.152.143", port: 40000) == "239.192.152.143:40000")
        #expect(LSDAnnouncement.host(group: "ff15::efc0:988f", port: 6771) == LSDAnnouncement.ipv6Host)
    }

    @Test(arguments: [1, 2, 7, LSDLimits.maximumInfoHashesPerAnnouncement])
    func roundTrips(count: Int) throws {
        let hashes = (0..<count).map(Fixtures.infoHash(number:))
        for cookie in [nil, "7fffffff"] {
            for port in [1, 6881, 65535] as [UInt16] {
                let announcement = LSDAnnouncement(port: port, infoHashes: hashes, cookie: cookie)
                for host in [LSDAnnouncement.ipv4Host, LSDAnnouncement.ipv6Host] {
                    let packet = announcement.encoded(host: host)
                    #expect(packet.count <= LSDLimits.maximumPacketSize)
                    #expect(try LSDAnnouncement.decode(packet) == announcement)
                }
            }
        }
    }

    @Test func theLargestPacketOfOursFitsTheLimit() {
        let hashes = (0..<LSDLimits.maximumInfoHashesPerAnnouncement).map(Fixtures.infoHash(number:))
        let longest = LSDAnnouncement(
            port: 65535, infoHashes: hashes, cookie: String(repeating: "f", count: LSDLimits.maximumCookieLength))
        #expect(longest.encoded(host: "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535").count < 1_200)
    }

    @Test func decodesLibtorrentsPacket() throws {
        let packet = Fixtures.libtorrentPacket(port: 6881, infoHash: Self.hashA, cookie: "5c3a91f0")
        let announcement = try LSDAnnouncement.decode(packet)
        #expect(announcement.port == 6881)
        #expect(announcement.infoHashes == [InfoHash(Self.hashA)!])
        #expect(announcement.cookie == "5c3a91f0")
    }

    @Test func decodesTransmissionsPacketWithoutCookieAndWithUppercaseHex() throws {
        let packet = Fixtures.bytes(
            "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 51413\r\nInfohash: \(Self.hashB.uppercased())\r\n"
                + "\r\n\r\n")
        let announcement = try LSDAnnouncement.decode(packet)
        #expect(announcement == LSDAnnouncement(port: 51413, infoHashes: [InfoHash(Self.hashB)!], cookie: nil))
    }

    @Test func headerNamesInAnyCaseAndOrderWithLFAndUnknownHeaders() throws {
        let packet = Fixtures.bytes(
            "bt-search * HTTP/1.1\nX-Client: something\ninfohash:\(Self.hashA)\nCOOKIE:  abc \nUser-Agent: x/1\n"
                + "PORT:\t8999  \nINFOHASH: \(Self.hashB)\nHost: whatever\n\n")
        let announcement = try LSDAnnouncement.decode(packet)
        #expect(announcement.port == 8999)
        #expect(announcement.infoHashes == [InfoHash(Self.hashA)!, InfoHash(Self.hashB)!])
        #expect(announcement.cookie == "abc")
    }

    @Test func toleratesAMissingBlankLineMixedLineEndsAndLinesWithoutColon() throws {
        let packet = Fixtures.bytes(
            "BT-SEARCH * HTTP/1.1\r\nthis line has no colon\nPort: 80\r\nInfohash: \(Self.hashA)")
        #expect(try LSDAnnouncement.decode(packet) == LSDAnnouncement(port: 80, infoHashes: [InfoHash(Self.hashA)!]))
    }

    @Test func headersEndAtTheFirstBlankLine() throws {
        let packet = Fixtures.bytes(
            "BT-SEARCH * HTTP/1.1\r\nPort: 80\r\nInfohash: \(Self.hashA)\r\n\r\nInfohash: \(Self.hashB)\r\nPort: 1\r\n")
        #expect(try LSDAnnouncement.decode(packet) == LSDAnnouncement(port: 80, infoHashes: [InfoHash(Self.hashA)!]))
    }

    @Test func skipsBadZeroAndRepeatedInfohashes() throws {
        let lines = [
            "Infohash: \(Self.hashA.dropLast())",  // 39 digits
            "Infohash: \(Self.hashA)0",  // 41 digits
            "Infohash: \(String(repeating: "g", count: 40))",  // not hex
            "Infohash: \(String(repeating: "0", count: 40))",  // all zero, as libtorrent
            "Infohash: ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",  // base32 is not BEP 14
            "Infohash: \(Self.hashA)",
            "Infohash: \(Self.hashA.uppercased())",  // the same one again
            "Infohash:",
            "Infohash: \(Self.hashB)",
        ]
        let packet = Fixtures.bytes(
            "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + lines.joined(separator: "\r\n") + "\r\n\r\n")
        let announcement = try LSDAnnouncement.decode(packet)
        #expect(announcement.infoHashes == [InfoHash(Self.hashA)!, InfoHash(Self.hashB)!])
    }

    @Test func theFirstPortCounts() {
        let packet = Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: 7\r\nPort: 8\r\nInfohash: \(Self.hashA)\r\n\r\n")
        #expect(Fixtures.decode(packet)?.port == 7)
        let badFirst = Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: x\r\nPort: 8\r\nInfohash: \(Self.hashA)\r\n\r\n")
        #expect(Fixtures.error(badFirst) == .invalidPort("x"))
    }

    @Test func aTooLongCookieIsIgnored() {
        let long = String(repeating: "c", count: LSDLimits.maximumCookieLength + 1)
        let packet = Fixtures.libtorrentPacket(port: 1, infoHash: Self.hashA, cookie: long)
        #expect(Fixtures.decode(packet)?.cookie == nil)
        let fitting = Fixtures.libtorrentPacket(
            port: 1, infoHash: Self.hashA, cookie: String(long.dropFirst()))
        #expect(Fixtures.decode(fitting)?.cookie == String(long.dropFirst()))
    }

    @Test(arguments: ["0", "65536", "-1", "+80", "80a", "", "0x50", "999999", "1 2", "00000080"])
    func refusesInvalidPorts(port: String) {
        let packet = Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: \(port)\r\nInfohash: \(Self.hashA)\r\n\r\n")
        #expect(Fixtures.error(packet) == .invalidPort(port))
    }

    @Test(arguments: ["1", "65535", "00080"])
    func acceptsValidPorts(port: String) {
        let packet = Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: \(port)\r\nInfohash: \(Self.hashA)\r\n\r\n")
        #expect(Fixtures.decode(packet)?.port == UInt16(port))
    }

    @Test func refusesWhatIsNotAnAnnouncement() {
        let ssdp = Fixtures.bytes(
            "M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nMan: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"
        )
        #expect(Fixtures.error(ssdp) == .notBTSearch(method: "M-SEARCH"))
        #expect(Fixtures.error([]) == .notBTSearch(method: ""))
        #expect(Fixtures.error([0, 1, 2, 0xFF]) == .notBTSearch(method: "\\x00\\x01\\x02\\xFF"))
        #expect(
            Fixtures.error(Fixtures.bytes("BT-SEARCHING * HTTP/1.1\r\nPort: 1\r\n"))
                == .notBTSearch(method: "BT-SEARCHING"))
        #expect(Fixtures.error(Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nInfohash: \(Self.hashA)\r\n")) == .missingPort)
        #expect(Fixtures.error(Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: 9\r\n\r\n")) == .noInfoHash)
        #expect(Fixtures.error(Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: 9\r\nInfohash: 12\r\n")) == .noInfoHash)
    }

    @Test func refusesPacketsOverTheSizeLimit() {
        var packet = Fixtures.libtorrentPacket(port: 1, infoHash: Self.hashA, cookie: "1")
        packet += Array(repeating: UInt8(ascii: "\n"), count: LSDLimits.maximumPacketSize - packet.count)
        #expect(Fixtures.decode(packet) != nil)
        packet.append(UInt8(ascii: "\n"))
        #expect(Fixtures.error(packet) == .packetTooLarge(size: LSDLimits.maximumPacketSize + 1, limit: 1_400))
    }

    @Test func refusesMoreInfohashLinesThanTheLimit() {
        let limit = LSDLimits.maximumInfoHashesPerAnnouncement
        func packet(_ count: Int) -> [UInt8] {
            let lines = (0..<count).map { "Infohash: \(Fixtures.infoHash(number: $0).hex)\r\n" }.joined()
            return Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + lines + "\r\n")
        }
        #expect(Fixtures.decode(packet(limit))?.infoHashes.count == limit)
        #expect(Fixtures.error(packet(limit + 1)) == .tooManyInfoHashes(count: limit + 1, limit: limit))
        // Invalid lines count too: a packet cannot hide a flood of lines behind bad values.
        let junk = (0...limit).map { _ in "Infohash: nope\r\n" }.joined()
        let mixed = Fixtures.bytes("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: \(Self.hashA)\r\n" + junk)
        #expect(Fixtures.error(mixed) == .tooManyInfoHashes(count: limit + 2, limit: limit))
    }

    @Test func errorsReadAsOneLine() {
        let errors: [LSDDecodingError] = [
            .packetTooLarge(size: 2_000, limit: 1_400), .notBTSearch(method: "GET"), .missingPort, .invalidPort("0"),
            .noInfoHash, .tooManyInfoHashes(count: 30, limit: 20),
        ]
        for error in errors {
            #expect(error.description.hasPrefix("LSD: "))
            #expect(!error.description.contains("\n"))
        }
        #expect(LSDDecodingError.invalidPort("0").description == "LSD: Port '0' is not a number from 1 to 65535")
    }

    @Test func randomBytesAndMutatedPacketsNeverCrash() {
        var random = SeededRandom(seed: 14)
        let valid = Fixtures.libtorrentPacket(port: 6881, infoHash: Self.hashA, cookie: "abc")
        var decoded = 0
        for round in 0..<20_000 {
            var packet: [UInt8]
            if round % 2 == 0 {
                packet = random.bytes(count: random.below(1_600))
            } else {
                packet = valid
                for _ in 0..<(1 + random.below(8)) {
                    let index = random.below(packet.count)
                    switch random.below(3) {
                    case 0: packet[index] = random.nextByte()
                    case 1: packet.remove(at: index)
                    default: packet.insert(random.nextByte(), at: index)
                    }
                    if packet.isEmpty { break }
                }
            }
            if let announcement = Fixtures.decode(packet) {
                decoded += 1
                #expect(announcement.port >= 1)
                #expect(!announcement.infoHashes.isEmpty)
                #expect(announcement.infoHashes.count <= LSDLimits.maximumInfoHashesPerAnnouncement)
            }
        }
        // Mutations that hit a skipped header or trailing bytes still decode.
        #expect(decoded > 0)
    }
}
