extension SwarmSettings {
    /// A seed refuses pieces others have only while its queued uploads take at least this long to send
    /// (`SeedRequestDeferral`): with a short queue, serving costs the swarm nothing.
    public static let seedDeferralBusyDelay: Duration = .milliseconds(500)
    /// A peer refused a piece by a busy seed gets it when it asks again this long after the first refusal.
    public static let seedDeferralGrace: Duration = .seconds(3)
    /// A piece a busy seed sent a block of to one peer this recently counts as on its way into the swarm: other
    /// askers are refused it as if that peer had it.
    public static let seedDeferralInFlightWindow: Duration = .seconds(2)
    /// ... but not to a watcher that said it needs the piece within this long (the upload queue's deadline horizon):
    /// the peer it is on its way to may need it later, and get it a block at a time between more urgent requests. In
    /// the streaming benchmark the watcher in front, refused so, waited 3 s and more for a watcher behind it and
    /// stalled; twelve rounds: stall time down by a third (docs/benchmarks.md).
    public static let seedDeferralInFlightDueSoon: Duration = uploadDeadlineHorizon
    /// A busy seed refuses a piece others have to at most this many peers per peer that has it. In the streaming
    /// benchmark, with no bound a burst of newcomers asked the one watcher ahead of them for their first segments
    /// and stalled; 2 roughly halved the misses and the stall time (docs/benchmarks.md).
    public static let seedDeferralAskersPerHolder = 2
    /// A busy seed sends a watcher a piece nobody has only within this many bytes past the first piece nobody has
    /// (`SeedRequestDeferral.shouldHoldBack`; at least `seedNewPieceWindowMinimumPieces`): about 5 s of video at the
    /// streaming benchmark's 1.7 Mbit/s. 448 KiB there (2 s) left the offload where it was; 896 KiB and 1.75 MiB
    /// raised it.
    public static let seedNewPieceWindowBytes = 1 << 20
    public static let seedNewPieceWindowMinimumPieces = 4
    /// `seedNewPieceWindowBytes` in pieces of `pieceLength` bytes.
    public static func seedNewPieceWindow(pieceLength: Int) -> Int {
        max(seedNewPieceWindowMinimumPieces, seedNewPieceWindowBytes / max(1, pieceLength))
    }
    /// A watcher that said it needs a piece within this long gets it from a busy seed wherever the piece lies.
    public static let seedNewPieceDueSoon: Duration = .seconds(6)
    /// After a `reject request`, the piece is not asked of that peer again for this long: asking at once
    /// would get the same answer.
    public static let rejectedPieceBackoff: Duration = .seconds(1)
}

extension SwarmSettings {
    /// With an upload limit, a request waiting this long is served before lower pieces (`UploadQueue`).
    public static let uploadQueueMaximumWait: Duration = .seconds(3)
    /// With an upload limit, requests for pieces their peer said are due within this long (`shoal_deadline`) are
    /// served first, the earliest due first (`UploadQueue`): a newcomer's first segment, and a watcher about to
    /// stall. In the streaming benchmark 2 s halved startup and kept the stall ratio; 4 s and 8 s took so much from
    /// the watchers a little further ahead that they stalled in turn (docs/benchmarks.md).
    public static let uploadDeadlineHorizon: Duration = .seconds(2)
    /// At a seed, a request for a piece no other connected peer has, due within `uploadDeadlineHorizon`, counts as
    /// due this much earlier (`UploadUrgency`). In the streaming benchmark's burst of newcomers the watcher in front
    /// waited behind their first segments, which it could send them itself, and stalled; with 1 s, twelve rounds had
    /// 2 stalls against 8 (docs/benchmarks.md). Moving read-ahead pieces up too made the newcomers stall instead.
    public static let seedOnlyPieceLead: Duration = .seconds(1)
    /// Between choker rounds, an uploader unchokes at most this many choked peers that told it (`shoal_deadline`) they
    /// need a piece it has within `uploadDeadlineHorizon`, and a watcher tells the peers that have such a piece and
    /// choke it (docs/choking-and-requests.md). In the streaming benchmark a watcher in the middle of the pack stalled
    /// on a segment most watchers had had for seconds: of the peers unchoking it, one had it, sending a block at a
    /// time at a sixth of its upload (docs/benchmarks.md).
    public static let deadlineRescueSlots = 2
    /// A watcher tells a choking peer about at most this many of its due pieces at a time.
    public static let deadlineRescuePieces = 32
    /// A piece's deadline is told to a peer again only when it moved by more than this.
    public static let deadlineRetellTolerance: Duration = .milliseconds(500)
    /// With an upload limit, requests are handed to the sockets only while the blocks already handed over take
    /// less than this to send (at least `uploadReleaseMinimumBlocks`): the rest wait in the `UploadQueue`, where
    /// the most urgent go first, and where a peer's `cancel` still finds them. A block handed over is sent even
    /// if cancelled: in the streaming benchmark, with 200 ms and 4 blocks, the cancels of duplicate requests came
    /// too late for 14% of what watchers sent in the first 16 s (blocks the asker then had twice, a median 0.1 s
    /// apart); 100 ms and 2 blocks cut that to 11% (4% later on) and the stalls by a fifth (docs/benchmarks.md).
    public static let uploadReleaseAhead: Duration = .milliseconds(100)
    public static let uploadReleaseMinimumBlocks = 2
}
