import TestSupport
import Testing
import TorrentModel

@testable import Swarm

@Suite struct PiecePickerOrderTests {
    /// Picks one whole piece at a time for `peer` until nothing is left; returns the pieces in order.
    private func drain(
        _ picker: inout PiecePicker<Int>, peer: Int = 1, from pieces: PeerPieces = .all, blocksPerPiece: Int = 4,
        seed: UInt64 = 1
    ) -> [Int] {
        var random = SeededRandom(seed: seed)
        var order: [Int] = []
        while true {
            let blocks = picker.pickBlocks(for: peer, from: pieces, count: blocksPerPiece, using: &random)
            guard !blocks.isEmpty else { return order }
            order += Notation.pieces(of: blocks)
        }
    }

    @Test func rarestPiecesComeFirst() {
        var picker = Notation.picker(availability: "3 1 2 1 0 2")
        picker.seedJoined()
        let order = drain(&picker)
        #expect(order.count == 6)
        #expect(order.map { picker.availability(ofPiece: $0) } == [1, 2, 2, 3, 3, 4])
        #expect(order.first == 4)
        #expect(Set(order[1...2]) == [1, 3])
        #expect(Set(order[3...4]) == [2, 5])
        #expect(order.last == 0)
        #expect(picker.invariantViolations() == [])
    }

    @Test func aPeerIsOnlyAskedForPiecesItHas() {
        var picker = Notation.picker(availability: "1 1 2 2 2")
        let order = drain(&picker, from: .bitfield(Notation.bits("0.111")))
        #expect(order.count == 3)
        #expect(Set(order) == [2, 3, 4])
    }

    @Test func equalRarityIsBrokenDifferentlyBySeed() {
        var firsts: Set<Int> = []
        for seed in UInt64(0)..<24 {
            var picker = Notation.picker(availability: "2 2 2 2 2 2 2 2 5")
            var random = SeededRandom(seed: seed)
            let blocks = picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)
            firsts.insert(blocks[0].piece)
        }
        #expect(!firsts.contains(8))
        #expect(firsts.count >= 4)
    }

    @Test func theSameSeedPicksTheSameOrder() {
        var first = Notation.picker(availability: "2 2 2 2 1 1 1 1 3 3")
        var second = first
        #expect(drain(&first, seed: 7) == drain(&second, seed: 7))
    }

    @Test func higherPriorityLevelsComeFirstAndZeroIsNeverPicked() {
        var picker = Notation.picker(availability: "1 3 3 2 1", priority: "4 7 0 4 1")
        let order = drain(&picker)
        #expect(order == [1, 0, 3, 4])
        #expect(picker.state(ofPiece: 2) == .missing)
        #expect(picker.wantedRemaining == 4)
    }

    @Test func priorityZeroStaysUnpickedWithADeadlineInEndgame() {
        var picker = Notation.picker(availability: "1 1", priority: "0 4")
        let now = ContinuousClock.now
        picker.setDeadline(now, forPiece: 0)
        var random = SeededRandom(seed: 3)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 8, urgentBefore: now + .seconds(1), using: &random)
        #expect(Notation.pieces(of: blocks) == [1])
        #expect(picker.isInEndgame)
        let more = picker.pickBlocks(for: 2, from: .all, count: 8, urgentBefore: now + .seconds(1), using: &random)
        #expect(Notation.pieces(of: more) == [1])
        #expect(picker.blockReceived(Notation.block(0, 0), from: 2).outcome == .unwanted)
        #expect(picker.state(ofPiece: 0) == .missing)
    }

    @Test func changingAPriorityMovesThePiece() {
        var picker = Notation.picker(availability: "1 2 3")
        picker.setPriority(.highest, ofPiece: 2)
        picker.setPriority(.skip, ofPiece: 0)
        #expect(drain(&picker) == [2, 1])
        #expect(picker.wantedRemaining == 2)
        picker.setPriority(.lowest, ofPiece: 0)
        #expect(drain(&picker) == [0])
        #expect(picker.invariantViolations() == [])
    }

    @Test func partialPiecesAreFinishedBeforeNewOnes() {
        var picker = Notation.picker(availability: "1 1 3 3")
        var random = SeededRandom(seed: 5)
        // Piece 3 has a request from peer 1 (made while it had priority 7); piece 2 got one block unasked.
        picker.setPriority(.highest, ofPiece: 3)
        #expect(picker.pickBlocks(for: 1, from: .all, count: 1, using: &random) == [Notation.block(3, 0)])
        picker.setPriority(.normal, ofPiece: 3)
        #expect(picker.blockReceived(Notation.block(2, 0), from: 9).outcome == .accepted)
        #expect(Notation.blocks(picker, piece: 2) == "x...")
        #expect(Notation.blocks(picker, piece: 3) == "1...")

        // Peer 1 finishes its own piece first, then the other partial one, before the rarer open pieces.
        let first = picker.pickBlocks(for: 1, from: .all, count: 3, using: &random)
        #expect(first == [1, 2, 3].map { Notation.block(3, $0) })
        let second = picker.pickBlocks(for: 1, from: .all, count: 3, using: &random)
        #expect(second == [1, 2, 3].map { Notation.block(2, $0) })
        let third = picker.pickBlocks(for: 1, from: .all, count: 2, using: &random)
        #expect([0, 1].contains(third[0].piece))
        #expect(Notation.blocks(picker, piece: third[0].piece) == "11..")

        // Another peer continues the half-requested piece instead of starting the last rare one.
        let fourth = picker.pickBlocks(for: 2, from: .all, count: 2, using: &random)
        #expect(fourth == [2, 3].map { Notation.block(third[0].piece, $0) })
        #expect(picker.invariantViolations() == [])
    }

    @Test func randomFirstPiecesIgnoreRarityUntilEnoughAreHad() {
        let availability = (["1"] + Array(repeating: "9", count: 99)).joined(separator: " ")
        let settings = SwarmSettings.Picker(randomFirstPieces: 4, endgameRequestsPerBlock: 2, urgentRequestsPerBlock: 2)
        var firsts: [Int] = []
        for seed in UInt64(0)..<10 {
            var picker = Notation.picker(availability: availability, settings: settings)
            var random = SeededRandom(seed: seed)
            firsts.append(picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)[0].piece)
        }
        #expect(firsts.filter { $0 == 0 }.count <= 2)
        #expect(Set(firsts).count >= 7)

        // With four pieces had, the rarest piece wins every time.
        let have = "." + String(repeating: "1", count: 4) + String(repeating: ".", count: 95)
        for seed in UInt64(0)..<10 {
            var picker = Notation.picker(availability: availability, have: have, settings: settings)
            var random = SeededRandom(seed: seed)
            #expect(picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)[0].piece == 0)
        }
    }

    @Test func randomFirstStaysInTheHighestPriorityLevel() {
        var picker = Notation.picker(
            availability: "5 5 5 5 5 5", priority: "1 1 6 1 6 1",
            settings: SwarmSettings.Picker(randomFirstPieces: 4, endgameRequestsPerBlock: 2, urgentRequestsPerBlock: 2))
        let order = drain(&picker)
        #expect(Set(order[0...1]) == [2, 4])
        #expect(Set(order[2...]) == [0, 1, 3, 5])
    }

    @Test func deadlinesComeFirstInDeadlineOrder() {
        var picker = Notation.picker(availability: "1 5 5 5 5")
        let now = ContinuousClock.now
        picker.setDeadline(now + .seconds(2), forPiece: 3)
        picker.setDeadline(now + .seconds(1), forPiece: 2)
        picker.setDeadline(now + .seconds(3), forPiece: 4)
        picker.clearDeadline(forPiece: 4)
        #expect(picker.piecesWithDeadlines == [2, 3])
        #expect(picker.deadline(ofPiece: 3) == now + .seconds(2))
        #expect(drain(&picker).prefix(3) == [2, 3, 0])
        #expect(picker.invariantViolations() == [])
    }

    @Test func onlyPiecesWithDeadlinesArePickedWhileTheHeadComesFirst() {
        var picker = Notation.picker(availability: "5 5 5 5")
        let now = ContinuousClock.now
        picker.setDeadline(now, forPiece: 2)
        picker.picksOnlyDeadlinePieces = true
        #expect(drain(&picker) == [2])
        // Released: the rest comes as usual.
        picker.picksOnlyDeadlinePieces = false
        #expect(Set(drain(&picker)) == [0, 1, 3])
        #expect(picker.invariantViolations() == [])
    }

    @Test func urgentPiecesAreRequestedFromSeveralPeers() {
        var picker = Notation.picker(availability: "5 5 5 5")
        let now = ContinuousClock.now
        picker.setDeadline(now + .seconds(1), forPiece: 2)
        picker.setDeadline(now + .seconds(9), forPiece: 3)
        var random = SeededRandom(seed: 2)
        let urgentBefore = now + .seconds(5)
        let first = picker.pickBlocks(for: 1, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(first == (0..<4).map { Notation.block(2, $0) })
        // Not urgent for this pick: peer 2 moves on to the next deadline.
        let second = picker.pickBlocks(for: 2, from: .all, count: 4, using: &random)
        #expect(Notation.pieces(of: second) == [3])
        // Urgent: peer 3 duplicates piece 2, up to two requesters per block; peer 4 gets no third copy.
        let third = picker.pickBlocks(for: 3, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(third == (0..<4).map { Notation.block(2, $0) })
        #expect(Notation.blocks(picker, piece: 2) == "2222")
        let fourth = picker.pickBlocks(for: 4, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(!Notation.pieces(of: fourth).contains(2))

        let receipt = picker.blockReceived(Notation.block(2, 1), from: 3)
        #expect(receipt.cancels == [BlockCancellation(peer: 1, block: Notation.block(2, 1))])
        #expect(Notation.blocks(picker, piece: 2) == "2x22")
        #expect(picker.invariantViolations() == [])
    }

    @Test func withinTheWindowUrgentPiecesComeFirstThenTheRarest() {
        // Availability: piece 0 one peer, 1 and 2 five, 3 two, 4 three, 5 (no deadline) one.
        var picker = Notation.picker(availability: "1 5 5 2 3 1")
        picker.deadlineOrder = .rarestWithinWindow
        let now = ContinuousClock.now
        picker.setDeadline(now + .seconds(2), forPiece: 2)
        picker.setDeadline(now + .seconds(1), forPiece: 1)
        picker.setDeadline(now + .seconds(3), forPiece: 4)
        picker.setDeadline(now + .seconds(5), forPiece: 3)
        picker.setDeadline(now + .seconds(4), forPiece: 0)
        var random = SeededRandom(seed: 3)
        var order: [Int] = []
        while true {
            let blocks = picker.pickBlocks(
                for: 1, from: .all, count: 4, urgentBefore: now + .milliseconds(2500), using: &random)
            guard !blocks.isEmpty else { break }
            order += Notation.pieces(of: blocks)
        }
        // Urgent 1 and 2 by deadline; then the window rarest first (0, 3, 4) whatever their deadlines; then 5.
        #expect(order == [1, 2, 0, 3, 4, 5])
        #expect(picker.invariantViolations() == [])
    }

    @Test func withinTheWindowUrgentBlocksAreDuplicatedOnlyByAnIdlePeerWithNothingElseToFetch() {
        var picker = Notation.picker(availability: "5 5 5 5 5 5 5 5")
        picker.deadlineOrder = .rarestWithinWindow
        let now = ContinuousClock.now
        picker.setDeadline(now, forPiece: 0)
        picker.setDeadline(now + .seconds(9), forPiece: 1)
        let urgentBefore = now + .seconds(1)
        var random = SeededRandom(seed: 4)
        let first = picker.pickBlocks(for: 1, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(Notation.pieces(of: first) == [0])
        // Peer 2 has the window's piece 1 to fetch: no duplicate of piece 0, open pieces after it.
        let second = picker.pickBlocks(for: 2, from: .all, count: 8, urgentBefore: urgentBefore, using: &random)
        #expect(Array(second.prefix(4)) == (0..<4).map { Notation.block(1, $0) })
        #expect(!Notation.pieces(of: second).contains(0))
        // Peer 2 is busy: still no duplicate. Peer 3 is idle and the window is all requested: it duplicates.
        let more = picker.pickBlocks(for: 2, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(!Notation.pieces(of: more).contains(0))
        let third = picker.pickBlocks(for: 3, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(third == (0..<4).map { Notation.block(0, $0) })
        #expect(Notation.blocks(picker, piece: 0) == "2222")
        #expect(picker.invariantViolations() == [])
    }

    @Test func withinTheWindowAPeerDeniedDuplicatesStillTakesUrgentPiecesFirst() {
        // Piece 0 is urgent and common; 1 to 3 are in the window and rarer. A slow peer (no duplicates for it) must
        // still be asked for the urgent piece before the rare ones: in the streaming benchmark, one that was asked
        // for pieces 12 s ahead instead left a segment nobody else sent 2 s from a stall.
        var picker = Notation.picker(availability: "5 1 1 2 5")
        picker.deadlineOrder = .rarestWithinWindow
        let now = ContinuousClock.now
        picker.setDeadline(now + .seconds(1), forPiece: 0)
        for piece in 1...3 { picker.setDeadline(now + .seconds(12 + piece), forPiece: piece) }
        let urgentBefore = now + .seconds(2)
        var random = SeededRandom(seed: 5)
        let slow = picker.pickBlocks(
            for: 1, from: .all, count: 8, urgentBefore: urgentBefore, urgentDuplicates: false, using: &random)
        let pieces = Notation.pieces(of: slow)
        #expect(pieces.count == 2 && pieces.first == 0 && [1, 2].contains(pieces.last))
        // Idle and with nothing else to fetch, it still gets no second request for an urgent block...
        let drained = picker.pickBlocks(
            for: 2, from: .bitfield(Notation.bits("10000")), count: 4, urgentBefore: urgentBefore,
            urgentDuplicates: false, using: &random)
        #expect(drained.isEmpty)
        // ... which a peer allowed duplicates gets.
        let fast = picker.pickBlocks(
            for: 3, from: .bitfield(Notation.bits("10000")), count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(fast == (0..<4).map { Notation.block(0, $0) })
        #expect(picker.invariantViolations() == [])
    }

    @Test func inDeadlineOrderAPeerDeniedDuplicatesTakesOnlyUnrequestedBlocks() {
        var picker = Notation.picker(availability: "5 5 5")
        let now = ContinuousClock.now
        picker.setDeadline(now + .seconds(1), forPiece: 0)
        picker.setDeadline(now + .seconds(3), forPiece: 1)
        let urgentBefore = now + .seconds(5)
        var random = SeededRandom(seed: 6)
        let first = picker.pickBlocks(for: 1, from: .all, count: 4, urgentBefore: urgentBefore, using: &random)
        #expect(Notation.pieces(of: first) == [0])
        let slow = picker.pickBlocks(
            for: 2, from: .all, count: 4, urgentBefore: urgentBefore, urgentDuplicates: false, using: &random)
        #expect(Notation.pieces(of: slow) == [1])
        #expect(picker.invariantViolations() == [])
    }

    @Test func aVerifiedPieceLosesItsDeadline() {
        var picker = Notation.picker(availability: "1 1")
        picker.setDeadline(.now, forPiece: 1)
        picker.pieceVerified(1)
        #expect(picker.piecesWithDeadlines == [])
        picker.setDeadline(.now, forPiece: 1)
        #expect(picker.piecesWithDeadlines == [])
        picker.clearAllDeadlines()
        #expect(picker.invariantViolations() == [])
    }

    @Test func aSparsePeerGetsItsRarestPiece() {
        // 2,000 open pieces, nearly all with availability 1, none of which the peer has: walking the
        // levels passes the scan budget, so the picker ranks the peer's own five pieces instead.
        var counts = Array(repeating: 1, count: 2000)
        for (piece, count) in [3: 6, 17: 4, 250: 2, 251: 2, 1999: 3] { counts[piece] = count }
        var picker = Notation.picker(availability: counts.map(String.init).joined(separator: " "))
        var peer = Bitfield(count: 2000)
        for piece in [3, 17, 250, 251, 1999] { peer[piece] = true }
        let order = drain(&picker, from: .bitfield(peer))
        #expect(Set(order.prefix(2)) == [250, 251])
        #expect(order.suffix(3) == [1999, 17, 3])
        #expect(picker.invariantViolations() == [])
    }

    @Test func aShortLastPieceHasAShortLastBlock() {
        let geometry = PieceGeometry(
            totalLength: Int64(TorrentLimits.blockSize) * 5 + 100, pieceLength: 4 * TorrentLimits.blockSize)
        var picker = PiecePicker<Int>(geometry: geometry, settings: Notation.rarestFirst)
        picker.peerHas(piece: 0)
        picker.peerHas(piece: 0)
        picker.peerHas(piece: 1)
        var random = SeededRandom(seed: 1)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 8, using: &random)
        #expect(blocks.first == BlockRange(piece: 1, offset: 0, length: TorrentLimits.blockSize))
        #expect(blocks.count == 6)
        #expect(
            blocks.last == BlockRange(piece: 0, offset: 3 * TorrentLimits.blockSize, length: TorrentLimits.blockSize))
        #expect(blocks[1] == BlockRange(piece: 1, offset: TorrentLimits.blockSize, length: 100))
    }
}
