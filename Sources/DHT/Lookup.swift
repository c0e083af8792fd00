/// An iterative Kademlia lookup (BEP 5) as a state machine: `find_node` to learn the nodes closest to a
/// target, or `get_peers` to also collect peers and the write tokens for `announce_peer`. It sends
/// nothing itself: each call returns the queries to send, and the caller reports answers, failures and
/// slow nodes back. Nothing in it grows without bound: candidates, queries and peers are capped.
///
/// The lookup keeps `parallelism` queries in flight, always to the closest candidates not yet asked,
/// and ends when the `resultCount` closest candidates that did not fail have all answered.
public struct Lookup: Sendable {
    public enum Kind: Hashable, Sendable {
        case findNode
        case getPeers
    }

    public struct Settings: Sendable, Equatable {
        /// Queries in flight at once (alpha).
        public var parallelism: Int
        /// Nodes the lookup ends with (K).
        public var resultCount: Int
        /// Candidates kept, closest first; farther ones are forgotten.
        public var maximumCandidates: Int
        /// Queries sent at most, bootstrap included: a lookup in a hostile DHT ends anyway.
        public var maximumQueries: Int
        /// Distinct peers collected at most by a `get_peers` lookup.
        public var maximumPeers: Int

        public init(
            parallelism: Int = DHTLimits.lookupParallelism, resultCount: Int = DHTLimits.bucketSize,
            maximumCandidates: Int = 64, maximumQueries: Int = 128, maximumPeers: Int = 1_000
        ) {
            precondition(parallelism > 0 && resultCount > 0 && maximumCandidates >= resultCount)
            self.parallelism = parallelism
            self.resultCount = resultCount
            self.maximumCandidates = maximumCandidates
            self.maximumQueries = maximumQueries
            self.maximumPeers = maximumPeers
        }
    }

    public enum Action: Hashable, Sendable {
        /// Send this lookup's query to `endpoint`. `expectedID` is nil for a bootstrap node.
        case query(endpoint: DHTEndpoint, expectedID: NodeID?)
        /// The lookup is over; reported once.
        case finished(Result)
    }

    /// A node that answered, with the token it gave (for `announce_peer`).
    public struct Responder: Hashable, Sendable {
        public var node: CompactNodeInfo
        public var token: [UInt8]?
    }

    public struct Result: Hashable, Sendable {
        /// The closest nodes that answered, closest first, at most `resultCount`.
        public var closest: [Responder]
        /// Peers from `values`, in the order they came, without repeats.
        public var peers: [DHTEndpoint]
        public var queriesSent: Int
    }

    enum CandidateState: Hashable, Sendable {
        case fresh
        case inFlight(stalled: Bool)
        case responded(token: [UInt8]?)
        case failed
    }

    struct Candidate: Sendable {
        var node: CompactNodeInfo
        var distance: NodeID
        var state: CandidateState

        /// Neither failed nor stalled: it answered, may still answer in time, or was not asked yet.
        var isLive: Bool {
            switch state {
            case .failed, .inFlight(stalled: true): return false
            case .fresh, .inFlight(stalled: false), .responded: return true
            }
        }
    }

    public let target: NodeID
    public let kind: Kind
    public let settings: Settings
    private let ownID: NodeID?
    /// Sorted by distance to the target, closest first.
    private(set) var candidates: [Candidate] = []
    /// Bootstrap routers: asked first, their answers used, never part of the result.
    private var bootstrap: [DHTEndpoint]
    private var bootstrapInFlight: [DHTEndpoint: Bool] = [:]
    /// Distinct peers from `values`, in the order they came.
    public private(set) var peers: [DHTEndpoint] = []
    private var seenPeers: Set<DHTEndpoint> = []
    public private(set) var queriesSent = 0
    public private(set) var isFinished = false

    /// `seeds` are the closest nodes of our routing table; `bootstrap` the routers to ask when it is
    /// empty. `ownID` is never queried or returned.
    public init(
        target: NodeID, kind: Kind, seeds: [CompactNodeInfo], bootstrap: [DHTEndpoint] = [], ownID: NodeID? = nil,
        settings: Settings = Settings()
    ) {
        self.target = target
        self.kind = kind
        self.settings = settings
        self.ownID = ownID
        self.bootstrap = Array(bootstrap.prefix(settings.maximumQueries))
        for seed in seeds { add(seed) }
    }

    /// The first queries to send.
    public mutating func start() -> [Action] {
        nextActions()
    }

    /// Handles an answer from `endpoint`. Answers from nodes not queried (or already written off and
    /// answering late after failing) are ignored; an answer whose ID differs from the one we were told
    /// counts as a failure.
    public mutating func handleResponse(from endpoint: DHTEndpoint, response: KRPCResponse) -> [Action] {
        guard !isFinished else { return [] }
        if bootstrapInFlight.removeValue(forKey: endpoint) != nil {
            learn(from: response)
            return nextActions()
        }
        guard let index = candidates.firstIndex(where: { $0.node.endpoint == endpoint }),
            case .inFlight = candidates[index].state
        else { return [] }
        guard response.senderID == candidates[index].node.id else {
            candidates[index].state = .failed
            return nextActions()
        }
        candidates[index].state = .responded(token: kind == .getPeers ? response.token : nil)
        learn(from: response)
        return nextActions()
    }

    /// The query to `endpoint` timed out, or was answered with an error.
    public mutating func handleFailure(of endpoint: DHTEndpoint) -> [Action] {
        guard !isFinished else { return [] }
        if bootstrapInFlight.removeValue(forKey: endpoint) == nil {
            guard let index = candidates.firstIndex(where: { $0.node.endpoint == endpoint }),
                case .inFlight = candidates[index].state
            else { return [] }
            candidates[index].state = .failed
        }
        return nextActions()
    }

    /// The query to `endpoint` is slow (libtorrent's short timeout, a few seconds): its slot goes to
    /// another query, but a late answer is still taken.
    public mutating func handleStall(of endpoint: DHTEndpoint) -> [Action] {
        guard !isFinished else { return [] }
        if bootstrapInFlight[endpoint] != nil {
            bootstrapInFlight[endpoint] = true
        } else if let index = candidates.firstIndex(where: { $0.node.endpoint == endpoint }),
            candidates[index].state == .inFlight(stalled: false)
        {
            candidates[index].state = .inFlight(stalled: true)
        }
        return nextActions()
    }

    private mutating func learn(from response: KRPCResponse) {
        for node in response.nodes { add(node) }
        guard kind == .getPeers else { return }
        for peer in response.values where peer.port != 0 && peers.count < settings.maximumPeers {
            if seenPeers.insert(peer).inserted { peers.append(peer) }
        }
    }

    /// Adds a candidate in distance order, unless it is us, a repeat, or farther than all we keep.
    private mutating func add(_ node: CompactNodeInfo) {
        guard node.id != ownID, node.endpoint.port != 0,
            !candidates.contains(where: { $0.node.id == node.id || $0.node.endpoint == node.endpoint })
        else { return }
        let distance = node.id.distance(to: target)
        let position = candidates.firstIndex { distance < $0.distance } ?? candidates.count
        if candidates.count >= settings.maximumCandidates {
            // Forget the farthest candidate that no query is waiting on; if none, this node is not kept.
            guard let farthest = candidates.lastIndex(where: { !Self.isInFlight($0.state) }), farthest >= position
            else { return }
            candidates.remove(at: farthest)
        }
        candidates.insert(Candidate(node: node, distance: distance, state: .fresh), at: position)
    }

    private static func isInFlight(_ state: CandidateState) -> Bool {
        if case .inFlight = state { return true }
        return false
    }

    /// Queries to fill free slots, or the end of the lookup.
    private mutating func nextActions() -> [Action] {
        guard !isFinished else { return [] }
        var actions: [Action] = []
        var busy =
            bootstrapInFlight.values.count { !$0 }
            + candidates.count { $0.state == .inFlight(stalled: false) }
        while busy < settings.parallelism && queriesSent < settings.maximumQueries {
            if !bootstrap.isEmpty {
                let endpoint = bootstrap.removeFirst()
                bootstrapInFlight[endpoint] = false
                actions.append(.query(endpoint: endpoint, expectedID: nil))
            } else if let index = nextCandidate() {
                candidates[index].state = .inFlight(stalled: false)
                actions.append(.query(endpoint: candidates[index].node.endpoint, expectedID: candidates[index].node.id))
            } else {
                break
            }
            queriesSent += 1
            busy += 1
        }
        if actions.isEmpty && isSettled {
            isFinished = true
            actions.append(.finished(result))
        }
        return actions
    }

    /// The closest fresh candidate among the `resultCount` closest that did not fail or stall: candidates
    /// beyond those cannot change the result. A stalled node counts as gone (its late answer still counts),
    /// as libtorrent widens its search past a node that missed the short timeout.
    private func nextCandidate() -> Int? {
        var live = 0
        for index in candidates.indices where candidates[index].isLive {
            if candidates[index].state == .fresh { return index }
            live += 1
            if live >= settings.resultCount { return nil }
        }
        return nil
    }

    /// True when no answer still expected could change the result: every one of the closest live
    /// candidates answered, or nothing is left to ask and nothing is in flight but stalled queries (a node
    /// that missed the stall timeout does not hold the lookup for the full timeout).
    private var isSettled: Bool {
        if bootstrapInFlight.values.contains(false) || !bootstrap.isEmpty && queriesSent < settings.maximumQueries {
            return false
        }
        var live = 0
        for candidate in candidates where candidate.isLive {
            guard case .responded = candidate.state else {
                if candidate.state == .fresh && queriesSent >= settings.maximumQueries { continue }
                return false
            }
            live += 1
            if live >= settings.resultCount { return true }
        }
        return true
    }

    /// What the lookup found so far (final once it has finished).
    public var result: Result {
        var closest: [Responder] = []
        for candidate in candidates where closest.count < settings.resultCount {
            if case .responded(let token) = candidate.state {
                closest.append(Responder(node: candidate.node, token: token))
            }
        }
        return Result(closest: closest, peers: peers, queriesSent: queriesSent)
    }
}
