extension KRPCMessage {
    /// The message encoded within `limit` bytes, shedding what matters least first: the advisory `v`
    /// and `ip`, then a response's nodes (farthest first: peers are what a `get_peers` asker wants
    /// most), then its peers, then its token; an error's message is shortened. Nil when even the bare
    /// message is too large: then nothing is sent. Queries are never trimmed.
    public func encoded(within limit: Int) -> [UInt8]? {
        var message = self
        var bytes = message.encoded()
        while bytes.count > limit {
            let excess = bytes.count - limit
            if message.version != nil {
                message.version = nil
            } else if message.requesterAddress != nil {
                message.requesterAddress = nil
            } else {
                switch message.kind {
                case .query:
                    return nil
                case .error(var error):
                    guard error.message.utf8.count > 0 else { return nil }
                    error.message = String(decoding: error.message.utf8.dropLast(excess), as: UTF8.self)
                    message.kind = .error(error)
                case .response(var response):
                    guard Self.shed(excess, from: &response) else { return nil }
                    message.kind = .response(response)
                }
            }
            bytes = message.encoded()
        }
        return bytes
    }

    /// Drops nodes, then values, then the token. Each step removes at most `excess` bytes (an IPv6
    /// value is 21 bytes of bencode, an IPv6 node 38 plus a length digit), so nothing goes needlessly,
    /// and at least a third of the excess, so few passes are needed. False when nothing is left.
    private static func shed(_ excess: Int, from response: inout KRPCResponse) -> Bool {
        if !response.nodes.isEmpty {
            response.nodes.removeLast(min(response.nodes.count, max(1, excess / 40)))
        } else if !response.values.isEmpty {
            response.values.removeLast(min(response.values.count, max(1, excess / 21)))
        } else if response.token != nil {
            response.token = nil
        } else {
            return false
        }
        return true
    }
}
