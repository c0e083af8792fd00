import AsyncHTTPClient
import Logging
import NIOCore

/// Makes trackers from the URLs a torrent or magnet link gives, sharing one HTTP client and event loop group.
public struct TrackerFactory: Sendable {
    private let httpClient: HTTPClient
    private let eventLoopGroup: any EventLoopGroup
    private let settings: TrackerClientSettings
    private let logger: Logger

    public init(
        httpClient: HTTPClient, eventLoopGroup: any EventLoopGroup, settings: TrackerClientSettings = .init(),
        logger: Logger
    ) {
        self.httpClient = httpClient
        self.eventLoopGroup = eventLoopGroup
        self.settings = settings
        self.logger = logger
    }

    /// A factory on async-http-client's process-wide `HTTPClient.shared`, for callers that do not run their own.
    public init(eventLoopGroup: any EventLoopGroup, settings: TrackerClientSettings = .init(), logger: Logger) {
        self.init(httpClient: .shared, eventLoopGroup: eventLoopGroup, settings: settings, logger: logger)
    }

    /// An `HTTPTracker` for http(s) URLs, a `UDPTracker` for udp ones; anything else throws.
    public func makeTracker(url: String) throws(TrackerClientError) -> any Tracker {
        switch try TrackerURL(url) {
        case .http:
            return HTTPTracker(url: url, client: httpClient, settings: settings, logger: logger)
        case .udp:
            return try UDPTracker(url: url, eventLoopGroup: eventLoopGroup, settings: settings, logger: logger)
        }
    }

    /// The torrent's tiers (BEP 12) as trackers, each tier shuffled once. A URL seen in an earlier place
    /// is left out; URLs that cannot be used (`wss://`, malformed) come back in `rejected`, to show the user.
    public func makeTierList(
        tiers: [[String]], shuffledWith generator: inout some RandomNumberGenerator
    ) -> (list: TrackerTierList<any Tracker>, rejected: [(url: String, error: TrackerClientError)]) {
        var seen: Set<String> = []
        var rejected: [(url: String, error: TrackerClientError)] = []
        var trackerTiers: [[any Tracker]] = []
        for tier in tiers {
            var trackers: [any Tracker] = []
            for url in tier where seen.insert(url).inserted {
                do {
                    trackers.append(try makeTracker(url: url))
                } catch {
                    rejected.append((url, error))
                }
            }
            trackerTiers.append(trackers)
        }
        return (TrackerTierList(tiers: trackerTiers, shuffledWith: &generator), rejected)
    }
}
