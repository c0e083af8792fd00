import TestSupport
import TorrentModel
import TrackerProtocol

/// Shared sample values for the tracker protocol tests.
enum Fixtures {
    /// Bytes 0x01 … 0x14, so percent-encoding shows every byte.
    static let infoHash = InfoHash(bytes: (1...20).map { UInt8($0) })!
    static let otherInfoHash = InfoHash(bytes: [UInt8](repeating: 0xAB, count: 20))!
    static let peerID = Array("-SH0100-abcdefghijkl".utf8)

    static func request(
        event: AnnounceEvent = .started, compact: Bool = true, numWant: Int? = 50, key: UInt32? = 0x0012_ABCD,
        trackerID: [UInt8]? = nil, ip: String? = nil
    ) throws -> AnnounceRequest {
        try AnnounceRequest(
            infoHash: infoHash, peerID: peerID, port: 6881, uploaded: 1024, downloaded: 2048, left: 4096,
            event: event, compact: compact, numWant: numWant, key: key, trackerID: trackerID, ip: ip)
    }

    static func peer(_ host: String, _ port: UInt16) -> PeerEndpoint { PeerEndpoint(host: host, port: port)! }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
