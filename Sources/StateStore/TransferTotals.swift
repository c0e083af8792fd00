/// Payload bytes a torrent has sent and received since it was added, across restarts.
public struct TransferTotals: Equatable, Sendable {
    public var uploaded: Int64
    public var downloaded: Int64

    public init(uploaded: Int64, downloaded: Int64) {
        self.uploaded = uploaded
        self.downloaded = downloaded
    }

    public static let zero = TransferTotals(uploaded: 0, downloaded: 0)
}
