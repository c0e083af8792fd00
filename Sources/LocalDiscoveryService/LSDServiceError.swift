/// Why an LSD service could not start.
public enum LSDServiceError: Error, Sendable, CustomStringConvertible {
    /// The group is not an IP multicast address.
    case invalidGroup(String)
    /// No interface has this name or address (in the group's address family).
    case unknownInterface(String)
    case cannotBind(host: String, port: Int, reason: String)
    /// The socket is bound but the group could not be joined or the multicast options not set.
    case cannotJoin(group: String, interface: String, reason: String)

    public var description: String {
        switch self {
        case .invalidGroup(let group): return "LSD: '\(group)' is not an IP multicast group address"
        case .unknownInterface(let interface):
            return "LSD: no network interface is called or has the address '\(interface)'"
        case .cannotBind(let host, let port, let reason): return "LSD: cannot bind UDP \(host):\(port): \(reason)"
        case .cannotJoin(let group, let interface, let reason):
            return "LSD: cannot join multicast group \(group) on interface \(interface): \(reason)"
        }
    }
}
