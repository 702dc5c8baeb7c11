// swift-tools-version:5.9
// The campus sample: an iOS app (open this folder in Xcode, or in Swift Playgrounds) that shows
// examples/campus with MiniAppKit. Run `bash ios/build-xcframework.sh` first.
import AppleProductTypes
import PackageDescription

let package = Package(
    name: "CampusSample",
    platforms: [.iOS("15.0")],
    products: [
        .iOSApplication(
            name: "Campus",
            targets: ["CampusSample"],
            bundleIdentifier: "dev.miniapp.campus",
            teamIdentifier: "",
            displayVersion: "1.0",
            bundleVersion: "1",
            appIcon: .placeholder(icon: .leaf),
            accentColor: .presetColor(.green),
            supportedDeviceFamilies: [.phone, .pad],
            supportedInterfaceOrientations: [.portrait, .landscapeLeft, .landscapeRight]
        ),
    ],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "CampusSample",
            dependencies: [.product(name: "MiniAppKit", package: "ios")],
            path: "Sources",
            // the campus mini program, copied into the app bundle (a link to examples/campus)
            resources: [.copy("campus")]
        ),
    ]
)
