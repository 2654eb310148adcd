// swift-tools-version: 6.0
import PackageDescription

/// Settings shared by every Swift target: Swift 6 mode plus the upcoming features the project relies on.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ConnectionVault",
    products: [
        .library(name: "ConnectionVault", targets: ["ConnectionVault"]),
        .library(name: "IML", targets: ["IML"]),
        .executable(name: "connvault", targets: ["connvault"]),
    ],
    targets: [
        // MARK: C libraries (system-library targets with tiny shims)
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // libcurl's declarations only (no `link`, no pkg-config libs): CCurlLoader loads libcurl on first use.
        .systemLibrary(name: "CCurl"),
        // Shared libraries loaded with dlopen on first use: libcurl (CCurlLoader), libxml2's reader (CXMLReader, which
        // needs no libxml2 header or link: see XMLReader.c).
        .target(name: "CDynamicLibrary"),
        .target(name: "CCurlLoader", dependencies: ["CDynamicLibrary"]),
        .target(name: "CXMLReader", dependencies: ["CDynamicLibrary"]),
        .systemLibrary(name: "CSystem"),
        .target(name: "CThreads"),
        // libcrypto's declarations only (no `link`): CCryptoLoader loads libcrypto on first use.
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CCryptoLoader", dependencies: ["CDynamicLibrary"]),

        // MARK: The template language
        .target(
            name: "IML",
            dependencies: ["CCrypto", "CCryptoLoader"],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "IMLBenchmark",
            dependencies: ["IML"],
            swiftSettings: strictSettings),

        // MARK: The vault
        .executableTarget(
            name: "EmbedMigrations",
            swiftSettings: strictSettings),
        .plugin(
            name: "MigrationsPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedMigrations"]),
        .target(
            name: "ConnectionVault",
            dependencies: ["IML", "CSQLite", "CSodium", "CCurl", "CCurlLoader", "CXMLReader", "CSystem", "CThreads", "CCrypto", "CCryptoLoader"],
            swiftSettings: strictSettings,
            plugins: ["MigrationsPlugin"]),
        .executableTarget(
            name: "connvault",
            dependencies: ["ConnectionVault", "IML", "CSystem"],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "VaultStress",
            dependencies: ["ConnectionVault", "IML"],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "VaultBenchmark",
            dependencies: ["ConnectionVault", "IML"],
            swiftSettings: strictSettings),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["ConnectionVault", "IML", "CSQLite"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings),
        .testTarget(
            name: "IMLTests",
            dependencies: ["IML"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ConnectionVaultTests",
            dependencies: ["ConnectionVault", "IML", "TestSupport", "VaultStress", "CThreads"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CLITests",
            dependencies: ["connvault", "VaultStress", "TestSupport"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
