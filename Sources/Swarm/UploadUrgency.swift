/// How much earlier than its peer said (`shoal_deadline`) an uploader with a limit takes a request due within its
/// upload queue's horizon to be due (`UploadQueue`'s `lead`). At a seed, a piece no other connected peer has counts as
/// due `SwarmSettings.seedOnlyPieceLead` earlier: only the seed can send it, while a piece others have can come from
/// them too (docs/choking-and-requests.md). Pieces due beyond the horizon are not moved up, so a watcher's read-ahead
/// does not go before newcomers' first segments.
public enum UploadUrgency {
    /// `holders`: the connected peers that have the piece; `isSeed`: whether we have every piece.
    public static func lead(
        holders: Int, isSeed: Bool, seedOnlyLead: Duration = SwarmSettings.seedOnlyPieceLead
    ) -> Duration {
        isSeed && holders == 0 ? seedOnlyLead : .zero
    }
}
