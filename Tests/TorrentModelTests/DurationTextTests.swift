import Testing
import TorrentModel

@Suite struct DurationTextTests {
    @Test func secondsToATenthWithoutAZeroTenth() {
        #expect(DurationText.seconds(4) == "4 s")
        #expect(DurationText.seconds(10.54) == "10.5 s")
    }

    @Test func millisecondsKeepThreeDigitsAndTheSign() {
        #expect(DurationText.milliseconds(20) == "20.000 s")
        #expect(DurationText.milliseconds(1.0456) == "1.046 s")
        #expect(DurationText.milliseconds(-0.25) == "-0.250 s")
        #expect(DurationText.milliseconds(.milliseconds(1234)) == "1.234 s")
        #expect(DurationText.milliseconds(.milliseconds(-7)) == "-0.007 s")
    }

    @Test func clockReadings() {
        #expect(DurationText.clock(20.9) == "0:20")
        #expect(DurationText.clock(725) == "12:05")
        #expect(DurationText.clock(3723) == "1:02:03")
    }
}
