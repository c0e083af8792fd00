import Synchronization
import TorrentModel

/// Completion kept in memory only: for tests, and for a run that rechecks on start.
public final class MemoryCompletionState: CompletionState {
    private let bits: Mutex<Bitfield>
    public let pieceCount: Int

    public init(pieceCount: Int) {
        self.pieceCount = pieceCount
        bits = Mutex(Bitfield(count: pieceCount))
    }

    public init(_ bitfield: Bitfield) {
        pieceCount = bitfield.count
        bits = Mutex(bitfield)
    }

    public var verified: Bitfield { bits.withLock { $0 } }

    public func contains(_ piece: Int) -> Bool {
        guard piece >= 0 && piece < pieceCount else { return false }
        return bits.withLock { $0[piece] }
    }

    public func markVerified(_ piece: Int) {
        bits.withLock { $0[piece] = true }
    }

    public func markMissing(_ piece: Int) {
        bits.withLock { $0[piece] = false }
    }

    public func reset(to bitfield: Bitfield) {
        precondition(bitfield.count == pieceCount, "a bitfield of \(bitfield.count) bits for \(pieceCount) pieces")
        bits.withLock { $0 = bitfield }
    }
}
