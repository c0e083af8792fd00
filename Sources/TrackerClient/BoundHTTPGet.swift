import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP(S) GET on a connection of its own that leaves from a chosen local address. A tracker lists a peer
/// at the address its announce came from, so a node bound to one address must announce from it; and
/// async-http-client cannot bind its sockets.
struct BoundHTTPGet: Sendable {
    let localAddress: SocketAddress
    let group: any EventLoopGroup
    let timeout: Duration
    let maximumBodySize: Int

    /// The status and body of the answer to a GET of `url`, or why there is none.
    func fetch(_ url: String) async throws(TrackerClientError) -> (status: Int, body: [UInt8]) {
        guard let parts = TrackerURL.httpParts(url) else { throw .invalidURL(url) }
        do {
            return try await withThrowingTaskGroup(of: (status: Int, body: [UInt8])?.self) { group in
                group.addTask { try await exchange(parts) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let answer = try await group.next() ?? nil else { throw TrackerClientError.timedOut }
                return answer
            }
        } catch let error as TrackerClientError {
            throw error
        } catch is CancellationError {
            throw .cancelled
        } catch {
            if case .connectTimeout? = error as? ChannelError { throw .timedOut }
            if Task.isCancelled { throw .cancelled }
            throw .network(String(describing: error))
        }
    }

    private func exchange(
        _ parts: (tls: Bool, host: String, port: Int, target: String)
    ) async throws -> (
        status: Int, body: [UInt8]
    ) {
        let isLiteral = (try? SocketAddress(ipAddress: parts.host, port: parts.port)) != nil
        let tlsContext = parts.tls ? try Self.tlsContext.get() : nil
        let channel = try await ClientBootstrap(group: group)
            .bind(to: localAddress)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: parts.host, port: parts.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        // SNI names hosts, never addresses.
                        let handler = try NIOSSLClientHandler(
                            context: tlsContext, serverHostname: isLiteral ? nil : parts.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: parts.target)
            let defaultPort = parts.tls ? 443 : 80
            let host = parts.host.contains(":") ? "[\(parts.host)]" : parts.host
            head.headers.add(name: "Host", value: parts.port == defaultPort ? host : "\(host):\(parts.port)")
            head.headers.add(name: "Connection", value: "close")
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var status: Int?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let head):
                    status = Int(head.status.code)
                case .body(let buffer):
                    guard body.count + buffer.readableBytes <= maximumBodySize else {
                        throw TrackerClientError.responseTooLarge(limit: maximumBodySize)
                    }
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let status else { break }
                    return (status, body)
                }
            }
            throw TrackerClientError.network("the connection closed before the whole answer came")
        }
    }

    /// Loading the system's trust roots is slow, so every HTTPS announce shares one context.
    private static let tlsContext = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }
}
