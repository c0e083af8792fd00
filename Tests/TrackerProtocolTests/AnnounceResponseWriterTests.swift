import Bencode
import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("the tracker's announce response writer")
struct AnnounceResponseWriterTests {
    static let peers: [TrackedPeer] = [
        TrackedPeer(
            address: TrackerPeerAddress(addressBytes: [192, 0, 2, 1], port: 6881)!,
            peerID: TrackerPeerID(Array("-SH0100-abcdefghijkl".utf8))!, isSeed: false, lastSeen: 0),
        TrackedPeer(
            address: TrackerPeerAddress(
                addressBytes: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [7], port: 51413)!,
            peerID: TrackerPeerID(Array("-LT2080-000000000001".utf8))!, isSeed: true, lastSeen: 0),
        TrackedPeer(
            address: TrackerPeerAddress(addressBytes: [198, 51, 100, 9], port: 1)!,
            peerID: TrackerPeerID(Array("-AR1370-zzzzzzzzzzzz".utf8))!, isSeed: true, lastSeen: 0),
    ]

    static let header = AnnounceResponseWriter.Header(
        interval: 1800, minInterval: 900, stats: ScrapeStats(complete: 2, downloaded: 1234567, incomplete: 1),
        trackerID: Array("ab12".utf8), warning: "slow down")

    @Test func compactIsTheCanonicalEncodingOfTheSameResponse() {
        let written = AnnounceResponseWriter.compact(Self.header, peers: Self.peers)
        let model = AnnounceResponse(
            interval: 1800, minInterval: 900, trackerID: Array("ab12".utf8), complete: 2, incomplete: 1,
            downloaded: 1234567, peers: Self.peers.map(\.address.endpoint), warning: "slow down")
        #expect(written == model.bencoded(peerForm: .compact))
        guard case .success(let decoded) = try? AnnounceResponse.decodeHTTP(written) else {
            Issue.record("the written response does not decode")
            return
        }
        #expect(Set(decoded.peers) == Set(Self.peers.map(\.address.endpoint)))
    }

    @Test func compactWithoutIPv6PeersHasNoPeers6AndEmptyIsStillAList() {
        let plain = AnnounceResponseWriter.Header(
            interval: 60, minInterval: 30, stats: ScrapeStats(complete: 0, downloaded: 0, incomplete: 0))
        let written = AnnounceResponseWriter.compact(plain, peers: [])
        #expect(
            String(decoding: written, as: UTF8.self)
                == "d8:completei0e10:downloadedi0e10:incompletei0e8:intervali60e12:min intervali30e5:peers0:e")
    }

    @Test func dictionaryPeersCarryIPPortAndPeerIDUnlessAskedNot() throws {
        let withIDs = AnnounceResponseWriter.dictionary(Self.header, peers: Self.peers, includePeerIDs: true)
        let value = try BencodeDecoder.decode(withIDs).value
        let list = try #require(value.dictionaryValue?[Array("peers".utf8)]?.listValue)
        #expect(list.count == 3)
        let second = try #require(list[1].dictionaryValue)
        #expect(second[Array("ip".utf8)]?.bytesValue == Array("2001:db8::7".utf8))
        #expect(second[Array("port".utf8)]?.integerValue == 51413)
        #expect(second[Array("peer id".utf8)]?.bytesValue == Array("-LT2080-000000000001".utf8))
        // Without peer ids it is exactly the model's dictionary form.
        let withoutIDs = AnnounceResponseWriter.dictionary(Self.header, peers: Self.peers, includePeerIDs: false)
        let model = AnnounceResponse(
            interval: 1800, minInterval: 900, trackerID: Array("ab12".utf8), complete: 2, incomplete: 1,
            downloaded: 1234567, peers: Self.peers.map(\.address.endpoint), warning: "slow down")
        #expect(withoutIDs == model.bencoded(peerForm: .dictionary))
    }

    @Test func udpIsTheBEP15Encoding() {
        for family in PeerAddressFamily.allCases {
            let written = AnnounceResponseWriter.udp(
                transactionID: 0xDEAD_BEEF, interval: 1800, stats: Self.header.stats, peers: Self.peers, family: family)
            let model = UDPTrackerResponse.announce(
                transactionID: 0xDEAD_BEEF,
                response: AnnounceResponse(
                    interval: 1800, complete: 2, incomplete: 1, peers: Self.peers.map(\.address.endpoint)))
            #expect(written == model.encoded(peerFamily: family))
        }
    }

    @Test func failureIsTheBEP3Form() {
        #expect(
            AnnounceResponseWriter.failure("no")
                == TrackerReply<AnnounceResponse>.failure(reason: "no").bencoded(peerForm: .compact))
    }

    @Test func decimalsMatchSwiftsOwn() {
        var random = SeededRandom(seed: 11)
        for value in [0, 1, 9, 10, 99, 100, -1, -10, Int.max, Int.min + 1]
            + (0..<200).map({ _ in Int(truncatingIfNeeded: random.next()) })
        {
            var out: [UInt8] = []
            AnnounceResponseWriter.writeDecimal(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}
