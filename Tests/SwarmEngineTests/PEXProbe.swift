import NIOCore
import NIOPosix
import PeerWire
import Synchronization
import TorrentModel

/// A scripted peer that speaks BEP 10 and `ut_pex`: it watches what an engine sends it and feeds it
/// whatever `ut_pex` payloads a test wants, well-formed or not.
enum PEXProbe {
    /// The ID the probe asks `ut_pex` messages to be sent with (not the engine's, to catch mix-ups).
    static let extensionID: UInt8 = 7

    struct Report: Sendable {
        /// Whether the engine's extension handshake offered `ut_pex`; nil when none came.
        var advertisedPEX: Bool?
        var pexMessages: [PEXMessage] = []
    }

    /// Handshakes, sends its extension handshake (listen port 9) and `payloads` as `ut_pex` messages, then
    /// listens for `duration`.
    static func run(
        port: Int, infoHash: InfoHash, payloads: [[UInt8]], listenFor duration: Duration
    ) async throws
        -> Report
    {
        let channel = try await HostilePeer.dial(port: port)
        let log = ProbeLog()
        do {
            try await channel.executeThenClose { inbound, outbound in
                let id = PeerID(bytes: Array("-XX0000-pexprobe0000".utf8))!
                try await outbound.write(.handshake(Handshake(infoHash: infoHash, peerID: id)))
                let extended = ExtensionHandshake(extensions: [PEXMessage.extensionName: extensionID], listenPort: 9)
                try await outbound.write(.message(extended.message))
                for payload in payloads {
                    let message = PeerMessage.extended(
                        id: PEXMessage.localExtensionID, payload: ByteBuffer(bytes: payload))
                    try await outbound.write(.message(message))
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await frame in inbound { log.record(frame) }
                    }
                    group.addTask { try await Task.sleep(for: duration) }
                    _ = try await group.next()
                    group.cancelAll()
                    // Ends the read loop whether or not it heeds cancellation.
                    try? await channel.channel.close()
                }
            }
        } catch {
            // The engine may hang up on a hostile probe; what it sent before counts.
        }
        return log.report.withLock { $0 }
    }

    /// A raw `ut_pex` payload listing `count` IPv4 peers, each flagged connectable, bypassing the
    /// encoder's 50-peer cap.
    static func rawAdded(_ addresses: [(address: [UInt8], port: UInt16)]) -> [UInt8] {
        let peers = addresses.flatMap { $0.address + [UInt8($0.port >> 8), UInt8($0.port & 0xFF)] }
        let flags = [UInt8](repeating: 0x10, count: addresses.count)
        return Array("d5:added\(peers.count):".utf8) + peers + Array("7:added.f\(flags.count):".utf8) + flags
            + Array("e".utf8)
    }
}

/// What the probe saw, shared between its reader task and the test.
private final class ProbeLog: Sendable {
    let report = Mutex(PEXProbe.Report())

    func record(_ frame: PeerWireFrame) {
        guard case .message(.extended(let id, let payload)) = frame else { return }
        report.withLock { report in
            if id == ExtensionHandshake.extendedMessageID, let handshake = try? ExtensionHandshake(payload: payload) {
                report.advertisedPEX = handshake.messageID(forExtension: PEXMessage.extensionName) != nil
            } else if id == PEXProbe.extensionID, let message = try? PEXMessage.decode(payload) {
                report.pexMessages.append(message)
            }
        }
    }
}
