/// Peer exchange (BEP 11) with one connected peer, both ways, as pure bookkeeping: what we have told
/// the peer, when we last sent it a `ut_pex` message, and when it last sent us one. Generic over the
/// address type so the engine can use its own; flags are the BEP 11 bits (`PEXMessage.Flags` in
/// PeerWire). Times are seconds on a monotonic clock.
///
/// Sending: each message carries the difference between the peers we are connected to now and what
/// the peer was told before, at most `maximumAdded` and `maximumDropped` of each (the rest wait for the
/// next message), never the peer itself, never empty, and at most one a minute; the first may go at
/// once. Receiving: a message that comes sooner than `minimumIncomingInterval` after the last one is
/// ignored whole, and at most `maximumAcceptedPerMessage` new addresses are taken from one message.
public struct PEXState<Address: Hashable & Sendable>: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Seconds between messages we send (BEP 11: no more than once a minute).
        public var interval: Double
        public var maximumAdded: Int
        public var maximumDropped: Int
        /// Seconds under which a peer's next message is ignored: a little less than the minute BEP 11
        /// asks for, as timers on both sides drift.
        public var minimumIncomingInterval: Double
        /// Addresses taken from one incoming message at most.
        public var maximumAcceptedPerMessage: Int

        public init(
            interval: Double = 60, maximumAdded: Int = 50, maximumDropped: Int = 50,
            minimumIncomingInterval: Double = 45, maximumAcceptedPerMessage: Int = 50
        ) {
            self.interval = interval
            self.maximumAdded = maximumAdded
            self.maximumDropped = maximumDropped
            self.minimumIncomingInterval = minimumIncomingInterval
            self.maximumAcceptedPerMessage = maximumAcceptedPerMessage
        }
    }

    /// A connected peer as PEX describes it.
    public struct Entry: Hashable, Sendable {
        public var address: Address
        /// BEP 11 flags: 0x01 encryption, 0x02 seed, 0x04 uTP, 0x08 holepunch, 0x10 connectable.
        public var flags: UInt8

        public init(address: Address, flags: UInt8 = 0) {
            self.address = address
            self.flags = flags
        }
    }

    /// The contents of the next `ut_pex` message.
    public struct Update: Hashable, Sendable {
        public var added: [Entry]
        public var dropped: [Address]
    }

    public let settings: Settings
    /// The peer this state is about: never sent to itself.
    public let peer: Address
    /// Addresses the peer was told of and not told dropped since.
    private var told: Set<Address> = []
    private var lastSent: Double?
    private var lastReceived: Double?

    public init(peer: Address, settings: Settings = Settings()) {
        self.peer = peer
        self.settings = settings
    }

    /// Addresses the peer currently believes we are connected to.
    public var toldCount: Int { told.count }

    /// The message to send now, given the peers we are connected to (in the order the caller prefers
    /// them to be announced), or nil when it is too soon or there is nothing new. Records what it sends.
    public mutating func nextUpdate(connected: [Entry], now: Double) -> Update? {
        if let lastSent, now - lastSent < settings.interval, now >= lastSent { return nil }
        var current: Set<Address> = []
        var added: [Entry] = []
        for entry in connected where entry.address != peer && current.insert(entry.address).inserted {
            if !told.contains(entry.address) && added.count < settings.maximumAdded { added.append(entry) }
        }
        let dropped = Array(told.subtracting(current).prefix(settings.maximumDropped))
        guard !added.isEmpty || !dropped.isEmpty else { return nil }
        for entry in added { told.insert(entry.address) }
        for address in dropped { told.remove(address) }
        lastSent = now
        return Update(added: added, dropped: dropped)
    }

    /// Takes a message from the peer: the addresses worth trying (without repeats and without the peer
    /// itself, at most `maximumAcceptedPerMessage`), or nil when the message came too soon and is
    /// ignored. The first message is always taken.
    public mutating func receive(added: [Entry], now: Double) -> [Entry]? {
        if let lastReceived, now - lastReceived < settings.minimumIncomingInterval, now >= lastReceived {
            return nil
        }
        lastReceived = now
        var seen: Set<Address> = []
        var accepted: [Entry] = []
        for entry in added where accepted.count < settings.maximumAcceptedPerMessage {
            if entry.address != peer && seen.insert(entry.address).inserted { accepted.append(entry) }
        }
        return accepted
    }
}
