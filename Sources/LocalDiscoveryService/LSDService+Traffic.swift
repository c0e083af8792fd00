import LocalDiscovery
import NIOCore

extension LSDService {
    /// The service's clock: every tick, the packet the schedule has due, if any. Returns when cancelled.
    func announceOnSchedule() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(settings.tickInterval))
            } catch {
                return
            }
            await sendDue()
        }
    }

    /// Sends the announcement due now, if any (at most one: the state keeps packets a send interval apart).
    func sendDue() async {
        guard !isStopped, let announcement = state.nextAnnouncement(now: now) else { return }
        let envelope = AddressedEnvelope(
            remoteAddress: membership.group, data: ByteBuffer(bytes: announcement.encoded(host: membership.host)))
        do {
            try await channel.writeAndFlush(envelope).get()
            counters.packetsSent += 1
        } catch {
            counters.sendFailures += 1
            logger.debug("LSD: cannot send to \(membership.host): \(error)")
        }
    }

    /// One datagram from the group: decoded, then our own dropped, infohashes not ours ignored, and the rest
    /// reported within the limiter's bounds.
    func receive(_ datagram: LSDDatagram) {
        counters.packetsReceived += 1
        let announcement: LSDAnnouncement
        do {
            announcement = try LSDAnnouncement.decode(datagram.bytes)
        } catch {
            counters.malformedPackets += 1
            logger.debug("LSD: dropped a packet from \(datagram.source): \(error)")
            return
        }
        let reception = state.receive(announcement, from: datagram.source, now: now)
        if reception.isOwn {
            counters.ownPackets += 1
            return
        }
        counters.infoHashesNotOurs += reception.notOurs
        counters.rateLimited += reception.rateLimited
        for discovery in reception.discoveries {
            logger.debug("LSD: peer \(discovery)")
            switch discoverySink.yield(discovery) {
            case .enqueued:
                counters.peersReported += 1
            case .dropped:
                counters.peersReported += 1
                counters.reportsDropped += 1
            case .terminated:
                counters.reportsDropped += 1
            @unknown default:
                counters.reportsDropped += 1
            }
        }
    }
}
