/// Why a client announces: `started` first, `completed` once when the download finishes,
/// `stopped` when it leaves, and `none` for the periodic announces in between.
public enum AnnounceEvent: Hashable, Sendable, CaseIterable {
    case none
    case completed
    case started
    case stopped
    /// BEP 21: a partial seed that wants nothing more. libtorrent sends it as UDP event 4.
    case paused

    /// The `event` query value; `none` sends no event field at all.
    public var queryValue: String? {
        switch self {
        case .none: return nil
        case .completed: return "completed"
        case .started: return "started"
        case .stopped: return "stopped"
        case .paused: return "paused"
        }
    }

    /// The BEP 15 event number.
    public var udpValue: UInt32 {
        switch self {
        case .none: return 0
        case .completed: return 1
        case .started: return 2
        case .stopped: return 3
        case .paused: return 4
        }
    }

    /// Reads a query value; an absent or empty `event` means `none`.
    public init?(queryValue: String) {
        switch queryValue {
        case "": self = .none
        case "completed": self = .completed
        case "started": self = .started
        case "stopped": self = .stopped
        case "paused": self = .paused
        default: return nil
        }
    }

    public init?(udpValue: UInt32) {
        guard let event = Self.allCases.first(where: { $0.udpValue == udpValue }) else { return nil }
        self = event
    }
}
