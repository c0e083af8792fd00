/// Why a DHT node could not start.
public enum DHTNodeError: Error, Sendable, CustomStringConvertible {
    case cannotBind(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotBind(let host, let port, let reason): return "DHT: cannot bind UDP \(host):\(port): \(reason)"
        }
    }
}
