import Bencode

extension KRPCMessage {
    /// The canonical bencoding (sorted keys), as sent.
    public func encoded() -> [UInt8] {
        BencodeEncoder.encode(bencodeValue)
    }

    /// The message as a bencode dictionary.
    public var bencodeValue: BencodeValue {
        var top: [[UInt8]: BencodeValue] = [Self.key("t"): .bytes(transactionID)]
        switch kind {
        case .query(let query):
            top[Self.key("y")] = "q"
            top[Self.key("q")] = .string(query.method.name)
            top[Self.key("a")] = .dictionary(Self.arguments(of: query))
        case .response(let response):
            top[Self.key("y")] = "r"
            top[Self.key("r")] = .dictionary(Self.values(of: response))
        case .error(let error):
            top[Self.key("y")] = "e"
            top[Self.key("e")] = [.integer(Int64(error.code)), .string(error.message)]
        }
        if let version { top[Self.key("v")] = .bytes(version) }
        if readOnly { top[Self.key("ro")] = 1 }
        if let requesterAddress { top[Self.key("ip")] = .bytes(requesterAddress.compactBytes) }
        return .dictionary(top)
    }

    private static func arguments(of query: KRPCQuery) -> [[UInt8]: BencodeValue] {
        var arguments: [[UInt8]: BencodeValue] = [key("id"): .bytes(query.senderID.bytes)]
        switch query.method {
        case .ping:
            break
        case .findNode(let target):
            arguments[key("target")] = .bytes(target.bytes)
        case .getPeers(let infoHash):
            arguments[key("info_hash")] = .bytes(infoHash.bytes)
        case .announcePeer(let infoHash, let port, let impliedPort, let token, let seed):
            arguments[key("info_hash")] = .bytes(infoHash.bytes)
            arguments[key("port")] = .integer(Int64(port))
            arguments[key("token")] = .bytes(token)
            if impliedPort { arguments[key("implied_port")] = 1 }
            if seed { arguments[key("seed")] = 1 }
        }
        if !query.want.isEmpty {
            // n4 before n6, so the bytes do not depend on the set's order.
            let names = [DHTEndpoint.Family.ipv4, .ipv6].filter(query.want.contains)
            arguments[key("want")] = .list(names.map { $0 == .ipv4 ? "n4" : "n6" })
        }
        return arguments
    }

    private static func values(of response: KRPCResponse) -> [[UInt8]: BencodeValue] {
        var values: [[UInt8]: BencodeValue] = [key("id"): .bytes(response.senderID.bytes)]
        let nodes = CompactNodeInfo.encodeList(response.nodes, family: .ipv4)
        if !nodes.isEmpty { values[key("nodes")] = .bytes(nodes) }
        let nodes6 = CompactNodeInfo.encodeList(response.nodes, family: .ipv6)
        if !nodes6.isEmpty { values[key("nodes6")] = .bytes(nodes6) }
        if !response.values.isEmpty { values[key("values")] = .list(response.values.map { .bytes($0.compactBytes) }) }
        if let token = response.token { values[key("token")] = .bytes(token) }
        return values
    }

    static func key(_ text: String) -> [UInt8] { Array(text.utf8) }
}
