import Bencode

extension Metainfo {
    /// Parses and validates a .torrent file.
    ///
    /// Dictionary keys in any order are accepted (some old makers wrote them unsorted); the infohash
    /// is always the SHA-1 of the `info` bytes as they stand in the file.
    public init(bytes: [UInt8]) throws(MetainfoError) {
        let root = try Self.decodeLeniently(bytes)
        guard case .dictionary = root.content else { throw .notADictionary }
        guard let info = root["info"] else { throw .missingKey("info") }
        guard case .dictionary = info.content else { throw .wrongType(key: "info", expected: "a dictionary") }
        let infoBytes = Array(bytes[info.span])
        try self.init(info: info, infoBytes: infoBytes)

        trackerTiers = try Self.parseTrackers(root)
        webSeeds = try Self.parseWebSeeds(root)
        creationDate = try root["creation date"].map { node throws(MetainfoError) in
            try node.integer(key: "creation date")
        }
        comment = Self.optionalText(root, "comment.utf-8") ?? Self.optionalText(root, "comment")
        createdBy = Self.optionalText(root, "created by")
    }

    /// Builds a torrent from an `info` dictionary alone, as BEP 9 delivers it to a magnet link.
    public init(infoBytes: [UInt8]) throws(MetainfoError) {
        let info = try Self.decodeLeniently(infoBytes)
        guard case .dictionary = info.content else { throw .wrongType(key: "info", expected: "a dictionary") }
        try self.init(info: info, infoBytes: infoBytes)
    }

    private init(info: BencodeNode, infoBytes: [UInt8]) throws(MetainfoError) {
        let name = try Self.text(info, "name")
        try PathValidator.validate(component: name)

        guard let pieceLengthNode = info["piece length"] else { throw .missingKey("info.piece length") }
        let pieceLength = try pieceLengthNode.integer(key: "info.piece length")
        guard pieceLength > 0 else { throw .inconsistentSizes("piece length \(pieceLength) is not positive") }
        guard pieceLength <= TorrentLimits.maximumPieceLength else {
            throw .tooLarge("piece length \(pieceLength) exceeds \(TorrentLimits.maximumPieceLength)")
        }

        guard let piecesNode = info["pieces"] else { throw .missingKey("info.pieces") }
        guard case .bytes(let pieceHashes) = piecesNode.content else {
            throw .wrongType(key: "info.pieces", expected: "a byte string")
        }
        guard pieceHashes.count % InfoHash.byteCount == 0 else {
            throw .inconsistentSizes("'pieces' is \(pieceHashes.count) bytes, not a multiple of 20")
        }

        let files: [TorrentFile]
        let isMultiFile: Bool
        if let filesNode = info["files"] {
            guard info["length"] == nil else {
                throw .invalidValue(key: "info", reason: "has both 'length' and 'files'")
            }
            files = try Self.parseFiles(filesNode)
            isMultiFile = true
        } else if let lengthNode = info["length"] {
            let length = try lengthNode.integer(key: "info.length")
            guard length >= 0 else { throw .inconsistentSizes("file length \(length) is negative") }
            files = [TorrentFile(path: [name], length: length, offset: 0)]
            isMultiFile = false
        } else {
            throw .missingKey("info.length or info.files")
        }

        let totalLength = files.last.map { $0.offset + $0.length } ?? 0
        guard totalLength > 0 else { throw .inconsistentSizes("the torrent holds no data") }
        let expectedPieces = (totalLength - 1) / Int64(pieceLength) + 1
        let actualPieces = pieceHashes.count / InfoHash.byteCount
        guard expectedPieces == Int64(actualPieces) else {
            throw .inconsistentSizes(
                "\(actualPieces) piece hashes for \(totalLength) bytes in pieces of \(pieceLength) "
                    + "(expected \(expectedPieces))"
            )
        }
        guard actualPieces <= TorrentLimits.maximumPieceCount else {
            throw .tooLarge("\(actualPieces) pieces exceeds \(TorrentLimits.maximumPieceCount)")
        }

        let isPrivate: Bool
        if let privateNode = info["private"] {
            isPrivate = try privateNode.integer(key: "info.private") == 1
        } else {
            isPrivate = false
        }

        self.init(
            name: name, pieceLength: Int(pieceLength), pieceHashes: pieceHashes, files: files,
            isMultiFile: isMultiFile, isPrivate: isPrivate, trackerTiers: [], webSeeds: [],
            creationDate: nil, comment: nil, createdBy: nil, infoBytes: infoBytes,
            infoHash: InfoHash(hashingInfo: infoBytes)
        )
    }

    /// Key order is not enforced for torrents made elsewhere; everything else is.
    private static func decodeLeniently(_ bytes: [UInt8]) throws(MetainfoError) -> BencodeNode {
        do {
            return try BencodeDecoder(requiresSortedKeys: false).decode(bytes)
        } catch {
            throw .bencode(error)
        }
    }

    private static func parseFiles(_ node: BencodeNode) throws(MetainfoError) -> [TorrentFile] {
        guard case .list(let entries) = node.content else {
            throw .wrongType(key: "info.files", expected: "a list")
        }
        guard !entries.isEmpty else { throw .inconsistentSizes("'files' is empty") }
        guard entries.count <= TorrentLimits.maximumFileCount else {
            throw .tooLarge("\(entries.count) files exceeds \(TorrentLimits.maximumFileCount)")
        }
        var files: [TorrentFile] = []
        files.reserveCapacity(entries.count)
        var offset: Int64 = 0
        var tree = PathTree()
        for entry in entries {
            guard case .dictionary = entry.content else {
                throw .wrongType(key: "info.files[]", expected: "a dictionary")
            }
            guard let lengthNode = entry["length"] else { throw .missingKey("info.files[].length") }
            let length = try lengthNode.integer(key: "info.files[].length")
            guard length >= 0 else { throw .inconsistentSizes("file length \(length) is negative") }
            let pathNode = entry["path.utf-8"] ?? entry["path"]
            guard let pathNode else { throw .missingKey("info.files[].path") }
            guard case .list(let componentNodes) = pathNode.content else {
                throw .wrongType(key: "info.files[].path", expected: "a list of strings")
            }
            var path: [String] = []
            for componentNode in componentNodes {
                guard case .bytes(let bytes) = componentNode.content else {
                    throw .wrongType(key: "info.files[].path", expected: "a list of strings")
                }
                guard let component = String(validating: bytes, as: UTF8.self) else {
                    throw .invalidValue(key: "info.files[].path", reason: "not valid UTF-8")
                }
                path.append(component)
            }
            try PathValidator.validate(path: path)
            let isPadding = Self.optionalText(entry, "attr")?.contains("p") ?? false
            if !isPadding { try tree.insert(path) }
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard !overflow else { throw .inconsistentSizes("file lengths add up beyond 2^63 bytes") }
            files.append(TorrentFile(path: path, length: length, offset: offset, isPadding: isPadding))
            offset = end
        }
        return files
    }

    private static func parseTrackers(_ root: BencodeNode) throws(MetainfoError) -> [[String]] {
        if let listNode = root["announce-list"] {
            guard case .list(let tierNodes) = listNode.content else {
                throw .wrongType(key: "announce-list", expected: "a list of lists")
            }
            var tiers: [[String]] = []
            for tierNode in tierNodes {
                guard case .list(let urlNodes) = tierNode.content else {
                    throw .wrongType(key: "announce-list", expected: "a list of lists")
                }
                let tier = urlNodes.compactMap { $0.text }.filter { !$0.isEmpty }
                if !tier.isEmpty { tiers.append(tier) }
            }
            if !tiers.isEmpty { return tiers }
        }
        if let announce = optionalText(root, "announce"), !announce.isEmpty { return [[announce]] }
        return []
    }

    private static func parseWebSeeds(_ root: BencodeNode) throws(MetainfoError) -> [String] {
        guard let node = root["url-list"] else { return [] }
        switch node.content {
        case .bytes: return node.text.map { $0.isEmpty ? [] : [$0] } ?? []
        case .list(let elements): return elements.compactMap(\.text).filter { !$0.isEmpty }
        default: throw .wrongType(key: "url-list", expected: "a string or a list of strings")
        }
    }

    private static func text(_ dictionary: BencodeNode, _ key: String) throws(MetainfoError) -> String {
        guard let node = dictionary["\(key).utf-8"] ?? dictionary[key] else { throw .missingKey("info.\(key)") }
        guard case .bytes(let bytes) = node.content else { throw .wrongType(key: key, expected: "a string") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(key: key, reason: "not valid UTF-8")
        }
        return text
    }

    /// Optional free text: absent, mistyped or non-UTF-8 values count as absent.
    private static func optionalText(_ dictionary: BencodeNode, _ key: String) -> String? {
        dictionary[key]?.text
    }
}

extension BencodeNode {
    fileprivate var text: String? {
        guard case .bytes(let bytes) = content else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    fileprivate func integer(key: String) throws(MetainfoError) -> Int64 {
        guard case .integer(let value) = content else { throw .wrongType(key: key, expected: "an integer") }
        return value
    }
}
