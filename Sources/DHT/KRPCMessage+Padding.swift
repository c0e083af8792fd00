import Bencode

extension KRPCMessage {
    /// The query encoded to `size` bytes (one fewer where the length's digits make `size` itself unreachable), with
    /// a `pad` key of zero bytes, skipped by every reader (BEP 5 asks that
    /// unknown keys be ignored). A node that has not yet proven our address answers with no more bytes than we
    /// sent (`ResponseBudget`), so a bare lookup query gets one node back; a padded one gets a full list.
    /// Messages already `size` bytes long or longer come back as they are.
    public func encoded(paddedTo size: Int) -> [UInt8] {
        let plain = encoded()
        // "3:pad" and "N:" around N zero bytes.
        let keyBytes = 5
        guard case .dictionary(var top) = bencodeValue, plain.count + keyBytes + 2 <= size else { return plain }
        var length = size - plain.count - keyBytes - 1
        while length > 0 && plain.count + keyBytes + String(length).utf8.count + 1 + length > size { length -= 1 }
        top[Self.key("pad")] = .bytes([UInt8](repeating: 0, count: length))
        return BencodeEncoder.encode(.dictionary(top))
    }
}
