#!/bin/bash
# Publishes launcherd, launcher-agent and launcherctl for one Linux runtime, with the native shim beside them: the
# directory that installer/linux/install.sh --from takes.
#
#   scripts/publish.sh [--rid linux-x64|linux-arm64] [--out DIR] [--framework-dependent]
#
# Default: NativeAOT executables (no .NET runtime needed on the machine; the daemon is ready in about 40 ms with about
# 26 MB RSS, against about 340 ms and 66 MB for the ReadyToRun build: docs/benchmarks.md, "Start-up and footprint").
# Any trim or AOT warning fails the publish (the projects build with those analyzers as errors; this also covers the
# packages they use). Needs clang (or gcc) for the final link; a few minutes per executable on a small machine.
# --framework-dependent: ReadyToRun assemblies that run on the machine's shared .NET 10 runtime instead.
# Default output: artifacts/publish/RID.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="linux-x64"
out=""
aot=true
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rid) rid="${2:?--rid needs a runtime identifier}"; shift ;;
        --out) out="${2:?--out needs a directory}"; shift ;;
        --framework-dependent) aot=false ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "publish.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
out="${out:-${repo}/artifacts/publish/${rid}}"
mkdir -p "${out}"

failures=0
for entry in daemon/Launcher.Daemon:launcherd agent/Launcher.Agent:launcher-agent daemon/Launcher.Ctl:launcherctl; do
    project="${entry%%:*}"
    binary="${entry#*:}"
    if [[ "${aot}" != true ]]; then
        dotnet publish "${repo}/${project}" -c Release -r "${rid}" --self-contained false -nologo -v:q -o "${out}"
        continue
    fi
    # One at a time: ILC reads the referenced assemblies from their bin directories, and a concurrent rebuild of the
    # same projects fails it ("Read out of bounds").
    stage="${out}/.aot/${binary}"
    log="${out}/.aot/${binary}.publish.log"
    mkdir -p "${stage}"
    if ! dotnet publish "${repo}/${project}" -c Release -r "${rid}" -p:PublishAot=true -nologo -o "${stage}" > "${log}" 2>&1; then
        echo "publish.sh: ${binary}: the NativeAOT publish failed (${log}):" >&2
        grep -E ' error ' "${log}" | sort -u | head -20 >&2 || true
        failures=$((failures + 1))
        continue
    fi
    if grep -E 'warning (IL|SYSLIB)[0-9]+' "${log}" > /dev/null; then
        echo "publish.sh: ${binary}: trim or AOT warnings (${log}):" >&2
        grep -E 'warning (IL|SYSLIB)[0-9]+' "${log}" | sort -u >&2
        failures=$((failures + 1))
        continue
    fi
    # The executable and the native libraries it loads (SQLite); symbols (.dbg) and .pdb stay in the stage.
    cp "${stage}/${binary}" "${out}/"
    find "${stage}" -maxdepth 1 -name '*.so' -exec cp {} "${out}/" \;
    echo "publish.sh: ${binary}: NativeAOT, no warnings, $(stat -c%s "${out}/${binary}") bytes"
done
if [[ "${failures}" -gt 0 ]]; then
    echo "publish.sh: ${failures} of 3 failed" >&2
    exit 1
fi

if [[ -f "${repo}/artifacts/native/liblauncher_native.so" ]]; then
    cp "${repo}/artifacts/native/liblauncher_native.so" "${out}/"
else
    echo "publish.sh: warning: artifacts/native/liblauncher_native.so is missing (scripts/build-native.sh); no TPM support" >&2
fi
echo "published to ${out}"
