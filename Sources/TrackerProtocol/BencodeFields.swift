import Bencode

/// Typed lookups in a decoded response dictionary, with errors that name the key.
struct BencodeFields {
    let entries: [[UInt8]: BencodeValue]

    init(_ value: BencodeValue) throws(TrackerProtocolError) {
        guard let entries = value.dictionaryValue else { throw .notADictionary }
        self.entries = entries
    }

    /// Decodes a whole response, tolerating keys out of sorted order (many trackers write them so).
    init(decoding bytes: [UInt8]) throws(TrackerProtocolError) {
        let node: BencodeNode
        do {
            node = try BencodeDecoder(requiresSortedKeys: false).decode(bytes)
        } catch {
            throw .bencode(error)
        }
        try self.init(node.value)
    }

    subscript(key: String) -> BencodeValue? { entries[Array(key.utf8)] }

    func bytes(_ key: String) throws(TrackerProtocolError) -> [UInt8]? {
        guard let value = self[key] else { return nil }
        guard let bytes = value.bytesValue else { throw .wrongType(key: key, expected: "a byte string") }
        return bytes
    }

    /// Text from bytes; invalid UTF-8 is shown with replacement characters rather than refused.
    func text(_ key: String) throws(TrackerProtocolError) -> String? {
        try bytes(key).map { String(decoding: $0, as: UTF8.self) }
    }

    func count(_ key: String) throws(TrackerProtocolError) -> Int? {
        guard let value = self[key] else { return nil }
        guard let number = value.integerValue else { throw .wrongType(key: key, expected: "an integer") }
        guard number >= 0 else { throw .negativeValue(key: key, value: number) }
        return Int(number)
    }
}
