/// The JSON body of every error response of the control API:
/// `{"error": "<code>", "message": "<one line for a person>"}`, plus the fields some codes carry.
///
/// The codes are those of ``NodeControlError/Code`` and, from the server alone, ``Code/notFound``
/// (no such route) and ``Code/methodNotAllowed``.
public struct APIErrorBody: Codable, Equatable, Sendable {
    /// The machine-readable code.
    public var error: String
    /// One line for a person.
    public var message: String
    /// The reference that matched nothing or too much (`unknownTorrent`, `ambiguousReference`).
    public var reference: String?
    /// The infohashes an ambiguous reference matches.
    public var matches: [String]?
    /// The infohash already in the library (`alreadyAdded`).
    public var infoHash: String?

    public init(
        error: String, message: String, reference: String? = nil, matches: [String]? = nil, infoHash: String? = nil
    ) {
        self.error = error
        self.message = message
        self.reference = reference
        self.matches = matches
        self.infoHash = infoHash
    }

    /// Codes only the server itself gives.
    public enum Code {
        /// No route has this path.
        public static let notFound = "notFound"
        /// The path exists but not with this method.
        public static let methodNotAllowed = "methodNotAllowed"
    }
}
