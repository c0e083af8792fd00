import Foundation
import Glibc
import TestSupport
import Testing
import TorrentCreation
import TorrentModel

// Helpers for the creation tests: throw-away folders on disk, reproducible file contents, and a SHA-1
// written here (the same as in TorrentModelTests) so piece hashes are checked against code Shoal does not use.

/// A fresh folder under /tmp, removed with everything in it when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/shoal-creation-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relative` inside the folder.
    func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes `bytes` to `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = url(relative)
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func makeFolder(_ relative: String) throws -> String {
        try FileManager.default.createDirectory(atPath: url(relative), withIntermediateDirectories: true)
        return url(relative)
    }

    /// A symbolic link at `relative` whose target is `destination`, exactly as given.
    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(relative), withDestinationPath: destination)
    }

    func fifo(_ relative: String) throws {
        guard mkfifo(url(relative), 0o644) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}

/// `count` reproducible pseudo-random bytes; different seeds give different contents.
func content(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = SeededRandom(seed: seed)
    return random.bytes(count: count)
}

/// The piece hashes of `stream` cut into pieces of `pieceLength`, computed with `ReferenceSHA1`.
func referencePieceHashes(_ stream: [UInt8], pieceLength: Int) -> [UInt8] {
    stride(from: 0, to: stream.count, by: pieceLength).flatMap { start in
        ReferenceSHA1.hash(Array(stream[start..<min(stream.count, start + pieceLength)]))
    }
}

/// Scans and hashes `path` with `TorrentCreator`.
func create(
    _ path: String, pieceLength: Int? = nil, alignFiles: Bool = false, options: TorrentOptions = TorrentOptions(),
    threads: Int = 2, progress: ProgressCounter? = nil
) throws(CreationError) -> CreatedTorrent {
    let creator = TorrentCreator(
        CreationRequest(
            path: path, pieceLength: pieceLength, alignFiles: alignFiles, options: options, threadCount: threads))
    return try creator.create(from: creator.scan(), progress: progress)
}

/// The error scanning `path` throws, or nil when it succeeds.
func scanError(_ path: String) -> CreationError? {
    do {
        _ = try ContentScanner.scan(path: path)
        return nil
    } catch {
        return error
    }
}
