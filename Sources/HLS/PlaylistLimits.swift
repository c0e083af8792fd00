/// Limits on playlists read from peers, so that a hostile or broken playlist costs bounded memory and time
/// and its numbers cannot overflow the arithmetic done on them.
public enum PlaylistLimits {
    /// Largest playlist accepted. A ten-hour video cut into 2-second segments needs about 1 MB of media
    /// playlist; sixteen times that leaves room for long titles and URIs.
    public static let maximumBytes = 16 * 1024 * 1024

    /// Longest line accepted; URIs and attribute lists are far shorter in practice.
    public static let maximumLineBytes = 64 * 1024

    /// Decimal numbers (durations, frame rates) must be below this: 10^12 seconds is 31 700 years, and
    /// staying far from `Int`'s limits means no integer conversion of a parsed number can trap.
    public static let decimalCeiling: Double = 1e12

    /// `PlaylistRules.violations` stops collecting after this many, so a playlist of a million bad lines
    /// does not produce a million errors.
    public static let maximumViolations = 100

    /// Values quoted in error messages are cut to this many characters.
    static let maximumQuotedCharacters = 40
}
