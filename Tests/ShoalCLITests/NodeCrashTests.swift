import Foundation
import TestSupport
import Testing

/// `shoal node` killed with SIGKILL again and again while it downloads from another node (they find each
/// other through opentracker), restarted each time: it must end byte-identical, and fetch little more than the
/// torrent's size in all (docs/node.md, "The durability rule").
@Suite("shoal node crash safety", .serialized)
struct NodeCrashTests {
    static let size = 48 * 1024 * 1024 + 4321
    static let kills = 20
    /// The seeder's upload cap: slow enough that every kill lands mid-download. Each life of the leecher gets
    /// at most the seeder's refilled burst (one second of the rate) and 0.3–1.2 s at the rate: 2.2 MiB, so 20
    /// lives fetch at most 44 MiB of the torrent's 48 MiB (in practice about half, as a restart takes time).
    static let rate = 1024 * 1024
    static let flushInterval = 0.5
    /// What one crash may cost: the pieces verified since the last flush round (one interval at the cap) and
    /// the partial pieces and pieces waiting to be written when it died. Generous, since it is per kill.
    static let allowancePerKill = 3 * 1024 * 1024

    @Test func twentySIGKILLsInARowAndTheDownloadEndsByteIdentical() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-node-crash")
        var random = SeededRandom(seed: 99)
        let content = try directory.write(random.data(count: Self.size), to: "content/movie.bin").path
        let plain = directory.path + "/plain.torrent"
        try expectSuccess(try await ShoalBinary.run(["create", content, "-o", plain, "--piece-length", "256K", "-q"]))
        let infoHash = try await infoHashHex(of: plain)
        let tracker = try await OpenTracker.start(whitelistHex: [infoHash])
        defer { tracker.stop() }
        // The same info dictionary with the tracker added: the same infohash.
        let torrent = directory.path + "/movie.torrent"
        try expectSuccess(
            try await ShoalBinary.run([
                "create", content, "-o", torrent, "--piece-length", "256K", "--tracker", tracker.httpURL, "-q",
            ]))
        #expect(try await infoHashHex(of: torrent) == infoHash)

        let seederData = directory.path + "/seeder"
        let seeder = try startNode(dataDirectory: seederData, extra: ["--max-upload-rate", String(Self.rate)])
        defer { seeder.stop() }
        _ = try await seeder.waitForLine(startingWith: "control API on ")
        try expectSuccess(
            try await ShoalBinary.run([
                "add", torrent, "--save-to", directory.path + "/content", "--data-dir", seederData,
            ]))
        try await waitForState("seeding", of: infoHash, dataDirectory: seederData)
        try await tracker.waitForSeeders(infoHashHex: infoHash, atLeast: 1)

        // What the seeder writes from here on is, but for a few API answers and SQLite pages, the pieces it
        // sends: counted by the kernel as written to its sockets, so blocks queued for a killed leecher that
        // never left do not count.
        let writtenBefore = try #require(seeder.bytesWritten)
        let leecherData = directory.path + "/leecher"
        var leecher = try startNode(dataDirectory: leecherData)
        _ = try await leecher.waitForLine(startingWith: "control API on ")
        try expectSuccess(try await ShoalBinary.run(["add", torrent, "--data-dir", leecherData]))
        var generator = SystemRandomNumberGenerator()
        var progressAtKills: [Double] = []
        for _ in 0..<Self.kills {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_200, using: &generator)))
            let progress = try await show(infoHash, dataDirectory: leecherData)["progress"] as? Double ?? -1
            leecher.stop()  // SIGKILL
            progressAtKills.append(progress)
            #expect(progress < 1, "the download completed before kill \(progressAtKills.count)")
            leecher = try startNode(dataDirectory: leecherData)
            _ = try await leecher.waitForLine(startingWith: "control API on ")
        }
        do {
            try await waitForState("seeding", of: infoHash, dataDirectory: leecherData, timeout: .seconds(300))
        } catch let error as TimedOutWaiting {
            // What the last life saw, to tell a lost peer from a refusing seeder.
            let status = try? await ShoalBinary.run(["show", infoHash, "--data-dir", leecherData, "--json"])
                .standardOutput
            throw TimedOutWaiting(
                what: error.what + "; leecher: \(status ?? "?")\nleecher log:\n\(leecher.standardError.suffix(4000))"
                    + "\nseeder log:\n\(seeder.standardError.suffix(4000))")
        }
        let downloaded = try Data(contentsOf: URL(fileURLWithPath: leecherData + "/downloads/movie.bin"))
        #expect(downloaded == (try Data(contentsOf: URL(fileURLWithPath: content))))

        // Everything the leecher fetched came from the seeder.
        let uploaded = try #require(seeder.bytesWritten) - writtenBefore
        print(
            "node crash test: \(Self.kills) SIGKILLs at progress \(progressAtKills.map { String(format: "%.2f", $0) }); "
                + "the seeder sent \(uploaded) bytes for a torrent of \(Self.size) "
                + String(format: "(%.2fx)", Double(uploaded) / Double(Self.size)))
        #expect(uploaded >= Self.size)
        #expect(uploaded <= Self.size + Self.kills * Self.allowancePerKill)
        #expect(try await leecher.interrupt() == 0)
        #expect(try await seeder.interrupt() == 0)
    }

    private func startNode(dataDirectory: String, extra: [String] = []) throws -> BackgroundProcess {
        try BackgroundProcess(
            try ShoalBinary.path(),
            ["node", "--data-dir", dataDirectory, "--port", "0", "--bind", "127.0.0.1", "--api-port", "0", "--verbose"]
                + ["--flush-interval", String(Self.flushInterval)] + extra,
            name: "shoal node")
    }

    private func expectSuccess(_ result: ProcessResult) throws {
        guard result.exitCode == 0 else { throw CommandFailed(status: result.exitCode, output: result.standardError) }
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let status: Int32
        let output: String
        var description: String { "shoal exited with \(status): \(output)" }
    }

    private func infoHashHex(of torrent: String) async throws -> String {
        let info = try await ShoalBinary.run(["info", torrent, "--json"])
        try expectSuccess(info)
        let json = try JSONSerialization.jsonObject(with: Data(info.standardOutput.utf8)) as? [String: Any]
        return try #require(json?["infoHash"] as? String)
    }

    /// `shoal show --json` as a dictionary.
    private func show(_ infoHash: String, dataDirectory: String) async throws -> [String: Any] {
        let result = try await ShoalBinary.run(["show", infoHash, "--data-dir", dataDirectory, "--json"])
        try expectSuccess(result)
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
    }

    private func waitForState(
        _ state: String, of infoHash: String, dataDirectory: String, timeout: Duration = .seconds(120)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await show(infoHash, dataDirectory: dataDirectory)["state"] as? String == state { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TimedOutWaiting(what: "torrent \(infoHash) to be \(state) in \(dataDirectory)")
    }
}
