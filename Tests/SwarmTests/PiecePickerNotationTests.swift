import TestSupport
import Testing
import TorrentModel

@testable import Swarm

/// The compact notation the picker tests are written in.
///
/// - numbers, one per piece, space separated: `availability: "1 2 0 3"`, `priority: "4 4 0 7"`;
/// - bits, one character per piece: `have: "1..0"` where `1` is set and `.` or `0` is clear;
/// - blocks of one piece, one character per block (`Notation.blocks`): `.` open, `x` received,
///   a digit n requested from n peers, `-` for a piece with no download.
enum Notation {
    /// Tests switch random-first off unless they test it, so orders are rarest-first from the start.
    static let rarestFirst = SwarmSettings.Picker(
        randomFirstPieces: 0, endgameRequestsPerBlock: 2, urgentRequestsPerBlock: 2)

    static func geometry(pieces: Int, blocksPerPiece: Int, lastPieceBlocks: Int? = nil) -> PieceGeometry {
        let pieceLength = blocksPerPiece * TorrentLimits.blockSize
        let lastLength = (lastPieceBlocks ?? blocksPerPiece) * TorrentLimits.blockSize
        return PieceGeometry(
            totalLength: Int64(pieceLength) * Int64(pieces - 1) + Int64(lastLength), pieceLength: pieceLength)
    }

    static func numbers(_ text: String) -> [Int] {
        text.split(separator: " ").map { Int($0)! }
    }

    static func bits(_ text: String) -> Bitfield {
        let characters = Array(text.filter { $0 != " " })
        var bitfield = Bitfield(count: characters.count)
        for (index, character) in characters.enumerated() where character == "1" { bitfield[index] = true }
        return bitfield
    }

    static func priorities(_ text: String) -> [PiecePriority] {
        numbers(text).map { PiecePriority(level: $0)! }
    }

    /// A picker whose availability is counted in piece by piece (no seeds), with optional had pieces and
    /// priorities.
    static func picker(
        availability: String, have: String? = nil, priority: String? = nil, blocksPerPiece: Int = 4,
        settings: SwarmSettings.Picker = rarestFirst
    ) -> PiecePicker<Int> {
        let counts = numbers(availability)
        var picker = PiecePicker<Int>(
            geometry: geometry(pieces: counts.count, blocksPerPiece: blocksPerPiece), have: have.map(bits),
            settings: settings)
        if let priority { picker.setPriorities(priorities(priority)) }
        for (piece, count) in counts.enumerated() {
            for _ in 0..<count { picker.peerHas(piece: piece) }
        }
        return picker
    }

    static func blocks(_ picker: PiecePicker<Int>, piece: Int) -> String {
        guard let states = picker.blockStates(ofPiece: piece) else { return "-" }
        return String(
            states.map { state -> Character in
                switch state {
                case .open: "."
                case .received: "x"
                case .requested(let peers): Character(String(peers.count))
                }
            })
    }

    /// The pieces of the picked blocks, each once, in the order first picked.
    static func pieces(of blocks: [BlockRange]) -> [Int] {
        var seen: Set<Int> = []
        return blocks.map(\.piece).filter { seen.insert($0).inserted }
    }

    static func block(_ piece: Int, _ index: Int) -> BlockRange {
        BlockRange(piece: piece, offset: index * TorrentLimits.blockSize, length: TorrentLimits.blockSize)
    }
}

@Suite struct PiecePickerNotationTests {
    @Test func bitsReadOneCharacterPerPiece() {
        let bitfield = Notation.bits("1..0 11")
        #expect(bitfield.count == 6)
        #expect(bitfield.description == "100011")
    }

    @Test func pickerTakesAvailabilityHaveAndPriority() {
        let picker = Notation.picker(availability: "1 2 0 3", have: "..1.", priority: "1 0 4 7")
        #expect((0..<4).map(picker.availability(ofPiece:)) == [1, 2, 0, 3])
        #expect((0..<4).map(picker.state(ofPiece:)) == [.missing, .missing, .had, .missing])
        #expect((0..<4).map { picker.priority(ofPiece: $0).level } == [1, 0, 4, 7])
        #expect(picker.wantedRemaining == 2)
        #expect(Notation.blocks(picker, piece: 0) == "-")
        #expect(picker.invariantViolations() == [])
    }

    @Test func blockNotationShowsRequestsAndArrivals() {
        var picker = Notation.picker(availability: "1", blocksPerPiece: 4)
        var random = SeededRandom(seed: 1)
        _ = picker.pickBlocks(for: 1, from: .all, count: 2, using: &random)
        _ = picker.blockReceived(Notation.block(0, 0), from: 1)
        #expect(Notation.blocks(picker, piece: 0) == "x1..")
    }
}
