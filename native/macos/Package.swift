// swift-tools-version:5.9
// The Secure Enclave shim: launcher_native.h implemented over CryptoKit, built as liblauncher_native.dylib.
import PackageDescription

let package = Package(
    name: "launcher_native",
    platforms: [
        // .NET 10 runs on macOS 14 and later, so nothing older is built for (CryptoKitError.invalidParameter, which the
        // error mapping matches, exists from 13).
        .macOS(.v14),
    ],
    products: [
        .library(name: "launcher_native", type: .dynamic, targets: ["LauncherNative"]),
    ],
    targets: [
        .target(
            name: "LauncherNative",
            path: "Sources/LauncherNative",
            linkerSettings: [
                .linkedFramework("CryptoKit"),
                .linkedFramework("Security"),
                .linkedFramework("LocalAuthentication"),
            ]
        ),
        // Runs on a Mac only (`swift test`); the Enclave tests skip themselves on Macs without one.
        .testTarget(name: "LauncherNativeTests", dependencies: ["LauncherNative"], path: "Tests/LauncherNativeTests"),
    ]
)
