import Bencode
import Foundation
import TestSupport
import Testing

/// `shoal tracker` as an operator runs it: what it prints, HTTP and UDP on one port, counts that survive a
/// restart, passkeys (`shoal tracker keys`) and allow lists picked up while it runs, and one-line errors.
/// Requests are written by hand here (percent-encoded bytes, BEP 15 packets), not with Shoal's own client.
@Suite("shoal tracker", .serialized)
struct TrackerCommandTests {
    // MARK: Serving

    @Test func printsItsURLsAndServesHTTPAndUDPOnOnePortUntilInterrupted() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-cli")
        let database = directory.url.appendingPathComponent("t.sqlite").path
        let tracker = try await ShoalTracker.start([], databasePath: database)
        let port = tracker.port
        let lines = tracker.process.standardOutput.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "tracker on 127.0.0.1:\(port) (open)", "announce: http://127.0.0.1:\(port)/announce",
                "announce: udp://127.0.0.1:\(port)/announce", "stats: http://127.0.0.1:\(port)/",
                "database: \(database)",
            ], "\(lines)")
        #expect(FileManager.default.fileExists(atPath: database))

        let page = try await tracker.get("/")
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).lowercased().contains("<html"))
        let empty = try await tracker.stats()
        #expect(empty.access == "open" && empty.interval == 1800, "\(empty)")
        #expect(empty.swarms == 0 && empty.peers == 0 && empty.announces == 0, "\(empty)")

        // Two peers over HTTP, the second is told of the first.
        let torrent = Self.infoHash(seed: 1)
        let first = try await announce(tracker, torrent, peer: Self.peerID(1), port: 6001, left: 1000, event: "started")
        #expect(first["failure reason"] == nil, "\(first)")
        #expect(first["interval"]?.integerValue == 1800)
        #expect(first["peers"]?.bytesValue == [])
        let second = try await announce(tracker, torrent, peer: Self.peerID(2), port: 6002, left: 0, event: "started")
        #expect(second["peers"]?.bytesValue == [127, 0, 0, 1, 0x17, 0x71], "\(second)")  // 127.0.0.1:6001
        #expect(second["complete"]?.integerValue == 1 && second["incomplete"]?.integerValue == 1, "\(second)")

        // A third over UDP on the same port number sees the same swarm.
        let udp = try UDPTrackerClient(port: port)
        let connectionID = try udp.connect()
        let answer = try udp.announce(
            connectionID: connectionID, infoHashHex: torrent, peerID: Self.peerID(3), port: 6003, left: 1000,
            event: .started)
        guard case .announced(let interval, let leechers, let seeders, let peers) = answer else {
            Issue.record("UDP announce answered \(answer)")
            return
        }
        // Counts include the asking peer: two leechers (the first peer and this one), one seeder.
        #expect(interval == 1800 && leechers == 2 && seeders == 1, "\(answer)")
        #expect(Set(peers) == ["127.0.0.1:6001", "127.0.0.1:6002"], "\(peers)")

        let stats = try await tracker.stats()
        #expect(stats.swarms == 1 && stats.peers == 3 && stats.seeders == 1 && stats.leechers == 2, "\(stats)")
        #expect(stats.announces == 3 && stats.udpConnects == 1 && stats.failures == 0, "\(stats)")
        #expect(stats.udpDropped == 0 && stats.rateLimited == 0, "\(stats)")
        #expect(try await tracker.scrape(infoHashHex: torrent) == .init(complete: 1, downloaded: 0, incomplete: 2))

        // Ctrl-C: exit 0, and the port is let go.
        #expect(try await tracker.interrupt() == 0, "\(tracker.process.standardError)")
        await #expect(throws: (any Error).self) { _ = try await tracker.stats() }
    }

    @Test func aRestartKeepsCompletedCounts() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-cli")
        let database = directory.url.appendingPathComponent("t.sqlite").path
        let torrent = Self.infoHash(seed: 2)
        do {
            let tracker = try await ShoalTracker.start([], databasePath: database)
            let started = try await announce(
                tracker, torrent, peer: Self.peerID(1), port: 7001, left: 500, event: "started")
            #expect(started["failure reason"] == nil, "\(started)")
            let completed = try await announce(
                tracker, torrent, peer: Self.peerID(1), port: 7001, left: 0, event: "completed")
            #expect(completed["failure reason"] == nil, "\(completed)")
            #expect(try await tracker.scrape(infoHashHex: torrent) == .init(complete: 1, downloaded: 1, incomplete: 0))
            #expect(try await tracker.stats().completed == 1)
            #expect(try await tracker.interrupt() == 0, "\(tracker.process.standardError)")
        }

        let again = try await ShoalTracker.start([], databasePath: database)
        defer { again.stop() }
        // The peer is gone (peers live in memory), the download it completed is not.
        #expect(try await again.scrape(infoHashHex: torrent) == .init(complete: 0, downloaded: 1, incomplete: 0))
        let stats = try await again.stats()
        // The totals were saved on Ctrl-C and restored: one download, two announces.
        #expect(stats.completed == 1, "\(stats)")
        #expect(stats.announces == 2, "\(stats)")
        #expect(stats.peers == 0, "\(stats)")
        // A download by another peer counts on top of the restored one.
        _ = try await announce(again, torrent, peer: Self.peerID(2), port: 7002, left: 0, event: "completed")
        #expect(try await again.scrape(infoHashHex: torrent).downloaded == 2)
    }

    // MARK: Passkeys

    @Test func keysAddListRevokeRoundTrip() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-keys")
        let database = ["--database", directory.url.appendingPathComponent("t.sqlite").path]

        let empty = try await ShoalBinary.run(["tracker", "keys", "list"] + database)
        #expect(empty.exitCode == 0, "\(empty.standardError)")
        #expect(empty.standardOutput == "no passkeys\n")

        let alice = try await ShoalBinary.run(["tracker", "keys", "add", "--label", "alice"] + database)
        #expect(alice.exitCode == 0, "\(alice.standardError)")
        let aliceKey = alice.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(aliceKey.count == 32 && aliceKey.allSatisfy(\.isHexDigit), "\(alice.standardOutput)")
        #expect(alice.standardOutput.split(separator: "\n").count == 1)

        let bobKey = "bob-passkey_0123456789"
        let bob = try await ShoalBinary.run(
            ["tracker", "keys", "add", "--label", "bob", "--passkey", bobKey] + database)
        #expect(bob.exitCode == 0, "\(bob.standardError)")
        #expect(bob.standardOutput == bobKey + "\n")

        let list = try await ShoalBinary.run(["tracker", "keys", "list"] + database)
        #expect(list.exitCode == 0, "\(list.standardError)")
        let rows = list.standardOutput.split(separator: "\n")
        #expect(rows.count == 2, "\(list.standardOutput)")
        #expect(rows.first { $0.hasPrefix(aliceKey) }?.contains("active") == true, "\(list.standardOutput)")
        #expect(rows.first { $0.hasPrefix(aliceKey) }?.hasSuffix("alice") == true, "\(list.standardOutput)")
        #expect(rows.first { $0.hasPrefix(bobKey) }?.contains("active") == true, "\(list.standardOutput)")

        let revoke = try await ShoalBinary.run(["tracker", "keys", "revoke", aliceKey] + database)
        #expect(revoke.exitCode == 0, "\(revoke.standardError)")
        #expect(revoke.standardOutput == "revoked \(aliceKey)\n")

        let listed = try await ShoalBinary.run(["tracker", "keys", "list", "--json"] + database)
        #expect(listed.exitCode == 0, "\(listed.standardError)")
        let keys = try JSONDecoder().decode([ListedKey].self, from: Data(listed.standardOutput.utf8))
        #expect(keys.map(\.passkey) == [aliceKey, bobKey])
        #expect(keys.map(\.label) == ["alice", "bob"])
        #expect(keys[0].revokedAt != nil && keys[1].revokedAt == nil, "\(listed.standardOutput)")
        let plain = try await ShoalBinary.run(["tracker", "keys", "list"] + database)
        #expect(
            plain.standardOutput.split(separator: "\n").first { $0.hasPrefix(aliceKey) }?.contains("revoked") == true,
            "\(plain.standardOutput)")

        // Refusals: one line, exit 1.
        let refusals: [([String], String)] = [
            (["revoke", aliceKey], aliceKey),
            (["revoke", "no-such-passkey-here"], "no-such-passkey-here"),
            (["add", "--passkey", bobKey], bobKey),
            (["add", "--passkey", "short"], "5 characters"),
            (["add", "--passkey", "has a space in it!!"], "U+0020"),
        ]
        for (arguments, named) in refusals {
            let result = try await ShoalBinary.run(["tracker", "keys"] + arguments + database)
            #expect(result.exitCode == 1, "\(arguments): \(result.standardOutput)\(result.standardError)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(named), "\(arguments): \(result.standardError)")
        }
    }

    @Test func aPrivateTrackerNeedsAnActivePasskeyOverHTTPAndUDP() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-private")
        let database = directory.url.appendingPathComponent("t.sqlite").path
        let active = try await addKey(database, label: "active")
        let revoked = try await addKey(database, label: "revoked")
        #expect(
            try await ShoalBinary.run(["tracker", "keys", "revoke", revoked, "--database", database]).exitCode == 0)

        let tracker = try await ShoalTracker.start(["--private"], databasePath: database)
        defer { tracker.stop() }
        let port = tracker.port
        let output = tracker.process.standardOutput
        #expect(output.contains("tracker on 127.0.0.1:\(port) (private"), "\(output)")
        #expect(output.contains("announce: http://127.0.0.1:\(port)/announce/<passkey>\n"), "\(output)")
        #expect(output.contains("announce: udp://127.0.0.1:\(port)/announce/<passkey>\n"), "\(output)")
        #expect(try await tracker.stats().access == "private")

        let torrent = Self.infoHash(seed: 3)
        // Refused, as a bencoded `failure reason` with HTTP 200 (BEP 3): no passkey, a revoked one, an unknown one.
        for path in ["/announce", "/announce/\(revoked)", "/announce/unknown-passkey-0000"] {
            let (status, reply) = try await announceReply(
                tracker, torrent, path: path, peer: Self.peerID(1), port: 8001, left: 10, event: "started")
            #expect(status == 200, "\(path)")
            #expect(reply["failure reason"]?.stringValue?.isEmpty == false, "\(path): \(reply)")
            #expect(reply["peers"] == nil, "\(path): \(reply)")
        }
        let noKey = try await announce(tracker, torrent, peer: Self.peerID(1), port: 8001, left: 10, event: "started")
        #expect(noKey["failure reason"]?.stringValue?.contains("passkey") == true, "\(noKey)")
        let scrape = try await tracker.get("/scrape?info_hash=\(ShoalTracker.percentEncoded(torrent))")
        #expect(String(decoding: scrape.body, as: UTF8.self).contains("failure reason"))

        let accepted = try await announce(
            tracker, torrent, path: "/announce/\(active)", peer: Self.peerID(1), port: 8001, left: 10, event: "started")
        #expect(accepted["failure reason"] == nil, "\(accepted)")
        #expect(accepted["interval"]?.integerValue == 1800, "\(accepted)")
        #expect(try await tracker.scrape(infoHashHex: torrent, passkey: active).incomplete == 1)

        // UDP: the passkey travels as BEP 41 URL data.
        let udp = try UDPTrackerClient(port: port)
        let connectionID = try udp.connect()
        let udpNoKey = try udp.announce(
            connectionID: connectionID, infoHashHex: torrent, peerID: Self.peerID(2), port: 8002, left: 10,
            event: .started, urlData: "/announce")
        #expect(udpNoKey.errorMessage?.contains("passkey") == true, "\(udpNoKey)")
        let udpRevoked = try udp.announce(
            connectionID: connectionID, infoHashHex: torrent, peerID: Self.peerID(2), port: 8002, left: 10,
            event: .started, urlData: "/announce/\(revoked)")
        #expect(udpRevoked.errorMessage != nil, "\(udpRevoked)")
        let udpAccepted = try udp.announce(
            connectionID: connectionID, infoHashHex: torrent, peerID: Self.peerID(2), port: 8002, left: 10,
            event: .started, urlData: "/announce/\(active)")
        guard case .announced(_, let leechers, _, let peers) = udpAccepted else {
            Issue.record("UDP announce with a passkey answered \(udpAccepted)")
            return
        }
        #expect(leechers == 2 && peers == ["127.0.0.1:8001"], "\(udpAccepted)")

        // Keys changed while it runs take effect within seconds (the tracker re-reads them every 5 s).
        let later = try await addKey(database, label: "later")
        try await waitUntil("the new passkey is accepted") {
            try await announce(
                tracker, torrent, path: "/announce/\(later)", peer: Self.peerID(3), port: 8003, left: 10,
                event: "started")["failure reason"] == nil
        }
        #expect(try await ShoalBinary.run(["tracker", "keys", "revoke", active, "--database", database]).exitCode == 0)
        try await waitUntil("the revoked passkey is refused") {
            try await announce(
                tracker, torrent, path: "/announce/\(active)", peer: Self.peerID(1), port: 8001, left: 10,
                event: nil)["failure reason"] != nil
        }
        let udpAfter = try udp.announce(
            connectionID: try udp.connect(), infoHashHex: torrent, peerID: Self.peerID(2), port: 8002, left: 10,
            event: .none, urlData: "/announce/\(active)")
        #expect(udpAfter.errorMessage != nil, "\(udpAfter)")
        #expect(tracker.process.isRunning)
    }

    // MARK: Allow list

    @Test func anAllowListAdmitsOnlyItsTorrentsAndIsReReadWhenEdited() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-allow")
        let listed = Self.infoHash(seed: 4)
        let unlisted = Self.infoHash(seed: 5)
        let file = try directory.write(Data("# torrents we track\n\n\(listed)  # the first\n".utf8), to: "allow.txt")
        let tracker = try await ShoalTracker.start(["--allow", file.path])
        defer { tracker.stop() }
        #expect(
            tracker.process.standardOutput.contains("(allow list \(file.path), 1 torrents)"),
            "\(tracker.process.standardOutput)")
        #expect(try await tracker.stats().access == "allow-list")

        let refused = try await announce(
            tracker, unlisted, peer: Self.peerID(1), port: 9001, left: 10, event: "started")
        #expect(refused["failure reason"]?.stringValue?.contains(unlisted) == true, "\(refused)")
        let accepted = try await announce(tracker, listed, peer: Self.peerID(1), port: 9001, left: 10, event: "started")
        #expect(accepted["failure reason"] == nil, "\(accepted)")
        #expect(try await tracker.stats().swarms == 1)

        // Over UDP too.
        let udp = try UDPTrackerClient(port: tracker.port)
        let udpRefused = try udp.announce(
            connectionID: try udp.connect(), infoHashHex: unlisted, peerID: Self.peerID(2), port: 9002, left: 10,
            event: .started)
        #expect(udpRefused.errorMessage?.contains(unlisted) == true, "\(udpRefused)")

        // Editing the file adds a torrent while the tracker runs.
        try Data("# torrents we track\n\n\(listed)  # the first\n\(unlisted.uppercased())\n".utf8).write(to: file)
        try await waitUntil("the added torrent is accepted") {
            try await announce(tracker, unlisted, peer: Self.peerID(1), port: 9001, left: 10, event: "started")[
                "failure reason"] == nil
        }
        #expect(try await tracker.stats().swarms == 2)

        // A file broken by a bad edit keeps the list that was loaded: nothing is locked out.
        try Data("\(listed)\nnot an infohash\n".utf8).write(to: file)
        try await waitUntil("the bad edit is reported") {
            tracker.process.standardError.contains("line 2")
        }
        for torrent in [listed, unlisted] {
            let reply = try await announce(tracker, torrent, peer: Self.peerID(1), port: 9001, left: 10, event: nil)
            #expect(reply["failure reason"] == nil, "\(torrent): \(reply)")
        }
        #expect(tracker.process.isRunning)
    }

    // MARK: Errors

    @Test(arguments: [
        (["--open", "--private"], "--open"),
        (["--open", "--allow", "/nonexistent/allow.txt"], "--open"),
        (["--port", "70000"], "--port must be from 0 to 65535"),
        (["--port=-1"], "--port must be from 0 to 65535"),
        (["--interval", "1"], "--interval must be from 10"),
        (["--rate-limit=-5"], "--rate-limit"),
        (["--bogus"], "--bogus"),
    ])
    func badUsageExitsWithTwoAndOneLine(arguments: [String], named: String) async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-usage")
        // Should the command start anyway, it listens on a free loopback port and the time limit ends it.
        let defaults = [
            "--bind", "127.0.0.1", "--database", directory.url.appendingPathComponent("t.sqlite").path,
        ]
        let port = arguments.contains { $0.hasPrefix("--port") } ? [] : ["--port", "0"]
        let result = try await ShoalBinary.run(["tracker"] + arguments + port + defaults, timeout: 60)
        #expect(result.exitCode == 2, "\(arguments): \(result.standardOutput)\(result.standardError)")
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("shoal: error: "), "\(result.standardError)")
        #expect(result.standardError.contains(named), "\(arguments): \(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aBadAllowFileExitsWithOneAndNamesTheLine() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-allow")
        let file = try directory.write(
            Data("# ok so far\n\(Self.infoHash(seed: 6))\nabc123-not-a-hash\n".utf8), to: "allow.txt")
        let database = ["--database", directory.url.appendingPathComponent("t.sqlite").path]
        let cases: [(String, [String])] = [
            (file.path, ["line 3", "abc123-not-a-hash", file.path]),
            (directory.url.appendingPathComponent("missing.txt").path, ["missing.txt"]),
        ]
        for (path, named) in cases {
            let result = try await ShoalBinary.run(
                ["tracker", "--allow", path, "--port", "0", "--bind", "127.0.0.1"] + database, timeout: 60)
            #expect(result.exitCode == 1, "\(path): \(result.standardOutput)\(result.standardError)")
            #expect(result.stderrLines.count == 1, "\(path): \(result.standardError)")
            for text in named { #expect(result.standardError.contains(text), "\(result.standardError)") }
        }
    }

    @Test(arguments: [Int32(SOCK_STREAM.rawValue), Int32(SOCK_DGRAM.rawValue)])
    func aTakenPortExitsWithOneAndOneLine(socketType: Int32) async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker-port")
        let holder = try PortHolder(type: socketType)
        let result = try await ShoalBinary.run(
            [
                "tracker", "--port", String(holder.port), "--bind", "127.0.0.1", "--database",
                directory.url.appendingPathComponent("t.sqlite").path,
            ], timeout: 60)
        #expect(result.exitCode == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.stderrLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("\(holder.port)"), "\(result.standardError)")
        #expect(!result.standardOutput.contains("announce:"), "\(result.standardOutput)")
    }

    // MARK: Helpers

    struct ListedKey: Decodable {
        var passkey: String
        var label: String
        var revokedAt: String?
    }

    private func addKey(_ database: String, label: String) async throws -> String {
        let result = try await ShoalBinary.run(["tracker", "keys", "add", "--label", label, "--database", database])
        guard result.exitCode == 0 else { throw ToolFailed(what: "keys add", result: result) }
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A random-looking infohash, 40 lowercase hex digits.
    static func infoHash(seed: UInt64) -> String {
        var random = SeededRandom(seed: 0x7472_6163_6B00 + seed)
        return hexString(random.bytes(count: 20))
    }

    /// A 20-byte peer id in hex, with bytes that must be percent-encoded.
    static func peerID(_ number: UInt8) -> String {
        hexString(Array("-XT0001-".utf8) + [0x00, 0xFF, 0x20, 0x25, 0x26, 0x3D, 0x80, 0x7F, 0x01, 0x02, 0x03, number])
    }

    /// An HTTP announce as clients send it: every byte of the infohash and peer id percent-encoded.
    private func announceReply(
        _ tracker: ShoalTracker, _ infoHashHex: String, path: String = "/announce", peer: String, port: Int,
        left: Int, event: String?
    ) async throws -> (status: Int, reply: BencodeValue) {
        var query = [
            "info_hash=\(ShoalTracker.percentEncoded(infoHashHex))", "peer_id=\(ShoalTracker.percentEncoded(peer))",
            "port=\(port)", "uploaded=0", "downloaded=0", "left=\(left)", "compact=1",
        ]
        if let event { query.append("event=\(event)") }
        let (status, body) = try await tracker.get("\(path)?\(query.joined(separator: "&"))")
        do {
            return (status, try BencodeDecoder.decode(body).value)
        } catch {
            throw ToolFailed(what: "announce: \(error): \(String(decoding: body, as: UTF8.self))", result: nil)
        }
    }

    private func announce(
        _ tracker: ShoalTracker, _ infoHashHex: String, path: String = "/announce", peer: String, port: Int,
        left: Int, event: String?
    ) async throws -> BencodeValue {
        let (status, reply) = try await announceReply(
            tracker, infoHashHex, path: path, peer: peer, port: port, left: left, event: event)
        #expect(status == 200)
        return reply
    }

    /// Polls `condition` every 250 ms for up to `timeout` (generous: the test machine may be loaded).
    private func waitUntil(
        _ what: String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOutWaiting(what: what) }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

struct ToolFailed: Error, CustomStringConvertible {
    var what: String
    var result: ProcessResult?
    var description: String {
        "\(what) failed" + (result.map { " (\($0.exitCode)): \($0.standardError)\($0.standardOutput)" } ?? "")
    }
}

// MARK: - Sockets

/// A BEP 15 client on a UDP socket of its own, written from the spec rather than with Shoal's code.
final class UDPTrackerClient {
    enum Event: UInt32 {
        case none = 0, completed, started, stopped
    }

    enum Answer: CustomStringConvertible {
        case announced(interval: UInt32, leechers: UInt32, seeders: UInt32, peers: [String])
        case error(String)

        var errorMessage: String? {
            if case .error(let message) = self { return message }
            return nil
        }

        var description: String {
            switch self {
            case .announced(let interval, let leechers, let seeders, let peers):
                return "announce: interval \(interval), \(leechers) leechers, \(seeders) seeders, peers \(peers)"
            case .error(let message): return "error: \(message)"
            }
        }
    }

    private let descriptor: Int32
    private let port: Int
    private var nextTransaction: UInt32 = 0x5348_0000

    init(port: Int) throws {
        self.port = port
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// `connect`: returns the connection id.
    func connect() throws -> UInt64 {
        let transaction = newTransaction()
        var packet: [UInt8] = []
        packet.appendBigEndian(UInt64(0x417_2710_1980))
        packet.appendBigEndian(UInt32(0))
        packet.appendBigEndian(transaction)
        let reply = try exchange(packet, transaction: transaction)
        guard reply.count == 16, reply.readUInt32(at: 0) == 0 else {
            throw ToolFailed(what: "UDP connect: reply \(reply)", result: nil)
        }
        return reply.readUInt64(at: 8)
    }

    func announce(
        connectionID: UInt64, infoHashHex: String, peerID: String, port peerPort: UInt16, left: Int64, event: Event,
        urlData: String? = nil
    ) throws -> Answer {
        let transaction = newTransaction()
        var packet: [UInt8] = []
        packet.appendBigEndian(connectionID)
        packet.appendBigEndian(UInt32(1))
        packet.appendBigEndian(transaction)
        packet += bytes(ofHex: infoHashHex) + bytes(ofHex: peerID)
        packet.appendBigEndian(UInt64(0))  // downloaded
        packet.appendBigEndian(UInt64(left))
        packet.appendBigEndian(UInt64(0))  // uploaded
        packet.appendBigEndian(event.rawValue)
        packet.appendBigEndian(UInt32(0))  // ip: the sender's
        packet.appendBigEndian(UInt32(0x1234_5678))  // key
        packet.appendBigEndian(UInt32(bitPattern: -1))  // num_want: default
        packet.appendBigEndian(peerPort)
        if let urlData {
            // BEP 41: option 2 (URL data), its length, the bytes; then end of options.
            let data = Array(urlData.utf8)
            packet += [2, UInt8(data.count)] + data + [0]
        }
        let reply = try exchange(packet, transaction: transaction)
        switch reply.readUInt32(at: 0) {
        case 1 where reply.count >= 20 && (reply.count - 20) % 6 == 0:
            let peers = stride(from: 20, to: reply.count, by: 6).map { offset in
                "\(reply[offset]).\(reply[offset + 1]).\(reply[offset + 2]).\(reply[offset + 3]):"
                    + "\(UInt16(reply[offset + 4]) << 8 | UInt16(reply[offset + 5]))"
            }
            return .announced(
                interval: reply.readUInt32(at: 8), leechers: reply.readUInt32(at: 12),
                seeders: reply.readUInt32(at: 16), peers: peers)
        case 3:
            return .error(String(decoding: reply[8...], as: UTF8.self))
        default:
            throw ToolFailed(what: "UDP announce: reply \(reply)", result: nil)
        }
    }

    private func newTransaction() -> UInt32 {
        nextTransaction &+= 1
        return nextTransaction
    }

    /// Sends `packet` and returns the reply with the same transaction id; resends a few times (UDP).
    private func exchange(_ packet: [UInt8], transaction: UInt32) throws -> [UInt8] {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        for _ in 0..<10 {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard sent == packet.count else { throw SocketFailure(what: "sendto", code: errno) }
            var buffer = [UInt8](repeating: 0, count: 2048)
            while true {
                let received = recv(descriptor, &buffer, buffer.count, 0)
                guard received >= 8 else { break }  // timed out: send again
                let reply = Array(buffer[..<received])
                if reply.readUInt32(at: 4) == transaction { return reply }
            }
        }
        throw TimedOutWaiting(what: "a UDP reply from the tracker on port \(port)")
    }

    private func bytes(ofHex hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}

/// A socket bound to 127.0.0.1 on a free port (TCP ones listen), so that another program cannot have it.
final class PortHolder {
    let port: Int
    private let descriptor: Int32

    init(type: Int32) throws {
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(descriptor)
            throw SocketFailure(what: "bind", code: code)
        }
        if type == Int32(SOCK_STREAM.rawValue) { listen(descriptor, 1) }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    fileprivate func readUInt32(at offset: Int) -> UInt32 {
        self[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    fileprivate func readUInt64(at offset: Int) -> UInt64 {
        self[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
