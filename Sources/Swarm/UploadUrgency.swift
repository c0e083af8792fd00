/// When an uploader with a limit takes a peer's request to be due (`UploadQueue`'s `deadline`): when the peer said it
/// needs the piece (`shoal_deadline`). At a seed, though, a piece no other connected peer has and that is due within
/// the queue's horizon counts as due `SwarmSettings.seedOnlyPieceLead` earlier: only the seed can send it, while a
/// piece others have can come from them too (docs/choking-and-requests.md). Pieces due later keep their deadline, so
/// a watcher's read-ahead does not go before newcomers' first segments.
public enum UploadUrgency {
    /// `told`: when the peer said it needs the piece (nil: it did not say, and the result is nil); `holders`: the
    /// connected peers that have the piece; `isSeed`: whether we have every piece.
    public static func due(
        told: ContinuousClock.Instant?, holders: Int, isSeed: Bool, now: ContinuousClock.Instant,
        horizon: Duration = SwarmSettings.uploadDeadlineHorizon, lead: Duration = SwarmSettings.seedOnlyPieceLead
    ) -> ContinuousClock.Instant? {
        guard let told else { return nil }
        return isSeed && holders == 0 && told <= now + horizon ? told - lead : told
    }
}
