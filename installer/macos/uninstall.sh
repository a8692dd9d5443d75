#!/bin/bash
# Removes Launcher from this Mac: stops the agents and the daemon, removes the plists and binaries, and forgets the
# package receipt. The pkg installs this script as /usr/local/launcher/uninstall.sh (with scripts/launchd-common.sh
# beside it); it removes its own directory, which bash tolerates because it keeps the script open. The machine key
# and queue stay unless --purge is given, because deleting the key is a new identity that the fleet treats as
# re-enrolment.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=installer/macos/scripts/launchd-common.sh
source "${here}/scripts/launchd-common.sh"

STATE_DIR="/var/db/launcher"
purge=0

usage() {
    echo "usage: sudo $0 [--purge]"
    echo "  --purge  also delete ${STATE_DIR} (the machine key: the next install is a new identity) and ${LOG_DIR}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --purge) purge=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done

if [[ "$(uname -s)" != "Darwin" ]]; then
    echo "uninstall.sh: this is the macOS uninstaller; on Linux use installer/linux/install.sh --uninstall" >&2
    exit 2
fi
if [[ "$(id -u)" -ne 0 ]]; then
    echo "uninstall.sh: run as root (sudo)" >&2
    exit 1
fi

while read -r uid; do
    bootout_if_loaded "gui/${uid}/${AGENT_LABEL}"
done < <(gui_uids)
bootout_if_loaded "system/${DAEMON_LABEL}"
bootout_if_loaded "system/${LOGROTATE_LABEL}"
launchctl disable "system/${DAEMON_LABEL}" 2>/dev/null || true

rm -f "${DAEMON_PLIST}" "${AGENT_PLIST}" "${LOGROTATE_PLIST}"
rm -rf "${INSTALL_DIR}"
pkgutil --forget "${PKG_ID}" >/dev/null 2>&1 || true

if [[ "${purge}" -eq 1 ]]; then
    log "purging ${STATE_DIR} and ${LOG_DIR}: this machine's key is gone; re-enrol it after reinstalling"
    rm -rf "${STATE_DIR}" "${LOG_DIR}"
else
    log "kept ${STATE_DIR} (machine key); use --purge to delete it"
fi
log "uninstalled"
