import TestSupport
import Testing
import TorrentModel

@testable import Swarm

@Suite struct PiecePickerBlocksTests {
    @Test func aPieceCompletesOnItsLastBlockAndIsHadWhenVerified() {
        var picker = Notation.picker(availability: "1 2")
        var random = SeededRandom(seed: 1)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)
        #expect(blocks == (0..<4).map { Notation.block(0, $0) })
        #expect(picker.outstandingRequestCount(of: 1) == 4)
        for block in blocks.dropLast() {
            #expect(picker.blockReceived(block, from: 1) == BlockReceipt(outcome: .accepted))
        }
        #expect(picker.state(ofPiece: 0) == .downloading)
        #expect(picker.blockReceived(blocks[3], from: 1) == BlockReceipt(outcome: .accepted, pieceComplete: true))
        #expect(picker.state(ofPiece: 0) == .complete)
        #expect(Notation.blocks(picker, piece: 0) == "xxxx")
        #expect(picker.outstandingRequestCount(of: 1) == 0)
        #expect(picker.pieceVerified(0) == [])
        #expect(picker.state(ofPiece: 0) == .had)
        #expect(picker.have.description == "10")
        #expect(picker.haveCount == 1)
        #expect(picker.wantedRemaining == 1)
        #expect(!picker.isComplete)
        #expect(Notation.blocks(picker, piece: 0) == "-")
        #expect(picker.invariantViolations() == [])
    }

    @Test func aFailedPieceIsMissingAgainAndNamesItsSenders() {
        var picker = Notation.picker(availability: "1 3")
        var random = SeededRandom(seed: 1)
        let first = picker.pickBlocks(for: 1, from: .all, count: 2, using: &random)
        let second = picker.pickBlocks(for: 2, from: .all, count: 2, using: &random)
        #expect(Notation.pieces(of: first + second) == [0])
        for block in first { _ = picker.blockReceived(block, from: 1) }
        for block in second { _ = picker.blockReceived(block, from: 2) }
        #expect(picker.state(ofPiece: 0) == .complete)
        #expect(picker.pieceFailed(0) == [1, 2])
        #expect(picker.state(ofPiece: 0) == .missing)
        #expect(Notation.blocks(picker, piece: 0) == "-")
        // It is the rarest piece again.
        let again = picker.pickBlocks(for: 3, from: .all, count: 4, using: &random)
        #expect(Notation.pieces(of: again) == [0])
        #expect(picker.invariantViolations() == [])
    }

    @Test func aHadPieceThatFailsALaterCheckIsWantedAgain() {
        var picker = Notation.picker(availability: "1 1", have: "11")
        #expect(picker.isComplete)
        #expect(picker.pieceFailed(1) == [])
        #expect(picker.have.description == "10")
        #expect(picker.wantedRemaining == 1)
        #expect(picker.pieceFailed(1) == [])
        var random = SeededRandom(seed: 1)
        #expect(Notation.pieces(of: picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)) == [1])
        #expect(picker.invariantViolations() == [])
    }

    @Test func aFailedRequestOpensTheBlockForTheNextPeer() {
        var picker = Notation.picker(availability: "1 2")
        var random = SeededRandom(seed: 1)
        _ = picker.pickBlocks(for: 1, from: .all, count: 4, using: &random)
        picker.requestFailed(Notation.block(0, 2), from: 1)
        picker.requestFailed(Notation.block(0, 2), from: 1)
        #expect(Notation.blocks(picker, piece: 0) == "11.1")
        #expect(picker.pickBlocks(for: 2, from: .all, count: 1, using: &random) == [Notation.block(0, 2)])
        #expect(Notation.blocks(picker, piece: 0) == "1111")
        #expect(picker.invariantViolations() == [])
    }

    @Test func aPieceWhoseRequestsAllFailIsOpenAgain() {
        var picker = Notation.picker(availability: "1 2")
        var random = SeededRandom(seed: 1)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 2, using: &random)
        for block in blocks { picker.requestFailed(block, from: 1) }
        #expect(picker.state(ofPiece: 0) == .missing)
        #expect(Notation.blocks(picker, piece: 0) == "-")
        #expect(picker.outstandingRequests(of: 1) == [])
        #expect(picker.invariantViolations() == [])
    }

    @Test func chokingOrLosingAPeerReleasesItsRequests() {
        var picker = Notation.picker(availability: "1 2 3")
        var random = SeededRandom(seed: 1)
        _ = picker.pickBlocks(for: 1, from: .all, count: 6, using: &random)
        _ = picker.pickBlocks(for: 2, from: .all, count: 2, using: &random)
        _ = picker.blockReceived(Notation.block(0, 0), from: 1)
        #expect(Notation.blocks(picker, piece: 0) == "x111")
        #expect(Notation.blocks(picker, piece: 1) == "1111")
        #expect(
            picker.outstandingRequests(of: 1) == [1, 2, 3].map { Notation.block(0, $0) } + [
                Notation.block(1, 0), Notation.block(1, 1),
            ])

        let released = picker.peerChoked(1)
        #expect(released == [1, 2, 3].map { Notation.block(0, $0) } + [Notation.block(1, 0), Notation.block(1, 1)])
        #expect(Notation.blocks(picker, piece: 0) == "x...")
        #expect(Notation.blocks(picker, piece: 1) == "..11")
        #expect(picker.peerChoked(1) == [])

        #expect(picker.peerDisconnected(2) == [Notation.block(1, 2), Notation.block(1, 3)])
        #expect(picker.state(ofPiece: 1) == .missing)
        #expect(picker.state(ofPiece: 0) == .downloading)
        #expect(picker.invariantViolations() == [])
    }

    @Test func strayBlocksAreSortedOut() {
        var picker = Notation.picker(availability: "1 1", have: "1.")
        #expect(picker.blockReceived(Notation.block(0, 1), from: 1).outcome == .duplicate)
        #expect(picker.blockReceived(BlockRange(piece: 1, offset: 100, length: 16384), from: 1).outcome == .invalid)
        #expect(picker.blockReceived(BlockRange(piece: 1, offset: 0, length: 100), from: 1).outcome == .invalid)
        #expect(picker.blockReceived(BlockRange(piece: 2, offset: 0, length: 16384), from: 1).outcome == .invalid)
        #expect(picker.blockReceived(Notation.block(1, 3), from: 1).outcome == .accepted)
        #expect(picker.blockReceived(Notation.block(1, 3), from: 2).outcome == .duplicate)
        #expect(Notation.blocks(picker, piece: 1) == "...x")
        #expect(picker.invariantViolations() == [])
    }

    @Test func endgameDuplicatesOutstandingBlocksAndCancelsTheLosers() {
        var picker = Notation.picker(availability: "2 2", blocksPerPiece: 2)
        var random = SeededRandom(seed: 1)
        #expect(!picker.isInEndgame)
        let first = picker.pickBlocks(for: 1, from: .all, count: 3, using: &random)
        #expect(first.count == 3)
        #expect(!picker.isInEndgame)
        let second = picker.pickBlocks(for: 2, from: .all, count: 4, using: &random)
        // Peer 2 gets the last open block, then (endgame) the three blocks peer 1 was asked for.
        #expect(second.count == 4)
        #expect(Set(second) == Set(first + second))
        #expect(picker.isInEndgame)
        let fullPiece = first[0].piece
        #expect(Notation.blocks(picker, piece: fullPiece) == "22")
        #expect(Notation.blocks(picker, piece: 1 - fullPiece) == "21")
        // Nothing for peer 1 twice, and no third copy for peer 3 except the one block with one requester.
        #expect(picker.pickBlocks(for: 1, from: .all, count: 4, using: &random).count == 1)
        #expect(picker.pickBlocks(for: 3, from: .all, count: 4, using: &random) == [])

        let block = first[0]
        let receipt = picker.blockReceived(block, from: 2)
        #expect(receipt == BlockReceipt(outcome: .accepted, cancels: [BlockCancellation(peer: 1, block: block)]))
        #expect(picker.blockReceived(block, from: 1).outcome == .duplicate)
        #expect(!picker.outstandingRequests(of: 1).contains(block))
        #expect(picker.invariantViolations() == [])
    }

    @Test func noEndgameWhileAnAvailableBlockIsOpen() {
        var picker = Notation.picker(availability: "1 1 0", blocksPerPiece: 2)
        var random = SeededRandom(seed: 1)
        _ = picker.pickBlocks(for: 1, from: .bitfield(Notation.bits("11.")), count: 3, using: &random)
        #expect(!picker.isInEndgame)
        _ = picker.pickBlocks(for: 1, from: .bitfield(Notation.bits("11.")), count: 1, using: &random)
        // Piece 2 is missing but nobody has it: it does not hold endgame back.
        #expect(picker.isInEndgame)
        picker.seedJoined()
        #expect(!picker.isInEndgame)
    }

    @Test func verifyingAPieceWithRequestsOutCancelsThem() {
        var picker = Notation.picker(availability: "1 2")
        var random = SeededRandom(seed: 1)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 2, using: &random)
        let cancels = picker.pieceVerified(0)
        #expect(cancels == blocks.map { BlockCancellation(peer: 1, block: $0) })
        #expect(picker.outstandingRequestCount(of: 1) == 0)
        #expect(picker.pieceVerified(0) == [])
        #expect(picker.invariantViolations() == [])
    }

    @Test func everythingVerifiedCompletesTheTorrent() {
        var picker = Notation.picker(availability: "1 1 1", priority: "4 0 4", blocksPerPiece: 1)
        var random = SeededRandom(seed: 1)
        let blocks = picker.pickBlocks(for: 1, from: .all, count: 10, using: &random)
        #expect(Set(blocks.map(\.piece)) == [0, 2])
        for block in blocks {
            #expect(picker.blockReceived(block, from: 1).pieceComplete)
            picker.pieceVerified(block.piece)
        }
        #expect(picker.isComplete)
        #expect(picker.wantedRemaining == 0)
        #expect(!picker.isInEndgame)
        #expect(picker.pickBlocks(for: 1, from: .all, count: 10, using: &random) == [])
    }
}
