import Foundation
import TestSupport

/// The content, its torrent (made by libtorrent, v1) and the peers a PEX interop test starts.
struct PEXSwarm {
    let directory: TemporaryDirectory
    let content: String
    let torrent: String

    init() async throws {
        directory = try TemporaryDirectory(prefix: "shoal-pex-interop")
        content = try makeSampleFolder(in: directory)
        torrent = directory.url.appendingPathComponent("content.torrent").path
        let made = try await InteropTools.libtorrent([
            "create", content, torrent, "--v1-only", "--piece-length", "32768",
        ])
        guard made.exitCode == 0 else { throw ToolFailure(tool: "libtorrent create", result: made) }
    }

    func folder(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// `shoal ARGUMENTS` listening on `bind` (a port of its choosing), once it listens.
    func shoal(_ arguments: [String], bind: String) async throws -> (process: BackgroundProcess, port: Int) {
        let process = try BackgroundProcess(
            try ShoalBinary.path(), arguments + ["--port", "0", "--bind", bind, "-q"], name: "shoal \(arguments[0])")
        let port = try await process.waitForLine(startingWith: "listening on \(bind):")
        return (process, Int(port)!)
    }

    /// libtorrent downloading the torrent, listening on `listen`, connected to `peers`.
    func libtorrent(listen: String, peers: [String]) async throws -> (process: BackgroundProcess, port: Int) {
        let script = Bundle.module.url(forResource: "Scripts/lt_pex", withExtension: "py")!.path
        let arguments =
            [script, "join", torrent, folder("libtorrent"), "--listen", listen] + peers.flatMap { ["--peer", $0] }
        let process = try BackgroundProcess(InteropTools.python, arguments, name: "libtorrent join")
        let port = try await process.waitForLine(startingWith: "port: ")
        return (process, Int(port)!)
    }
}
