// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for NoteCoder (issue 12). A package of its own beside the product, so that
// the product's `swift build` never sees them: they are built only by `scripts/fuzz.sh`, with
// `-sanitize=fuzzer,address`. Each target's own main hands libFuzzer's driver its entry point.

let package = Package(
    name: "NoteCoderFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "NoteCoder", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "NoteCoder", package: "NoteCoder")]),
        .executableTarget(name: "FuzzNote", dependencies: ["FuzzSupport", .product(name: "NoteCoder", package: "NoteCoder")]),
        .executableTarget(name: "FuzzRecords", dependencies: ["FuzzSupport", .product(name: "NoteCoder", package: "NoteCoder")]),
        .executableTarget(name: "FuzzLexicon", dependencies: ["FuzzSupport", .product(name: "NoteCoder", package: "NoteCoder")]),
    ],
    swiftLanguageModes: [.v6]
)
