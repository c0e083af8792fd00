import Bencode
import NIOCore
import Testing

@testable import PeerWire

@Suite struct ExtensionHandshakeTests {
    static let full = ExtensionHandshake(
        extensions: ["ut_metadata": 2, "ut_pex": 0, "lt_donthave": 7],
        client: "Shoal 0.1.0",
        listenPort: 6881,
        requestQueueLength: 500,
        metadataSize: 31_235,
        yourIP: [127, 0, 0, 1],
        uploadOnly: true,
        completeAgo: -1
    )

    @Test func roundTripsEveryField() throws {
        let decoded = try ExtensionHandshake(payload: Self.full.encoded())
        #expect(decoded == Self.full)
        #expect(decoded.messageID(forExtension: "ut_metadata") == 2)
        #expect(decoded.messageID(forExtension: "ut_pex") == nil)  // 0 disables
        #expect(decoded.messageID(forExtension: "ut_holepunch") == nil)
    }

    @Test func encodesCanonically() {
        let handshake = ExtensionHandshake(extensions: ["ut_metadata": 2], client: "Shoal", metadataSize: 100)
        let text = String(decoding: handshake.encoded(), as: UTF8.self)
        #expect(text == "d1:md11:ut_metadatai2ee13:metadata_sizei100e1:v5:Shoale")
        #expect(String(decoding: ExtensionHandshake().encoded(), as: UTF8.self) == "d1:mdee")
    }

    @Test func messageIsExtendedZero() {
        let message = ExtensionHandshake(extensions: ["ut_metadata": 2]).message
        #expect(message == .extended(id: 0, payload: ByteBuffer(string: "d1:md11:ut_metadatai2eee")))
    }

    @Test func decodesIPv6AndUnsortedKeysAndIgnoresUnknownKeys() throws {
        let ipv6 = [UInt8](repeating: 0, count: 15) + [1]
        let payload =
            Array("d4:reqqi250e1:md6:ut_pexi1e11:ut_metadatai3ee6:yourip16:".utf8) + ipv6
            + Array("4:ipv44:\u{7f}\0\0\u{1}1:xld1:ai1eee1:pi51413ee".utf8)
        let decoded = try ExtensionHandshake(payload: payload)
        #expect(decoded.extensions == ["ut_pex": 1, "ut_metadata": 3])
        #expect(decoded.requestQueueLength == 250)
        #expect(decoded.yourIP == ipv6)
        #expect(decoded.listenPort == 51_413)
        #expect(decoded.client == nil && decoded.metadataSize == nil && decoded.uploadOnly == nil)
    }

    @Test func decodesFromTheParsersByteBuffer() throws {
        let decoded = try ExtensionHandshake(payload: ByteBuffer(bytes: Self.full.encoded()))
        #expect(decoded == Self.full)
    }

    @Test func advisoryKeysOfTheWrongTypeAreIgnored() throws {
        let decoded = try ExtensionHandshake(payload: Array("d12:complete_ago3:abc1:mde11:upload_only3:yese".utf8))
        #expect(decoded.completeAgo == nil)
        #expect(decoded.uploadOnly == nil)
        #expect(decoded.extensions.isEmpty)
    }

    @Test func missingMIsAnEmptyTable() throws {
        let decoded = try ExtensionHandshake(payload: Array("d1:v4:test2:ok1:xe".utf8))
        #expect(decoded.extensions == [:])
        #expect(decoded.client == "test")
    }

    @Test(arguments: [
        ("le", "the handshake is not a dictionary"),
        ("i5e", "the handshake is not a dictionary"),
        ("d1:mi1ee", "'m' is not a dictionary"),
        ("d1:md11:ut_metadata3:abcee", "'m' entry 'ut_metadata' is not an ID in 0...255"),
        ("d1:md11:ut_metadatai256eee", "'m' entry 'ut_metadata' is not an ID in 0...255"),
        ("d1:md11:ut_metadatai-1eee", "'m' entry 'ut_metadata' is not an ID in 0...255"),
        ("d1:pi0ee", "'p' 0 is out of range 1...65535"),
        ("d1:pi70000ee", "'p' 70000 is out of range 1...65535"),
        ("d1:p4:6881e", "'p' is not an integer"),
        ("d1:v5:Shoal4:reqqi0ee", "'reqq' 0 is out of range 1...9223372036854775807"),
        ("d13:metadata_size5:largee", "'metadata_size' is not an integer"),
        ("d13:metadata_sizei-5ee", "'metadata_size' -5 is out of range 1...9223372036854775807"),
        ("d1:vi3ee", "'v' is not a byte string"),
        ("d6:yourip3:abce", "'yourip' has 3 bytes (expected 4 or 16)"),
        ("d6:youripi1ee", "'yourip' is not a byte string"),
    ])
    func hostileDictionariesAreRefused(payload: String, reason: String) {
        #expect(throws: PeerWireError.invalidExtensionHandshake(reason)) {
            try ExtensionHandshake(payload: Array(payload.utf8))
        }
    }

    @Test func brokenBencodeIsRefusedWithItsOffset() {
        #expect(
            throws: PeerWireError.invalidExtensionHandshake("bencode: input ends in the middle of a value at byte 5")
        ) {
            try ExtensionHandshake(payload: Array("d1:md".utf8))
        }
        #expect(throws: PeerWireError.invalidExtensionHandshake("bencode: 1 trailing byte after the value at byte 7")) {
            try ExtensionHandshake(payload: Array("d1:mdeex".utf8))
        }
        #expect(throws: PeerWireError.invalidExtensionHandshake("bencode: duplicate dictionary key at byte 7")) {
            try ExtensionHandshake(payload: Array("d1:pi1e1:pi2ee".utf8))
        }
    }

    @Test func hugeMetadataSizeDecodesButTheAssemblerRefusesIt() throws {
        let decoded = try ExtensionHandshake(payload: Array("d13:metadata_sizei1099511627776ee".utf8))
        #expect(decoded.metadataSize == 1 << 40)
        #expect(throws: PeerWireError.metadataSizeRefused(1 << 40)) {
            try MetadataAssembler(infoHash: Fixtures.infoHash, totalSize: decoded.metadataSize!)
        }
        let overflow = PeerWireError.invalidExtensionHandshake("bencode: integer does not fit in 64 bits at byte 18")
        #expect(throws: overflow) {
            try ExtensionHandshake(payload: Array("d13:metadata_sizei99999999999999999999ee".utf8))
        }
    }

    @Test func nonUTF8ExtensionNamesAreSkipped() throws {
        let payload = Array("d1:md".utf8) + Array("2:".utf8) + [0xFF, 0xFE] + Array("i4e11:ut_metadatai2eee".utf8)
        let decoded = try ExtensionHandshake(payload: payload)
        #expect(decoded.extensions == ["ut_metadata": 2])
    }
}
