import Foundation
import TorrentModel

/// What `shoal info` shows, for a torrent file (everything) or a magnet link (what the link says).
/// Its JSON keys are a documented interface (docs/cli.md): rename none without a note there.
struct TorrentSummary: Encodable {
    struct File: Encodable {
        var path: String
        var length: Int64
    }

    var name: String?
    var infoHash: String
    var infoHashBase32: String
    var pieceLength: Int?
    var pieceCount: Int?
    var totalSize: Int64?
    /// Data files; BEP 47 pad files are counted in `paddingFiles` instead.
    var files: [File]?
    var paddingFiles: Int?
    var trackers: [String]
    var trackerTiers: [[String]]
    var webSeeds: [String]
    var peers: [String]
    var `private`: Bool?
    var comment: String?
    var createdBy: String?
    var creationDate: Int64?
    var magnet: String
    /// "torrent" or "magnet": a magnet link carries no piece or file data.
    var source: String

    init(metainfo: Metainfo) {
        name = metainfo.name
        infoHash = metainfo.infoHash.hex
        infoHashBase32 = metainfo.infoHash.base32
        pieceLength = metainfo.pieceLength
        pieceCount = metainfo.pieceCount
        totalSize = metainfo.totalLength
        files = metainfo.dataFiles.map { File(path: $0.pathString, length: $0.length) }
        paddingFiles = metainfo.files.count - metainfo.dataFiles.count
        trackers = metainfo.trackers
        trackerTiers = metainfo.trackerTiers
        webSeeds = metainfo.webSeeds
        peers = []
        `private` = metainfo.isPrivate
        comment = metainfo.comment
        createdBy = metainfo.createdBy
        creationDate = metainfo.creationDate
        magnet = metainfo.magnet.uri
        source = "torrent"
    }

    init(magnet link: MagnetLink) {
        name = link.displayName
        infoHash = link.infoHash.hex
        infoHashBase32 = link.infoHash.base32
        trackers = link.trackers
        trackerTiers = link.trackers.map { [$0] }
        webSeeds = link.webSeeds
        peers = link.peers.map(\.description)
        magnet = link.uri
        source = "magnet"
    }

    /// Every key is always present; what a magnet link cannot tell is null.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(infoHash, forKey: .infoHash)
        try container.encode(infoHashBase32, forKey: .infoHashBase32)
        try container.encode(pieceLength, forKey: .pieceLength)
        try container.encode(pieceCount, forKey: .pieceCount)
        try container.encode(totalSize, forKey: .totalSize)
        try container.encode(files, forKey: .files)
        try container.encode(paddingFiles, forKey: .paddingFiles)
        try container.encode(trackers, forKey: .trackers)
        try container.encode(trackerTiers, forKey: .trackerTiers)
        try container.encode(webSeeds, forKey: .webSeeds)
        try container.encode(peers, forKey: .peers)
        try container.encode(`private`, forKey: .private)
        try container.encode(comment, forKey: .comment)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(creationDate, forKey: .creationDate)
        try container.encode(magnet, forKey: .magnet)
        try container.encode(source, forKey: .source)
    }

    private enum CodingKeys: String, CodingKey {
        case name, infoHash, infoHashBase32, pieceLength, pieceCount, totalSize, files, paddingFiles, trackers
        case trackerTiers, webSeeds, peers, `private`, comment, createdBy, creationDate, magnet, source
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    var text: String {
        var lines: [(String, String)] = [
            ("name", name ?? "(unknown until the metadata arrives)"),
            ("infohash", infoHash),
        ]
        if let pieceLength, let pieceCount, let totalSize {
            lines.append(("piece length", "\(ByteCount.format(Int64(pieceLength))) (\(pieceLength) bytes)"))
            lines.append(("pieces", "\(pieceCount)"))
            lines.append(("total size", "\(ByteCount.format(totalSize)) (\(totalSize) bytes)"))
        }
        if let isPrivate = `private` { lines.append(("private", isPrivate ? "yes" : "no")) }
        for (index, tier) in trackerTiers.enumerated() {
            lines.append((index == 0 ? "trackers" : "", "tier \(index + 1): " + tier.joined(separator: ", ")))
        }
        if trackerTiers.isEmpty { lines.append(("trackers", "none")) }
        for (index, seed) in webSeeds.enumerated() { lines.append((index == 0 ? "web seeds" : "", seed)) }
        for (index, peer) in peers.enumerated() { lines.append((index == 0 ? "peers" : "", peer)) }
        if let createdBy { lines.append(("created by", createdBy)) }
        if let creationDate { lines.append(("creation date", Self.formatDate(creationDate))) }
        if let comment { lines.append(("comment", comment)) }
        lines.append(("magnet", magnet))

        var output = lines.map { label, value in
            (label.isEmpty ? "" : label + ":").padding(toLength: 15, withPad: " ", startingAt: 0) + value
        }
        if let files {
            let padding = paddingFiles.map { $0 > 0 ? ", plus \($0) pad file\($0 == 1 ? "" : "s")" : "" } ?? ""
            output.append("files (\(files.count)\(padding)):")
            let width = String(files.map(\.length).max() ?? 0).count
            for file in files {
                let length = String(file.length)
                output.append("  " + String(repeating: " ", count: width - length.count) + length + "  " + file.path)
            }
        }
        return output.joined(separator: "\n")
    }

    private static func formatDate(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + " (\(seconds))"
    }
}
