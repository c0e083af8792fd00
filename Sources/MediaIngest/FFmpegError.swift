import CFFmpeg

/// A failed FFmpeg call: what Shoal was doing and FFmpeg's own words for the code.
public struct FFmpegError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(Self.message(for: code))" }

    /// FFmpeg's text for an error code, e.g. "Invalid data found when processing input".
    static func message(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard ff.av_strerror(code, &buffer, buffer.count) == 0 else { return "error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Throws for a negative return code.
    @discardableResult
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(FFmpegError) -> Int32 {
        guard code >= 0 else { throw FFmpegError(operation(), code: code) }
        return code
    }
}
