// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Yunwei",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "yunwei", targets: ["yunwei"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
    ],
    targets: [
        /// The rules a clerk could explain: units, roles and the access policy, money, CSV imports,
        /// the audit chain's canonical form. Foundation only.
        .target(name: "YunweiDomain"),
        /// The Vapor + Fluent server, grouped by capability.
        .target(
            name: "YunweiServer",
            dependencies: [
                "YunweiDomain",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        /// The `yunwei` command: parses arguments and calls the server library.
        .executableTarget(
            name: "yunwei",
            dependencies: [
                "YunweiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "YunweiDomainTests", dependencies: ["YunweiDomain"]),
        .testTarget(
            name: "YunweiServerTests",
            dependencies: [
                "YunweiServer",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
