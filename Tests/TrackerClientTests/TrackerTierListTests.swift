import TestSupport
import Testing

@testable import TrackerClient

@Suite("BEP 12 tier order")
struct TrackerTierListTests {
    @Test func shufflesWithinTiersOnlyAndDropsEmptyTiers() {
        let tiers = [["a1", "a2", "a3", "a4", "a5"], [], ["b1", "b2", "b3", "b4", "b5"], ["c"]]
        var random = SeededRandom(seed: 12)
        let list = TrackerTierList(tiers: tiers, shuffledWith: &random)
        #expect(list.tiers.count == 3)
        #expect(list.tiers.map { Set($0) } == [Set(tiers[0]), Set(tiers[2]), ["c"]])
        #expect(list.count == 11)
        // Deterministic for a seed, and at least one tier actually moved.
        var again = SeededRandom(seed: 12)
        #expect(TrackerTierList(tiers: tiers, shuffledWith: &again).tiers == list.tiers)
        #expect(list.tiers[0] != tiers[0] || list.tiers[1] != tiers[2])
    }

    @Test func triesTierByTierFrontToBack() {
        let list = TrackerTierList(orderedTiers: [["a", "b"], ["c"]])
        #expect(list.positions.map { list[$0] } == ["a", "b", "c"])
        #expect(list.positions.map(\.tier) == [0, 0, 1])
        #expect(list.elements == ["a", "b", "c"])
        #expect(TrackerTierList<String>(orderedTiers: [[]]).isEmpty)
    }

    @Test func aTrackerThatAnswersMovesToTheFrontOfItsTier() {
        var list = TrackerTierList(orderedTiers: [["a", "b", "c", "d"], ["e", "f"]])
        list.promote(.init(tier: 0, index: 2))
        #expect(list.tiers == [["c", "a", "b", "d"], ["e", "f"]])
        list.promote(.init(tier: 1, index: 1))
        #expect(list.tiers == [["c", "a", "b", "d"], ["f", "e"]])
        list.promote(.init(tier: 0, index: 0))
        #expect(list.tiers == [["c", "a", "b", "d"], ["f", "e"]])
        #expect(list.map { $0.uppercased() }.tiers == [["C", "A", "B", "D"], ["F", "E"]])
    }
}
