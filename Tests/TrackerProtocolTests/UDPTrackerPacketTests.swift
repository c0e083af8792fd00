import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("UDP tracker packets (BEP 15)")
struct UDPTrackerPacketTests {
    private let connectionID: UInt64 = 0x0102_0304_0506_0708

    @Test func connectRequestOpensWithTheMagic() throws {
        let packet = UDPTrackerRequest.connect(transactionID: 0xDEAD_BEEF).encoded()
        #expect(packet == [0, 0, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF])
        #expect(try UDPTrackerRequest.decode(packet) == .connect(transactionID: 0xDEAD_BEEF))
    }

    @Test func announceRequestHasTheBEP15Layout() throws {
        let request = try Fixtures.request(event: .completed, numWant: nil, key: 0xCAFE_F00D, ip: "192.0.2.5")
        let packet = UDPTrackerRequest.announce(connectionID: connectionID, transactionID: 7, request: request)
            .encoded()
        #expect(packet.count == 98)
        var expected: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 1, 0, 0, 0, 7]
        expected += Fixtures.infoHash.bytes + Fixtures.peerID
        expected += [0, 0, 0, 0, 0, 0, 0x08, 0x00]  // downloaded 2048
        expected += [0, 0, 0, 0, 0, 0, 0x10, 0x00]  // left 4096
        expected += [0, 0, 0, 0, 0, 0, 0x04, 0x00]  // uploaded 1024
        expected += [0, 0, 0, 1]  // completed
        expected += [192, 0, 2, 5, 0xCA, 0xFE, 0xF0, 0x0D]
        expected += [0xFF, 0xFF, 0xFF, 0xFF]  // numwant -1: the tracker's default
        expected += [0x1A, 0xE1]
        #expect(packet == expected)
        #expect(
            try UDPTrackerRequest.decode(packet)
                == .announce(connectionID: connectionID, transactionID: 7, request: request))
    }

    @Test func announceRequestsRoundTrip() throws {
        var random = SeededRandom(seed: 15)
        for index in 0..<200 {
            let request = try AnnounceRequest(
                infoHash: InfoHash(bytes: random.bytes(count: 20))!, peerID: random.bytes(count: 20),
                port: UInt16(1 + random.below(65535)), uploaded: Int64(random.below(1 << 50)),
                downloaded: Int64(random.below(1 << 50)), left: Int64(random.below(1 << 50)),
                event: AnnounceEvent.allCases[index % 5], numWant: index % 3 == 0 ? nil : random.below(500),
                key: UInt32(truncatingIfNeeded: random.next()),
                ip: index % 4 == 0 ? "10.\(random.below(256)).0.\(random.below(256))" : nil)
            let urlData = index % 2 == 0 ? [] : random.bytes(count: random.below(600))
            let packet = UDPTrackerRequest.announce(
                connectionID: random.next(), transactionID: UInt32(index), request: request, urlData: urlData)
            #expect(try UDPTrackerRequest.decode(packet.encoded()) == packet)
        }
    }

    @Test func udpCarriesOnlyWhatItCan() throws {
        // No tracker id, IPv4 `ip` only, key 0 for none; decoding always says compact.
        let request = try Fixtures.request(compact: false, key: nil, trackerID: [1], ip: "2001:db8::1")
        let packet = UDPTrackerRequest.announce(connectionID: 1, transactionID: 2, request: request).encoded()
        guard case .announce(_, _, let decoded, let urlData) = try UDPTrackerRequest.decode(packet) else {
            Issue.record("not an announce")
            return
        }
        #expect(urlData.isEmpty)
        #expect(decoded.trackerID == nil && decoded.ip == nil && decoded.key == 0 && decoded.compact)
        #expect(decoded.infoHash == request.infoHash && decoded.port == 6881 && decoded.numWant == 50)
    }

    @Test func bep41URLDataIsChunkedAndSkipsUnknownOptions() throws {
        let request = try Fixtures.request()
        let path = Array("/announce?passkey=0123456789".utf8)
        let packet = UDPTrackerRequest.announce(connectionID: 1, transactionID: 2, request: request, urlData: path)
        let bytes = packet.encoded()
        #expect(Array(bytes[98...]) == [2, UInt8(path.count)] + path + [0])
        // NOP, an unknown option with a length, two URL data options, end, then ignored bytes.
        let options: [UInt8] = [1, 9, 2, 0xAA, 0xBB, 2, 2, 0x2F, 0x61, 2, 1, 0x62, 0, 0xFF, 0xFF]
        let decoded = try UDPTrackerRequest.decode(Array(bytes[..<98]) + options)
        #expect(decoded == .announce(connectionID: 1, transactionID: 2, request: request, urlData: Array("/ab".utf8)))
        // Long URL data becomes several options of at most 255 bytes.
        let long = [UInt8](repeating: 0x61, count: 600)
        let longPacket = UDPTrackerRequest.announce(connectionID: 1, transactionID: 2, request: request, urlData: long)
        #expect(longPacket.encoded().count == 98 + 600 + 3 * 2 + 1)
        #expect(try UDPTrackerRequest.decode(longPacket.encoded()) == longPacket)
    }

    @Test func scrapeRequestRoundTrips() throws {
        let packet = UDPTrackerRequest.scrape(
            connectionID: connectionID, transactionID: 9, infoHashes: [Fixtures.infoHash, Fixtures.otherInfoHash])
        let bytes = packet.encoded()
        #expect(bytes.count == 16 + 40)
        #expect(Array(bytes[8..<16]) == [0, 0, 0, 2, 0, 0, 0, 9])
        #expect(try UDPTrackerRequest.decode(bytes) == packet)
    }

    @Test func refusesMalformedRequests() throws {
        let connect = UDPTrackerRequest.connect(transactionID: 1).encoded()
        let announce = UDPTrackerRequest.announce(connectionID: 5, transactionID: 1, request: try Fixtures.request())
            .encoded()
        let scrape = UDPTrackerRequest.scrape(connectionID: 5, transactionID: 1, infoHashes: [Fixtures.infoHash])
            .encoded()
        var badMagic = connect
        badMagic[7] = 0x81
        var badEvent = announce
        badEvent[83] = 9
        var zeroPort = announce
        zeroPort[96] = 0
        zeroPort[97] = 0
        var errorAction = connect
        errorAction[11] = 3
        var unknownAction = scrape
        unknownAction[11] = 7
        let cases: [([UInt8], TrackerProtocolError)] = [
            ([], .udpPacketTooShort(length: 0, minimum: 16)),
            (Array(connect[..<15]), .udpPacketTooShort(length: 15, minimum: 16)),
            (connect + [0], .udpBadLength(packet: "connect request", length: 17)),
            (badMagic, .udpBadProtocolID(0x0000_0417_2710_1981)),
            (Array(announce[..<97]), .udpBadLength(packet: "announce request", length: 97)),
            (Array(announce[..<16]), .udpBadLength(packet: "announce request", length: 16)),
            (badEvent, .udpBadEvent(9)),
            (zeroPort, .badPort("0")),
            (announce + [2], .udpMalformedOptions),
            (announce + [2, 5, 1, 2], .udpMalformedOptions),
            (announce + [9], .udpMalformedOptions),
            (Array(scrape[..<16]), .udpNoInfoHashes),
            (Array(scrape[..<35]), .udpBadLength(packet: "scrape request", length: 35)),
            (scrape + [0], .udpBadLength(packet: "scrape request", length: 37)),
            (Array(scrape[..<16]) + [UInt8](repeating: 1, count: 20 * 75), .tooManyInfoHashes(count: 75, limit: 74)),
            (errorAction, .udpUnknownAction(3)),
            (unknownAction, .udpUnknownAction(7)),
        ]
        for (bytes, error) in cases {
            #expect(throws: error, "\(bytes.count) bytes") { try UDPTrackerRequest.decode(bytes) }
        }
        // Every truncation of a valid announce is refused, never read past its end.
        for length in 0..<98 {
            #expect(throws: TrackerProtocolError.self) { try UDPTrackerRequest.decode(Array(announce[..<length])) }
        }
    }

    @Test func connectResponseRoundTrips() throws {
        let response = UDPTrackerResponse.connect(transactionID: 0xA1B2_C3D4, connectionID: connectionID)
        let bytes = response.encoded()
        #expect(bytes == [0, 0, 0, 0, 0xA1, 0xB2, 0xC3, 0xD4, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try UDPTrackerResponse.decode(bytes, peerFamily: .ipv4) == response)
    }

    @Test func announceResponseIPv4AndIPv6() throws {
        let v4 = [Fixtures.peer("10.0.0.1", 6881), Fixtures.peer("10.0.0.2", 6882)]
        let v6 = [Fixtures.peer("2001:db8::1", 6881)]
        let body = AnnounceResponse(interval: 1800, complete: 4, incomplete: 9, peers: v4 + v6)

        let bytes4 = UDPTrackerResponse.announce(transactionID: 3, response: body).encoded(peerFamily: .ipv4)
        #expect(bytes4.count == 20 + 12)
        #expect(Array(bytes4[..<20]) == [0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0x07, 0x08, 0, 0, 0, 9, 0, 0, 0, 4])
        let expected4 = AnnounceResponse(interval: 1800, complete: 4, incomplete: 9, peers: v4)
        #expect(
            try UDPTrackerResponse.decode(bytes4, peerFamily: .ipv4)
                == .announce(transactionID: 3, response: expected4))

        let bytes6 = UDPTrackerResponse.announce(transactionID: 3, response: body).encoded(peerFamily: .ipv6)
        #expect(bytes6.count == 20 + 18)
        let expected6 = AnnounceResponse(interval: 1800, complete: 4, incomplete: 9, peers: v6)
        #expect(
            try UDPTrackerResponse.decode(bytes6, peerFamily: .ipv6)
                == .announce(transactionID: 3, response: expected6))
        // Read as IPv6, 12 bytes of IPv4 entries are not whole 18-byte entries.
        #expect(
            throws: TrackerProtocolError.compactPeersMisaligned(
                key: "UDP announce response peers", length: 12, entrySize: 18)
        ) { try UDPTrackerResponse.decode(bytes4, peerFamily: .ipv6) }
    }

    @Test func scrapeAndErrorResponsesRoundTrip() throws {
        let scrape = UDPTrackerResponse.scrape(
            transactionID: 11,
            stats: [
                ScrapeStats(complete: 1, downloaded: 2, incomplete: 3),
                ScrapeStats(complete: 0, downloaded: 0, incomplete: 0),
            ])
        let bytes = scrape.encoded()
        #expect(Array(bytes[..<20]) == [0, 0, 0, 2, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(try UDPTrackerResponse.decode(bytes, peerFamily: .ipv4) == scrape)
        #expect(
            try UDPTrackerResponse.decode([0, 0, 0, 2, 0, 0, 0, 11], peerFamily: .ipv4)
                == .scrape(transactionID: 11, stats: []))

        let error = UDPTrackerResponse.error(transactionID: 12, message: "torrent not registered")
        #expect(error.encoded() == [0, 0, 0, 3, 0, 0, 0, 12] + Fixtures.bytes("torrent not registered"))
        #expect(try UDPTrackerResponse.decode(error.encoded(), peerFamily: .ipv6) == error)
        #expect(
            try UDPTrackerResponse.decode([0, 0, 0, 3, 0, 0, 0, 12], peerFamily: .ipv4)
                == .error(transactionID: 12, message: ""))
    }

    @Test func refusesMalformedResponses() {
        let cases: [([UInt8], TrackerProtocolError)] = [
            ([], .udpPacketTooShort(length: 0, minimum: 8)),
            ([0, 0, 0, 0, 0, 0, 0], .udpPacketTooShort(length: 7, minimum: 8)),
            ([0, 0, 0, 0, 0, 0, 0, 1], .udpBadLength(packet: "connect response", length: 8)),
            (
                [0, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 9),
                .udpBadLength(packet: "connect response", length: 17)
            ),
            (
                [0, 0, 0, 1, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 11),
                .udpBadLength(packet: "announce response", length: 19)
            ),
            (
                [0, 0, 0, 1, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 12 + 7),
                .compactPeersMisaligned(key: "UDP announce response peers", length: 7, entrySize: 6)
            ),
            ([0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1], .udpBadLength(packet: "scrape response", length: 12)),
            (
                [0, 0, 0, 2, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 13),
                .udpBadLength(packet: "scrape response", length: 21)
            ),
            ([0, 0, 0, 4, 0, 0, 0, 1], .udpUnknownAction(4)),
            ([0xFF, 0, 0, 0, 0, 0, 0, 1], .udpUnknownAction(0xFF00_0000)),
        ]
        for (bytes, error) in cases {
            #expect(throws: error, "\(bytes)") { try UDPTrackerResponse.decode(bytes, peerFamily: .ipv4) }
        }
    }

    @Test func eventsMapToBEP15Numbers() {
        #expect(AnnounceEvent.allCases.map(\.udpValue) == [0, 1, 2, 3, 4])
        #expect(AnnounceEvent.allCases.map { AnnounceEvent(udpValue: $0.udpValue) } == AnnounceEvent.allCases)
        #expect(AnnounceEvent(udpValue: 5) == nil)
        #expect(AnnounceEvent.allCases.compactMap(\.queryValue) == ["completed", "started", "stopped", "paused"])
    }
}
