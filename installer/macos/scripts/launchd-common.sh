#!/bin/bash
# Shared by preinstall, postinstall and uninstall.sh: labels, paths and the launchctl steps. Sourced, not run.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file

DAEMON_LABEL="com.launcher.daemon"
AGENT_LABEL="com.launcher.agent"
LOGROTATE_LABEL="com.launcher.logrotate"
DAEMON_PLIST="/Library/LaunchDaemons/${DAEMON_LABEL}.plist"
LOGROTATE_PLIST="/Library/LaunchDaemons/${LOGROTATE_LABEL}.plist"
AGENT_PLIST="/Library/LaunchAgents/${AGENT_LABEL}.plist"
INSTALL_DIR="/usr/local/launcher"
LOG_DIR="/var/log/launcher"
PKG_ID="com.launcher.pkg"

log() {
    echo "launcher-installer: $*"
}

# The uids of users with a GUI (Aqua) login session now: the console owner plus fast-user-switched users that `who`
# lists on "console". System accounts (uid < 500) and root at the login window are skipped. A uid only counts when
# launchd has a gui/<uid> domain for it, which is what `bootstrap gui/<uid>` needs.
gui_uids() {
    local uid user candidates=()
    uid="$(stat -f%u /dev/console 2>/dev/null || true)"
    if [[ -n "${uid}" ]]; then
        candidates+=("${uid}")
    fi
    while read -r user; do
        uid="$(id -u "${user}" 2>/dev/null || true)"
        if [[ -n "${uid}" ]]; then
            candidates+=("${uid}")
        fi
    done < <(who | awk '$2 == "console" { print $1 }')

    if [[ "${#candidates[@]}" -eq 0 ]]; then
        return 0
    fi
    printf '%s\n' "${candidates[@]}" | sort -un | while read -r uid; do
        if [[ "${uid}" -ge 500 ]] && launchctl print "gui/${uid}" >/dev/null 2>&1; then
            echo "${uid}"
        fi
    done
}

# Boots a service out of a domain if it is loaded, and waits (bounded) until launchd has let it go, because a
# bootstrap straight after a bootout can fail with "Input/output error" while the old job is still exiting.
bootout_if_loaded() {
    local target="$1" attempt
    if ! launchctl print "${target}" >/dev/null 2>&1; then
        return 0
    fi
    log "bootout ${target}"
    launchctl bootout "${target}" 2>/dev/null || true
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if ! launchctl print "${target}" >/dev/null 2>&1; then
            return 0
        fi
        log "waiting for ${target} to exit (${attempt})"
        sleep 1
    done
    log "warning: ${target} is still loaded after bootout"
}

# launchctl bootstrap with a few bounded retries (same reason as above).
bootstrap_with_retry() {
    local domain="$1" plist="$2" attempt
    for attempt in 1 2 3; do
        if launchctl bootstrap "${domain}" "${plist}"; then
            return 0
        fi
        log "bootstrap ${domain} ${plist} failed (attempt ${attempt})"
        sleep 2
    done
    return 1
}
