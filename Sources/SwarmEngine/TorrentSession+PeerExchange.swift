import NIOCore
import PeerWire
import Swarm
import TorrentModel

/// Peer exchange (BEP 11, `ut_pex`): once a minute each peer hears which peers we connected to and
/// dropped since the last message, and the addresses peers tell us of are dialed within the engine's
/// limits. A private torrent (BEP 27) neither advertises, sends nor takes any of it.
extension TorrentSession {
    /// Our BEP 10 handshake: `ut_metadata`, `shoal_deadline`, `ut_pex` unless the torrent is private, our listen
    /// port (so a peer we dialed can pass our address on), `reqq` and the metadata size.
    var extensionHandshake: ExtensionHandshake {
        var extensions = [
            MetadataMessage.extensionName: MetadataMessage.localExtensionID,
            DeadlineMessage.extensionName: DeadlineMessage.localExtensionID,
        ]
        if !isPrivate { extensions[PEXMessage.extensionName] = PEXMessage.localExtensionID }
        return ExtensionHandshake(
            extensions: extensions, client: settings.clientName, listenPort: link.listenAddress()?.port,
            requestQueueLength: settings.maximumPeerRequests, metadataSize: metadata.totalSize)
    }

    /// Takes what peer exchange needs from a peer's extension handshake.
    func peerExtensionHandshake(_ handshake: ExtensionHandshake, from id: ConnectionID) {
        guard let peer = peers[id] else { return }
        if let port = handshake.listenPort { peer.listenPort = port }
        peer.deadlineExtensionID = handshake.messageID(forExtension: DeadlineMessage.extensionName)
        guard !isPrivate else { return }
        peer.pexExtensionID = handshake.messageID(forExtension: PEXMessage.extensionName)
        // BEP 10 allows a second handshake; what the peer was told stays.
        if peer.pex == nil, let address = peer.listenAddress ?? peer.address {
            peer.pex = PEXState(peer: address, settings: settings.peerExchange)
        }
    }

    /// A `ut_pex` message: rate-limited and capped by the peer's `PEXState`, then the new addresses join
    /// the candidates to dial. Messages that cannot be decoded are ignored, not fatal: a peer's list is advice.
    func receivePEX(_ payload: ByteBuffer, from id: ConnectionID) {
        guard !isPrivate, let peer = peers[id], peer.pex != nil else {
            pexMessagesIgnored += 1
            return
        }
        let message: PEXMessage
        do {
            message = try PEXMessage.decode(payload)
        } catch {
            pexMessagesIgnored += 1
            logger.debug("peer \(id): ignored a ut_pex message: \(error)")
            return
        }
        let now = ContinuousClock.now
        let added = message.added.compactMap { peer -> PEXState<PeerAddress>.Entry? in
            PeerAddress(peer.address).map { PEXState.Entry(address: $0, flags: peer.flags.rawValue) }
        }
        guard let accepted = peer.pex?.receive(added: added, now: pexSeconds(now)) else {
            pexMessagesIgnored += 1
            return
        }
        pexMessagesTaken += 1
        for address in message.dropped { PeerAddress(address).map { candidates.remove($0) } }
        let amSeed = picker.isComplete
        for entry in accepted where isDialable(entry.address) {
            // Two seeds have nothing to trade.
            if amSeed && PEXMessage.Flags(rawValue: entry.flags).contains(.seed) { continue }
            _ = candidates.add(entry.address, now: now)
        }
    }

    /// Once a second: sends the `ut_pex` messages that are due and dials waiting candidates.
    func exchangePeers(now: ContinuousClock.Instant) {
        guard !isPrivate else { return }
        sendPEX(now: now)
        dialCandidates(now: now)
    }

    /// The engine finished a dial of `address` (it failed, or its connection closed).
    func dialEnded(_ address: PeerAddress) {
        candidates.dialEnded(address)
        dialsInFlight.remove(address)
    }

    /// Claims the dial of `address` the engine is about to start; false (and the dial is dropped) when a peer at
    /// that address is connected or being dialed already. Two dials of one peer at once (a tracker and the
    /// remembered peers name it together on a restart) race: each end keeps the connection whose handshake it
    /// finished first, and when the two ends disagree both connections close, leaving the torrent without the
    /// peer until the next announce. A `candidate` dial (PEX) that is dropped frees its slot at once.
    func claimDial(_ address: PeerAddress, candidate: Bool) -> Bool {
        guard !hasPeer(at: address), dialsInFlight.insert(address).inserted else {
            if candidate { candidates.dialEnded(address) }
            return false
        }
        return true
    }

    /// Dials started for PEX addresses, waiting ones and those in flight, for the figures and tests.
    public var peerExchangeDials: (started: Int, waiting: Int, pending: Int) {
        (candidates.dialCount, candidates.waitingCount, candidates.pendingCount)
    }

    private func sendPEX(now: ContinuousClock.Instant) {
        let seconds = pexSeconds(now)
        var connected: [PEXState<PeerAddress>.Entry]?
        for peer in peers.values where peer.pex != nil {
            guard let extensionID = peer.pexExtensionID else { continue }
            let entries = connected ?? connectedEntries()
            connected = entries
            guard let update = peer.pex?.nextUpdate(connected: entries, now: seconds) else { continue }
            let message = PEXMessage(
                added: update.added.compactMap { entry in
                    entry.address.compact.map { PEXMessage.Peer(address: $0, flags: .init(rawValue: entry.flags)) }
                },
                dropped: update.dropped.compactMap(\.compact))
            peer.send(message.message(extensionID: extensionID))
        }
    }

    /// Our peers as PEX describes them: those we dialed (connectable) first, then those that dialed us and
    /// gave their listen port. Peers with neither, or a host name instead of an address, are left out.
    private func connectedEntries() -> [PEXState<PeerAddress>.Entry] {
        var dialed: [PEXState<PeerAddress>.Entry] = []
        var accepted: [PEXState<PeerAddress>.Entry] = []
        for peer in peers.values {
            guard let address = peer.listenAddress, address.compact != nil else { continue }
            var flags: PEXMessage.Flags = peer.isSeed ? .seed : []
            if peer.source != .incoming {
                flags.insert(.connectable)
                dialed.append(PEXState.Entry(address: address, flags: flags.rawValue))
            } else {
                accepted.append(PEXState.Entry(address: address, flags: flags.rawValue))
            }
        }
        return dialed + accepted
    }

    /// Starts dials while the torrent has room for more peers and fewer than `maximumPendingDials` are in flight.
    private func dialCandidates(now: ContinuousClock.Instant) {
        while candidates.pendingCount < settings.maximumPendingDials,
            peers.count + candidates.pendingCount < settings.maximumPeersPerTorrent,
            let address = candidates.next(where: isDialable)
        {
            guard link.dial(address, .pex) else {
                // The engine is full: try again later.
                _ = candidates.add(address, now: now)
                return
            }
            candidates.dialing(address, now: now)
        }
    }

    /// Not our own listener, and not a peer we are connected to.
    private func isDialable(_ address: PeerAddress) -> Bool {
        if let own = link.listenAddress(), address.port == own.port {
            let anyLocal = own.host == "0.0.0.0" || own.host == "::"
            if address.host == own.host || (anyLocal && address.isLocalHost) { return false }
        }
        return !hasPeer(at: address)
    }

    /// A connected peer's far end or listen address is `address`.
    private func hasPeer(at address: PeerAddress) -> Bool {
        peers.values.contains { $0.address == address || $0.listenAddress == address }
    }

    /// Seconds since the session started: the clock `PEXState` counts in.
    private func pexSeconds(_ now: ContinuousClock.Instant) -> Double {
        (now - startedAt) / .seconds(1)
    }
}
