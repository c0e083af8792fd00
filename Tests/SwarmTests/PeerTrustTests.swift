import Swarm
import Testing

@Suite struct PeerTrustTests {
    private typealias Block = PeerTrust<String>.BlockContribution

    private func blocks(_ senders: String..., fingerprint: [UInt8] = [0]) -> [Block] {
        senders.enumerated().map { Block(offset: $0.offset * 16_384, peer: $0.element, fingerprint: fingerprint) }
    }

    @Test func contributorsLoseTrustAndAreBannedAtTheFourthFailure() {
        var trust = PeerTrust<String>()
        for piece in 0..<3 {
            #expect(trust.pieceFailed(piece: piece, blocks: blocks("a", "b", "a")).isEmpty)
        }
        #expect(trust.trust(of: "a") == -6)
        #expect(trust.trust(of: "b") == -6)
        #expect(!trust.isBanned("a"))
        #expect(trust.pieceFailed(piece: 3, blocks: blocks("a", "b")) == ["a", "b"])
        #expect(trust.trust(of: "a") == -8)
        #expect(trust.banned == ["a", "b"])
        #expect(trust.pieceFailed(piece: 4, blocks: blocks("a", "c")).isEmpty, "a ban is reported once")
    }

    @Test func passedPiecesBuildTrustUpToTheMaximum() {
        var trust = PeerTrust<String>()
        for piece in 0..<20 {
            #expect(trust.piecePassed(piece: piece, contributors: ["a", "a", "b"]).isEmpty)
        }
        #expect(trust.trust(of: "a") == SwarmSettings.maximumTrust)
        #expect(trust.trust(of: "b") == 8)
        // From 8, seven failures leave -6; the eighth bans.
        for piece in 100..<107 {
            #expect(trust.pieceFailed(piece: piece, blocks: blocks("a", "b")).isEmpty)
        }
        #expect(trust.trust(of: "a") == -6)
        #expect(trust.pieceFailed(piece: 107, blocks: blocks("a", "b")) == ["a", "b"])
    }

    @Test func soleContributorOfAFailedPieceIsBannedAtOnce() {
        var trust = PeerTrust<String>()
        #expect(trust.pieceFailed(piece: 0, blocks: blocks("a", "a", "a")) == ["a"])
        #expect(trust.isBanned("a"))

        var lenient = PeerTrust<String>(configuration: PeerTrustConfiguration(banSoleContributor: false))
        #expect(lenient.pieceFailed(piece: 0, blocks: blocks("a", "a")).isEmpty)
        #expect(lenient.trust(of: "a") == -2)
    }

    @Test func emptyFailureBlamesNobody() {
        var trust = PeerTrust<String>()
        #expect(trust.pieceFailed(piece: 0, blocks: []).isEmpty)
        #expect(!trust.remembersFailure(ofPiece: 0))
    }

    @Test func blockLevelAttributionBansTheSenderOfTheBadBlockAndClearsTheOthers() {
        var trust = PeerTrust<String>()
        let failed = [
            Block(offset: 0, peer: "a", fingerprint: [1]),
            Block(offset: 16_384, peer: "b", fingerprint: [66]),
            Block(offset: 32_768, peer: "c", fingerprint: [3]),
        ]
        #expect(trust.pieceFailed(piece: 7, blocks: failed).isEmpty)
        #expect(trust.trust(of: "a") == -2)
        #expect(trust.remembersFailure(ofPiece: 7))

        // The piece later verifies with blocks from d; b's block was not the good one.
        let banned = trust.piecePassed(
            piece: 7, contributors: ["d"], blockFingerprints: [0: [1], 16_384: [2], 32_768: [3]])
        #expect(banned == ["b"])
        #expect(trust.isBanned("b"))
        #expect(trust.trust(of: "a") == 0, "proven innocent: trust given back")
        #expect(trust.trust(of: "c") == 0)
        #expect(trust.trust(of: "b") == -2)
        #expect(trust.trust(of: "d") == 1)
        #expect(!trust.remembersFailure(ofPiece: 7))
    }

    @Test func repeatedFailuresOfOnePieceAreAttributedTogether() {
        var trust = PeerTrust<String>()
        _ = trust.pieceFailed(
            piece: 1,
            blocks: [
                Block(offset: 0, peer: "a", fingerprint: [9]),
                Block(offset: 16_384, peer: "b", fingerprint: [2]),
            ])
        _ = trust.pieceFailed(
            piece: 1,
            blocks: [
                Block(offset: 0, peer: "c", fingerprint: [1]),
                Block(offset: 16_384, peer: "a", fingerprint: [8]),
            ])
        #expect(trust.trust(of: "a") == -4)
        let banned = trust.piecePassed(piece: 1, contributors: ["c", "b"], blockFingerprints: [0: [1], 16_384: [2]])
        #expect(banned == ["a"])
        // b and c were charged once each, refunded 2, and gained 1 for the good piece.
        #expect(trust.trust(of: "b") == 1)
        #expect(trust.trust(of: "c") == 1)
    }

    @Test func withoutAFingerprintNobodyIsProvenEitherWay() {
        var trust = PeerTrust<String>()
        _ = trust.pieceFailed(
            piece: 2,
            blocks: [
                Block(offset: 0, peer: "a", fingerprint: [1]),
                Block(offset: 16_384, peer: "b", fingerprint: [2]),
            ])
        #expect(trust.piecePassed(piece: 2, contributors: ["c"], blockFingerprints: [0: [1]]).isEmpty)
        #expect(trust.trust(of: "a") == 0)
        #expect(trust.trust(of: "b") == -2, "its block was not compared")
    }

    @Test func passingWithoutFingerprintsDropsTheRecord() {
        var trust = PeerTrust<String>()
        _ = trust.pieceFailed(piece: 3, blocks: blocks("a", "b"))
        #expect(trust.piecePassed(piece: 3, contributors: ["c"]).isEmpty)
        #expect(!trust.remembersFailure(ofPiece: 3))
        #expect(trust.trust(of: "a") == -2)
    }

    @Test func onlyTheNewestFailuresAreRemembered() {
        var trust = PeerTrust<String>(configuration: PeerTrustConfiguration(maximumRememberedFailures: 2))
        for piece in 1...3 {
            _ = trust.pieceFailed(piece: piece, blocks: blocks("a", "b"))
        }
        #expect(!trust.remembersFailure(ofPiece: 1))
        #expect(trust.remembersFailure(ofPiece: 2))
        #expect(trust.remembersFailure(ofPiece: 3))
        // A second failure of a remembered piece does not take another place.
        _ = trust.pieceFailed(piece: 2, blocks: blocks("c", "d"))
        #expect(trust.remembersFailure(ofPiece: 2))
        #expect(trust.remembersFailure(ofPiece: 3))
    }

    @Test func forgettingAPeerKeepsItsBan() {
        var trust = PeerTrust<String>()
        _ = trust.pieceFailed(piece: 0, blocks: blocks("a"))
        _ = trust.pieceFailed(piece: 1, blocks: blocks("b", "c"))
        trust.forget("a")
        trust.forget("b")
        #expect(trust.isBanned("a"))
        #expect(trust.trust(of: "b") == 0)
        #expect(trust.trust(of: "c") == -2)
    }

    @Test func banIsFinalEvenWhenProvenInnocentLater() {
        var trust = PeerTrust<String>()
        #expect(trust.pieceFailed(piece: 0, blocks: [Block(offset: 0, peer: "a", fingerprint: [1])]) == ["a"])
        #expect(trust.piecePassed(piece: 0, contributors: ["b"], blockFingerprints: [0: [1]]).isEmpty)
        #expect(trust.isBanned("a"))
        #expect(trust.trust(of: "a") == 0)
    }
}
