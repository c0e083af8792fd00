import Foundation
import LocalDiscovery
import LocalDiscoveryService
import Logging
import TestSupport
import TorrentModel

/// LSD services for tests: the BEP 14 group joined on 127.0.0.1 (Linux delivers IPv4 multicast on
/// loopback although `lo` has no MULTICAST flag; docs/lsd.md), each test on a UDP port of its own, never
/// the real 6771, so tests neither hear nor disturb real clients or each other.
enum LoopbackLSD {
    static let group = LSDLimits.ipv4Group

    /// Short announce interval, a fine tick: the schedule's shape stays, tests do not wait minutes.
    static func settings(port: Int, announceInterval: Double = 2) -> LSDServiceSettings {
        LSDServiceSettings(
            group: group, port: port, interface: "127.0.0.1",
            state: LSDState.Settings(announceInterval: announceInterval), tickInterval: 0.05)
    }

    /// Warnings only: several services at info level drown a failure's output.
    static let logger: Logger = {
        var logger = Logger(label: "shoal.lsd.test")
        logger.logLevel = .warning
        return logger
    }()

    static func service(_ settings: LSDServiceSettings) async throws -> LSDService {
        try await LSDService.bind(settings: settings, logger: logger)
    }

    /// Whether a socket is bound to the group and `port`: binding there without SO_REUSEADDR fails then.
    static func isBound(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = FreePort.loopback(port: port)
        inet_pton(AF_INET, group, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound != 0 && errno == EADDRINUSE
    }

    /// Runs `services` for the length of `body`: each service's `run()` is a child task, and each one's
    /// discoveries are collected into its log; all stop when the body ends (or throws).
    static func running<T: Sendable>(
        _ services: [(LSDService, DiscoveryLog)], _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (service, log) in services {
                group.addTask { await service.run() }
                group.addTask { for await discovery in service.discoveries { await log.append(discovery) } }
            }
            defer { for (service, _) in services { service.stop() } }
            return try await body()
        }
    }
}

/// What a service reported, in order.
actor DiscoveryLog {
    private(set) var discoveries: [LSDDiscovery] = []

    func append(_ discovery: LSDDiscovery) { discoveries.append(discovery) }

    func contains(_ infoHash: InfoHash, _ host: String, _ port: UInt16) -> Bool {
        discoveries.contains(LSDDiscovery(infoHash: infoHash, peer: PeerAddress(host: host, port: port)))
    }

    func count(of infoHash: InfoHash) -> Int {
        discoveries.count { $0.infoHash == infoHash }
    }
}
