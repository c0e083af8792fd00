import Foundation
import TestSupport
import Testing

/// A real browser: headless Chromium (Debian's chromium and chromium-driver) opens the watch page of a watching
/// node fed by a separate seeding node, and plays the video.
@Suite("Browser playback")
struct BrowserPlaybackTests {
    @Test func headlessChromiumPlaysTheWatchPageForTenSeconds() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-browser")
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", sampleVideoPath, "-o", directory.url.appendingPathComponent("made").path]
                + ["--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        defer { seed.stop() }
        let port = try #require(Int(try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")))
        let magnet = try await seed.waitForLine(startingWith: "magnet: ")
        let seedDHT = try await seed.waitForLine(startingWith: "dht port: ")
        let watch = try BackgroundProcess(
            try ShoalBinary.path(),
            ["watch", magnet, "--peer", "127.0.0.1:\(port)", "--player", "none", "--port", "0", "--bind"]
                + ["127.0.0.1", "-o", directory.url.appendingPathComponent("watched").path, "-q"]
                + ["--dht-bootstrap", "127.0.0.1:\(seedDHT)"],
            name: "shoal watch")
        defer { watch.stop() }
        let page = try await watch.waitForLine(startingWith: "Watch: ")

        for tool in ["chromium", "chromedriver"] {
            _ = try ProcessRunner.which(tool, installHint: "apt-get install chromium chromium-driver")
        }
        let script = Bundle.module.url(forResource: "Scripts/chromium_watch", withExtension: "py")!.path
        let result = try await ProcessRunner.run(
            InteropTools.python, [script, page, "--seconds", "10", "--timeout", "120"], timeout: 200)
        #expect(result.exitCode == 0, "\(result.standardOutput) \(result.standardError)")
        let state = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect((state?["currentTime"] as? Double ?? 0) >= 10, "\(result.standardOutput)")
        #expect((state?["errors"] as? [Any])?.isEmpty == true, "\(result.standardOutput)")
        #expect(state?["error"] is NSNull, "\(result.standardOutput)")
        // The page names how the peers were found (the seed was given with --peer; it may also have dialed
        // the watcher first, after finding it in the DHT) and the DHT's table size (the seed's node at least).
        let found = state?["found"] as? String ?? ""
        #expect(["manual 1", "incoming 1", "dht 1"].contains { found.contains($0) }, "\(result.standardOutput)")
        #expect(Int(state?["dht"] as? String ?? "") ?? 0 >= 1, "\(result.standardOutput)")
    }
}
