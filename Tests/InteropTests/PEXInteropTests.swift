import Foundation
import TestSupport
import Testing

/// Peer exchange (BEP 11) between Shoal and libtorrent (python3-libtorrent 2.0), both ways, each peer on
/// its own loopback address (127.0.0.2 to .4): libtorrent keeps one peer-list entry per IP by default,
/// so on a shared 127.0.0.1 a peer learned through PEX would merge with the peer that told of it.
@Suite("PEX interop with libtorrent", .serialized)
struct PEXInteropTests {
    @Test("libtorrent learns a third peer from Shoal's ut_pex and connects to it", .timeLimit(.minutes(4)))
    func libtorrentLearnsFromShoal() async throws {
        let swarm = try await PEXSwarm()
        // The third peer: a Shoal seed that only Shoal knows of.
        let third = try await swarm.shoal(
            ["seed", swarm.torrent, "--data", swarm.directory.url.path], bind: "127.0.0.3")
        // Slow uploads keep libtorrent downloading (a seed would not dial another seed) until it hears of the third.
        let told = try await swarm.shoal(
            [
                "download", swarm.torrent, "-o", swarm.folder("shoal"), "--seed", "--peer", "127.0.0.3:\(third.port)",
                "--max-upload-rate", "64k",
            ], bind: "127.0.0.2")
        let libtorrent = try await swarm.libtorrent(listen: "127.0.0.4", peers: ["127.0.0.2:\(told.port)"])
        let sources = try await libtorrent.process.waitForLine(
            startingWith: "peer 127.0.0.3:\(third.port) ", timeout: .seconds(120))
        #expect(sources.split(separator: ",").contains("pex"), "libtorrent learned the third peer from: \(sources)")
        _ = try await libtorrent.process.waitForLine(startingWith: "complete", timeout: .seconds(120))
        for process in [libtorrent.process, told.process, third.process] { process.stop() }
    }

    @Test("Shoal learns a third peer from libtorrent's ut_pex and downloads from it", .timeLimit(.minutes(4)))
    func shoalLearnsFromLibtorrent() async throws {
        let swarm = try await PEXSwarm()
        // The third peer serves slowly: libtorrent, still downloading, stays connected to it (two seeds hang up
        // on each other) and so has it to tell of.
        let third = try await swarm.shoal(
            ["seed", swarm.torrent, "--data", swarm.directory.url.path, "--max-upload-rate", "64k", "-v"],
            bind: "127.0.0.3")
        let libtorrent = try await swarm.libtorrent(listen: "127.0.0.4", peers: ["127.0.0.3:\(third.port)"])
        _ = try await libtorrent.process.waitForLine(startingWith: "peer 127.0.0.3:\(third.port) ")
        // Shoal knows only libtorrent; `--verbose` logs each connection with where the peer came from.
        let learner = try await swarm.shoal(
            [
                "download", swarm.torrent, "-o", swarm.folder("shoal"), "--peer", "127.0.0.4:\(libtorrent.port)", "-v",
                // Slow enough to be still downloading when libtorrent's first ut_pex arrives.
                "--max-download-rate", "64k",
            ],
            bind: "127.0.0.2")
        // Either Shoal learns the other from libtorrent's ut_pex: the learner the third, or (each dials from the
        // address it listens on, so libtorrent tells the third where the learner is) the third the learner, and
        // dials it first. Both know only libtorrent.
        let learnerLearned = "127.0.0.3:\(third.port) from pex"
        let thirdLearned = "127.0.0.2:\(learner.port) from pex"
        func learned() -> Bool {
            learner.process.standardError.contains(learnerLearned) || third.process.standardError.contains(thirdLearned)
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while !learned() && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(
            learned(),
            "learner: \(learner.process.standardError.suffix(2000))\nthird: \(third.process.standardError.suffix(2000))"
        )
        #expect(try await learner.process.waitForExit(timeout: .seconds(120)) == 0)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: swarm.folder("shoal") + "/content/video/segment-00001.m4s"))
                == Data(contentsOf: URL(fileURLWithPath: swarm.content + "/video/segment-00001.m4s")))
        for process in [libtorrent.process, third.process] { process.stop() }
    }
}
