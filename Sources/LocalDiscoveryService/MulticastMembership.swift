import LocalDiscovery
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The multicast group and the interface a socket joins it on, resolved from the settings, and the socket
/// options that put the socket there.
///
/// The group is joined with a plain `IP_ADD_MEMBERSHIP` / `IPV6_JOIN_GROUP` rather than NIO's `joinGroup`:
/// NIO refuses interfaces without the MULTICAST flag, and Linux's loopback has none, yet delivers IPv4
/// multicast on it (docs/lsd.md). On Linux, `IP_MULTICAST_ALL` is turned off so the socket only gets the
/// group on the interface it joined, not every group any socket on the host joined on that port.
struct MulticastMembership: Sendable {
    enum Interface: Sendable {
        /// The kernel chooses (the route to the group).
        case any
        case ipv4(in_addr)
        case ipv6(index: UInt32)
    }

    /// The group address with the port, where our packets go.
    let group: SocketAddress
    let interface: Interface
    /// The interface as configured, for messages.
    let interfaceDescription: String

    init(settings: LSDServiceSettings) throws(LSDServiceError) {
        guard let group = try? SocketAddress(ipAddress: settings.group, port: settings.port), group.isMulticast else {
            throw .invalidGroup(settings.group)
        }
        self.group = group
        interfaceDescription = settings.interface ?? "(any)"
        guard let name = settings.interface else {
            interface = .any
            return
        }
        let address = try? SocketAddress(ipAddress: name, port: 0)
        switch group {
        case .v4:
            if case .v4(let ipv4)? = address {
                interface = .ipv4(ipv4.address.sin_addr)
                return
            }
            let device = Self.devices().first { $0.name == name && $0.address?.protocol == .inet }
            guard case .v4(let ipv4)? = device?.address else { throw .unknownInterface(name) }
            interface = .ipv4(ipv4.address.sin_addr)
        default:
            let device = Self.devices().first { device in
                guard let deviceAddress = device.address, deviceAddress.protocol == .inet6 else { return false }
                return device.name == name || (address != nil && deviceAddress.ipAddress == address?.ipAddress)
            }
            guard let device else { throw .unknownInterface(name) }
            interface = .ipv6(index: UInt32(device.interfaceIndex))
        }
    }

    /// The `Host` header of our packets.
    var host: String {
        LSDAnnouncement.host(group: group.ipAddress ?? "", port: group.port ?? 0)
    }

    /// Joins the group on the interface, and makes the interface the one our packets leave by, with the
    /// given loop and time to live.
    func apply(to channel: any Channel, loop: Bool, timeToLive: Int) async throws(LSDServiceError) {
        guard let provider = channel as? any SocketOptionProvider else {
            throw .cannotJoin(group: groupDescription, interface: interfaceDescription, reason: "not a socket")
        }
        let ttl = min(max(timeToLive, 1), 255)
        do {
            switch group {
            case .v4(let group):
                var interfaceAddress = in_addr()
                interfaceAddress.s_addr = INADDR_ANY
                if case .ipv4(let address) = interface { interfaceAddress = address }
                let request = ip_mreq(imr_multiaddr: group.address.sin_addr, imr_interface: interfaceAddress)
                try await provider.unsafeSetSocketOption(level: .ip, name: .ip_add_membership, value: request).get()
                if case .ipv4(let address) = interface { try await provider.setIPMulticastIF(address).get() }
                try await provider.setIPMulticastLoop(loop ? 1 : 0).get()
                try await provider.setIPMulticastTTL(CUnsignedChar(ttl)).get()
                #if os(Linux)
                    try await provider.unsafeSetSocketOption(
                        level: .ip, name: NIOBSDSocket.Option(rawValue: IP_MULTICAST_ALL), value: CInt(0)
                    ).get()
                #endif
            case .v6(let group):
                var index: UInt32 = 0
                if case .ipv6(let interfaceIndex) = interface { index = interfaceIndex }
                let request = ipv6_mreq(ipv6mr_multiaddr: group.address.sin6_addr, ipv6mr_interface: index)
                try await provider.unsafeSetSocketOption(level: .ipv6, name: .ipv6_join_group, value: request).get()
                if index != 0 { try await provider.setIPv6MulticastIF(CUnsignedInt(index)).get() }
                try await provider.setIPv6MulticastLoop(loop ? 1 : 0).get()
                try await provider.setIPv6MulticastHops(CInt(ttl)).get()
                #if os(Linux)
                    try await provider.unsafeSetSocketOption(
                        level: .ipv6, name: NIOBSDSocket.Option(rawValue: IPV6_MULTICAST_ALL), value: CInt(0)
                    ).get()
                #endif
            case .unixDomainSocket:
                throw LSDServiceError.invalidGroup(groupDescription)
            }
        } catch let error as LSDServiceError {
            throw error
        } catch {
            throw .cannotJoin(
                group: groupDescription, interface: interfaceDescription, reason: String(describing: error))
        }
    }

    var groupDescription: String { group.ipAddress ?? "\(group)" }

    private static func devices() -> [NIONetworkDevice] {
        (try? System.enumerateDevices()) ?? []
    }
}
