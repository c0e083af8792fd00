/// Top-level ISO BMFF boxes in a byte run, enough to tell the init segment (ftyp, moov) from the first
/// fragment (styp, sidx, moof, mdat) when the MP4 muxer writes both in one flush.
enum MP4Boxes {
    /// Box types that begin a media segment.
    static let segmentStarts: Set<String> = ["styp", "sidx", "moof", "emsg", "prft"]

    /// The offset of the first box that begins a media segment, or nil if none does. Sizes follow
    /// ISO/IEC 14496-12 §4.2: 32-bit, 1 for a 64-bit size after the type, 0 for "to the end".
    static func firstSegmentBox(in bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset + 8 <= bytes.count {
            let size32 = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if segmentStarts.contains(type) { return offset }
            var size = size32
            if size32 == 1 {
                guard offset + 16 <= bytes.count else { return nil }
                size = bytes[offset + 8..<offset + 16].reduce(0) { $0 << 8 | Int($1) }
            } else if size32 == 0 {
                return nil
            }
            guard size >= 8 else { return nil }
            offset += size
        }
        return nil
    }
}
