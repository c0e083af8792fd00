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

/// A plain FIPS 180-4 SHA-1, independent of swift-crypto, to check the hashes Shoal computes.
enum ReferenceSHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> shift))
        }

        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for t in 0..<16 {
                let i = chunk + t * 4
                w[t] =
                    UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16 | UInt32(padded[i + 2]) << 8
                    | UInt32(padded[i + 3])
            }
            for t in 16..<80 { w[t] = rotate(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch t {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = rotate(a, 5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, rotate(b, 30), a, temp)
            }
            h[0] &+= a
            h[1] &+= b
            h[2] &+= c
            h[3] &+= d
            h[4] &+= e
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        value << count | value >> (32 - count)
    }
}

/// Lowercase hex written here, not with `Hex`, for expected values.
func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// SplitMix64 (Steele, Lea and Flood): a tiny seeded generator, so every run sees the same "random" inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextByte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    /// A number in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
