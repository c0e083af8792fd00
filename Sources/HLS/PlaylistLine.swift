/// One meaningful line of a playlist: blank lines and comments are dropped by `PlaylistScanner`.
struct PlaylistLine: Sendable, Equatable {
    enum Content: Sendable, Equatable {
        /// A line starting with `#EXT`: the name without `#`, and the text after the first `:` if any.
        case tag(name: String, value: String?)
        /// Any other non-blank line that does not start with `#`.
        case uri(String)
    }

    /// 1-based, counting every line of the input.
    var number: Int
    var content: Content
}
