#!/bin/bash
# Installs Launcher on a systemd Linux machine: the published binaries to /usr/local/launcher, the daemon as a
# system unit, the agent as a user unit enabled for every user; or removes it all with --uninstall.
#
#   sudo installer/linux/install.sh --from DIR          install or upgrade from a publish directory
#   sudo installer/linux/install.sh --uninstall [--purge]
#   installer/linux/install.sh --from DIR --root STAGE  stage into STAGE (a package build); runs no systemctl
#
# DIR holds launcherd, launcher-agent, launcherctl (scripts/publish.sh output) and liblauncher_native.so.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
from=""
stage=""
mode="install"
purge=0

PREFIX="/usr/local/launcher"
SYSTEM_UNIT="launcherd.service"
USER_UNIT="launcher-agent.service"
STATE_DIR="/var/lib/launcher"
REQUIRED_FILES=(launcherd launcher-agent launcherctl liblauncher_native.so)
NATIVEAOT_DROPIN="nativeaot.conf"

log() {
    echo "install.sh: $*"
}

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --from) from="${2:?--from needs a directory}"; shift ;;
        --root) stage="${2:?--root needs a directory}"; shift ;;
        --uninstall) mode="uninstall" ;;
        --purge) purge=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done

live() {
    [[ -z "${stage}" ]]
}

# Runs systemctl only on a live system; in a staged install there is no manager to talk to.
systemctl_live() {
    if live; then
        systemctl "$@"
    else
        log "(staged) would run: systemctl $*"
    fi
}

# Users whose systemd user manager is running now: their agent is started right away instead of at next login.
running_user_managers() {
    systemctl list-units --type=service --state=running --no-legend --plain 'user@*.service' 2>/dev/null \
        | awk '{ print $1 }' | sed -n 's/^user@\([0-9][0-9]*\)\.service$/\1/p'
}

for_each_user_manager() {
    local uid user
    live || return 0
    while read -r uid; do
        user="$(id -nu "${uid}" 2>/dev/null || true)"
        if [[ -n "${user}" && "${uid}" -ne 0 ]]; then
            systemctl --user --machine="${user}@" "$@" || log "warning: systemctl --user $* failed for ${user}"
        fi
    done < <(running_user_managers)
}

install_launcher() {
    local file bin="${stage}${PREFIX}/bin"
    if [[ -z "${from}" ]]; then
        usage >&2
        exit 2
    fi
    for file in "${REQUIRED_FILES[@]}"; do
        if [[ ! -f "${from}/${file}" ]]; then
            echo "install.sh: ${from}/${file} is missing" >&2
            exit 1
        fi
    done

    # Copy beside the live tree and swap directories, so a running daemon never sees half-replaced assemblies.
    install -d -m 0755 "${stage}${PREFIX}"
    rm -rf "${bin}.new" "${bin}.old"
    cp -R "${from}/." "${bin}.new"
    chmod -R u=rwX,go=rX "${bin}.new"
    chmod 0755 "${bin}.new/launcherd" "${bin}.new/launcher-agent" "${bin}.new/launcherctl"
    if live; then
        chown -R root:root "${bin}.new"
    fi
    if [[ -d "${bin}" ]]; then
        mv "${bin}" "${bin}.old"
    fi
    mv "${bin}.new" "${bin}"
    rm -rf "${bin}.old"

    install -d -m 0755 "${stage}/etc/systemd/system" "${stage}/etc/systemd/user" "${stage}/usr/local/bin" "${stage}/etc/launcher"
    # An example only: the daemon reads /etc/launcher/launcherd.json (docs/configuration.md), never this file, and an
    # existing configuration is never touched. A file holding fleet.enrolmentToken must be mode 0600.
    install -m 0644 "${here}/launcherd.example.json" "${stage}/etc/launcher/launcherd.example.json"
    install -m 0644 "${here}/${SYSTEM_UNIT}" "${stage}/etc/systemd/system/${SYSTEM_UNIT}"
    install -m 0644 "${here}/${USER_UNIT}" "${stage}/etc/systemd/user/${USER_UNIT}"
    # A NativeAOT daemon (no launcherd.dll beside it) runs with MemoryDenyWriteExecute=yes; a JIT build cannot.
    local dropin="${stage}/etc/systemd/system/${SYSTEM_UNIT}.d/${NATIVEAOT_DROPIN}"
    if [[ -f "${from}/launcherd.dll" ]]; then
        rm -f "${dropin}"
        log "framework-dependent publish: MemoryDenyWriteExecute stays off (the .NET JIT needs writable code)"
    else
        install -d -m 0755 "$(dirname "${dropin}")"
        install -m 0644 "${here}/launcherd-nativeaot.conf" "${dropin}"
        log "NativeAOT publish: MemoryDenyWriteExecute=yes (${dropin#"${stage}"})"
    fi
    ln -sfn "${PREFIX}/bin/launcherctl" "${stage}/usr/local/bin/launcherctl"

    systemctl_live daemon-reload
    systemctl_live enable "${SYSTEM_UNIT}"
    # restart, not start: an upgrade must run the new binaries.
    systemctl_live restart "${SYSTEM_UNIT}"
    # --global enables the agent for every user, present and future, at their next login.
    systemctl_live --global enable "${USER_UNIT}"
    for_each_user_manager daemon-reload
    for_each_user_manager restart "${USER_UNIT}"
    log "installed to ${stage}${PREFIX}"
}

uninstall_launcher() {
    for_each_user_manager stop "${USER_UNIT}"
    systemctl_live --global disable "${USER_UNIT}" || true
    systemctl_live disable --now "${SYSTEM_UNIT}" || true
    rm -f "${stage}/etc/systemd/system/${SYSTEM_UNIT}" "${stage}/etc/systemd/user/${USER_UNIT}"
    rm -f "${stage}/etc/systemd/system/${SYSTEM_UNIT}.d/${NATIVEAOT_DROPIN}"
    rmdir "${stage}/etc/systemd/system/${SYSTEM_UNIT}.d" 2>/dev/null || true
    rm -f "${stage}/usr/local/bin/launcherctl" "${stage}/etc/launcher/launcherd.example.json"
    rm -rf "${stage}${PREFIX}"
    systemctl_live daemon-reload
    if [[ "${purge}" -eq 1 ]]; then
        log "purging ${stage}${STATE_DIR}: this machine's key is gone; re-enrol it after reinstalling"
        rm -rf "${stage}${STATE_DIR}"
    else
        log "kept ${stage}${STATE_DIR} (machine key); use --purge to delete it"
    fi
    log "uninstalled"
}

if live && [[ "$(id -u)" -ne 0 ]]; then
    echo "install.sh: run as root (sudo), or use --root to stage" >&2
    exit 1
fi

case "${mode}" in
    install) install_launcher ;;
    uninstall) uninstall_launcher ;;
esac
