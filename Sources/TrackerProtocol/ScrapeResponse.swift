import Bencode
import TorrentModel

/// A tracker's successful answer to a scrape.
public struct ScrapeResponse: Hashable, Sendable {
    public var files: [InfoHash: ScrapeStats]
    /// BEP 48 `flags.min_request_interval`: seconds to wait before scraping again.
    public var minRequestInterval: Int?

    public init(files: [InfoHash: ScrapeStats], minRequestInterval: Int? = nil) {
        self.files = files
        self.minRequestInterval = minRequestInterval
    }

    public func bencoded() -> [UInt8] { BencodeEncoder.encode(bencodeValue) }

    public var bencodeValue: BencodeValue {
        var files: [[UInt8]: BencodeValue] = [:]
        for (infoHash, stats) in self.files {
            files[infoHash.bytes] = [
                "complete": .integer(Int64(stats.complete)),
                "downloaded": .integer(Int64(stats.downloaded)),
                "incomplete": .integer(Int64(stats.incomplete)),
            ]
        }
        var entries: [[UInt8]: BencodeValue] = [Array("files".utf8): .dictionary(files)]
        if let minRequestInterval {
            entries[Array("flags".utf8)] = ["min_request_interval": .integer(Int64(minRequestInterval))]
        }
        return .dictionary(entries)
    }

    /// Reads an HTTP scrape response; a missing count reads as 0, a negative one is refused.
    public static func decodeHTTP(_ bytes: [UInt8]) throws(TrackerProtocolError) -> TrackerReply<ScrapeResponse> {
        let fields = try BencodeFields(decoding: bytes)
        if let reason = try fields.text("failure reason") { return .failure(reason: reason) }
        var files: [InfoHash: ScrapeStats] = [:]
        if let value = fields["files"] {
            guard let entries = value.dictionaryValue else { throw .wrongType(key: "files", expected: "a dictionary") }
            for (key, entry) in entries {
                guard let infoHash = InfoHash(bytes: key) else { throw .badScrapeInfoHash(length: key.count) }
                let stats = try BencodeFields(entry)
                files[infoHash] = ScrapeStats(
                    complete: try stats.count("complete") ?? 0,
                    downloaded: try stats.count("downloaded") ?? 0,
                    incomplete: try stats.count("incomplete") ?? 0)
            }
        }
        var minRequestInterval: Int?
        if let flags = fields["flags"] {
            minRequestInterval = try BencodeFields(flags).count("min_request_interval")
        }
        return .success(ScrapeResponse(files: files, minRequestInterval: minRequestInterval))
    }
}

extension TrackerReply where Payload == ScrapeResponse {
    public func bencoded() -> [UInt8] {
        switch self {
        case .success(let response): return response.bencoded()
        case .failure(let reason): return BencodeEncoder.encode(["failure reason": .string(reason)])
        }
    }
}
