extension SwarmSettings {
    /// A seed refuses pieces others have only while its queued uploads take at least this long to send
    /// (`SeedRequestDeferral`): with a short queue, serving costs the swarm nothing.
    public static let seedDeferralBusyDelay: Duration = .milliseconds(500)
    /// A peer refused a piece by a busy seed gets it when it asks again this long after the first refusal.
    public static let seedDeferralGrace: Duration = .seconds(3)
    /// A piece a busy seed sent a block of to one peer this recently counts as on its way into the swarm: other
    /// askers are refused it as if that peer had it.
    public static let seedDeferralInFlightWindow: Duration = .seconds(2)
    /// After a `reject request`, the piece is not asked of that peer again for this long: asking at once
    /// would get the same answer.
    public static let rejectedPieceBackoff: Duration = .seconds(1)
}

extension SwarmSettings {
    /// With an upload limit, a request waiting this long is served before lower pieces (`UploadQueue`).
    public static let uploadQueueMaximumWait: Duration = .seconds(3)
    /// With an upload limit, requests are handed to the sockets only while the blocks already handed over take
    /// less than this to send (at least `uploadReleaseMinimumBlocks`): the rest wait in the `UploadQueue`, where
    /// the most urgent go first.
    public static let uploadReleaseAhead: Duration = .milliseconds(200)
    public static let uploadReleaseMinimumBlocks = 4
}
