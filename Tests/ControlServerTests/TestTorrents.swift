import TorrentModel

/// A valid multi-file .torrent with the given file lengths (fake piece hashes: parsing never checks data).
func makeTorrent(name: String = "clip", fileLengths: [Int64] = [40_000, 10_000], pieceLength: Int = 16_384) -> [UInt8] {
    var files: [TorrentFile] = []
    var offset: Int64 = 0
    for (index, length) in fileLengths.enumerated() {
        files.append(TorrentFile(path: ["part\(index).bin"], length: length, offset: offset))
        offset += length
    }
    let pieceCount = Int((offset + Int64(pieceLength) - 1) / Int64(pieceLength))
    let hashes = (0..<pieceCount).flatMap { [UInt8](repeating: UInt8(truncatingIfNeeded: $0 + 1), count: 20) }
    let info = MetainfoWriter.info(
        name: name, files: files, isMultiFile: true, pieceLength: pieceLength, pieceHashes: hashes, isPrivate: false)
    return MetainfoWriter.torrent(info: info, options: TorrentOptions())
}

/// An infohash of 40 hex digits (the text is trusted).
func hash(_ hex: String) -> InfoHash { InfoHash(hex)! }
