/// Names one peer connection inside the engine; the key of the picker and of per-peer state.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    public var description: String { "#\(rawValue)" }
}
