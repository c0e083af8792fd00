import Hummingbird
import NIOCore
import NodeAPI

/// An error answer of the control API: a status and the JSON body `{"error": code, "message": text}`.
/// Every failure of a control route, the Host check included, becomes one of these, so a client
/// always gets JSON.
public struct ControlErrorResponse: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var body: APIErrorBody
    /// Extra response headers, such as `Allow` for 405.
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, body: APIErrorBody, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// A node error with the status the API gives it (``NodeControlError/httpStatus``).
    public init(_ error: NodeControlError) {
        self.init(status: error.httpStatus, body: error.body)
    }

    /// `invalidInput` with a status other than 400 (413, 415).
    static func invalidInput(_ message: String, status: HTTPResponse.Status = .badRequest) -> Self {
        Self(status: status, body: NodeControlError.invalidInput(message).body)
    }

    /// Whatever a route threw, as the API reports it: node errors keep their meaning, JSON decoding
    /// errors are 400, too large a body 413, anything unexpected 500 with its text.
    public init(_ error: any Error) {
        switch error {
        case let error as ControlErrorResponse:
            self = error
        case let error as NodeControlError:
            self.init(error)
        case let error as DecodingError:
            self = .invalidInput("bad JSON: \(Self.describe(error))")
        case is NIOTooManyBytesError:
            self = .invalidInput("request body is too large", status: .contentTooLarge)
        case let error as HTTPError:
            let code: String
            switch error.status {
            case .notFound: code = APIErrorBody.Code.notFound
            case .methodNotAllowed: code = APIErrorBody.Code.methodNotAllowed
            case .forbidden: code = NodeControlError.Code.notAllowed
            case _ where error.status.kind == .clientError: code = NodeControlError.Code.invalidInput
            default: code = NodeControlError.Code.internalFailure
            }
            let message = error.body ?? error.status.reasonPhrase
            self.init(status: error.status, body: APIErrorBody(error: code, message: message), headers: error.headers)
        default:
            self.init(NodeControlError.internalFailure("\(error)"))
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    public var description: String { "\(status.code) \(body.error): \(body.message)" }

    /// One line for a JSON decoding failure, naming the key at fault.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            let at = context.codingPath.isEmpty ? "the body" : "'\(path(context.codingPath))'"
            return "\(at) should be \(Self.name(of: type))"
        case .valueNotFound(let type, let context):
            let at = context.codingPath.isEmpty ? "the body" : "'\(path(context.codingPath))'"
            return "\(at) should be \(Self.name(of: type)), not null"
        case .keyNotFound(let key, let context):
            let location = context.codingPath.isEmpty ? "" : " in '\(path(context.codingPath))'"
            if context.debugDescription.hasPrefix("give") { return context.debugDescription }
            return "missing key '\(key.stringValue)'\(location)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "'\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return name
        }
    }
}
