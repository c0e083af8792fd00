import Bencode
import PieceStorage
import TestSupport
import TorrentModel

/// A torrent built in memory from seeded random files, with its whole byte stream (pad files as zeros).
struct TorrentFixture {
    let metainfo: Metainfo
    let stream: [UInt8]

    /// `fileLengths` one entry per file; more than one makes a multi-file torrent, padded when `aligned`;
    /// `isPrivate` sets BEP 27's `private` flag.
    init(
        fileLengths: [Int], pieceLength: Int = 16 * 1024, aligned: Bool = false, isPrivate: Bool = false, seed: UInt64
    ) throws {
        var random = SeededRandom(seed: seed)
        let sources = fileLengths.enumerated().map { index, length in
            TorrentLayout.Source(path: ["dir", "file\(index).bin"], length: Int64(length))
        }
        let multiFile = fileLengths.count > 1
        let files =
            multiFile
            ? TorrentLayout.place(sources, pieceLength: pieceLength, alignToPieces: aligned)
            : [TorrentFile(path: ["single.bin"], length: Int64(fileLengths[0]), offset: 0, isPadding: false)]
        var stream: [UInt8] = []
        for file in files {
            stream +=
                file.isPadding ? [UInt8](repeating: 0, count: Int(file.length)) : random.bytes(count: Int(file.length))
        }
        var hashes: [UInt8] = []
        for start in stride(from: 0, to: stream.count, by: pieceLength) {
            hashes += ReferenceSHA1.hash(Array(stream[start..<min(start + pieceLength, stream.count)]))
        }
        let info = MetainfoWriter.info(
            name: multiFile ? "fixture" : "single.bin", files: files, isMultiFile: multiFile, pieceLength: pieceLength,
            pieceHashes: hashes, isPrivate: isPrivate)
        metainfo = try Metainfo(bytes: MetainfoWriter.torrent(info: info, options: TorrentOptions()))
        self.stream = stream
    }

    /// The bytes data file `index` must end up holding.
    func contents(ofFile index: Int) -> [UInt8] {
        let file = metainfo.files[index]
        return Array(stream[Int(file.offset)..<Int(file.offset + file.length)])
    }

    /// A store holding every piece, verified.
    func seedStore() async throws -> MemoryStorage {
        let store = MemoryStorage(
            metainfo: metainfo, completion: MemoryCompletionState(pieceCount: metainfo.pieceCount), stream: stream)
        try await store.prepare()
        _ = try await store.recheck()
        return store
    }

    /// An empty store.
    func emptyStore() async throws -> MemoryStorage {
        let store = MemoryStorage(
            metainfo: metainfo, completion: MemoryCompletionState(pieceCount: metainfo.pieceCount))
        try await store.prepare()
        return store
    }
}
