/// Constants shared by the control API's server and client: where it lives and how much it accepts.
public enum ControlAPI {
    /// Every route sits under this path; a new incompatible version gets a new prefix.
    public static let basePath = "/api/v1"
    /// The port `shoal node` serves the API on unless told otherwise (one below BitTorrent's 6881).
    public static let defaultPort = 6880
    /// The address the API binds by default; it has no authentication, so it must stay on loopback.
    public static let defaultHost = "127.0.0.1"
    /// The media type of a raw .torrent upload.
    public static let torrentMediaType = "application/x-bittorrent"
    /// The media type of every JSON request and response body.
    public static let jsonMediaType = "application/json"

    /// The largest .torrent file accepted (raw upload, or decoded from base64 in JSON). A torrent this
    /// size lists about 800,000 pieces; bigger bodies get 413.
    public static let maximumMetainfoBytes = 16 * 1024 * 1024
    /// The largest JSON request body: a base64 torrent of ``maximumMetainfoBytes`` plus room for the
    /// other fields.
    public static let maximumJSONBodyBytes = (maximumMetainfoBytes + 2) / 3 * 4 + 64 * 1024
}
