/// Decodes bencoded bytes strictly: one value, nothing after it, canonical integers and lengths,
/// and (in strict mode) dictionary keys in sorted order without duplicates.
public struct BencodeDecoder: Sendable {
    /// How deep lists and dictionaries may nest. Real torrents need 4 or 5 levels; the limit keeps
    /// hostile input from exhausting the stack.
    public static let defaultMaximumDepth = 64

    public var maximumDepth: Int
    /// When false, dictionary keys may appear in any order (some old torrent makers did this).
    /// Duplicates are refused either way, and spans still cover the original bytes.
    public var requiresSortedKeys: Bool

    public init(maximumDepth: Int = BencodeDecoder.defaultMaximumDepth, requiresSortedKeys: Bool = true) {
        self.maximumDepth = maximumDepth
        self.requiresSortedKeys = requiresSortedKeys
    }

    /// Decodes exactly one value that spans all of `bytes`.
    public func decode(_ bytes: [UInt8]) throws(BencodeError) -> BencodeNode {
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth, requiresSortedKeys: requiresSortedKeys)
        let node = try reader.readValue(depth: 0)
        if reader.position != bytes.count {
            throw BencodeError(.trailingBytes(count: bytes.count - reader.position), at: reader.position)
        }
        return node
    }

    /// Decodes one value at the start of `bytes` and returns it with the number of bytes it used,
    /// for protocols (BEP 9) that put raw data after a bencoded header.
    public func decodePrefix(_ bytes: [UInt8]) throws(BencodeError) -> (node: BencodeNode, length: Int) {
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth, requiresSortedKeys: requiresSortedKeys)
        let node = try reader.readValue(depth: 0)
        return (node, reader.position)
    }
}

extension BencodeDecoder {
    /// Decodes with the default strict settings.
    public static func decode(_ bytes: [UInt8]) throws(BencodeError) -> BencodeNode {
        try BencodeDecoder().decode(bytes)
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    let requiresSortedKeys: Bool
    var position = 0

    init(bytes: [UInt8], maximumDepth: Int, requiresSortedKeys: Bool) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.requiresSortedKeys = requiresSortedKeys
    }

    mutating func readValue(depth: Int) throws(BencodeError) -> BencodeNode {
        let start = position
        guard position < bytes.count else { throw BencodeError(.truncated, at: position) }
        switch bytes[position] {
        case UInt8(ascii: "i"):
            position += 1
            let value = try readInteger(terminator: UInt8(ascii: "e"))
            return BencodeNode(content: .integer(value), span: start..<position)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let value = try readByteString()
            return BencodeNode(content: .bytes(value), span: start..<position)
        case UInt8(ascii: "l"):
            guard depth < maximumDepth else { throw BencodeError(.tooDeep(limit: maximumDepth), at: position) }
            position += 1
            var elements: [BencodeNode] = []
            while try !consumeEnd() {
                elements.append(try readValue(depth: depth + 1))
            }
            return BencodeNode(content: .list(elements), span: start..<position)
        case UInt8(ascii: "d"):
            guard depth < maximumDepth else { throw BencodeError(.tooDeep(limit: maximumDepth), at: position) }
            position += 1
            return try readDictionary(start: start, depth: depth)
        case let byte:
            throw BencodeError(.unexpectedByte(byte), at: position)
        }
    }

    private mutating func readDictionary(start: Int, depth: Int) throws(BencodeError) -> BencodeNode {
        var entries: [BencodeNode.Entry] = []
        var seenKeys: Set<[UInt8]> = []
        while try !consumeEnd() {
            let keyOffset = position
            guard bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9") else {
                throw BencodeError(.unexpectedByte(bytes[position]), at: position)
            }
            let key = try readByteString()
            if let previous = entries.last?.key {
                if previous == key { throw BencodeError(.duplicateKey, at: keyOffset) }
                if requiresSortedKeys && !previous.lexicographicallyPrecedes(key) {
                    throw BencodeError(.unsortedKey, at: keyOffset)
                }
            }
            if !requiresSortedKeys {
                guard seenKeys.insert(key).inserted else { throw BencodeError(.duplicateKey, at: keyOffset) }
            }
            let value = try readValue(depth: depth + 1)
            entries.append(BencodeNode.Entry(key: key, value: value))
        }
        return BencodeNode(content: .dictionary(entries), span: start..<position)
    }

    /// Consumes the `e` that closes a list or dictionary, if it is next.
    private mutating func consumeEnd() throws(BencodeError) -> Bool {
        guard position < bytes.count else { throw BencodeError(.truncated, at: position) }
        if bytes[position] == UInt8(ascii: "e") {
            position += 1
            return true
        }
        return false
    }

    private mutating func readByteString() throws(BencodeError) -> [UInt8] {
        let lengthOffset = position
        let length = try readInteger(terminator: UInt8(ascii: ":"), allowsSign: false)
        guard length <= Int64(bytes.count - position) else {
            throw BencodeError(.lengthBeyondInput(Int(clamping: length)), at: lengthOffset)
        }
        let end = position + Int(length)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    /// Reads decimal digits up to `terminator`, refusing leading zeros, `-0` and overflow.
    private mutating func readInteger(terminator: UInt8, allowsSign: Bool = true) throws(BencodeError) -> Int64 {
        let start = position
        var negative = false
        if allowsSign && position < bytes.count && bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let digitsStart = position
        var magnitude: UInt64 = 0
        while true {
            guard position < bytes.count else { throw BencodeError(.truncated, at: position) }
            let byte = bytes[position]
            if byte == terminator { break }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw BencodeError(.unexpectedByte(byte), at: position)
            }
            if position > digitsStart && bytes[digitsStart] == UInt8(ascii: "0") {
                throw BencodeError(.leadingZero, at: start)
            }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            // Int64.min has a magnitude one larger than Int64.max.
            let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
            guard !overflow1 && !overflow2 && sum <= limit else { throw BencodeError(.integerOverflow, at: start) }
            magnitude = sum
            position += 1
        }
        guard position > digitsStart else { throw BencodeError(.emptyInteger, at: start) }
        position += 1  // the terminator
        if negative {
            guard magnitude != 0 else { throw BencodeError(.negativeZero, at: start) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return Int64(magnitude)
    }
}
