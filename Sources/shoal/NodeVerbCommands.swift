import ArgumentParser
import Foundation
import NodeAPI

/// `shoal add TORRENT|MAGNET`: hands a torrent to the running node.
struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a .torrent file (or a magnet link) to the running node.")

    @Argument(help: "A .torrent file or a magnet link.")
    var torrent: String

    @Option(name: .customLong("save-to"), help: "The folder for its content (default: the node's downloads/).")
    var saveTo: String?

    @Flag(help: "Add it paused.")
    var paused = false

    @OptionGroup var node: NodeConnection

    func run() async throws {
        let request: AddTorrentRequest
        if torrent.lowercased().hasPrefix("magnet:") {
            request = .magnet(torrent, savePath: saveTo.map(Self.absolute), paused: paused)
        } else {
            request = .metainfo(try FileIO.readAll(torrent), savePath: saveTo.map(Self.absolute), paused: paused)
        }
        let summary = try await node.withNode { try await $0.add(request) }
        if node.json { return try node.printJSON(summary) }
        print("added \(summary.name) (\(summary.infoHash)), \(summary.state)")
    }

    /// The node may run elsewhere in the file system: relative folders are made absolute here.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// `shoal list`: the node's torrents, one line each.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the node's torrents.")

    @OptionGroup var node: NodeConnection

    func run() async throws {
        let torrents = try await node.withNode { try await $0.list() }
        if node.json { return try node.printJSON(torrents) }
        guard !torrents.isEmpty else { return print("no torrents; add one with `shoal add FILE.torrent`") }
        print(Self.header)
        for torrent in torrents { print(Self.line(torrent)) }
    }

    static let header =
        pad("ID", 10) + pad("STATE", 13) + pad("DONE", 7) + pad("SIZE", 11) + pad("DOWN", 11)
        + pad("UP", 11) + pad("PEERS", 6) + "NAME"

    static func line(_ torrent: NodeAPI.TorrentSummary) -> String {
        pad(String(torrent.infoHash.prefix(8)), 10) + pad(torrent.state.rawValue, 13)
            + pad(String(format: "%.1f%%", torrent.progress * 100), 7) + pad(ByteCount.format(torrent.totalBytes), 11)
            + pad(ByteCount.format(torrent.downloadRate) + "/s", 11)
            + pad(ByteCount.format(torrent.uploadRate) + "/s", 11)
            + pad(String(torrent.peers), 6) + torrent.name
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// `shoal show ID|INFOHASH`: one torrent in full.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one of the node's torrents: progress, rates, peers, files.")

    @Argument(help: "The torrent's infohash, or at least its first 6 hex digits.")
    var torrent: String

    @OptionGroup var node: NodeConnection

    func run() async throws {
        let detail = try await node.withNode { try await $0.show(torrent) }
        if node.json { return try node.printJSON(detail) }
        print("name:       \(detail.name)")
        print("infohash:   \(detail.infoHash)")
        print("state:      \(detail.state)")
        print(
            "progress:   \(String(format: "%.1f%%", detail.progress * 100)) of \(ByteCount.format(detail.totalBytes))"
                + " (\(detail.pieceBitfield?.setCount ?? 0) of \(detail.pieceCount) pieces)")
        print(
            "rates:      down \(ByteCount.format(detail.downloadRate))/s, up \(ByteCount.format(detail.uploadRate))/s")
        print(
            "totals:     downloaded \(ByteCount.format(detail.downloadedTotal)), "
                + "uploaded \(ByteCount.format(detail.uploadedTotal))")
        print("saved in:   \(detail.savePath)")
        print("peers:      \(detail.peerList.count)\(Self.sourceCounts(detail.peerList))")
        print("dht:        \(Self.dhtLine(detail.dht))")
        for peer in detail.peerList {
            print(
                "  \(peer.address)  \(peer.source ?? "?")  down \(ByteCount.format(peer.downloadRate))/s"
                    + "  up \(ByteCount.format(peer.uploadRate))/s")
        }
        print("files:")
        for (index, file) in detail.files.enumerated() {
            print(
                "  \(index)  priority \(file.priority)  \(ByteCount.format(file.verifiedBytes)) of \(ByteCount.format(file.length))  \(file.path)"
            )
        }
    }

    /// "120 nodes (98 good); 3 announces, the last taken by 8 nodes; 12 peers found", or why there is no DHT.
    static func dhtLine(_ dht: DHTInfo?) -> String {
        guard let dht else { return "not used (the node runs without DHT, or the torrent is private)" }
        let last = dht.lastAcknowledged.map { ", the last taken by \($0) nodes" } ?? ""
        return
            "\(dht.nodes) nodes (\(dht.goodNodes) good); \(dht.rounds) announces\(last); \(dht.peersFound) peers found"
    }

    /// " (tracker 2, pex 1)": connected peers by how they were found, in a fixed order; empty with no peers.
    static func sourceCounts(_ peers: [PeerInfo]) -> String {
        let order = ["tracker", "dht", "pex", "lsd", "manual", "incoming"]
        let counts = Dictionary(grouping: peers, by: { $0.source ?? "unknown" }).mapValues(\.count)
        let named = (order + counts.keys.filter { !order.contains($0) }.sorted()).compactMap { source in
            counts[source].map { "\(source) \($0)" }
        }
        return named.isEmpty ? "" : " (" + named.joined(separator: ", ") + ")"
    }
}

/// `shoal pause ID|INFOHASH`.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause one of the node's torrents.")

    @Argument(help: "The torrent's infohash, or at least its first 6 hex digits.")
    var torrent: String

    @OptionGroup var node: NodeConnection

    func run() async throws {
        let summary = try await node.withNode { try await $0.pause(torrent) }
        if node.json { return try node.printJSON(summary) }
        print("paused \(summary.name)")
    }
}

/// `shoal resume ID|INFOHASH`.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume one of the node's paused torrents.")

    @Argument(help: "The torrent's infohash, or at least its first 6 hex digits.")
    var torrent: String

    @OptionGroup var node: NodeConnection

    func run() async throws {
        let summary = try await node.withNode { try await $0.resume(torrent) }
        if node.json { return try node.printJSON(summary) }
        print("resumed \(summary.name), \(summary.state)")
    }
}

/// `shoal remove ID|INFOHASH [--delete-data]`.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a torrent from the node, and with --delete-data its files.")

    @Argument(help: "The torrent's infohash, or at least its first 6 hex digits.")
    var torrent: String

    @Flag(name: .customLong("delete-data"), help: "Delete the torrent's downloaded files too.")
    var deleteData = false

    @OptionGroup var node: NodeConnection

    func run() async throws {
        try await node.withNode { try await $0.remove(torrent, deleteData: deleteData) }
        print(deleteData ? "removed \(torrent) and its data" : "removed \(torrent)")
    }
}
