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
    private let wakeups: AsyncStream<Void>
    private let wakeupSink: AsyncStream<Void>.Continuation

    private struct State {
        var stopped = false
        var status = DHTAnnounceStatus()
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
        (wakeups, wakeupSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The rounds so far.
    public var status: DHTAnnounceStatus { state.withLock { $0.status } }

    /// Ends `run()` (a round under way finishes first).
    public func stop() {
        state.withLock { $0.stopped = true }
        wakeupSink.yield()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Rounds until `stop()` or cancellation; `onPeers` gets each round's peers (when there are any).
    public func run(onPeers: @escaping @Sendable ([PeerAddress]) async -> Void) async {
        var schedule = DHTAnnounceSchedule(settings: scheduleSettings)
        while !isStopped && !Task.isCancelled {
            let peers: [PeerAddress]
            let outcome: DHTAnnounceSchedule.Outcome
            if let port {
                let result = await node.announce(infoHash, port: port)
                peers = result.peers
                outcome = .announced(acknowledged: result.acknowledged)
            } else {
                peers = await node.getPeers(infoHash)
                outcome = .searched(peers: peers.count)
            }
            let delay = schedule.delay(after: outcome)
            state.withLock { state in
                state.status.rounds += 1
                state.status.lastOutcome = outcome
                state.status.peersFound += peers.count
            }
            if !peers.isEmpty && !isStopped { await onPeers(peers) }
            await sleep(seconds: delay)
        }
    }

    /// Sleeps `seconds`, or until `stop()`.
    private func sleep(seconds: Double) async {
        guard !isStopped else { return }
        let wakeups = self.wakeups
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            group.addTask {
                for await _ in wakeups { return }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
