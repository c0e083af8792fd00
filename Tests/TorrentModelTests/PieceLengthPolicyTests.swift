import Glibc
import Testing
import TorrentModel

@Suite("Piece length policy")
struct PieceLengthPolicyTests {
    static let kib: Int64 = 1024
    static let mib: Int64 = 1024 * 1024

    @Test(
        arguments: [
            (Int64(0), 16_384),
            (1, 16_384),
            (16_384, 16_384),
            (4000 * 16_384, 16_384),
            (4000 * 16_384 + 1, 32_768),
            (4000 * 32_768, 32_768),
            (4000 * 32_768 + 1, 65_536),
            (700 * 1024 * 1024, 262_144),
            (4000 * 8_388_608 + 1, 16_777_216),
            (4000 * 16_777_216, 16_777_216),
            (4000 * 16_777_216 + 1, 16_777_216),
            (1 << 40, 16_777_216),
            (1 << 50, 16_777_216),
        ] as [(Int64, Int)])
    func automatic(total: Int64, expected: Int) {
        #expect(PieceLengthPolicy.automatic(totalLength: total) == expected)
    }

    @Test func automaticStaysBetweenHalfAndAllOfTheTargetPieceCount() {
        let target = Int64(PieceLengthPolicy.targetMaximumPieceCount)
        var total = 4001 * 16 * Self.kib
        while total < 4000 * 16 * Self.mib {
            let length = PieceLengthPolicy.automatic(totalLength: total)
            #expect(PieceLengthPolicy.isAcceptable(length))
            let pieces = (total + Int64(length) - 1) / Int64(length)
            #expect(pieces <= target && pieces > target / 2, "\(total) bytes → \(length)")
            total = total * 3 / 2 + 12_345
        }
    }

    /// Documented as "16 MiB for anything larger than 64 GB"; the largest totals must not trap on overflow.
    @Test func automaticForTheLargestTotalsDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            for total in [Int64.max, Int64.max - 1, Int64.max - 16_384] {
                guard PieceLengthPolicy.automatic(totalLength: total) == 16_777_216 else { exit(1) }
            }
        }
    }

    @Test(arguments: [16_384, 32_768, 65_536, 1 << 20, 1 << 24, 1 << 27])
    func acceptable(length: Int) {
        #expect(PieceLengthPolicy.isAcceptable(length))
    }

    @Test(arguments: [0, -16_384, 1, 8_192, 16_383, 16_385, 3 * 16_384, 1_000_000, 1 << 28, Int.min, Int.max])
    func notAcceptable(length: Int) {
        #expect(!PieceLengthPolicy.isAcceptable(length))
    }
}
