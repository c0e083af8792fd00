import Bencode
import Synchronization
import TorrentModel
import TrackerProtocol

@testable import TrackerServer

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Mutex<Double>(1000)

    var now: Double { seconds.withLock { $0 } }
    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
    var function: @Sendable () -> Double { { self.now } }
}

enum TrackerFixtures {
    static let infoHash = InfoHash(bytes: (1...20).map { UInt8($0) })!
    static let otherInfoHash = InfoHash(bytes: Array(repeating: 0xEE, count: 20))!

    static func client(_ host: UInt8, port: UInt16 = 40000) -> TrackerPeerAddress {
        TrackerPeerAddress(addressBytes: [127, 0, 0, host], port: port)!
    }

    static func peerID(_ number: Int) -> [UInt8] {
        Array("-TT0001-".utf8) + Array(String(number).leftPadded(to: 12).utf8)
    }

    static func query(
        infoHash: InfoHash = infoHash, peer: Int = 1, port: UInt16 = 6881, left: Int = 100, event: String? = nil,
        numWant: String? = nil, compact: Bool = true, extra: String = ""
    ) -> String {
        var query =
            "info_hash=\(QueryString.percentEncode(infoHash.bytes))&peer_id=\(QueryString.percentEncode(peerID(peer)))"
            + "&port=\(port)&uploaded=0&downloaded=0&left=\(left)&compact=\(compact ? 1 : 0)"
        if let event { query += "&event=\(event)" }
        if let numWant { query += "&numwant=\(numWant)" }
        return query + extra
    }

    static func core(
        _ configure: (inout TrackerConfiguration) -> Void = { _ in }, clock: ManualClock = ManualClock()
    ) -> TrackerCore {
        var configuration = TrackerConfiguration()
        configuration.rateLimit = AddressRateLimiter.Settings(ratePerSecond: 0, burst: 0)
        configure(&configuration)
        return TrackerCore(configuration: configuration, secret: Array(repeating: 42, count: 32), clock: clock.function)
    }

    /// The bencoded body as a dictionary, or the failure reason.
    static func decode(_ answer: TrackerHTTPAnswer) throws -> TrackerReply<AnnounceResponse> {
        try AnnounceResponse.decodeHTTP(answer.body)
    }

    static func failureReason(_ answer: TrackerHTTPAnswer) -> String? {
        guard answer.status == 200, case .failure(let reason)? = try? decode(answer) else { return nil }
        return reason
    }

    static func udpAnnounce(
        connectionID: UInt64, transactionID: UInt32 = 7, peer: Int = 1, port: UInt16 = 6881, left: Int64 = 100,
        event: AnnounceEvent = .none, urlData: [UInt8] = [], infoHash: InfoHash = infoHash
    ) throws -> [UInt8] {
        let request = try AnnounceRequest(
            infoHash: infoHash, peerID: peerID(peer), port: port, left: left, event: event)
        return UDPTrackerRequest.announce(
            connectionID: connectionID, transactionID: transactionID, request: request, urlData: urlData
        ).encoded()
    }
}
