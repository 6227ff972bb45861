// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "NoteCoder",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notecoder", targets: ["notecoder"]),
        .library(name: "NoteCoder", targets: ["NoteCoder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"], swiftSettings: strict),
        .target(
            name: "NoteCoder",
            dependencies: ["PCRE2", .product(name: "Yams", package: "Yams"), .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "NoteCoderServer",
            dependencies: ["NoteCoder", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "notecoder",
            dependencies: ["NoteCoder", "NoteCoderServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"], swiftSettings: strict),
        .testTarget(name: "NoteCoderTests", dependencies: ["NoteCoder"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "NoteCoderServerTests",
            dependencies: [
                "NoteCoder", "NoteCoderServer",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
