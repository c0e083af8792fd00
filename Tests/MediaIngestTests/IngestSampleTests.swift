import Foundation
import HLS
import TestSupport
import Testing
import TorrentModel

@testable import MediaIngest

/// Every bundled sample through the whole ingest, checked from the outside with ffprobe and ffmpeg.
@Suite(.serialized) struct IngestSampleTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        enum Audio: Sendable { case copied, reencoded, none }
        var file: String
        var videoCopied: Bool
        var audio: Audio
        var testDescription: String { file }
    }

    static let samples: [Sample] = [
        Sample(file: "sample.mp4", videoCopied: true, audio: .copied),
        Sample(file: "clip.mkv", videoCopied: true, audio: .copied),
        Sample(file: "mpeg2-mp2.ts", videoCopied: false, audio: .reencoded),
        Sample(file: "long-gop.mp4", videoCopied: false, audio: .copied),
        Sample(file: "no-audio.mp4", videoCopied: true, audio: .none),
    ]

    @Test(arguments: samples) func ingestsIntoPlayableKeyFrameAlignedSegments(_ sample: Sample) async throws {
        let input = MediaTools.sample(sample.file)
        let output = try TemporaryDirectory()
        let result = try VideoIngest.run(IngestRequest(input: input, outputFolder: output.path))
        #expect(!result.reused)

        // The plan: what was copied and what re-encoded.
        let streams = result.summary.streams
        #expect(streams.first?.hasSuffix("copied") == sample.videoCopied, "\(streams)")
        switch sample.audio {
        case .copied: #expect(streams.count == 2 && streams[1].hasSuffix("copied"), "\(streams)")
        case .reencoded: #expect(streams.count == 2 && streams[1].contains("re-encoded to AAC"), "\(streams)")
        case .none: #expect(streams.count == 1, "\(streams)")
        }

        let folder = result.folderPath
        let media = try MediaPlaylist(parsing: try read(folder + "/media.m3u8"))
        #expect(media.segments.count == result.summary.segmentCount)
        #expect(media.segments.count >= 2)

        // Every segment starts with a key frame (init + segment is a playable MP4 on its own).
        for segment in media.segments {
            let joined = output.url.appendingPathComponent("check.mp4")
            try Data(try read(folder + "/init.mp4") + read(folder + "/" + segment.uri)).write(to: joined)
            #expect(try await MediaTools.firstVideoFrameIsKey(joined.path), "\(sample.file) \(segment.uri)")
        }

        // init + all segments decode without a single error.
        var whole = try read(folder + "/init.mp4")
        for segment in media.segments { whole += try read(folder + "/" + segment.uri) }
        let joined = output.url.appendingPathComponent("whole.mp4")
        try Data(whole).write(to: joined)
        #expect(try await MediaTools.decodeErrors(joined.path) == "", "\(sample.file)")

        // The playlist's durations add up to the input's within one frame.
        let frame = 1 / (try await MediaTools.frameRate(of: input))
        let inputDuration = try await MediaTools.duration(of: input)
        let total = media.segments.reduce(0) { $0 + $1.duration }
        #expect(abs(total - inputDuration) <= frame, "\(sample.file): \(total) s against \(inputDuration) s")

        // Segments are cut near the target: re-encoded video exactly at it, copied video at key frames.
        let timeline = SegmentTimeline(target: IngestRequest.defaultSegmentDuration)
        for (index, segment) in media.segments.dropLast().enumerated() {
            let target = timeline.target(ofSegment: index)
            if sample.videoCopied {
                #expect(segment.duration >= target / 2 && segment.duration <= target * 2, "\(segment)")
            } else {
                #expect(abs(segment.duration - target) <= frame, "\(sample.file): \(segment)")
            }
        }

        // Both playlists obey RFC 8216, and FFmpeg reads the master playlist from the folder.
        let master = try String(decoding: read(folder + "/master.m3u8"), as: UTF8.self)
        #expect(PlaylistRules.violations(in: master, as: .master) == [])
        #expect(PlaylistRules.violations(in: try read(folder + "/media.m3u8"), as: .media) == [])
        #expect(try await MediaTools.decodeErrors(folder + "/master.m3u8") == "", "\(sample.file)")
        #expect(abs(try await MediaTools.duration(of: folder + "/master.m3u8") - total) <= frame)

        try VideoTorrentChecks.verifyPieces(result.metainfo, folder: folder)

        // Same input, same options: the same bytes and the same infohash.
        let again = try TemporaryDirectory()
        let second = try VideoIngest.run(IngestRequest(input: input, outputFolder: again.path))
        #expect(second.metainfo.infoHash == result.metainfo.infoHash, "\(sample.file) is not deterministic")
        for file in result.metainfo.dataFiles {
            #expect(
                try read(folder + "/" + file.pathString) == read(second.folderPath + "/" + file.pathString),
                "\(file.pathString)")
        }
    }

    @Test func theVideoTorrentListsFilesInPlaybackOrderWithSegmentsOnPieceBoundaries() throws {
        let output = try TemporaryDirectory()
        let result = try VideoIngest.run(
            IngestRequest(input: MediaTools.sample("sample.mp4"), outputFolder: output.path))
        let metainfo = result.metainfo
        #expect(metainfo.name == "sample")
        #expect(metainfo.isMultiFile)
        let names = metainfo.dataFiles.map(\.pathString)
        #expect(Array(names.prefix(3)) == ["master.m3u8", "media.m3u8", "init.mp4"])
        let segments = Array(names.dropFirst(3))
        #expect(segments == segments.sorted())
        #expect(segments.first == "segment-00000.m4s")
        for file in metainfo.files where file.path.first?.hasPrefix("segment-") == true {
            #expect(file.offset % Int64(metainfo.pieceLength) == 0, "\(file.pathString) at \(file.offset)")
        }
        #expect(metainfo.files.last?.isPadding == false)
        #expect(metainfo.trackers.isEmpty)
    }

    @Test func aSecondRunReusesTheOutputAndOtherOptionsNeedForce() throws {
        let output = try TemporaryDirectory()
        let request = IngestRequest(input: MediaTools.sample("no-audio.mp4"), outputFolder: output.path)
        let first = try VideoIngest.run(request)
        let segment = first.folderPath + "/segment-00000.m4s"
        let modified = try FileManager.default.attributesOfItem(atPath: segment)[.modificationDate] as? Date

        let second = try VideoIngest.run(request)
        #expect(second.reused)
        #expect(second.metainfo.infoHash == first.metainfo.infoHash)
        #expect(second.summary.segmentCount == first.summary.segmentCount)
        #expect(second.summary.codecs == first.summary.codecs)
        #expect(try FileManager.default.attributesOfItem(atPath: segment)[.modificationDate] as? Date == modified)

        var other = request
        other.segmentDuration = 2
        #expect(throws: IngestError.outputExists(first.torrentPath)) { try VideoIngest.run(other) }
        other.force = true
        let replaced = try VideoIngest.run(other)
        #expect(!replaced.reused)
        #expect(replaced.metainfo.infoHash != first.metainfo.infoHash)
        #expect(replaced.summary.segmentCount > first.summary.segmentCount)

        // An output missing a segment is made again, without --force: it is the same file and options.
        try FileManager.default.removeItem(atPath: replaced.folderPath + "/segment-00001.m4s")
        other.force = false
        let remade = try VideoIngest.run(other)
        #expect(!remade.reused)
        #expect(remade.metainfo.infoHash == replaced.metainfo.infoHash)
        #expect(FileManager.default.fileExists(atPath: replaced.folderPath + "/segment-00001.m4s"))
    }

    @Test func theAudioTrackOptionPicksAnAudioStream() async throws {
        let output = try TemporaryDirectory()
        let input = output.url.appendingPathComponent("two-tracks.mkv").path
        try await MediaTools.make([
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=3", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000:duration=3", "-f", "lavfi", "-i",
            "sine=frequency=880:sample_rate=44100:duration=3", "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264",
            "-g", "25", "-c:a", "aac", "-threads", "1", input,
        ])
        let second = try VideoIngest.run(IngestRequest(input: input, outputFolder: output.path, audioTrack: 1))
        #expect(second.summary.streams.count == 2)
        #expect(second.summary.streams[1].contains("stream 2"), "\(second.summary.streams)")
        #expect(throws: IngestError.noSuchAudioTrack(input, track: 2, available: 2)) {
            try VideoIngest.run(IngestRequest(input: input, outputFolder: output.path, name: "x", audioTrack: 2))
        }
    }

    private func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// Checks a video torrent against its folder the way a downloader would.
enum VideoTorrentChecks {
    /// Every piece's SHA-1 matches the folder's bytes (pad files are zeros).
    static func verifyPieces(_ metainfo: Metainfo, folder: String) throws {
        var stream: [UInt8] = []
        for file in metainfo.files {
            if file.isPadding {
                stream += [UInt8](repeating: 0, count: Int(file.length))
            } else {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file.pathString)))
                #expect(Int64(bytes.count) == file.length, "\(file.pathString)")
                stream += bytes
            }
        }
        #expect(stream.count == Int(metainfo.totalLength))
        for piece in 0..<metainfo.pieceCount {
            let range = metainfo.geometry.byteRange(ofPiece: piece)
            let digest = ReferenceSHA1.hash(Array(stream[Int(range.lowerBound)..<Int(range.upperBound)]))
            #expect(digest == Array(metainfo.pieceHashes[piece * 20..<piece * 20 + 20]), "piece \(piece)")
        }
    }
}
