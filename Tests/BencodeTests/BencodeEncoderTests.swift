import TestSupport
import Testing

@testable import Bencode

@Suite("Bencode encoding")
struct BencodeEncoderTests {
    private func text(_ value: BencodeValue) -> String {
        String(decoding: BencodeEncoder.encode(value), as: UTF8.self)
    }

    @Test func encodesCanonically() {
        #expect(text(0) == "i0e")
        #expect(text(-7) == "i-7e")
        #expect(text(.integer(.min)) == "i-9223372036854775808e")
        #expect(text("") == "0:")
        #expect(text(["a", 1, []]) == "l1:ai1elee")
        #expect(text(["b": 1, "a": 2, "B": 3]) == "d1:Bi3e1:ai2e1:bi1ee")
        #expect(text(["aa": 1, "a": 2]) == "d1:ai2e2:aai1ee")
    }

    @Test func rawBytesSurvive() {
        let value = BencodeValue.bytes([0, 255, 10])
        #expect(BencodeEncoder.encode(value) == Array("3:".utf8) + [0, 255, 10])
    }

    @Test func roundTripsThroughTheStrictDecoder() throws {
        let values: [BencodeValue] = [
            ["announce": "http://t/a", "info": ["name": "x", "piece length": 16384, "pieces": .bytes([1, 2])]],
            [[[[]]], ["k": ["k": ["k": -1]]]],
            .bytes((0...255).map { UInt8($0) }),
            ["": "", "\u{0}": 0],
        ]
        for value in values {
            let bytes = BencodeEncoder.encode(value)
            let decoded = try BencodeDecoder.decode(bytes)
            #expect(decoded.value == value)
            #expect(BencodeEncoder.encode(decoded.value) == bytes)
        }
    }

    @Test func seededRandomValuesRoundTrip() throws {
        var generator = SeededRandom(seed: 0x5EED)
        for _ in 0..<2_000 {
            let value = randomValue(depth: 0, using: &generator)
            let bytes = BencodeEncoder.encode(value)
            #expect(try BencodeDecoder.decode(bytes).value == value)
        }
    }

    private func randomValue(depth: Int, using generator: inout SeededRandom) -> BencodeValue {
        switch generator.next() % (depth > 4 ? 2 : 4) {
        case 0: return .integer(Int64(bitPattern: generator.next()) >> (generator.next() % 64))
        case 1: return .bytes((0..<(generator.next() % 12)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        case 2: return .list((0..<(generator.next() % 4)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var dictionary: [[UInt8]: BencodeValue] = [:]
            for _ in 0..<(generator.next() % 4) {
                let key = (0..<(generator.next() % 4)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                dictionary[key] = randomValue(depth: depth + 1, using: &generator)
            }
            return .dictionary(dictionary)
        }
    }
}
