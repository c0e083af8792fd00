import Dispatch
import Glibc
import PieceStorage
import Synchronization
import Testing

@Suite struct StorageThreadPoolTests {
    @Test func runsJobsOnItsOwnFewThreads() async throws {
        let pool = StorageThreadPool(threadCount: 2)
        defer { pool.shutDown() }
        let threads = try await withThrowingTaskGroup(of: UInt.self) { group in
            for _ in 0..<50 {
                group.addTask { try await pool.run { () throws(StorageError) -> UInt in UInt(pthread_self()) } }
            }
            var seen: Set<UInt> = []
            for try await thread in group { seen.insert(thread) }
            return seen
        }
        #expect(threads.count >= 1 && threads.count <= 2)
        #expect(!threads.contains(UInt(pthread_self())))
    }

    @Test func runsAsManyJobsAtOnceAsItHasThreads() async throws {
        let pool = StorageThreadPool(settings: StorageSettings(ioThreadCount: 3))
        defer { pool.shutDown() }
        #expect(pool.threadCount == 3)
        let arrived = SharedCounter()
        // Each job waits (up to 10 s) until all three are running: only possible on three threads.
        let metAll = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.run { () throws(StorageError) -> Bool in
                        arrived.value.add(1, ordering: .relaxed)
                        for _ in 0..<10_000 where arrived.value.load(ordering: .relaxed) < 3 { usleep(1_000) }
                        return arrived.value.load(ordering: .relaxed) == 3
                    }
                }
            }
            return try await group.allSatisfy { $0 }
        }
        #expect(metAll)
    }

    @Test func passesErrorsThrough() async {
        let pool = StorageThreadPool(threadCount: 1)
        defer { pool.shutDown() }
        let error = await storageError { () async throws(StorageError) in
            try await pool.run { () throws(StorageError) -> Int in throw .outOfRange("test") }
        }
        #expect(error == .outOfRange("test"))
    }

    @Test func aJobCancelledBeforeItStartsNeverRuns() async throws {
        let pool = StorageThreadPool(threadCount: 1)
        defer { pool.shutDown() }
        let release = DispatchSemaphore(value: 0)
        let started = SharedCounter()
        let ranLater = SharedCounter()
        let blocker = Task {
            try await pool.run { () throws(StorageError) -> Int in
                started.value.add(1, ordering: .relaxed)
                release.wait()
                return 1
            }
        }
        try await started.reached(1)
        let waiting = Task { () async throws(StorageError) -> Int in
            try await pool.run { () throws(StorageError) -> Int in
                ranLater.value.add(1, ordering: .relaxed)
                return 2
            }
        }
        // Let the second job reach the queue behind the first, then cancel it.
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        let result = await waiting.result
        #expect(throws: StorageError.cancelled) { try result.get() }
        release.signal()
        #expect(try await blocker.value == 1)
        // The pool keeps working, and the cancelled job was dropped.
        #expect(try await pool.run { () throws(StorageError) -> Int in 42 } == 42)
        let cancelledJobRuns = ranLater.value.load(ordering: .relaxed)
        #expect(cancelledJobRuns == 0)
    }

    @Test func queuedJobsFinishAfterShutDownButNewOnesAreRefused() async throws {
        let pool = StorageThreadPool(threadCount: 1)
        let release = DispatchSemaphore(value: 0)
        let started = SharedCounter()
        let first = Task {
            try await pool.run { () throws(StorageError) -> Int in
                started.value.add(1, ordering: .relaxed)
                release.wait()
                return 1
            }
        }
        try await started.reached(1)
        let second = Task { try await pool.run { () throws(StorageError) -> Int in 2 } }
        try await Task.sleep(for: .milliseconds(50))
        pool.shutDown()
        release.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        let refused = await storageError { () async throws(StorageError) -> Int in
            try await pool.run { () throws(StorageError) -> Int in 3 }
        }
        #expect(refused == .closed)
    }
}

/// An atomic count that closures running on other threads can share.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}

extension SharedCounter {
    /// Waits, without blocking a thread of the cooperative pool, until the count reaches `target`.
    func reached(_ target: Int) async throws {
        while value.load(ordering: .relaxed) < target { try await Task.sleep(for: .milliseconds(1)) }
    }
}
