// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "edupipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edupipe", targets: ["edupipe"]),
        // What validating a file takes (the readers, the standard, the
        // registry), for the fuzz harnesses (Fuzz/), which build it under
        // the sanitizers without the ledger, the outputs or the server.
        .library(name: "EdupipeValidation", targets: ["EdupipeSupport", "EdupipeInput", "EdupipeStandard", "EdupipeAggregate"]),
        // The writers, for the harness of the output buffers (FuzzOutput).
        .library(name: "EdupipeWriters", targets: ["EdupipeOutput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The HTTP intake (edupipe serve). No traits: swift-configuration
        // and full Foundation are not needed and cost build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "SystemZlib",
            path: "Sources/SystemZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ISA-L's igzip: inflates gzip in about half zlib's instructions.
        .systemLibrary(
            name: "CISAL",
            path: "Sources/CISAL",
            providers: [.apt(["libisal-dev"])]
        ),
        // syncfs(2), which Glibc's module does not declare (the server's
        // grouped syncs).
        .systemLibrary(
            name: "SystemLinux",
            path: "Sources/SystemLinux"
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The stages, one target each, so that the compiler holds the
        // direction of the data flow: a stage imports only the ones before
        // it (Support → Input → Standard → Aggregate → Output → Run →
        // Serve). What every stage may use (hex, atomic files, civil
        // dates, the worker pool, system calls, failpoints) is in Support.
        .target(name: "EdupipeSupport"),
        // The inbox, submission names, gzip, encodings, the CSV and XML
        // readers: bytes in, fields out.
        .target(
            name: "EdupipeInput",
            dependencies: [
                "EdupipeSupport",
                "SystemZlib",
                "CISAL",
                "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The standard: value types, the compiled plan, checks and codes.
        .target(
            name: "EdupipeStandard",
            dependencies: [
                "EdupipeSupport",
                "EdupipeInput",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The registry, measures, indicators, targets, acceptance and the
        // quality checks across periods.
        .target(
            name: "EdupipeAggregate",
            dependencies: [
                "EdupipeSupport",
                "EdupipeInput",
                "EdupipeStandard",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // CSV, JSON, the workbook, the report and the format guides.
        .target(
            name: "EdupipeOutput",
            dependencies: ["EdupipeSupport", "EdupipeInput", "EdupipeStandard", "EdupipeAggregate", "SystemZlib", "CISAL"]
        ),
        // The nightly run and the ledger.
        .target(
            name: "EdupipeRun",
            dependencies: [
                "EdupipeSupport",
                "EdupipeInput",
                "EdupipeStandard",
                "EdupipeAggregate",
                "EdupipeOutput",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The synthetic inbox generator, used by the CLI, the tests and the
        // benchmarks; no stage depends on it.
        .target(
            name: "EdupipeSynth",
            dependencies: ["EdupipeSupport", "EdupipeInput", "EdupipeStandard", "EdupipeAggregate", "EdupipeOutput"]
        ),
        // The HTTP intake: the stage after Run.
        .target(
            name: "EdupipeServe",
            dependencies: [
                "EdupipeSupport",
                "EdupipeInput",
                "EdupipeStandard",
                "EdupipeAggregate",
                "EdupipeOutput",
                "EdupipeRun",
                "SystemLinux",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "edupipe",
            dependencies: [
                "EdupipeSupport",
                "EdupipeInput",
                "EdupipeStandard",
                "EdupipeAggregate",
                "EdupipeOutput",
                "EdupipeRun",
                "EdupipeSynth",
                "EdupipeServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The code a night runs laid out together (link/edupipe.order,
            // scripts/link-order.sh): fewer of the executable's pages in
            // memory. Names it no longer finds are skipped in silence.
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/link/edupipe.order",
                "-Xlinker", "--no-warn-symbol-ordering",
            ])]
        ),
        .testTarget(
            name: "EdupipeCoreTests",
            dependencies: [
                "EdupipeSupport", "EdupipeInput", "EdupipeStandard", "EdupipeAggregate", "EdupipeOutput",
                "EdupipeRun", "EdupipeSynth", "EdupipeServe", "SystemZlib", "CLibXML2",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
