#!/usr/bin/env bash
# Publishes launcherd, launcher-agent and launcherctl with NativeAOT for this Linux machine (scripts/publish.sh, which
# fails on any trim or AOT warning), then runs each binary once (--help). scripts/test.sh then runs the integration
# tests against these executables (LAUNCHER_TEST_AOT_DIR). It is also how the macOS NativeAOT build is vouched for
# without a Mac (docs/macos.md).
#
#   scripts/check-aot.sh [output-dir]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d)}"
case "$(uname -m)" in
    x86_64) rid="linux-x64" ;;
    aarch64) rid="linux-arm64" ;;
    *) echo "check-aot: unsupported architecture $(uname -m)" >&2; exit 2 ;;
esac

bash "${repo}/scripts/publish.sh" --rid "${rid}" --out "${out}"
for binary in launcherd launcher-agent launcherctl; do
    if ! "${out}/${binary}" --help > /dev/null; then
        echo "check-aot: FAIL ${binary}: the NativeAOT executable does not run" >&2
        exit 1
    fi
done
echo "check-aot: all passed (${out})"
