#!/usr/bin/env bash
# Builds "Launcher Agent.app" into artifacts/notifier/: the universal (arm64 + x86_64) launcher-notifier
# executable in an LSUIElement bundle with Info.plist, signed with the hardened runtime when an identity is given.
# Runs on a Mac with Xcode or the Command Line Tools; see docs/macos.md ("Notifications").
#
#   native/macos/Notifier/build.sh [--version 1.2.3] [--identity "Developer ID Application: ..."]
#
# Install the bundle as /usr/local/launcher/Launcher Agent.app: launcher-agent uses it when it exists there and
# falls back to osascript (outcome "submitted") when it does not.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../../.." && pwd)"
out_dir="${repo}/artifacts/notifier"
app="${out_dir}/Launcher Agent.app"
executable="launcher-notifier"
# 14.0 matches Package.swift's platforms entry (.NET 10's minimum macOS).
deployment_target="14.0"
version=""
identity=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --version) version="$2"; shift ;;
        --identity) identity="$2"; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

if [[ "$(uname -s)" != "Darwin" ]]; then
    echo "build.sh: the notifier app builds on macOS only (AppKit, UserNotifications)." >&2
    exit 2
fi

for tool in swift lipo plutil codesign; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
        echo "build.sh: ${tool} not found; install Xcode or the Command Line Tools (xcode-select --install)." >&2
        exit 2
    fi
done

slices=()
for arch in arm64 x86_64; do
    triple="${arch}-apple-macosx${deployment_target}"
    echo "==> swift build -c release --triple ${triple}"
    swift build --package-path "${here}" -c release --triple "${triple}"
    bin_path="$(swift build --package-path "${here}" -c release --triple "${triple}" --show-bin-path)"
    slices+=("${bin_path}/LauncherNotifier")
done

rm -rf "${app}"
install -d -m 0755 "${app}/Contents/MacOS"
lipo -create "${slices[@]}" -output "${app}/Contents/MacOS/${executable}"
chmod 0755 "${app}/Contents/MacOS/${executable}"
install -m 0644 "${here}/Resources/Info.plist" "${app}/Contents/Info.plist"
if [[ -n "${version}" ]]; then
    plutil -replace CFBundleShortVersionString -string "${version}" "${app}/Contents/Info.plist"
    plutil -replace CFBundleVersion -string "${version}" "${app}/Contents/Info.plist"
fi
plutil -lint "${app}/Contents/Info.plist"
lipo -info "${app}/Contents/MacOS/${executable}"

if [[ -n "${identity}" ]]; then
    # Hardened runtime and a secure timestamp (notarisation needs both); no entitlements: the app neither JITs
    # nor runs in the App Sandbox.
    codesign --force --options runtime --timestamp --sign "${identity}" "${app}"
    codesign --verify --strict --verbose=2 "${app}"
else
    # Ad hoc: enough to run on the build Mac; UNUserNotificationCenter wants a properly signed bundle elsewhere.
    codesign --force --sign - "${app}"
fi

echo "built ${app}"
