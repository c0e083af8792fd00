import TorrentModel

extension PiecePriority {
    /// Per-piece priorities from per-file ones: a piece takes the highest priority of the files it holds
    /// bytes of, so a wanted file is never cut short by a skipped neighbour sharing its first or last piece
    /// (libtorrent's rule). Pad files and empty files count for nothing. Nil when the counts differ.
    public static func forPieces(
        filePriorities: [PiecePriority], files: FileMap, geometry: PieceGeometry
    ) -> [PiecePriority]? {
        guard filePriorities.count == files.files.count else { return nil }
        var pieces = [PiecePriority](repeating: .skip, count: geometry.pieceCount)
        for (index, file) in files.files.enumerated() where !file.isPadding {
            let priority = filePriorities[index]
            for piece in files.pieces(ofFile: index, in: geometry) where pieces[piece] < priority {
                pieces[piece] = priority
            }
        }
        return pieces
    }
}
