// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "edupipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edupipe", targets: ["edupipe"]),
        .library(name: "EdupipeCore", targets: ["EdupipeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "EdupipeCore",
            dependencies: [
                "SystemZlib",
                "CISAL",
                "CLibXML2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "edupipe",
            dependencies: [
                "EdupipeCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EdupipeCoreTests",
            dependencies: ["EdupipeCore", "SystemZlib", "CLibXML2"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
