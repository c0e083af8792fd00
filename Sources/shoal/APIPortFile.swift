import Foundation
import ShoalNode

/// `api-port` in the data directory: the running node's control API port, so `shoal list --data-dir D` finds
/// a node started with `--api-port 0` or another port. Removed when the node stops.
struct APIPortFile: Sendable {
    let path: String

    init(directory: DataDirectory) {
        path = directory.path + "/api-port"
    }

    func write(_ port: Int) {
        try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func read() -> Int? {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
