import Hummingbird
import NIOCore
import NodeAPI

/// JSON response bodies in the API's coding (``NodeAPIJSON``).
enum JSONResponse {
    static let contentType = "\(ControlAPI.jsonMediaType); charset=utf-8"

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try NodeAPIJSON.makeEncoder().encode(value)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(
            status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: buffer))
    }
}
