// swift-tools-version:6.0
import PackageDescription

/// Hamlet: a learning spam filter. Arrows between targets point one way only:
/// MailParser -> TextFeatures -> HamletKit <- Learning, SpamStore; the `hamlet` executable sits on HamletKit, the
/// `hamlet-serve` daemon on HamletServer (HamletKit and SwiftNIO) and PostgresStore.
let package = Package(
    name: "Hamlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hamlet", targets: ["hamlet"]),
        .executable(name: "hamlet-pg", targets: ["hamlet-pg"]),
        .executable(name: "hamlet-serve", targets: ["hamlet-serve"]),
        .executable(name: "hamletc", targets: ["hamletc"]),
        .library(name: "HamletKit", targets: ["HamletKit"]),
        // For the protocol fuzz targets in Fuzz/.
        .library(name: "HamletServer", targets: ["HamletServer"]),
        // For the tools in Fuzz/ (the pathological-input generator); not part of Hamlet itself.
        .library(name: "HamletTestSupport", targets: ["HamletTestSupport"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2")
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SHA-256 blocks with the x86 SHA extensions, chosen at run time (MailParser keeps a portable fallback).
        .target(name: "CSHA256"),
        .target(name: "Platform"),
        .target(name: "MailParser", dependencies: ["CSHA256", "Platform"]),
        .target(name: "TextFeatures", dependencies: ["MailParser", "CLibXML2", "Platform"]),
        .target(name: "Learning", dependencies: ["Platform"]),
        .target(name: "SpamStore", dependencies: ["CSQLite", "CZlib", "Learning", "Platform"]),
        .target(name: "HamletKit", dependencies: ["MailParser", "TextFeatures", "Learning", "SpamStore", "Platform"]),
        // The command line as a library: `hamlet` and `hamlet-pg` are both thin `main`s over it.
        .target(
            name: "HamletCommands",
            dependencies: [
                "HamletKit", "MailParser", "TextFeatures", "Learning", "SpamStore", "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),
        .executableTarget(
            name: "hamlet",
            dependencies: ["HamletCommands"],
            // Release builds link with the toolchain's lld rather than gold: the binary starts 0.4 ms sooner
            // (6.0 -> 5.5 ms a `filter` run here), which a one-process-per-message filter pays on every message.
            linkerSettings: [.unsafeFlags(["-use-ld=lld"], .when(configuration: .release))]),
        // The daemon: SwiftNIO lives here and in `hamlet-serve` only, so `hamlet` (and `hamlet filter`) never
        // links it.
        .target(
            name: "HamletServer",
            dependencies: [
                "HamletKit", "Learning", "MailParser", "SpamStore", "TextFeatures", "Platform", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]),
        // The store on a PostgreSQL server. postgres-nio brings Foundation, swift-crypto and NIOSSL: only targets
        // that name this one link it, never `hamlet filter`'s or the lean client's.
        .target(
            name: "PostgresStore",
            dependencies: [
                "SpamStore", "Learning", "Platform",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log")
            ],
            // Swift 6.3's loop-invariant code motion ran for over 25 minutes on this module without finishing: it
            // is left out here (docs/DECISIONS.md).
            swiftSettings: [
                .unsafeFlags(["-Xllvm", "-sil-disable-pass=loop-invariant-code-motion"], .when(configuration: .release))
            ]),
        // `hamlet`'s commands with the PostgreSQL store: `hamlet` hands a command over to it when the store is a
        // postgresql:// URL.
        .executableTarget(name: "hamlet-pg", dependencies: ["HamletCommands", "PostgresStore"]),
        .executableTarget(
            name: "hamlet-serve",
            dependencies: [
                "HamletServer", "HamletKit", "Learning", "Platform", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),
        // The lean delivery client: the C library only (no HamletKit, Foundation, libxml2 or SQLite), linked
        // statically in release builds so that it starts in well under a millisecond.
        .executableTarget(
            name: "hamletc", dependencies: ["Platform"],
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(configuration: .release))]),
        // The load generator for the daemon (scripts/serve-load.sh); C library and Dispatch only.
        .executableTarget(name: "hamlet-load", dependencies: ["Platform"]),
        .target(name: "HamletTestSupport", path: "Sources/HamletTestSupport"),
        .testTarget(name: "MailParserTests", dependencies: ["MailParser", "HamletTestSupport"]),
        .testTarget(name: "TextFeaturesTests", dependencies: ["TextFeatures", "HamletTestSupport"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning"]),
        .testTarget(name: "SpamStoreTests", dependencies: ["SpamStore", "HamletTestSupport"]),
        .testTarget(name: "HamletKitTests", dependencies: ["HamletKit", "HamletTestSupport"]),
        .testTarget(name: "hamletTests", dependencies: ["hamlet", "HamletCommands", "HamletTestSupport"]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "SpamStore", "HamletKit", "MailParser", "HamletTestSupport"]),
        .testTarget(
            name: "HamletServerTests",
            dependencies: [
                "HamletServer", "hamlet-serve", "hamlet", "hamlet-pg", "hamletc", "hamlet-load", "HamletTestSupport"
            ])
    ],
    swiftLanguageModes: [.v6]
)
