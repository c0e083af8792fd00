import Synchronization

/// Bytes done so far, shared between the hashing workers and whoever shows progress.
public final class ProgressCounter: Sendable {
    private let done = Atomic<Int64>(0)
    public let total: Int64

    public init(total: Int64) {
        self.total = total
    }

    public var completed: Int64 { done.load(ordering: .relaxed) }

    func add(_ bytes: Int64) {
        done.add(bytes, ordering: .relaxed)
    }
}
