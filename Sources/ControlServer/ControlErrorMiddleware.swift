import Hummingbird
import Logging

/// Turns whatever a control route throws into a JSON error response (``ControlErrorResponse``), and
/// logs the unexpected ones.
struct ControlErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ControlErrorResponse(error)
            if answer.status.kind == .serverError {
                context.logger.error(
                    "control API request failed",
                    metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            }
            return try answer.response(from: request, context: context)
        }
    }
}
