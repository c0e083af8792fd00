import Foundation
import GRDB

extension StateStore {
    /// Adds a passkey for a private tracker and returns it. With `passkey` nil, a new one of 32
    /// lowercase hex digits is drawn from the system's secure random generator; a given one must pass
    /// `TrackerKey.isValidPasskey` (else `invalidPasskey`) and must not have been stored before, even if
    /// it was revoked since (else `duplicatePasskey`).
    @discardableResult
    public func addTrackerKey(
        label: String, passkey: String? = nil, createdAt: Date = Date()
    ) throws(StateStoreError) -> TrackerKey {
        if let passkey, !TrackerKey.isValidPasskey(passkey) { throw .invalidPasskey(passkey) }
        return try write("add a tracker key") { db in
            var key = TrackerKey(passkey: passkey ?? TrackerKey.generatePasskey(), label: label, createdAt: createdAt)
            while try TrackerKeyRecord.exists(db, key: key.passkey) {
                // 128 random bits do not repeat in practice; a given passkey is refused.
                guard passkey == nil else { throw StateStoreError.duplicatePasskey(key.passkey) }
                key.passkey = TrackerKey.generatePasskey()
            }
            try TrackerKeyRecord(key).insert(db)
            return key
        }
    }

    /// The tracker's keys, oldest first (keys created at the same instant in the order they were
    /// added); revoked ones too unless `includingRevoked` is false.
    public func trackerKeys(includingRevoked: Bool = true) throws(StateStoreError) -> [TrackerKey] {
        try read("read the tracker keys") { db in
            var request = TrackerKeyRecord.order(TrackerKeyRecord.CodingKeys.createdAt, Column.rowID)
            if !includingRevoked { request = request.filter(TrackerKeyRecord.CodingKeys.revokedAt == nil) }
            return try request.fetchAll(db).map(\.key)
        }
    }

    /// Stops accepting `passkey` from `revokedAt` on; the key stays listed, revoked. Returns false when
    /// no active key has this passkey (unknown, or revoked before).
    @discardableResult
    public func revokeTrackerKey(_ passkey: String, revokedAt: Date = Date()) throws(StateStoreError) -> Bool {
        try write("revoke a tracker key") { db in
            try db.execute(
                sql: "UPDATE trackerKey SET revokedAt = ? WHERE passkey = ? AND revokedAt IS NULL",
                arguments: [revokedAt.timeIntervalSince1970, passkey])
            return db.changesCount > 0
        }
    }

    /// The passkeys the tracker accepts now: every key not revoked.
    public func activeTrackerPasskeys() throws(StateStoreError) -> Set<String> {
        try read("read the active tracker passkeys") { db in
            try Set(String.fetchAll(db, sql: "SELECT passkey FROM trackerKey WHERE revokedAt IS NULL"))
        }
    }
}
