import TestSupport
import Testing
import TorrentModel

@testable import Swarm

@Suite struct PiecePickerAvailabilityTests {
    @Test func peersAndSeedsAreCountedInAndOut() {
        var picker = PiecePicker<Int>(geometry: Notation.geometry(pieces: 5, blocksPerPiece: 1))
        let first = Notation.bits("11.1.")
        let second = Notation.bits(".1.11")
        picker.peerJoined(with: .bitfield(first))
        picker.peerHas(second)
        picker.peerHas(piece: 2)
        picker.peerJoined(with: .all)
        #expect((0..<5).map(picker.availability(ofPiece:)) == [2, 3, 2, 3, 2])
        #expect(picker.seedCount == 1)
        picker.peerLeft(with: .bitfield(first))
        picker.peerLost(piece: 2)
        #expect((0..<5).map(picker.availability(ofPiece:)) == [1, 2, 1, 2, 2])
        picker.peerLeft(with: .all)
        picker.peerLost(second)
        #expect((0..<5).map(picker.availability(ofPiece:)) == [0, 0, 0, 0, 0])
        #expect(picker.invariantViolations() == [])
    }

    /// Where a seed's new pieces enter the swarm: the lowest piece no peer has; a seed has them all.
    @Test func theFirstPieceNobodyHasFollowsThePeersPieces() {
        var picker = PiecePicker<Int>(geometry: Notation.geometry(pieces: 5, blocksPerPiece: 1))
        #expect(picker.firstPieceNobodyHas() == 0)
        picker.peerJoined(with: .bitfield(Notation.bits("11.1.")))
        #expect(picker.firstPieceNobodyHas() == 2)
        // From where a peer plays (after a seek, say).
        #expect(picker.firstPieceNobodyHas(from: 3) == 4)
        picker.peerHas(piece: 2)
        #expect(picker.firstPieceNobodyHas() == 4)
        picker.peerHas(piece: 4)
        #expect(picker.firstPieceNobodyHas() == 5)
        picker.peerLost(piece: 1)
        #expect(picker.firstPieceNobodyHas() == 1 && picker.firstPieceNobodyHas(from: 2) == 5)
        picker.peerJoined(with: .all)
        #expect(picker.firstPieceNobodyHas() == 5)
    }

    @Test func interestFollowsWhatWeStillWant() {
        var picker = Notation.picker(
            availability: "1 1 1 1 1 1 1 1 1 1", have: "11........", priority: "4 4 4 0 4 4 4 4 4 4")
        #expect(picker.isInteresting(.all))
        #expect(!picker.isInteresting(.bitfield(Notation.bits("11.1......"))))
        #expect(picker.isInteresting(.bitfield(Notation.bits("........1."))))
        #expect(!picker.isInteresting(.bitfield(Notation.bits(".........."))))
        #expect(picker.wants(piece: 2))
        #expect(!picker.wants(piece: 1))
        #expect(!picker.wants(piece: 3))
        picker.setPriority(.skip, ofPiece: 8)
        #expect(!picker.isInteresting(.bitfield(Notation.bits("........1."))))
        picker.setPriorities(Array(repeating: .skip, count: 10))
        #expect(!picker.isInteresting(.all))
        #expect(picker.isComplete)
    }

    @Test func resumingFromABitfieldSkipsHadPieces() {
        let have = Notation.bits("1.1.1.1")
        var picker = PiecePicker<Int>(geometry: Notation.geometry(pieces: 7, blocksPerPiece: 1), have: have)
        #expect(picker.have == have)
        #expect(picker.haveCount == 4)
        #expect(picker.wantedRemaining == 3)
        picker.peerJoined(with: .all)
        var random = SeededRandom(seed: 4)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 10, using: &random)
        #expect(Set(blocks.map(\.piece)) == [1, 3, 5])
        #expect(picker.invariantViolations() == [])
    }

    @Test func availabilityChangesReorderOpenPieces() {
        var picker = Notation.picker(availability: "1 2 3 4")
        picker.peerHas(piece: 0)
        picker.peerHas(piece: 0)
        picker.peerHas(piece: 0)
        picker.peerLost(piece: 3)
        picker.peerLost(piece: 3)
        picker.peerLost(piece: 3)
        #expect(picker.invariantViolations() == [])
        var random = SeededRandom(seed: 1)
        var order: [Int] = []
        for _ in 0..<4 { order += Notation.pieces(of: picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)) }
        #expect(order == [3, 1, 2, 0])
    }

    @Test func bucketsKeepPiecesInAvailabilityOrder() {
        var availability: [Int32] = [0, 2, 1, 2, 0, 5]
        var positions = [Int32](repeating: -1, count: 6)
        var buckets = AvailabilityBuckets(pieces: [0, 1, 2, 3, 4], availability: availability, positions: &positions)
        #expect(buckets.pieces == [0, 4, 2, 1, 3])
        #expect(buckets.bucketEnds == [2, 3, 5])
        #expect(positions == [0, 3, 2, 4, 1, -1])

        buckets.increment(3, from: 2, positions: &positions)
        availability[3] = 3
        #expect(buckets.bucketEnds == [2, 3, 4, 5])
        #expect(buckets.range(ofBucket: 3) == 4..<5)
        #expect(buckets.pieces[4] == 3)

        buckets.insert(5, availability: 5, positions: &positions)
        #expect(buckets.bucketEnds == [2, 3, 4, 5, 5, 6])
        #expect(buckets.pieces[Int(positions[5])] == 5)

        buckets.remove(5, availability: 5, positions: &positions)
        #expect(buckets.bucketEnds == [2, 3, 4, 5])
        #expect(positions[5] == -1)

        buckets.remove(0, availability: 0, positions: &positions)
        #expect(buckets.bucketEnds == [1, 2, 3, 4])
        #expect(buckets.pieces.count == 4)
        for bucket in 0...3 {
            for position in buckets.range(ofBucket: bucket) {
                let piece = Int(buckets.pieces[position])
                #expect(availability[piece] == Int32(bucket))
                #expect(positions[piece] == Int32(position))
            }
        }

        buckets.decrement(3, from: 3, positions: &positions)
        #expect(buckets.bucketEnds == [1, 2, 4])
        buckets.insert(0, availability: 0, positions: &positions)
        #expect(buckets.bucketEnds == [2, 3, 5])
        #expect(buckets.range(ofBucket: 0).map { buckets.pieces[$0] }.sorted() == [0, 4])
        #expect(buckets.range(ofBucket: 9) == 5..<5)
    }
}
