#!/bin/bash
# The pre-login check of the daemon's Secure Enclave key, for the first Mac (docs/macos.md, "Pre-login check").
#
#   sudo installer/macos/prelogin-check/prelogin-check.sh install   copy this harness to /usr/local/launcher and
#                                                                   /Library/LaunchDaemons; it runs at the next boot
#   (reboot; do NOT log in, not even by SSH or Screen Sharing; wait 3 minutes; then log in)
#   sudo /usr/local/launcher/prelogin-check/prelogin-check.sh report print the verdict of the last boot's run
#   sudo /usr/local/launcher/prelogin-check/prelogin-check.sh remove remove the harness
#
# "run" is what launchd starts at boot: it waits for launcherd's socket, records that nobody is logged in, then asks
# launcherd for its status and for a machine proof (which the Secure Enclave signs), and, when the shim's smoke
# program sits beside this script, runs it too (it creates and uses a kSecAttrAccessibleAlways key of its own).
set -euo pipefail

LABEL="com.launcher.prelogin-check"
HARNESS_DIR="/usr/local/launcher/prelogin-check"
PLIST="/Library/LaunchDaemons/${LABEL}.plist"
LOG_DIR="/var/log/launcher"
RESULT="${LOG_DIR}/prelogin-check.result"
CTL="/usr/local/launcher/bin/launcherctl"
SOCKET="/var/run/launcher/launcherd.sock"
WAIT_SECONDS=120

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

stamp() {
    date -u '+%Y-%m-%dT%H:%M:%SZ'
}

say() {
    echo "$(stamp) prelogin-check: $*"
}

require_root() {
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "prelogin-check: run as root (sudo)" >&2
        exit 1
    fi
}

# Who owns the console now: "root" at the login window, a user name once someone has logged in.
console_owner() {
    stat -f%Su /dev/console 2>/dev/null || echo unknown
}

# Every login session (console, SSH, screen sharing) that `who` knows of; empty before anyone logs in.
logged_in() {
    who | awk '{ print $1 "@" $2 }' | paste -sd, -
}

record() {
    echo "$1" > "${RESULT}"
    say "verdict: $1"
}

run_check() {
    install -d -o root -g wheel -m 0755 "${LOG_DIR}"
    say "boot at $(sysctl -n kern.boottime 2>/dev/null || echo unknown); console owner $(console_owner); sessions '$(logged_in)'"

    local waited=0
    while [[ ! -S "${SOCKET}" && "${waited}" -lt "${WAIT_SECONDS}" ]]; do
        sleep 2
        waited=$((waited + 2))
    done
    if [[ ! -S "${SOCKET}" ]]; then
        record "FAIL: launcherd's socket ${SOCKET} did not appear within ${WAIT_SECONDS} s"
        return 0
    fi

    # Checked after the wait too: a login during it would make the run prove nothing.
    local owner sessions
    owner="$(console_owner)"
    sessions="$(logged_in)"
    if [[ "${owner}" != "root" || -n "${sessions}" ]]; then
        record "INCONCLUSIVE: someone was logged in (console owner ${owner}, sessions '${sessions}'); reboot and wait without logging in"
        return 0
    fi

    local status_json proof
    if ! status_json="$("${CTL}" status --json 2>&1)"; then
        record "FAIL: launcherctl status failed: ${status_json}"
        return 0
    fi
    say "status: ${status_json}"
    if ! grep -q '"identityState" *: *"ready"' <<<"${status_json}"; then
        record "FAIL: the identity is not ready before login (see the status above and ${LOG_DIR}/launcherd.log)"
        return 0
    fi
    if ! grep -q '"secure-enclave"' <<<"${status_json}"; then
        say "warning: the key class is not secure-enclave; this Mac has no Enclave or the daemon runs --key-store software"
    fi

    if ! proof="$("${CTL}" identity prove --audience prelogin-check --nonce "prelogin-$(date +%s)-$$" 2>&1)"; then
        record "FAIL: no machine proof before login: ${proof}"
        return 0
    fi
    say "proof: ${#proof} characters"

    if [[ -x "${HARNESS_DIR}/smoke" ]]; then
        if "${HARNESS_DIR}/smoke"; then
            say "shim smoke program passed before login"
        else
            record "FAIL: the shim's smoke program failed before login"
            return 0
        fi
    fi

    record "PASS: the identity was ready and signed a proof with nobody logged in (console owner root)"
}

install_harness() {
    require_root
    install -d -o root -g wheel -m 0755 "${HARNESS_DIR}" "${LOG_DIR}"
    install -o root -g wheel -m 0755 "${here}/prelogin-check.sh" "${HARNESS_DIR}/prelogin-check.sh"
    # The smoke program, when native/macos/build.sh has been run, exercises the shim with its own ALWAYS key.
    local native="${here}/../../../artifacts/native"
    if [[ -x "${native}/smoke" && -f "${native}/liblauncher_native.dylib" ]]; then
        install -o root -g wheel -m 0755 "${native}/smoke" "${native}/liblauncher_native.dylib" "${HARNESS_DIR}/"
    else
        echo "note: ${native}/smoke not found (run native/macos/build.sh first); only launcherd is checked"
    fi
    install -o root -g wheel -m 0644 "${here}/${LABEL}.plist" "${PLIST}"
    rm -f "${RESULT}"
    echo "installed; now reboot, do not log in (not even by SSH), wait 3 minutes, log in and run:"
    echo "  sudo ${HARNESS_DIR}/prelogin-check.sh report"
}

report() {
    if [[ ! -f "${RESULT}" ]]; then
        echo "no result yet: the harness has not run since it was installed (reboot first)" >&2
        exit 1
    fi
    cat "${LOG_DIR}/prelogin-check.log"
    echo
    cat "${RESULT}"
    grep -q '^PASS' "${RESULT}"
}

remove_harness() {
    require_root
    launchctl bootout "system/${LABEL}" 2>/dev/null || true
    rm -f "${PLIST}"
    rm -rf "${HARNESS_DIR}"
    echo "removed (the log stays in ${LOG_DIR})"
}

case "${1:-}" in
    run) require_root; run_check ;;
    install) install_harness ;;
    report) report ;;
    remove) remove_harness ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
