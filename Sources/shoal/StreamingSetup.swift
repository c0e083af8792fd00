import Hummingbird
import Logging
import StreamServer
import StreamingEngine

/// What `SwarmRunner` needs to serve a torrent to players: the HTTP server's options and the player to open.
struct StreamingSetup: Sendable {
    let options: StreamingOptions
    let player: PlayerChoice

    /// The streaming server for one torrent; once it listens it prints the Watch and HLS URLs and opens the player.
    func makeApplication(
        _ streamer: StreamingTorrent, logger: Logger
    ) -> Application<RouterResponder<BasicRequestContext>> {
        let catalog = StreamCatalog()
        catalog.add(streamer)
        let host = options.httpBind == "0.0.0.0" || options.httpBind == "::" ? "127.0.0.1" : options.httpBind
        let infoHash = streamer.infoHash.hex
        let player = self.player
        return StreamServer.makeApplication(
            catalog: catalog, host: options.httpBind, port: options.httpPort, logger: logger,
            onServerRunning: { port in
                let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                let page = "\(base)/watch/\(infoHash)"
                let playlist = "\(base)/v/\(infoHash)/master.m3u8"
                print("Watch: \(page)")
                print("HLS: \(playlist)")
                flushStandardOutput()
                PlayerLauncher.launch(player, url: player.opensPage ? page : playlist)
            })
    }

    func listenFailure(_ error: any Error) -> String {
        "cannot serve HTTP on \(options.httpBind):\(options.httpPort): \(error)"
    }
}
