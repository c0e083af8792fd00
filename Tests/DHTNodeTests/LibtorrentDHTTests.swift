import DHT
import DHTNode
import Foundation
import TestSupport
import Testing
import TorrentModel

/// Shoal's DHT and libtorrent's (python3-libtorrent 2.0.8) in one small DHT on 127.0.0.1: libtorrent
/// bootstraps from a Shoal node; each finds the peer the other announced.
@Suite(.timeLimit(.minutes(5))) struct LibtorrentDHTTests {
    static let python = "/usr/bin/python3"

    static var script: String {
        Bundle.module.url(forResource: "Scripts/lt_dht", withExtension: "py")!.path
    }

    @Test func shoalAndLibtorrentFindEachOthersPeers() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw MissingTool(program: Self.python, installHint: "python3-libtorrent")
        }
        var random = SeededRandom(seed: 8)
        let first = try await LoopbackDHT.node(LoopbackDHT.settings())
        var nodes = [first]
        for _ in 1..<4 { nodes.append(try await LoopbackDHT.node(LoopbackDHT.settings(bootstrap: [first.port]))) }
        // libtorrent's torrent, which Shoal must find; Shoal's, which libtorrent must find.
        let theirs = InfoHash(bytes: random.bytes(count: 20))!
        let ours = InfoHash(bytes: random.bytes(count: 20))!
        let ourPeerPort: UInt16 = 47_011
        let all = nodes

        try await LoopbackDHT.running(all) {
            let libtorrent = try BackgroundProcess(
                Self.python,
                [
                    Self.script, "--bootstrap", "127.0.0.1:\(first.port)", "--torrent", theirs.description, "--find",
                    ours.description, "--timeout", "200",
                ], name: "libtorrent DHT")
            defer { libtorrent.stop() }
            let port = try await libtorrent.waitForLine(startingWith: "port: ")
            let libtorrentPeer = PeerAddress(host: "127.0.0.1", port: try #require(UInt16(port)))

            // Shoal finds libtorrent's listen port for its torrent; meanwhile it announces its own again
            // and again, as libtorrent joins the tables of more Shoal nodes.
            let announcer = all[2]
            let finder = all[3]
            let deadline = ContinuousClock.now + .seconds(180)
            var found = false
            var announced: DHTAnnounceResult?
            // Both must succeed: a first announce may come before the announcer has proven itself to
            // anyone, and then no node hands it a token.
            var done: Bool { found && (announced?.acknowledged ?? 0) > 0 }
            while !done && ContinuousClock.now < deadline {
                announced = await announcer.announce(ours, port: ourPeerPort)
                if !found { found = await finder.getPeers(theirs).contains(libtorrentPeer) }
                if !done { try await Task.sleep(for: .seconds(2)) }
            }
            #expect(found, "Shoal did not find libtorrent's peer; libtorrent said: \(libtorrent.standardOutput)")
            #expect((announced?.acknowledged ?? 0) > 0, "announce: \(String(describing: announced))")

            // libtorrent finds Shoal's announced peer with dht_get_peers.
            let wanted = "found: 127.0.0.1:\(ourPeerPort)"
            let foundByLibtorrent = try await Self.waitForOutput(of: libtorrent, containing: wanted)
            #expect(foundByLibtorrent, "libtorrent did not find Shoal's peer; it said: \(libtorrent.standardOutput)")
            let shoalKnowsLibtorrent = await first.routingTableSize
            #expect(shoalKnowsLibtorrent >= all.count - 1)
        }
    }

    /// Whether `process` printed a line equal to `line` within two minutes.
    static func waitForOutput(of process: BackgroundProcess, containing line: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline && process.isRunning {
            if process.standardOutput.split(separator: "\n").contains(Substring(line)) { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return process.standardOutput.split(separator: "\n").contains(Substring(line))
    }
}
