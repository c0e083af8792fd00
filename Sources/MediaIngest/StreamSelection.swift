/// Which streams of a file become the video: the best video stream and one audio stream.
public struct StreamSelection: Sendable, Equatable {
    public var video: StreamInfo
    public var audio: StreamInfo?

    /// Why no selection could be made.
    public enum Failure: Error, Equatable, Sendable {
        case noVideoStream
        /// `--audio-track N` beyond the file's audio streams (how many there are).
        case noSuchAudioTrack(Int, available: Int)
    }

    /// The video stream: not cover art; the default one first, then the most pixels, then the lowest index.
    /// The audio stream: track `audioTrack` (counting audio streams from 0), or the default one, or the first.
    public static func choose(from streams: [StreamInfo], audioTrack: Int? = nil) throws(Failure) -> StreamSelection {
        let videos = streams.filter { $0.kind == .video && !$0.isAttachedPicture }
        guard
            let video = videos.max(by: { lhs, rhs in
                if lhs.isDefault != rhs.isDefault { return !lhs.isDefault }
                if lhs.width * lhs.height != rhs.width * rhs.height {
                    return lhs.width * lhs.height < rhs.width * rhs.height
                }
                return lhs.index > rhs.index
            })
        else { throw .noVideoStream }
        let audios = streams.filter { $0.kind == .audio }
        if let audioTrack {
            guard audioTrack >= 0 && audioTrack < audios.count else {
                throw .noSuchAudioTrack(audioTrack, available: audios.count)
            }
            return StreamSelection(video: video, audio: audios[audioTrack])
        }
        return StreamSelection(video: video, audio: audios.first { $0.isDefault } ?? audios.first)
    }
}
