import TorrentModel

/// Named limits and durations for serving a torrent's files over HTTP (`/v/<infohash>/<path>`). Requests beyond
/// a limit are refused (paths, 400) or have the header ignored (`Range`, `If-None-Match`, `If-Range`), so a
/// hostile request costs bounded work and cannot overflow any arithmetic.
public enum HTTPServingLimits {
    /// The longest request path accepted, in bytes as sent (percent-encoded, query excluded). Common servers cap
    /// the whole request line near 8 KiB too; a Shoal video torrent's paths are a few dozen bytes.
    public static let maximumRequestPathBytes = 8 * 1024

    /// The most path components below the infohash: the deepest path a torrent may describe.
    public static let maximumPathComponents = TorrentLimits.maximumPathDepth

    /// The longest path component once percent-decoded, in UTF-8 bytes: the longest a torrent may describe.
    public static let maximumPathComponentBytes = TorrentLimits.maximumPathComponentLength

    /// A longer `Range` value is ignored (the whole file is sent). One range needs at most about 50 bytes.
    public static let maximumRangeHeaderBytes = 1024

    /// A longer `If-None-Match` or `If-Range` value is ignored (no 304; a range under `If-Range` is not applied).
    public static let maximumConditionalHeaderBytes = 8 * 1024

    /// `max-age` of files that never change (every file of a torrent, since the infohash fixes its bytes): one
    /// year, the longest RFC 9111 §5.2.2.1 expects caches to honour.
    public static let immutableMaxAgeSeconds = 31_536_000

    /// How long a browser may reuse a CORS preflight answer (`Access-Control-Max-Age`). Browsers cap it on
    /// their own (Firefox at a day, Chromium at two hours).
    public static let preflightMaxAgeSeconds = 86_400

    /// Request text quoted in error messages is cut to this many characters.
    static let maximumQuotedCharacters = 40
}
