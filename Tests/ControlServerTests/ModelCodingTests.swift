import Foundation
import NodeAPI
import Testing
import TorrentModel

@Suite struct ModelCodingTests {
    let added = Date(timeIntervalSince1970: 1_780_000_000)

    func summary(completed: Date? = nil) -> TorrentSummary {
        TorrentSummary(
            infoHash: String(repeating: "a1", count: 20), name: "clip", state: .downloading, progress: 0.25,
            totalBytes: 50_000, verifiedBytes: 12_500, downloadRate: 1_000, uploadRate: 20, peers: 3, addedAt: added,
            completedAt: completed)
    }

    func jsonObject(_ value: some Encodable) throws -> [String: Any] {
        let data = try NodeAPIJSON.makeEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func summaryHasEveryKeyAndISODates() throws {
        let object = try jsonObject(summary())
        #expect(
            Set(object.keys) == [
                "infoHash", "name", "state", "progress", "totalBytes", "verifiedBytes", "downloadRate", "uploadRate",
                "peers", "addedAt", "completedAt",
            ])
        #expect(object["completedAt"] is NSNull)
        #expect(object["addedAt"] as? String == "2026-05-28T20:26:40Z")
        #expect(object["state"] as? String == "downloading")

        let done = summary(completed: added.addingTimeInterval(60))
        let data = try NodeAPIJSON.makeEncoder().encode(done)
        #expect(try NodeAPIJSON.makeDecoder().decode(TorrentSummary.self, from: data) == done)
        #expect(
            try NodeAPIJSON.makeDecoder().decode(TorrentSummary.self, from: NodeAPIJSON.makeEncoder().encode(summary()))
                == summary())
    }

    @Test func detailIsFlatAndItsPiecesAreAWireOrderBitfield() throws {
        var bitfield = Bitfield(count: 10)
        bitfield[0] = true
        bitfield[2] = true
        bitfield[9] = true
        let detail = TorrentDetail(
            summary: summary(), savePath: "/srv/video", uploadedTotal: 5, downloadedTotal: 7, pieceLength: 16_384,
            pieces: bitfield,
            files: [TorrentFileInfo(path: "a/b.ts", length: 40_000, priority: 7, verifiedBytes: 16_384)],
            peerList: [PeerInfo(address: "[::1]:6881", client: nil, downloadRate: 9, uploadRate: 1)])
        // Piece 0 is the high bit of byte 0: 1010_0000 0100_0000.
        #expect(detail.pieces == Data([0xA0, 0x40]).base64EncodedString())
        #expect(detail.pieceCount == 10)
        #expect(detail.pieceBitfield == bitfield)
        #expect(detail.progress == 0.25)
        #expect(detail.name == "clip")

        let object = try jsonObject(detail)
        #expect(object["infoHash"] as? String == detail.infoHash)
        #expect(object["savePath"] as? String == "/srv/video")
        #expect(object["pieces"] as? String == "oEA=")
        let peers = try #require(object["peerList"] as? [[String: Any]])
        #expect(peers.first?["client"] is NSNull)
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.first?["path"] as? String == "a/b.ts")

        let data = try NodeAPIJSON.makeEncoder().encode(detail)
        #expect(try NodeAPIJSON.makeDecoder().decode(TorrentDetail.self, from: data) == detail)
    }

    @Test func piecesThatDoNotFitTheCountAreRefused() {
        #expect(TorrentDetail.decodePieces("oEA=", count: 10) != nil)
        #expect(TorrentDetail.decodePieces("oEA=", count: 9) == nil)  // piece 9 would be a spare bit
        #expect(TorrentDetail.decodePieces("oEA=", count: 17) == nil)  // three bytes needed
        #expect(TorrentDetail.decodePieces("not base64!", count: 10) == nil)
        #expect(TorrentDetail.decodePieces("", count: 0) == Bitfield(count: 0))
    }

    @Test func addRequestJSONForms() throws {
        let decoder = NodeAPIJSON.makeDecoder()
        let magnet = try decoder.decode(
            AddTorrentRequest.self, from: Data(#"{"magnet": "magnet:?xt=urn:btih:x", "savePath": "/tmp/v"}"#.utf8))
        #expect(magnet == .magnet("magnet:?xt=urn:btih:x", savePath: "/tmp/v", paused: false))

        let bytes = makeTorrent()
        let base64 = Data(bytes).base64EncodedString()
        let metainfo = try decoder.decode(
            AddTorrentRequest.self, from: Data(#"{"metainfo": "\#(base64)", "paused": true}"#.utf8))
        #expect(metainfo == .metainfo(bytes, savePath: nil, paused: true))

        for request in [magnet, metainfo] {
            let data = try NodeAPIJSON.makeEncoder().encode(request)
            #expect(try decoder.decode(AddTorrentRequest.self, from: data) == request)
        }

        for bad in [
            #"{"magnet": "magnet:?xt=urn:btih:x", "metainfo": "AAAA"}"#, #"{"savePath": "/tmp"}"#,
            #"{"metainfo": "%%%"}"#, #"{"magnet": 5}"#, #"{"magnet": "m", "paused": "yes"}"#, "[]",
        ] {
            #expect(throws: DecodingError.self) { try decoder.decode(AddTorrentRequest.self, from: Data(bad.utf8)) }
        }
    }

    @Test func addRequestValidationParsesTheTorrentOrMagnet() throws {
        let bytes = makeTorrent(name: "movie")
        let expected = try Metainfo(bytes: bytes).infoHash
        #expect(try AddTorrentRequest.metainfo(bytes).validatedInfoHash() == expected)
        let link = "magnet:?xt=urn:btih:\(expected.hex)&dn=movie"
        #expect(try AddTorrentRequest.magnet(link).validatedInfoHash() == expected)

        for request in [
            AddTorrentRequest.magnet("http://example.com/x.torrent"), .magnet("magnet:?dn=nohash"),
            .magnet("magnet:?xt=urn:btih:1234"), .metainfo([]), .metainfo(Array("d4:spam4:eggse".utf8)),
            .metainfo(Array("not bencode".utf8)),
        ] {
            #expect(throws: NodeControlError.self) { try request.validatedInfoHash() }
            do {
                _ = try request.validatedInfoHash()
            } catch {
                guard case .invalidInput(let message) = error else {
                    Issue.record("expected invalidInput, got \(error)")
                    continue
                }
                #expect(!message.isEmpty)
            }
        }
    }

    @Test func filePriorityValidation() throws {
        try FilePriority.validate([0, 1, 4, 7], fileCount: 4)
        try FilePriority.validate([], fileCount: 0)
        #expect(
            throws: NodeControlError.invalidInput("got 2 file priorities for a torrent of 3 files: give one per file")
        ) {
            try FilePriority.validate([4, 4], fileCount: 3)
        }
        #expect(
            throws: NodeControlError.invalidInput("file priority 8 (file 1) is out of range: use 0 (skip) to 7 (high)")
        ) {
            try FilePriority.validate([4, 8], fileCount: 2)
        }
        #expect(throws: NodeControlError.self) { try FilePriority.validate([-1], fileCount: 1) }
    }

    @Test func stateIsAPlainStringAndOpen() throws {
        let data = try NodeAPIJSON.makeEncoder().encode([
            TorrentState.fetchingMetadata, TorrentState(rawValue: "moving"),
        ])
        #expect(String(decoding: data, as: UTF8.self) == #"["fetching metadata","moving"]"#)
        #expect(
            try NodeAPIJSON.makeDecoder().decode([TorrentState].self, from: data) == [
                .fetchingMetadata, TorrentState(rawValue: "moving"),
            ])
    }

    @Test func healthRoundTrips() throws {
        let health = NodeHealth(version: "0.1.0", torrentCount: 2, uptimeSeconds: 12.5, peerPort: 6881, apiPort: 6880)
        let object = try jsonObject(health)
        #expect(object["status"] as? String == "ok")
        let data = try NodeAPIJSON.makeEncoder().encode(health)
        #expect(try NodeAPIJSON.makeDecoder().decode(NodeHealth.self, from: data) == health)
    }
}
