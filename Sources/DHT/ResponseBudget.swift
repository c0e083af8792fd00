/// How large an answer may be: the defence against reflection amplification. An attacker who spoofs a
/// victim's address in small queries must not make this node send the victim more bytes than it sent.
///
/// A source is *verified* when it has proven it receives packets at its address: it answered one of
/// our queries from that exact address (it is in the routing table with a response,
/// `RoutingTable.hasAnswered(from:)`), or the caller knows better (a valid token in an announce).
/// Verified sources get answers up to `DHTLimits.maximumResponseSize`; anyone else gets no more bytes
/// than the query had. Since a node that queries us is usually pinged back and then verified, full
/// answers follow within a round trip; until then a new node gets a shorter list of nodes.
public enum ResponseBudget {
    /// The most bytes an answer to a query of `requestSize` bytes may have.
    public static func limit(requestSize: Int, sourceVerified: Bool) -> Int {
        sourceVerified ? DHTLimits.maximumResponseSize : min(max(0, requestSize), DHTLimits.maximumResponseSize)
    }
}
