import Bencode
import TorrentModel

/// The checks run on every fuzz input. Parsers may refuse any input; what they must never do is
/// crash, or accept an input and then break one of the invariants below. A broken invariant traps
/// (`fatalError`), which libFuzzer records as a crash and saves the input.
enum FuzzChecks {
    static let strictDecoder = BencodeDecoder()
    static let lenientDecoder = BencodeDecoder(requiresSortedKeys: false)

    static func run(_ input: [UInt8]) {
        checkBencode(input)
        checkMetainfo(input)
        checkMagnet(input)
    }

    // MARK: Bencode

    static func checkBencode(_ input: [UInt8]) {
        let strictNode = decode(input, with: strictDecoder)
        if let strictNode {
            // Strict decoding accepts only canonical input, so encoding gives back the same bytes.
            let encoded = BencodeEncoder.encode(strictNode.value)
            require(encoded == input, "strict decode accepted non-canonical input; re-encoded: \(show(encoded))")
            require(strictNode.span == 0..<input.count, "strict root span \(strictNode.span) for \(input.count) bytes")
            guard let prefix = try? strictDecoder.decodePrefix(input) else {
                fail("decodePrefix refused what decode accepted")
            }
            require(prefix.length == input.count, "decodePrefix used \(prefix.length) of \(input.count) bytes")
            require(prefix.node.value == strictNode.value, "decodePrefix and decode disagree")
        }

        guard let lenientNode = decode(input, with: lenientDecoder) else {
            require(strictNode == nil, "lenient decode refused what strict decode accepted")
            return
        }
        if let strictNode {
            require(lenientNode.value == strictNode.value, "lenient and strict decode disagree")
        }
        require(lenientNode.span == 0..<input.count, "lenient root span \(lenientNode.span) for \(input.count) bytes")
        checkSpans(lenientNode, within: lenientNode.span)

        // Any accepted input has a canonical form, which strict decoding accepts and maps to the same value.
        let canonical = BencodeEncoder.encode(lenientNode.value)
        guard let canonicalNode = try? strictDecoder.decode(canonical) else {
            fail("strict decode refused the canonical encoding \(show(canonical))")
        }
        require(canonicalNode.value == lenientNode.value, "canonical encoding decodes to a different value")

        // The span of each top-level value (the `info` dictionary's span is what gets hashed) holds
        // exactly that value.
        if case .dictionary(let entries) = lenientNode.content {
            for entry in entries {
                guard let inner = try? lenientDecoder.decode(Array(input[entry.value.span])) else {
                    fail("the span \(entry.value.span) of a dictionary value does not decode on its own")
                }
                require(inner.value == entry.value.value, "the span \(entry.value.span) holds a different value")
            }
        }
    }

    /// Decodes, or checks that the error points into the input and can be described.
    private static func decode(_ input: [UInt8], with decoder: BencodeDecoder) -> BencodeNode? {
        do {
            return try decoder.decode(input)
        } catch {
            require(error.offset >= 0 && error.offset <= input.count, "error offset outside the input: \(error)")
            _ = error.description
            return nil
        }
    }

    /// Child spans lie inside their parent's span, in order, without overlap.
    private static func checkSpans(_ node: BencodeNode, within parent: Range<Int>) {
        require(
            parent.lowerBound <= node.span.lowerBound && node.span.upperBound <= parent.upperBound,
            "span \(node.span) outside its parent \(parent)")
        require(!node.span.isEmpty, "empty span \(node.span)")
        var children: [BencodeNode] = []
        switch node.content {
        case .integer, .bytes: return
        case .list(let elements): children = elements
        case .dictionary(let entries): children = entries.map(\.value)
        }
        var previousEnd = node.span.lowerBound + 1  // after the `l` or `d`
        for child in children {
            require(child.span.lowerBound >= previousEnd, "span \(child.span) overlaps the value before it")
            checkSpans(child, within: node.span)
            previousEnd = child.span.upperBound
        }
        require(previousEnd < node.span.upperBound, "the last value overlaps the closing `e` at \(node.span)")
    }

    // MARK: Metainfo

    static func checkMetainfo(_ input: [UInt8]) {
        let parsed: Metainfo?
        do {
            parsed = try Metainfo(bytes: input)
        } catch {
            _ = error.description
            parsed = nil
        }
        if let metainfo = parsed {
            checkInvariants(metainfo)
            // The info dictionary alone (as BEP 9 delivers it) gives the same torrent.
            guard let fromInfo = try? Metainfo(infoBytes: metainfo.infoBytes) else {
                fail("Metainfo(infoBytes:) refused the info of an accepted torrent")
            }
            require(fromInfo.infoHash == metainfo.infoHash, "infohash differs when parsed from infoBytes")
            require(fromInfo.name == metainfo.name, "name differs when parsed from infoBytes")
            require(fromInfo.files == metainfo.files, "files differ when parsed from infoBytes")
            require(fromInfo.pieceLength == metainfo.pieceLength, "piece length differs when parsed from infoBytes")
            require(fromInfo.pieceHashes == metainfo.pieceHashes, "piece hashes differ when parsed from infoBytes")
            require(fromInfo.isPrivate == metainfo.isPrivate, "private flag differs when parsed from infoBytes")
            checkMagnetRoundTrip(metainfo.magnet)
        }
        if let metainfo = try? Metainfo(infoBytes: input) {
            checkInvariants(metainfo)
            require(metainfo.infoBytes == input, "infoBytes are not the input")
        }
    }

    static func checkInvariants(_ metainfo: Metainfo) {
        let pieceCount = metainfo.pieceCount
        require(pieceCount > 0, "accepted a torrent without pieces")
        require(pieceCount * 20 == metainfo.pieceHashes.count, "\(metainfo.pieceHashes.count) bytes of piece hashes")
        require(metainfo.pieceLength > 0, "piece length \(metainfo.pieceLength)")
        require(!metainfo.files.isEmpty, "accepted a torrent without files")
        require(metainfo.isMultiFile || metainfo.files.count == 1, "single-file torrent with several files")
        if !metainfo.isMultiFile {
            require(metainfo.files[0].path == [metainfo.name], "single file is not named after the torrent")
        }

        var offset: Int64 = 0
        for file in metainfo.files {
            require(file.length >= 0, "file length \(file.length)")
            require(file.offset == offset, "file at \(file.offset), expected \(offset)")
            require(!file.path.isEmpty, "file with an empty path")
            for component in file.path {
                require(!component.isEmpty && component != "." && component != "..", "unsafe component")
                require(!component.utf8.contains(UInt8(ascii: "/")) && !component.utf8.contains(0), "unsafe component")
            }
            let (end, overflow) = offset.addingReportingOverflow(file.length)
            require(!overflow, "file lengths overflow")
            offset = end
        }
        require(metainfo.totalLength == offset, "totalLength \(metainfo.totalLength), files add up to \(offset)")
        require(metainfo.totalLength > 0, "accepted a torrent without data")

        let geometry = metainfo.geometry
        require(geometry.pieceCount == pieceCount, "geometry has \(geometry.pieceCount) pieces, not \(pieceCount)")
        let last = geometry.lastPieceLength
        require(last > 0 && last <= metainfo.pieceLength, "last piece length \(last)")
        require(metainfo.hash(ofPiece: pieceCount - 1).count == 20, "last piece hash is not 20 bytes")

        // The files hold exactly the bytes of the first and the last piece.
        let fileMap = FileMap(files: metainfo.files)
        for piece in Set([0, pieceCount - 1]) {
            let slices = fileMap.slices(ofPiece: piece, in: geometry)
            let covered = slices.reduce(Int64(0)) { $0 + $1.length }
            require(covered == Int64(geometry.length(ofPiece: piece)), "piece \(piece): files cover \(covered) bytes")
        }
        require(metainfo.infoHash == InfoHash(hashingInfo: metainfo.infoBytes), "infohash is not SHA-1 of infoBytes")
    }

    // MARK: Magnet

    static func checkMagnet(_ input: [UInt8]) {
        guard let text = String(validating: input, as: UTF8.self) else { return }
        do {
            checkMagnetRoundTrip(try MagnetLink(parsing: text))
        } catch {
            _ = error.description
        }
    }

    /// Writing a link out and parsing it again gives the same link, and the same URI.
    static func checkMagnetRoundTrip(_ link: MagnetLink) {
        let uri = link.uri
        let again: MagnetLink
        do {
            again = try MagnetLink(parsing: uri)
        } catch {
            fail("the URI of a magnet link does not parse (\(error)): \(uri)")
        }
        require(again == link, "magnet round trip changed the link: \(uri)")
        require(again.uri == uri, "magnet URI is not stable: \(uri) became \(again.uri)")
    }

    // MARK: Reporting

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    static func fail(_ message: String) -> Never {
        fatalError("ShoalFuzz invariant broken: \(message)")
    }

    static func show(_ bytes: [UInt8]) -> String {
        let prefix = bytes.prefix(64).map { byte in
            byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
        }
        return prefix.joined() + (bytes.count > 64 ? "…" : "")
    }
}
