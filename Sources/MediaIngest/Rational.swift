import CFFmpeg

extension AVRational {
    /// The value in seconds of `ticks` of this time base.
    func seconds(_ ticks: Int64) -> Double {
        Double(ticks) * Double(num) / Double(den)
    }

    var isValid: Bool { num > 0 && den > 0 }
}

/// Converts between time bases exactly (FFmpeg's 128-bit rescale, rounding to nearest).
func rescale(_ value: Int64, from source: AVRational, to destination: AVRational) -> Int64 {
    ff.av_rescale_q(value, source, destination)
}
