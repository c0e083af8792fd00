import ControlServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NodeAPI
import NodeClient
import TestSupport
import Testing
import TorrentModel

/// Runs the real server on 127.0.0.1 and a free port with `node`, hands the port to `body`, and
/// stops the server afterwards.
@discardableResult
func withLiveServer<Value: Sendable>(
    _ node: some NodeControl, _ body: @Sendable (_ port: Int) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = ControlServer.makeApplication(
        node: node, host: "127.0.0.1", port: 0, logger: quietLogger,
        onServerRunning: { port in
            continuation.yield(port)
            continuation.finish()
        })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await group.next()
            throw CancellationError()
        }
        defer { group.cancelAll() }
        return try await body(port)
    }
}

@Suite struct LiveServerTests {
    let one = InfoHash("abcdef0123456789abcdef0123456789abcdef01")!
    let two = InfoHash("abcdef9999999999999999999999999999999999")!

    @Test func theClientDrivesEveryMethodAgainstTheRealServer() async throws {
        let node = FakeNode()
        await node.insert(one, name: "one")
        await node.insert(two, name: "two", fileCount: 3)
        let torrent = makeTorrent(name: "uploaded", fileLengths: [30_000, 5_000, 100])
        let torrentHash = try Metainfo(bytes: torrent).infoHash
        let magnetHash = InfoHash("00112233445566778899aabbccddeeff00112233")!
        let magnet = "magnet:?xt=urn:btih:\(magnetHash.hex)&dn=From%20a%20magnet"

        try await withLiveServer(node) { port in
            try await NodeClient.withClient(port: port) { client in
                let health = try await client.health()
                #expect(health.status == "ok")
                #expect(health.torrentCount == 2)

                let added = try await client.add(.metainfo(torrent, savePath: "/srv/up", paused: true))
                #expect(added.infoHash == torrentHash.hex)
                #expect(added.state == .paused)
                #expect(added.totalBytes == 35_100)
                let fromMagnet = try await client.add(.magnet(magnet))
                #expect(fromMagnet.name == "From a magnet")
                #expect(fromMagnet.state == .fetchingMetadata)

                let list = try await client.list()
                #expect(Set(list.map(\.infoHash)) == [one.hex, two.hex, torrentHash.hex, magnetHash.hex])

                let detail = try await client.show(String(torrentHash.hex.prefix(8)).uppercased())
                #expect(detail.infoHash == torrentHash.hex)
                #expect(detail.savePath == "/srv/up")
                #expect(detail.files.map(\.path) == ["part0.bin", "part1.bin", "part2.bin"])
                #expect(detail.pieceCount == 3)
                #expect(detail.pieceBitfield == Bitfield(count: 3))

                #expect(try await client.resume(torrentHash.hex).state == .downloading)
                #expect(try await client.pause(torrentHash.hex).state == .paused)

                let prioritised = try await client.setFilePriorities(torrentHash.hex, priorities: [7, 0, 1])
                #expect(prioritised.files.map(\.priority) == [7, 0, 1])

                try await client.remove(magnetHash.hex, deleteData: true)
                try await client.remove(torrentHash.hex, deleteData: false)
                #expect(try await client.list().count == 2)
            }
        }
        let calls = await node.calls
        #expect(calls.count == 11)
        #expect(calls.contains(.remove(magnetHash.hex, deleteData: true)))
        #expect(calls.contains(.remove(torrentHash.hex, deleteData: false)))
        #expect(calls.contains(.show(String(torrentHash.hex.prefix(8)))))
        #expect(calls.contains(.add(.metainfo(torrent, savePath: "/srv/up", paused: true))))
    }

    @Test func theClientGetsBackTheNodesErrors() async throws {
        let node = FakeNode()
        await node.insert(one, name: "one")
        await node.insert(two, name: "two")
        try await withLiveServer(node) { port in
            try await NodeClient.withClient(port: port) { client in
                await #expect(throws: NodeControlError.unknownTorrent(reference: "ffffff")) {
                    try await client.show("ffffff")
                }
                await #expect(
                    throws: NodeControlError.ambiguousReference(reference: "abcdef", matches: [one.hex, two.hex])
                ) {
                    try await client.pause("abcdef")
                }
                await #expect(throws: NodeControlError.alreadyAdded(infoHash: one.hex)) {
                    try await client.add(.magnet("magnet:?xt=urn:btih:\(one.hex)"))
                }
                await #expect(throws: NodeControlError.invalidInput("not a magnet link: it must start with 'magnet:?'"))
                {
                    try await client.add(.magnet("http://example.com/x.torrent"))
                }
                await #expect(
                    throws: NodeControlError.invalidInput(
                        "got 1 file priorities for a torrent of 2 files: give one per file")
                ) {
                    try await client.setFilePriorities(one.hex, priorities: [4])
                }
                await node.failNextCall(with: NodeControlError.notAllowed("read-only node"))
                await #expect(throws: NodeControlError.notAllowed("read-only node")) {
                    try await client.resume(one.hex)
                }
                await node.failNextCall(with: FakeNode.Boom())
                await #expect(throws: NodeControlError.internalFailure("the fake node exploded")) {
                    try await client.list()
                }
                await #expect(throws: NodeControlError.unknownTorrent(reference: "eeeeee")) {
                    try await client.remove("eeeeee", deleteData: false)
                }
                // A malformed reference is refused before anything is sent.
                let before = await node.calls.count
                await #expect(throws: NodeControlError.self) { try await client.show("../health") }
                #expect(await node.calls.count == before)
            }
        }
    }

    @Test func theRealServerChecksTheHostHeaderOnTheWire() async throws {
        try await withLiveServer(FakeNode()) { port in
            func send(authority: String?) async throws -> TestClient.Response {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    try await client.execute(TestClient.Request("\(base)/health", method: .get, authority: authority))
                }
            }
            for host in ["evil.example", "127.0.0.1.evil.example", "evil.example:\(port)"] {
                let refused = try await send(authority: host)
                #expect(refused.status == .forbidden)
                let body = try NodeAPIJSON.makeDecoder().decode(
                    APIErrorBody.self, from: Data(try #require(refused.body).readableBytesView))
                #expect(body.error == "notAllowed")
                #expect(body.message.contains("Host '\(host)'"))
            }
            for host in ["localhost:\(port)", "127.0.0.1", "[::1]:\(port)", "127.0.0.1:\(port)"] {
                #expect(try await send(authority: host).status == .ok, "Host: \(host)")
            }
            let noHost = try await send(authority: nil)
            #expect(noHost.status == .badRequest)
        }
    }

    @Test func noNodeRunningIsItsOwnError() async throws {
        let port = try FreePort.tcp()
        try await NodeClient.withClient(port: port) { client in
            await #expect(throws: NodeClientError.noNodeRunning(port: port)) { try await client.health() }
            await #expect(throws: NodeClientError.noNodeRunning(port: port)) { try await client.list() }
        }
        #expect(
            NodeClientError.noNodeRunning(port: port).description
                == "no Shoal node is running on 127.0.0.1:\(port); start one with `shoal node`")
    }

    @Test func somethingElseOnThePortIsAnUnexpectedResponse() async throws {
        // A plain Hummingbird server that is not a Shoal node.
        let router = Router()
        router.get("/") { _, _ in "hello" }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await NodeClient.withClient(port: port) { client in
                await #expect {
                    try await client.health()
                } throws: { error in
                    guard case .unexpectedResponse(let status, _) = error as? NodeClientError else { return false }
                    return status == 404
                }
            }
        }
    }

    @Test func aSlowNodeTimesOut() async throws {
        let node = SlowNode()
        try await withLiveServer(node) { port in
            try await NodeClient.withClient(port: port, requestTimeout: .milliseconds(300)) { client in
                await #expect(throws: NodeClientError.timedOut(port: port, seconds: 0.3)) { try await client.health() }
            }
        }
        #expect(
            NodeClientError.timedOut(port: 6880, seconds: 0.3).description
                == "the Shoal node on 127.0.0.1:6880 did not answer within 0.3 s")
    }
}

/// A node that takes its time to answer `health`; everything else fails.
struct SlowNode: NodeControl {
    func health() async throws -> NodeHealth {
        try await Task.sleep(for: .seconds(3))
        return NodeHealth(version: "slow", torrentCount: 0, uptimeSeconds: 0, peerPort: 0, apiPort: 0)
    }
    func list() async throws -> [TorrentSummary] { throw FakeNode.Boom() }
    func add(_ request: AddTorrentRequest) async throws -> TorrentSummary { throw FakeNode.Boom() }
    func show(_ reference: String) async throws -> TorrentDetail { throw FakeNode.Boom() }
    func pause(_ reference: String) async throws -> TorrentSummary { throw FakeNode.Boom() }
    func resume(_ reference: String) async throws -> TorrentSummary { throw FakeNode.Boom() }
    func remove(_ reference: String, deleteData: Bool) async throws { throw FakeNode.Boom() }
    func setFilePriorities(_ reference: String, priorities: [Int]) async throws -> TorrentDetail {
        throw FakeNode.Boom()
    }
}

@Suite struct LiveLimitTests {
    @Test func anOversizedUploadIsRefusedOverTheWire() async throws {
        let node = FakeNode()
        try await withLiveServer(node) { port in
            // 16 MiB through a debug build on a loaded 2-core CI machine took over 30 s (the default timeout).
            try await NodeClient.withClient(port: port, requestTimeout: .seconds(180)) { client in
                let huge = [UInt8](repeating: UInt8(ascii: "d"), count: ControlAPI.maximumMetainfoBytes + 1)
                await #expect {
                    try await client.add(.metainfo(huge))
                } throws: { error in
                    guard case .invalidInput(let message) = error as? NodeControlError else { return false }
                    return message.contains("too large")
                }
                // The connection pool recovers: the next call works.
                let health = try await client.health()
                #expect(health.status == "ok")
            }
        }
        #expect(await node.calls == [.health])
    }

    @Test func aRawUploadPastTheLimitGets413BeforeItIsRead() async throws {
        try await withLiveServer(FakeNode()) { port in
            // The head announces 48 MB but only 64 KiB follow: the answer must come from the Content-Length
            // alone. (Sending all 48 MB races the server's close: a reset can discard the 413 in flight.)
            let head =
                "POST \(base)/torrents HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
                + "Content-Type: \(ControlAPI.torrentMediaType)\r\n"
                + "Content-Length: \(3 * ControlAPI.maximumMetainfoBytes)\r\n\r\n"
            let response = try RawHTTP.exchange(
                port: port, request: Array(head.utf8) + [UInt8](repeating: 0, count: 64 * 1024))
            #expect(response.hasPrefix("HTTP/1.1 413"), "\(response.prefix(200))")
            let body = try #require(response.range(of: "\r\n\r\n")).upperBound
            let error = try NodeAPIJSON.makeDecoder().decode(
                APIErrorBody.self, from: Data(response[body...].utf8))
            #expect(error.error == "invalidInput")
            #expect(error.message.contains("at most \(ControlAPI.maximumMetainfoBytes) bytes"))
        }
    }
}
