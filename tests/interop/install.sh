#!/usr/bin/env bash
# Installs the interop harness's pinned npm packages (vscode-jsonrpc) from package-lock.json.
# Called by the project's setup script; the Launcher.Rpc.Tests interop tests skip without it (fail when CI=true).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "tests/interop: node and npm are required (Node 18 or later)" >&2
    exit 1
fi

cd "$here"
npm ci --no-audit --no-fund
