import Swarm
import Testing

struct PeerDeadlinesTests {
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }

    @Test func recordsReplacesAndRemoves() {
        var deadlines = PeerDeadlines()
        deadlines.record(at(3), forPiece: 7)
        deadlines.record(at(1), forPiece: 7)
        deadlines.record(at(2), forPiece: 8)
        #expect(deadlines.deadline(ofPiece: 7) == at(1))
        #expect(deadlines.deadline(ofPiece: 8) == at(2))
        #expect(deadlines.deadline(ofPiece: 9) == nil)
        deadlines.remove(piece: 7)
        #expect(deadlines.deadline(ofPiece: 7) == nil && deadlines.count == 1)
    }

    @Test func thePieceDueFirstIsWhereThePeerPlays() {
        var deadlines = PeerDeadlines()
        #expect(deadlines.pieceDueFirst == nil)
        deadlines.record(at(4), forPiece: 30)
        deadlines.record(at(2), forPiece: 12)
        deadlines.record(at(2), forPiece: 11)
        #expect(deadlines.pieceDueFirst == 11)
        deadlines.remove(piece: 11)
        deadlines.remove(piece: 12)
        #expect(deadlines.pieceDueFirst == 30)
    }

    @Test func whenFullTheDeadlineDueLastMakesRoom() {
        var deadlines = PeerDeadlines(capacity: 3)
        for piece in 0..<3 { deadlines.record(at(Double(10 - piece)), forPiece: piece) }
        // Due later than everything kept: not recorded.
        deadlines.record(at(20), forPiece: 5)
        #expect(deadlines.deadline(ofPiece: 5) == nil && deadlines.count == 3)
        // Due sooner: piece 0 (due at 10) makes room.
        deadlines.record(at(1), forPiece: 6)
        #expect(deadlines.deadline(ofPiece: 6) == at(1) && deadlines.deadline(ofPiece: 0) == nil)
        #expect(deadlines.count == 3)
        // A piece already recorded is updated in place.
        deadlines.record(at(30), forPiece: 1)
        #expect(deadlines.deadline(ofPiece: 1) == at(30) && deadlines.count == 3)
    }

    @Test func aDeadlineIsNewsOnlyWhenItMovedBeyondTheTolerance() {
        var told = PeerDeadlines()
        #expect(told.isNews(at(5), forPiece: 1, tolerance: .milliseconds(500)))
        told.record(at(5), forPiece: 1)
        #expect(!told.isNews(at(5.4), forPiece: 1, tolerance: .milliseconds(500)))
        #expect(!told.isNews(at(4.6), forPiece: 1, tolerance: .milliseconds(500)))
        #expect(told.isNews(at(5.6), forPiece: 1, tolerance: .milliseconds(500)))
        #expect(told.isNews(at(4.4), forPiece: 1, tolerance: .milliseconds(500)))
    }
}
