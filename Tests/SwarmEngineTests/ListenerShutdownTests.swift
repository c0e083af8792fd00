import Foundation
import NIOCore
import NIOPosix
import PeerWire
import SwarmEngine
import TestSupport
import Testing

/// An engine that stops while connections pour in. NIO hands accepted connections to the engine through a
/// buffer that is dropped when the accept loop ends; a connection dropped there unclosed used to stop the
/// whole process (NIO's "Deinited NIOAsyncWriter without calling finish()").
@Suite struct ListenerShutdownTests {
    @Test(.timeLimit(.minutes(2))) func anEngineStoppingWhileConnectionsArriveClosesThemAll() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        for round in 0..<30 {
            let engine = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-listenSt\(1000 + round)".utf8))!)
            let port = try await engine.bind(host: "127.0.0.1", port: 0)
            let running = Task { await engine.run() }
            let dials = Task {
                await withTaskGroup(of: (any Channel)?.self) { dials in
                    for _ in 0..<40 {
                        dials.addTask {
                            guard
                                let channel = try? await ClientBootstrap(group: group)
                                    .connect(host: "127.0.0.1", port: port).get()
                            else { return nil }
                            // The first byte of a handshake: a connection the listener never took (still half
                            // open on its side when it closed) gets a reset for it, as a real peer's would.
                            try? await channel.writeAndFlush(ByteBuffer(bytes: [19])).get()
                            return channel
                        }
                    }
                    var channels: [any Channel] = []
                    for await channel in dials { if let channel { channels.append(channel) } }
                    return channels
                }
            }
            // Stop in the middle of the burst: some connections are accepted, some wait in NIO's buffer.
            try await Task.sleep(for: .milliseconds(round % 5))
            engine.stop()
            await running.value
            // Every connection the engine accepted is closed by it: each client sees its end.
            let channels = await dials.value
            try await eventually(
                "round \(round): the stopped engine closes the connections to port \(port)", timeout: .seconds(20)
            ) {
                channels.allSatisfy { !$0.isActive }
            }
        }
    }
}
