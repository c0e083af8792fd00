import Foundation
import NodeAPI
import TorrentModel

/// An in-memory node for the API tests: a library of torrents, the calls it got, and failures to inject.
actor FakeNode: NodeControl {
    enum Call: Equatable, Sendable {
        case health
        case list
        case add(AddTorrentRequest)
        case show(String)
        case pause(String)
        case resume(String)
        case remove(String, deleteData: Bool)
        case setFilePriorities(String, [Int])
    }

    struct Entry: Sendable {
        var summary: TorrentSummary
        var savePath: String
        var pieceLength: Int
        var pieces: Bitfield
        var files: [TorrentFileInfo]
    }

    /// Something a test wants the next call to throw instead of answering.
    struct Boom: Error, CustomStringConvertible {
        var description: String { "the fake node exploded" }
    }

    private(set) var calls: [Call] = []
    private(set) var torrents: [InfoHash: Entry] = [:]
    private var failure: (any Error)?
    let addedAt = Date(timeIntervalSince1970: 1_780_000_000)

    /// Makes the next call throw `error`.
    func failNextCall(with error: any Error) {
        failure = error
    }

    /// Puts a torrent with a chosen infohash in the library without a call being recorded.
    func insert(_ infoHash: InfoHash, name: String, fileCount: Int = 2) {
        let files = (0..<fileCount).map { TorrentFileInfo(path: "\(name)/f\($0).ts", length: 1_000) }
        var pieces = Bitfield(count: 5)
        pieces[1] = true
        torrents[infoHash] = Entry(
            summary: TorrentSummary(
                infoHash: infoHash.hex, name: name, state: .seeding, progress: 0.2, totalBytes: 5_000,
                verifiedBytes: 1_000, addedAt: addedAt),
            savePath: "/srv/\(name)", pieceLength: 1_024, pieces: pieces, files: files)
    }

    private func record(_ call: Call) throws {
        calls.append(call)
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    private func resolve(_ reference: String) throws -> InfoHash {
        try TorrentReference(parsing: reference).resolve(in: torrents.keys)
    }

    private func detail(_ entry: Entry) -> TorrentDetail {
        TorrentDetail(
            summary: entry.summary, savePath: entry.savePath, pieceLength: entry.pieceLength, pieces: entry.pieces,
            files: entry.files, peerList: [PeerInfo(address: "127.0.0.1:51413", client: "Transmission 4.0")])
    }

    // MARK: NodeControl

    func health() async throws -> NodeHealth {
        try record(.health)
        return NodeHealth(
            version: "0.1.0-test", torrentCount: torrents.count, uptimeSeconds: 3, peerPort: 6881, apiPort: 0)
    }

    func list() async throws -> [TorrentSummary] {
        try record(.list)
        return torrents.values.map(\.summary).sorted { $0.infoHash < $1.infoHash }
    }

    func add(_ request: AddTorrentRequest) async throws -> TorrentSummary {
        try record(.add(request))
        let infoHash = try request.validatedInfoHash()
        guard torrents[infoHash] == nil else { throw NodeControlError.alreadyAdded(infoHash: infoHash.hex) }
        let name: String
        let files: [TorrentFileInfo]
        let totalBytes: Int64
        let pieces: Bitfield
        let pieceLength: Int
        var state: TorrentState
        switch request.source {
        case .metainfo(let bytes):
            let metainfo = try Metainfo(bytes: bytes)
            name = metainfo.name
            files = metainfo.dataFiles.map { TorrentFileInfo(path: $0.pathString, length: $0.length) }
            totalBytes = metainfo.totalLength
            pieces = Bitfield(count: metainfo.pieceCount)
            pieceLength = metainfo.pieceLength
            state = .downloading
        case .magnet(let link):
            let magnet = try MagnetLink(parsing: link)
            name = magnet.displayName ?? infoHash.hex
            files = []
            totalBytes = 0
            pieces = Bitfield(count: 0)
            pieceLength = 0
            state = .fetchingMetadata
        }
        if request.paused { state = .paused }
        let summary = TorrentSummary(
            infoHash: infoHash.hex, name: name, state: state, progress: 0, totalBytes: totalBytes, verifiedBytes: 0,
            addedAt: addedAt)
        torrents[infoHash] = Entry(
            summary: summary, savePath: request.savePath ?? "/downloads", pieceLength: pieceLength, pieces: pieces,
            files: files)
        return summary
    }

    func show(_ reference: String) async throws -> TorrentDetail {
        try record(.show(reference))
        return detail(torrents[try resolve(reference)]!)
    }

    func pause(_ reference: String) async throws -> TorrentSummary {
        try record(.pause(reference))
        let infoHash = try resolve(reference)
        torrents[infoHash]!.summary.state = .paused
        return torrents[infoHash]!.summary
    }

    func resume(_ reference: String) async throws -> TorrentSummary {
        try record(.resume(reference))
        let infoHash = try resolve(reference)
        torrents[infoHash]!.summary.state = .downloading
        return torrents[infoHash]!.summary
    }

    func remove(_ reference: String, deleteData: Bool) async throws {
        try record(.remove(reference, deleteData: deleteData))
        torrents[try resolve(reference)] = nil
    }

    func setFilePriorities(_ reference: String, priorities: [Int]) async throws -> TorrentDetail {
        try record(.setFilePriorities(reference, priorities))
        let infoHash = try resolve(reference)
        try FilePriority.validate(priorities, fileCount: torrents[infoHash]!.files.count)
        for (index, priority) in priorities.enumerated() {
            torrents[infoHash]!.files[index].priority = priority
        }
        return detail(torrents[infoHash]!)
    }
}
