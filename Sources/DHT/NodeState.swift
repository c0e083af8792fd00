/// How much a routing-table node is trusted (BEP 5).
public enum NodeState: Hashable, Sendable {
    /// Answered one of our queries within the freshness period, or answered once and has queried us
    /// within it; no unanswered query since.
    case good
    /// Not heard from within the freshness period, never answered (restored from a snapshot), or one
    /// query unanswered: worth a ping before trusting or dropping it.
    case questionable
    /// Left `DHTLimits.maximumNodeFailures` queries in a row unanswered: first to be replaced.
    case bad
}
