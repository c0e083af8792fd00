import TorrentModel
import TrackerProtocol

extension TrackerCore {
    /// Answers one UDP packet (BEP 15), or nil to send nothing.
    ///
    /// Nothing is sent for a packet that does not parse, or whose connection id is not one this tracker
    /// gave that address in the last two minutes: a spoofed source never gets a reply, so the tracker
    /// cannot be used to reflect traffic at someone. The one reply to an unproven address, to `connect`,
    /// is exactly as long as the request (16 bytes).
    public func answerUDP(_ packet: [UInt8], source: TrackerPeerAddress) -> [UInt8]? {
        guard admit(source) else { return dropped() }
        let request: UDPTrackerRequest
        do { request = try UDPTrackerRequest.decode(packet) } catch { return dropped() }
        let now = self.now
        switch request {
        case .connect(let transactionID):
            counters.udpConnects.add(1, ordering: .relaxed)
            let id = connectionIDs.issue(for: source, now: now)
            return UDPTrackerResponse.connect(transactionID: transactionID, connectionID: id).encoded()
        case .announce(let connectionID, let transactionID, let announceRequest, let urlData):
            guard connectionIDs.isValid(connectionID, for: source, now: now) else { return dropped() }
            let passkey = TrackerHTTPRoute.passkey(inUDPURLData: urlData)
            switch announce(announceRequest, passkey: passkey, source: source) {
            case .failure(let refusal):
                counters.failures.add(1, ordering: .relaxed)
                return UDPTrackerResponse.error(transactionID: transactionID, message: refusal.reason).encoded()
            case .success(let answer):
                return AnnounceResponseWriter.udp(
                    transactionID: transactionID, interval: configuration.interval, stats: answer.stats,
                    peers: answer.peers, family: source.family)
            }
        case .scrape(let connectionID, let transactionID, let infoHashes):
            guard connectionIDs.isValid(connectionID, for: source, now: now) else { return dropped() }
            switch scrape(infoHashes, passkey: nil) {
            case .failure(let refusal):
                counters.failures.add(1, ordering: .relaxed)
                return UDPTrackerResponse.error(transactionID: transactionID, message: refusal.reason).encoded()
            case .success(let stats):
                return UDPTrackerResponse.scrape(transactionID: transactionID, stats: stats).encoded()
            }
        }
    }

    private func dropped() -> [UInt8]? {
        counters.udpDropped.add(1, ordering: .relaxed)
        return nil
    }
}
