extension SwarmSettings {
    /// Trust a peer gains for each verified piece it sent blocks of.
    public static let trustGainPerPassedPiece = 1
    /// Trust a peer loses for each piece that failed its hash check and that it sent blocks of.
    public static let trustLossPerFailedPiece = 2
    /// Trust never grows beyond this, so old good behaviour cannot hide many new failures.
    public static let maximumTrust = 8
    /// A peer whose trust falls to this value or lower is banned: a new peer at its fourth failed piece.
    public static let banTrustThreshold = -7
    /// A peer that alone sent every block of a failed piece is banned at once (libtorrent does the same).
    public static let banSoleContributor = true
    /// How many failed pieces keep their per-block fingerprints for block-level attribution.
    public static let maximumRememberedFailedPieces = 64
}
