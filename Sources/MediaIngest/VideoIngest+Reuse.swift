import Bencode
import Glibc
import HLS
import TorrentModel

extension VideoIngest {
    /// What the .torrent notes of the input: its size and modification time and the options that shape
    /// the output, so a second run with the same ones can reuse the output instead of remaking it.
    static func inputRecord(_ request: IngestRequest) throws(IngestError) -> BencodeValue {
        guard let identity = FileCheck.identity(request.input) else {
            throw .unreadable(request.input, String(cString: strerror(errno)))
        }
        return .dictionary([
            Array("format".utf8): .integer(1),
            Array("size".utf8): .integer(identity.size),
            Array("modified".utf8): .integer(identity.modified),
            Array("options".utf8): .string(request.outputOptions),
        ])
    }

    /// The earlier output when it was made from this input with these options and its files are all
    /// there at their lengths; nil when there is nothing to reuse (or `force` replaces it).
    static func reuse(
        torrentPath: String, folderPath: String, record: BencodeValue, force: Bool
    ) throws(IngestError)
        -> IngestResult?
    {
        guard let bytes = readFile(torrentPath) else {
            if !force && access(folderPath, F_OK) == 0 { throw .outputExists(folderPath) }
            return nil
        }
        guard let metainfo = try? Metainfo(bytes: bytes),
            let root = try? BencodeDecoder.decode(bytes).value, root[recordKey] == record
        else {
            if force { return nil }
            throw .outputExists(torrentPath)
        }
        // Made from this file with these options: reuse it if it is whole, make it again if not.
        guard
            metainfo.dataFiles.allSatisfy({ file in
                FileCheck.identity(folderPath + "/" + file.pathString)?.size == file.length
            }),
            let summary = summary(of: metainfo, folderPath: folderPath)
        else { return nil }
        return IngestResult(
            torrentPath: torrentPath, folderPath: folderPath, metainfo: metainfo, reused: true, summary: summary)
    }

    /// The summary of an existing video folder, read back from its playlists.
    static func summary(of metainfo: Metainfo, folderPath: String) -> IngestSummary? {
        guard let masterBytes = readFile(folderPath + "/" + VideoTorrentLayout.masterPlaylist),
            let mediaBytes = readFile(folderPath + "/" + VideoTorrentLayout.mediaPlaylist),
            let master = try? MasterPlaylist(parsing: masterBytes), let variant = master.variants.first,
            let media = try? MediaPlaylist(parsing: mediaBytes)
        else { return nil }
        return IngestSummary(
            segmentCount: media.segments.count, duration: media.segments.reduce(0) { $0 + $1.duration },
            totalBytes: metainfo.dataFiles.reduce(0) { $0 + $1.length },
            averageBitRate: variant.averageBandwidth ?? variant.bandwidth, peakBitRate: variant.bandwidth,
            codecs: variant.codecs, resolution: variant.resolution.map { "\($0.width)x\($0.height)" },
            streams: ["reused: made earlier from the same file with the same options"],
            pieceLength: metainfo.pieceLength, pieceCount: metainfo.pieceCount)
    }

    /// A whole small file (or its first `prefix` bytes), or nil when it cannot be read.
    static func readFile(_ path: String, limit: Int = 64 * 1024 * 1024, prefix: Int? = nil) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
            if let prefix, bytes.count >= prefix { return Array(bytes.prefix(prefix)) }
        }
        return nil
    }
}
