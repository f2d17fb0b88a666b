// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for Hamlet, kept out of the main build and CI (build and run them with scripts/fuzz.sh), and
/// the generator of pathological messages that scripts/pathological.py feeds to `hamlet filter`.
let package = Package(
    name: "HamletFuzz",
    dependencies: [.package(name: "Hamlet", path: "..")],
    targets: [
        .executableTarget(name: "FuzzMailParser", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzHTMLText", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "FuzzFilterPath", dependencies: [.product(name: "HamletKit", package: "Hamlet")]),
        .executableTarget(name: "MakePathological", dependencies: [.product(name: "HamletTestSupport", package: "Hamlet")]),
    ],
    swiftLanguageModes: [.v6]
)
