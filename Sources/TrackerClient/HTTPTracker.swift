import AsyncHTTPClient
import Logging
import NIOCore
import TorrentModel
import TrackerProtocol

/// A BEP 3 tracker over HTTP(S), through the one `HTTPClient` the node shares.
public struct HTTPTracker: Tracker {
    public let url: String
    private let client: HTTPClient
    private let settings: TrackerClientSettings
    private let logger: Logger

    public init(url: String, client: HTTPClient, settings: TrackerClientSettings = .init(), logger: Logger) {
        self.url = url
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    public func announce(_ request: AnnounceRequest) async throws(TrackerClientError) -> AnnounceResponse {
        let body = try await get(request.httpURL(announceURL: url))
        let reply: TrackerReply<AnnounceResponse>
        do {
            reply = try AnnounceResponse.decodeHTTP(body)
        } catch {
            throw .malformedResponse(error)
        }
        switch reply {
        case .success(let response): return response
        case .failure(let reason): throw .trackerFailure(reason)
        }
    }

    public func scrape(_ infoHashes: [InfoHash]) async throws(TrackerClientError) -> ScrapeResponse {
        guard let scrapeURL = ScrapeRequest.scrapeURL(forAnnounceURL: url) else { throw .scrapeUnsupported }
        let body = try await get(ScrapeRequest(infoHashes: infoHashes).httpURL(scrapeURL: scrapeURL))
        let reply: TrackerReply<ScrapeResponse>
        do {
            reply = try ScrapeResponse.decodeHTTP(body)
        } catch {
            throw .malformedResponse(error)
        }
        switch reply {
        case .success(let response): return response
        case .failure(let reason): throw .trackerFailure(reason)
        }
    }

    /// GETs `url` and returns the body of a 200 answer. Other statuses throw, with the tracker's
    /// `failure reason` when the body has one (some trackers send it with a 4xx status).
    private func get(_ url: String) async throws(TrackerClientError) -> [UInt8] {
        logger.debug("HTTP tracker request", metadata: ["url": "\(url)"])
        let (status, bytes) = try await fetch(url)
        guard status == 200 else {
            if case .failure(let reason)? = try? AnnounceResponse.decodeHTTP(bytes) { throw .trackerFailure(reason) }
            throw .httpStatus(status)
        }
        return bytes
    }

    /// From the outgoing address when one is set (on a connection of our own), else through the shared client.
    private func fetch(_ url: String) async throws(TrackerClientError) -> (status: Int, body: [UInt8]) {
        if let localAddress = settings.outgoingAddress {
            let get = BoundHTTPGet(
                localAddress: localAddress, group: client.eventLoopGroup, timeout: settings.httpTimeout,
                maximumBodySize: settings.maximumResponseSize)
            return try await get.fetch(url)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        // Announces are minutes apart, and many trackers (opentracker among them) close the connection
        // after each reply: a pooled connection would fail with "I/O on closed channel" when reused.
        request.headers.add(name: "Connection", value: "close")
        do {
            let response = try await client.execute(request, timeout: TimeAmount(settings.httpTimeout), logger: logger)
            let body = try await response.body.collect(upTo: settings.maximumResponseSize)
            return (Int(response.status.code), Array(body.readableBytesView))
        } catch {
            throw Self.classify(error, limit: settings.maximumResponseSize)
        }
    }

    private static func classify(_ error: any Error, limit: Int) -> TrackerClientError {
        if error is NIOTooManyBytesError { return .responseTooLarge(limit: limit) }
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timedOut
            case .cancelled: return .cancelled
            default: return .network(String(describing: error))
            }
        }
        return .network(String(describing: error))
    }
}
