// swift-tools-version: 6.1
import PackageDescription

// Layout:
//   CPKCS11      header-only: the project's own PKCS#11 header (written from the spec).
//   CExport      C owns the ABI: entry points, generated trampolines, preload hook, TLS.
//   P11Trace     Swift record path: configuration, binary log writer, generated encoder.
//   Decoder      log reading, schema, rendering.
//   p11trace     the command-line tool (product `p11trace-cli`, installed as `p11trace`).
//   CLTTngABI    header-only: the events the interposer hands its LTTng provider.
//   LTTngProvider  the LTTng-UST tracepoint provider, its own `libp11trace-lttng.so`: the only
//                part that links liblttng-ust, dlopened by the interposer only for the LTTng
//                backend (docs/lttng.md).
//   CBabeltrace  libbabeltrace2 (system library) and a small C reader of LTTng traces.
// The interposer ships as ONE dynamic library, `libp11trace.so`, holding CExport and P11Trace
// with the Swift runtime linked statically, so there is one copy of every global.
let package = Package(
    name: "p11trace",
    products: [
        .library(name: "p11trace", type: .dynamic, targets: ["CExport", "P11Trace"]),
        .library(name: "p11trace-lttng", type: .dynamic, targets: ["LTTngProvider"]),
        .executable(name: "p11trace-cli", targets: ["p11trace"]),
        .library(name: "p11trace-mock", type: .dynamic, targets: ["MockModule"]),
        .library(name: "p11trace-mock-v2", type: .dynamic, targets: ["MockModuleV2"]),
        .executable(name: "p11t-conformance", targets: ["Conformance"]),
        .executable(name: "p11t-swift-client", targets: ["SwiftClient"]),
        .executable(name: "p11t-bench", targets: ["Bench"]),
        .executable(name: "p11t-async-client", targets: ["AsyncClient"]),
        .library(name: "p11t-alloc-counter", type: .dynamic, targets: ["AllocCounter"]),
        .library(name: "p11t-managed-caller", type: .dynamic, targets: ["ManagedCaller"]),
        .executable(name: "p11t-managed-client", targets: ["ManagedClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CPKCS11"),
        .target(name: "CLTTngABI"),
        .target(name: "CExport", dependencies: ["CPKCS11", "CLTTngABI"]),
        .target(
            name: "LTTngProvider",
            dependencies: ["CLTTngABI"],
            cSettings: [.headerSearchPath(".")],
            linkerSettings: [.linkedLibrary("lttng-ust"), .linkedLibrary("dl")]
        ),
        .target(
            name: "P11Trace",
            // Decoder (Foundation-free) renders the live text backend's blocks.
            dependencies: ["CExport", "Decoder"],
            linkerSettings: [
                // The module must load into C programs that have no Swift runtime, and into
                // Swift programs without clashing with theirs: link the runtime statically and
                // export only the PKCS#11 entry points and the preload hook (version script).
                .unsafeFlags(["-static-stdlib", "-Xlinker", "--version-script=Sources/CExport/p11trace.map",
                              "-Xlinker", "-z", "-Xlinker", "nodelete"]),
            ]
        ),
        .target(name: "Decoder"),
        // Reading LTTng traces: kept out of Decoder, which the interposer links (for the live
        // text), so that no traced process ever loads libbabeltrace2.
        .target(name: "CBabeltrace", linkerSettings: [.linkedLibrary("babeltrace2")]),
        .target(name: "LTTngReader", dependencies: ["Decoder", "CBabeltrace"]),
        .executableTarget(
            name: "p11trace",
            dependencies: ["Decoder", "LTTngReader", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Test fixtures: our own PKCS#11 module (3.x interfaces, fault injection), its 2.x-only
        // build, and a C client that drives every function.
        .target(name: "MockModule", dependencies: ["CPKCS11"], path: "Tests/Fixtures/MockModule", publicHeadersPath: "."),
        .target(name: "MockModuleV2", dependencies: ["CPKCS11"], path: "Tests/Fixtures/MockModuleV2", publicHeadersPath: "."),
        .executableTarget(name: "Conformance", dependencies: ["CPKCS11"], path: "Tests/Fixtures/Conformance", publicHeadersPath: ".",
                          linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]),
        .executableTarget(name: "SwiftClient", dependencies: ["CPKCS11"], path: "Tests/Fixtures/SwiftClient"),
        // The overhead benchmark's workload, and a malloc counter for the allocation guard.
        .executableTarget(name: "Bench", dependencies: ["CPKCS11"], path: "Tests/Fixtures/Bench", publicHeadersPath: ".",
                          linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]),
        // Two OpenSSL ASYNC jobs interleaved on one thread, signing through a module (links
        // libcrypto: libssl-dev).
        .executableTarget(name: "AsyncClient", dependencies: ["CPKCS11"], path: "Tests/Fixtures/AsyncClient",
                          linkerSettings: [.linkedLibrary("crypto"), .linkedLibrary("dl")]),
        .target(name: "AllocCounter", path: "Tests/Fixtures/AllocCounter", publicHeadersPath: "."),
        // Managed mode: a library that uses a module on its own, loaded twice by a client.
        .target(name: "ManagedCaller", dependencies: ["CPKCS11"], path: "Tests/Fixtures/ManagedCaller", publicHeadersPath: ".",
                linkerSettings: [.linkedLibrary("dl")]),
        .executableTarget(name: "ManagedClient", dependencies: ["CPKCS11"], path: "Tests/Fixtures/ManagedClient",
                          linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]),
        .testTarget(name: "DecoderTests", dependencies: ["Decoder"]),
    ]
)

for target in package.targets where target.type != .system {
    if target.name.hasPrefix("C") || target.name.hasPrefix("Mock") || target.name.hasPrefix("Managed")
        || target.name == "Conformance" || target.name == "AsyncClient" || target.name == "LTTngProvider" { continue }
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
