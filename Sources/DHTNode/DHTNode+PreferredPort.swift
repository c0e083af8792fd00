import DHT
import Logging

extension DHTNode {
    /// Binds on `preferredPort` when UDP has it free (clients share one number for the peer port and the
    /// DHT, as libtorrent does), else on any free port. Port 0 picks a free one at once.
    public static func bind(
        host: String, preferredPort: Int, settings: DHTNodeSettings, snapshot: RoutingTable.Snapshot? = nil,
        logger: Logger
    ) async throws(DHTNodeError) -> DHTNode {
        if preferredPort != 0,
            let node = try? await bind(
                host: host, port: preferredPort, settings: settings, snapshot: snapshot, logger: logger)
        {
            return node
        }
        return try await bind(host: host, port: 0, settings: settings, snapshot: snapshot, logger: logger)
    }
}
