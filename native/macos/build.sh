#!/usr/bin/env bash
# Builds the Secure Enclave shim as a universal (arm64 + x86_64) liblauncher_native.dylib into artifacts/native/.
# Runs on a Mac with Xcode or the Command Line Tools. Expect one deprecation warning for kSecAttrAccessibleAlways:
# it is deliberate (the daemon's key must work before any login) and Swift cannot silence it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
out_dir="${repo}/artifacts/native"
library="liblauncher_native.dylib"
header="${repo}/native/include/launcher_native.h"
# 14.0 matches Package.swift's platforms entry and installer/macos/Distribution.xml (.NET 10 needs macOS 14).
deployment_target="14.0"

if [[ "$(uname -s)" != "Darwin" ]]; then
    echo "build.sh: the Secure Enclave shim builds on macOS only (CryptoKit)." >&2
    exit 2
fi

for tool in swift lipo nm cc; do
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
    if [[ ! -f "${bin_path}/${library}" ]]; then
        echo "build.sh: ${bin_path}/${library} was not produced." >&2
        exit 1
    fi
    slices+=("${bin_path}/${library}")
done

mkdir -p "${out_dir}"
lipo -create "${slices[@]}" -output "${out_dir}/${library}"
lipo -info "${out_dir}/${library}"

# Every function the header declares must be exported (C symbols carry a leading underscore on Darwin).
exported="$(nm -gU "${out_dir}/${library}")"
missing=0
while IFS= read -r symbol; do
    if ! grep -q " _${symbol}\$" <<<"${exported}"; then
        echo "build.sh: ${symbol} is declared in launcher_native.h but not exported." >&2
        missing=1
    fi
done < <(grep -oE '\blnk_[a-z_]+\(' "${header}" | tr -d '(' | sort -u)
if [[ "${missing}" -ne 0 ]]; then
    exit 1
fi

# Call the universal library through the header from C, as .NET does (the host's slice runs).
# The smoke program stays in artifacts/native for installer/macos/prelogin-check, which runs it at boot before any
# login; @executable_path lets it find the library copied beside it there.
smoke="${out_dir}/smoke"
cc -std=c11 -Wall -Wextra -Werror -I "${repo}/native/include" "${here}/smoke/smoke.c" \
    -L "${out_dir}" -llauncher_native -Wl,-rpath,@executable_path -Wl,-rpath,"${out_dir}" -o "${smoke}"
"${smoke}"

echo "==> ${out_dir}/${library}"
