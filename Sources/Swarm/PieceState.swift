/// Where one piece stands in our download.
public enum PieceState: UInt8, Hashable, Sendable {
    /// Not had and nothing of it is requested or received (a failed piece comes back here).
    case missing
    /// Some blocks are requested or received, not all received.
    case downloading
    /// Every block received; waiting for the engine to check its hash.
    case complete
    /// Verified and stored.
    case had
}
