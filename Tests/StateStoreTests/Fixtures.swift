import Foundation
import StateStore
import TestSupport
import TorrentModel

// Helpers for the state store tests: a fresh folder per test, stores opened in it, and records
// whose every field is set to something other than its default.

/// A temporary folder holding one database file, removed when the value goes away.
final class StoreFolder {
    let folder: TemporaryDirectory
    let path: String

    init(file: String = "shoal.sqlite") throws {
        folder = try TemporaryDirectory(prefix: "shoal-state")
        path = folder.url.appendingPathComponent(file).path
    }

    func open() throws -> StateStore { try StateStore(path: path) }
}

/// An infohash whose 20 bytes are all `byte`.
func infoHash(_ byte: UInt8) -> InfoHash {
    InfoHash(bytes: [UInt8](repeating: byte, count: InfoHash.byteCount))!
}

/// Whole seconds, so the REAL column gives back exactly the same `Date`.
func date(_ secondsSince1970: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(secondsSince1970))
}

/// A torrent added from a .torrent file, every field set.
func fullRecord(_ byte: UInt8 = 1, queuePosition: Int = 3) -> TorrentRecord {
    TorrentRecord(
        infoHash: infoHash(byte), metainfo: [UInt8]("d4:infod4:name4:showee".utf8) + [0, 0xFF, 0x80],
        magnet: "magnet:?xt=urn:btih:\(infoHash(byte).hex)&dn=show", name: "show \(byte)",
        savePath: "/srv/video/show \(byte)", state: .seeding, addedAt: date(1_700_000_000 + Int(byte)),
        completedAt: Date(timeIntervalSince1970: 1_700_000_500.25), filePriorities: [1, 0, 2, 7],
        queuePosition: queuePosition)
}

/// A torrent added from a magnet whose metadata has not arrived: no metainfo, no files yet.
func magnetRecord(_ byte: UInt8) -> TorrentRecord {
    TorrentRecord(
        infoHash: infoHash(byte), magnet: "magnet:?xt=urn:btih:\(infoHash(byte).hex)", name: "pending",
        savePath: "/tmp/pending", state: .downloading, addedAt: date(1_700_001_000))
}

/// A bitfield with the given pieces set.
func bitfield(count: Int, set pieces: [Int]) -> Bitfield {
    var bits = Bitfield(count: count)
    for piece in pieces { bits[piece] = true }
    return bits
}
