import TorrentModel

/// The bookkeeping of Local Service Discovery on one socket, without the socket: which of our torrents to
/// announce when, our cookie, and which received announcements become peers.
///
/// Schedule: a torrent is due when it is added (`announce`), then every `announceInterval` (5 minutes, as
/// libtorrent). `nextAnnouncement` hands out at most one packet per `minimumSendInterval` (one a second)
/// over all torrents; a packet carries the most overdue torrent and the other due torrents with the same
/// port, earliest first, then torrents due within `earlyWindow` (so torrents added one by one drift into
/// shared packets), up to `maximumInfoHashesPerPacket`.
///
/// Receiving: our own packets (our cookie) are recognised and dropped; infohashes we do not announce are
/// ignored (BEP 14: only torrents we have matter); the rest pass the `LSDReportLimiter`.
///
/// Time is a parameter (seconds on a monotonic clock); the only randomness, the cookie, comes from the
/// generator given to `init`.
public struct LSDState: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Seconds between two announcements of one torrent.
        public var announceInterval: Double
        /// Seconds between two packets, at least.
        public var minimumSendInterval: Double
        /// Torrents due this many seconds from now may ride along in a packet that goes out anyway.
        public var earlyWindow: Double
        /// Infohashes in one packet at most.
        public var maximumInfoHashesPerPacket: Int
        public var reportLimiter: LSDReportLimiter.Settings

        public init(
            announceInterval: Double = LSDLimits.announceInterval,
            minimumSendInterval: Double = LSDLimits.minimumSendInterval, earlyWindow: Double? = nil,
            maximumInfoHashesPerPacket: Int = LSDLimits.maximumInfoHashesPerAnnouncement,
            reportLimiter: LSDReportLimiter.Settings = LSDReportLimiter.Settings()
        ) {
            self.announceInterval = announceInterval
            self.minimumSendInterval = minimumSendInterval
            self.earlyWindow = earlyWindow ?? announceInterval / 10
            self.maximumInfoHashesPerPacket = min(
                max(1, maximumInfoHashesPerPacket), LSDLimits.maximumInfoHashesPerAnnouncement)
            self.reportLimiter = reportLimiter
        }
    }

    /// One torrent we announce.
    public struct Torrent: Sendable, Hashable {
        /// The TCP port announced for it.
        public var port: UInt16
        /// When it is next due.
        public var nextAnnouncement: Double
    }

    public let settings: Settings
    /// Sent in every packet of ours, to recognise them when the group loops them back.
    public let cookie: String
    /// The torrents we announce.
    public private(set) var torrents: [InfoHash: Torrent] = [:]
    /// The limiter of incoming reports.
    public private(set) var reportLimiter: LSDReportLimiter
    /// When our last packet went out.
    public private(set) var lastSent = -Double.infinity

    /// With a random cookie: 1 to 8 lowercase hex digits, as libtorrent's.
    public init(settings: Settings = Settings(), now: Double, using generator: inout some RandomNumberGenerator) {
        let cookie = String(UInt32.random(in: 1 ... .max, using: &generator), radix: 16)
        self.init(settings: settings, cookie: cookie, now: now)
    }

    public init(settings: Settings = Settings(), cookie: String, now: Double) {
        self.settings = settings
        self.cookie = cookie
        reportLimiter = LSDReportLimiter(settings: settings.reportLimiter, now: now)
    }

    /// Starts announcing `infoHash` with `port`, due at once. Announcing a torrent again with the same port
    /// changes nothing; with another port, it is due at once with the new one. Port 0 cannot be announced
    /// (every client refuses it) and is ignored.
    public mutating func announce(_ infoHash: InfoHash, port: UInt16, now: Double) {
        if port == 0 || torrents[infoHash]?.port == port { return }
        torrents[infoHash] = Torrent(port: port, nextAnnouncement: now)
    }

    /// Stops announcing `infoHash`, and reporting peers for it.
    public mutating func withdraw(_ infoHash: InfoHash) {
        torrents[infoHash] = nil
    }

    public func isAnnouncing(_ infoHash: InfoHash) -> Bool {
        torrents[infoHash] != nil
    }

    /// The packet to send at `now`, if one is due and the send interval has passed; its torrents are then
    /// due again one `announceInterval` later.
    public mutating func nextAnnouncement(now: Double) -> LSDAnnouncement? {
        guard now - lastSent >= settings.minimumSendInterval else { return nil }
        let earliestFirst: (Dictionary<InfoHash, Torrent>.Element, Dictionary<InfoHash, Torrent>.Element) -> Bool = {
            ($0.value.nextAnnouncement, $0.key) < ($1.value.nextAnnouncement, $1.key)
        }
        guard let first = torrents.min(by: earliestFirst), first.value.nextAnnouncement <= now else { return nil }
        let port = first.value.port
        let batch = torrents.filter { $0.value.port == port && $0.value.nextAnnouncement <= now + settings.earlyWindow }
            .sorted(by: earliestFirst).prefix(settings.maximumInfoHashesPerPacket).map(\.key)
        for infoHash in batch { torrents[infoHash]?.nextAnnouncement = now + settings.announceInterval }
        lastSent = now
        return LSDAnnouncement(port: port, infoHashes: batch, cookie: cookie)
    }

    /// When `nextAnnouncement` will next return a packet; nil while nothing is announced.
    public var nextAnnouncementTime: Double? {
        guard let earliest = torrents.values.map(\.nextAnnouncement).min() else { return nil }
        return max(earliest, lastSent + settings.minimumSendInterval)
    }

    /// Sorts out a received announcement from `source` (the packet's source address, as text).
    public mutating func receive(_ announcement: LSDAnnouncement, from source: String, now: Double) -> LSDReception {
        guard announcement.cookie != cookie else { return LSDReception(isOwn: true) }
        var reception = LSDReception()
        for infoHash in announcement.infoHashes {
            guard torrents[infoHash] != nil else {
                reception.notOurs += 1
                continue
            }
            guard reportLimiter.allow(source: source, infoHash: infoHash, now: now) else {
                reception.rateLimited += 1
                continue
            }
            reception.discoveries.append(
                LSDDiscovery(infoHash: infoHash, peer: PeerAddress(host: source, port: announcement.port)))
        }
        return reception
    }
}
