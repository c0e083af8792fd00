extension MasterPlaylist {
    /// The playlist text: deterministic, attributes in a fixed order, every line ending in "\n".
    public func render() -> String {
        var text = "#EXTM3U\n#EXT-X-VERSION:\(version)\n"
        if independentSegments { text += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        for variant in variants {
            text += "#EXT-X-STREAM-INF:" + Self.attributes(of: variant).render() + "\n" + variant.uri + "\n"
        }
        return text
    }

    private static func attributes(of variant: VariantStream) -> AttributeList {
        var list: [AttributeList.Attribute] = [.init(name: "BANDWIDTH", value: .unquoted("\(variant.bandwidth)"))]
        if let average = variant.averageBandwidth {
            list.append(.init(name: "AVERAGE-BANDWIDTH", value: .unquoted("\(average)")))
        }
        if !variant.codecs.isEmpty {
            list.append(.init(name: "CODECS", value: .quotedString(variant.codecs.joined(separator: ","))))
        }
        if let resolution = variant.resolution {
            list.append(.init(name: "RESOLUTION", value: .unquoted(resolution.description)))
        }
        if let rate = variant.frameRate {
            // Three decimals, as Apple's tools write it: enough for 29.970 and 23.976.
            list.append(.init(name: "FRAME-RATE", value: .unquoted(DecimalText.fixed(rate, decimals: 3))))
        }
        return AttributeList(list)
    }
}
