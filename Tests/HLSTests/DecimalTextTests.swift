import Testing

@testable import HLS

@Suite("Decimal text")
struct DecimalTextTests {
    static let sixDecimals: [(Double, String)] = [
        (0.033367, "0.033367"),
        (10, "10.000000"),
        (1234.5, "1234.500000"),
        (0, "0.000000"),
        (4.2, "4.200000"),
        (1.0 / 3.0, "0.333333"),
        (2.0 / 3.0, "0.666667"),
        (4.0000000001, "4.000000"),
        (3.9999999, "4.000000"),
        (-1.5, "-1.500000"),
        (-0.0000001, "0.000000"),
        (86_400.000001, "86400.000001"),
    ]

    @Test(arguments: sixDecimals)
    func writesSixDecimals(value: Double, expected: String) {
        #expect(DecimalText.fixed(value, decimals: 6) == expected)
    }

    @Test func writesThreeDecimalsForFrameRates() {
        #expect(DecimalText.fixed(30, decimals: 3) == "30.000")
        #expect(DecimalText.fixed(30000.0 / 1001.0, decimals: 3) == "29.970")
        #expect(DecimalText.fixed(24000.0 / 1001.0, decimals: 3) == "23.976")
        #expect(DecimalText.fixed(59.99951, decimals: 3) == "60.000")
        #expect(DecimalText.fixed(0.001, decimals: 3) == "0.001")
        #expect(DecimalText.fixed(1e12, decimals: 0) == "1000000000000")
    }

    @Test func absurdValuesStillRender() {
        #expect(!DecimalText.fixed(.nan, decimals: 6).isEmpty)
        #expect(!DecimalText.fixed(.infinity, decimals: 6).isEmpty)
        #expect(!DecimalText.fixed(1e300, decimals: 6).isEmpty)
    }

    @Test func readsIntegersWithOverflowChecks() {
        #expect(DecimalText.integer("0") == 0)
        #expect(DecimalText.integer("007") == 7)
        #expect(DecimalText.integer("9223372036854775807") == Int.max)
        #expect(DecimalText.integer("9223372036854775808") == nil)
        #expect(DecimalText.integer("99999999999999999999999") == nil)
        #expect(DecimalText.integer("") == nil)
        #expect(DecimalText.integer("-1") == nil)
        #expect(DecimalText.integer("+1") == nil)
        #expect(DecimalText.integer("1 ") == nil)
        #expect(DecimalText.integer("١") == nil)
    }

    @Test func readsDecimalsBelowTheCeiling() {
        #expect(DecimalText.floatingPoint("4.000000") == 4)
        #expect(DecimalText.floatingPoint("0.033367") == 0.033367)
        #expect(DecimalText.floatingPoint("999999999999.999") == 999_999_999_999.999)
        #expect(DecimalText.floatingPoint("1000000000000") == nil)
        #expect(DecimalText.floatingPoint("99999999999999999999999.5") == nil)
        #expect(DecimalText.floatingPoint(Substring(String(repeating: "9", count: 5000))) == nil)
        #expect(DecimalText.floatingPoint("inf") == nil)
        #expect(DecimalText.floatingPoint("4,5") == nil)
        #expect(DecimalText.floatingPoint("") == nil)
    }
}
