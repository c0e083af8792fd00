import CFFmpeg

/// An owned `AVPacket`: freed with the object.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        // swift-format-ignore: NeverForceUnwrap
        pointer = ff.av_packet_alloc()!  // fails only when out of memory, like any Swift allocation
    }

    deinit {
        var owned: UnsafeMutablePointer<AVPacket>? = pointer
        ff.av_packet_free(&owned)
    }

    var streamIndex: Int {
        get { Int(pointer.pointee.stream_index) }
        set { pointer.pointee.stream_index = Int32(newValue) }
    }
    var pts: Int64? { pointer.pointee.pts == shoal_nopts_value ? nil : pointer.pointee.pts }
    var dts: Int64? { pointer.pointee.dts == shoal_nopts_value ? nil : pointer.pointee.dts }
    var duration: Int64 { pointer.pointee.duration }
    var size: Int { Int(pointer.pointee.size) }
    var isKeyFrame: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// Presentation time, falling back to decode time (some demuxers give only one).
    var time: Int64? { pts ?? dts }

    func unref() { ff.av_packet_unref(pointer) }

    func rescale(from source: AVRational, to destination: AVRational) {
        ff.av_packet_rescale_ts(pointer, source, destination)
    }
}
