#!/bin/bash
# Checks the packaging files without installing anything: every launchd plist parses and has the keys launchd
# needs (and the values that matter: ProcessType, the agent's DOTNET_EnableDiagnostics, log paths that the rotation
# covers), the hardened-runtime entitlements grant allow-jit only, the example configuration profile carries its
# payloads, Distribution.xml names both architectures and macOS 14, the log rotation script works on a file held
# open with O_APPEND, every shell script passes shellcheck, and the systemd units pass `systemd-analyze verify`.
# Tools that are missing are reported as skipped; a check that runs and fails makes the script exit non-zero.
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

# A plist as canonical XML (one key per line, top-level keys indented by one tab).
plist_xml() {
    local name out
    name="$(basename "$1")"
    out="${work}/${name}.canonical.xml"
    # Through the binary form: plistutil copies an XML input to XML output unchanged.
    plistutil -i "$1" -f bin -o "${work}/${name}.canonical.bin" 2>/dev/null
    plistutil -i "${work}/${name}.canonical.bin" -f xml -o "${out}" 2>/dev/null
    cat "${out}"
}

expect_string() {
    local plist="$1" key="$2" expected="$3" value
    value="$(top_level_string <(plist_xml "${plist}") "${key}")"
    if [[ "${value}" == "${expected}" ]]; then
        pass "$(basename "${plist}"): ${key} ${expected}"
    else
        fail "$(basename "${plist}"): ${key} is '${value}', expected '${expected}'"
    fi
}

# The hardened-runtime entitlements: exactly com.apple.security.cs.allow-jit = true, nothing else.
check_entitlements() {
    local plist="$1" keys
    if ! xmllint --noout "${plist}" 2>"${work}/xmllint.err"; then
        fail "$(basename "${plist}"): not well-formed XML: $(cat "${work}/xmllint.err")"
        return
    fi
    keys="$(top_level_keys <(plist_xml "${plist}") | paste -sd, -)"
    if [[ "${keys}" == "com.apple.security.cs.allow-jit" ]] && plist_xml "${plist}" | tr -d '\t\n' | grep -qF '<key>com.apple.security.cs.allow-jit</key><true/>'; then
        pass "$(basename "${plist}"): only com.apple.security.cs.allow-jit, true"
    else
        fail "$(basename "${plist}"): must grant exactly com.apple.security.cs.allow-jit (found: ${keys})"
    fi
}

# The example configuration profile: parses, and carries the managed login items rules and notification settings.
check_profile() {
    local profile="$1" flat name
    name="$(basename "${profile}")"
    if ! xmllint --noout "${profile}" 2>"${work}/xmllint.err"; then
        fail "${name}: not well-formed XML: $(cat "${work}/xmllint.err")"
        return
    fi
    if ! flat="$(plist_xml "${profile}" | tr -d '\t\n')" || [[ -z "${flat}" ]]; then
        fail "${name}: does not parse as a plist"
        return
    fi
    local expected
    for expected in \
        '<key>PayloadType</key><string>Configuration</string>' \
        '<key>PayloadType</key><string>com.apple.servicemanagement</string>' \
        '<key>RuleType</key><string>Label</string><key>RuleValue</key><string>com.launcher.daemon</string>' \
        '<key>RuleType</key><string>Label</string><key>RuleValue</key><string>com.launcher.agent</string>' \
        '<key>RuleType</key><string>TeamIdentifier</string>' \
        '<key>RuleType</key><string>BundleIdentifier</string><key>RuleValue</key><string>com.launcher.agent</string>' \
        '<key>PayloadType</key><string>com.apple.notificationsettings</string>' \
        '<key>BundleIdentifier</key><string>com.launcher.agent</string>'; do
        if [[ "${flat}" != *"${expected}"* ]]; then
            fail "${name}: missing ${expected}"
            return
        fi
    done
    # Every payload needs its own UUID.
    local uuids unique
    uuids="$(grep -o '<key>PayloadUUID</key><string>[^<]*</string>' <<<"${flat}" | wc -l)"
    unique="$(grep -o '<key>PayloadUUID</key><string>[^<]*</string>' <<<"${flat}" | sort -u | wc -l)"
    if [[ "${uuids}" -ne 3 || "${unique}" -ne 3 ]]; then
        fail "${name}: expected 3 distinct PayloadUUIDs, found ${unique} of ${uuids}"
        return
    fi
    pass "${name}: parses; managed login items (labels, team, bundle) and notification settings for com.launcher.agent"
}

# productbuild's distribution: well-formed, both architectures, macOS 14 or later, the component it names.
check_distribution() {
    local xml="$1" name archs min
    name="$(basename "${xml}")"
    if ! xmllint --noout "${xml}" 2>"${work}/xmllint.err"; then
        fail "${name}: not well-formed XML: $(cat "${work}/xmllint.err")"
        return
    fi
    archs="$(xmllint --xpath 'string(/installer-gui-script/options/@hostArchitectures)' "${xml}")"
    min="$(xmllint --xpath 'string(/installer-gui-script/allowed-os-versions/os-version/@min)' "${xml}")"
    if [[ "${archs}" != "arm64,x86_64" ]]; then
        fail "${name}: hostArchitectures is '${archs}', expected arm64,x86_64"
    elif [[ "${min}" != "14.0" ]]; then
        fail "${name}: the minimum macOS is '${min}', expected 14.0 (.NET 10)"
    elif [[ "$(xmllint --xpath 'string(/installer-gui-script/pkg-ref[text()]/@version)' "${xml}")" != "@VERSION@" ]]; then
        fail "${name}: the component's pkg-ref must carry version=\"@VERSION@\" (build-pkg.sh fills it in)"
    else
        pass "${name}: well-formed, hostArchitectures ${archs}, macOS ${min}+"
    fi
}

# The rotation script against a real file held open with O_APPEND, as launchd holds the daemon's stdout.
check_logrotate() {
    local dir="${work}/logs" script=installer/macos/launcher-logrotate.sh
    mkdir -p "${dir}"
    exec 7>>"${dir}/launcherd.log"
    head -c 3000 /dev/zero | tr '\0' 'a' >&7
    echo old > "${dir}/launcherd.log.1"
    if ! LAUNCHER_LOG_DIR="${dir}" LAUNCHER_LOG_MAX_BYTES=1000 LAUNCHER_LOG_KEEP=3 bash "${script}" >/dev/null; then
        exec 7>&-
        fail "${script}: exited non-zero"
        return
    fi
    echo "after" >&7
    exec 7>&-
    if [[ "$(cat "${dir}/launcherd.log")" == "after" && "$(wc -c < "${dir}/launcherd.log.1")" -eq 3000 \
        && "$(cat "${dir}/launcherd.log.2")" == "old" ]]; then
        pass "${script}: copies to .1, shifts older copies, truncates in place (an O_APPEND writer continues at the start)"
    else
        fail "${script}: unexpected result: $(ls -l "${dir}")"
    fi
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
    check_plist plists/com.launcher.logrotate.plist com.launcher.logrotate \
        Label ProgramArguments StartInterval ProcessType
    check_plist installer/macos/prelogin-check/com.launcher.prelogin-check.plist com.launcher.prelogin-check \
        Label ProgramArguments RunAtLoad LaunchOnlyOnce
    # Any plist added later is at least parsed.
    for plist in plists/*.plist; do
        case "${plist}" in
            plists/com.launcher.daemon.plist|plists/com.launcher.agent.plist|plists/com.launcher.logrotate.plist) ;;
            *) check_plist "${plist}" "$(basename "${plist}" .plist)" Label ;;
        esac
    done

    # ProcessType: the daemon is Standard (Background would clamp its CPU and I/O while users wait for it).
    expect_string plists/com.launcher.daemon.plist ProcessType Standard
    expect_string plists/com.launcher.agent.plist ProcessType Standard
    # The agent runs without the .NET diagnostics IPC (no runtimeconfig.json knob exists for it in .NET 10).
    if plist_xml plists/com.launcher.agent.plist | tr -d '\t\n' | grep -qF '<key>EnvironmentVariables</key><dict><key>DOTNET_EnableDiagnostics</key><string>0</string>'; then
        pass "com.launcher.agent.plist: EnvironmentVariables DOTNET_EnableDiagnostics=0"
    else
        fail "com.launcher.agent.plist: EnvironmentVariables must set DOTNET_EnableDiagnostics to 0"
    fi
    # Every log file a plist names is one the rotation job rotates.
    for path in $(plist_xml plists/com.launcher.daemon.plist | sed -n 's|^\t<string>\(/var/log/launcher/[^<]*\)</string>$|\1|p'); do
        if grep -qF "\${log_dir}/$(basename "${path}")" installer/macos/launcher-logrotate.sh; then
            pass "log rotation covers ${path}"
        else
            fail "installer/macos/launcher-logrotate.sh does not rotate ${path}"
        fi
    done

    check_entitlements installer/macos/entitlements.plist
    check_profile installer/macos/Launcher.mobileconfig
else
    skip "plists: plistutil not installed (apt-get install libplist-utils)"
fi

# --- installer definitions -----------------------------------------------------------------------------------------

if command -v xmllint >/dev/null 2>&1; then
    check_distribution installer/macos/Distribution.xml
else
    skip "Distribution.xml: xmllint not installed (apt-get install libxml2-utils)"
fi

# --- log rotation, run for real -------------------------------------------------------------------------------------

check_logrotate

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
        # As installed from a NativeAOT publish: the unit with its drop-in (offline analysis reads no drop-ins, so the
        # two are joined into one file; a unit file may repeat a section).
        aot_unit="${work}/aot/launcherd.service"
        mkdir -p "${work}/aot"
        cat installer/linux/launcherd.service installer/linux/launcherd-nativeaot.conf > "${aot_unit}"
        aot_report="$(systemd-analyze security --offline=yes "${aot_unit}" 2>/dev/null || true)"
        aot_score="$(sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' <<< "${aot_report}")"
        if grep -q '✓ MemoryDenyWriteExecute=' <<< "${aot_report}" \
            && awk -v s="${aot_score:-99}" -v b="${daemon_budget}" 'BEGIN { exit !(s <= b) }'; then
            pass "systemd-analyze security launcherd.service + NativeAOT drop-in: MemoryDenyWriteExecute on, exposure ${aot_score}"
        else
            fail "systemd-analyze security launcherd.service + NativeAOT drop-in: MemoryDenyWriteExecute not in effect (exposure '${aot_score}')"
        fi
        echo "info  systemd-analyze security launcher-agent.service (user unit): exposure ${agent_score:-unknown}"
    else
        skip "systemd-analyze security --offline: not supported by this systemd"
    fi
else
    skip "systemd units: systemd-analyze not installed"
fi

# --- test servers' ports ---------------------------------------------------------------------------------------

# scripts/free-ports.sh (swtpm.sh, postgres.sh) promises consecutive free ports outside the ephemeral range, where no
# outgoing connection (or its TIME-WAIT) can hold them.
# shellcheck source=scripts/free-ports.sh
source scripts/free-ports.sh
read -r ephemeral_low ephemeral_high < /proc/sys/net/ipv4/ip_local_port_range
if first_port="$(pick_free_ports 2)" \
    && { (( first_port + 1 < ephemeral_low )) || (( first_port > ephemeral_high )); } \
    && ! port_has_socket "${first_port}" && ! port_has_socket "$(( first_port + 1 ))"; then
    pass "free-ports.sh: ${first_port} and $(( first_port + 1 )) are free and outside ${ephemeral_low}-${ephemeral_high}"
else
    fail "free-ports.sh: pick_free_ports 2 gave '${first_port:-nothing}' (ephemeral range ${ephemeral_low}-${ephemeral_high})"
fi

# --- the Linux installer, staged --------------------------------------------------------------------------------

# install.sh --root stages without systemctl; the MemoryDenyWriteExecute drop-in goes with a NativeAOT publish only.
staged_install() {
    local kind="$1" from="${work}/publish-$1" root="${work}/stage-$1"
    mkdir -p "${from}"
    touch "${from}/launcherd" "${from}/launcher-agent" "${from}/launcherctl" "${from}/liblauncher_native.so"
    if [[ "${kind}" == framework-dependent ]]; then
        touch "${from}/launcherd.dll"
    fi
    bash installer/linux/install.sh --from "${from}" --root "${root}" > "${work}/install-${kind}.log" 2>&1 || {
        fail "install.sh --root (${kind} publish) failed:"
        cat "${work}/install-${kind}.log"
        return
    }
    local dropin="${root}/etc/systemd/system/launcherd.service.d/nativeaot.conf"
    if [[ "${kind}" == nativeaot && -f "${dropin}" ]] && grep -qx 'MemoryDenyWriteExecute=yes' "${dropin}"; then
        pass "install.sh (NativeAOT publish): MemoryDenyWriteExecute=yes drop-in installed"
    elif [[ "${kind}" == framework-dependent && ! -e "${dropin}" ]]; then
        pass "install.sh (framework-dependent publish): no MemoryDenyWriteExecute drop-in"
    else
        fail "install.sh (${kind} publish): the MemoryDenyWriteExecute drop-in is wrong"
    fi
    bash installer/linux/install.sh --uninstall --root "${root}" > /dev/null 2>&1
    if [[ -z "$(find "${root}" -type f)" ]]; then
        pass "install.sh --uninstall (${kind} publish): nothing left behind"
    else
        fail "install.sh --uninstall (${kind} publish) left files: $(find "${root}" -type f | tr '\n' ' ')"
    fi
}
staged_install nativeaot
staged_install framework-dependent

echo
if [[ "${failures}" -gt 0 ]]; then
    echo "check-packaging: ${failures} check(s) failed"
    exit 1
fi
echo "check-packaging: all checks passed"
