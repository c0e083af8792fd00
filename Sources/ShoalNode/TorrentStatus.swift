import DHTNode
import StateStore
import SwarmEngine
import TorrentModel

/// One torrent of a node's library with its live figures, for `list`, `show` and the control API.
public struct TorrentStatus: Sendable {
    public enum Phase: String, Sendable {
        case stopped, fetchingMetadata, checking, downloading, seeding
    }

    public let record: TorrentRecord
    /// Nil while only a magnet link is known.
    public let metainfo: Metainfo?
    public let phase: Phase
    /// Verified pieces (nil when not known).
    public let have: Bitfield?
    /// Totals across restarts, bytes of piece payload.
    public let uploaded: Int64
    public let downloaded: Int64
    public let peers: [PeerSummary]
    /// The DHT node's figures and this torrent's announces there; nil without DHT or for a private torrent.
    public var dht: (health: DHTHealth, announces: DHTAnnounceStatus)?

    public var totalBytes: Int64 { metainfo?.geometry.totalLength ?? 0 }

    /// The torrent's own name once its metadata is known, else the magnet link's.
    public var name: String { metainfo?.name ?? record.name }

    /// Bytes of the torrent in verified pieces.
    public var verifiedBytes: Int64 {
        guard let metainfo, let have else { return 0 }
        return have.setIndices.reduce(0) { $0 + Int64(metainfo.geometry.length(ofPiece: $1)) }
    }

    public var progress: Double { totalBytes > 0 ? Double(verifiedBytes) / Double(totalBytes) : 0 }

    public var downloadRate: Double { peers.reduce(0) { $0 + $1.downloadRate } }
    public var uploadRate: Double { peers.reduce(0) { $0 + $1.uploadRate } }

    /// Connected peers by how we learned of them (tracker, DHT, PEX, LSD, manual, incoming).
    public var peerSources: [PeerSource: Int] {
        peers.reduce(into: [:]) { counts, peer in counts[peer.source, default: 0] += 1 }
    }

    /// Verified bytes of each file (pad files included, as the metainfo lists them).
    public var verifiedBytesPerFile: [Int64] {
        guard let metainfo else { return [] }
        let geometry = metainfo.geometry
        return metainfo.files.map { file in
            guard let have, file.length > 0 else { return 0 }
            var bytes: Int64 = 0
            for piece in geometry.pieces(covering: file.byteRange) where have[piece] {
                let range = geometry.byteRange(ofPiece: piece).clamped(to: file.byteRange)
                bytes += Int64(range.count)
            }
            return bytes
        }
    }
}
