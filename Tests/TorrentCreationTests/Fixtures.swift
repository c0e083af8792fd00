import Foundation
import Glibc
import Testing
import TorrentCreation
import TorrentModel

// Helpers for the creation tests: throw-away folders on disk, reproducible file contents, and a SHA-1
// written here (the same as in TorrentModelTests) so piece hashes are checked against code Shoal does not use.

/// A fresh folder under /tmp, removed with everything in it when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/shoal-creation-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relative` inside the folder.
    func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes `bytes` to `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = url(relative)
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func makeFolder(_ relative: String) throws -> String {
        try FileManager.default.createDirectory(atPath: url(relative), withIntermediateDirectories: true)
        return url(relative)
    }

    /// A symbolic link at `relative` whose target is `destination`, exactly as given.
    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(relative), withDestinationPath: destination)
    }

    func fifo(_ relative: String) throws {
        guard mkfifo(url(relative), 0o644) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}

/// `count` reproducible pseudo-random bytes; different seeds give different contents.
func content(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        let word = random.next()
        for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count {
            bytes.append(UInt8(truncatingIfNeeded: word >> shift))
        }
    }
    return bytes
}

/// The piece hashes of `stream` cut into pieces of `pieceLength`, computed with `ReferenceSHA1`.
func referencePieceHashes(_ stream: [UInt8], pieceLength: Int) -> [UInt8] {
    stride(from: 0, to: stream.count, by: pieceLength).flatMap { start in
        ReferenceSHA1.hash(Array(stream[start..<min(stream.count, start + pieceLength)]))
    }
}

/// Scans and hashes `path` with `TorrentCreator`.
func create(
    _ path: String, pieceLength: Int? = nil, alignFiles: Bool = false, options: TorrentOptions = TorrentOptions(),
    threads: Int = 2, progress: ProgressCounter? = nil
) throws(CreationError) -> CreatedTorrent {
    let creator = TorrentCreator(
        CreationRequest(
            path: path, pieceLength: pieceLength, alignFiles: alignFiles, options: options, threadCount: threads))
    return try creator.create(from: creator.scan(), progress: progress)
}

/// The error scanning `path` throws, or nil when it succeeds.
func scanError(_ path: String) -> CreationError? {
    do {
        _ = try ContentScanner.scan(path: path)
        return nil
    } catch {
        return error
    }
}

/// SplitMix64 (Steele, Lea and Flood): a tiny seeded generator for reproducible contents.
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

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
