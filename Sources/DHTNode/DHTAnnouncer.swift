import DHT
import Synchronization
import TorrentModel

/// Keeps one torrent in the DHT: runs `announce` (or, without a port, only `get_peers`) on a
/// `DHTAnnounceSchedule` and hands every round's peers to the caller. The DHT-side twin of the tracker
/// `Announcer`. Never use it for a private torrent (BEP 27).
public final class DHTAnnouncer: Sendable {
    public nonisolated let infoHash: InfoHash
    private let node: DHTNode
    private let port: UInt16?
    private let scheduleSettings: DHTAnnounceSchedule.Settings
    private let state = Mutex(State())

    private struct State {
        var stopped = false
        var status = DHTAnnounceStatus()
        /// `run()` waiting for `stop()` while it sleeps.
        var stopWaiter: CheckedContinuation<Void, Never>?
        /// The peers `onPeers` got in the round under way.
        var handedThisRound: Set<PeerAddress> = []
    }

    /// `port`: the peer port to announce; nil searches without announcing (a magnet link whose
    /// metadata is being fetched, before the peer port is known).
    public init(
        node: DHTNode, infoHash: InfoHash, port: UInt16?,
        schedule: DHTAnnounceSchedule.Settings = DHTAnnounceSchedule.Settings()
    ) {
        self.node = node
        self.infoHash = infoHash
        self.port = port
        scheduleSettings = schedule
    }

    /// The rounds so far.
    public var status: DHTAnnounceStatus { state.withLock { $0.status } }

    /// Ends `run()`, and the round under way with it (what it found so far is not handed on).
    public func stop() {
        let waiter = state.withLock { state in
            state.stopped = true
            defer { state.stopWaiter = nil }
            return state.stopWaiter
        }
        waiter?.resume()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Rounds until `stop()` or cancellation; `onPeers` gets each round's peers (when there are any), as the
    /// lookup finds them and, at its end, the ones it had not given yet (peers stored with our own node).
    public func run(onPeers: @escaping @Sendable ([PeerAddress]) async -> Void) async {
        let (found, sink) = AsyncStream.makeStream(of: [PeerAddress].self)
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await peers in found where !peers.isEmpty { await onPeers(peers) }
            }
            await rounds { peers in
                let fresh = self.state.withLock { state in peers.filter { state.handedThisRound.insert($0).inserted } }
                if !fresh.isEmpty { sink.yield(fresh) }
            }
            sink.finish()
        }
    }

    private func rounds(handOn: @escaping @Sendable ([PeerAddress]) -> Void) async {
        var schedule = DHTAnnounceSchedule(settings: scheduleSettings)
        while !isStopped && !Task.isCancelled {
            state.withLock { $0.handedThisRound = [] }
            guard let (peers, outcome) = await untilStopped({ await self.round(handOn: handOn) }) else { return }
            let delay = schedule.delay(after: outcome)
            state.withLock { state in
                state.status.rounds += 1
                state.status.lastOutcome = outcome
                state.status.peersFound += peers.count
            }
            if !isStopped { handOn(peers) }
            _ = await untilStopped { try? await Task.sleep(for: .seconds(delay)) }
        }
    }

    /// One announce (or search) and its peers.
    private func round(
        handOn: @escaping @Sendable ([PeerAddress]) -> Void
    ) async -> ([PeerAddress], DHTAnnounceSchedule.Outcome) {
        if let port {
            let result = await node.announce(infoHash, port: port, onPeers: handOn)
            return (result.peers, .announced(acknowledged: result.acknowledged))
        }
        let peers = await node.getPeers(infoHash, onPeers: handOn)
        return (peers, .searched(peers: peers.count))
    }

    /// `work`'s result, or nil when `stop()` came first: then `work` is cancelled (a lookup held by a dead node
    /// ends at once), so that a caller done with the search, its metadata fetched, is not kept waiting.
    private func untilStopped<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T? {
        guard !isStopped else { return nil }
        return await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                await self.waitForStop()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Returns at `stop()` or when cancelled. (Not an `AsyncStream`: a cancelled reader would finish it for
    /// good, and every later sleep would end at once.)
    private func waitForStop() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.stopped || Task.isCancelled { return true }
                    state.stopWaiter = waiter
                    return false
                }
                if ready { waiter.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.stopWaiter = nil }
                return state.stopWaiter
            }
            waiter?.resume()
        }
    }
}
