import Glibc
import PieceStorage
import Testing

@Suite struct StorageErrorTests {
    @Test func sortsErrnoIntoCasesAPersonCanActOn() {
        let path = "/downloads/show/seg/000.m4s"
        #expect(
            StorageError(errno: ENOSPC, path: path, operation: .write)
                == .diskFull(path: path, reason: "No space left on device"))
        #expect(
            StorageError(errno: EDQUOT, path: path, operation: .write)
                == .diskFull(path: path, reason: "Disk quota exceeded"))
        #expect(
            StorageError(errno: EROFS, path: path, operation: .createFile)
                == .notWritable(path: path, reason: "Read-only file system"))
        #expect(
            StorageError(errno: EACCES, path: path, operation: .createFolder)
                == .notWritable(path: path, reason: "Permission denied"))
        #expect(
            StorageError(errno: EPERM, path: path, operation: .resize)
                == .notWritable(path: path, reason: "Operation not permitted"))
        #expect(
            StorageError(errno: EACCES, path: path, operation: .read)
                == .notReadable(path: path, reason: "Permission denied"))
        #expect(
            StorageError(errno: EFBIG, path: path, operation: .resize)
                == .fileTooLarge(path: path, reason: "File too large"))
        #expect(StorageError(errno: ENOTDIR, path: path, operation: .openFolder) == .notAFolder(path: path))
        #expect(StorageError(errno: EISDIR, path: path, operation: .openFile) == .notAFile(path: path))
        #expect(StorageError(errno: ELOOP, path: path, operation: .openFile) == .symbolicLinkRefused(path: path))
        #expect(
            StorageError(errno: EIO, path: path, operation: .read)
                == .io(path: path, operation: .read, reason: "Input/output error"))
    }

    @Test func messagesAreOneLineAndNameThePath() {
        let path = "/downloads/show/init.mp4"
        #expect(
            StorageError.diskFull(path: path, reason: "No space left on device").description
                == "/downloads/show/init.mp4: no space left to write the download (No space left on device)")
        #expect(
            StorageError.notWritable(path: path, reason: "Read-only file system").description
                == "/downloads/show/init.mp4: cannot write here (Read-only file system)")
        #expect(
            StorageError.fileTooLarge(path: path, reason: "File too large").description
                == "/downloads/show/init.mp4: file too large for this file system (File too large)")
        #expect(
            StorageError.notAFolder(path: path).description == "/downloads/show/init.mp4: exists but is not a folder")
        #expect(
            StorageError.changedOnDisk(path: path).description
                == "/downloads/show/init.mp4: missing or shorter than expected; it changed on disk")
        #expect(
            StorageError.io(path: path, operation: .sync, reason: "Input/output error").description
                == "/downloads/show/init.mp4: cannot flush to disk (Input/output error)")
        #expect(StorageError.notVerified(piece: 7).description == "piece 7 has not been verified")
        let all: [StorageError] = [
            .diskFull(path: path, reason: "r"), .notWritable(path: path, reason: "r"),
            .notReadable(path: path, reason: "r"),
            .notAFolder(path: path), .notAFile(path: path), .symbolicLinkRefused(path: path),
            .fileTooLarge(path: path, reason: "r"), .changedOnDisk(path: path),
            .io(path: path, operation: .read, reason: "r"),
        ]
        for error in all {
            #expect(error.description.hasPrefix(path + ": "))
            #expect(!error.description.contains("\n"))
        }
    }
}
