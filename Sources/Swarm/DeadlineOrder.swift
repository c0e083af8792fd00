/// The order in which the picker takes pieces that have deadlines.
public enum DeadlineOrder: Hashable, Sendable {
    /// Earliest deadline first, every piece (a sequential download gives every piece the same deadline, so this
    /// is piece order).
    case earliestFirst
    /// Urgent pieces (deadline before the pick's `urgentBefore`) earliest first, ties rarest first; then the other
    /// pieces with deadlines rarest first, ties earliest first. When many watchers of one video stand at about the
    /// same place, earliest-first makes all of them ask the same peers for the same pieces in the same order, and
    /// the origin seed sends each piece many times; rarest first within the window makes each of them fetch pieces
    /// the others lack, and trade them.
    case rarestWithinWindow
}
