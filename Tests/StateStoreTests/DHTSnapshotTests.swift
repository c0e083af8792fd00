import DHT
import Foundation
import StateStore
import Testing

@Suite("DHT snapshot")
struct DHTSnapshotTests {
    static let snapshot = RoutingTable.Snapshot(
        ownID: Array(repeating: 0xAA, count: 20),
        nodes: [
            .init(id: Array(repeating: 0x01, count: 20), address: [10, 0, 0, 1], port: 6881),
            .init(id: Array(repeating: 0x02, count: 20), address: Array(repeating: 0x20, count: 16), port: 51413),
        ])

    @Test("saved, replaced, and read back after reopening, in order")
    func roundTrip() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            #expect(try store.dhtSnapshot() == nil)
            try store.saveDHTSnapshot(RoutingTable.Snapshot(ownID: Array(repeating: 0xBB, count: 20), nodes: []))
            try store.saveDHTSnapshot(Self.snapshot)
            try store.close()
        }
        let store = try folder.open()
        #expect(try store.dhtSnapshot() == Self.snapshot)
    }

    @Test("damaged nodes are left out and the count is capped")
    func bounded() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        let many = (0..<(StateStoreLimits.maximumDHTNodes + 50)).map(Self.node(_:))
        let damaged = RoutingTable.Snapshot.Node(id: [1, 2, 3], address: [10, 0, 0, 1], port: 6881)
        let portZero = RoutingTable.Snapshot.Node(id: Array(repeating: 9, count: 20), address: [10, 0, 0, 1], port: 0)
        try store.saveDHTSnapshot(RoutingTable.Snapshot(ownID: Self.snapshot.ownID, nodes: [damaged, portZero] + many))
        let loaded = try #require(try store.dhtSnapshot())
        #expect(loaded.nodes.count == StateStoreLimits.maximumDHTNodes)
        #expect(loaded.nodes.first == many.first)
    }

    static func node(_ index: Int) -> RoutingTable.Snapshot.Node {
        let id: [UInt8] = [UInt8(index & 0xFF), UInt8(index >> 8)] + [UInt8](repeating: 0, count: 18)
        return RoutingTable.Snapshot.Node(id: id, address: [10, 0, 0, 1], port: UInt16(1_000 + index))
    }
}
