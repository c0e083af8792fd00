import Testing

@testable import PeerWire

@Suite struct DeadlineMessageTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func encodesEachEntryAsPieceAndMillisecondsBigEndian() throws {
        let message = DeadlineMessage(entries: [
            DeadlineMessage.Entry(piece: 0x4142_4344, dueIn: 0x3031_3233),
            DeadlineMessage.Entry(piece: 0x61, dueIn: 0),
        ])
        #expect(Self.text(message.encoded()) == "d1:d16:ABCD0123\0\0\0a\0\0\0\0e")
        #expect(try DeadlineMessage.decode(message.encoded()) == message)
    }

    @Test func decodesKeysInAnyOrderAndIgnoresUnknownOnes() throws {
        let payload = Array("d1:zi7e1:d8:".utf8) + [0, 0, 0, 5, 0, 0, 0x03, 0xE8] + Array("e".utf8)
        let message = try DeadlineMessage.decode(payload)
        #expect(message.entries == [DeadlineMessage.Entry(piece: 5, dueIn: 1000)])
        #expect(try DeadlineMessage.decode(Array("de".utf8)).entries.isEmpty)
    }

    @Test func refusesWhatItCannotRead() {
        let cases: [(String, String)] = [
            ("i3e", "invalid shoal_deadline message: the message is not a dictionary"),
            ("d1:di3ee", "invalid shoal_deadline message: 'd' is not a byte string"),
            ("d1:d7:1234567e", "invalid shoal_deadline message: 'd' is 7 bytes, not a multiple of 8"),
        ]
        for (payload, reason) in cases {
            #expect(throws: PeerWireError.invalidDeadlineMessage(String(reason.dropFirst(32)))) {
                try DeadlineMessage.decode(Array(payload.utf8))
            }
            #expect(PeerWireError.invalidDeadlineMessage(String(reason.dropFirst(32))).description == reason)
        }
        #expect(throws: PeerWireError.self) { try DeadlineMessage.decode(Array("d1:d".utf8)) }
        let tooMany = (DeadlineMessage.maximumEntries + 1) * 8
        #expect(throws: PeerWireError.invalidDeadlineMessage("257 entries, more than 256")) {
            try DeadlineMessage.decode(Array("d1:d\(tooMany):".utf8) + [UInt8](repeating: 0, count: tooMany) + [101])
        }
    }

    @Test func keepsAtMostTheMaximumEntries() {
        let entries = (0..<300).map { DeadlineMessage.Entry(piece: $0, dueIn: UInt32($0)) }
        let message = DeadlineMessage(entries: entries)
        #expect(message.entries.count == DeadlineMessage.maximumEntries)
        #expect(message.entries.last?.piece == DeadlineMessage.maximumEntries - 1)
    }
}
