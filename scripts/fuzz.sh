#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read peer input, with AFL++ and SharpFuzz.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]     TARGET: framing message params proof tpm-public (default: all five)
#
# Builds tests/Launcher.Fuzz into artifacts/fuzz/bin, instruments Launcher.Rpc.dll and Launcher.Contracts.dll there
# with the pinned SharpFuzz tool (.config/dotnet-tools.json), then runs afl-fuzz on each target for N seconds
# (default 30) from the seeds in tests/fuzz/corpus/TARGET. Findings go to artifacts/fuzz/findings/TARGET. A crash
# is copied to tests/fuzz/regressions/TARGET (replayed by the test suite from then on) and fails the script.
# CI runs it with --seconds 20 (about two minutes for the five targets); docs/fuzzing.md has the longer runs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${repo}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

seconds=30
targets=()
while (($# > 0)); do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        framing|message|params|proof|tpm-public) targets+=("$1"); shift ;;
        *) echo "usage: $0 [--seconds N] [framing|message|params|proof|tpm-public ...]" >&2; exit 2 ;;
    esac
done
((${#targets[@]} > 0)) || targets=(framing message params proof tpm-public)

command -v afl-fuzz >/dev/null 2>&1 || { echo "fuzz: afl-fuzz not found (apt-get install afl++; scripts/setup.sh does)" >&2; exit 1; }

bin="${repo}/artifacts/fuzz/bin"
rm -rf "${bin}"
dotnet tool restore >/dev/null
dotnet build tests/Launcher.Fuzz -c Release -nologo -clp:ErrorsOnly -o "${bin}" >/dev/null
for assembly in Launcher.Rpc.dll Launcher.Contracts.dll; do
    dotnet tool run sharpfuzz "${bin}/${assembly}" >/dev/null
done

# AFL's checks for a native instrumented binary and for the core pattern do not apply to a .NET fork server.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1
status=0
for target in "${targets[@]}"; do
    findings="${repo}/artifacts/fuzz/findings/${target}"
    rm -rf "${findings}"
    mkdir -p "${findings}"
    echo "fuzz: ${target} for ${seconds} s"
    afl-fuzz -i "tests/fuzz/corpus/${target}" -o "${findings}" -t 10000 -m none -V "${seconds}" \
        -- dotnet "${bin}/Launcher.Fuzz.dll" "${target}" >"${findings}/afl.log" 2>&1 || {
        echo "fuzz: afl-fuzz failed for ${target}:" >&2
        tail -20 "${findings}/afl.log" >&2
        status=1
        continue
    }
    stats="${findings}/default/fuzzer_stats"
    if [[ -f "${stats}" ]]; then
        awk -F':' '/^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) /{gsub(/ /, "", $1); gsub(/ /, "", $2); printf "  %s=%s", $1, $2} END {print ""}' "${stats}"
    fi
    shopt -s nullglob
    crashes=("${findings}"/default/crashes/id:*)
    shopt -u nullglob
    if ((${#crashes[@]} > 0)); then
        mkdir -p "tests/fuzz/regressions/${target}"
        for crash in "${crashes[@]}"; do
            name="crash-$(sha256sum "${crash}" | cut -c1-16)"
            cp "${crash}" "tests/fuzz/regressions/${target}/${name}"
            echo "fuzz: CRASH in ${target}: tests/fuzz/regressions/${target}/${name}" >&2
            echo "      reproduce: dotnet ${bin}/Launcher.Fuzz.dll ${target} tests/fuzz/regressions/${target}/${name}" >&2
        done
        status=1
    fi
done
exit "${status}"
