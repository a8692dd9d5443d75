#!/bin/bash
# Builds Launcher-<version>.pkg on a Mac: stages the published binaries, the native shim and the launchd plists,
# then pkgbuild (component) and productbuild (distribution). Signing and notarisation are optional and need your
# Developer ID identities; without them the package is for testing only.
#
#   installer/macos/build-pkg.sh --publish-dir DIR --version 1.2.3 \
#       [--app-identity "Developer ID Application: ..."] [--installer-identity "Developer ID Installer: ..."] \
#       [--notary-profile PROFILE] [--native-aot]
#
# DIR holds the macOS publish output of launcherd, launcher-agent and launcherctl (dotnet publish -r osx-arm64 or
# osx-x64 on a Mac) together with liblauncher_native.dylib from native/macos/build.sh. --native-aot says the three
# executables were published with PublishAot: they are then signed without the JIT entitlement.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
publish_dir=""
version=""
app_identity=""
installer_identity=""
notary_profile=""
native_aot=0
pkg_id="com.launcher.pkg"
out_dir="${repo}/artifacts/pkg"

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --publish-dir) publish_dir="$2"; shift ;;
        --version) version="$2"; shift ;;
        --app-identity) app_identity="$2"; shift ;;
        --installer-identity) installer_identity="$2"; shift ;;
        --notary-profile) notary_profile="$2"; shift ;;
        --native-aot) native_aot=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done

if [[ "$(uname -s)" != "Darwin" ]]; then
    echo "build-pkg.sh: pkgbuild and productbuild exist on macOS only." >&2
    exit 2
fi
if [[ -z "${publish_dir}" || -z "${version}" ]]; then
    usage >&2
    exit 2
fi
if [[ ! "${version}" =~ ^[0-9]+(\.[0-9]+){0,3}$ ]]; then
    echo "build-pkg.sh: --version must be numeric (1.2.3), got '${version}'." >&2
    exit 2
fi
for file in launcherd launcher-agent launcherctl liblauncher_native.dylib; do
    if [[ ! -f "${publish_dir}/${file}" ]]; then
        echo "build-pkg.sh: ${publish_dir}/${file} is missing." >&2
        exit 1
    fi
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
root="${work}/root"

install -d -m 0755 "${root}/usr/local/launcher/bin" "${root}/usr/local/launcher/scripts" "${root}/usr/local/launcher/libexec" \
    "${root}/Library/LaunchDaemons" "${root}/Library/LaunchAgents"
# ditto keeps the publish output's modes and any extended attributes the runtime needs.
ditto "${publish_dir}" "${root}/usr/local/launcher/bin"
install -m 0644 "${repo}/plists/com.launcher.daemon.plist" "${repo}/plists/com.launcher.logrotate.plist" "${root}/Library/LaunchDaemons/"
install -m 0644 "${repo}/plists/com.launcher.agent.plist" "${root}/Library/LaunchAgents/"
# The uninstaller lives on the Mac, beside what it removes: sudo /usr/local/launcher/uninstall.sh [--purge].
install -m 0755 "${here}/uninstall.sh" "${root}/usr/local/launcher/uninstall.sh"
install -m 0644 "${here}/scripts/launchd-common.sh" "${root}/usr/local/launcher/scripts/launchd-common.sh"
install -m 0755 "${here}/launcher-logrotate.sh" "${root}/usr/local/launcher/libexec/launcher-logrotate.sh"
plutil -lint "${root}/Library/LaunchDaemons/com.launcher.daemon.plist" "${root}/Library/LaunchDaemons/com.launcher.logrotate.plist" \
    "${root}/Library/LaunchAgents/com.launcher.agent.plist" "${here}/entitlements.plist"

if [[ -n "${app_identity}" ]]; then
    # Hardened runtime and a secure timestamp are what notarisation requires of every Mach-O in the payload. Libraries
    # first (entitlements mean nothing on a library); then the executables, each with a stable identifier (the
    # daemon's client requirement names them, docs/macos.md) and, unless they are NativeAOT, the JIT entitlement
    # without which a JIT-compiled .NET process cannot start under the hardened runtime.
    bin="${root}/usr/local/launcher/bin"
    while IFS= read -r -d '' library; do
        codesign --force --options runtime --timestamp --sign "${app_identity}" "${library}"
    done < <(find "${bin}" -type f -name '*.dylib' -print0)
    entitlements=(--entitlements "${here}/entitlements.plist")
    if [[ "${native_aot}" -eq 1 ]]; then
        entitlements=()
    fi
    for executable in launcherd:com.launcher.daemon launcher-agent:com.launcher.agent launcherctl:com.launcher.ctl; do
        codesign --force --options runtime --timestamp ${entitlements[@]+"${entitlements[@]}"} \
            --identifier "${executable#*:}" --sign "${app_identity}" "${bin}/${executable%%:*}"
    done
    # Any other Mach-O executable in the publish output (e.g. createdump in a self-contained runtime).
    while IFS= read -r -d '' binary; do
        case "$(basename "${binary}")" in
            launcherd|launcher-agent|launcherctl) ;;
            *) codesign --force --options runtime --timestamp --sign "${app_identity}" "${binary}" ;;
        esac
    done < <(find "${bin}" -type f -perm -u+x ! -name '*.dylib' -print0)
    codesign --display --entitlements - "${bin}/launcherd"
fi

mkdir -p "${out_dir}"
component="${work}/launcher-component.pkg"
pkgbuild \
    --root "${root}" \
    --identifier "${pkg_id}" \
    --version "${version}" \
    --scripts "${here}/scripts" \
    --install-location / \
    --ownership recommended \
    "${component}"

product="${out_dir}/Launcher-${version}.pkg"
sign_args=()
if [[ -n "${installer_identity}" ]]; then
    sign_args=(--sign "${installer_identity}" --timestamp)
fi
# The distribution definition states the architectures and the oldest macOS (14, what .NET 10 needs), so Installer
# refuses an unsupported Mac before running any script.
distribution="${work}/Distribution.xml"
sed "s/@VERSION@/${version}/g" "${here}/Distribution.xml" > "${distribution}"
# The ${a[@]+...} form because macOS's /bin/bash 3.2 treats an empty array as unset under set -u.
productbuild --distribution "${distribution}" --package-path "${work}" ${sign_args[@]+"${sign_args[@]}"} "${product}"

if [[ -n "${notary_profile}" ]]; then
    xcrun notarytool submit "${product}" --keychain-profile "${notary_profile}" --wait
    xcrun stapler staple "${product}"
fi

pkgutil --check-signature "${product}" || true
echo "==> ${product}"
