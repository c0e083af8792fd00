import Foundation
import TorrentModel

/// What `POST /api/v1/torrents` asks for: a torrent from .torrent bytes or a magnet link, where to
/// save it, and whether to start it paused.
///
/// As JSON, exactly one of `magnet` (the link) or `metainfo` (the .torrent file, base64) is given:
/// `{"magnet": "magnet:?xt=urn:btih:…", "savePath": "/srv/video", "paused": false}`. `savePath` may
/// be left out or null (the node's default folder) and `paused` left out (false).
public struct AddTorrentRequest: Equatable, Sendable {
    /// Where the torrent comes from.
    public enum Source: Equatable, Sendable {
        /// The raw bytes of a .torrent file.
        case metainfo([UInt8])
        /// A magnet URI.
        case magnet(String)
    }

    public var source: Source
    /// The folder to save the files under; nil for the node's default.
    public var savePath: String?
    /// Add the torrent stopped.
    public var paused: Bool

    public init(source: Source, savePath: String? = nil, paused: Bool = false) {
        self.source = source
        self.savePath = savePath
        self.paused = paused
    }

    /// A request for a .torrent file's bytes.
    public static func metainfo(_ bytes: [UInt8], savePath: String? = nil, paused: Bool = false) -> Self {
        Self(source: .metainfo(bytes), savePath: savePath, paused: paused)
    }

    /// A request for a magnet link.
    public static func magnet(_ link: String, savePath: String? = nil, paused: Bool = false) -> Self {
        Self(source: .magnet(link), savePath: savePath, paused: paused)
    }

    /// The infohash the request names, after checking that the torrent or magnet link is well formed;
    /// throws ``NodeControlError/invalidInput(_:)`` with the parser's reason otherwise.
    public func validatedInfoHash() throws(NodeControlError) -> InfoHash {
        switch source {
        case .metainfo(let bytes):
            guard !bytes.isEmpty else { throw .invalidInput("the .torrent file is empty") }
            guard bytes.count <= ControlAPI.maximumMetainfoBytes else {
                throw .invalidInput(
                    "the .torrent file is too large: \(bytes.count) bytes, at most \(ControlAPI.maximumMetainfoBytes)")
            }
            do {
                return try Metainfo(bytes: bytes).infoHash
            } catch {
                throw .invalidInput("not a valid .torrent file: \(error)")
            }
        case .magnet(let link):
            do {
                return try MagnetLink(parsing: link).infoHash
            } catch {
                throw .invalidInput("\(error)")
            }
        }
    }
}

extension AddTorrentRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case magnet, metainfo, savePath, paused
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let magnet = try container.decodeIfPresent(String.self, forKey: .magnet)
        let metainfo = try container.decodeIfPresent(String.self, forKey: .metainfo)
        switch (magnet, metainfo) {
        case (let magnet?, nil):
            source = .magnet(magnet)
        case (nil, let metainfo?):
            guard let data = Data(base64Encoded: metainfo) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .metainfo, in: container, debugDescription: "not base64")
            }
            source = .metainfo([UInt8](data))
        case (.some, .some):
            throw DecodingError.dataCorruptedError(
                forKey: .metainfo, in: container, debugDescription: "give either 'magnet' or 'metainfo', not both")
        case (nil, nil):
            throw DecodingError.keyNotFound(
                CodingKeys.magnet,
                .init(codingPath: decoder.codingPath, debugDescription: "give 'magnet' or 'metainfo' (base64)"))
        }
        savePath = try container.decodeIfPresent(String.self, forKey: .savePath)
        paused = try container.decodeIfPresent(Bool.self, forKey: .paused) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch source {
        case .magnet(let link): try container.encode(link, forKey: .magnet)
        case .metainfo(let bytes): try container.encode(Data(bytes).base64EncodedString(), forKey: .metainfo)
        }
        try container.encodeIfPresent(savePath, forKey: .savePath)
        try container.encode(paused, forKey: .paused)
    }
}
