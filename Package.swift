// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Settings every target shares, kept in one list so no module drifts from the others.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "omnihub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "omnihub", targets: ["omnihub"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // syncfs(2), which Glibc's Swift module does not declare.
        .systemLibrary(name: "CFileSystem"),
        // sqlite3_config(3), which is variadic: SQLite's threading mode, set once per process.
        .systemLibrary(name: "CSQLiteThreading"),
        // mallopt(3) from <malloc.h>: how many arenas glibc's allocator keeps.
        .systemLibrary(name: "CProcessMemory"),
        // Zstandard: the store's orders are kept compressed against a fixed dictionary.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Pure domain: money, canonical documents, validation, feed readers, the mapping engine.
        .target(
            name: "OmnihubCore",
            dependencies: ["CLibXML2"],
            swiftSettings: swiftSettings
        ),
        // The SQLite store: migrations, file ledger, orders, import errors, lineage.
        .target(
            name: "OmnihubStore",
            dependencies: [
                "OmnihubCore",
                "CSQLiteThreading",
                "CZstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Configuration, inbox polling, import cycles, transports.
        .target(
            name: "OmnihubRuntime",
            dependencies: [
                "OmnihubCore",
                "OmnihubStore",
                "CCurl",
                "CFileSystem",
                "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The web console for operations and customer care, and the partner portal: pages rendered
        // on the server from Mustache templates, signed session cookies, bcrypt password hashes.
        .target(
            name: "OmnihubConsole",
            dependencies: [
                "OmnihubCore",
                "OmnihubStore",
                "OmnihubRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        // The daemon: the cycle and every endpoint as services of one service group, the HTTP
        // server partners pull from, health checks and Prometheus metrics.
        .target(
            name: "OmnihubService",
            dependencies: [
                "OmnihubCore",
                "OmnihubStore",
                "OmnihubRuntime",
                "OmnihubConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "omnihub",
            dependencies: [
                "CProcessMemory",
                "OmnihubCore",
                "OmnihubStore",
                "OmnihubRuntime",
                "OmnihubService",
                "OmnihubConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "OmnihubCoreTests",
            dependencies: ["OmnihubCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OmnihubStoreTests",
            dependencies: ["OmnihubStore", "OmnihubCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OmnihubRuntimeTests",
            dependencies: [
                "OmnihubRuntime", "OmnihubService", "OmnihubConsole", "OmnihubStore", "OmnihubCore", "CCurl",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Golden", "Mappings", "Servers"],
            swiftSettings: swiftSettings
        ),
    ]
)

// The fuzz targets, only when scripts/fuzz.sh builds them with libFuzzer (`-sanitize=fuzzer`),
// whose driver they call; a plain build could not link them.
if ProcessInfo.processInfo.environment["OMNIHUB_FUZZ"] != nil {
    package.products.append(.executable(name: "omnihub-fuzz", targets: ["OmnihubFuzz"]))
    package.targets += [
        .systemLibrary(name: "CFuzzer"),
        .executableTarget(name: "OmnihubFuzz", dependencies: ["OmnihubCore", "CFuzzer"], swiftSettings: swiftSettings),
    ]
}
