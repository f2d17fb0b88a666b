// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for Hamlet, kept out of the main build and CI (build and run them with scripts/fuzz.sh), and
/// the generator of pathological messages that scripts/pathological.py feeds to `hamlet filter`.
let package = Package(
    name: "HamletFuzz",
    dependencies: [
        .package(name: "Hamlet", path: ".."), .package(url: "https://github.com/apple/swift-nio", from: "2.101.2")
    ],
    targets: [
        .executableTarget(name: "FuzzMailParser", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzHTMLText", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzFilterPath", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzSpamdRequest", dependencies: [.product(name: "HamletServer", package: "Hamlet")]),
        .executableTarget(
            name: "FuzzRspamdRequest",
            dependencies: [
                .product(name: "HamletServer", package: "Hamlet"), .product(name: "HamletKit", package: "Hamlet"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]),
        .executableTarget(name: "MakePathological", dependencies: [.product(name: "HamletTestSupport", package: "Hamlet")]),
    ],
    swiftLanguageModes: [.v6]
)
