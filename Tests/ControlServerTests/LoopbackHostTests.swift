import ControlServer
import Hummingbird
import HummingbirdTesting
import NodeAPI
import Testing

@Suite struct LoopbackHostTests {
    @Test(arguments: [
        "localhost", "LocalHost", "localhost:6880", "127.0.0.1", "127.0.0.1:1", "127.0.0.1:65535", "[::1]",
        "[::1]:6880",
    ])
    func acceptsLoopbackNames(host: String) {
        #expect(LoopbackHostMiddleware<BasicRequestContext>.isLoopback(host))
    }

    @Test(arguments: [
        "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.example:6880", "localhost.",
        "127.0.0.2", "0.0.0.0", "::1", "[::1", "[::2]:80", "[::1]x", "localhost:", "localhost:abc", "localhost:65536",
        "localhost:123456", "127.0.0.1:80:80", "", "[::1]:", " localhost", "localhost ", "user@localhost",
    ])
    func refusesEverythingElse(host: String) {
        #expect(!LoopbackHostMiddleware<BasicRequestContext>.isLoopback(host))
    }

    @Test(arguments: ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:6880"])
    func aForeignHostIs403NamingIt(host: String) async throws {
        let node = FakeNode()
        try await withRouter(node) { client in
            for (uri, method) in [
                ("\(base)/health", HTTPRequest.Method.get), ("\(base)/torrents", .post),
                ("\(base)/torrents/abcdef", .delete), ("/anything/else", .get),
            ] {
                let response = try await client.execute(uri: uri, method: method, headers: hostHeader(host))
                #expect(response.status == .forbidden)
                let error = try response.errorBody()
                #expect(error.error == "notAllowed")
                #expect(error.message.contains("Host '\(host)'"))
                #expect(error.message.contains("localhost, 127.0.0.1, [::1]"))
                #expect(error.message.contains("DNS rebinding"))
            }
        }
        #expect(await node.calls == [])
    }

    @Test(arguments: ["localhost:6880", "127.0.0.1", "[::1]:6880", "LOCALHOST"])
    func loopbackHostsAreServed(host: String) async throws {
        try await withRouter { client in
            let response = try await client.execute(uri: "\(base)/health", method: .get, headers: hostHeader(host))
            #expect(response.status == .ok)
        }
    }

    @Test func aVeryLongForeignHostIsQuotedShort() async throws {
        let host = String(repeating: "x", count: 5_000) + ".example"
        try await withRouter { client in
            let response = try await client.execute(uri: "\(base)/health", method: .get, headers: hostHeader(host))
            #expect(response.status == .forbidden)
            let message = try response.errorBody().message
            #expect(message.count < 500)
            #expect(message.contains("…"))
        }
    }
}
