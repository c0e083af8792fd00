/// A DHT node as `nodes` and `nodes6` list it (BEP 5, BEP 32): its ID and where it listens. The compact
/// form is the 20-byte ID then the compact address: 26 bytes for IPv4, 38 for IPv6.
public struct CompactNodeInfo: Hashable, Sendable, CustomStringConvertible {
    public var id: NodeID
    public var endpoint: DHTEndpoint

    public init(id: NodeID, endpoint: DHTEndpoint) {
        self.id = id
        self.endpoint = endpoint
    }

    /// Bytes of one entry of `family`.
    public static func entrySize(_ family: DHTEndpoint.Family) -> Int {
        NodeID.byteCount + DHTEndpoint.compactSize(family)
    }

    public var compactBytes: [UInt8] { id.bytes + endpoint.compactBytes }

    public var description: String { "\(id.description.prefix(8))…@\(endpoint)" }

    /// The entries of `family` in `nodes`, concatenated; nodes of the other family are left out.
    public static func encodeList(_ nodes: [CompactNodeInfo], family: DHTEndpoint.Family) -> [UInt8] {
        var bytes: [UInt8] = []
        for node in nodes where node.endpoint.family == family { bytes += node.compactBytes }
        return bytes
    }

    /// Splits a `nodes` (IPv4) or `nodes6` (IPv6) string. Its length must be a whole number of entries:
    /// a misaligned list means the sender is broken, and no entry of it can be trusted.
    public static func decodeList(
        _ bytes: [UInt8], family: DHTEndpoint.Family, key: String
    ) throws(KRPCDecodingError.Reason) -> [CompactNodeInfo] {
        let size = entrySize(family)
        guard bytes.count % size == 0 else {
            throw .misaligned(key: key, length: bytes.count, entrySize: size)
        }
        var nodes: [CompactNodeInfo] = []
        nodes.reserveCapacity(bytes.count / size)
        var offset = 0
        while offset < bytes.count {
            let idEnd = offset + NodeID.byteCount
            // Both succeed: the slices have exactly the sizes the initialisers need.
            if let id = NodeID(bytes: bytes[offset..<idEnd]),
                let endpoint = DHTEndpoint(compact: bytes[idEnd..<offset + size])
            {
                nodes.append(CompactNodeInfo(id: id, endpoint: endpoint))
            }
            offset += size
        }
        return nodes
    }
}
