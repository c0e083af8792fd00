import DHT
import NIOCore

extension DHTNode {
    /// One datagram: a query is answered by the responder, an answer goes to the query it belongs to.
    func receive(_ datagram: DHTDatagram) {
        let now = self.now
        counters.packetsReceived += 1
        let message: KRPCMessage
        do {
            message = try KRPCMessage.decode(datagram.bytes)
        } catch {
            counters.malformedPackets += 1
            let outcome = responder.answer(
                undecodable: error, from: datagram.source, requestSize: datagram.bytes.count, now: now)
            if case .reply(let bytes) = outcome { send(bytes, to: datagram.source) }
            return
        }
        switch message.kind {
        case .query:
            answer(message, from: datagram.source, requestSize: datagram.bytes.count, now: now)
        case .response, .error:
            handleAnswer(message, from: datagram.source, now: now)
        }
    }

    private func answer(_ message: KRPCMessage, from source: DHTEndpoint, requestSize: Int, now: Double) {
        let proven = answeredFrom[source] != nil
        let outcome = responder.answer(
            message, from: source, requestSize: requestSize, table: &table, now: now, proven: proven,
            using: &generator)
        guard case .reply(let bytes) = outcome else {
            counters.queriesDropped += 1
            return
        }
        counters.queriesAnswered += 1
        send(bytes, to: source)
        // The ping-back rule (docs/dht.md): a node that has not proven its address got a short answer;
        // once it answers our ping it is in the table and gets full answers. Read-only nodes (BEP 43) are
        // left alone, and ping-backs never take more than their share of the pending table.
        let share = Double(pending.count) / Double(pending.settings.maximumPending)
        if !message.readOnly, !proven, !table.hasAnswered(from: source), !pending.isPending(to: source),
            share < settings.pingBackShareOfPending
        {
            sendQuery(.ping, to: source, expectedID: nil, purpose: .ping, now: now)
        }
    }

    private func handleAnswer(_ message: KRPCMessage, from source: DHTEndpoint, now: Double) {
        guard let entry = pending.match(transactionID: message.transactionID, from: source) else {
            counters.answersUnmatched += 1
            return
        }
        counters.answersMatched += 1
        guard case .response(let response) = message.kind else {
            // An error answer proves the node is alive but gives the query nothing.
            failed(entry.purpose, at: source, now: now)
            return
        }
        if let expected = entry.expectedID, expected != response.senderID {
            // Not the node we were told lives there: neither it nor the answer is trusted.
            failed(entry.purpose, at: source, now: now)
            return
        }
        rememberAnswer(from: source, now: now)
        let insertion = table.nodeResponded(CompactNodeInfo(id: response.senderID, endpoint: source), now: now)
        if case .cached(let questionable) = insertion {
            // A full bucket: its questionable nodes must prove themselves or give way to this one.
            for node in questionable.prefix(2) where !pending.isPending(to: node.endpoint) {
                sendQuery(.ping, to: node.endpoint, expectedID: node.id, purpose: .ping, now: now)
            }
        }
        switch entry.purpose {
        case .lookup(let run):
            advance(run: run, now: now) { $0.handleResponse(from: source, response: response) }
        case .announce(let run):
            announced(run: run, acknowledged: true)
        case .ping:
            break
        }
    }

    /// A query of `purpose` to `endpoint` ended without a usable answer (an error, or the wrong node).
    func failed(_ purpose: QueryPurpose, at endpoint: DHTEndpoint, now: Double) {
        switch purpose {
        case .lookup(let run):
            advance(run: run, now: now) { $0.handleFailure(of: endpoint) }
        case .announce(let run):
            announced(run: run, acknowledged: false)
        case .ping:
            break
        }
    }

    /// Sends a query, recording it as pending. False when it cannot go out: the pending table is full, or
    /// the endpoint is of the other address family than our socket.
    @discardableResult
    func sendQuery(
        _ method: KRPCQuery.Method, to endpoint: DHTEndpoint, expectedID: NodeID?, purpose: QueryPurpose, now: Double
    ) -> Bool {
        guard !isStopped, endpoint.family == family, endpoint.port != 0,
            let transactionID = pending.register(
                to: endpoint, expectedID: expectedID, purpose: purpose, now: now, using: &generator)
        else { return false }
        let query = KRPCMessage(
            transactionID: transactionID, kind: .query(KRPCQuery(senderID: id, method: method)),
            version: settings.version)
        switch method {
        case .findNode, .getPeers: send(query.encoded(paddedTo: DHTLimits.lookupQuerySize), to: endpoint)
        case .ping, .announcePeer: send(query.encoded(), to: endpoint)
        }
        return true
    }

    func send(_ bytes: [UInt8], to endpoint: DHTEndpoint) {
        guard endpoint.family == family, let address = endpoint.socketAddress else { return }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes)), promise: nil)
    }

    /// Endpoints that answered one of our queries: proven addresses for the amplification rule, also when
    /// the routing table refuses them (a newcomer on the address of a node it already holds, as a client
    /// restarted on a new port is). Bounded: when full, the oldest half goes.
    private func rememberAnswer(from source: DHTEndpoint, now: Double) {
        if answeredFrom.count >= DHTNode.maximumRememberedAnswers && answeredFrom[source] == nil {
            let oldest = answeredFrom.sorted { $0.value < $1.value }.prefix(answeredFrom.count / 2)
            for (endpoint, _) in oldest { answeredFrom.removeValue(forKey: endpoint) }
        }
        answeredFrom[source] = now
    }
}
