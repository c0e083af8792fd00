import LocalDiscovery

extension LSDServiceSettings {
    /// The settings for a client whose peer listener is on `host`: the group joined and sent on the
    /// interface holding that address (the kernel's choice for `0.0.0.0`), on `port` (nil: BEP 14's 6771).
    /// Nil, for no LSD, on an IPv6 address (only the IPv4 group is joined) and on a loopback address
    /// without an explicit port: loopback is no LAN, and processes on one machine (tests) keep to a group
    /// port of their own.
    public static func forPeerListener(host: String, port: Int?) -> LSDServiceSettings? {
        guard !host.contains(":") else { return nil }
        let loopback = host.hasPrefix("127.") || host == "localhost"
        if loopback && port == nil { return nil }
        return LSDServiceSettings(port: port ?? LSDLimits.port, interface: host == "0.0.0.0" ? nil : host)
    }
}
