#!/usr/bin/env bash
# Builds the native key shim for this machine and copies it to artifacts/native/, where
# native/Launcher.Platform picks it up and copies it beside every assembly that references it.
#
#   Linux: native/linux (C over tpm2-tss, CMake) -> liblauncher_native.so and lnk-bench-sign
#   macOS: delegates to native/macos/build.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${repo}/artifacts/native"
build_type=${BUILD_TYPE:-RelWithDebInfo}

case "$(uname -s)" in
    Linux)
        src="${repo}/native/linux"
        build="${src}/build"
        cmake -S "${src}" -B "${build}" -DCMAKE_BUILD_TYPE="${build_type}"
        cmake --build "${build}" --parallel
        (cd "${build}" && ctest --output-on-failure)
        mkdir -p "${out}"
        # install(1) replaces the file instead of rewriting it in place, so a process that has the old
        # library mapped keeps running.
        install -m 0755 "${build}/liblauncher_native.so" "${out}/liblauncher_native.so"
        install -m 0755 "${build}/lnk-bench-sign" "${out}/lnk-bench-sign"
        echo "built ${out}/liblauncher_native.so and ${out}/lnk-bench-sign"
        ;;
    Darwin)
        if [[ -x "${repo}/native/macos/build.sh" ]]; then
            "${repo}/native/macos/build.sh" "$@"
        elif [[ -f "${repo}/native/macos/build.sh" ]]; then
            bash "${repo}/native/macos/build.sh" "$@"
        else
            echo "native/macos/build.sh is missing: nothing to build for macOS" >&2
            exit 1
        fi
        ;;
    *)
        echo "unsupported operating system: $(uname -s)" >&2
        exit 1
        ;;
esac
