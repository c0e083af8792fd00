import DHT

/// One received UDP packet, as the socket handler hands it to the node.
struct DHTDatagram: Sendable {
    var bytes: [UInt8]
    var source: DHTEndpoint
}
