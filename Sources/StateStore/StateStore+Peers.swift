import Foundation
import GRDB
import TorrentModel

extension StateStore {
    /// Records that these peers were in the torrent's swarm at `seenAt`, then forgets the ones seen
    /// longest ago so at most `limit` remain. A peer already known keeps the later of its two times.
    public func rememberPeers(
        _ peers: [PeerAddress], for infoHash: InfoHash, seenAt: Date,
        limit: Int = StateStoreLimits.maximumKnownPeersPerTorrent
    ) throws(StateStoreError) {
        precondition(limit >= 0, "a peer limit is never negative")
        try write("remember peers of torrent \(infoHash)") { db in
            try Self.requireTorrent(db, infoHash)
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO knownPeer (infohash, host, port, lastSeen) VALUES (?, ?, ?, ?)
                    ON CONFLICT (infohash, host, port) DO UPDATE SET lastSeen = max(lastSeen, excluded.lastSeen)
                    """)
            for peer in peers {
                try upsert.execute(arguments: [infoHash.hex, peer.host, Int(peer.port), seenAt.timeIntervalSince1970])
            }
            try db.execute(
                sql: """
                    DELETE FROM knownPeer WHERE infohash = ? AND rowid NOT IN (
                        SELECT rowid FROM knownPeer WHERE infohash = ?
                        ORDER BY lastSeen DESC, host, port LIMIT ?)
                    """,
                arguments: [infoHash.hex, infoHash.hex, limit])
        }
    }

    /// The peers remembered for a torrent, most recently seen first.
    public func knownPeers(for infoHash: InfoHash) throws(StateStoreError) -> [KnownPeer] {
        let records = try read("read known peers of torrent \(infoHash)") { db in
            try KnownPeerRecord
                .filter(KnownPeerRecord.CodingKeys.infoHash == infoHash.hex)
                .order(
                    KnownPeerRecord.CodingKeys.lastSeen.desc, KnownPeerRecord.CodingKeys.host,
                    KnownPeerRecord.CodingKeys.port
                )
                .fetchAll(db)
        }
        return try records.map { (record) throws(StateStoreError) in
            guard let port = UInt16(exactly: record.port), port > 0 else {
                throw .invalidRecord("known peer \(record.host) of torrent \(infoHash) has port \(record.port)")
            }
            return KnownPeer(address: PeerAddress(host: record.host, port: port), lastSeen: record.lastSeen)
        }
    }
}
