#!/bin/bash
# Publishes launcherd, launcher-agent and launcherctl for one Linux runtime, framework-dependent and ReadyToRun
# (precompiled: faster start, see docs/benchmarks.md), with the native shim beside them: the directory that
# installer/linux/install.sh --from takes.
#
#   scripts/publish.sh [--rid linux-x64|linux-arm64] [--out DIR]     (default: linux-x64, artifacts/publish/RID)
#
# Not trimmed: trimming needs a self-contained publish, and the units run on the machine's shared .NET runtime.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="linux-x64"
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rid) rid="${2:?--rid needs a runtime identifier}"; shift ;;
        --out) out="${2:?--out needs a directory}"; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "publish.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
out="${out:-${repo}/artifacts/publish/${rid}}"

mkdir -p "${out}"
for project in daemon/Launcher.Daemon daemon/Launcher.Ctl agent/Launcher.Agent; do
    dotnet publish "${repo}/${project}" -c Release -r "${rid}" --self-contained false -nologo -v:q -o "${out}"
done
if [[ -f "${repo}/artifacts/native/liblauncher_native.so" ]]; then
    cp "${repo}/artifacts/native/liblauncher_native.so" "${out}/"
else
    echo "publish.sh: warning: artifacts/native/liblauncher_native.so is missing (scripts/build-native.sh); no TPM support" >&2
fi
echo "published to ${out}"
