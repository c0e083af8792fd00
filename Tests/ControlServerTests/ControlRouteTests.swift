import ControlServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeAPI
import Testing
import TorrentModel

@Suite struct ControlRouteTests {
    let one = InfoHash("abcdef0123456789abcdef0123456789abcdef01")!
    let two = InfoHash("abcdef9999999999999999999999999999999999")!
    let other = InfoHash("0123456789012345678901234567890123456789")!

    func library() async -> FakeNode {
        let node = FakeNode()
        await node.insert(one, name: "one")
        await node.insert(two, name: "two", fileCount: 3)
        await node.insert(other, name: "other")
        return node
    }

    // MARK: health and list

    @Test func health() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(uri: "\(base)/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let health = try response.decode(NodeHealth.self)
            #expect(health.status == "ok")
            #expect(health.torrentCount == 3)
        }
        #expect(await node.calls == [.health])
    }

    @Test func listsEveryTorrent() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(uri: "\(base)/torrents", method: .get)
            #expect(response.status == .ok)
            let list = try response.decode([TorrentSummary].self)
            #expect(list.map(\.infoHash) == [other.hex, one.hex, two.hex])
            #expect(response.text.contains(#""addedAt":"2026-05-28T20:26:40Z""#))
            #expect(response.text.contains(#""completedAt":null"#))
        }
        #expect(await node.calls == [.list])
    }

    // MARK: add

    @Test func addsAMagnetFromJSON() async throws {
        let node = FakeNode()
        let link = "magnet:?xt=urn:btih:\(one.hex)&dn=Clip"
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: jsonHeaders,
                body: json(#"{"magnet": "\#(link)", "savePath": "/srv/v", "paused": false}"#))
            #expect(response.status == .created)
            #expect(response.headers[.location] == "\(base)/torrents/\(one.hex)")
            let summary = try response.decode(TorrentSummary.self)
            #expect(summary.infoHash == one.hex)
            #expect(summary.name == "Clip")
            #expect(summary.state == .fetchingMetadata)
        }
        #expect(await node.calls == [.add(.magnet(link, savePath: "/srv/v"))])
    }

    @Test func addsARawTorrentUploadWithOptionsInTheQuery() async throws {
        let node = FakeNode()
        let bytes = makeTorrent(name: "movie")
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents?savePath=/srv/my%20videos&paused=true", method: .post,
                headers: [.contentType: "application/x-bittorrent"], body: ByteBuffer(bytes: bytes))
            #expect(response.status == .created)
            let summary = try response.decode(TorrentSummary.self)
            #expect(summary.name == "movie")
            #expect(summary.state == .paused)
            #expect(summary.totalBytes == 50_000)
        }
        #expect(await node.calls == [.add(.metainfo(bytes, savePath: "/srv/my videos", paused: true))])
    }

    @Test func addsBase64MetainfoFromJSON() async throws {
        let node = FakeNode()
        let bytes = makeTorrent(name: "base64")
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                body: json(#"{"metainfo": "\#(Data(bytes).base64EncodedString())"}"#))
            #expect(response.status == .created)
            #expect(try response.decode(TorrentSummary.self).name == "base64")
        }
        #expect(await node.calls == [.add(.metainfo(bytes))])
    }

    @Test func addingATorrentTwiceIsAConflict() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: jsonHeaders,
                body: json(#"{"magnet": "magnet:?xt=urn:btih:\#(one.hex)"}"#))
            #expect(response.status == .conflict)
            let body = try response.errorBody()
            #expect(body.error == "alreadyAdded")
            #expect(body.infoHash == one.hex)
            #expect(body.message == "torrent \(one.hex) is already in the library")
        }
    }

    @Test(arguments: [
        (#"{"magnet": "magnet:?xt=urn:btih:1234"}"#, "is neither 40 hex digits nor 32 base32 characters"),
        (#"{"magnet": "http://example.com/a.torrent"}"#, "not a magnet link"),
        (#"{"metainfo": "aGVsbG8="}"#, "not a valid .torrent file"),
        (#"{"metainfo": "***"}"#, "bad JSON: 'metainfo': not base64"),
        (#"{"magnet": "magnet:?xt=urn:btih:x", "metainfo": "AAAA"}"#, "not both"),
        (#"{"savePath": "/srv"}"#, "give 'magnet' or 'metainfo' (base64)"),
        (#"{"magnet": 42}"#, "bad JSON: 'magnet' should be a string"),
        (#"{"magnet": "m", "paused": "yes"}"#, "'paused' should be true or false"),
        (#"{"magnet": "#, "bad JSON: the body is not valid JSON"),
        ("", "the request has no JSON body"),
    ])
    func refusesMalformedAdds(body: String, message: String) async throws {
        let node = FakeNode()
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: jsonHeaders, body: json(body))
            #expect(response.status == .badRequest)
            let error = try response.errorBody()
            #expect(error.error == "invalidInput")
            #expect(error.message.contains(message), "\(error.message)")
        }
        // The server checks the torrent or link before the node sees it.
        #expect(await node.calls == [])
    }

    @Test func refusesABrokenRawTorrent() async throws {
        try await withRouter { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: [.contentType: "application/x-bittorrent"],
                body: ByteBuffer(string: "this is no torrent"))
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().message.hasPrefix("not a valid .torrent file"))
        }
    }

    @Test func refusesOtherContentTypes() async throws {
        try await withRouter { client in
            let response = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "magnet:?xt=urn:btih:\(one.hex)"))
            #expect(response.status == .unsupportedMediaType)
            let error = try response.errorBody()
            #expect(error.error == "invalidInput")
            #expect(error.message.contains("application/x-bittorrent"))
            #expect(error.message.contains("'text/plain'"))

            let priorities = try await client.execute(
                uri: "\(base)/torrents/\(one.hex)/files/priorities", method: .put,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "priorities=1"))
            #expect(priorities.status == .unsupportedMediaType)
        }
    }

    @Test func refusesOversizedBodiesWith413() async throws {
        let node = FakeNode()
        try await withRouter(node) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "d"), count: ControlAPI.maximumMetainfoBytes + 1)
            let raw = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: [.contentType: "application/x-bittorrent"], body: big)
            #expect(raw.status == .contentTooLarge)
            let error = try raw.errorBody()
            #expect(error.error == "invalidInput")
            #expect(error.message.contains("at most \(ControlAPI.maximumMetainfoBytes) bytes"))

            let hugeJSON = ByteBuffer(repeating: UInt8(ascii: " "), count: ControlAPI.maximumJSONBodyBytes + 1)
            let viaJSON = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: jsonHeaders, body: hugeJSON)
            #expect(viaJSON.status == .contentTooLarge)
            #expect(try viaJSON.errorBody().message.contains("request body is too large"))

            // Just at the limit is read (and then refused as no torrent, not as too large).
            let atLimit = ByteBuffer(repeating: UInt8(ascii: "d"), count: ControlAPI.maximumMetainfoBytes)
            let fits = try await client.execute(
                uri: "\(base)/torrents", method: .post, headers: [.contentType: "application/x-bittorrent"],
                body: atLimit)
            #expect(fits.status == .badRequest)
        }
        #expect(await node.calls == [])
    }

    // MARK: show and references

    @Test func showsATorrentByInfohashOrPrefix() async throws {
        let node = await library()
        try await withRouter(node) { client in
            for reference in [one.hex, "ABCDEF01", "abcdef0123"] {
                let response = try await client.execute(uri: "\(base)/torrents/\(reference)", method: .get)
                #expect(response.status == .ok)
                let detail = try response.decode(TorrentDetail.self)
                #expect(detail.infoHash == one.hex)
                #expect(detail.savePath == "/srv/one")
                #expect(detail.files.count == 2)
                #expect(detail.pieceBitfield?.setIndices == [1])
                #expect(detail.peerList.first?.client == "Transmission 4.0")
            }
        }
        // The node gets the reference checked and lowercased.
        #expect(await node.calls == [.show(one.hex), .show("abcdef01"), .show("abcdef0123")])
    }

    @Test func anUnknownInfohashIs404() async throws {
        try await withRouter(await library()) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents/\(String(repeating: "f", count: 40))", method: .get)
            #expect(response.status == .notFound)
            let error = try response.errorBody()
            #expect(error.error == "unknownTorrent")
            #expect(error.reference == String(repeating: "f", count: 40))
            #expect(error.message == "no torrent matches '\(String(repeating: "f", count: 40))'")
        }
    }

    @Test func anAmbiguousPrefixIs409WithTheMatches() async throws {
        try await withRouter(await library()) { client in
            let response = try await client.execute(uri: "\(base)/torrents/abcdef", method: .get)
            #expect(response.status == .conflict)
            let error = try response.errorBody()
            #expect(error.error == "ambiguousReference")
            #expect(error.matches == [one.hex, two.hex])
            #expect(error.message.contains("matches 2 torrents"))
        }
    }

    @Test(arguments: ["abc", "not-hex", "xyzxyzxyz", String(repeating: "a", count: 41)])
    func aMalformedReferenceIs400(reference: String) async throws {
        let node = await library()
        try await withRouter(node) { client in
            for (method, suffix) in [
                (HTTPRequest.Method.get, ""), (.post, "/pause"), (.post, "/resume"), (.delete, ""),
            ] {
                let response = try await client.execute(uri: "\(base)/torrents/\(reference)\(suffix)", method: method)
                #expect(response.status == .badRequest)
                #expect(try response.errorBody().error == "invalidInput")
            }
        }
        #expect(await node.calls == [])
    }

    // MARK: pause, resume, remove

    @Test func pausesAndResumes() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let paused = try await client.execute(uri: "\(base)/torrents/012345/pause", method: .post)
            #expect(paused.status == .ok)
            #expect(try paused.decode(TorrentSummary.self).state == .paused)
            let resumed = try await client.execute(uri: "\(base)/torrents/012345/resume", method: .post)
            #expect(resumed.status == .ok)
            #expect(try resumed.decode(TorrentSummary.self).state == .downloading)
            let unknown = try await client.execute(uri: "\(base)/torrents/eeeeee/pause", method: .post)
            #expect(unknown.status == .notFound)
        }
        #expect(await node.calls == [.pause("012345"), .resume("012345"), .pause("eeeeee")])
    }

    @Test func removesWithOrWithoutData() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let keep = try await client.execute(uri: "\(base)/torrents/012345", method: .delete)
            #expect(keep.status == .noContent)
            #expect(keep.body.readableBytes == 0)
            let wipe = try await client.execute(uri: "\(base)/torrents/\(one.hex)?deleteData=true", method: .delete)
            #expect(wipe.status == .noContent)
            let explicit = try await client.execute(
                uri: "\(base)/torrents/\(two.hex)?deleteData=false", method: .delete)
            #expect(explicit.status == .noContent)
            let again = try await client.execute(uri: "\(base)/torrents/\(two.hex)", method: .delete)
            #expect(again.status == .notFound)
            let bad = try await client.execute(uri: "\(base)/torrents/\(two.hex)?deleteData=maybe", method: .delete)
            #expect(bad.status == .badRequest)
            #expect(try bad.errorBody().message == "query parameter 'deleteData' must be true or false, not 'maybe'")
        }
        #expect(
            await node.calls == [
                .remove("012345", deleteData: false), .remove(one.hex, deleteData: true),
                .remove(two.hex, deleteData: false), .remove(two.hex, deleteData: false),
            ])
        #expect(await node.torrents.isEmpty)
    }

    @Test func aBareDeleteDataFlagMeansTrue() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(uri: "\(base)/torrents/012345?deleteData", method: .delete)
            #expect(response.status == .noContent)
            let one = try await client.execute(uri: "\(base)/torrents/abcdef01?deleteData=1", method: .delete)
            #expect(one.status == .noContent)
        }
        #expect(await node.calls == [.remove("012345", deleteData: true), .remove("abcdef01", deleteData: true)])
    }

    // MARK: file priorities

    @Test func setsFilePriorities() async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents/\(two.hex)/files/priorities", method: .put, headers: jsonHeaders,
                body: json(#"{"priorities": [0, 4, 7]}"#))
            #expect(response.status == .ok)
            #expect(try response.decode(TorrentDetail.self).files.map(\.priority) == [0, 4, 7])

            // Range and count are the node's to check; it says why.
            let wrongCount = try await client.execute(
                uri: "\(base)/torrents/\(two.hex)/files/priorities", method: .put, headers: jsonHeaders,
                body: json(#"{"priorities": [1]}"#))
            #expect(wrongCount.status == .badRequest)
            #expect(try wrongCount.errorBody().message.contains("give one per file"))
        }
        #expect(await node.calls == [.setFilePriorities(two.hex, [0, 4, 7]), .setFilePriorities(two.hex, [1])])
    }

    @Test(arguments: [
        #"{"priorities": [1.5, 4, 4]}"#, #"{"priorities": ["high", 4, 4]}"#, #"{"priorities": 4}"#, #"{"level": [4]}"#,
        #"{"priorities": [4, 4, null]}"#, "[4, 4, 4]", "{priorities: [4]}", "",
    ])
    func refusesBadPriorityBodies(body: String) async throws {
        let node = await library()
        try await withRouter(node) { client in
            let response = try await client.execute(
                uri: "\(base)/torrents/\(two.hex)/files/priorities", method: .put, headers: jsonHeaders,
                body: json(body))
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().error == "invalidInput")
        }
        #expect(await node.calls == [])
    }

    // MARK: error mapping

    @Test(arguments: [
        (NodeControlError.notAllowed("removing is disabled"), HTTPResponse.Status.forbidden),
        (.internalFailure("disk full"), .internalServerError),
        (.invalidInput("no"), .badRequest),
        (.alreadyAdded(infoHash: "ab"), .conflict),
    ])
    func nodeErrorsKeepTheirStatus(error: NodeControlError, status: HTTPResponse.Status) async throws {
        let node = await library()
        await node.failNextCall(with: error)
        try await withRouter(node) { client in
            let response = try await client.execute(uri: "\(base)/torrents", method: .get)
            #expect(response.status == status)
            #expect(try NodeControlError(body: response.errorBody()) == error)
        }
    }

    @Test func anUnexpectedErrorIs500WithItsMessage() async throws {
        let node = await library()
        await node.failNextCall(with: FakeNode.Boom())
        try await withRouter(node) { client in
            let response = try await client.execute(uri: "\(base)/health", method: .get)
            #expect(response.status == .internalServerError)
            let error = try response.errorBody()
            #expect(error.error == "internalFailure")
            #expect(error.message == "the fake node exploded")
        }
    }

    @Test func unknownRoutesAndMethodsAnswerJSON() async throws {
        try await withRouter(await library()) { client in
            let missing = try await client.execute(uri: "\(base)/nothing/here", method: .get)
            #expect(missing.status == .notFound)
            #expect(try missing.errorBody().error == "notFound")

            let deep = try await client.execute(
                uri: "\(base)/torrents/\(String(repeating: "a", count: 40))/x", method: .post)
            #expect(deep.status == .notFound)
            #expect(try deep.errorBody().error == "notFound")

            let method = try await client.execute(uri: "\(base)/torrents", method: .delete)
            #expect(method.status == .methodNotAllowed)
            #expect(method.headers[.allow] == "GET, POST")
            #expect(try method.errorBody().error == "methodNotAllowed")

            let pause = try await client.execute(uri: "\(base)/torrents/012345/pause", method: .get)
            #expect(pause.status == .methodNotAllowed)
            #expect(pause.headers[.allow] == "POST")
        }
    }

    // MARK: composition

    @Test func routesMountBesideOtherRoutesOnOneRouter() async throws {
        let node = await library()
        let router = Router()
        router.get("/hls/master.m3u8") { _, _ in "#EXTM3U\n" }
        ControlServer.addRoutes(to: router, node: node)
        let app = Application(router: router)
        try await app.test(.router) { client in
            let playlist = try await client.execute(uri: "/hls/master.m3u8", method: .get)
            #expect(playlist.status == .ok)
            #expect(playlist.text == "#EXTM3U\n")
            let health = try await client.execute(uri: "\(base)/health", method: .get)
            #expect(health.status == .ok)
            // The control routes carry their Host check wherever they are mounted.
            let foreign = try await client.execute(
                uri: "\(base)/health", method: .get, headers: hostHeader("evil.example"))
            #expect(foreign.status == .forbidden)
            // Other routes are not affected by the control routes' middleware.
            let other = try await client.execute(
                uri: "/hls/master.m3u8", method: .get, headers: hostHeader("evil.example"))
            #expect(other.status == .ok)
        }
        #expect(await node.calls == [.health])
    }
}
