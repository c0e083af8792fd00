/// One received UDP packet, as the socket handler hands it to the service.
struct LSDDatagram: Sendable {
    var bytes: [UInt8]
    /// The packet's source IP address, as text.
    var source: String
}
