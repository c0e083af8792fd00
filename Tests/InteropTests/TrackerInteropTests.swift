import Foundation
import TestSupport
import Testing
import TorrentModel

/// Real clients meeting through `shoal tracker` and nothing else: libtorrent (python3-libtorrent) and aria2
/// (Debian's aria2c) each way, and Shoal's own engine (`shoal seed` and `shoal download`), over HTTP and over
/// UDP. No peer is given an address: the torrent names the tracker, DHT, LSD and PEX are off (see `aria2` for
/// UDP), so a download that completes found its seed through the tracker. The tracker's figures must show
/// both peers and the completed download.
///
/// aria2 1.36 speaks UDP trackers only through its DHT socket: with `--enable-dht=false` a `udp://` announce
/// fails with "udp is not supported yet" (`man aria2c`: `--enable-dht` "also enables UDP tracker support").
/// Over UDP it runs with DHT on but with an empty routing table of its own and no entry point, and every
/// socket bound to 127.0.0.1 (`--interface`); its log is checked to name no address off loopback.
@Suite("swarm interop through shoal tracker", .serialized)
struct TrackerInteropTests {
    enum Transport: String, CaseIterable, CustomTestStringConvertible {
        case http, udp
        var testDescription: String { rawValue }
    }

    struct Swarm {
        let directory: TemporaryDirectory
        let content: String
        let torrent: String
        let infoHashHex: String
        let tracker: ShoalTracker
        let transport: Transport
    }

    /// The sample folder, a fresh open tracker, and a torrent whose only tracker is it, over `transport`.
    private func makeSwarm(_ transport: Transport) async throws -> Swarm {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-interop")
        let content = try makeSampleFolder(in: directory)
        let tracker = try await ShoalTracker.start(["--open"])
        let url = transport == .http ? tracker.httpURL : tracker.udpURL
        let torrent = directory.url.appendingPathComponent("content.torrent").path
        let made = try await ShoalBinary.run(
            ["create", content, "-o", torrent, "--piece-length", "32K", "--tracker", url, "-q"])
        guard made.exitCode == 0 else { throw ToolFailure(tool: "shoal create", result: made) }
        let metainfo = try InteropTools.shoalMetainfo(torrent)
        #expect(metainfo.trackers == [url])
        return Swarm(
            directory: directory, content: content, torrent: torrent, infoHashHex: metainfo.infoHash.hex,
            tracker: tracker, transport: transport)
    }

    // MARK: libtorrent and aria2

    @Test(arguments: Transport.allCases)
    func libtorrentSeedsAndAria2Downloads(_ transport: Transport) async throws {
        let swarm = try await makeSwarm(transport)
        let seed = try InteropTools.libtorrentInBackground(["seed", swarm.torrent, swarm.directory.path])
        defer { seed.stop() }
        _ = try await seed.waitForLine(startingWith: "seeding", timeout: .seconds(120))
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 1)

        let target = swarm.directory.url.appendingPathComponent("aria2-download").path
        // Seeding for 3 s after the download makes aria2 announce `completed` before `stopped`; with
        // --seed-time=0 it sends only `stopped`.
        let aria2 = try aria2(swarm, ["--dir=\(target)", "--seed-time=0.05", swarm.torrent])
        let result = try await ProcessRunner.run(aria2.executable, aria2.arguments, timeout: 240)
        #expect(result.exitCode == 0, "\(result.standardOutput)\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
        try await expectTrackerSawDownload(swarm)
        try expectLoopbackOnly(aria2Log: aria2.log, swarm)
    }

    @Test(arguments: Transport.allCases)
    func aria2SeedsAndLibtorrentDownloads(_ transport: Transport) async throws {
        let swarm = try await makeSwarm(transport)
        // -V: aria2 checks the data it finds, then seeds it.
        let aria2 = try aria2(
            swarm, ["--dir=\(swarm.directory.path)", "-V", "--seed-ratio=0.0", "--seed-time=10", swarm.torrent])
        let seed = try BackgroundProcess(aria2.executable, aria2.arguments, name: "aria2c seed")
        defer { seed.stop() }
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 1)

        let target = swarm.directory.url.appendingPathComponent("lt-download").path
        // --seed: libtorrent stays up after the download, so its `completed` announce surely goes out.
        let download = try InteropTools.libtorrentInBackground([
            "download", swarm.torrent, target, "--timeout", "180", "--seed",
        ])
        defer { download.stop() }
        _ = try await download.waitForLine(startingWith: "complete", timeout: .seconds(240))
        try expectSameTree(swarm.content, "\(target)/content")
        try await expectTrackerSawDownload(swarm)
        try expectLoopbackOnly(aria2Log: aria2.log, swarm)
    }

    // MARK: Shoal's engine

    @Test(arguments: Transport.allCases)
    func shoalSeedsAndShoalDownloads(_ transport: Transport) async throws {
        let swarm = try await makeSwarm(transport)
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", swarm.torrent, "--data", swarm.directory.path, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        defer { seed.stop() }
        _ = try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 1)

        // `shoal download` exits once every piece is verified, announcing `stopped`.
        let target = swarm.directory.url.appendingPathComponent("shoal-download").path
        let result = try await ShoalBinary.run(
            ["download", swarm.torrent, "-o", target, "--port", "0", "--bind", "127.0.0.1", "-q"], timeout: 240)
        #expect(result.exitCode == 0, "\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
        // Its `started` and `stopped` reached the tracker: it was there and is gone, the seed stays.
        let afterDownload = try await swarm.tracker.waitForStats("the downloader's `stopped`") {
            $0.announces >= 3 && $0.peers == 1
        }
        #expect(afterDownload.seeders == 1 && afterDownload.failures == 0, "\(afterDownload)")
        let counts = try await swarm.tracker.scrape(infoHashHex: swarm.infoHashHex)
        #expect(counts.complete == 1 && counts.incomplete == 0, "\(counts)")
        // `shoal download` exits once complete: `completed` goes out just before `stopped`.
        #expect(counts.downloaded == 1, "\(counts)")

        // `shoal download --seed` stays on after the download, and its `completed` reaches the tracker.
        let seeding = swarm.directory.url.appendingPathComponent("shoal-download-seed").path
        let second = try BackgroundProcess(
            try ShoalBinary.path(),
            ["download", swarm.torrent, "-o", seeding, "--seed", "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal download --seed")
        defer { second.stop() }
        try await waitForStandardError(of: second, containing: "complete: content")
        try expectSameTree(swarm.content, "\(seeding)/content")
        try await expectTrackerSawDownload(swarm, earlier: counts.downloaded)
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 2)

        // Ctrl-C: both announce `stopped`, and the tracker forgets them.
        #expect(try await second.interrupt() == 0, "\(second.standardError)")
        #expect(try await seed.interrupt() == 0, "\(seed.standardError)")
        let gone = try await swarm.tracker.waitForScrape(infoHashHex: swarm.infoHashHex, "no peer left") {
            $0.complete == 0 && $0.incomplete == 0
        }
        #expect(gone.downloaded == counts.downloaded + 1, "\(gone)")
    }

    // MARK: Helpers

    /// The tracker counted both peers' announces and one more completed download of the torrent than
    /// `earlier`, refused or ignored nothing, and heard the announces over the torrent's transport only.
    private func expectTrackerSawDownload(_ swarm: Swarm, earlier: Int = 0) async throws {
        let counts = try await swarm.tracker.waitForScrape(infoHashHex: swarm.infoHashHex, "a completed download") {
            $0.downloaded > earlier
        }
        #expect(counts.downloaded == earlier + 1, "\(counts)")
        let stats = try await swarm.tracker.stats()
        #expect(stats.completed == earlier + 1, "\(stats)")
        // The seed's `started`, the downloader's `started` and `completed`, at the least.
        #expect(stats.announces >= 3, "\(stats)")
        #expect(stats.failures == 0 && stats.rateLimited == 0, "\(stats)")
        // Every UDP packet was answered: none came with a connection id the tracker did not accept.
        #expect(stats.udpDropped == 0, "\(stats)")
        #expect(stats.swarms == 1, "\(stats)")
        switch swarm.transport {
        case .http: #expect(stats.udpConnects == 0, "\(stats)")
        // Each client asked for a connection id before announcing.
        case .udp: #expect(stats.udpConnects >= 2, "\(stats)")
        }
    }

    struct Aria2Command {
        var executable: String
        var arguments: [String]
        /// aria2's own log (`--log`), at info level.
        var log: String
    }

    /// aria2c with every socket on 127.0.0.1, no LPD, PEX or IPv6, and DHT only when the tracker is UDP.
    private func aria2(_ swarm: Swarm, _ arguments: [String]) throws -> Aria2Command {
        let executable = try ProcessRunner.which("aria2c", installHint: "aria2 (apt-get install -y aria2)")
        let name = "aria2-\(UUID().uuidString.prefix(8))"
        let log = swarm.directory.url.appendingPathComponent("\(name).log").path
        var options = [
            "--interface=127.0.0.1", "--listen-port=\(try FreePort.tcp())", "--enable-dht6=false",
            "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true", "--file-allocation=none",
            "--console-log-level=warn", "--summary-interval=0", "--bt-stop-timeout=150", "--log=\(log)",
            "--log-level=info",
        ]
        switch swarm.transport {
        case .http:
            options.append("--enable-dht=false")
        case .udp:
            // The DHT socket carries the UDP tracker traffic. Its routing table starts empty (a file of this
            // test's own, not ~/.cache/aria2/dht.dat) and no --dht-entry-point is given: nobody to bootstrap from.
            options += [
                "--enable-dht=true", "--dht-listen-port=\(try Self.freeUDPPort())",
                "--dht-file-path=\(swarm.directory.url.appendingPathComponent("\(name)-dht.dat").path)",
            ]
        }
        return Aria2Command(executable: executable, arguments: options + arguments, log: log)
    }

    /// Every IPv4 address aria2 logged (peers, trackers, DHT nodes) is loopback; over UDP its tracker
    /// traffic went through the UDP tracker client.
    private func expectLoopbackOnly(aria2Log path: String, _ swarm: Swarm) throws {
        let log = try String(contentsOfFile: path, encoding: .utf8)
        var addresses: Set<String> = []
        // aria2 logs the machine's own addresses as it starts ("Found configured address"); they are not traffic.
        for line in log.split(separator: "\n") where !line.contains("Found configured address") {
            for token in line.split(whereSeparator: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) {
                // An address follows a space, `:`, `=`, `(` or `,`; a version after a name does not
                // ("client=libtorrent%2F2.0.8.0").
                if token.startIndex > line.startIndex, !" :=(,[".contains(line[line.index(before: token.startIndex)]) {
                    continue
                }
                let parts = token.split(separator: ".", omittingEmptySubsequences: false)
                if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && Int($0)! <= 255 }) {
                    addresses.insert(String(token))
                }
            }
        }
        #expect(addresses.subtracting(["127.0.0.1", "0.0.0.0"]).isEmpty, "aria2 named \(addresses.sorted())")
        #expect(addresses.contains("127.0.0.1"), "aria2's log names no peer or tracker: \(log.suffix(2000))")
        switch swarm.transport {
        case .http:
            #expect(!log.contains("UDPT sent"), "\(log.suffix(2000))")
        case .udp:
            #expect(log.contains("UDPT sent ANNOUNCE to 127.0.0.1:\(swarm.tracker.port)"), "\(log.suffix(2000))")
            #expect(!log.contains("udp is not supported"), "\(log.suffix(2000))")
        }
    }

    private func waitForStandardError(
        of process: BackgroundProcess, containing text: String, timeout: Duration = .seconds(240)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !process.standardError.contains(text) {
            guard process.isRunning else {
                throw TimedOutWaiting(what: "'\(text)' from \(process.name), which exited: \(process.standardError)")
            }
            guard ContinuousClock.now < deadline else {
                throw TimedOutWaiting(
                    what: "'\(text)' from \(process.name); stderr: \(process.standardError.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A port free for UDP on 127.0.0.1 a moment ago.
    private static func freeUDPPort() throws -> Int {
        for _ in 0..<20 {
            let port = try FreePort.tcp()
            if FreePort.isUDPFree(port) { return port }
        }
        throw TimedOutWaiting(what: "a free UDP port")
    }
}
