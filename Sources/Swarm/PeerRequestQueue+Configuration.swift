extension PeerRequestQueue {
    /// The tunables of one peer's request pipeline; the defaults are the named `SwarmSettings` values.
    public struct Configuration: Hashable, Sendable {
        /// Outstanding requests should cover this much time at the peer's measured rate.
        public var queueTime: Duration
        /// The fewest requests the pipeline asks for, whatever the rate.
        public var minimumDepth: Int
        /// The global cap on requests outstanding at one peer; the peer's `reqq` may lower it further.
        public var maximumDepth: Int
        /// Time-outs never fire sooner than this.
        public var requestTimeoutFloor: Duration
        /// Time-outs always fire after this long.
        public var requestTimeoutCeiling: Duration
        /// A request times out after this many times the time the peer needs for everything outstanding.
        public var requestTimeoutMultiplier: Double
        /// No block for this long while requests are outstanding means the peer is snubbing us.
        public var snubTimeout: Duration
        /// How long abandoned requests are remembered so their late blocks are tolerated.
        public var abandonedRetention: Duration
        /// The sliding window of the peer's download rate.
        public var rateWindow: Duration

        public init(
            queueTime: Duration = SwarmSettings.requestQueueTime,
            minimumDepth: Int = SwarmSettings.minimumRequestDepth,
            maximumDepth: Int = SwarmSettings.maximumRequestDepth,
            requestTimeoutFloor: Duration = SwarmSettings.requestTimeoutFloor,
            requestTimeoutCeiling: Duration = SwarmSettings.requestTimeoutCeiling,
            requestTimeoutMultiplier: Double = SwarmSettings.requestTimeoutMultiplier,
            snubTimeout: Duration = SwarmSettings.snubTimeout,
            abandonedRetention: Duration = SwarmSettings.abandonedRequestRetention,
            rateWindow: Duration = SwarmSettings.rateWindow
        ) {
            precondition(minimumDepth >= 1 && maximumDepth >= minimumDepth, "request depths must be 1 ≤ min ≤ max")
            precondition(requestTimeoutFloor <= requestTimeoutCeiling, "time-out floor above its ceiling")
            self.queueTime = queueTime
            self.minimumDepth = minimumDepth
            self.maximumDepth = maximumDepth
            self.requestTimeoutFloor = requestTimeoutFloor
            self.requestTimeoutCeiling = requestTimeoutCeiling
            self.requestTimeoutMultiplier = requestTimeoutMultiplier
            self.snubTimeout = snubTimeout
            self.abandonedRetention = abandonedRetention
            self.rateWindow = rateWindow
        }
    }
}
