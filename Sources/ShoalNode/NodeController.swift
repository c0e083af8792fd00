import Foundation
import NodeAPI
import StateStore
import TorrentModel

/// The control API's view of a node: references resolved against the library, the node's errors turned into
/// the API's, and statuses into its JSON models.
public struct NodeController: NodeControl {
    public let node: Node
    public let version: String
    /// The port the API listens on, for `health`.
    public let apiPort: Int

    public init(node: Node, version: String, apiPort: Int) {
        self.node = node
        self.version = version
        self.apiPort = apiPort
    }

    public func health() async throws -> NodeHealth {
        NodeHealth(
            version: version, torrentCount: try await records().count,
            uptimeSeconds: Double(node.uptime.components.seconds), peerPort: await node.peerPort, apiPort: apiPort)
    }

    public func list() async throws -> [TorrentSummary] {
        var summaries: [TorrentSummary] = []
        for record in try await records() {
            summaries.append(Self.summary(try await status(record.infoHash)))
        }
        return summaries
    }

    public func add(_ request: AddTorrentRequest) async throws -> TorrentSummary {
        let infoHash = try request.validatedInfoHash()
        do {
            switch request.source {
            case .metainfo(let bytes):
                try await node.add(metainfo: bytes, savePath: request.savePath, paused: request.paused)
            case .magnet(let link):
                try await node.add(magnet: link, savePath: request.savePath, paused: request.paused)
            }
        } catch {
            throw Self.apiError(error)
        }
        return Self.summary(try await status(infoHash))
    }

    public func show(_ reference: String) async throws -> TorrentDetail {
        Self.detail(try await status(try await resolve(reference)))
    }

    public func pause(_ reference: String) async throws -> TorrentSummary {
        let infoHash = try await resolve(reference)
        do { try await node.pause(infoHash) } catch { throw Self.apiError(error) }
        return Self.summary(try await status(infoHash))
    }

    public func resume(_ reference: String) async throws -> TorrentSummary {
        let infoHash = try await resolve(reference)
        do { try await node.resume(infoHash) } catch { throw Self.apiError(error) }
        return Self.summary(try await status(infoHash))
    }

    public func remove(_ reference: String, deleteData: Bool) async throws {
        let infoHash = try await resolve(reference)
        do { try await node.remove(infoHash, deleteData: deleteData) } catch { throw Self.apiError(error) }
    }

    public func setFilePriorities(_ reference: String, priorities: [Int]) async throws -> TorrentDetail {
        let infoHash = try await resolve(reference)
        do { try await node.setFilePriorities(infoHash, priorities) } catch { throw Self.apiError(error) }
        return Self.detail(try await status(infoHash))
    }

    // MARK: - Helpers

    private func records() async throws(NodeControlError) -> [TorrentRecord] {
        do { return try await node.records() } catch { throw Self.apiError(error) }
    }

    private func status(_ infoHash: InfoHash) async throws(NodeControlError) -> TorrentStatus {
        do { return try await node.status(of: infoHash) } catch { throw Self.apiError(error) }
    }

    private func resolve(_ reference: String) async throws(NodeControlError) -> InfoHash {
        let parsed = try TorrentReference(parsing: reference)
        return try parsed.resolve(in: try await records().map(\.infoHash))
    }

    static func apiError(_ error: NodeError) -> NodeControlError {
        switch error {
        case .unknownTorrent(let infoHash): return .unknownTorrent(reference: infoHash.hex)
        case .alreadyAdded(let infoHash): return .alreadyAdded(infoHash: infoHash.hex)
        case .invalidTorrent, .invalidPriorities: return .invalidInput(error.description)
        case .noDataDirectory, .state, .storage, .cannotListen: return .internalFailure(error.description)
        }
    }

    static func state(_ status: TorrentStatus) -> TorrentState {
        switch status.phase {
        case .fetchingMetadata: return .fetchingMetadata
        case .checking: return .checking
        case .downloading: return .downloading
        case .seeding: return .seeding
        case .stopped: return status.record.state == .paused ? .paused : .queued
        }
    }

    static func summary(_ status: TorrentStatus) -> TorrentSummary {
        TorrentSummary(
            infoHash: status.record.infoHash.hex, name: status.name, state: state(status),
            progress: status.progress, totalBytes: status.totalBytes, verifiedBytes: status.verifiedBytes,
            downloadRate: Int64(status.downloadRate), uploadRate: Int64(status.uploadRate), peers: status.peers.count,
            addedAt: status.record.addedAt, completedAt: status.record.completedAt)
    }

    static func detail(_ status: TorrentStatus) -> TorrentDetail {
        let files = status.metainfo?.files ?? []
        let verified = status.verifiedBytesPerFile
        let priorities = status.record.filePriorities
        // One entry per data file, in the order `setFilePriorities` takes priorities.
        let fileInfos = files.indices.filter { !files[$0].isPadding }.enumerated().map { position, index in
            TorrentFileInfo(
                path: files[index].path.joined(separator: "/"), length: files[index].length,
                priority: position < priorities.count ? priorities[position] : FilePriority.normal,
                verifiedBytes: index < verified.count ? verified[index] : 0)
        }
        let pieceCount = status.metainfo?.pieceCount ?? 0
        return TorrentDetail(
            summary: summary(status), savePath: status.record.savePath, uploadedTotal: status.uploaded,
            downloadedTotal: status.downloaded, pieceLength: status.metainfo?.geometry.pieceLength ?? 0,
            pieces: status.have ?? Bitfield(count: pieceCount), files: fileInfos,
            peerList: status.peers.map { peer in
                PeerInfo(
                    address: peer.address ?? "?", downloadRate: Int64(peer.downloadRate),
                    uploadRate: Int64(peer.uploadRate), source: peer.source.rawValue)
            },
            dht: status.dht.map { health, announces in
                var acknowledged: Int?
                if case .announced(let count) = announces.lastOutcome { acknowledged = count }
                return DHTInfo(
                    nodes: health.nodes, goodNodes: health.goodNodes, rounds: announces.rounds,
                    lastAcknowledged: acknowledged, peersFound: announces.peersFound)
            })
    }
}
