// swift-tools-version:6.2
import PackageDescription

// Each dependency is on the architecture's list and does one job:
// Hummingbird (HTTP), hummingbird-auth (sessions, bcrypt), swift-mustache (HTML templates),
// FluentKit + drivers + SQLKit (SQLite by default, PostgreSQL to scale), swift-crypto
// (SHA-256, Ed25519, HMAC for the transparency log and webhooks), swift-argument-parser (CLI),
// swift-log / swift-metrics / swift-prometheus / swift-service-lifecycle (operations),
// async-http-client (outgoing webhooks).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let domainModules = ["CloudAssurance", "CyberDisclosure", "Sovereignty", "UseCases", "TrustedAI", "Talent", "Programs"]
/// Modules with their own templates and catalogues (Sources/<Module>/Resources) and tests.
let modulesWithResources: Set<String> = ["CloudAssurance", "CyberDisclosure", "Sovereignty", "UseCases"]

let package = Package(
    name: "shinrai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shinrai", targets: ["shinrai"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "ShinraiKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
    ] + domainModules.map {
        .target(name: $0, dependencies: ["ShinraiKit"], resources: modulesWithResources.contains($0) ? [.copy("Resources")] : nil,
                swiftSettings: swiftSettings)
    } + modulesWithResources.sorted().map {
        .testTarget(name: "\($0)Tests", dependencies: [.byName(name: $0), "ShinraiKit", "ShinraiTestSupport",
                                                       .product(name: "HummingbirdTesting", package: "hummingbird")],
                    swiftSettings: swiftSettings)
    } + [
        .target(
            name: "ShinraiApp",
            dependencies: ["ShinraiKit"] + domainModules.map { .byName(name: $0) },
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "shinrai",
            dependencies: [
                "ShinraiApp", "ShinraiKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by every test target: a platform on a throwaway SQLite file or PostgreSQL schema.
        .target(
            name: "ShinraiTestSupport",
            dependencies: [
                "ShinraiKit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/ShinraiTestSupport",
            swiftSettings: swiftSettings
        ),
        // Benchmarks recorded in docs/BENCHMARKS.md; build with -c release.
        .executableTarget(
            name: "shinrai-bench",
            dependencies: ["ShinraiKit", "CloudAssurance", "CyberDisclosure", "Sovereignty", "UseCases"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ShinraiKitTests",
            dependencies: [
                "ShinraiKit", "ShinraiTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ShinraiAppTests",
            dependencies: [
                "ShinraiApp", "ShinraiKit", "ShinraiTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
