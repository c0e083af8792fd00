import DHT
import Foundation
import GRDB

extension StateStore {
    /// Replaces the stored DHT snapshot: the node ID and at most `StateStoreLimits.maximumDHTNodes`
    /// nodes, in the snapshot's order (closest buckets first). Nodes whose bytes are not an ID, an
    /// address and a port are left out.
    public func saveDHTSnapshot(_ snapshot: RoutingTable.Snapshot, now: Date = Date()) throws(StateStoreError) {
        try write("save the DHT snapshot") { db in
            try db.execute(sql: "DELETE FROM dhtNode")
            try db.execute(
                sql: "INSERT OR REPLACE INTO dhtIdentity (id, nodeID, savedAt) VALUES (1, ?, ?)",
                arguments: [Data(snapshot.ownID), now.timeIntervalSince1970])
            let insert = try db.makeStatement(
                sql: "INSERT INTO dhtNode (position, nodeID, address, port) VALUES (?, ?, ?, ?)")
            let valid = snapshot.nodes.filter { $0.nodeInfo != nil && $0.port != 0 }
            for (position, node) in valid.prefix(StateStoreLimits.maximumDHTNodes).enumerated() {
                try insert.execute(arguments: [position, Data(node.id), Data(node.address), Int(node.port)])
            }
        }
    }

    /// The stored DHT snapshot, or nil if none was saved.
    public func dhtSnapshot() throws(StateStoreError) -> RoutingTable.Snapshot? {
        try read("read the DHT snapshot") { db in
            guard let ownID = try Data.fetchOne(db, sql: "SELECT nodeID FROM dhtIdentity WHERE id = 1") else {
                return nil
            }
            let rows = try Row.fetchAll(db, sql: "SELECT nodeID, address, port FROM dhtNode ORDER BY position")
            let nodes = rows.map { row in
                RoutingTable.Snapshot.Node(
                    id: [UInt8](row["nodeID"] as Data), address: [UInt8](row["address"] as Data),
                    port: UInt16(truncatingIfNeeded: row["port"] as Int))
            }
            return RoutingTable.Snapshot(ownID: [UInt8](ownID), nodes: nodes)
        }
    }
}
