import Foundation
import TestSupport
import TorrentModel

/// libtorrent's view of a torrent, as `Scripts/lt_tool.py inspect` prints it.
struct LibtorrentView: Decodable {
    struct File: Decodable {
        var path: String
        var length: Int64
        var pad: Bool
    }

    var infoHash: String
    var name: String
    var pieceLength: Int
    var pieceCount: Int
    var totalSize: Int64
    var `private`: Bool
    var trackers: [String]
    var files: [File]
}

/// The real tools the interop tests drive: python3-libtorrent and mktorrent from Debian.
enum InteropTools {
    /// Debian's interpreter: the only one that sees python3-libtorrent.
    static let python = "/usr/bin/python3"

    static var script: String {
        Bundle.module.url(forResource: "Scripts/lt_tool", withExtension: "py")!.path
    }

    static func libtorrent(_ arguments: [String]) async throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingTool(program: python, installHint: "python3-libtorrent")
        }
        let result = try await ProcessRunner.run(python, [script] + arguments)
        if result.standardError.contains("No module named 'libtorrent'") {
            throw MissingTool(program: "python3-libtorrent", installHint: "python3-libtorrent")
        }
        return result
    }

    /// The script as a background process (a seeder, a long download).
    static func libtorrentInBackground(_ arguments: [String]) throws -> BackgroundProcess {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingTool(program: python, installHint: "python3-libtorrent")
        }
        return try BackgroundProcess(python, [script] + arguments, name: "libtorrent \(arguments.first ?? "")")
    }

    static func inspect(_ torrent: String) async throws -> LibtorrentView {
        let result = try await libtorrent(["inspect", torrent])
        guard result.exitCode == 0 else { throw ToolFailure(tool: "libtorrent inspect", result: result) }
        return try JSONDecoder().decode(LibtorrentView.self, from: Data(result.standardOutput.utf8))
    }

    static func mktorrent(_ arguments: [String]) async throws -> ProcessResult {
        let path = try ProcessRunner.which("mktorrent", installHint: "mktorrent")
        let result = try await ProcessRunner.run(path, arguments)
        guard result.exitCode == 0 else { throw ToolFailure(tool: "mktorrent", result: result) }
        return result
    }

    /// Parses a torrent file with Shoal's own parser.
    static func shoalMetainfo(_ path: String) throws -> Metainfo {
        try Metainfo(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Data files as "path/inside/torrent" → length, in libtorrent's naming (the torrent name first
    /// for a multi-file torrent).
    static func dataFiles(of view: LibtorrentView) -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: view.files.filter { !$0.pad }.map { ($0.path, $0.length) })
    }

    static func dataFiles(of metainfo: Metainfo) -> [String: Int64] {
        Dictionary(
            uniqueKeysWithValues: metainfo.dataFiles.map { file in
                ((metainfo.isMultiFile ? [metainfo.name] + file.path : file.path).joined(separator: "/"), file.length)
            })
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var tool: String
    var result: ProcessResult

    var description: String {
        "\(tool) failed with exit code \(result.exitCode): \(result.standardError)\(result.standardOutput)"
    }
}

/// Content for torrents: a nested folder with an empty file, a non-ASCII name and sizes that
/// do not line up with pieces.
func makeSampleFolder(in directory: TemporaryDirectory, name: String = "content") throws -> String {
    var random = SeededRandom(seed: 42)
    try directory.write(random.data(count: 1_000_003), to: "\(name)/video/segment-00001.m4s")
    try directory.write(random.data(count: 77_777), to: "\(name)/video/segment-00002.m4s")
    try directory.write(random.data(count: 300), to: "\(name)/master.m3u8")
    try directory.write(Data(), to: "\(name)/empty.txt")
    try directory.write(random.data(count: 65_536), to: "\(name)/ünïcode ファイル.bin")
    return directory.url.appendingPathComponent(name).path
}

/// The repository's sample clip.
var sampleVideoPath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/sample.mp4").path
}
