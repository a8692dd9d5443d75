// swift-tools-version:5.9
// The notifier app's executable: UNUserNotificationCenter for launcher-agent, inside "Launcher Agent.app" (an
// LSUIElement bundle assembled and signed by build.sh). Built on a Mac only; see docs/macos.md.
import PackageDescription

let package = Package(
    name: "launcher-notifier",
    platforms: [
        // .NET 10 supports macOS 14 and later; the banner/list presentation options need macOS 11.
        .macOS(.v14),
    ],
    targets: [
        .executableTarget(
            name: "LauncherNotifier",
            path: "Sources/LauncherNotifier",
            linkerSettings: [
                .linkedFramework("AppKit"),
                .linkedFramework("UserNotifications"),
            ]
        ),
    ]
)
