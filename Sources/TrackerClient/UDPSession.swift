import TrackerProtocol

/// One socket's conversation: sends a packet and waits for a matching answer or its timer.
struct UDPSession {
    /// What the socket reader and the retransmission timers report to the exchange.
    enum Event: Sendable {
        case datagram([UInt8])
        case timeout(Int)
        case failed(String)
    }

    var events: AsyncStream<Event>.Iterator
    let continuation: AsyncStream<Event>.Continuation
    let family: PeerAddressFamily
    let send: ([UInt8]) async throws -> Void
    private var timerCount = 0

    init(
        events: AsyncStream<Event>.Iterator, continuation: AsyncStream<Event>.Continuation,
        family: PeerAddressFamily, send: @escaping ([UInt8]) async throws -> Void
    ) {
        self.events = events
        self.continuation = continuation
        self.family = family
        self.send = send
    }

    /// Sends `packet` and returns the first answer whose transaction id is in `accepted`, or nil at the timeout.
    /// Datagrams for other transactions are ignored; a malformed one for ours throws.
    mutating func roundTrip<C: Clock>(
        _ packet: [UInt8], accepting accepted: Set<UInt32>, timeout: Duration, clock: C,
        group: inout ThrowingTaskGroup<Void, any Error>, isolation: isolated (any Actor)? = #isolation
    ) async throws -> UDPTrackerResponse? where C.Duration == Duration {
        try await send(packet)
        timerCount += 1
        let timer = timerCount
        let continuation = self.continuation
        group.addTask {
            try? await clock.sleep(until: clock.now.advanced(by: timeout), tolerance: nil)
            continuation.yield(.timeout(timer))
        }
        while let event = await events.next(isolation: isolation) {
            switch event {
            case .timeout(let fired):
                if fired == timer { return nil }
            case .failed(let reason):
                throw TrackerClientError.network(reason)
            case .datagram(let bytes):
                guard bytes.count >= TrackerLimits.udpResponseHeaderSize else { continue }
                let transactionID = bytes[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
                guard accepted.contains(transactionID) else { continue }
                do {
                    return try UDPTrackerResponse.decode(bytes, peerFamily: family)
                } catch {
                    throw TrackerClientError.malformedResponse(error)
                }
            }
        }
        throw CancellationError()
    }
}
