import CFFmpeg

/// An owned `AVFrame`: freed with the object.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        // swift-format-ignore: NeverForceUnwrap
        pointer = ff.av_frame_alloc()!  // fails only when out of memory
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFrame>? = pointer
        ff.av_frame_free(&owned)
    }

    func unref() { ff.av_frame_unref(pointer) }
}
