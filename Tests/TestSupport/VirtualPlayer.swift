import Foundation
import HLS

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A player that behaves like hls.js against the HLS routes, in real time: it fetches the master and media
/// playlists and the init segment, then segments in order while it has less than `bufferTarget` buffered, and
/// plays from the moment the first segment is in. A stall is the playhead reaching the end of what was received.
/// Used in process (StreamServerTests) and against `shoal watch` processes (ShoalCLITests).
public struct VirtualPlayer: Sendable {
    public let masterURL: String
    /// Seconds of video fetched ahead of the playhead (hls.js: `maxBufferLength`, 30 s by default).
    public var bufferTarget: Double
    /// Retry a 503 after this long (the server's Retry-After is 1 s; hls.js retries sooner).
    public var retryDelay: Duration

    public init(masterURL: String, bufferTarget: Double = 10, retryDelay: Duration = .milliseconds(250)) {
        self.masterURL = masterURL
        self.bufferTarget = bufferTarget
        self.retryDelay = retryDelay
    }

    public struct Report: Sendable, CustomStringConvertible {
        /// Seconds from the first request to the first segment received.
        public var startup: Double
        /// Every stall, in order.
        public var stallLog: [Stall]
        public var segments: Int
        /// 503 answers retried.
        public var retries: Int

        public var stalls: Int { stallLog.count }
        public var stallSeconds: Double { stallLog.reduce(0) { $0 + $1.seconds } }
        /// The longest single stall, in seconds (0 without stalls).
        public var longestStall: Double { stallLog.map(\.seconds).max() ?? 0 }

        public var description: String {
            "startup \(startup) s, \(stalls) stalls (\(stallSeconds) s, longest \(longestStall) s), "
                + "\(segments) segments, \(retries) retries"
        }
    }

    /// The playhead waited `seconds` for video, until `ended`.
    public struct Stall: Sendable {
        public var ended: ContinuousClock.Instant
        public var seconds: Double
    }

    /// Plays until every segment is received (what follows cannot stall) or `segmentLimit` segments are.
    public func play(segmentLimit: Int? = nil) async throws -> Report {
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
        var stallLog: [Stall] = []
        var startup = 0.0
        let segments = media.segments.prefix(segmentLimit ?? media.segments.count)
        for segment in segments {
            // Like hls.js: fetch ahead only while less than the target is buffered.
            if let playbackStart {
                while true {
                    let played = (clock.now - playbackStart) / .seconds(1) - stallSeconds
                    if buffered - played <= bufferTarget { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            _ = try await get(resolve(segment.uri, against: mediaURL), retries: &retries)
            let now = clock.now
            if let playbackStart {
                // When the playhead ran out of received video, playback waited until now.
                let runOut = (now - playbackStart) / .seconds(1) - stallSeconds - buffered
                if runOut > 0 {
                    stallLog.append(Stall(ended: now, seconds: runOut))
                    stallSeconds += runOut
                }
            } else {
                playbackStart = now
                startup = (now - started) / .seconds(1)
            }
            buffered += segment.duration
        }
        return Report(startup: startup, stallLog: stallLog, segments: segments.count, retries: retries)
    }

    private func get(_ url: String, retries: inout Int) async throws -> [UInt8] {
        guard let address = URL(string: url) else { throw PlayerError(message: "bad URL \(url)") }
        var request = URLRequest(url: address)
        request.timeoutInterval = 60
        while true {
            let (data, response) = try await Self.session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if status == 503 {
                retries += 1
                try await Task.sleep(for: retryDelay)
                continue
            }
            guard status == 200 else {
                throw PlayerError(message: "\(url): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
            }
            return Array(data)
        }
    }

    /// No cache: every request reaches the server, as the server's figures expect.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()

    private func resolve(_ uri: String, against base: String) -> String {
        guard let slash = base.lastIndex(of: "/") else { return uri }
        return String(base[...slash]) + uri
    }
}

/// The virtual player could not play: an HTTP error or a playlist without a variant.
public struct PlayerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

private func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw PlayerError(message: message) }
    return value
}
