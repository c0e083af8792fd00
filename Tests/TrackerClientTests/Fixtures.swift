import Logging
import TorrentModel
import TrackerClient
import TrackerProtocol

/// Shared sample values for the tracker client tests.
enum Fixtures {
    static let infoHash = InfoHash(bytes: (1...20).map { UInt8($0) })!
    static let otherInfoHash = InfoHash(bytes: [UInt8](repeating: 0xAB, count: 20))!
    static let peerID = Array("-SH0100-abcdefghijkl".utf8)

    static var logger: Logger {
        var logger = Logger(label: "shoal.tracker.test")
        logger.logLevel = .critical
        return logger
    }

    static func request(
        infoHash: InfoHash = infoHash, peerID: [UInt8] = peerID, port: UInt16 = 6881, left: Int64 = 4096,
        event: AnnounceEvent = .started
    ) throws -> AnnounceRequest {
        try AnnounceRequest(
            infoHash: infoHash, peerID: peerID, port: port, uploaded: 1024, downloaded: 2048, left: left, event: event,
            numWant: 50, key: 0x0012_ABCD)
    }

    static func peer(_ host: String, _ port: UInt16) -> PeerEndpoint { PeerEndpoint(host: host, port: port)! }

    /// Short UDP timeouts so retransmission tests take a fraction of a second.
    static var fastSettings: TrackerClientSettings {
        var settings = TrackerClientSettings()
        settings.udpBaseTimeout = .milliseconds(100)
        settings.udpMaximumRetransmissions = 2
        settings.httpTimeout = .seconds(5)
        return settings
    }

    /// For tests that count packets: a time-out no loaded machine reaches on loopback, so nothing is retransmitted
    /// (a 100-ms one made a loaded CI run send a connect twice).
    static var patientSettings: TrackerClientSettings {
        var settings = fastSettings
        settings.udpBaseTimeout = .seconds(5)
        return settings
    }
}

/// A tracker whose answers the test scripts, recording every request.
actor FakeTracker: Tracker {
    enum Mode {
        case reply(AnnounceResponse)
        case fail(TrackerClientError)
        /// Never answers; ends only when cancelled.
        case hang
    }

    nonisolated let url: String
    private var mode: Mode
    /// Used for `stopped` announces when set.
    private var stoppedMode: Mode?
    private(set) var requests: [AnnounceRequest] = []

    init(url: String, mode: Mode) {
        self.url = url
        self.mode = mode
    }

    func set(_ mode: Mode) { self.mode = mode }
    func setStopped(_ mode: Mode) { stoppedMode = mode }

    var events: [AnnounceEvent] { requests.map(\.event) }

    func announce(_ request: AnnounceRequest) async throws(TrackerClientError) -> AnnounceResponse {
        requests.append(request)
        let mode = request.event == .stopped ? stoppedMode ?? self.mode : self.mode
        switch mode {
        case .reply(let response):
            return response
        case .fail(let error):
            throw error
        case .hang:
            try? await Task.sleep(for: .seconds(3600))
            throw .cancelled
        }
    }

    func scrape(_ infoHashes: [InfoHash]) async throws(TrackerClientError) -> ScrapeResponse {
        throw .scrapeUnsupported
    }
}
