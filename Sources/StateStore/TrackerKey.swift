import Foundation
import TorrentModel

/// A passkey of a private tracker: announces and scrapes carry it in their path
/// (`/announce/<passkey>`), and the tracker answers only while it is not revoked. `label` says whom
/// it was given to.
public struct TrackerKey: Sendable, Hashable, Codable {
    /// 16 to 64 characters of `A–Z a–z 0–9 _ -`, safe in a URL path as it is.
    public var passkey: String
    public var label: String
    public var createdAt: Date
    /// When the key stopped being accepted; nil while it is active.
    public var revokedAt: Date?

    public init(passkey: String, label: String, createdAt: Date, revokedAt: Date? = nil) {
        self.passkey = passkey
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// Whether `passkey` may be stored: its length is within `StateStoreLimits.trackerPasskeyLengths`
    /// and every character is an ASCII letter, digit, `_` or `-`, so it needs no escaping in a URL path.
    public static func isValidPasskey(_ passkey: some StringProtocol) -> Bool {
        invalidPasskeyReason(passkey) == nil
    }

    /// Why `passkey` may not be stored, in a few words; nil when it may.
    static func invalidPasskeyReason(_ passkey: some StringProtocol) -> String? {
        let lengths = StateStoreLimits.trackerPasskeyLengths
        if let character = passkey.unicodeScalars.first(where: { !isPasskeyCharacter($0) }) {
            // Visible ASCII is shown as it is; anything else (a space, a control or non-ASCII
            // character) by its code point, so the message stays one unambiguous line.
            guard !(0x21...0x7E).contains(character.value) else { return "it contains \"\(character)\"" }
            let hex = String(character.value, radix: 16, uppercase: true)
            return "it contains U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        // Every scalar is ASCII now, so the count of scalars is the count of characters and bytes.
        let count = passkey.unicodeScalars.count
        guard lengths.contains(count) else { return "it is \(count) characters long" }
        return nil
    }

    private static func isPasskeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    /// A new passkey: `StateStoreLimits.generatedTrackerPasskeyBytes` bytes from the system's
    /// cryptographically secure generator (getrandom on Linux), as lowercase hex.
    static func generatePasskey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<StateStoreLimits.generatedTrackerPasskeyBytes).map { _ in
            UInt8.random(in: .min ... .max, using: &generator)
        }
        return Hex.encode(bytes)
    }
}
