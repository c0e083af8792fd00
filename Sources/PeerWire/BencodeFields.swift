import Bencode

/// Typed access to the keys of a bencoded dictionary, refusing a key of the wrong type with an
/// error in the caller's own terms. Absent keys are nil; unknown keys are never looked at.
struct BencodeFields {
    let node: BencodeNode
    let invalid: (String) -> PeerWireError

    init(_ node: BencodeNode, what: String, invalid: @escaping (String) -> PeerWireError) throws(PeerWireError) {
        guard case .dictionary = node.content else { throw invalid("\(what) is not a dictionary") }
        self.node = node
        self.invalid = invalid
    }

    func integer(_ key: String) throws(PeerWireError) -> Int64? {
        guard let value = node[key] else { return nil }
        guard case .integer(let number) = value.content else { throw invalid("'\(key)' is not an integer") }
        return number
    }

    /// An integer that must lie in `range`.
    func integer<Bound: FixedWidthInteger>(
        _ key: String,
        in range: ClosedRange<Bound>
    ) throws(PeerWireError) -> Bound? {
        guard let number = try integer(key) else { return nil }
        guard let value = Bound(exactly: number), range.contains(value) else {
            throw invalid("'\(key)' \(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func bytes(_ key: String) throws(PeerWireError) -> [UInt8]? {
        guard let value = node[key] else { return nil }
        guard case .bytes(let bytes) = value.content else { throw invalid("'\(key)' is not a byte string") }
        return bytes
    }

    func dictionary(_ key: String) throws(PeerWireError) -> [BencodeNode.Entry]? {
        guard let value = node[key] else { return nil }
        guard case .dictionary(let entries) = value.content else { throw invalid("'\(key)' is not a dictionary") }
        return entries
    }

    /// The value only when it has the expected type: for advisory keys that must not cost a peer
    /// its connection.
    func optionalInteger(_ key: String) -> Int64? {
        guard let value = node[key], case .integer(let number) = value.content else { return nil }
        return number
    }
}
