import Foundation
import LocalDiscovery
import LocalDiscoveryService
import TestSupport
import Testing
import TorrentModel

/// LSD services in one process on loopback multicast: each test has a port of its own on the BEP 14 group,
/// joined on 127.0.0.1.
@Suite(.timeLimit(.minutes(3))) struct LSDServiceTests {
    static func infoHash(_ byte: UInt8) -> InfoHash {
        InfoHash(bytes: Array(repeating: byte, count: 20))!
    }

    static func packet(port: Int, _ hashes: [InfoHash], cookie: String? = nil) -> [UInt8] {
        LSDAnnouncement(port: UInt16(port), infoHashes: hashes, cookie: cookie).encoded()
    }

    @Test func servicesFindEachOtherForSharedTorrentsOnly() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let (shared, onlyA, onlyC) = (Self.infoHash(1), Self.infoHash(2), Self.infoHash(3))
        let a = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        let b = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        let c = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        let logs = [DiscoveryLog(), DiscoveryLog(), DiscoveryLog()]
        await a.announce(shared, port: 7001)
        await a.announce(onlyA, port: 7001)
        await b.announce(shared, port: 7002)
        await c.announce(onlyC, port: 7003)

        try await LoopbackLSD.running([(a, logs[0]), (b, logs[1]), (c, logs[2])]) {
            try await eventually("a and b find each other", timeout: .seconds(60), poll: .milliseconds(50)) {
                let aFoundB = await logs[0].contains(shared, "127.0.0.1", 7002)
                let bFoundA = await logs[1].contains(shared, "127.0.0.1", 7001)
                return aFoundB && bFoundA
            }
            // Wait until every service has heard every other's announcements again at least once (the
            // interval is 2 s), so "nothing else was reported" means something.
            try await eventually("repeated announcements", timeout: .seconds(60), poll: .milliseconds(50)) {
                let (aHealth, bHealth, cHealth) = (await a.health, await b.health, await c.health)
                return aHealth.rateLimited >= 1 && bHealth.rateLimited >= 1 && cHealth.infoHashesNotOurs >= 6
                    && aHealth.infoHashesNotOurs >= 2 && bHealth.infoHashesNotOurs >= 2
            }
            #expect(
                await logs[0].discoveries == [
                    LSDDiscovery(infoHash: shared, peer: .init(host: "127.0.0.1", port: 7002))
                ])
            #expect(
                await logs[1].discoveries == [
                    LSDDiscovery(infoHash: shared, peer: .init(host: "127.0.0.1", port: 7001))
                ])
            #expect(await logs[2].discoveries.isEmpty)
            for service in [a, b, c] {
                let health = await service.health
                #expect(health.ownPackets >= 1)
                #expect(health.packetsSent >= 1)
                #expect(health.sendFailures == 0)
                #expect(health.malformedPackets == 0)
            }
            #expect(await a.health.announcedTorrents == 2)
            #expect(await a.health.peersReported == 1)
            #expect(await c.health.peersReported == 0)
        }
    }

    @Test func ourOwnAnnouncementsAreBEP14AndNotReported() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let probe = try LoopbackUDPSocket(group: LoopbackLSD.group, port: port, listening: true)
        let service = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        let log = DiscoveryLog()
        let torrent = Self.infoHash(0x5A)
        await service.announce(torrent, port: 6881)

        try await LoopbackLSD.running([(service, log)]) {
            try await eventually("our announcement looped back", timeout: .seconds(60), poll: .milliseconds(50)) {
                await service.health.ownPackets >= 2
            }
            let packets = probe.receiveAll()
            #expect(packets.count >= 2)
            for packet in packets {
                #expect(packet.source == "127.0.0.1")
                let text = String(decoding: packet.bytes, as: UTF8.self)
                #expect(text.hasPrefix("BT-SEARCH * HTTP/1.1\r\nHost: \(LoopbackLSD.group):\(port)\r\nPort: 6881\r\n"))
                let announcement = try LSDAnnouncement.decode(packet.bytes)
                #expect(announcement == LSDAnnouncement(port: 6881, infoHashes: [torrent], cookie: service.cookie))
            }
            #expect(await log.discoveries.isEmpty)
            #expect(await service.health.peersReported == 0)
        }
    }

    @Test func packetsGoOutAtMostOnceASecond() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let probe = try LoopbackUDPSocket(group: LoopbackLSD.group, port: port, listening: true)
        // A long interval: each torrent goes out once. Five ports make five packets.
        let service = try await LoopbackLSD.service(LoopbackLSD.settings(port: port, announceInterval: 600))
        for n in 1...5 { await service.announce(Self.infoHash(UInt8(n)), port: UInt16(7000 + n)) }

        try await LoopbackLSD.running([(service, DiscoveryLog())]) {
            try await eventually("five announcements", timeout: .seconds(60), poll: .milliseconds(50)) {
                await service.health.packetsSent >= 5
            }
            var packets = probe.receiveAll()
            let deadline = ContinuousClock.now + .seconds(10)
            while packets.count < 5 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                packets += probe.receiveAll()
            }
            #expect(packets.count == 5)
            #expect(Set(packets.compactMap { try? LSDAnnouncement.decode($0.bytes).port }) == Set(7001...7005))
            // The service keeps a second between packets by its own clock; the kernel's receive times can
            // only show less when a send was delayed after its turn came, so the bound here is loose.
            let times = packets.map(\.received).sorted()
            for (earlier, later) in zip(times, times.dropFirst()) { #expect(later - earlier > 0.5) }
            #expect(times.last! - times.first! > 3)
        }
    }

    @Test func garbageAndFloodsNeitherCrashTheServiceNorFloodReports() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let service = try await LoopbackLSD.service(LoopbackLSD.settings(port: port, announceInterval: 600))
        let log = DiscoveryLog()
        let (x, y, notOurs) = (Self.infoHash(0x11), Self.infoHash(0x22), Self.infoHash(0x33))
        await service.announce(x, port: 6881)
        await service.announce(y, port: 6881)
        let sender = try LoopbackUDPSocket(group: LoopbackLSD.group, port: port, source: "127.0.0.2")
        var random = SeededRandom(seed: 14)
        var garbage: [[UInt8]] = [
            [], Array(repeating: 0, count: 3_000), Array("BT-SEARCH".utf8),
            Array("M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nST: ssdp:all\r\n\r\n".utf8),
            Array("BT-SEARCH * HTTP/1.1\r\nInfohash: \(x.hex)\r\n\r\n".utf8),
            Array("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: \(x.hex)\r\n\r\n".utf8),
            Array("BT-SEARCH * HTTP/1.1\r\nPort: 70000\r\nInfohash: \(x.hex)\r\n\r\n".utf8),
            Array("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: \(x.hex.dropLast())\r\n\r\n".utf8),
            Self.packet(port: 1, Array(repeating: x, count: 21)),
            Self.packet(port: 1, [x]) + Array(repeating: UInt8(ascii: " "), count: 1_400),
        ]
        for _ in 0..<50 { garbage.append(random.bytes(count: random.below(2_000))) }
        let hostile = garbage

        try await LoopbackLSD.running([(service, log)]) {
            for (index, packet) in hostile.enumerated() {
                sender.send(packet)
                // Paced, so the socket buffer never overflows: every packet must arrive to be counted.
                if index % 10 == 9 { try await Task.sleep(for: .milliseconds(20)) }
            }
            sender.send(Self.packet(port: 7777, [x, notOurs], cookie: "not-yours"))
            try await eventually("the good announcement", timeout: .seconds(60), poll: .milliseconds(50)) {
                await log.contains(x, "127.0.0.2", 7777)
            }
            #expect(await service.health.malformedPackets == hostile.count)
            #expect(await service.health.infoHashesNotOurs == 1)

            // The same announcement over and over, also with other ports: one report per infohash and source.
            for round in 0..<300 {
                sender.send(Self.packet(port: 7777 + round % 3, [x, y]))
                if round % 30 == 29 { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await eventually("the flood is limited", timeout: .seconds(60), poll: .milliseconds(50)) {
                await service.health.rateLimited >= 100
            }
            #expect(await log.count(of: x) == 1)
            #expect(await log.count(of: y) == 1)
            #expect(await log.discoveries.allSatisfy { $0.peer.host == "127.0.0.2" })

            // Still working: another source is reported.
            let other = try LoopbackUDPSocket(group: LoopbackLSD.group, port: port, source: "127.0.0.3")
            other.send(Self.packet(port: 9999, [y]))
            try await eventually("another source", timeout: .seconds(60), poll: .milliseconds(50)) {
                await log.contains(y, "127.0.0.3", 9999)
            }
            #expect(await service.health.peersReported == 3)
        }
    }

    @Test func runEndsOnStopAndOnCancellation() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let stopped = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        let cancelled = try await LoopbackLSD.service(LoopbackLSD.settings(port: port))
        #expect(LoopbackLSD.isBound(port: port))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await stopped.run() }
            group.addTask { for await _ in stopped.discoveries {} }
            stopped.stop()
            await group.waitForAll()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await cancelled.run() }
            group.addTask { for await _ in cancelled.discoveries {} }
            try? await Task.sleep(for: .milliseconds(200))
            group.cancelAll()
            await group.waitForAll()
        }
        // Both sockets are closed: the group and port bind again without SO_REUSEADDR, which fails while
        // any socket is bound there.
        #expect(!LoopbackLSD.isBound(port: port))
    }

    @Test func bindRefusesWhatIsNotAGroupOrAnInterface() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        for (group, interface, expected) in [
            ("127.0.0.1", "127.0.0.1", "is not an IP multicast group"),
            ("not-an-address", "127.0.0.1", "is not an IP multicast group"),
            (LoopbackLSD.group, "no-such-interface0", "no network interface"),
        ] {
            var settings = LoopbackLSD.settings(port: port)
            settings.group = group
            settings.interface = interface
            do {
                let service = try await LSDService.bind(settings: settings, logger: LoopbackLSD.logger)
                service.stop()
                Issue.record("bind accepted group \(group) on interface \(interface)")
            } catch {
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }
}
