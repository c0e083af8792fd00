import Foundation
import Glibc
import PieceStorage
import TestSupport
import Testing
import TorrentModel

// Helpers for the storage tests: torrents with known contents built from bencode written here,
// piece hashes from `ReferenceSHA1`, and folders on disk to inspect.

/// One file of a test torrent.
struct FileSpec {
    var path: [String]
    var length: Int
    var isPadding = false

    static func file(_ path: String, _ length: Int) -> FileSpec {
        FileSpec(path: path.split(separator: "/").map(String.init), length: length)
    }

    static func pad(_ length: Int) -> FileSpec {
        FileSpec(path: [".pad", String(length)], length: length, isPadding: true)
    }
}

/// A torrent whose every byte is known: reproducible random data, zeros for pad files.
struct TorrentFixture {
    let metainfo: Metainfo
    /// The whole byte stream, pad files included.
    let stream: [UInt8]

    /// A multi-file torrent named `name`.
    init(name: String = "show", pieceLength: Int, files: [FileSpec], seed: UInt64 = 1) throws {
        var random = SeededRandom(seed: seed)
        var stream: [UInt8] = []
        for file in files {
            stream += file.isPadding ? [UInt8](repeating: 0, count: file.length) : random.bytes(count: file.length)
        }
        let entries: [Bencoded] = files.map { file in
            var entry: [(String, Bencoded)] = []
            if file.isPadding { entry.append(("attr", .text("p"))) }
            entry.append(("length", .integer(file.length)))
            entry.append(("path", .list(file.path.map { .text($0) })))
            return .dictionary(entry)
        }
        let info: Bencoded = .dictionary([
            ("files", .list(entries)), ("name", .text(name)), ("piece length", .integer(pieceLength)),
            ("pieces", .bytes(Self.hashes(stream, pieceLength: pieceLength))),
        ])
        self.metainfo = try Metainfo(infoBytes: info.encoded)
        self.stream = stream
    }

    /// A single-file torrent: the file is `name` itself.
    init(singleFileNamed name: String, pieceLength: Int, length: Int, seed: UInt64 = 1) throws {
        var random = SeededRandom(seed: seed)
        let stream = random.bytes(count: length)
        let info: Bencoded = .dictionary([
            ("length", .integer(length)), ("name", .text(name)), ("piece length", .integer(pieceLength)),
            ("pieces", .bytes(Self.hashes(stream, pieceLength: pieceLength))),
        ])
        self.metainfo = try Metainfo(infoBytes: info.encoded)
        self.stream = stream
    }

    var pieceCount: Int { metainfo.pieceCount }
    var pieceLength: Int { metainfo.pieceLength }

    func piece(_ index: Int) -> [UInt8] {
        let start = index * pieceLength
        return Array(stream[start..<min(start + pieceLength, stream.count)])
    }

    /// The bytes file `index` must hold once complete.
    func contents(ofFile index: Int) -> [UInt8] {
        let file = metainfo.files[index]
        return Array(stream[Int(file.offset)..<Int(file.offset + file.length)])
    }

    func fileIndex(_ path: String) -> Int {
        metainfo.files.firstIndex { $0.pathString == path }!
    }

    /// The pieces that hold any byte of the file at `path`.
    func pieces(ofFile path: String) -> Range<Int> {
        FileMap(files: metainfo.files).pieces(ofFile: fileIndex(path), in: metainfo.geometry)
    }

    private static func hashes(_ stream: [UInt8], pieceLength: Int) -> [UInt8] {
        stride(from: 0, to: stream.count, by: pieceLength).flatMap { start in
            ReferenceSHA1.hash(Array(stream[start..<min(start + pieceLength, stream.count)]))
        }
    }
}

/// Just enough bencode to write `info` dictionaries (keys given in sorted order).
indirect enum Bencoded {
    case integer(Int)
    case bytes([UInt8])
    case list([Bencoded])
    case dictionary([(String, Bencoded)])

    static func text(_ string: String) -> Bencoded { .bytes(Array(string.utf8)) }

    var encoded: [UInt8] {
        switch self {
        case .integer(let value): return Array("i\(value)e".utf8)
        case .bytes(let bytes): return Array("\(bytes.count):".utf8) + bytes
        case .list(let items): return [UInt8(ascii: "l")] + items.flatMap(\.encoded) + [UInt8(ascii: "e")]
        case .dictionary(let pairs):
            return [UInt8(ascii: "d")] + pairs.flatMap { Bencoded.text($0.0).encoded + $0.1.encoded }
                + [UInt8(ascii: "e")]
        }
    }
}

/// One pool for all tests, as one node would have.
let sharedPool = StorageThreadPool(threadCount: 4)

/// A disk store for `fixture` in a new save folder, with in-memory completion.
func makeFileStorage(
    _ fixture: TorrentFixture, in folder: TemporaryDirectory, settings: StorageSettings = StorageSettings()
) -> FileStorage {
    FileStorage(
        metainfo: fixture.metainfo, saveFolder: folder.path,
        completion: MemoryCompletionState(pieceCount: fixture.pieceCount), pool: sharedPool, settings: settings)
}

/// The whole content of a file on disk, or nil when there is none.
func diskContents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

/// `stat` of a path without following links.
func fileStatus(_ path: String) -> stat? {
    var info = stat()
    return lstat(path, &info) == 0 ? info : nil
}

/// Overwrites bytes of a file in place.
func patch(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    handle.write(Data(bytes))
}

/// Every path below `folder`, relative to it, sorted.
func listing(_ folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
}

/// Runs an async storage call and returns its error (failing the test when it does not throw).
func storageError<T>(_ body: () async throws(StorageError) -> T) async -> StorageError? {
    do {
        let value = try await body()
        Issue.record("expected a StorageError, got \(value)")
        return nil
    } catch {
        return error
    }
}
