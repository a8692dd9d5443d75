#!/bin/bash
# Checks the packaging files without installing anything: every launchd plist parses and has the keys launchd
# needs, every shell script passes shellcheck, and the systemd units pass `systemd-analyze verify`. Tools that are
# missing are reported as skipped; a check that runs and fails makes the script exit non-zero.
#
#   scripts/check-packaging.sh            (from anywhere; CI runs it on Linux)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo}"

failures=0
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
skip() { echo "skip  $*"; }

# --- launchd plists ---------------------------------------------------------------------------------------------

# The top-level keys of a canonical XML plist (plistutil's output indents them with exactly one tab).
top_level_keys() {
    sed -n 's/^\t<key>\(.*\)<\/key>$/\1/p' "$1"
}

# The string value that follows a top-level key in canonical XML.
top_level_string() {
    awk -v key="$2" '
        found { if (match($0, /^\t<string>.*<\/string>$/)) { sub(/^\t<string>/, ""); sub(/<\/string>$/, ""); print } exit }
        $0 == "\t<key>" key "</key>" { found = 1 }
    ' "$1"
}

check_plist() {
    local plist="$1" label="$2"; shift 2
    local name binary canonical errors key required_key
    name="$(basename "${plist}")"
    binary="${work}/${name}.bin"
    canonical="${work}/${name}.xml"

    # plistutil exits 0 even when it cannot parse; a missing or empty output and "ERROR" on stderr are the signal.
    errors="$(plistutil -i "${plist}" -f bin -o "${binary}" 2>&1 || true)"
    if [[ ! -s "${binary}" || "${errors}" == *ERROR* ]]; then
        fail "${name}: does not parse as a plist: ${errors}"
        return
    fi
    plistutil -i "${binary}" -f xml -o "${canonical}" 2>/dev/null
    if command -v xmllint >/dev/null 2>&1 && ! xmllint --noout "${plist}" 2>"${work}/xmllint.err"; then
        fail "${name}: not well-formed XML: $(cat "${work}/xmllint.err")"
        return
    fi

    local missing=()
    for required_key in "$@"; do
        if ! top_level_keys "${canonical}" | grep -qxF "${required_key}"; then
            missing+=("${required_key}")
        fi
    done
    if [[ "${#missing[@]}" -gt 0 ]]; then
        fail "${name}: missing keys: ${missing[*]}"
        return
    fi

    key="$(top_level_string "${canonical}" Label)"
    if [[ "${key}" != "${label}" ]]; then
        fail "${name}: Label is '${key}', expected '${label}' (launchctl targets use the label; keep it equal to the file name)"
        return
    fi
    pass "${name}: parses, Label ${label}, has $*"
}

if command -v plistutil >/dev/null 2>&1; then
    check_plist plists/com.launcher.daemon.plist com.launcher.daemon \
        Label ProgramArguments RunAtLoad KeepAlive ThrottleInterval StandardOutPath StandardErrorPath AssociatedBundleIdentifiers
    check_plist plists/com.launcher.agent.plist com.launcher.agent \
        Label ProgramArguments LimitLoadToSessionType RunAtLoad KeepAlive
    if grep -q '<string>Aqua</string>' plists/com.launcher.agent.plist; then
        pass "com.launcher.agent.plist: LimitLoadToSessionType Aqua"
    else
        fail "com.launcher.agent.plist: LimitLoadToSessionType must be Aqua (GUI sessions only)"
    fi
    # Any plist added later is at least parsed.
    for plist in plists/*.plist; do
        case "${plist}" in
            plists/com.launcher.daemon.plist|plists/com.launcher.agent.plist) ;;
            *) check_plist "${plist}" "$(basename "${plist}" .plist)" Label ;;
        esac
    done
else
    skip "plists: plistutil not installed (apt-get install libplist-utils)"
fi

# --- shell scripts ------------------------------------------------------------------------------------------------

if command -v shellcheck >/dev/null 2>&1; then
    scripts=()
    while IFS= read -r -d '' script; do
        scripts+=("${script#./}")
    done < <(find . \( -path ./.git -o -name node_modules -o -name bin -o -name obj -o -name artifacts -o -name .build \) -prune \
        -o -type f \( -name '*.sh' -o -path './installer/macos/scripts/*' \) -print0)
    for script in "${scripts[@]}"; do
        # Run from the repository root: the scripts' "shellcheck source=" directives are relative to it.
        if output="$(shellcheck -x "${script}" 2>&1)"; then
            pass "shellcheck ${script}"
        else
            fail "shellcheck ${script}"
            echo "${output}"
        fi
    done
else
    skip "shell scripts: shellcheck not installed"
fi

# --- systemd units ------------------------------------------------------------------------------------------------

# verify insists that ExecStart exists, so each unit is checked as a copy whose /usr/local/launcher/bin points at
# stub executables; everything else is verified as written. Any output (even "Unknown key ... ignoring") fails.
verify_unit() {
    local unit="$1"; shift
    local name stubs copy output
    name="$(basename "${unit}")"
    stubs="${work}/stubs"
    copy="${work}/units/${name}"
    mkdir -p "${stubs}" "${work}/units"
    for binary in launcherd launcher-agent launcherctl; do
        printf '#!/bin/sh\nexit 0\n' > "${stubs}/${binary}"
        chmod 0755 "${stubs}/${binary}"
    done
    sed "s|/usr/local/launcher/bin/|${stubs}/|g" "${unit}" > "${copy}"
    if output="$("$@" verify "${copy}" 2>&1)" && [[ -z "${output}" ]]; then
        pass "systemd-analyze verify ${unit}"
    else
        fail "systemd-analyze verify ${unit}"
        echo "${output}"
    fi
}

if command -v systemd-analyze >/dev/null 2>&1; then
    verify_unit installer/linux/launcherd.service systemd-analyze
    # A user unit needs a user runtime directory to verify against; a private one is enough.
    runtime="${work}/runtime"
    mkdir -p "${runtime}"
    chmod 0700 "${runtime}"
    verify_unit installer/linux/launcher-agent.service env XDG_RUNTIME_DIR="${runtime}" systemd-analyze --user
    if grep -qx 'WantedBy=default.target' installer/linux/launcher-agent.service; then
        pass "launcher-agent.service: WantedBy=default.target"
    else
        fail "launcher-agent.service: must be WantedBy=default.target"
    fi
    for key in Type=notify WatchdogSec= RestartPreventExitStatus=78; do
        if grep -q "^${key}" installer/linux/launcherd.service; then
            pass "launcherd.service: ${key}"
        else
            fail "launcherd.service: needs ${key} (the daemon speaks sd_notify and has a watchdog)"
        fi
    done
    # The exposure score of each unit (0 = locked down, 10 = unprotected), recorded here and in docs/installer.md.
    # The daemon must stay at or below its budget; the agent is reported (a user unit cannot use most sandboxing).
    security_score() {
        "$@" 2>/dev/null | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p'
    }
    if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
        daemon_score="$(security_score systemd-analyze security --offline=yes installer/linux/launcherd.service)"
        agent_score="$(security_score env XDG_RUNTIME_DIR="${runtime}" systemd-analyze security --user --offline=yes installer/linux/launcher-agent.service)"
        daemon_budget="2.5"
        if [[ -n "${daemon_score}" ]] && awk -v s="${daemon_score}" -v b="${daemon_budget}" 'BEGIN { exit !(s <= b) }'; then
            pass "systemd-analyze security launcherd.service: exposure ${daemon_score} (budget ${daemon_budget})"
        else
            fail "systemd-analyze security launcherd.service: exposure '${daemon_score}' above the budget ${daemon_budget}"
        fi
        echo "info  systemd-analyze security launcher-agent.service (user unit): exposure ${agent_score:-unknown}"
    else
        skip "systemd-analyze security --offline: not supported by this systemd"
    fi
else
    skip "systemd units: systemd-analyze not installed"
fi

echo
if [[ "${failures}" -gt 0 ]]; then
    echo "check-packaging: ${failures} check(s) failed"
    exit 1
fi
echo "check-packaging: all checks passed"
