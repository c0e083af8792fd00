import Streaming
import Swarm
import SwarmEngine
import TorrentModel

extension StreamingTorrent {
    /// The torrent as the watch page and `GET /api/torrents/<infohash>` show it.
    public func status() async -> StreamStatus {
        let now = ContinuousClock.now
        let session = self.session
        let have = await session.have
        let states = await session.pieceStates
        let rates = await session.transferRates
        let index = videoIndex
        let position = self.position
        var playback: StreamStatus.Playback?
        if let index, let position {
            playback = StreamStatus.Playback(
                positionSeconds: position.time.seconds, segment: position.segment,
                bufferAheadSeconds: Self.bufferAhead(index: index, position: position, have: have).seconds)
        }
        let pieceMap = String(
            states.map { state -> Character in
                switch state {
                case .had: return "h"
                case .downloading, .complete: return "r"
                case .missing: return "m"
                }
            })
        let quality = self.quality
        let misses = await session.deadlineMisses
        return StreamStatus(
            infoHash: metainfo.infoHash.hex, name: metainfo.name, isVideo: index != nil,
            durationSeconds: index?.duration.seconds, pieceCount: metainfo.pieceCount,
            pieceLength: metainfo.pieceLength, verifiedPieces: have.setCount,
            verifiedBytes: await session.verifiedBytes,
            totalBytes: metainfo.totalLength, downloadRate: rates.download, uploadRate: rates.upload,
            downloaded: await session.downloadedBytes, uploaded: await session.uploadedBytes,
            peers: await session.connectedPeerCount, mode: settings.mode.name, playback: playback,
            quality: StreamStatus.Quality(
                startupSeconds: quality.startup?.seconds, stalls: quality.stalls,
                stallSeconds: quality.totalStallTime(at: now).seconds, waiting: quality.waitingSince.count,
                deadlineMisses: misses,
                deadlineMissesWhilePlaying: deadlineMissesBeforePlayback.map { misses - $0 } ?? 0,
                segmentsServed: quality.segmentsServed,
                seeks: quality.seeks, unavailableAnswers: quality.unavailableAnswers),
            bytesFromSeeds: await session.bytesFromSeeds, bytesFromPeers: await session.bytesFromPeers,
            redundantBytes: await session.redundantBytes,
            pieceMap: pieceMap, deadlinePieces: await session.piecesWithDeadlines,
            peerSources: Dictionary(
                uniqueKeysWithValues: await session.peerSourceCounts.map { ($0.key.rawValue, $0.value) }),
            dhtNodes: await dhtNodeCount?())
    }

    /// Verified video from the position on, without a gap: the end of the last segment of the unbroken run of
    /// verified segments starting at the position's, minus the position.
    static func bufferAhead(index: VideoTorrentIndex, position: PlaybackPosition, have: Bitfield) -> Duration {
        var end = position.time
        var segment = position.segment
        while segment < index.segments.count, index.segments[segment].pieces.allSatisfy({ have[$0] }) {
            end = index.segments[segment].end
            segment += 1
        }
        return max(.zero, end - position.time)
    }
}
