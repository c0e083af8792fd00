import Bencode
import TorrentModel

// Helpers shared by the TorrentModel tests: bytes from text, torrents built from BencodeValue
// literals, and a SHA-1 written here so hashes are checked against code that Shoal does not use.

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The bencoded bytes of `value`.
func encode(_ value: BencodeValue) -> [UInt8] { BencodeEncoder.encode(value) }

/// `count` piece hashes (20 bytes each) that are easy to tell apart: hash `n` is twenty bytes of `n + 1`.
func fakePieceHashes(count: Int) -> [UInt8] {
    (0..<count).flatMap { index in [UInt8](repeating: UInt8(truncatingIfNeeded: index + 1), count: 20) }
}

/// A dictionary value with `key` set to `value`, or removed when `value` is nil.
extension BencodeValue {
    func setting(_ key: String, _ value: BencodeValue?) -> BencodeValue {
        var dictionary = dictionaryValue ?? [:]
        dictionary[utf8(key)] = value
        return .dictionary(dictionary)
    }
}

/// The `info` of a one-file torrent: `length` bytes in pieces of `pieceLength`, with matching fake hashes.
func singleFileInfo(name: String = "file.bin", length: Int64 = 40_000, pieceLength: Int64 = 16_384) -> BencodeValue {
    let pieces = Int((length + pieceLength - 1) / pieceLength)
    return [
        "name": .string(name),
        "length": .integer(length),
        "piece length": .integer(pieceLength),
        "pieces": .bytes(fakePieceHashes(count: pieces)),
    ]
}

/// One entry of a multi-file `files` list.
func fileEntry(_ path: [String], _ length: Int64, padding: Bool = false) -> BencodeValue {
    var entry: BencodeValue = ["length": .integer(length), "path": .list(path.map { .string($0) })]
    if padding { entry = entry.setting("attr", "p") }
    return entry
}

/// The `info` of a multi-file torrent with fake hashes for exactly the pieces the files need.
func multiFileInfo(name: String = "folder", files: [BencodeValue], pieceLength: Int64 = 16_384) -> BencodeValue {
    let total = files.reduce(Int64(0)) { $0 + ($1["length"]?.integerValue ?? 0) }
    let pieces = Int((total + pieceLength - 1) / pieceLength)
    return [
        "name": .string(name),
        "files": .list(files),
        "piece length": .integer(pieceLength),
        "pieces": .bytes(fakePieceHashes(count: pieces)),
    ]
}

/// A whole torrent around `info`; `extra` adds top-level keys such as `announce`.
func torrent(info: BencodeValue, _ extra: [String: BencodeValue] = [:]) -> [UInt8] {
    var root: BencodeValue = ["info": info]
    for (key, value) in extra { root = root.setting(key, value) }
    return encode(root)
}

/// Parses a torrent made of `info` and `extra`.
func parse(info: BencodeValue, _ extra: [String: BencodeValue] = [:]) throws(MetainfoError) -> Metainfo {
    try Metainfo(bytes: torrent(info: info, extra))
}

/// The error `Metainfo(bytes:)` throws, or nil when it accepts the input.
func parseError(_ bytes: [UInt8]) -> MetainfoError? {
    do {
        _ = try Metainfo(bytes: bytes)
        return nil
    } catch {
        return error
    }
}

/// The error parsing a torrent made of `info` throws, or nil when it is accepted.
func parseError(info: BencodeValue, _ extra: [String: BencodeValue] = [:]) -> MetainfoError? {
    parseError(torrent(info: info, extra))
}
