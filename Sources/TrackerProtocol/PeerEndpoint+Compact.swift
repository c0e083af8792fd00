extension PeerEndpoint {
    /// The compact form (BEP 23, BEP 7): address bytes then the port, big-endian.
    public var compactBytes: [UInt8] { addressBytes + [UInt8(port >> 8), UInt8(port & 0xFF)] }

    /// The compact entries of the peers of `family`, concatenated; peers of the other family are left out.
    public static func compactList(_ peers: [PeerEndpoint], family: PeerAddressFamily) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(peers.count * family.compactEntrySize)
        for peer in peers where peer.family == family { bytes += peer.compactBytes }
        return bytes
    }

    /// Splits a compact peer list of one family; its length must be a whole number of entries.
    /// `key` names the field in the error (`peers`, `peers6`, or the UDP packet).
    public static func decodeCompactList(
        _ bytes: ArraySlice<UInt8>, family: PeerAddressFamily, key: String = "peers"
    ) throws(TrackerProtocolError) -> [PeerEndpoint] {
        let size = family.compactEntrySize
        guard bytes.count % size == 0 else {
            throw .compactPeersMisaligned(key: key, length: bytes.count, entrySize: size)
        }
        var peers: [PeerEndpoint] = []
        peers.reserveCapacity(bytes.count / size)
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let portOffset = offset + family.addressSize
            let port = UInt16(bytes[portOffset]) << 8 | UInt16(bytes[portOffset + 1])
            peers.append(PeerEndpoint(validatedAddress: Array(bytes[offset..<portOffset]), port: port))
            offset += size
        }
        return peers
    }
}
