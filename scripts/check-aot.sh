#!/usr/bin/env bash
# Publishes launcherd, launcher-agent and launcherctl with NativeAOT for this Linux machine and fails on any trim or
# AOT warning, then runs each binary once (--help). The shipped projects already build with the trim and AOT
# analyzers as errors (build/Shipped.props); this whole-program check also covers the packages they use (hosting,
# SQLite, System.CommandLine). It is how the macOS NativeAOT build is vouched for without a Mac (docs/macos.md).
# Slow (minutes per binary on a small machine); needs the linux ILCompiler pack from the package source and a C
# toolchain (gcc or clang) for the final link.
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

failures=0
for entry in daemon/Launcher.Daemon:launcherd agent/Launcher.Agent:launcher-agent daemon/Launcher.Ctl:launcherctl; do
    project="${entry%%:*}"
    binary="${entry#*:}"
    log="${out}/${binary}.publish.log"
    # Do not build the same projects concurrently: ILC reads the referenced assemblies and their PDBs from their
    # bin directories, and a rebuild under its feet fails it ("Read out of bounds").
    if ! dotnet publish "${repo}/${project}" -c Release -r "${rid}" -p:PublishAot=true \
        -o "${out}/${binary}" > "${log}" 2>&1; then
        echo "FAIL  ${binary}: publish failed (${log})"
        failures=$((failures + 1))
        continue
    fi
    if grep -E 'warning (IL|SYSLIB)[0-9]+' "${log}" >/dev/null; then
        echo "FAIL  ${binary}: trim/AOT warnings:"
        grep -E 'warning (IL|SYSLIB)[0-9]+' "${log}" | sort -u
        failures=$((failures + 1))
        continue
    fi
    if ! "${out}/${binary}/${binary}" --help > /dev/null; then
        echo "FAIL  ${binary}: the NativeAOT binary does not run"
        failures=$((failures + 1))
        continue
    fi
    echo "ok    ${binary}: NativeAOT, no warnings, $(stat -c%s "${out}/${binary}/${binary}") bytes"
done

if [[ "${failures}" -gt 0 ]]; then
    echo "check-aot: ${failures} failed"
    exit 1
fi
echo "check-aot: all passed (${out})"
