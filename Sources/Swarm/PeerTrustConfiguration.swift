/// The hash-failure policy's tunables; the defaults are the named `SwarmSettings` values.
public struct PeerTrustConfiguration: Hashable, Sendable {
    public var gainPerPassedPiece: Int
    public var lossPerFailedPiece: Int
    public var maximumTrust: Int
    /// Trust at or below this bans the peer.
    public var banThreshold: Int
    /// Ban a peer at once when it alone sent a piece that failed.
    public var banSoleContributor: Bool
    /// Failed pieces whose block fingerprints are kept for attribution; the oldest go first.
    public var maximumRememberedFailures: Int

    public init(
        gainPerPassedPiece: Int = SwarmSettings.trustGainPerPassedPiece,
        lossPerFailedPiece: Int = SwarmSettings.trustLossPerFailedPiece,
        maximumTrust: Int = SwarmSettings.maximumTrust,
        banThreshold: Int = SwarmSettings.banTrustThreshold,
        banSoleContributor: Bool = SwarmSettings.banSoleContributor,
        maximumRememberedFailures: Int = SwarmSettings.maximumRememberedFailedPieces
    ) {
        precondition(gainPerPassedPiece >= 0 && lossPerFailedPiece > 0, "failures must cost trust")
        precondition(banThreshold < 0 && maximumTrust >= 0, "a new peer starts at 0, between ban and maximum")
        precondition(maximumRememberedFailures >= 0, "cannot remember a negative number of pieces")
        self.gainPerPassedPiece = gainPerPassedPiece
        self.lossPerFailedPiece = lossPerFailedPiece
        self.maximumTrust = maximumTrust
        self.banThreshold = banThreshold
        self.banSoleContributor = banSoleContributor
        self.maximumRememberedFailures = maximumRememberedFailures
    }
}
