import LocalDiscovery

/// Everything a running LSD service may be tuned by: where the multicast group is, which interface it is
/// joined and sent on, the pure state's schedule and limits, and the service's own queues and timer.
/// Times are seconds.
public struct LSDServiceSettings: Sendable {
    /// The multicast group: BEP 14's IPv4 group by default, `LSDLimits.ipv6Group` for IPv6. Tests use
    /// their own port, never the real 6771.
    public var group: String
    /// The UDP port of the group; the socket is bound to the group address and this port.
    public var port: Int
    /// The interface to join the group on and send from: one of its addresses (an IPv4 address for an IPv4
    /// group) or its name (`eth0`). Nil lets the kernel choose: the interface of the route to the group,
    /// usually the default route's. Tests use `127.0.0.1` (docs/lsd.md explains why loopback works).
    public var interface: String?
    /// Whether our packets are looped back to sockets on this host that joined the group: on by default, so
    /// two clients on one machine find each other. Our own copy is recognised by its cookie.
    public var multicastLoop: Bool
    /// IP time to live (IPv6 hop limit) of our packets, 1–255: 1 keeps them on the local link.
    public var timeToLive: Int
    /// The schedule, the packet size and the report limiter.
    public var state: LSDState.Settings
    /// Datagrams waiting for the service's task at most; under a flood the oldest give way to new ones.
    public var inboundQueueDepth: Int
    /// Discovered peers waiting for the consumer of `discoveries` at most; the oldest give way.
    public var discoveryQueueDepth: Int
    /// How often the schedule is looked at.
    public var tickInterval: Double

    public init(
        group: String = LSDLimits.ipv4Group, port: Int = LSDLimits.port, interface: String? = nil,
        multicastLoop: Bool = true, timeToLive: Int = 1, state: LSDState.Settings = LSDState.Settings(),
        inboundQueueDepth: Int = 256, discoveryQueueDepth: Int = 1_024, tickInterval: Double = 0.25
    ) {
        self.group = group
        self.port = port
        self.interface = interface
        self.multicastLoop = multicastLoop
        self.timeToLive = timeToLive
        self.state = state
        self.inboundQueueDepth = inboundQueueDepth
        self.discoveryQueueDepth = discoveryQueueDepth
        self.tickInterval = tickInterval
    }
}
