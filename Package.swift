// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "engage",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "engage", targets: ["engage"]),
        .executable(name: "engage-codegen", targets: ["engage-codegen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // Without its default traits: engage configures the server in code, not through swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        // Already in the graph through Hummingbird; named here for the HTTP part types engage serve's connection guard handles.
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The C that Swift cannot express, one target per library, so Scripting links Lua and not libedit.
        .target(
            name: "CLuaShims",
            dependencies: ["CLua"]
        ),
        .target(
            name: "CEditLineShims",
            dependencies: ["CEditLine"]
        ),
        .target(
            name: "Scripting",
            dependencies: ["Core", "CLua", "CLuaShims", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "OrderedJSON",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "Core",
            dependencies: [
                "OrderedJSON",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "AWSTransport",
            dependencies: [
                "Core",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // For NIOConnectionError, which says why a connection failed (DNS, refused) in words.
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                "Core",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CodeGen",
            dependencies: ["OrderedJSON"]
        ),
        .executableTarget(
            name: "engage-codegen",
            dependencies: ["CodeGen"]
        ),
        .executableTarget(
            name: "engage-bench",
            dependencies: ["Core", "Sandbox", "Scripting", "REPL", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "sandbox-worker",
            dependencies: ["Core", "Sandbox"]
        ),
        .target(
            name: "RecipeRunner",
            dependencies: ["Scripting", "Core"]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Core",
                "Sandbox",
                "AWSTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "REPL",
            dependencies: ["Scripting", "Core", "CLuaShims", "CEditLineShims"]
        ),
        .executableTarget(
            name: "engage",
            dependencies: [
                "Core",
                "Sandbox",
                "AWSTransport",
                "Scripting",
                "REPL",
                "RecipeRunner",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                // Start-up of a release build: a position-dependent executable has next to no relocations for
                // the loader to apply (a PIE has one per address in its data, each a write to a page that then
                // faults in; the figures are in docs/performance.md), and without -export-dynamic its symbol
                // table is small.
                .unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CLua", "CEditLine"]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting", "Core", "Sandbox"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Core", "Scripting", "Sandbox"], exclude: ["Fixtures"]),
        .testTarget(name: "OrderedJSONTests", dependencies: ["OrderedJSON"]),
        .testTarget(name: "RecipeRunnerTests", dependencies: ["RecipeRunner", "Scripting", "Core", "Sandbox"]),
        // Valid requests and JSON edits shared by the tests of Core and of the sandbox.
        .target(name: "CoreTestSupport", dependencies: ["Core", "OrderedJSON"], path: "Tests/CoreTestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "CoreTestSupport", "OrderedJSON"]),
        .testTarget(name: "AWSTransportTests", dependencies: ["AWSTransport", "Core", "CoreTestSupport", "OrderedJSON"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Core", "CoreTestSupport", "OrderedJSON", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CodeGenTests", dependencies: ["CodeGen", "Core", "OrderedJSON"]),
        // Running engage's real binaries, shared by the test targets that do (a test target cannot import another).
        .target(name: "EngageTestSupport", path: "Tests/EngageTestSupport"),
        .testTarget(name: "EngageCommandTests", dependencies: ["engage", "EngageTestSupport", "Core", "AWSTransport", "Scripting", "OrderedJSON"]),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Core", "Sandbox", "AWSTransport", "OrderedJSON", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["engage", "EngageTestSupport", "Core", "AWSTransport", "OrderedJSON", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "PropertyTests",
            dependencies: [
                "OrderedJSON", "Core", "Sandbox", "Scripting", "CLua", "CLuaShims",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SandboxProcessTests",
            dependencies: ["Core", "Sandbox", "sandbox-worker", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
