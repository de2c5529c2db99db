// swift-tools-version:6.0
// libFuzzer harnesses for edupipe's byte-level readers, beside the main
// package in the manner of swift-protobuf's FuzzTesting: one executable per
// harness, each a single LLVMFuzzerTestOneInput. Built by scripts/fuzz.sh
// with -sanitize=fuzzer,address,undefined and -parse-as-library (libFuzzer
// brings main), and -enable-testing so the harnesses reach the readers'
// internal types.
import PackageDescription

let harnesses = ["FuzzCSV", "FuzzXML", "FuzzName", "FuzzConfig", "FuzzValidate", "FuzzGzip"]
// The writers (Output) for FuzzOutput only.
let writers = ["FuzzOutput"]

let package = Package(
    name: "EdupipeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "edupipe", path: "..")],
    targets: [.target(name: "FuzzDriver")] + harnesses.map { name in
        .executableTarget(name: name, dependencies: ["FuzzDriver", .product(name: "EdupipeValidation", package: "edupipe")])
    } + writers.map { name in
        .executableTarget(name: name, dependencies: [
            "FuzzDriver", .product(name: "EdupipeValidation", package: "edupipe"), .product(name: "EdupipeWriters", package: "edupipe"),
        ])
    },
    swiftLanguageModes: [.v6]
)
