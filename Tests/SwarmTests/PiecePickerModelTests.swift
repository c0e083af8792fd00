import TestSupport
import Testing
import TorrentModel

@testable import Swarm

/// Random operations against a plain O(n) reference: every pick must take the best pieces by
/// (priority high first, availability low first), or in random-first mode the highest priorities.
@Suite struct PiecePickerModelTests {
    private struct Reference {
        var counts: [Int]
        var priorities: [Int]
        var had: [Bool]
        var busy: [Bool]
        var busyBy: [Int: Set<Int>] = [:]

        init(pieceCount: Int) {
            counts = Array(repeating: 0, count: pieceCount)
            priorities = Array(repeating: 4, count: pieceCount)
            had = Array(repeating: false, count: pieceCount)
            busy = Array(repeating: false, count: pieceCount)
        }

        /// Open wanted pieces the peer has, as (-priority, availability) keys.
        func candidateKeys(of pieces: PeerPieces) -> [(Int, Int)] {
            counts.indices.filter { !had[$0] && !busy[$0] && priorities[$0] > 0 && pieces.contains($0) }
                .map { (-priorities[$0], counts[$0]) }
        }
    }

    private static let pieceCount = 300
    private static let blocksPerPiece = 2

    @Test(arguments: [(UInt64(1), false), (2, false), (3, false), (4, true), (5, true)])
    func picksMatchTheReference(seed: UInt64, randomFirst: Bool) {
        let settings = SwarmSettings.Picker(
            randomFirstPieces: randomFirst ? Int.max : 0, endgameRequestsPerBlock: 1, urgentRequestsPerBlock: 1)
        let geometry = Notation.geometry(pieces: Self.pieceCount, blocksPerPiece: Self.blocksPerPiece)
        var picker = PiecePicker<Int>(geometry: geometry, settings: settings)
        var reference = Reference(pieceCount: Self.pieceCount)
        var random = SeededRandom(seed: seed)
        var peers: [Int: PeerPieces] = [:]
        var nextPeer = 0
        var checkedPicks = 0

        for step in 0..<3000 {
            let operation = peers.isEmpty ? 0 : random.below(12)
            switch operation {
            case 0:
                let pieces = randomPieces(&random)
                picker.peerJoined(with: pieces)
                if case .bitfield(let bitfield) = pieces {
                    for piece in bitfield.setIndices { reference.counts[piece] += 1 }
                }
                peers[nextPeer] = pieces
                nextPeer += 1
            case 1:
                let peer = peers.keys.sorted()[random.below(peers.count)]
                picker.peerLeft(with: peers[peer]!)
                if case .bitfield(let bitfield) = peers[peer]! {
                    for piece in bitfield.setIndices { reference.counts[piece] -= 1 }
                }
                let released = picker.peerDisconnected(peer)
                #expect(Set(released.map(\.piece)) == reference.busyBy[peer] ?? [])
                for piece in reference.busyBy.removeValue(forKey: peer) ?? [] { reference.busy[piece] = false }
                peers[peer] = nil
            case 2:
                let peer = peers.keys.sorted()[random.below(peers.count)]
                guard case .bitfield(var bitfield) = peers[peer]! else { continue }
                let piece = random.below(Self.pieceCount)
                guard !bitfield[piece] else { continue }
                bitfield[piece] = true
                peers[peer] = .bitfield(bitfield)
                picker.peerHas(piece: piece)
                reference.counts[piece] += 1
            case 3:
                let piece = random.below(Self.pieceCount)
                let level = random.below(8)
                picker.setPriority(PiecePriority(level: level)!, ofPiece: piece)
                reference.priorities[piece] = level
            case 4:
                let busyPeers = reference.busyBy.keys.sorted()
                guard !busyPeers.isEmpty else { continue }
                let peer = busyPeers[random.below(busyPeers.count)]
                let piece = reference.busyBy[peer]!.sorted()[0]
                for block in picker.outstandingRequests(of: peer) where block.piece == piece {
                    #expect(picker.blockReceived(block, from: peer).outcome == .accepted)
                }
                #expect(picker.state(ofPiece: piece) == .complete)
                if random.below(5) == 0 {
                    #expect(picker.pieceFailed(piece) == [peer])
                } else {
                    picker.pieceVerified(piece)
                    reference.had[piece] = true
                }
                reference.busy[piece] = false
                reference.busyBy[peer]!.remove(piece)
                if reference.busyBy[peer]!.isEmpty { reference.busyBy[peer] = nil }
            default:
                let peer = peers.keys.sorted()[random.below(peers.count)]
                let pieces = peers[peer]!
                let wantedPieces = 1 + random.below(3)
                var expected = reference.candidateKeys(of: pieces)
                expected.sort { $0 < $1 }
                expected = Array(expected.prefix(wantedPieces))
                let blocks = picker.pickBlocks(
                    for: peer, from: pieces, count: wantedPieces * Self.blocksPerPiece, using: &random)
                let picked = Notation.pieces(of: blocks)
                #expect(blocks.count == picked.count * Self.blocksPerPiece)
                var keys = picked.map { (-reference.priorities[$0], reference.counts[$0]) }
                keys.sort { $0 < $1 }
                if randomFirst {
                    #expect(keys.map(\.0) == expected.map(\.0), "step \(step)")
                } else {
                    #expect(keys.map(\.0) == expected.map(\.0) && keys.map(\.1) == expected.map(\.1), "step \(step)")
                }
                for piece in picked {
                    #expect(!reference.busy[piece] && !reference.had[piece])
                    reference.busy[piece] = true
                    reference.busyBy[peer, default: []].insert(piece)
                }
                checkedPicks += picked.isEmpty ? 0 : 1
            }
            if step % 100 == 0 {
                #expect(picker.invariantViolations() == [], "step \(step)")
                let seeds = peers.values.filter(\.isAll).count
                #expect((0..<Self.pieceCount).map(picker.availability(ofPiece:)) == reference.counts.map { $0 + seeds })
            }
        }
        #expect(picker.invariantViolations() == [])
        #expect(checkedPicks > 300)
    }

    /// A seed, a dense peer or a sparse one (about 1 piece in 64, which takes the bitfield path).
    private func randomPieces(_ random: inout SeededRandom) -> PeerPieces {
        let kind = random.below(6)
        if kind == 0 { return .all }
        var bitfield = Bitfield(count: Self.pieceCount)
        let density = kind <= 2 ? 64 : 2
        for piece in 0..<Self.pieceCount where random.below(density) == 0 { bitfield[piece] = true }
        return .bitfield(bitfield)
    }
}
