import Testing

@testable import HLS

@Suite("RFC 6381 codec strings")
struct CodecStringTests {
    /// The avcC box of a 640x360 High profile level 3.1 stream from x264
    /// (`ffmpeg -f lavfi -i testsrc=size=640x360 -pix_fmt yuv420p -c:v libx264 -profile:v high -level 3.1`).
    static let highAvcC: [UInt8] = [
        0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x1A, 0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0xA0, 0x2F, 0xF9,
        0x70, 0x11, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x3C, 0x0F, 0x18, 0x31, 0x96, 0x01, 0x00,
        0x06, 0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0, 0xFD, 0xF8, 0xF8, 0x00,
    ]

    /// The start of the same kind of stream at level 3.0 written as raw H.264 (Annex B): SPS, PPS, SEI.
    static let highAnnexB: [UInt8] = [
        0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1E, 0xAC, 0xD9, 0x40, 0xA0, 0x2F, 0xF9, 0x70, 0x11, 0x00, 0x00,
        0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x3C, 0x0F, 0x16, 0x2D, 0x96, 0x00, 0x00, 0x00, 0x01, 0x68, 0xEB,
        0xE3, 0xCB, 0x22, 0xC0, 0x00, 0x00, 0x01, 0x06, 0x05, 0xFF, 0xFF, 0xAA, 0xDC, 0x45, 0xE9, 0xBD,
    ]

    /// The avcC box of a 1920x1080 Main profile level 4.0 stream from x264.
    static let mainAvcC: [UInt8] = [
        0x01, 0x4D, 0x40, 0x28, 0xFF, 0xE1, 0x00, 0x1A, 0x67, 0x4D, 0x40, 0x28, 0xEC, 0xA0, 0x3C, 0x01, 0x13, 0xF2,
        0xE0, 0x22, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x03, 0x00, 0x78, 0x1E, 0x30, 0x63, 0x2C, 0x01, 0x00,
        0x05, 0x68, 0xEB, 0xE3, 0xCB, 0x20,
    ]

    @Test func avcFromConfigurationRecords() {
        #expect(CodecString.avc(configurationRecord: Self.highAvcC) == "avc1.64001f")
        #expect(CodecString.avc(configurationRecord: Self.mainAvcC) == "avc1.4d4028")
        #expect(CodecString.avc(configurationRecord: [0x01, 0x42, 0xC0, 0x1E]) == "avc1.42c01e")
        #expect(CodecString.avc(configurationRecord: [0x01, 0x64, 0x00]) == nil)
        #expect(CodecString.avc(configurationRecord: [0x02, 0x64, 0x00, 0x1F]) == nil)
        #expect(CodecString.avc(configurationRecord: []) == nil)
        #expect(CodecString.avc(configurationRecord: [0x01, 0x00, 0x00, 0x1F]) == nil)
    }

    @Test func avcFromAnnexB() {
        #expect(CodecString.avc(annexB: Self.highAnnexB) == "avc1.64001e")
        // Three-byte start code, after an access unit delimiter and an SEI.
        let withAUD: [UInt8] =
            [0x00, 0x00, 0x01, 0x09, 0xF0, 0x00, 0x00, 0x01, 0x06, 0x05, 0x01, 0x80]
            + [0x00, 0x00, 0x01, 0x67, 0x4D, 0x40, 0x28, 0xEC]
        #expect(CodecString.avc(annexB: withAUD) == "avc1.4d4028")
        // nal_ref_idc bits do not change the type.
        #expect(CodecString.avc(annexB: [0x00, 0x00, 0x01, 0x27, 0x42, 0xE0, 0x0D]) == "avc1.42e00d")
        // A PPS only, a truncated SPS, no start code, nothing.
        #expect(CodecString.avc(annexB: [0x00, 0x00, 0x00, 0x01, 0x68, 0xEB, 0xE3, 0xCB]) == nil)
        #expect(CodecString.avc(annexB: [0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00]) == nil)
        #expect(CodecString.avc(annexB: [0x67, 0x64, 0x00, 0x1F]) == nil)
        #expect(CodecString.avc(annexB: []) == nil)
        // forbidden_zero_bit set: not a NAL unit header.
        #expect(CodecString.avc(annexB: [0x00, 0x00, 0x01, 0xE7, 0x64, 0x00, 0x1F]) == nil)
    }

    @Test func avcFromEitherKindOfExtradata() {
        #expect(CodecString.avc(extradata: Self.highAvcC) == "avc1.64001f")
        #expect(CodecString.avc(extradata: Self.mainAvcC) == "avc1.4d4028")
        #expect(CodecString.avc(extradata: Self.highAnnexB) == "avc1.64001e")
        #expect(CodecString.avc(extradata: []) == nil)
        #expect(CodecString.avc(extradata: [0xFF, 0xFF]) == nil)
    }

    @Test func aacFromAudioSpecificConfig() {
        // FFmpeg's AAC-LC encoder, 48 kHz stereo (from the esds of the stream above, with its SBR sync extension).
        #expect(CodecString.aac(audioSpecificConfig: [0x11, 0x90, 0x56, 0xE5, 0x00]) == "mp4a.40.2")
        #expect(CodecString.aac(audioSpecificConfig: [0x12, 0x10]) == "mp4a.40.2")
        // HE-AAC: object type 5, 24 kHz, stereo, extension at 48 kHz, then AAC-LC.
        #expect(CodecString.aac(audioSpecificConfig: [0x2B, 0x11, 0x88, 0x00]) == "mp4a.40.5")
        // HE-AAC v2 (parametric stereo) is type 29.
        #expect(CodecString.aac(audioSpecificConfig: [0xEB, 0x09, 0x88, 0x00]) == "mp4a.40.29")
        // Escape: 31, then six bits. 11111 001010 is 32 + 10 = 42 (USAC).
        #expect(CodecString.aac(audioSpecificConfig: [0xF9, 0x40]) == "mp4a.40.42")
        // 11111 000000 is 32 (the smallest escaped type); 11111 111111 is 95.
        #expect(CodecString.aac(audioSpecificConfig: [0xF8, 0x00]) == "mp4a.40.32")
        #expect(CodecString.aac(audioSpecificConfig: [0xFF, 0xE0]) == "mp4a.40.95")
        #expect(CodecString.aac(audioSpecificConfig: [0xF8]) == nil)
        #expect(CodecString.aac(audioSpecificConfig: []) == nil)
        #expect(CodecString.aac(audioSpecificConfig: [0x00, 0x10]) == nil)
    }

    @Test func mp3() {
        #expect(CodecString.mp3 == "mp4a.40.34")
    }
}
