import Foundation
import TestSupport
import Testing

@testable import MediaIngest

/// Bad input and bad places to write: one clear error each, and nothing half-made left behind.
@Suite(.serialized) struct IngestBadInputTests {
    /// Runs an ingest expected to fail and checks that the output folder holds nothing afterwards.
    private func failure(
        _ request: IngestRequest, cancellation: IngestCancellation = IngestCancellation()
    ) throws
        -> IngestError?
    {
        defer {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: request.outputFolder)) ?? []
            #expect(left.filter { !$0.hasSuffix(".input") }.isEmpty, "left behind: \(left)")
        }
        do {
            _ = try VideoIngest.run(request, cancellation: cancellation)
            return nil
        } catch {
            return error
        }
    }

    @Test func aTextFileIsNotAVideo() throws {
        let folder = try TemporaryDirectory()
        let input = try folder.write(Data("just some words\n".utf8), to: "notes.input").path
        let error = try failure(IngestRequest(input: input, outputFolder: folder.path))
        guard case .notMedia(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == input)
        #expect(error?.description.contains("not a video file") == true)
    }

    @Test func aTruncatedFileIsReportedAsDamaged() throws {
        let folder = try TemporaryDirectory()
        let error = try failure(IngestRequest(input: MediaTools.sample("truncated.mp4"), outputFolder: folder.path))
        guard case .corrupt = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description.contains("damaged or truncated") == true)
    }

    @Test func aFileCutShortAfterItsIndexIsReportedAsDamaged() throws {
        // sample.mp4 has its moov first (faststart), so half of it still opens: the media just stops.
        let folder = try TemporaryDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: MediaTools.sample("sample.mp4")))
        let input = try folder.write(whole.prefix(whole.count / 2), to: "half.input").path
        let error = try failure(IngestRequest(input: input, outputFolder: folder.path))
        guard case .corrupt = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func aFileWithoutVideoIsRefused() async throws {
        let folder = try TemporaryDirectory()
        let input = folder.url.appendingPathComponent("tone.input").path
        try await MediaTools.make(["-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", "-f", "mp4", input])
        #expect(try failure(IngestRequest(input: input, outputFolder: folder.path)) == .noVideoStream(input))
    }

    @Test func unreadablePathsNameTheCause() throws {
        let folder = try TemporaryDirectory()
        let missing = folder.url.appendingPathComponent("missing.mp4").path
        #expect(
            try failure(IngestRequest(input: missing, outputFolder: folder.path))
                == .unreadable(missing, "No such file or directory"))
        let subfolder = folder.url.appendingPathComponent("a-folder.input").path
        try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: false)
        #expect(
            try failure(IngestRequest(input: subfolder, outputFolder: folder.path))
                == .unreadable(subfolder, "is a folder"))
    }

    @Test func aReadOnlyOutputFolderIsReported() throws {
        let mount = try TmpfsMount(sizeBytes: 8 << 20)
        try mount.remount(readOnly: true)
        let error = try failure(IngestRequest(input: MediaTools.sample("no-audio.mp4"), outputFolder: mount.path))
        guard case .output(_, let reason) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason == "Read-only file system")
    }

    @Test func aFullDiskLeavesNothingBehind() throws {
        let mount = try TmpfsMount(sizeBytes: 1 << 20)  // sample.mp4 needs 2.2 MB
        let error = try failure(IngestRequest(input: MediaTools.sample("sample.mp4"), outputFolder: mount.path))
        guard case .diskFull = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description.contains("disk full") == true)
    }

    @Test func transcodeNeverNamesTheStreamAndCodec() throws {
        let folder = try TemporaryDirectory()
        let error = try failure(
            IngestRequest(input: MediaTools.sample("mpeg2-mp2.ts"), outputFolder: folder.path, transcode: .never))
        guard case .transcodeRefused(let stream, let reason) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(stream == "stream 0 (mpeg2video)")
        #expect(reason.contains("mpeg2video"))
        #expect(error?.description.contains("--transcode never") == true)

        let longGOP = try failure(
            IngestRequest(input: MediaTools.sample("long-gop.mp4"), outputFolder: folder.path, transcode: .never))
        #expect(longGOP?.description.contains("key frames up to 10 s apart") == true, "\(String(describing: longGOP))")
    }

    @Test func cancellingStopsAndRemovesEverything() throws {
        let folder = try TemporaryDirectory()
        let cancellation = IngestCancellation()
        cancellation.cancel()
        #expect(
            try failure(
                IngestRequest(input: MediaTools.sample("sample.mp4"), outputFolder: folder.path),
                cancellation: cancellation) == .interrupted)
    }

    @Test func aStagingFolderLeftByAKilledRunIsCleanedUp() throws {
        let folder = try TemporaryDirectory()
        let staging = folder.url.appendingPathComponent(".no-audio.ingest-partial")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        try Data([1, 2, 3]).write(to: staging.appendingPathComponent("segment-00000.m4s"))
        let result = try VideoIngest.run(
            IngestRequest(input: MediaTools.sample("no-audio.mp4"), outputFolder: folder.path))
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(FileManager.default.fileExists(atPath: result.torrentPath))
    }
}
