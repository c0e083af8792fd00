import Hummingbird
import Logging
import NIOCore
import NodeAPI

/// The node's local JSON control API over HTTP (docs/api.md): routes under ``NodeAPI/ControlAPI/basePath``
/// that call a ``NodeControl``.
///
/// The routes are a composable piece: ``addRoutes(to:node:)`` mounts them on any Hummingbird router,
/// so the node can serve them beside its HLS routes on one port.
/// ``makeApplication(node:host:port:logger:extraRoutes:onServerRunning:)`` builds a stand-alone server for the
/// node's `ServiceGroup` (or for tests).
public enum ControlServer {
    /// The control routes as a collection with paths relative to ``NodeAPI/ControlAPI/basePath``.
    /// It carries its own ``LoopbackHostMiddleware`` and JSON error rendering, so the routes are
    /// guarded however they are mounted.
    public static func routes<Context: RequestContext>(
        node: some NodeControl, context: Context.Type = Context.self
    ) -> RouteCollection<Context> {
        let collection = RouteCollection(context: Context.self)
        collection.add(middleware: ControlErrorMiddleware<Context>())
        collection.add(middleware: LoopbackHostMiddleware<Context>())

        let routes = ControlRoutes(node: node)
        typealias Handler = @Sendable (Request, Context) async throws -> Response
        let table: [(path: RouterPath, methods: [HTTPRequest.Method: Handler])] = [
            ("health", [.get: { try await routes.health($0, context: $1) }]),
            (
                "torrents",
                [.get: { try await routes.list($0, context: $1) }, .post: { try await routes.add($0, context: $1) }]
            ),
            (
                "torrents/:ref",
                [
                    .get: { try await routes.show($0, context: $1) },
                    .delete: { try await routes.remove($0, context: $1) },
                ]
            ),
            ("torrents/:ref/pause", [.post: { try await routes.pause($0, context: $1) }]),
            ("torrents/:ref/resume", [.post: { try await routes.resume($0, context: $1) }]),
            ("torrents/:ref/files/priorities", [.put: { try await routes.setFilePriorities($0, context: $1) }]),
        ]
        for (path, methods) in table {
            for (method, handler) in methods {
                collection.on(path, method: method, use: handler)
            }
            // The other common methods answer 405 in JSON rather than the router's empty 404.
            let allowed = methods.keys.map(\.rawValue).sorted().joined(separator: ", ")
            for method in commonMethods where methods[method] == nil {
                collection.on(path, method: method) { request, _ -> Response in
                    throw ControlErrorResponse(
                        status: .methodNotAllowed,
                        body: APIErrorBody(
                            error: APIErrorBody.Code.methodNotAllowed,
                            message: "\(request.method) is not allowed on \(request.uri.path); use \(allowed)"),
                        headers: [.allow: allowed])
                }
            }
        }
        // Anything else under the base path is a JSON 404 too.
        for method in commonMethods {
            collection.on("**", method: method) { request, _ -> Response in
                throw ControlErrorResponse(
                    status: .notFound,
                    body: APIErrorBody(
                        error: APIErrorBody.Code.notFound,
                        message: "no control API route \(request.method) \(request.uri.path) (see docs/api.md)"))
            }
        }
        return collection
    }

    /// Mounts the control routes at ``NodeAPI/ControlAPI/basePath`` on a router (or router group).
    public static func addRoutes<Context: RequestContext>(
        to router: some RouterMethods<Context>, node: some NodeControl
    ) {
        router.addRoutes(routes(node: node, context: Context.self), atPath: RouterPath(ControlAPI.basePath))
    }

    /// A server for the control API alone, bound to `host` (127.0.0.1 unless told otherwise: the API
    /// has no authentication and must not leave the machine). Port 0 picks a free port, which
    /// `onServerRunning` receives once the server listens. Run it in a `ServiceGroup`, or with
    /// `run()`/`runService()`.
    ///
    /// Every request, whatever its path, passes ``LoopbackHostMiddleware`` first.
    public static func makeApplication(
        node: some NodeControl, host: String = ControlAPI.defaultHost, port: Int = ControlAPI.defaultPort,
        logger: Logger = Logger(label: "shoal.control-api"),
        extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LoopbackHostMiddleware())
        addRoutes(to: router, node: node)
        // Routes beside the API on the same port (the node's streaming routes), behind the same Host rule.
        extraRoutes(router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Methods that get a JSON 405 (or 404) rather than the router's empty 404.
    static let commonMethods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]
}
