import Dispatch
import Glibc
import Synchronization

/// A few dedicated threads for blocking file calls, behind `async` functions.
///
/// SwiftNIO event loops and Swift's cooperative pool must never wait on a disk, so every `pread`,
/// `pwrite`, `open` and `fsync` of the store runs here. One pool serves every torrent of a node;
/// its size is `StorageSettings.ioThreadCount`. Jobs run in the order they were submitted.
public final class StorageThreadPool: Sendable {
    private let queue: JobQueue
    public let threadCount: Int

    public convenience init(settings: StorageSettings = StorageSettings()) {
        self.init(threadCount: settings.ioThreadCount)
    }

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        queue = JobQueue()
        for _ in 0..<self.threadCount {
            Self.startThread(queue: queue)
        }
    }

    deinit { queue.shutDown() }

    /// Stops taking jobs; queued jobs still run, then the threads end. Later `run` calls throw `.closed`.
    public func shutDown() {
        queue.shutDown()
    }

    /// Runs `work` on a pool thread and returns its result. When the calling task is cancelled
    /// before a thread picks the job up, the job is dropped and this throws `.cancelled`; once
    /// started, a job always runs to the end (a write is never left half-done by cancellation).
    public func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(StorageError) -> Value
    ) async throws(StorageError) -> Value {
        if Task.isCancelled { throw .cancelled }
        let job = PoolJob(work)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, StorageError>, Never>) in
                if job.attach(continuation) && !queue.enqueue(job) {
                    job.fail(with: .closed)
                }
            }
        } onCancel: {
            job.fail(with: .cancelled)
        }
        return try result.get()
    }

    private static func startThread(queue: JobQueue) {
        let context = Unmanaged.passRetained(WorkerContext(queue: queue)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { argument in
                let context = Unmanaged<WorkerContext>.fromOpaque(argument!).takeRetainedValue()
                context.run()
                return nil
            }, context)
        precondition(status == 0, "cannot start a storage thread: \(String(cString: strerror(status)))")
        pthread_detach(thread)
    }
}

/// What a worker thread needs: the queue it serves.
private final class WorkerContext: Sendable {
    let queue: JobQueue

    init(queue: JobQueue) {
        self.queue = queue
    }

    func run() {
        while let job = queue.next() {
            job.execute()
        }
    }
}

/// A first-in first-out queue of jobs; workers sleep on a semaphore while it is empty.
private final class JobQueue: Sendable {
    private struct State {
        var jobs: [any RunnableJob] = []
        var head = 0
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// False when the queue has shut down and the job was not taken.
    func enqueue(_ job: any RunnableJob) -> Bool {
        let accepted = state.withLock { state in
            guard !state.isShutDown else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// The next job, waiting while there is none; nil once shut down and drained.
    func next() -> (any RunnableJob)? {
        while true {
            available.wait()
            let job: (any RunnableJob)?? = state.withLock { state in
                if state.head < state.jobs.count {
                    let job = state.jobs[state.head]
                    state.head += 1
                    // Compact now and then instead of removing from the front each time.
                    if state.head > 64 && state.head * 2 > state.jobs.count {
                        state.jobs.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(job)
                }
                return state.isShutDown ? .some(nil) : nil
            }
            switch job {
            case .some(.some(let job)): return job
            case .some(.none):
                // Pass the wake-up on, so every worker sees the shut-down queue in turn.
                available.signal()
                return nil
            case .none: continue
            }
        }
    }

    func shutDown() {
        let first = state.withLock { state in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        if first { available.signal() }
    }
}

private protocol RunnableJob: Sendable {
    func execute()
}

/// One submitted job. Exactly one of the worker and the cancellation handler resumes its caller.
private final class PoolJob<Value: Sendable>: RunnableJob {
    private enum Stage {
        case created
        case queued(CheckedContinuation<Result<Value, StorageError>, Never>)
        case running
        case finished
    }

    private let work: @Sendable () throws(StorageError) -> Value
    private let stage = Mutex(Stage.created)

    init(_ work: @escaping @Sendable () throws(StorageError) -> Value) {
        self.work = work
    }

    /// Stores the caller's continuation; false (after resuming it) when the job already failed.
    func attach(_ continuation: CheckedContinuation<Result<Value, StorageError>, Never>) -> Bool {
        let attached = stage.withLock { stage in
            guard case .created = stage else { return false }
            stage = .queued(continuation)
            return true
        }
        if !attached { continuation.resume(returning: .failure(.cancelled)) }
        return attached
    }

    /// Resumes the caller with `error` unless a worker already started the job.
    func fail(with error: StorageError) {
        let continuation = stage.withLock { stage -> CheckedContinuation<Result<Value, StorageError>, Never>? in
            switch stage {
            case .created:
                stage = .finished
                return nil
            case .queued(let continuation):
                stage = .finished
                return continuation
            case .running, .finished:
                return nil
            }
        }
        continuation?.resume(returning: .failure(error))
    }

    func execute() {
        let continuation = stage.withLock { stage -> CheckedContinuation<Result<Value, StorageError>, Never>? in
            guard case .queued(let continuation) = stage else { return nil }
            stage = .running
            return continuation
        }
        guard let continuation else { return }
        let result = Result(catching: work)
        stage.withLock { $0 = .finished }
        continuation.resume(returning: result)
    }
}
