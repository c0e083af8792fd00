import Bencode
import TorrentModel

extension KRPCMessage {
    /// Decodes one packet strictly: the keys Shoal uses must be present with the right types and
    /// sizes; unknown keys are skipped (BEP 5 asks for that, so that extensions pass through);
    /// dictionary keys may come in any order (not every client sorts them). Advisory keys (`v`, `ip`)
    /// of the wrong shape are dropped rather than refusing the packet.
    public static func decode(_ packet: [UInt8]) throws(KRPCDecodingError) -> KRPCMessage {
        guard packet.count <= DHTLimits.maximumPacketSize else {
            throw KRPCDecodingError(.packetTooLarge(size: packet.count, limit: DHTLimits.maximumPacketSize))
        }
        let root: BencodeNode
        do {
            root = try BencodeDecoder(maximumDepth: DHTLimits.maximumNestingDepth, requiresSortedKeys: false)
                .decode(packet)
        } catch {
            throw KRPCDecodingError(.bencode(error))
        }
        let top: KRPCFields
        let transactionID: [UInt8]
        let type: [UInt8]
        do throws(KRPCDecodingError.Reason) {
            top = try KRPCFields(root, path: "")
            transactionID = try top.requiredBytes("t")
            guard (1...DHTLimits.maximumTransactionIDLength).contains(transactionID.count) else {
                throw .badLength(
                    key: "t", length: transactionID.count, expected: "1...\(DHTLimits.maximumTransactionIDLength)")
            }
            type = try top.requiredBytes("y")
        } catch {
            throw KRPCDecodingError(error)
        }
        let isQuery = type == [UInt8(ascii: "q")]
        do throws(KRPCDecodingError.Reason) {
            let kind: Kind
            switch type {
            case [UInt8(ascii: "q")]: kind = .query(try decodeQuery(top))
            case [UInt8(ascii: "r")]: kind = .response(try decodeResponse(top.dictionary("r")))
            case [UInt8(ascii: "e")]: kind = .error(try decodeError(top))
            default: throw KRPCDecodingError.Reason.unknownMessageType(type)
            }
            var version = top.optionalBytes("v")
            if let bytes = version, bytes.count > DHTLimits.maximumVersionLength { version = nil }
            let readOnly = (try? top.integer("ro")) == 1
            let requester = top.optionalBytes("ip").flatMap { DHTEndpoint(compact: $0) }
            return KRPCMessage(
                transactionID: transactionID, kind: kind, version: version, readOnly: readOnly,
                requesterAddress: requester)
        } catch {
            throw KRPCDecodingError(error, transactionID: transactionID, isQuery: isQuery)
        }
    }

    private static func decodeQuery(_ top: KRPCFields) throws(KRPCDecodingError.Reason) -> KRPCQuery {
        let nameBytes = try top.requiredBytes("q")
        let arguments = try top.dictionary("a")
        let senderID = try arguments.id("id")
        let method: KRPCQuery.Method
        switch nameBytes {
        case Array("ping".utf8):
            method = .ping
        case Array("find_node".utf8):
            method = .findNode(target: try arguments.id("target"))
        case Array("get_peers".utf8):
            method = .getPeers(infoHash: InfoHash(try arguments.id("info_hash")))
        case Array("announce_peer".utf8):
            let infoHash = InfoHash(try arguments.id("info_hash"))
            let impliedPort = try arguments.flag("implied_port")
            guard let port = try arguments.integer("port") else { throw .missingKey("a.port") }
            // With implied_port the UDP source port is used, and `port` may hold anything sane.
            let allowed: ClosedRange<Int64> = impliedPort ? 0...65_535 : 1...65_535
            guard allowed.contains(port) else { throw .badValue(key: "a.port", value: port) }
            let token = try arguments.requiredBytes("token")
            guard (1...DHTLimits.maximumTokenLength).contains(token.count) else {
                throw .badLength(key: "a.token", length: token.count, expected: "1...\(DHTLimits.maximumTokenLength)")
            }
            method = .announcePeer(
                infoHash: infoHash, port: UInt16(port), impliedPort: impliedPort, token: token,
                seed: try arguments.flag("seed"))
        default:
            throw .unknownMethod(KRPCDecodingError.show(nameBytes))
        }
        var want: Set<DHTEndpoint.Family> = []
        for element in try arguments.list("want") ?? [] {
            guard case .bytes(let name) = element.content else {
                throw .wrongType(key: "a.want", expected: "a list of byte strings")
            }
            // Unknown families are skipped: a later BEP may add some.
            if name == Array("n4".utf8) { want.insert(.ipv4) }
            if name == Array("n6".utf8) { want.insert(.ipv6) }
        }
        return KRPCQuery(senderID: senderID, method: method, want: want)
    }

    private static func decodeResponse(_ values: KRPCFields) throws(KRPCDecodingError.Reason) -> KRPCResponse {
        let senderID = try values.id("id")
        var nodes: [CompactNodeInfo] = []
        if let bytes = try values.bytes("nodes") {
            nodes += try CompactNodeInfo.decodeList(bytes, family: .ipv4, key: "r.nodes")
        }
        if let bytes = try values.bytes("nodes6") {
            nodes += try CompactNodeInfo.decodeList(bytes, family: .ipv6, key: "r.nodes6")
        }
        var peers: [DHTEndpoint] = []
        for element in try values.list("values") ?? [] {
            guard case .bytes(let bytes) = element.content else {
                throw .wrongType(key: "r.values", expected: "a list of byte strings")
            }
            guard let peer = DHTEndpoint(compact: bytes) else {
                throw .badLength(key: "r.values", length: bytes.count, expected: "6 or 18")
            }
            peers.append(peer)
        }
        let token = try values.bytes("token")
        if let token, !(1...DHTLimits.maximumTokenLength).contains(token.count) {
            throw .badLength(key: "r.token", length: token.count, expected: "1...\(DHTLimits.maximumTokenLength)")
        }
        return KRPCResponse(senderID: senderID, nodes: nodes, values: peers, token: token)
    }

    private static func decodeError(_ top: KRPCFields) throws(KRPCDecodingError.Reason) -> KRPCErrorMessage {
        guard let list = try top.list("e") else { throw .missingKey("e") }
        guard list.count == 2, case .integer(let code) = list[0].content, case .bytes(let text) = list[1].content,
            let code = Int(exactly: code)
        else { throw .malformedError }
        let message = String(decoding: text.prefix(DHTLimits.maximumErrorMessageLength), as: UTF8.self)
        return KRPCErrorMessage(code: code, message: message)
    }
}

extension InfoHash {
    /// The infohash with the same 20 bytes as `id`.
    init(_ id: NodeID) {
        self = InfoHash(bytes: id.bytes)!
    }
}

extension NodeID {
    /// The ID with the same 20 bytes as `infoHash`: the target of a `get_peers` lookup.
    public init(_ infoHash: InfoHash) {
        self = NodeID(bytes: infoHash.bytes)!
    }
}
