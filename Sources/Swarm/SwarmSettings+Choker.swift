extension SwarmSettings {
    /// Regular (tit-for-tat) upload slots per torrent.
    public static let regularUnchokeSlots = 4
    /// The choker re-evaluates who is unchoked this often.
    public static let rechokeInterval: Duration = .seconds(10)
    /// The optimistic unchoke moves to another peer this often (every third round).
    public static let optimisticUnchokeInterval: Duration = .seconds(30)
    /// A peer connected for less than this counts as new for the optimistic draw.
    public static let newPeerWindow: Duration = .seconds(60)
    /// New peers are this many times as likely to win the optimistic draw (BitTorrent spec, libtorrent).
    public static let newPeerOptimisticWeight = 3
    /// Upload slots beyond the regular and optimistic ones that a newcomer (`newcomerShare`) gets at once when it
    /// becomes interested, until the next choker round decides.
    public static let newcomerUnchokeSlots = 2
    /// A peer with less than this share of the pieces counts as a newcomer.
    public static let newcomerShare = 0.05
    /// While seeding round robin, a peer keeps a regular slot this long before a waiting peer may take it.
    public static let seedingTurnDuration: Duration = .seconds(30)
}
