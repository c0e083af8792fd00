import Dispatch
import Glibc
import Synchronization

/// Writes segment files and hashes their pieces on a thread of its own, so the demuxer and muxer never wait
/// for the disk or for SHA-1: on two cores, ingest takes about as long as the remux alone.
///
/// Chunks arrive in order (`append`, `endSegment`) and are written and hashed in that order; at most
/// `maximumChunksInFlight` wait at a time. The first error (a full disk, say) is kept and reported by
/// `failure` (polled by the caller) and by `finish`.
final class SegmentWriter: @unchecked Sendable {
    /// 64 chunks of up to 128 KiB: 8 MiB of segment bytes in memory at most.
    static let maximumChunksInFlight = 64

    struct Segment {
        var name: String
        var length: Int64
        var duration: Double
    }

    private let folder: OutputFolder
    private let nameWidth: Int
    private let queue = DispatchQueue(label: "shoal.ingest.segment-writer")
    private let slots = DispatchSemaphore(value: SegmentWriter.maximumChunksInFlight)
    private let firstFailure = Mutex<IngestError?>(nil)

    // Owned by `queue`.
    private var hashes: PieceHashStream
    private var descriptor: Int32 = -1
    private var currentPath = ""
    private var currentLength: Int64 = 0
    private var segments: [Segment] = []

    init(folder: OutputFolder, pieceLength: Int, nameWidth: Int) {
        self.folder = folder
        self.nameWidth = nameWidth
        hashes = PieceHashStream(pieceLength: pieceLength)
    }

    var failure: IngestError? { firstFailure.withLock { $0 } }

    /// Copies `bytes` and queues them for the current segment (opened at its first bytes).
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        let chunk = [UInt8](bytes)
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure == nil else { return }
            do throws(IngestError) {
                if descriptor < 0 { try open() }
                try OutputFolder.writeAll(chunk, to: descriptor, path: currentPath)
                hashes.append(chunk)
                currentLength += Int64(chunk.count)
            } catch {
                fail(error)
            }
        }
    }

    func endSegment(duration: Double) {
        queue.async { [self] in
            guard failure == nil else { return }
            do throws(IngestError) {
                if descriptor < 0 { try open() }  // an empty segment is still a file
                close(descriptor)
                descriptor = -1
                segments.append(Segment(name: currentName, length: currentLength, duration: duration))
                currentLength = 0
            } catch {
                fail(error)
            }
        }
    }

    /// Waits for every queued write; the segments and the hashes of their pieces (pads included).
    func finish() throws(IngestError) -> (segments: [Segment], hashes: [UInt8]) {
        let result = queue.sync { [self] () -> (segments: [Segment], hashes: [UInt8]) in
            if descriptor >= 0 {
                close(descriptor)
                descriptor = -1
            }
            return (segments, hashes.finish())
        }
        if let failure { throw failure }
        return result
    }

    private var currentName: String { VideoTorrentLayout.segmentName(segments.count, width: nameWidth) }

    private func open() throws(IngestError) {
        // Every segment but the first starts on a piece boundary: the pad file before it is zeros.
        if !segments.isEmpty { hashes.padToPieceBoundary() }
        currentPath = folder.path + "/" + currentName
        descriptor = Glibc.open(currentPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputFolder.failure(currentPath) }
    }

    private func fail(_ error: IngestError) {
        firstFailure.withLock { if $0 == nil { $0 = error } }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }
}
