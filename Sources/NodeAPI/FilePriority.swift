/// File priorities of the control API: one small integer per file. 0 skips the file (its pieces are
/// not fetched unless a neighbouring file shares them); 1 to 7 fetch it, higher first.
public enum FilePriority {
    /// Do not download.
    public static let skip = 0
    public static let low = 1
    /// What every file gets when added.
    public static let normal = 4
    public static let high = 7
    /// Every value the API accepts.
    public static let allowed = 0...7

    /// Checks a full list of priorities for a torrent with `fileCount` data files (pad files left out):
    /// the count must match and each value must be in ``allowed``.
    public static func validate(_ priorities: [Int], fileCount: Int) throws(NodeControlError) {
        guard priorities.count == fileCount else {
            throw .invalidInput(
                "got \(priorities.count) file priorities for a torrent of \(fileCount) files: give one per file")
        }
        if let index = priorities.firstIndex(where: { !allowed.contains($0) }) {
            throw .invalidInput(
                "file priority \(priorities[index]) (file \(index)) is out of range: use 0 (skip) to 7 (high)")
        }
    }
}
