import TorrentModel

/// Who may announce what: any infohash or only listed ones, and, in private mode, only with a passkey
/// that is known and not revoked. Refusals are `failure reason` texts, for HTTP and UDP alike.
public struct TrackerAccessPolicy: Sendable, Equatable {
    /// Nil: any infohash (open). Otherwise only these.
    public var allowedInfoHashes: Set<InfoHash>?
    /// Nil: no passkey needed. Otherwise the passkeys that may announce.
    public var passkeys: Set<String>?

    public init(allowedInfoHashes: Set<InfoHash>? = nil, passkeys: Set<String>? = nil) {
        self.allowedInfoHashes = allowedInfoHashes
        self.passkeys = passkeys
    }

    public static let open = TrackerAccessPolicy()

    public var isPrivate: Bool { passkeys != nil }

    /// Nil when the announce or scrape may go ahead. A passkey given to an open tracker is ignored.
    public func refusal(infoHash: InfoHash, passkey: Substring?) -> String? {
        if let refusal = refusal(passkey: passkey) { return refusal }
        if let allowedInfoHashes, !allowedInfoHashes.contains(infoHash) {
            return "unregistered torrent: \(infoHash.hex) is not tracked here"
        }
        return nil
    }

    /// The passkey check alone (a scrape checks it once for all its infohashes).
    public func refusal(passkey: Substring?) -> String? {
        guard let passkeys else { return nil }
        guard let passkey, !passkey.isEmpty else {
            return "this tracker is private: announce to /announce/<your passkey>"
        }
        guard passkeys.contains(String(passkey)) else { return "unknown or revoked passkey" }
        return nil
    }
}
