/// RFC 6381 codec strings for `CODECS`, derived from the codec parameters in the stream rather than
/// guessed from the codec name, so a player that checks them (Safari, hls.js via MSE) accepts the variant.
public enum CodecString {
    /// MP3: MPEG-4 audio object type 34 is Layer III. Apple's HLS authoring specification writes it this way
    /// (`mp4a.6B` and `mp4a.69` name the same codec by MP4 object type, and fewer players know them).
    public static let mp3 = "mp4a.40.34"

    /// `avc1.PPCCLL` from FFmpeg's extradata for H.264, which is either an avcC record (starts with
    /// configurationVersion 1) or Annex B NAL units (start with a start code's zero bytes).
    public static func avc(extradata: [UInt8]) -> String? {
        guard let first = extradata.first else { return nil }
        return first == 1 ? avc(configurationRecord: extradata) : avc(annexB: extradata)
    }

    /// `avc1.PPCCLL` from an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1): byte 0 is
    /// configurationVersion (1), then AVCProfileIndication, profile_compatibility and AVCLevelIndication.
    public static func avc(configurationRecord record: [UInt8]) -> String? {
        guard record.count >= 4, record[0] == 1 else { return nil }
        return avc(profile: record[1], constraints: record[2], level: record[3])
    }

    /// `avc1.PPCCLL` from Annex B byte stream data: the first sequence parameter set (nal_unit_type 7)
    /// after a `00 00 01` start code (a four-byte `00 00 00 01` contains one) starts with profile_idc,
    /// the constraint flags and level_idc.
    public static func avc(annexB bytes: [UInt8]) -> String? {
        var index = 0
        while index + 3 < bytes.count {
            guard bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 else {
                index += 1
                continue
            }
            let header = bytes[index + 3]
            // forbidden_zero_bit must be 0; nal_unit_type is the low five bits.
            if header & 0x80 == 0, header & 0x1F == 7 {
                // The first three payload bytes cannot hold an emulation prevention byte: that needs two zero
                // bytes before it, and profile_idc is never zero.
                guard index + 6 < bytes.count else { return nil }
                return avc(profile: bytes[index + 4], constraints: bytes[index + 5], level: bytes[index + 6])
            }
            index += 3
        }
        return nil
    }

    /// `mp4a.40.<audioObjectType>` from an AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): the first five
    /// bits are the object type, and 31 escapes to 32 plus the next six bits. AAC-LC is 2, HE-AAC 5.
    public static func aac(audioSpecificConfig config: [UInt8]) -> String? {
        guard let first = config.first else { return nil }
        var objectType = Int(first >> 3)
        if objectType == 31 {
            guard config.count >= 2 else { return nil }
            objectType = 32 + Int((first & 0x07) << 3 | config[1] >> 5)
        }
        // Type 0 is "null": no audio object, so no codec to name.
        guard objectType != 0 else { return nil }
        return "mp4a.40.\(objectType)"
    }

    private static func avc(profile: UInt8, constraints: UInt8, level: UInt8) -> String? {
        // No profile or level is numbered 0: such bytes are not a real parameter set.
        guard profile != 0, level != 0 else { return nil }
        return "avc1." + hex(profile) + hex(constraints) + hex(level)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
