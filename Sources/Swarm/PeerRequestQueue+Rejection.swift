import TorrentModel

extension PeerRequestQueue {
    /// What a BEP 6 `reject request` from the peer turned out to be.
    public enum Rejection: Hashable, Sendable {
        /// An outstanding request was refused: request the block elsewhere.
        case returned(BlockRange)
        /// A request we had already abandoned: nothing to do.
        case alreadyAbandoned
        /// We never asked for this block: BEP 6 says to close the connection.
        case neverRequested
    }
}
