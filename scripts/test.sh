#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what the tests need, build the native shim and the solution,
# check the packaging files, run every test project, publish the three executables with NativeAOT (as shipped) and run
# the integration tests again against them, a short fuzzing run, then a quick benchmark smoke run.
#   scripts/test.sh            (CI sets CI=true: tests that need something absent fail instead of skipping)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${repo}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/setup.sh
bash scripts/build-native.sh
bash scripts/check-packaging.sh
dotnet build Launcher.sln -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "${results}"' EXIT
status=0
dotnet test Launcher.sln -c Release --no-build --nologo --logger "console;verbosity=minimal" \
    --results-directory "${results}" --blame-hang-timeout 5m 2>&1 | tee "${results}/test.log" || status=$?

# One closing line over all test assemblies of a log.
summary() {
    awk -v label="$2" '
        /(Passed|Failed)!  - Failed:/ {
            for (i = 1; i <= NF; i++) {
                if ($i == "Failed:") f += $(i + 1) + 0
                if ($i == "Passed:") p += $(i + 1) + 0
                if ($i == "Skipped:") s += $(i + 1) + 0
            }
        }
        END { printf "%s: %d passed, %d failed, %d skipped\n", label, p, f, s }
    ' "$1"
}
summary "${results}/test.log" dotnet

if [[ ${status} -ne 0 ]]; then
    echo "tests failed (exit ${status})" >&2
    exit "${status}"
fi

# The shipped build: NativeAOT executables (scripts/publish.sh), and the integration tests again against them. The
# clients' runtimeconfig and startup-hook tests are about the JIT build and ran above.
aot="${results}/aot"
bash scripts/check-aot.sh "${aot}"
LAUNCHER_TEST_AOT_DIR="${aot}" dotnet test tests/Launcher.IntegrationTests -c Release --no-build --nologo \
    --logger "console;verbosity=minimal" --results-directory "${results}" --blame-hang-timeout 5m \
    --filter "FullyQualifiedName!~ShippedClientTests" 2>&1 | tee "${results}/test-aot.log" || status=$?
summary "${results}/test-aot.log" "dotnet (NativeAOT executables)"
if [[ ${status} -ne 0 ]]; then
    echo "tests against the NativeAOT executables failed (exit ${status})" >&2
    exit "${status}"
fi

# A short coverage-guided run of every fuzz target (docs/fuzzing.md); a crash fails the run.
bash scripts/fuzz.sh --seconds 20

# The smoke measures the daemon as shipped: the NativeAOT launcherd published above.
if [[ -d tests/Launcher.Benchmarks ]]; then
    dotnet run -c Release --project tests/Launcher.Benchmarks --no-build -- --suite all --quick --launcherd "${aot}/launcherd"
fi
