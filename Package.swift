// swift-tools-version:6.1
import PackageDescription

// The engine's hot paths call generic code of the pure modules (the picker and request queues are generic over
// the peer type). Without this, release builds call it unspecialised and look up generic metadata at run time
// for every block; with it, the engine gets specialised copies (docs/benchmarks.md, "Swarm").
let crossModuleOptimization: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
    name: "Shoal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shoal", targets: ["shoal"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Pure logic: no sockets, files, clocks or C libraries.
        .target(name: "Bencode"),
        .target(
            name: "TorrentModel",
            dependencies: ["Bencode", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "PeerWire",
            dependencies: ["Bencode", "TorrentModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: crossModuleOptimization
        ),
        .target(name: "Swarm", dependencies: ["TorrentModel"], swiftSettings: crossModuleOptimization),
        .target(
            name: "TrackerProtocol",
            dependencies: ["Bencode", "TorrentModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: crossModuleOptimization
        ),
        // Mainline DHT (BEP 5, 32, 42, 43): KRPC codec, routing table, tokens, peer store, lookups.
        .target(
            name: "DHT",
            dependencies: ["Bencode", "TorrentModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: crossModuleOptimization
        ),
        // HLS playlists: model, writer, parser, RFC 8216 rules, RFC 6381 codec strings.
        .target(name: "HLS"),
        // Streaming a video torrent: segment → piece map, playback position, deadline windows, HTTP ranges.
        .target(name: "Streaming", dependencies: ["HLS", "TorrentModel"]),
        // Local Service Discovery (BEP 14): the BT-SEARCH codec, the announce schedule, the report limiter.
        .target(name: "LocalDiscovery", dependencies: ["TorrentModel"]),

        // I/O shells.
        .target(
            name: "PieceStorage",
            dependencies: [
                "TorrentModel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "StateStore",
            dependencies: ["TorrentModel", "PieceStorage", "DHT", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SwarmEngine",
            dependencies: [
                "PeerWire", "Swarm", "PieceStorage", "TrackerClient", "TrackerProtocol", "TorrentModel", "Bencode",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The DHT node as a service: a UDP socket, pending queries, timers and lookups around the pure DHT.
        .target(
            name: "DHTNode",
            dependencies: [
                "DHT", "TorrentModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Local Service Discovery as a service: a UDP socket in the multicast group around the pure LSD state.
        .target(
            name: "LocalDiscoveryService",
            dependencies: [
                "LocalDiscovery", "TorrentModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrackerClient",
            dependencies: [
                "TrackerProtocol", "TorrentModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TorrentCreation",
            dependencies: ["Bencode", "TorrentModel", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Headers only (Debian installs them on the default include path). No pkgConfig: SwiftPM would put
        // `pkg-config --libs` (-lavformat ...) on every link line, and FFmpeg is opened at run time instead
        // (MediaIngest/FFmpegLibraries.swift). scripts/setup.sh checks the .pc files exist.
        .systemLibrary(
            name: "CFFmpeg",
            providers: [
                .apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])
            ]
        ),
        .target(
            name: "MediaIngest",
            dependencies: [
                "CFFmpeg", "HLS", "TorrentModel", "Bencode", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A long-running node: the library in SQLite, the torrents' swarms, durability.
        .target(
            name: "ShoalNode",
            dependencies: [
                "StateStore", "SwarmEngine", "PieceStorage", "Swarm", "TrackerClient", "TrackerProtocol", "PeerWire",
                "TorrentModel", "NodeAPI", "StreamingEngine", "DHT", "DHTNode", "LocalDiscovery", "LocalDiscoveryService",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Streaming a torrent to a player: the schedule applied to a session, waiting for verified pieces.
        .target(
            name: "StreamingEngine",
            dependencies: [
                "Streaming", "HLS", "SwarmEngine", "Swarm", "PieceStorage", "TorrentModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // epoll and eventfd headers for the tracker's HTTP workers.
        .target(name: "CEpoll"),
        // `shoal tracker`: the sharded registry behind HTTP and UDP sockets, counts and passkeys in SQLite.
        .target(
            name: "TrackerServer",
            dependencies: [
                "TrackerProtocol", "TorrentModel", "StateStore", "CEpoll",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: crossModuleOptimization
        ),
        // The HTTP routes of streaming: files as HLS, the player page, figures as JSON.
        .target(
            name: "StreamServer",
            dependencies: [
                "StreamingEngine", "Streaming", "ControlServer", "TorrentModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The node's local JSON control API: pure models and protocol, the Hummingbird routes, the HTTP client.
        .target(name: "NodeAPI", dependencies: ["TorrentModel"]),
        .target(
            name: "ControlServer",
            dependencies: [
                "NodeAPI", "TorrentModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NodeClient",
            dependencies: [
                "NodeAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "shoal",
            dependencies: [
                "Bencode", "TorrentModel", "TorrentCreation", "MediaIngest", "PeerWire", "PieceStorage",
                "SwarmEngine", "TrackerClient", "TrackerProtocol", "ShoalNode", "NodeAPI", "NodeClient",
                "ControlServer", "Streaming", "StreamingEngine", "StreamServer", "TrackerServer", "StateStore", "DHT",
                "DHTNode", "LocalDiscovery", "LocalDiscoveryService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Fuzzing entry point; built only by scripts/fuzz.sh with -sanitize=fuzzer.
        .executableTarget(name: "ShoalFuzz", dependencies: ["Bencode", "TorrentModel"], path: "Fuzz/ShoalFuzz"),

        .testTarget(name: "BencodeTests", dependencies: ["Bencode", "TestSupport"]),
        .testTarget(name: "TorrentModelTests", dependencies: ["TorrentModel", "Bencode", "TestSupport"]),
        .testTarget(
            name: "TorrentCreationTests", dependencies: ["TorrentCreation", "TorrentModel", "Bencode", "TestSupport"]
        ),
        .testTarget(
            name: "PeerWireTests",
            dependencies: [
                "PeerWire", "Bencode", "TorrentModel", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "DHTTests", dependencies: ["DHT", "Bencode", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "DHTNodeTests",
            dependencies: [
                "DHTNode", "DHT", "TorrentModel", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Scripts")]
        ),
        .testTarget(name: "LocalDiscoveryTests", dependencies: ["LocalDiscovery", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "LocalDiscoveryServiceTests",
            dependencies: [
                "LocalDiscoveryService", "LocalDiscovery", "TorrentModel", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "HLSTests", dependencies: ["HLS", "TestSupport"]),
        .testTarget(name: "StreamingTests", dependencies: ["Streaming", "HLS", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "StreamServerTests",
            dependencies: [
                "StreamServer", "StreamingEngine", "Streaming", "HLS", "Swarm", "SwarmEngine", "PieceStorage",
                "PeerWire", "MediaIngest", "TorrentModel", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MediaIngestTests",
            dependencies: ["MediaIngest", "HLS", "TorrentModel", "Bencode", "TestSupport"]
        ),
        .testTarget(name: "SwarmTests", dependencies: ["Swarm", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "TrackerProtocolTests", dependencies: ["TrackerProtocol", "Bencode", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "TrackerServerTests",
            dependencies: [
                "TrackerServer", "TrackerProtocol", "StateStore", "TorrentModel", "Bencode", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PieceStorageTests", dependencies: ["PieceStorage", "TorrentModel", "TestSupport"]),
        .testTarget(
            name: "StateStoreTests",
            dependencies: [
                "StateStore", "PieceStorage", "TorrentModel", "DHT", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "TrackerClientTests",
            dependencies: [
                "TrackerClient", "TrackerProtocol", "TorrentModel", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SwarmEngineTests",
            dependencies: [
                "SwarmEngine", "PeerWire", "Swarm", "PieceStorage", "TorrentModel", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ControlServerTests",
            dependencies: [
                "ControlServer", "NodeAPI", "NodeClient", "TorrentModel", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ShoalNodeTests",
            dependencies: ["ShoalNode", "StateStore", "NodeAPI", "TorrentModel", "TestSupport", "DHTNode", "DHT"]
        ),
        .testTarget(
            name: "ShoalCLITests",
            dependencies: [
                "TorrentModel", "Bencode", "TestSupport", "DHT", "DHTNode", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "InteropTests", dependencies: ["TorrentModel", "Bencode", "TestSupport"],
            resources: [.copy("Scripts")]
        ),
        // Helpers shared by the tests that run the shoal binary and real peers, and a virtual HLS player.
        .target(name: "TestSupport", dependencies: ["HLS"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
