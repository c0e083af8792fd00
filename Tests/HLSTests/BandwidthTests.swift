import Testing

@testable import HLS

@Suite("Bandwidth")
struct BandwidthTests {
    @Test func peakIsTheFastestSegmentAndAverageIsBitsOverTime() {
        // 1 000 000, 1 500 000 and 800 000 bit/s.
        let bandwidth = Bandwidth(segments: [(500_000, 4.0), (750_000, 4.0), (100_000, 1.0)])
        #expect(bandwidth.peak == 1_500_000)
        // 10 800 000 bits in 9 seconds.
        #expect(bandwidth.average == 1_200_000)
    }

    @Test func roundsUp() {
        // 8008 bits in 3 s is 2669.33 bit/s.
        #expect(Bandwidth(segments: [(1001, 3.0)]) == Bandwidth(peak: 2670, average: 2670))
        // Exact values stay exact.
        #expect(Bandwidth(segments: [(1000, 2.0)]) == Bandwidth(peak: 4000, average: 4000))
        // 0.1 s is not exactly representable; 1250 bytes over it is still 100 000 bit/s, not 100 001.
        #expect(Bandwidth(segments: [(1250, 0.1)]).peak == 100_000)
    }

    @Test func segmentsWithoutDurationAreSkippedForThePeak() {
        let bandwidth = Bandwidth(segments: [(1000, 0), (1000, 2.0), (5000, -1), (7, .nan), (9, .infinity)])
        #expect(bandwidth.peak == 4000)
        // Their bytes still count: (1000 + 1000 + 5000 + 7 + 9) × 8 bits over 2 s.
        #expect(bandwidth.average == 28_064)
    }

    @Test func emptyAndZero() {
        #expect(Bandwidth(segments: []) == Bandwidth(peak: 0, average: 0))
        #expect(Bandwidth(segments: [(1000, 0)]) == Bandwidth(peak: 0, average: 0))
        #expect(Bandwidth(segments: [(-5, 1)]) == Bandwidth(peak: 0, average: 0))
    }

    @Test func hugeValuesClampInsteadOfTrapping() {
        let bandwidth = Bandwidth(segments: [(Int.max, 1e-300)])
        #expect(bandwidth.peak == Int.max)
        #expect(bandwidth.average == Int.max)
    }
}
