import Foundation

/// A small tmpfs mounted on a fresh folder, for disk-full and read-only tests; unmounted on deinit.
/// Mounting needs root (CAP_SYS_ADMIN), which is how scripts/test.sh and CI run the suite.
public final class TmpfsMount {
    private let folder: TemporaryDirectory
    private let mountTool: String
    public var path: String { folder.path }

    public init(sizeBytes: Int) throws {
        folder = try TemporaryDirectory(prefix: "shoal-storage-tmpfs")
        mountTool = try ProcessRunner.which("mount", installHint: "util-linux")
        try run([mountTool, "-t", "tmpfs", "-o", "size=\(sizeBytes),mode=0755", "tmpfs", folder.path])
    }

    /// Makes the file system read-only (or writable again) without unmounting it.
    public func remount(readOnly: Bool) throws {
        try run([mountTool, "-o", "remount,\(readOnly ? "ro" : "rw")", folder.path])
    }

    deinit {
        let umount = (try? ProcessRunner.which("umount", installHint: "util-linux")) ?? "/bin/umount"
        _ = try? ProcessRunner.runBlocking(umount, ["-l", folder.path])
    }

    private func run(_ command: [String]) throws {
        let result = try ProcessRunner.runBlocking(command[0], Array(command.dropFirst()), timeout: 30)
        guard result.exitCode == 0 else {
            throw MountFailed(command: command.joined(separator: " "), output: result.standardError)
        }
    }
}

public struct MountFailed: Error, CustomStringConvertible {
    public var command: String
    public var output: String

    public var description: String {
        "`\(command)` failed (\(output.trimmingCharacters(in: .whitespacesAndNewlines))): the disk-full and "
            + "read-only tests mount a small tmpfs and need root, as scripts/test.sh runs them"
    }
}
