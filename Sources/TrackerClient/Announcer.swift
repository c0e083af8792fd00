import Logging
import TorrentModel
import TrackerProtocol

/// Announces one torrent over time (BEP 3, BEP 12): `started` at once, then every interval the tracker
/// asks for (clamped by the settings), `completed` when told the download finished, `stopped` when told
/// to stop. It keeps the latest peers and each tracker's last error and warning for the user.
///
/// `run` is the loop; the engine runs it in its task group. Cancelling that task ends the loop at once
/// without a `stopped` announce; `stop()` ends it gracefully.
public actor Announcer<C: Clock> where C.Duration == Duration {
    /// A tracker of the list with the identity its status and state are kept under.
    struct Entry: Sendable {
        let id: Int
        let tracker: any Tracker
    }

    private enum Outcome: Sendable {
        case response(AnnounceResponse)
        case failure(TrackerClientError)
        case interrupted
    }

    private var list: TrackerTierList<Entry>
    private var template: AnnounceRequest
    private let settings: TrackerClientSettings
    private let clock: C
    private let logger: Logger
    private let signals = AnnouncerSignals()

    private var statuses: [Int: TrackerStatus] = [:]
    /// Trackers that accepted our `started`: later announces to them carry no event, and they get `stopped`.
    private var startedTrackers: Set<Int> = []
    private var trackerIDs: [Int: [UInt8]] = [:]
    private var completedPending = false
    /// When the last round of announces ended, successful or not: `announceNow` waits the minimum interval from it.
    private var lastRound: C.Instant?
    private var trackerMinimumInterval: Duration?
    /// The wait after a successful round: the tracker's interval, clamped by the settings.
    private var regularInterval: Duration = .zero

    /// Peers from the latest successful announce.
    public private(set) var peers: [PeerEndpoint] = []
    /// When the next regular announce is due, while the loop waits.
    public private(set) var nextAnnounce: C.Instant?

    /// - Parameters:
    ///   - key: BEP 3 `key`, random per session, so trackers know the client if its address changes.
    ///   - trackers: The torrent's tiers, already shuffled (`TrackerFactory.makeTierList`).
    public init(
        infoHash: InfoHash, peerID: [UInt8], port: UInt16, key: UInt32, trackers: TrackerTierList<any Tracker>,
        settings: TrackerClientSettings = .init(), clock: C, logger: Logger
    ) throws(TrackerProtocolError) {
        template = try AnnounceRequest(
            infoHash: infoHash, peerID: peerID, port: port, left: 0, compact: true, numWant: settings.numWant, key: key)
        var nextID = 0
        list = trackers.map { tracker in
            defer { nextID += 1 }
            return Entry(id: nextID, tracker: tracker)
        }
        for position in list.positions {
            let entry = list[position]
            statuses[entry.id] = TrackerStatus(url: entry.tracker.url, tier: position.tier)
        }
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Each tracker's status, in the order they will be tried.
    public var trackerStatuses: [TrackerStatus] { list.elements.compactMap { statuses[$0.id] } }

    /// The download finished: `completed` goes out at once. Not for a torrent that was complete from the start.
    public nonisolated func markCompleted() { signals.post(.completed) }

    /// Asks for peers now, but no sooner than the tracker's `min interval` (at least
    /// `minimumAnnounceInterval`) after the last announce.
    public nonisolated func announceNow() { signals.post(.announceNow) }

    /// Ends `run` after announcing `stopped` to every tracker that was told `started`.
    public nonisolated func stop() { signals.post(.stop) }

    /// The announce loop; run it once. `progress` is read before every announce; `onPeers` gets each
    /// successful announce's peers. Returns after `stop()` (once `stopped` was sent or timed out) or
    /// when the task is cancelled.
    public func run(
        progress: @escaping @Sendable () async -> AnnounceProgress,
        onPeers: @escaping @Sendable ([PeerEndpoint]) async -> Void
    ) async {
        var retryDelay = settings.failureRetryDelay
        while !Task.isCancelled {
            if signals.contains(.stop) {
                // A download that finished just before the stop (`shoal download` exits at once) still counts.
                if signals.take(.completed) { completedPending = true }
                await announceStopped(progress: await progress())
                return
            }
            if signals.take(.completed) { completedPending = true }
            _ = signals.take(.announceNow)
            let succeeded = await announceRound(progress: progress, onPeers: onPeers)
            if Task.isCancelled { return }
            lastRound = clock.now
            let due: C.Instant
            if succeeded {
                retryDelay = settings.failureRetryDelay
                due = clock.now.advanced(by: regularInterval)
            } else {
                due = clock.now.advanced(by: retryDelay)
                retryDelay = min(retryDelay * 2, settings.maximumFailureRetryDelay)
            }
            await waitForNextAnnounce(due: due)
        }
    }

    /// Sleeps until `due`, or less when the engine signals. An `announceNow` counts only once the
    /// minimum interval since the last round has passed, so a failing tracker list is not hammered.
    private func waitForNextAnnounce(due: C.Instant) async {
        var due = due
        while !Task.isCancelled {
            nextAnnounce = due
            if clock.now >= due { break }
            if signals.contains(.stop) || signals.contains(.completed) { break }
            if signals.take(.announceNow) {
                let minimum = max(trackerMinimumInterval ?? .zero, settings.minimumAnnounceInterval)
                let earliest = lastRound.map { $0.advanced(by: minimum) } ?? clock.now
                if earliest <= clock.now { break }
                due = min(due, earliest)
                continue
            }
            let clock = self.clock
            let signals = self.signals
            let wakeAt = due
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await clock.sleep(until: wakeAt, tolerance: nil) }
                group.addTask { await signals.wait(for: [.stop, .completed, .announceNow]) }
                await group.next()
                group.cancelAll()
            }
        }
        nextAnnounce = nil
    }

    /// Tries trackers in BEP 12 order until one answers. True when one did.
    private func announceRound(
        progress: @Sendable () async -> AnnounceProgress, onPeers: @Sendable ([PeerEndpoint]) async -> Void
    ) async -> Bool {
        for position in list.positions {
            if Task.isCancelled || signals.contains(.stop) { return false }
            let entry = list[position]
            let started = startedTrackers.contains(entry.id)
            var request = template
            request.event = !started ? .started : completedPending ? .completed : .none
            apply(await progress(), to: &request)
            request.trackerID = trackerIDs[entry.id]
            logger.debug(
                "announcing", metadata: ["tracker": "\(entry.tracker.url)", "event": "\(request.event)"])
            switch await announceUnlessStopped(entry.tracker, request) {
            case .interrupted:
                return false
            case .failure(let error):
                if error == .cancelled && Task.isCancelled { return false }
                statuses[entry.id]?.state = .failing
                statuses[entry.id]?.lastError = error.description
                statuses[entry.id]?.consecutiveFailures += 1
                logger.info(
                    "tracker announce failed", metadata: ["tracker": "\(entry.tracker.url)", "error": "\(error)"])
            case .response(let response):
                record(response, for: entry.id, event: request.event)
                list.promote(position)
                await onPeers(response.peers)
                return true
            }
        }
        return false
    }

    private func record(_ response: AnnounceResponse, for id: Int, event: AnnounceEvent) {
        startedTrackers.insert(id)
        // A `started` with left = 0 tells the tracker as much as `completed` would.
        if event == .completed || event == .started { completedPending = false }
        if let trackerID = response.trackerID { trackerIDs[id] = trackerID }
        var status = statuses[id]!
        status.state = .working
        status.lastError = nil
        status.lastWarning = response.warning
        status.seeders = response.complete
        status.leechers = response.incomplete
        status.lastPeerCount = response.peers.count
        status.consecutiveFailures = 0
        statuses[id] = status
        if let warning = response.warning {
            logger.notice("tracker warning", metadata: ["tracker": "\(status.url)", "warning": "\(warning)"])
        }
        peers = response.peers
        trackerMinimumInterval = response.minInterval.map { .seconds($0) }
        var interval = Duration.seconds(response.interval)
        if let minimum = trackerMinimumInterval { interval = max(interval, minimum) }
        regularInterval = min(max(interval, settings.minimumAnnounceInterval), settings.maximumAnnounceInterval)
    }

    private func apply(_ progress: AnnounceProgress, to request: inout AnnounceRequest) {
        request.uploaded = max(0, progress.uploaded)
        request.downloaded = max(0, progress.downloaded)
        request.left = max(0, progress.left)
    }

    /// One announce, given up when `stop()` is called meanwhile.
    private func announceUnlessStopped(_ tracker: any Tracker, _ request: AnnounceRequest) async -> Outcome {
        let signals = self.signals
        return await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do throws(TrackerClientError) {
                    return .response(try await tracker.announce(request))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                await signals.wait(for: [.stop])
                return .interrupted
            }
            let first = await group.next() ?? .interrupted
            group.cancelAll()
            return first
        }
    }

    /// `stopped` to every tracker that was told `started`, all at once, for at most `stoppedAnnounceTimeout`;
    /// preceded by `completed` when the download finished and no tracker has heard it yet.
    private func announceStopped(progress: AnnounceProgress) async {
        var targets: [(any Tracker, [AnnounceRequest])] = []
        for entry in list.elements where startedTrackers.contains(entry.id) {
            var request = template
            apply(progress, to: &request)
            request.trackerID = trackerIDs[entry.id]
            request.numWant = 0
            var completed = request
            completed.event = .completed
            request.event = .stopped
            targets.append((entry.tracker, completedPending ? [completed, request] : [request]))
        }
        completedPending = false
        startedTrackers.removeAll()
        guard !targets.isEmpty else { return }
        let clock = self.clock
        let deadline = clock.now.advanced(by: settings.stoppedAnnounceTimeout)
        await withTaskGroup(of: Bool.self) { group in
            for (tracker, requests) in targets {
                group.addTask {
                    for request in requests { _ = try? await tracker.announce(request) }
                    return true
                }
            }
            group.addTask {
                try? await clock.sleep(until: deadline, tolerance: nil)
                return false
            }
            var outstanding = targets.count
            while let finishedTracker = await group.next() {
                if !finishedTracker { break }
                outstanding -= 1
                if outstanding == 0 { break }
            }
            group.cancelAll()
        }
    }
}

extension Announcer where C == ContinuousClock {
    public init(
        infoHash: InfoHash, peerID: [UInt8], port: UInt16, key: UInt32, trackers: TrackerTierList<any Tracker>,
        settings: TrackerClientSettings = .init(), logger: Logger
    ) throws(TrackerProtocolError) {
        try self.init(
            infoHash: infoHash, peerID: peerID, port: port, key: key, trackers: trackers, settings: settings,
            clock: ContinuousClock(), logger: logger)
    }
}
