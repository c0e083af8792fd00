import Testing
import TorrentModel

@Suite("Bitfield")
struct BitfieldTests {
    @Test func wireLayoutIsHighBitFirst() {
        var bits = Bitfield(count: 10)
        bits[0] = true
        bits[9] = true
        #expect(bits.bytes == [0x80, 0x40])
        #expect(bits.setCount == 2)
        #expect(bits.description == "1000000001")
        #expect(bits.setIndices == [0, 9])
        bits[0] = false
        bits[0] = false
        #expect(bits.setCount == 1)
    }

    @Test func allSetKeepsSpareBitsClear() {
        let bits = Bitfield(count: 10, allSet: true)
        #expect(bits.bytes == [0xFF, 0xC0])
        #expect(bits.isComplete)
        #expect(Bitfield(count: 16, allSet: true).bytes == [0xFF, 0xFF])
        #expect(Bitfield(count: 0, allSet: true).isComplete)
    }

    @Test func wireBytesAreChecked() {
        #expect(Bitfield(wireBytes: [0xFF, 0xC0], count: 10)?.setCount == 10)
        #expect(Bitfield(wireBytes: [0xFF, 0xE0], count: 10) == nil)  // a spare bit set
        #expect(Bitfield(wireBytes: [0xFF], count: 10) == nil)  // too short
        #expect(Bitfield(wireBytes: [0xFF, 0, 0], count: 10) == nil)  // too long
        #expect(Bitfield(wireBytes: [0x01], count: 8)?.setIndices == [7])
    }
}
