import Synchronization

/// Piece messages queued for one peer but not yet written to its socket. The session adds before it
/// queues a block and the connection's writer subtracts after the write, so a peer that requests faster
/// than it reads (or than the upload limit lets out) cannot make us buffer without bound.
final class UploadBacklog: Sendable {
    private let blocks = Atomic<Int>(0)
    /// Called after blocks were written: the session may hand over more (`TorrentSession.runUploads`).
    private let onWritten = Mutex<(@Sendable () -> Void)?>(nil)

    var count: Int { blocks.load(ordering: .relaxed) }
    func queued() { blocks.add(1, ordering: .relaxed) }

    func written(_ count: Int) {
        guard count > 0 else { return }
        blocks.subtract(count, ordering: .relaxed)
        onWritten.withLock { $0 }?()
    }

    func setOnWritten(_ action: @escaping @Sendable () -> Void) { onWritten.withLock { $0 = action } }
}
