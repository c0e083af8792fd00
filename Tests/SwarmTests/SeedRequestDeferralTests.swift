import Swarm
import Testing

struct SeedRequestDeferralTests {
    let start = ContinuousClock.now
    let busy = Duration.seconds(1)
    let grace = SwarmSettings.seedDeferralGrace / .seconds(1)

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }

    /// Asks `deferral` about `peer`'s request for `piece` at `seconds`; the answers in order.
    func ask(
        _ deferral: inout SeedRequestDeferral<Int>, _ asks: [(peer: Int, piece: Int, holders: Int, seconds: Double)],
        delay: Duration? = nil
    ) -> [Bool] {
        asks.map {
            deferral.shouldRefuse(
                $0.peer, piece: $0.piece, holders: $0.holders, uploadQueueDelay: delay ?? busy, now: at($0.seconds))
        }
    }

    @Test func aBusySeedRefusesPiecesOthersHave() {
        var deferral = SeedRequestDeferral<Int>()
        // Further blocks of the same piece, inside the grace, are refused too.
        let answers = ask(&deferral, [(1, 7, 2, 0), (1, 7, 2, 0.1)])
        #expect(answers == [true, true])
        #expect(deferral.rememberedCount == 1)
    }

    @Test func piecesNobodyElseHasAreAlwaysServed() {
        var deferral = SeedRequestDeferral<Int>()
        let answers = ask(&deferral, [(1, 7, 0, 0)], delay: .seconds(30))
        #expect(answers == [false])
        #expect(deferral.rememberedCount == 0)
    }

    @Test func aShortUploadQueueServesEverything() {
        var deferral = SeedRequestDeferral<Int>()
        let idle = ask(&deferral, [(1, 7, 5, 0)], delay: SwarmSettings.seedDeferralBusyDelay - .milliseconds(1))
        let busy = ask(&deferral, [(1, 7, 5, 0)], delay: SwarmSettings.seedDeferralBusyDelay)
        #expect(idle == [false] && busy == [true])
    }

    @Test func aPeerThatKeepsAskingGetsThePieceAfterTheGrace() {
        var deferral = SeedRequestDeferral<Int>()
        // Another peer asking for the same piece has its own grace.
        let answers = ask(&deferral, [(1, 7, 1, 0), (1, 7, 1, grace - 0.01), (1, 7, 1, grace), (2, 7, 1, grace)])
        #expect(answers == [true, true, false, true])
    }

    /// A request that waited in the upload queue, refused as it leaves it, has had its grace counted from when it was
    /// asked: in the streaming benchmark the first watcher's requests waited 3 s behind others due sooner, were then
    /// refused for a grace more since those others now had the pieces, and it stalled.
    @Test func theGraceCountsFromWhenThePeerAsked() {
        var deferral = SeedRequestDeferral<Int>()
        let waitedLong = deferral.shouldRefuse(
            1, piece: 7, holders: 1, uploadQueueDelay: busy, now: at(grace + 0.1), askedAt: at(0))
        let waitedLess = deferral.shouldRefuse(
            2, piece: 8, holders: 1, uploadQueueDelay: busy, now: at(grace + 0.1), askedAt: at(1))
        // Asked again once the grace from its first request has run: served.
        let again = ask(&deferral, [(2, 8, 1, grace + 0.9), (2, 8, 1, grace + 1)])
        #expect(!waitedLong && waitedLess)
        #expect(again == [true, false])
    }

    /// A request leaving the upload queue is served, not passed on, once its asker needs the piece within
    /// `inFlightDueSoon`; on arrival the same request is refused.
    @Test func aRequestThatWaitedIsServedOnceItIsDueSoon() {
        var deferral = SeedRequestDeferral<Int>()
        let soon = SwarmSettings.seedDeferralInFlightDueSoon / .seconds(1)
        let onArrival = deferral.shouldRefuse(
            1, piece: 7, holders: 2, uploadQueueDelay: busy, now: at(1), due: at(1 + soon - 0.1))
        let leavingSoon = deferral.shouldRefuse(
            2, piece: 7, holders: 2, uploadQueueDelay: busy, now: at(1), due: at(1 + soon - 0.1), askedAt: at(0.5))
        let leavingLater = deferral.shouldRefuse(
            3, piece: 7, holders: 2, uploadQueueDelay: busy, now: at(1), due: at(1 + soon + 0.1), askedAt: at(0.5))
        #expect(onArrival && !leavingSoon && leavingLater)
    }

    /// The grace ends for the whole piece, not for one block: its other blocks, asked for at once, and the request
    /// asked again as it leaves the upload queue are served too, for a grace more.
    @Test func onceTheGraceRanOutEveryBlockOfThePieceIsServed() {
        var deferral = SeedRequestDeferral<Int>()
        let answers = ask(
            &deferral,
            [(1, 7, 1, 0), (1, 7, 1, grace), (1, 7, 1, grace), (1, 7, 1, grace + 1), (1, 7, 1, 2 * grace - 0.01)])
        let afterwards = ask(&deferral, [(1, 7, 1, 2 * grace)])
        #expect(answers == [true, false, false, false, false])
        #expect(afterwards == [true])
    }

    /// A piece the seed has begun sending to the asker is finished, though another peer got it meanwhile.
    @Test func aPieceOnItsWayToTheAskerIsFinished() {
        var deferral = SeedRequestDeferral<Int>()
        deferral.sent(piece: 3, to: 1, at: at(0))
        let answers = ask(&deferral, [(1, 3, 1, 0.5), (2, 3, 1, 0.5)])
        #expect(answers == [false, true])
    }

    /// One peer that has a piece cannot feed every peer that needs it: past `askersPerHolder` refused peers per
    /// holder the seed sends it too, and the peers refused stay refused until their grace runs out.
    @Test func aPieceIsRefusedToAtMostAskersPerHolderPeersPerHolder() {
        var deferral = SeedRequestDeferral<Int>(configuration: .init(askersPerHolder: 2))
        let oneHolder = ask(&deferral, [(1, 7, 1, 0), (2, 7, 1, 0.1), (3, 7, 1, 0.2), (1, 7, 1, 0.3)])
        let twoHolders = ask(&deferral, [(3, 7, 2, 0.4), (4, 7, 2, 0.5), (5, 7, 2, 0.6)])
        // Another piece has its own askers.
        let otherPiece = ask(&deferral, [(5, 8, 1, 0.7)])
        #expect(oneHolder == [true, true, false, true])
        #expect(twoHolders == [true, true, false])
        #expect(otherPiece == [true])
        #expect(deferral.rememberedCount == 5)
    }

    @Test func oldRefusalsAndPeersThatLeftAreForgotten() {
        var deferral = SeedRequestDeferral<Int>(configuration: .init(busyDelay: .zero, grace: .seconds(2)))
        _ = ask(&deferral, [(1, 1, 1, 0), (2, 1, 1, 3), (2, 2, 1, 3)])
        #expect(deferral.rememberedCount == 3)
        deferral.forgetOld(now: at(4.5))
        #expect(deferral.rememberedCount == 2)
        deferral.peerLeft(2)
        #expect(deferral.rememberedCount == 0)
        // Forgotten: a new request starts a new grace.
        let answers = ask(&deferral, [(1, 1, 1, 5), (1, 1, 1, 6.9), (1, 1, 1, 7)])
        #expect(answers == [true, true, false])
    }

    @Test func aPieceOnItsWayToAnotherPeerCountsAsHad() {
        var deferral = SeedRequestDeferral<Int>()
        let window = SwarmSettings.seedDeferralInFlightWindow / .seconds(1)
        deferral.sent(piece: 3, to: 1, at: at(0))
        // The peer being sent the piece keeps getting it; another asker is refused while the sending is recent.
        let early = ask(&deferral, [(1, 3, 0, 0.5), (2, 3, 0, 0.5)])
        // No grace while nobody has it: the asker gets it from that peer once it does.
        deferral.sent(piece: 3, to: 1, at: at(grace))
        let later = ask(&deferral, [(2, 3, 0, grace + 0.5), (3, 3, 0, grace + window + 0.1)])
        #expect(early == [false, true] && later == [true, false])
        #expect(deferral.rememberedCount == 0)
    }

    /// The watcher in front must not wait for a piece on its way to one behind it: it gets the piece when it needs it
    /// within `inFlightDueSoon`, and is refused it when it needs it later or told no deadline.
    @Test func aPieceOnItsWayToAnotherPeerIsServedToAnAskerThatNeedsItSoon() {
        var deferral = SeedRequestDeferral<Int>()
        let soon = SwarmSettings.seedDeferralInFlightDueSoon / .seconds(1)
        deferral.sent(piece: 3, to: 1, at: at(0))
        let answers = [soon - 0.1, soon + 0.1, nil].map { due in
            deferral.shouldRefuse(
                2, piece: 3, holders: 0, uploadQueueDelay: busy, now: at(0.5), due: due.map { at(0.5 + $0) })
        }
        #expect(answers == [false, true, true])
        // A piece others have keeps its grace and bound, whenever the asker needs it.
        let held = deferral.shouldRefuse(4, piece: 5, holders: 1, uploadQueueDelay: busy, now: at(0.5), due: at(0.5))
        #expect(held)
    }

    /// A watcher's request for a piece nobody has waits while the piece lies `newPieceWindow` or more past the first
    /// piece nobody has: the busy origin's upload goes to the next pieces the swarm lacks.
    @Test func aBusySeedHoldsBackNewPiecesFarAheadOfTheSwarm() {
        let deferral = SeedRequestDeferral<Int>(configuration: .init(busyDelay: busy, newPieceWindow: 16))
        func holdsBack(_ piece: Int, holders: Int = 0, due: Double? = nil, delay: Duration? = nil) -> Bool {
            deferral.shouldHoldBack(
                piece: piece, holders: holders, firstPieceNobodyHas: 40, due: due.map(at),
                uploadQueueDelay: delay ?? busy,
                now: at(0))
        }
        // Within the window: sent. Past it: held back, unless due within `dueSoon` (6 s).
        #expect(!holdsBack(40) && !holdsBack(55))
        #expect(holdsBack(56) && holdsBack(200))
        #expect(holdsBack(100, due: 6.5) && !holdsBack(100, due: 6) && !holdsBack(100, due: -1))
        // A piece a peer has is not new (`shouldRefuse` decides); an idle seed sends everything.
        #expect(!holdsBack(100, holders: 1))
        #expect(!holdsBack(100, delay: busy - .milliseconds(1)))
        #expect(deferral.rememberedCount == 0)
    }

    @Test func theNewPieceWindowIsAMebibyteOfPiecesAndNeverTooFew() {
        #expect(SwarmSettings.seedNewPieceWindow(pieceLength: 64 * 1024) == 16)
        #expect(SwarmSettings.seedNewPieceWindow(pieceLength: 16 * 1024) == 64)
        #expect(SwarmSettings.seedNewPieceWindow(pieceLength: 4 * 1024 * 1024) == 4)
    }
}
