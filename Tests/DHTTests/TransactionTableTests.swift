import TestSupport
import Testing

@testable import DHT

@Suite struct TransactionTableTests {
    let endpoint = DHTEndpoint.ipv4(10, 0, 0, 1, port: 6881)

    @Test func anAnswerMatchesOnlyFromTheEndpointQueried() throws {
        var random = SeededRandom(seed: 1)
        var table = TransactionTable<Int>()
        let id = try #require(table.register(to: endpoint, expectedID: nil, purpose: 7, now: 0, using: &random))
        #expect(id.count == 2)
        #expect(table.isPending(to: endpoint))
        let elsewhere = table.match(transactionID: id, from: .ipv4(10, 0, 0, 2, port: 6881))
        #expect(elsewhere == nil)
        let wrongID = table.match(transactionID: [id[0] ^ 1, id[1]], from: endpoint)
        #expect(wrongID == nil)
        let matched = table.match(transactionID: id, from: endpoint)
        #expect(matched?.purpose == 7)
        #expect(table.count == 0)
        #expect(!table.isPending(to: endpoint))
        let again = table.match(transactionID: id, from: endpoint)
        #expect(again == nil)
    }

    @Test func queriesStallThenTimeOut() throws {
        var random = SeededRandom(seed: 2)
        var table = TransactionTable<Int>(settings: TransactionTableSettings(stallTimeout: 2, timeout: 5))
        _ = try #require(table.register(to: endpoint, expectedID: nil, purpose: 1, now: 0, using: &random))
        _ = try #require(table.register(to: endpoint, expectedID: nil, purpose: 2, now: 1, using: &random))
        let early = table.expire(now: 1.5)
        #expect(early.stalled.isEmpty && early.timedOut.isEmpty)
        let first = table.expire(now: 2)
        #expect(first.stalled.map(\.purpose) == [1])
        let second = table.expire(now: 3)
        #expect(second.stalled.map(\.purpose) == [2])
        let third = table.expire(now: 5)
        #expect(third.timedOut.map(\.purpose) == [1] && third.stalled.isEmpty)
        #expect(table.isPending(to: endpoint))
        let last = table.expire(now: 6)
        #expect(last.timedOut.map(\.purpose) == [2])
        #expect(table.count == 0 && !table.isPending(to: endpoint))
    }

    @Test func aFullTableRefusesMoreQueriesWithDistinctIDs() {
        var random = SeededRandom(seed: 3)
        var table = TransactionTable<Int>(settings: TransactionTableSettings(maximumPending: 300))
        var ids: Set<[UInt8]> = []
        for index in 0..<300 {
            if let id = table.register(to: endpoint, expectedID: nil, purpose: index, now: 0, using: &random) {
                ids.insert(id)
            }
        }
        #expect(ids.count == 300)
        #expect(table.isFull)
        let refused = table.register(to: endpoint, expectedID: nil, purpose: 300, now: 0, using: &random)
        #expect(refused == nil)
        let all = table.removeAll()
        #expect(all.count == 300 && table.count == 0)
    }
}
