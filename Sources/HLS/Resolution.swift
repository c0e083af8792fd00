/// A video's size in pixels, written `<width>x<height>` (RFC 8216 §4.2 decimal-resolution).
public struct Resolution: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WxH` with decimal integers; nil for anything else.
    init?(parsing text: Substring) {
        let parts = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let width = DecimalText.integer(parts[0]), let height = DecimalText.integer(parts[1])
        else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }
}
