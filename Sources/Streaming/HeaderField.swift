/// One response header: a name as written on the wire (`Content-Type`) and its value.
public struct HeaderField: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}

extension [HeaderField] {
    /// The value of the first field named `name`, compared without regard to ASCII case (field names are
    /// case-insensitive, RFC 9110 §5.1).
    public func value(named name: String) -> String? {
        let lowered = HeaderText.asciiLowercased(name)
        return first { HeaderText.equalsIgnoringCase(ArraySlice($0.name.utf8), lowered) }?.value
    }
}
