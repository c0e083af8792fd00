/// Shoal's own version, shown by `shoal version` and written as `created by` in new torrents.
enum ShoalVersion {
    static let current = "0.1.0"
    static let createdBy = "Shoal/\(current)"
}
