import TestSupport
import Testing
import TorrentModel

@testable import Swarm

/// 100,000 pieces, 200 peers (300 joins, 100 departures), 4,000 picks of 32 blocks with every block
/// delivered and about 8,000 pieces verified: no step may be quadratic.
/// Measured on the 2-core dev machine: about 9 s in a debug build, 1.0 s in release (-enable-testing),
/// most of it counting 50,000-piece bitfields in and out. Timing is not asserted; a quadratic step
/// (an O(n) walk per block or per HAVE) would turn this into minutes.
@Suite struct PiecePickerScaleTests {
    private static let pieceCount = 100_000
    private static let blocksPerPiece = 16

    @Test func aLargeTorrentWithManyPeers() {
        var picker = PiecePicker<Int>(
            geometry: Notation.geometry(pieces: Self.pieceCount, blocksPerPiece: Self.blocksPerPiece))
        var random = SeededRandom(seed: 42)
        var counts = [Int32](repeating: 0, count: Self.pieceCount)
        var peers: [Int: PeerPieces] = [:]
        var nextPeer = 0

        func join(_ random: inout SeededRandom) {
            let pieces = Self.randomPieces(kind: nextPeer % 10, &random)
            picker.peerJoined(with: pieces)
            if case .bitfield(let bitfield) = pieces {
                PieceAvailability.forEachSetBit(of: bitfield) { counts[$0] += 1 }
            }
            peers[nextPeer] = pieces
            nextPeer += 1
        }

        for _ in 0..<200 { join(&random) }
        var verified = 0
        for round in 0..<4000 {
            let peerIDs = peers.keys.sorted()
            let peer = peerIDs[random.below(peerIDs.count)]
            let blocks = picker.pickBlocks(for: peer, from: peers[peer]!, count: 32, using: &random)
            for block in blocks where picker.blockReceived(block, from: peer).pieceComplete {
                if random.below(100) == 0 {
                    #expect(picker.pieceFailed(block.piece) == [peer])
                } else {
                    picker.pieceVerified(block.piece)
                    verified += 1
                }
            }
            // HAVE messages from bitfield peers.
            for _ in 0..<5 {
                let other = peerIDs[random.below(peerIDs.count)]
                guard case .bitfield(var bitfield) = peers[other]! else { continue }
                let piece = random.below(Self.pieceCount)
                guard !bitfield[piece] else { continue }
                bitfield[piece] = true
                peers[other] = .bitfield(bitfield)
                picker.peerHas(piece: piece)
                counts[piece] += 1
            }
            if round % 40 == 0 {
                let leaving = peerIDs[random.below(peerIDs.count)]
                picker.peerLeft(with: peers[leaving]!)
                picker.peerDisconnected(leaving)
                if case .bitfield(let bitfield) = peers[leaving]! {
                    PieceAvailability.forEachSetBit(of: bitfield) { counts[$0] -= 1 }
                }
                peers[leaving] = nil
                join(&random)
            }
        }

        #expect(picker.haveCount == verified)
        #expect(verified > 7000)
        let seeds = peers.values.filter(\.isAll).count
        for _ in 0..<1000 {
            let piece = random.below(Self.pieceCount)
            #expect(picker.availability(ofPiece: piece) == Int(counts[piece]) + seeds)
        }
        #expect(picker.invariantViolations() == [])

        // One more pick for a dense peer takes a rarest piece it has.
        let densePeer = peers.keys.sorted().first { peers[$0]!.isAll == false && (nextPeer - $0) % 10 != 9 }!
        let pieces = peers[densePeer]!
        let best = (0..<Self.pieceCount)
            .filter { picker.state(ofPiece: $0) == .missing && pieces.contains($0) }
            .map { counts[$0] }.min()
        let blocks = picker.pickBlocks(for: densePeer, from: pieces, count: Self.blocksPerPiece, using: &random)
        #expect(blocks.count == Self.blocksPerPiece)
        #expect(counts[blocks[0].piece] == best)
    }

    /// Kind 0 and 1: seeds; 2: sparse (about 1 piece in 64); others: about half the pieces.
    private static func randomPieces(kind: Int, _ random: inout SeededRandom) -> PeerPieces {
        if kind < 2 { return .all }
        var bytes = random.bytes(count: (pieceCount + 7) / 8)
        if kind == 2 {
            for _ in 0..<5 {
                let mask = random.bytes(count: bytes.count)
                for index in bytes.indices { bytes[index] &= mask[index] }
            }
        }
        return .bitfield(Bitfield(wireBytes: bytes, count: pieceCount)!)
    }
}
