extension SwarmSettings {
    /// Tunables of the piece picker. `standard` is what the engine uses; tests switch single rules off.
    public struct Picker: Hashable, Sendable {
        /// While fewer pieces than this are had, open pieces are picked at random instead of rarest-first:
        /// a new peer needs some complete piece to trade quickly, and the rarest pieces are the slowest
        /// to get (few peers have them).
        public var randomFirstPieces: Int
        /// In endgame, the most peers one block is requested from at once (the first request included).
        public var endgameRequestsPerBlock: Int
        /// For a piece whose deadline is before the `urgentBefore` of a pick, the most peers one block is
        /// requested from at once, so one slow peer cannot stall playback.
        public var urgentRequestsPerBlock: Int

        public init(randomFirstPieces: Int, endgameRequestsPerBlock: Int, urgentRequestsPerBlock: Int) {
            precondition(randomFirstPieces >= 0 && endgameRequestsPerBlock >= 1 && urgentRequestsPerBlock >= 1)
            self.randomFirstPieces = randomFirstPieces
            self.endgameRequestsPerBlock = endgameRequestsPerBlock
            self.urgentRequestsPerBlock = urgentRequestsPerBlock
        }

        /// libtorrent uses 4 random first pieces too; two requests per block bounds the wasted bandwidth
        /// of duplicates to one extra copy.
        public static let standard = Picker(randomFirstPieces: 4, endgameRequestsPerBlock: 2, urgentRequestsPerBlock: 2)
    }
}
