extension RoutingTable {
    /// The table's worth keeping across restarts, as plain data for the state store: our ID (keeping it
    /// keeps our place in the DHT, and the peers stored with us) and the nodes that answered us.
    public struct Snapshot: Hashable, Sendable, Codable {
        public struct Node: Hashable, Sendable, Codable {
            /// 20 bytes.
            public var id: [UInt8]
            /// 4 or 16 bytes.
            public var address: [UInt8]
            public var port: UInt16

            public init(id: [UInt8], address: [UInt8], port: UInt16) {
                self.id = id
                self.address = address
                self.port = port
            }

            /// Nil when the stored bytes are not an ID and an address (a damaged row).
            public var nodeInfo: CompactNodeInfo? {
                guard let id = NodeID(bytes: id), let endpoint = DHTEndpoint(addressBytes: address, port: port) else {
                    return nil
                }
                return CompactNodeInfo(id: id, endpoint: endpoint)
            }
        }

        public var ownID: [UInt8]
        public var nodes: [Node]

        public init(ownID: [UInt8], nodes: [Node]) {
            self.ownID = ownID
            self.nodes = nodes
        }
    }

    /// Our ID and every node that answered us at least once and is not bad, closest buckets first.
    public func snapshot(now: Double) -> Snapshot {
        let kept = buckets.reversed().flatMap(\.nodes).filter {
            $0.lastResponse != nil && state(of: $0, now: now) != .bad
        }
        return Snapshot(
            ownID: ownID.bytes,
            nodes: kept.map {
                Snapshot.Node(id: $0.node.id.bytes, address: $0.node.endpoint.addressBytes, port: $0.node.endpoint.port)
            }
        )
    }

    /// Adds the snapshot's nodes as unconfirmed: questionable until they answer, first to give way to
    /// nodes that do. Damaged rows, our own ID and nodes the rules refuse are skipped. Returns how many
    /// were added. The caller should ping them (`nodesToPing`) or start a lookup of our own ID.
    @discardableResult
    public mutating func restore(_ snapshot: Snapshot, now: Double) -> Int {
        var added = 0
        for node in snapshot.nodes {
            guard let info = node.nodeInfo else { continue }
            if insert(info, now: now, confirmed: false) == .added { added += 1 }
        }
        return added
    }
}
