/// The part of one file that a range of the torrent's byte stream covers.
public struct FileSlice: Hashable, Sendable {
    /// Index into the torrent's `files`, pad files included.
    public var fileIndex: Int
    /// Where the slice starts inside the file.
    public var offsetInFile: Int64
    public var length: Int64
    /// Where the slice starts inside the range it was cut from.
    public var offsetInRange: Int64

    public init(fileIndex: Int, offsetInFile: Int64, length: Int64, offsetInRange: Int64) {
        self.fileIndex = fileIndex
        self.offsetInFile = offsetInFile
        self.length = length
        self.offsetInRange = offsetInRange
    }
}

/// Maps ranges of the byte stream to the files that hold them, in O(log n) per lookup.
public struct FileMap: Sendable {
    public let files: [TorrentFile]

    public init(files: [TorrentFile]) {
        self.files = files
    }

    /// The slices of the files (empty files skipped) that together hold `range`, in order.
    public func slices(for range: Range<Int64>) -> [FileSlice] {
        guard !range.isEmpty else { return [] }
        var slices: [FileSlice] = []
        var index = firstFile(containing: range.lowerBound)
        while index < files.count && files[index].offset < range.upperBound {
            let file = files[index]
            let start = max(file.offset, range.lowerBound)
            let end = min(file.offset + file.length, range.upperBound)
            if end > start {
                slices.append(
                    FileSlice(
                        fileIndex: index, offsetInFile: start - file.offset, length: end - start,
                        offsetInRange: start - range.lowerBound))
            }
            index += 1
        }
        return slices
    }

    /// The slices that hold one piece of `geometry`.
    public func slices(ofPiece index: Int, in geometry: PieceGeometry) -> [FileSlice] {
        slices(for: geometry.byteRange(ofPiece: index))
    }

    /// The pieces holding any byte of file `index` (none for an empty file).
    public func pieces(ofFile index: Int, in geometry: PieceGeometry) -> Range<Int> {
        geometry.pieces(covering: files[index].byteRange)
    }

    /// Binary search for the first file whose range ends after `offset`.
    private func firstFile(containing offset: Int64) -> Int {
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if files[middle].offset + files[middle].length <= offset {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
