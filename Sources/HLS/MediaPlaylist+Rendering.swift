extension MediaPlaylist {
    /// The playlist text: deterministic (the same model always gives the same bytes, which the torrent's
    /// infohash depends on), tags in a fixed order, every line ending in "\n".
    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(version)", "#EXT-X-TARGETDURATION:\(targetDuration)"]
        lines.append("#EXT-X-MEDIA-SEQUENCE:\(mediaSequence)")
        if let playlistType { lines.append("#EXT-X-PLAYLIST-TYPE:\(playlistType.rawValue)") }
        if independentSegments { lines.append("#EXT-X-INDEPENDENT-SEGMENTS") }
        if let map {
            var attributes = [AttributeList.Attribute(name: "URI", value: .quotedString(map.uri))]
            if let range = map.byteRange {
                attributes.append(.init(name: "BYTERANGE", value: .quotedString(range.description)))
            }
            lines.append("#EXT-X-MAP:" + AttributeList(attributes).render())
        }
        for segment in segments {
            lines.append("#EXTINF:" + DecimalText.fixed(segment.duration, decimals: 6) + "," + (segment.title ?? ""))
            lines.append(segment.uri)
        }
        if endList { lines.append("#EXT-X-ENDLIST") }
        var text = ""
        for line in lines { text += line + "\n" }
        return text
    }
}
