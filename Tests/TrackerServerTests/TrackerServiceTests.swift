import Bencode
import Foundation
import Logging
import StateStore
import TestSupport
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerServer

@Suite("the tracker on real sockets, with its database", .serialized)
struct TrackerServiceTests {
    typealias F = TrackerFixtures

    static func start(
        _ directory: TemporaryDirectory, host: String = "127.0.0.1",
        _ configure: (inout TrackerService.Options) -> Void = { _ in }
    ) async throws -> (TrackerService, Task<Void, Never>) {
        var options = TrackerService.Options()
        options.host = host
        options.port = 0
        options.databasePath = directory.url.appendingPathComponent("tracker.sqlite").path
        options.saveInterval = 1
        configure(&options)
        let service = try await TrackerService.start(options: options, logger: Logger(label: "test.tracker"))
        let task = Task { await service.run() }
        return (service, task)
    }

    static func stop(_ service: TrackerService, _ task: Task<Void, Never>) async {
        service.requestStop()
        await task.value
    }

    static func reply(_ response: (status: Int, body: [UInt8])) throws -> TrackerReply<AnnounceResponse> {
        #expect(response.status == 200)
        return try AnnounceResponse.decodeHTTP(response.body)
    }

    /// Polls `condition` every 250 ms for up to `seconds`.
    static func eventually(_ seconds: Double = 60, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try condition()
    }

    @Test func httpAndUDPShareThePortAndSeeTheSameSwarm() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory)
        let port = service.server.port
        _ = try LoopbackClient.get(port: port, "/announce?\(F.query(peer: 1, port: 7001))")
        let session = try LoopbackClient.UDPSession(port: port)
        let connectReply = try #require(session.exchange(UDPTrackerRequest.connect(transactionID: 1).encoded()))
        guard case .connect(_, let id) = try UDPTrackerResponse.decode(connectReply, peerFamily: .ipv4) else {
            throw CancellationError()
        }
        let announced = try #require(session.exchange(try F.udpAnnounce(connectionID: id, peer: 2, port: 7002)))
        guard case .announce(_, let response) = try UDPTrackerResponse.decode(announced, peerFamily: .ipv4) else {
            throw CancellationError()
        }
        #expect(response.peers == [PeerEndpoint(host: "127.0.0.1", port: 7001)!])
        // A forged id from the same socket gets silence.
        #expect(session.exchange(try F.udpAnnounce(connectionID: id ^ 0xFFFF, peer: 3, port: 7003)) == nil)
        let stats = try JSONDecoder().decode(
            TrackerStatistics.self, from: Data(LoopbackClient.get(port: port, "/stats.json").body))
        #expect(stats.peers == 2 && stats.udpConnects == 1 && stats.udpDropped == 1)
        await Self.stop(service, task)
    }

    @Test func completedCountsAndTotalsSurviveARestart() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        var (service, task) = try await Self.start(directory)
        _ = try LoopbackClient.get(
            port: service.server.port, "/announce?\(F.query(peer: 1, left: 0, event: "completed"))")
        _ = try LoopbackClient.get(
            port: service.server.port, "/announce?\(F.query(peer: 2, port: 7002, left: 0, event: "completed"))")
        await Self.stop(service, task)

        (service, task) = try await Self.start(directory)
        let scrape = try LoopbackClient.get(
            port: service.server.port, "/scrape?info_hash=\(QueryString.percentEncode(F.infoHash.bytes))")
        guard case .success(let response) = try ScrapeResponse.decodeHTTP(scrape.body) else {
            throw CancellationError()
        }
        // The peers are gone with the old process; the downloads are remembered.
        #expect(response.files[F.infoHash] == ScrapeStats(complete: 0, downloaded: 2, incomplete: 0))
        let stats = service.core.statistics()
        #expect(stats.completed == 2 && stats.announces == 2 && stats.scrapes == 1)
        await Self.stop(service, task)
    }

    @Test func anEditedAllowFileTakesEffectWhileRunning() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let allow = try directory.write(Data("# none yet\n\(F.otherInfoHash.hex)\n".utf8), to: "allow.txt")
        let (service, task) = try await Self.start(directory) { $0.allowFile = allow.path }
        let target = "/announce?\(F.query())"
        guard case .failure(let reason) = try Self.reply(LoopbackClient.get(port: service.server.port, target)) else {
            Issue.record("an unlisted torrent was accepted")
            throw CancellationError()
        }
        #expect(reason.contains("unregistered"))
        try Data("\(F.otherInfoHash.hex)\n\(F.infoHash.hex)\n# added\n".utf8).write(to: allow)
        let accepted = try await Self.eventually {
            if case .success = try Self.reply(LoopbackClient.get(port: service.server.port, target)) { return true }
            return false
        }
        #expect(accepted)
        // A broken edit keeps the last good list.
        try Data("garbage\n".utf8).write(to: allow)
        try await Task.sleep(for: .seconds(3))
        guard case .success = try Self.reply(LoopbackClient.get(port: service.server.port, target)) else {
            Issue.record("a broken allow file replaced the list")
            throw CancellationError()
        }
        await Self.stop(service, task)
    }

    @Test func aRevokedPasskeyStopsWorkingWhileRunning() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let database = directory.url.appendingPathComponent("tracker.sqlite").path
        let store = try StateStore(path: database)
        let key = try store.addTrackerKey(label: "alice")
        try store.close()
        let (service, task) = try await Self.start(directory) { $0.isPrivate = true }
        let port = service.server.port
        guard case .failure(let reason) = try Self.reply(LoopbackClient.get(port: port, "/announce?\(F.query())"))
        else {
            throw CancellationError()
        }
        #expect(reason.contains("private"))
        guard case .success = try Self.reply(LoopbackClient.get(port: port, "/announce/\(key.passkey)?\(F.query())"))
        else {
            Issue.record("a valid passkey was refused")
            throw CancellationError()
        }
        let other = try StateStore(path: database)
        #expect(try other.revokeTrackerKey(key.passkey))
        try other.close()
        let refused = try await Self.eventually {
            if case .failure = try Self.reply(LoopbackClient.get(port: port, "/announce/\(key.passkey)?\(F.query())")) {
                return true
            }
            return false
        }
        #expect(refused)
        await Self.stop(service, task)
    }

    @Test func ipv6PeersComeInPeers6() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory, host: "::1")
        let port = service.server.port
        _ = try LoopbackClient.get(host: "::1", port: port, "/announce?\(F.query(peer: 1, port: 7001))")
        let response = try LoopbackClient.get(host: "::1", port: port, "/announce?\(F.query(peer: 2, port: 7002))")
        let body = try #require(try? BencodeFieldsProbe.keys(response.body))
        #expect(body.contains("peers6"))
        guard case .success(let decoded) = try Self.reply(response) else { throw CancellationError() }
        #expect(decoded.peers == [PeerEndpoint(host: "::1", port: 7001)!])
        await Self.stop(service, task)
    }

    @Test func oversizedAndMalformedRequestsAreRefusedAndTheServerGoesOn() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory)
        let port = service.server.port
        // A query past the limit: a bencoded failure, not a crash or a hang.
        let long = try LoopbackClient.get(
            port: port, "/announce?\(F.query())&pad=\(String(repeating: "a", count: 20_000))")
        guard case .failure(let reason) = try Self.reply(long) else { throw CancellationError() }
        #expect(reason.contains("longer than"))
        // A request line far past the head limit: a failure reason too, and the connection closes.
        let huge = Array("GET /announce?\(String(repeating: "b", count: 200_000)) HTTP/1.1\r\n\r\n".utf8)
        guard case .failure(let tooLarge) = try Self.reply(LoopbackClient.http(port: port, raw: huge)) else {
            throw CancellationError()
        }
        #expect(tooLarge.contains("request too large"))
        // Bytes that are not HTTP at all: 400.
        let garbage = try LoopbackClient.http(
            port: port, raw: Array(repeating: 0x41, count: 100) + Array("\r\n\r\n".utf8))
        #expect(garbage.status == 400)
        // A request with a large body is cut off.
        let post =
            Array("POST /announce HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n".utf8)
            + Array(repeating: 0x41, count: 100_000)
        #expect(try LoopbackClient.http(port: port, raw: post).status == 405)
        // Pipelined keep-alive requests are answered in order on one connection.
        let pipelined = Array(
            ("GET /announce?\(F.query(peer: 5, port: 7005)) HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /stats.json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").utf8)
        let both = try LoopbackClient.http(port: port, raw: pipelined)
        #expect(both.status == 200)
        #expect(
            String(decoding: both.body, as: UTF8.self).contains("HTTP/1.1 200 OK\r\nContent-Type: application/json"))
        guard case .success = try Self.reply(LoopbackClient.get(port: port, "/announce?\(F.query())")) else {
            Issue.record("the tracker stopped answering after bad requests")
            throw CancellationError()
        }
        await Self.stop(service, task)
    }

    @Test func aClientThatShutsItsSideAfterTheRequestStillGetsTheAnswer() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory)
        let request = Array("GET /announce?\(F.query()) HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        let answer = try LoopbackClient.http(port: service.server.port, raw: request, halfClose: true)
        guard case .success = try Self.reply(answer) else { throw CancellationError() }
        await Self.stop(service, task)
    }

    @Test func aSilentConnectionIsClosed() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory) { $0.configuration.httpIdleTimeout = 1 }
        let seconds = try LoopbackClient.secondsUntilClosed(
            port: service.server.port, sending: Array("GET /announce?info_hash=".utf8), timeout: 60)
        #expect(seconds != nil, "a half-sent request kept the connection open for a minute")
        await Self.stop(service, task)
    }

    @Test func aTakenPortIsAClearError() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-tracker")
        let (service, task) = try await Self.start(directory)
        do {
            _ = try await Self.start(directory) { $0.port = service.server.port }
            Issue.record("a second tracker bound the same port")
        } catch let error as TrackerStartError {
            #expect(error.message.hasPrefix("cannot listen on 127.0.0.1:\(service.server.port)"))
        }
        await Self.stop(service, task)
    }
}

/// The top-level keys of a bencoded dictionary.
enum BencodeFieldsProbe {
    static func keys(_ bytes: [UInt8]) throws -> Set<String> {
        let dictionary = try BencodeDecoder.decode(bytes).value.dictionaryValue ?? [:]
        return Set(dictionary.keys.map { String(decoding: $0, as: UTF8.self) })
    }
}
