// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for Hamlet, kept out of the main build and CI. Build and run with scripts/fuzz.sh.
let package = Package(
    name: "HamletFuzz",
    dependencies: [.package(name: "Hamlet", path: "..")],
    targets: [
        .executableTarget(name: "FuzzMailParser", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzHTMLText", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzFilterPath", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
    ],
    swiftLanguageModes: [.v6]
)
