/// A KRPC error (`y` = `e`): a code and a human message (BEP 5).
public struct KRPCErrorMessage: Hashable, Sendable, CustomStringConvertible {
    public static let genericCode = 201
    public static let serverCode = 202
    /// Malformed packet, invalid arguments or a bad token.
    public static let protocolCode = 203
    public static let methodUnknownCode = 204

    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public static func generic(_ message: String) -> KRPCErrorMessage { .init(code: genericCode, message: message) }
    public static func server(_ message: String) -> KRPCErrorMessage { .init(code: serverCode, message: message) }
    public static func protocolError(_ message: String) -> KRPCErrorMessage {
        .init(code: protocolCode, message: message)
    }
    public static func methodUnknown(_ message: String) -> KRPCErrorMessage {
        .init(code: methodUnknownCode, message: message)
    }

    public var description: String { "error \(code): \(message)" }
}
