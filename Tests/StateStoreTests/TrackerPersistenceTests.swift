import Foundation
import StateStore
import Testing
import TorrentModel

@Suite("Tracker persistence")
struct TrackerPersistenceTests {
    // MARK: Completed counts

    @Test("completed counts survive closing and reopening; swarms need no torrent in the library")
    func countsSurviveReopen() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            #expect(try store.trackerCompletedCounts().isEmpty)
            try store.saveTrackerCompletedCounts([infoHash(1): 7, infoHash(2): 0, infoHash(0xFE): 1_234_567])
            try store.close()
        }
        let store = try folder.open()
        #expect(try store.trackerCompletedCounts() == [infoHash(1): 7, infoHash(2): 0, infoHash(0xFE): 1_234_567])
        #expect(try store.allTorrents().isEmpty)
    }

    @Test("saving again overwrites with the new absolute value and keeps the swarms not named")
    func countsUpsert() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.saveTrackerCompletedCounts([infoHash(1): 7, infoHash(2): 3])
        try store.saveTrackerCompletedCounts([infoHash(1): 9, infoHash(3): 1])
        try store.saveTrackerCompletedCounts([:])
        #expect(try store.trackerCompletedCounts() == [infoHash(1): 9, infoHash(2): 3, infoHash(3): 1])
        // Absolute, not added: a lower value replaces a higher one.
        try store.saveTrackerCompletedCounts([infoHash(1): 2])
        #expect(try store.trackerCompletedCounts()[infoHash(1)] == 2)
    }

    @Test("a negative count is refused and nothing of that flush is written")
    func negativeCount() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.saveTrackerCompletedCounts([infoHash(1): 5])
        let error = #expect(throws: StateStoreError.self) {
            try store.saveTrackerCompletedCounts([infoHash(1): 6, infoHash(2): -1])
        }
        guard case .invalidRecord(let what) = error else {
            Issue.record("expected invalidRecord, got \(String(describing: error))")
            return
        }
        #expect(what.contains(infoHash(2).hex))
        #expect(what.contains("-1"))
        #expect(try store.trackerCompletedCounts() == [infoHash(1): 5])
    }

    @Test("a flush of thousands of swarms round-trips")
    func manySwarms() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        var counts: [InfoHash: Int] = [:]
        for index in 0..<20_000 {
            var bytes = [UInt8](repeating: 0, count: InfoHash.byteCount)
            bytes[0] = UInt8(index >> 8)
            bytes[1] = UInt8(index & 0xFF)
            bytes[19] = 0x5A
            counts[InfoHash(bytes: bytes)!] = index
        }
        try store.saveTrackerCompletedCounts(counts)
        try expectSaved(counts, in: store)
        for key in counts.keys { counts[key]! += 1 }
        try store.saveTrackerCompletedCounts(counts)
        try expectSaved(counts, in: store)
    }

    /// Compares without printing 20,000 entries when they differ.
    private func expectSaved(
        _ counts: [InfoHash: Int], in store: StateStore, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let saved = try store.trackerCompletedCounts()
        #expect(saved.count == counts.count, sourceLocation: sourceLocation)
        let wrong = counts.filter { saved[$0.key] != $0.value }.keys.sorted()
        if let first = wrong.first {
            Issue.record(
                "\(wrong.count) swarms differ; \(first) is \(String(describing: saved[first])), not \(counts[first]!)",
                sourceLocation: sourceLocation)
        }
    }

    // MARK: Totals

    @Test("totals are stored as absolute values, by name, across reopening")
    func totals() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            #expect(try store.trackerTotals().isEmpty)
            try store.saveTrackerTotals(["announces": 10, "scrapes": 2, "completed": 1])
            try store.saveTrackerTotals(["announces": 5_000_000_000, "completed": 4])
            try store.close()
        }
        let store = try folder.open()
        #expect(try store.trackerTotals() == ["announces": 5_000_000_000, "scrapes": 2, "completed": 4])
        try store.saveTrackerTotals(["scrapes": 0, "new counter": Int64.max])
        #expect(
            try store.trackerTotals() == [
                "announces": 5_000_000_000, "scrapes": 0, "completed": 4, "new counter": Int64.max,
            ])
    }

    // MARK: Keys

    @Test("keys are listed oldest first, revoked ones optionally, and survive reopening")
    func keysRoundTrip() throws {
        let folder = try StoreFolder()
        let alice = "alice-passkey-0123456789"
        let bob = "BOB_passkey_abcdefghij"
        let carol = "carol-passkey-zyxwvutsrq"
        do {
            let store = try folder.open()
            #expect(try store.trackerKeys().isEmpty)
            #expect(try store.activeTrackerPasskeys().isEmpty)
            let added = try store.addTrackerKey(label: "Bob", passkey: bob, createdAt: date(2_000))
            #expect(added == TrackerKey(passkey: bob, label: "Bob", createdAt: date(2_000)))
            #expect(!added.isRevoked)
            try store.addTrackerKey(label: "Alice ünïcode", passkey: alice, createdAt: date(1_000))
            try store.addTrackerKey(label: "", passkey: carol, createdAt: Date(timeIntervalSince1970: 3_000.125))
            try store.close()
        }
        let store = try folder.open()
        let all = [
            TrackerKey(passkey: alice, label: "Alice ünïcode", createdAt: date(1_000)),
            TrackerKey(passkey: bob, label: "Bob", createdAt: date(2_000)),
            TrackerKey(passkey: carol, label: "", createdAt: Date(timeIntervalSince1970: 3_000.125)),
        ]
        #expect(try store.trackerKeys() == all)
        #expect(try store.trackerKeys(includingRevoked: false) == all)
        #expect(try store.activeTrackerPasskeys() == [alice, bob, carol])

        #expect(try store.revokeTrackerKey(bob, revokedAt: date(2_500)))
        var revokedBob = all[1]
        revokedBob.revokedAt = date(2_500)
        #expect(revokedBob.isRevoked)
        #expect(try store.trackerKeys() == [all[0], revokedBob, all[2]])
        #expect(try store.trackerKeys(includingRevoked: false) == [all[0], all[2]])
        #expect(try store.activeTrackerPasskeys() == [alice, carol])
    }

    @Test("keys created at the same instant keep the order they were added in")
    func sameInstant() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        let labels = ["z", "a", "m", "b"]
        for label in labels { try store.addTrackerKey(label: label, createdAt: date(42)) }
        #expect(try store.trackerKeys().map(\.label) == labels)
    }

    @Test("a key added without a passkey gets 32 random lowercase hex digits, a new one every time")
    func generatedPasskeys() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        var passkeys: Set<String> = []
        for index in 0..<64 {
            let key = try store.addTrackerKey(label: "viewer \(index)")
            #expect(key.passkey.count == 32)
            #expect(key.passkey.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(TrackerKey.isValidPasskey(key.passkey))
            #expect(key.label == "viewer \(index)")
            #expect(!key.isRevoked)
            passkeys.insert(key.passkey)
        }
        #expect(passkeys.count == 64)
        #expect(try store.activeTrackerPasskeys() == passkeys)
        // Not hex of a counter or a clock: the digits vary in every position across the keys.
        for position in 0..<32 {
            let digits = Set(passkeys.map { Array($0)[position] })
            #expect(digits.count > 4, "position \(position) took only \(digits.sorted())")
        }
    }

    @Test(
        "a passkey outside 16-64 characters of A-Z a-z 0-9 _ - is refused",
        arguments: [
            "", "short", String(repeating: "a", count: 15), String(repeating: "b", count: 65),
            "passkey/with/slash", "passkey with space", "passkey%2Fescaped", "passkey-ünïcode-1234",
            "passkey\nnewline-123456", "passkey.dot.0123456789", "passkey?query=12345678",
        ])
    func invalidPasskey(passkey: String) throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(!TrackerKey.isValidPasskey(passkey))
        let error = #expect(throws: StateStoreError.invalidPasskey(passkey)) {
            try store.addTrackerKey(label: "x", passkey: passkey)
        }
        let message = try #require(error).description
        #expect(message.hasPrefix("invalid tracker passkey ("))
        #expect(message.contains("16 to 64 characters of A-Z, a-z, 0-9, _ and -"))
        #expect(!message.contains("\n"))
        #expect(try store.trackerKeys().isEmpty)
    }

    @Test("the reason names the length or the first character that is not allowed")
    func invalidPasskeyReasons() {
        #expect(StateStoreError.invalidPasskey("short").description.contains("(it is 5 characters long)"))
        #expect(
            StateStoreError.invalidPasskey(String(repeating: "b", count: 65)).description.contains(
                "(it is 65 characters long)"))
        #expect(StateStoreError.invalidPasskey("passkey/with/slash").description.contains("(it contains \"/\")"))
        #expect(StateStoreError.invalidPasskey("passkey with space").description.contains("(it contains U+0020)"))
        #expect(StateStoreError.invalidPasskey("passkey\nnewline1234").description.contains("(it contains U+000A)"))
        #expect(StateStoreError.invalidPasskey("passkey-é-12345678").description.contains("(it contains U+00E9)"))
    }

    @Test("passkeys of exactly 16 and 64 characters, of every allowed character, are accepted")
    func boundaryPasskeys() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        let shortest = "Az09_-Az09_-Az09"
        let longest = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        #expect(shortest.count == 16 && longest.count == 64)
        try store.addTrackerKey(label: "short", passkey: shortest, createdAt: date(1))
        try store.addTrackerKey(label: "long", passkey: longest, createdAt: date(2))
        #expect(try store.trackerKeys().map(\.passkey) == [shortest, longest])
    }

    @Test("a passkey stored before is refused, even once revoked, and the stored key is kept")
    func duplicatePasskey() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        let passkey = "duplicate-passkey-0001"
        try store.addTrackerKey(label: "first", passkey: passkey, createdAt: date(10))
        let error = #expect(throws: StateStoreError.duplicatePasskey(passkey)) {
            try store.addTrackerKey(label: "second", passkey: passkey, createdAt: date(20))
        }
        #expect(error?.description.contains(passkey) == true)
        #expect(error?.description.contains("exists already") == true)
        try store.revokeTrackerKey(passkey, revokedAt: date(30))
        #expect(throws: StateStoreError.duplicatePasskey(passkey)) {
            try store.addTrackerKey(label: "third", passkey: passkey, createdAt: date(40))
        }
        #expect(
            try store.trackerKeys() == [
                TrackerKey(passkey: passkey, label: "first", createdAt: date(10), revokedAt: date(30))
            ])
        // Passkeys are case-sensitive, as URL paths are.
        try store.addTrackerKey(label: "upper", passkey: passkey.uppercased(), createdAt: date(50))
        #expect(try store.activeTrackerPasskeys() == [passkey.uppercased()])
    }

    @Test("revoking an unknown or already revoked passkey returns false and changes nothing")
    func revokeUnknown() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(try store.revokeTrackerKey("no-such-passkey-123") == false)
        let key = try store.addTrackerKey(label: "kept", createdAt: date(5))
        #expect(try store.revokeTrackerKey("no-such-passkey-123") == false)
        #expect(try store.revokeTrackerKey(key.passkey.uppercased()) == false)
        #expect(try store.activeTrackerPasskeys() == [key.passkey])

        #expect(try store.revokeTrackerKey(key.passkey, revokedAt: date(6)) == true)
        #expect(try store.revokeTrackerKey(key.passkey, revokedAt: date(7)) == false)
        // The first revocation's time stays.
        #expect(try store.trackerKeys().first?.revokedAt == date(6))
        #expect(try store.activeTrackerPasskeys().isEmpty)
    }

    @Test("tracker calls after close throw closed")
    func afterClose() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.close()
        let closed = StateStoreError.closed(path: folder.path)
        #expect(throws: closed) { try store.trackerCompletedCounts() }
        #expect(throws: closed) { try store.saveTrackerCompletedCounts([infoHash(1): 1]) }
        #expect(throws: closed) { try store.trackerTotals() }
        #expect(throws: closed) { try store.saveTrackerTotals(["announces": 1]) }
        #expect(throws: closed) { try store.addTrackerKey(label: "late") }
        #expect(throws: closed) { try store.trackerKeys() }
        #expect(throws: closed) { try store.revokeTrackerKey("whatever-passkey-1") }
        #expect(throws: closed) { try store.activeTrackerPasskeys() }
    }
}
