/// Why an RFC 8216 attribute-list (§4.2) was rejected.
public enum AttributeListError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A name that is empty or has characters other than `A-Z`, `0-9` and `-`.
    case badName(String)
    case missingEquals(name: String)
    case emptyValue(name: String)
    case unterminatedQuotedString(name: String)
    /// Something other than a comma right after a quoted string's closing quote.
    case textAfterQuotedString(name: String)
    /// An unquoted value with a quote or a space in it.
    case badUnquotedValue(name: String)
    case duplicateName(String)
    case trailingComma

    public var description: String {
        switch self {
        case .badName(let name):
            return "'\(PlaylistError.excerpt(name))' is not an attribute name (A-Z, 0-9 and '-')"
        case .missingEquals(let name): return "attribute \(name) has no '='"
        case .emptyValue(let name): return "attribute \(name) has an empty value"
        case .unterminatedQuotedString(let name): return "attribute \(name) has a quoted string without a closing quote"
        case .textAfterQuotedString(let name): return "attribute \(name) has text after its closing quote"
        case .badUnquotedValue(let name): return "attribute \(name) has a quote or a space in an unquoted value"
        case .duplicateName(let name): return "attribute \(name) appears twice"
        case .trailingComma: return "the list ends with a comma"
        }
    }
}
