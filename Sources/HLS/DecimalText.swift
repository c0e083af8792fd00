/// Reading and writing the decimal numbers of playlists with the standard library alone: no Foundation and
/// no locale, so the output is the same on every machine and a decimal comma can never appear.
enum DecimalText {
    /// An RFC 8216 decimal-integer (`[0-9]+`) that fits in `Int`; nil for anything else, including
    /// signs, spaces and values that would overflow.
    static func integer(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    /// An RFC 8216 decimal-floating-point (digits with at most one `.`, no sign, no exponent) below
    /// `PlaylistLimits.decimalCeiling`; nil for anything else. A decimal-integer is accepted too.
    static func floatingPoint(_ text: Substring) -> Double? {
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                dots += 1
            } else {
                return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        // The grammar above allows ".5" and "5."; the standard library's parser wants digits on both sides.
        var normalised = String(text)
        if normalised.hasPrefix(".") { normalised = "0" + normalised }
        if normalised.hasSuffix(".") { normalised += "0" }
        guard let value = Double(normalised), value.isFinite, value < PlaylistLimits.decimalCeiling else {
            return nil
        }
        return value
    }

    /// `value` rounded to `decimals` places (half away from zero) and written with exactly that many
    /// digits after the point, e.g. `fixed(10, decimals: 6) == "10.000000"`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard let parts = fixedPoint(value, decimals: decimals) else {
            // Not reachable from a parsed playlist (its numbers are below the ceiling); a model built in
            // code with an absurd value still renders instead of trapping.
            return value.description
        }
        let sign = parts.negative ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(parts.whole)" }
        let fraction = String(parts.fraction)
        return "\(sign)\(parts.whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// `value` rounded to `decimals` places, as its whole part and its fraction in units of 10^-decimals;
    /// nil when it is not finite or its whole part does not fit comfortably in `Int`.
    ///
    /// The whole part is split off first: `value - whole` is exact, so the fraction is rounded once, while
    /// `value × 10^decimals` would already be rounded to 53 bits for values above 2^53 / 10^decimals.
    static func fixedPoint(_ value: Double, decimals: Int) -> (negative: Bool, whole: Int, fraction: Int)? {
        precondition((0...18).contains(decimals), "10^decimals must fit in Int")
        guard value.isFinite, value.magnitude < 9e18 else { return nil }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let magnitude = value.magnitude
        var whole = Int(magnitude.rounded(.towardZero))
        var fraction = Int(((magnitude - magnitude.rounded(.towardZero)) * Double(scale)).rounded())
        if fraction >= scale {
            whole += 1
            fraction -= scale
        }
        // -0.0000001 rounds to zero, which has no sign.
        return (value < 0 && (whole != 0 || fraction != 0), whole, fraction)
    }

    /// `value` rounded up to an integer, clamped into `Int` (NaN becomes 0).
    static func ceilingClamped(_ value: Double) -> Int {
        let rounded = value.rounded(.up)
        guard !rounded.isNaN else { return 0 }
        if rounded >= 9_223_372_036_854_775_808.0 { return Int.max }
        if rounded <= -9_223_372_036_854_775_808.0 { return Int.min }
        return Int(rounded)
    }
}
