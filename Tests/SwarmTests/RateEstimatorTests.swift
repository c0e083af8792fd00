import Swarm
import Testing

@Suite struct RateEstimatorTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    @Test func emptyEstimatorReportsZero() {
        let estimator = RateEstimator()
        #expect(estimator.rate(now: at(5)) == 0)
        #expect(estimator.totalBytes == 0)
    }

    @Test func steadyTrafficGivesItsRate() {
        var estimator = RateEstimator()
        for second in 0..<30 {
            estimator.record(bytes: 10_240, at: at(Double(second)))
        }
        // Buckets count from the first sample. At 30 s the window is [11 s, 30 s): 19 samples over 19 seconds.
        #expect(estimator.rate(now: at(30)) == 10_240)
        #expect(estimator.totalBytes == 30 * 10_240)
    }

    @Test func earlyRateIsAveragedOverTheTimeSinceTheFirstSampleWithAOneBucketFloor() {
        var estimator = RateEstimator()
        estimator.record(bytes: 16_384, at: at(0))
        #expect(estimator.rate(now: at(0.25)) == 16_384)
        #expect(estimator.rate(now: at(2)) == 8_192)
        #expect(estimator.rate(now: at(4)) == 4_096)
    }

    @Test func oldBytesFallOutOfTheWindow() {
        var estimator = RateEstimator()
        for second in 0..<10 {
            estimator.record(bytes: 1_000, at: at(Double(second)))
        }
        // At 25 s the window is [6 s, 25 s): samples 6…9 remain, over 19 seconds.
        #expect(estimator.rate(now: at(25)) == 4_000.0 / 19.0)
        #expect(estimator.rate(now: at(29.5)) == 0)
        #expect(estimator.rate(now: at(500)) == 0)
    }

    @Test func ringIsClearedAcrossALongSilence() {
        var estimator = RateEstimator()
        estimator.record(bytes: 1_000, at: at(0))
        // Bucket 100 shares a ring slot with bucket 0; the old bytes must not be counted with the new.
        estimator.record(bytes: 2_000, at: at(100))
        #expect(estimator.rate(now: at(101)) == 2_000.0 / 19.0)
        #expect(estimator.totalBytes == 3_000)
    }

    @Test func slightlyLateSamplesCountAndTooOldOnesOnlyAddToTheTotal() {
        var estimator = RateEstimator(window: .seconds(10), bucketCount: 10)
        estimator.record(bytes: 100, at: at(0))
        estimator.record(bytes: 100, at: at(20.5))
        estimator.record(bytes: 50, at: at(18.5))
        estimator.record(bytes: 7_000, at: at(5))
        #expect(estimator.totalBytes == 7_250)
        // Window at 21 s is [12 s, 21 s): 150 bytes over 9 seconds; the sample at 5 s was already out of it.
        #expect(estimator.rate(now: at(21)) == 150.0 / 9.0)
    }

    @Test func zeroAndNegativeByteCountsAreIgnored() {
        var estimator = RateEstimator()
        estimator.record(bytes: 0, at: at(0))
        estimator.record(bytes: -5, at: at(1))
        #expect(estimator.totalBytes == 0)
        #expect(estimator.rate(now: at(2)) == 0)
    }
}
