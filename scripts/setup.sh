#!/usr/bin/env bash
# Installs what the build and the tests need on Debian/Ubuntu, and nothing that is already there:
#   native build: cmake, gcc, libtss2-dev (tpm2-tss ESAPI); clang links the NativeAOT executables (scripts/publish.sh)
#   TPM tests:    swtpm, swtpm-tools, tpm2-tools, libtss2-tcti-swtpm0
#   agent tests:  dbus (dbus-daemon: a private session bus for the D-Bus presenter's tests)
#   packaging:    shellcheck, libplist-utils (plistutil), libxml2-utils (xmllint)
#   integration:  python3 (connection helpers run under other uids), util-linux (prlimit, setpriv, mount)
#   demo:         curl (scripts/demo.sh talks to the fleet API)
#   fuzzing:      afl++ (scripts/fuzz.sh; SharpFuzz comes from .config/dotnet-tools.json)
#   interop:      Node.js + npm, then vscode-jsonrpc from tests/interop/package-lock.json
#   fleet tests:  postgresql (a throwaway cluster started by scripts/postgres.sh)
#   web console:  chromium, chromium-driver (headless browser tests through Selenium)
# Run as root (CI is root) or with sudo available.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
packages=(cmake gcc clang make pkg-config libtss2-dev swtpm swtpm-tools tpm2-tools libtss2-tcti-swtpm0
          dbus shellcheck libplist-utils libxml2-utils sqlite3 procps python3 util-linux afl++ postgresql curl
          chromium chromium-driver)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("${package}")
    fi
done

if ((${#missing[@]} > 0)); then
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    echo "setup: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "setup: system packages present"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
    exit 1
fi

if [[ -f "${repo}/tests/interop/install.sh" ]]; then
    bash "${repo}/tests/interop/install.sh"
fi
