import PeerWire
import PieceStorage
import SwarmEngine
import TorrentModel

/// Runs one engine per store on 127.0.0.1, wires them up, waits, and always stops them all.
struct SwarmHarness {
    /// Who dials whom, by index into the stores.
    var dials: [(from: Int, to: Int)]
    /// Engine settings by index into the stores; the defaults for the others.
    var settings: [Int: EngineSettings] = [:]

    /// Starts the engines, dials, runs `body` with the sessions and listening ports, then stops every engine and waits for it.
    func run<Result: Sendable>(
        metainfo: Metainfo, stores: [any PieceStore],
        body: @Sendable ([TorrentSession], [Int]) async throws -> Result
    ) async throws -> Result {
        try await runEngines(metainfo: metainfo, stores: stores) { _, sessions, ports in try await body(sessions, ports)
        }
    }

    /// `run`, with the engines too, for tests that dial during the body.
    func runEngines<Result: Sendable>(
        metainfo: Metainfo, stores: [any PieceStore],
        body: @Sendable ([SwarmEngine], [TorrentSession], [Int]) async throws -> Result
    ) async throws -> Result {
        var engines: [SwarmEngine] = []
        var sessions: [TorrentSession] = []
        var ports: [Int] = []
        for (index, store) in stores.enumerated() {
            let id = PeerID(bytes: Array("-SH0100-harness\(10000 + index)".utf8.prefix(20)))!
            let engine = SwarmEngine(peerID: id, settings: settings[index] ?? EngineSettings())
            sessions.append(engine.addTorrent(metainfo, store: store))
            ports.append(try await engine.bind(host: "127.0.0.1", port: 0))
            engines.append(engine)
        }
        let running = engines
        let boundPorts = ports
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for engine in running { group.addTask { await engine.run() } }
            for dial in dials {
                running[dial.from].connect(host: "127.0.0.1", port: boundPorts[dial.to], infoHash: metainfo.infoHash)
            }
            let result: Result
            do {
                result = try await body(running, sessions, boundPorts)
            } catch {
                for engine in running { engine.stop() }
                throw error
            }
            for engine in running { engine.stop() }
            try await group.waitForAll()
            return result
        }
    }
}

/// Waits until every session has all its pieces.
func waitForAll(_ sessions: [TorrentSession]) async {
    await withDiscardingTaskGroup { group in
        for session in sessions { group.addTask { await session.waitUntilComplete() } }
    }
}
