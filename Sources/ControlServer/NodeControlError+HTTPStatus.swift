import Hummingbird
import NodeAPI

extension NodeControlError {
    /// The status the control API answers this error with (docs/api.md, "Errors").
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidInput: return .badRequest
        case .unknownTorrent: return .notFound
        // The prefix was fine until a second torrent with it joined the library: a conflict with the
        // library's current state, fixed by giving more digits.
        case .ambiguousReference: return .conflict
        case .alreadyAdded: return .conflict
        case .notAllowed: return .forbidden
        case .internalFailure: return .internalServerError
        }
    }
}
