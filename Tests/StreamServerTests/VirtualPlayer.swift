import Foundation
import HLS
import Streaming

/// A player that behaves like hls.js against the HLS routes, in real time: it fetches the master and media
/// playlists and the init segment, then segments in order while it has less than `bufferTarget` buffered, and
/// plays from the moment the first segment is in. A stall is the playhead reaching the end of what was received.
struct VirtualPlayer {
    let masterURL: String
    var bufferTarget: Double = 10
    /// Retry a 503 after this long (the server's Retry-After is 1 s; hls.js retries sooner).
    var retryDelay: Duration = .milliseconds(250)

    struct Report: Sendable, CustomStringConvertible {
        var startup: Double
        var stalls: Int
        var stallSeconds: Double
        var segments: Int
        var retries: Int
        var description: String {
            "startup \(startup) s, \(stalls) stalls (\(stallSeconds) s), \(segments) segments, \(retries) retries"
        }
    }

    /// Plays until every segment is received (what follows cannot stall) or `segmentLimit` segments are.
    func play(segmentLimit: Int? = nil) async throws -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        var retries = 0
        let master = try MasterPlaylist(parsing: try await get(masterURL, retries: &retries))
        let variant = try require(master.variants.first, "no variant in the master playlist")
        let mediaURL = resolve(variant.uri, against: masterURL)
        let media = try MediaPlaylist(parsing: try await get(mediaURL, retries: &retries))
        if let map = media.map { _ = try await get(resolve(map.uri, against: mediaURL), retries: &retries) }

        var playbackStart: ContinuousClock.Instant?
        var buffered = 0.0
        var stallSeconds = 0.0
        var stalls = 0
        var startup = 0.0
        let segments = media.segments.prefix(segmentLimit ?? media.segments.count)
        for segment in segments {
            // Like hls.js: fetch ahead only while less than the target is buffered.
            if let playbackStart {
                while true {
                    let played = (clock.now - playbackStart).seconds - stallSeconds
                    if buffered - played <= bufferTarget { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            _ = try await get(resolve(segment.uri, against: mediaURL), retries: &retries)
            let now = clock.now
            if let playbackStart {
                // When the playhead ran out of received video, playback waited until now.
                let runOut = (now - playbackStart).seconds - stallSeconds - buffered
                if runOut > 0 {
                    stalls += 1
                    stallSeconds += runOut
                }
            } else {
                playbackStart = now
                startup = (now - started).seconds
            }
            buffered += segment.duration
        }
        return Report(
            startup: startup, stalls: stalls, stallSeconds: stallSeconds, segments: segments.count, retries: retries)
    }

    private func get(_ url: String, retries: inout Int) async throws -> [UInt8] {
        while true {
            let answer = try await HTTPFetcher.fetch(url)
            if answer.status == 503 {
                retries += 1
                try await Task.sleep(for: retryDelay)
                continue
            }
            guard answer.status == 200 else {
                throw PlayerError(message: "\(url): HTTP \(answer.status) \(answer.text)")
            }
            return answer.body
        }
    }

    private func resolve(_ uri: String, against base: String) -> String {
        guard let slash = base.lastIndex(of: "/") else { return uri }
        return String(base[...slash]) + uri
    }
}

struct PlayerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw PlayerError(message: message) }
    return value
}
