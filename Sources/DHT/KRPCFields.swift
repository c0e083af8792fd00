import Bencode

/// Typed access to one dictionary of a KRPC packet. Absent keys are nil, a key of the wrong type is
/// refused, unknown keys are never looked at. `path` prefixes key names in errors (`a.id`).
struct KRPCFields {
    let entries: [BencodeNode.Entry]
    let path: String

    init(_ node: BencodeNode, path: String) throws(KRPCDecodingError.Reason) {
        guard case .dictionary(let entries) = node.content else {
            throw path.isEmpty ? .notADictionary : .wrongType(key: path, expected: "a dictionary")
        }
        self.entries = entries
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func node(_ key: String) -> BencodeNode? {
        let keyBytes = Array(key.utf8)
        return entries.first { $0.key == keyBytes }?.value
    }

    func bytes(_ key: String) throws(KRPCDecodingError.Reason) -> [UInt8]? {
        guard let value = node(key) else { return nil }
        guard case .bytes(let bytes) = value.content else {
            throw .wrongType(key: name(key), expected: "a byte string")
        }
        return bytes
    }

    func requiredBytes(_ key: String) throws(KRPCDecodingError.Reason) -> [UInt8] {
        guard let bytes = try bytes(key) else { throw .missingKey(name(key)) }
        return bytes
    }

    /// A required 20-byte ID or infohash.
    func id(_ key: String) throws(KRPCDecodingError.Reason) -> NodeID {
        let bytes = try requiredBytes(key)
        guard let id = NodeID(bytes: bytes) else {
            throw .badLength(key: name(key), length: bytes.count, expected: "20")
        }
        return id
    }

    func integer(_ key: String) throws(KRPCDecodingError.Reason) -> Int64? {
        guard let value = node(key) else { return nil }
        guard case .integer(let number) = value.content else {
            throw .wrongType(key: name(key), expected: "an integer")
        }
        return number
    }

    /// An optional 0-or-1 flag.
    func flag(_ key: String) throws(KRPCDecodingError.Reason) -> Bool {
        guard let number = try integer(key) else { return false }
        guard number == 0 || number == 1 else { throw .badValue(key: name(key), value: number) }
        return number == 1
    }

    func list(_ key: String) throws(KRPCDecodingError.Reason) -> [BencodeNode]? {
        guard let value = node(key) else { return nil }
        guard case .list(let elements) = value.content else { throw .wrongType(key: name(key), expected: "a list") }
        return elements
    }

    func dictionary(_ key: String) throws(KRPCDecodingError.Reason) -> KRPCFields {
        guard let value = node(key) else { throw .missingKey(name(key)) }
        return try KRPCFields(value, path: name(key))
    }

    /// The value only when it has the expected type: for advisory keys that must not cost the packet.
    func optionalBytes(_ key: String) -> [UInt8]? {
        guard let value = node(key), case .bytes(let bytes) = value.content else { return nil }
        return bytes
    }
}
