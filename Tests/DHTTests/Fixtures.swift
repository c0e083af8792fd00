import TestSupport
import TorrentModel

@testable import DHT

/// Helpers shared by the DHT tests.
enum Fixtures {
    /// An ID from up to 40 hex digits, padded with zeros on the right.
    static func id(_ hex: String) -> NodeID {
        let padded = hex + String(repeating: "0", count: 40 - hex.count)
        var bytes: [UInt8] = []
        var index = padded.startIndex
        while index < padded.endIndex {
            let next = padded.index(index, offsetBy: 2)
            bytes.append(UInt8(padded[index..<next], radix: 16)!)
            index = next
        }
        return NodeID(bytes: bytes)!
    }

    /// An ID whose first byte is `first` and the rest `rest`.
    static func id(first: UInt8, rest: UInt8 = 0) -> NodeID {
        NodeID(bytes: [first] + Array(repeating: rest, count: 19))!
    }

    static func endpoint(_ last: UInt8, port: UInt16 = 6881, third: UInt8 = 0) -> DHTEndpoint {
        .ipv4(10, 0, third, last, port: port)
    }

    static func node(_ id: NodeID, _ last: UInt8, port: UInt16 = 6881, third: UInt8 = 0) -> CompactNodeInfo {
        CompactNodeInfo(id: id, endpoint: endpoint(last, port: port, third: third))
    }

    static let infoHash = InfoHash(bytes: Array("mnopqrstuvwxyz123456".utf8))!

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
