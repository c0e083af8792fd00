/// One KRPC packet (BEP 5): a query, a response or an error, with the transaction id that pairs a
/// response with its query, and the optional top-level keys `v` (client version, BEP 5), `ro`
/// (read-only node, BEP 43) and `ip` (the requester's address as the responder sees it, BEP 42).
public struct KRPCMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case query(KRPCQuery)
        case response(KRPCResponse)
        case error(KRPCErrorMessage)
    }

    /// `t`: chosen by the querier, echoed by the responder. 1 to `DHTLimits.maximumTransactionIDLength` bytes.
    public var transactionID: [UInt8]
    public var kind: Kind
    /// `v`: a client version, 2 letters and 2 version bytes by convention. Advisory.
    public var version: [UInt8]?
    /// `ro` = 1 on queries from a node that answers no queries (BEP 43): it must not enter routing tables.
    public var readOnly: Bool
    /// `ip` on responses: the compact address the requester was seen from (BEP 42).
    public var requesterAddress: DHTEndpoint?

    public init(
        transactionID: [UInt8], kind: Kind, version: [UInt8]? = nil, readOnly: Bool = false,
        requesterAddress: DHTEndpoint? = nil
    ) {
        self.transactionID = transactionID
        self.kind = kind
        self.version = version
        self.readOnly = readOnly
        self.requesterAddress = requesterAddress
    }

    public var query: KRPCQuery? {
        if case .query(let query) = kind { return query }
        return nil
    }

    public var response: KRPCResponse? {
        if case .response(let response) = kind { return response }
        return nil
    }

    public var error: KRPCErrorMessage? {
        if case .error(let error) = kind { return error }
        return nil
    }
}
