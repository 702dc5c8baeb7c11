// swift-tools-version:5.9
// MiniAppKit: the iOS host library of miniapp (see README.md beside this file).
// Build the binary target and the generated bindings first: `bash ios/build-xcframework.sh`
// (macOS with Xcode and rustup's iOS targets).
import PackageDescription

let package = Package(
    name: "MiniAppKit",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "MiniAppKit", targets: ["MiniAppKit"]),
    ],
    targets: [
        // libminiapp_ffi for the device and the simulators, with its C header and module map.
        .binaryTarget(name: "MiniAppFFI", path: "build/MiniAppFFI.xcframework"),
        // The uniffi-generated Swift API of the core (MiniAppBindings.swift, generated).
        .target(
            name: "MiniAppBindings",
            dependencies: ["MiniAppFFI"],
            path: "Sources/MiniAppBindings",
            exclude: ["README.md"]
        ),
        .target(name: "MiniAppKit", dependencies: ["MiniAppBindings"], path: "Sources/MiniAppKit"),
        .testTarget(name: "MiniAppKitTests", dependencies: ["MiniAppKit"], path: "Tests/MiniAppKitTests"),
    ]
)
