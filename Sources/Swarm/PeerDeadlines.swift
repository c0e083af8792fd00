/// When pieces are due for one peer, as it told us (`shoal_deadline`) or as we told it: the uploader orders its
/// queue by them (`UploadQueue`), the downloader tells each deadline once. Bounded: a peer cannot make us keep
/// more than `capacity` entries.
public struct PeerDeadlines: Sendable {
    public static let defaultCapacity = 512

    public let capacity: Int
    private var dueAt: [Int: ContinuousClock.Instant] = [:]

    public init(capacity: Int = Self.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { dueAt.count }

    public func deadline(ofPiece piece: Int) -> ContinuousClock.Instant? { dueAt[piece] }

    /// The piece due first (the lower one on a tie): about where the peer plays. O(n).
    public var pieceDueFirst: Int? {
        dueAt.min { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }

    /// Records the piece's deadline. When full, the entry due last makes room (the one needed least soon).
    public mutating func record(_ deadline: ContinuousClock.Instant, forPiece piece: Int) {
        if dueAt[piece] == nil, dueAt.count >= capacity, let latest = dueAt.max(by: { $0.value < $1.value }) {
            guard latest.value > deadline else { return }
            dueAt[latest.key] = nil
        }
        dueAt[piece] = deadline
    }

    public mutating func remove(piece: Int) { dueAt[piece] = nil }

    /// Whether a piece `include` accepts is due within `interval`. O(n).
    public func hasPiece(dueWithin interval: ClosedRange<ContinuousClock.Instant>, where include: (Int) -> Bool) -> Bool
    {
        dueAt.contains { interval.contains($0.value) && include($0.key) }
    }

    /// Whether `deadline` is news for this record: none is recorded for the piece, or one more than `tolerance` off.
    public func isNews(_ deadline: ContinuousClock.Instant, forPiece piece: Int, tolerance: Duration) -> Bool {
        guard let recorded = dueAt[piece] else { return true }
        return recorded > deadline + tolerance || deadline > recorded + tolerance
    }
}
