import ControlServer
import Hummingbird
import Logging
import StreamingEngine

/// The streaming routes (docs/api.md, "Streaming"): `/v/<infohash>/<path>` (files, HLS), `/watch/<infohash>` (the
/// player page) and `/api/torrents/<infohash>` (figures as JSON). `addRoutes` mounts them on any router (the node
/// serves them beside its control API); `makeApplication` builds a server of their own for `shoal watch` and
/// `shoal seed VIDEO`.
public enum StreamServer {
    public static func addRoutes<Context: RequestContext>(
        to router: some RouterMethods<Context>, catalog: StreamCatalog
    ) {
        let routes = StreamRoutes(catalog: catalog)
        // Every method reaches the planner, which answers 405 with `Allow` for the ones it does not serve.
        for method in methods {
            router.on("v/**", method: method) { try await routes.file($0, context: $1) }
            router.on("watch/:infohash", method: method) { try await routes.player($0, context: $1) }
        }
        // Figures are read-only, but a page on another site must not read them through DNS rebinding.
        router.group("api/torrents").add(middleware: LoopbackHostMiddleware<Context>())
            .get(":infohash") { try await routes.status($0, context: $1) }
    }

    /// A server for the streaming routes alone on `host:port` (port 0 picks a free one, which `onServerRunning`
    /// receives).
    public static func makeApplication(
        catalog: StreamCatalog, host: String = "127.0.0.1", port: Int = 0,
        logger: Logger = Logger(label: "shoal.http"),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self)
        addRoutes(to: router, catalog: catalog)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    static let methods: [HTTPRequest.Method] = [.get, .head, .options, .post, .put, .delete, .patch]
}
