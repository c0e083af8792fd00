import LocalDiscovery
import TestSupport
import TorrentModel

enum Fixtures {
    /// An infohash whose 20 bytes are all `byte` (non-zero for a valid one).
    static func infoHash(_ byte: UInt8) -> InfoHash {
        InfoHash(bytes: Array(repeating: byte, count: 20))!
    }

    /// The n-th of many distinct infohashes.
    static func infoHash(number n: Int) -> InfoHash {
        InfoHash(
            bytes: [0xAB, UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(repeating: 7, count: 16)
        )!
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// libtorrent's packet, byte for byte as `render_lsd_packet` writes it.
    static func libtorrentPacket(port: Int, infoHash: String, cookie: String) -> [UInt8] {
        bytes(
            "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: \(port)\r\nInfohash: \(infoHash)\r\n"
                + "cookie: \(cookie)\r\n\r\n\r\n")
    }

    /// Decodes, or nil; for `#expect`.
    static func decode(_ bytes: [UInt8]) -> LSDAnnouncement? {
        try? LSDAnnouncement.decode(bytes)
    }

    /// The error decoding gives, or nil when it decodes.
    static func error(_ bytes: [UInt8]) -> LSDDecodingError? {
        do {
            _ = try LSDAnnouncement.decode(bytes)
            return nil
        } catch {
            return error
        }
    }
}
