import Testing

@testable import Swarm

@Suite struct PEXStateTests {
    typealias State = PEXState<Int>

    /// `nextUpdate` and `receive` outside `#expect` and `#require`, which cannot take mutating calls.
    static func send(_ state: inout State, _ connected: [State.Entry], now: Double) -> State.Update? {
        state.nextUpdate(connected: connected, now: now)
    }

    static func take(_ state: inout State, _ added: [State.Entry], now: Double) -> [State.Entry]? {
        state.receive(added: added, now: now)
    }

    static func entries(_ addresses: some Sequence<Int>, flags: UInt8 = 0) -> [State.Entry] {
        addresses.map { State.Entry(address: $0, flags: flags) }
    }

    @Test func theFirstMessageGoesAtOnceWithEveryPeerButTheReceiver() throws {
        var state = State(peer: 1)
        let update = try #require(Self.send(&state, Self.entries([1, 2, 3], flags: 0x10), now: 0))
        #expect(update.added == Self.entries([2, 3], flags: 0x10))
        #expect(update.dropped.isEmpty)
        #expect(state.toldCount == 2)
    }

    @Test func nothingNewMeansNoMessage() {
        var state = State(peer: 1)
        #expect(Self.send(&state, [], now: 0) == nil)
        #expect(Self.send(&state, Self.entries([1]), now: 0) == nil, "only the peer itself")
        // An empty first call does not use up the first message.
        #expect(Self.send(&state, Self.entries([2]), now: 1) != nil)
        #expect(Self.send(&state, Self.entries([2]), now: 100) == nil)
    }

    @Test func atMostOneMessageAMinute() throws {
        var state = State(peer: 0)
        _ = try #require(Self.send(&state, Self.entries([1]), now: 10))
        #expect(Self.send(&state, Self.entries([1, 2]), now: 69.9) == nil)
        let update = try #require(Self.send(&state, Self.entries([1, 2]), now: 70))
        #expect(update.added == Self.entries([2]))
        #expect(Self.send(&state, Self.entries([1, 2, 3]), now: 100) == nil)
    }

    @Test func diffsAddAndDrop() throws {
        var state = State(peer: 0)
        _ = Self.send(&state, Self.entries([1, 2, 3]), now: 0)
        let update = try #require(Self.send(&state, Self.entries([2, 3, 4, 5]), now: 60))
        #expect(update.added == Self.entries([4, 5]))
        #expect(update.dropped == [1])
        let next = try #require(Self.send(&state, Self.entries([5]), now: 120))
        #expect(next.added.isEmpty)
        #expect(Set(next.dropped) == [2, 3, 4])
        #expect(state.toldCount == 1)
        // A peer that comes back is added again.
        let back = try #require(Self.send(&state, Self.entries([5, 1]), now: 180))
        #expect(back.added == Self.entries([1]))
    }

    @Test func atMostFiftyEachWayAndTheRestFollow() throws {
        var state = State(peer: -1)
        let first = try #require(Self.send(&state, Self.entries(0..<120), now: 0))
        #expect(first.added == Self.entries(0..<50))
        let second = try #require(Self.send(&state, Self.entries(0..<120), now: 60))
        #expect(second.added == Self.entries(50..<100))
        let third = try #require(Self.send(&state, Self.entries(0..<120), now: 120))
        #expect(third.added == Self.entries(100..<120))
        #expect(state.toldCount == 120)
        let drops = try #require(Self.send(&state, [], now: 180))
        #expect(drops.dropped.count == 50 && drops.added.isEmpty)
        #expect(state.toldCount == 70)
        var dropped = Set(drops.dropped)
        for now in [240.0, 300] { dropped.formUnion(try #require(Self.send(&state, [], now: now)).dropped) }
        #expect(dropped == Set(0..<120))
        #expect(Self.send(&state, [], now: 360) == nil)
    }

    @Test func repeatedAddressesAreAnnouncedOnce() throws {
        var state = State(peer: 0)
        let update = try #require(Self.send(&state, Self.entries([3, 3, 4, 3]), now: 0))
        #expect(update.added == Self.entries([3, 4]))
    }

    @Test func clockGoingBackwardsDoesNotBlockForever() {
        var state = State(peer: 0)
        _ = Self.send(&state, Self.entries([1]), now: 1_000)
        #expect(Self.send(&state, Self.entries([1, 2]), now: 5) != nil)
    }

    @Test func incomingMessagesAreRateLimited() throws {
        var state = State(peer: 0)
        #expect(try #require(Self.take(&state, Self.entries([1, 2]), now: 0)) == Self.entries([1, 2]))
        #expect(Self.take(&state, Self.entries([3]), now: 44.9) == nil)
        #expect(Self.take(&state, Self.entries([3]), now: 45) == Self.entries([3]))
        #expect(Self.take(&state, Self.entries([4]), now: 46) == nil)
    }

    @Test func incomingAddressesAreCappedDedupedAndNeverThePeerItself() throws {
        var state = State(peer: 7)
        let accepted = try #require(Self.take(&state, Self.entries([7, 1, 1] + Array(100..<300)), now: 0))
        #expect(accepted.count == 50)
        #expect(accepted.first == State.Entry(address: 1))
        #expect(!accepted.contains { $0.address == 7 })
        #expect(Set(accepted.map(\.address)).count == 50)
    }

    @Test func settingsAreHonoured() throws {
        let settings = PEXState<Int>.Settings(
            interval: 10, maximumAdded: 2, maximumDropped: 1, minimumIncomingInterval: 5, maximumAcceptedPerMessage: 3)
        var state = State(peer: 0, settings: settings)
        #expect(try #require(Self.send(&state, Self.entries(1...5), now: 0)).added.count == 2)
        #expect(try #require(Self.send(&state, [], now: 10)).dropped.count == 1)
        #expect(try #require(Self.take(&state, Self.entries(1...9), now: 0)).count == 3)
        #expect(Self.take(&state, Self.entries(1...9), now: 4) == nil)
    }
}
