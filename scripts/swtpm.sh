#!/usr/bin/env bash
# Starts and stops a software TPM 2.0 (swtpm) for tests and local development.
#
#   scripts/swtpm.sh start DIR   starts swtpm with its state in DIR and prints the TCTI string
#                                (swtpm:host=127.0.0.1,port=N); DIR keeps the state across restarts
#   scripts/swtpm.sh stop DIR    stops the swtpm whose pid file is in DIR
#   scripts/swtpm.sh tcti DIR    prints the TCTI string of the running swtpm in DIR
#
# The control channel listens on port N+1 because tpm2-tss's swtpm TCTI derives the control port that way.
# Environment: SWTPM_EK=1 provisions EKs with certificates from a local test CA (swtpm_setup + swtpm-localca, offline)
# on first start: RSA 2048 at 0x81010001 with its certificate in NV 0x01c00002, ECC P-384 at 0x81010016 with NV
# 0x01c00016 (swtpm 0.7 makes no P-256 EK). The CA is in DIR/localca: root swtpm-localca-rootca-cert.pem, which
# signs issuercert.pem, which signs the EK certificates (trust that root in tests only). Nothing outside DIR is used.
set -euo pipefail

readonly host=127.0.0.1

usage() {
    echo "usage: $0 start|stop|tcti DIR" >&2
    exit 2
}

# shellcheck source=scripts/free-ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-ports.sh"

port_listening() {
    local port=$1
    [[ -n "$(ss -Htln "sport = :${port}")" ]]
}

# The server port and the control port after it.
pick_port_pair() {
    pick_free_ports 2
}

is_running() {
    local dir=$1 pid
    [[ -f "${dir}/swtpm.pid" ]] || return 1
    pid=$(<"${dir}/swtpm.pid")
    [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null
}

provision_ek() {
    local dir=$1
    if [[ -f "${dir}/.ek-provisioned" ]]; then
        return 0
    fi
    # swtpm-localca keeps its CA under a directory we choose, so nothing outside DIR is touched.
    mkdir -p "${dir}/localca"
    cat >"${dir}/localca.conf" <<CONF
statedir = ${dir}/localca
signingkey = ${dir}/localca/signkey.pem
issuercert = ${dir}/localca/issuercert.pem
certserial = ${dir}/localca/certserial
CONF
    cat >"${dir}/swtpm-localca.options" <<CONF
--platform-manufacturer Launcher
--platform-version 2.1
--platform-model swtpm-test
CONF
    cat >"${dir}/swtpm_setup.conf" <<CONF
create_certs_tool = /usr/bin/swtpm_localca
create_certs_tool_config = ${dir}/localca.conf
create_certs_tool_options = ${dir}/swtpm-localca.options
CONF
    swtpm_setup --tpm2 --tpmstate "${dir}" --config "${dir}/swtpm_setup.conf" \
        --create-ek-cert --create-platform-cert --lock-nvram \
        --overwrite --logfile "${dir}/swtpm_setup.log" >/dev/null
    touch "${dir}/.ek-provisioned"
}

start() {
    local dir=$1 port attempt
    mkdir -p "${dir}"
    dir=$(cd "${dir}" && pwd)
    if is_running "${dir}"; then
        cat "${dir}/tcti"
        return 0
    fi
    if [[ "${SWTPM_EK:-0}" == "1" ]]; then
        provision_ek "${dir}"
    fi
    for attempt in 1 2 3 4 5; do
        port=$(pick_port_pair)
        rm -f "${dir}/swtpm.pid"
        # Another process may take the port between the check and the bind: then swtpm exits and we retry.
        if swtpm socket --tpm2 --daemon \
            --server "type=tcp,port=${port},bindaddr=${host}" \
            --ctrl "type=tcp,port=$((port + 1)),bindaddr=${host}" \
            --flags not-need-init,startup-clear \
            --tpmstate "dir=${dir}" \
            --pid "file=${dir}/swtpm.pid" \
            --log "file=${dir}/swtpm.log" 2>>"${dir}/swtpm.log"; then
            local waited
            for waited in $(seq 1 50); do
                if is_running "${dir}" && port_listening "${port}"; then
                    echo "swtpm:host=${host},port=${port}" >"${dir}/tcti"
                    cat "${dir}/tcti"
                    return 0
                fi
                : "${waited}"
                sleep 0.1
            done
        fi
        echo "swtpm did not start on port ${port} (attempt ${attempt}); see ${dir}/swtpm.log" >&2
        stop "${dir}" || true
    done
    return 1
}

stop() {
    local dir=$1 pid waited
    [[ -f "${dir}/swtpm.pid" ]] || return 0
    pid=$(<"${dir}/swtpm.pid")
    if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
        kill -TERM "${pid}"
        for waited in $(seq 1 50); do
            kill -0 "${pid}" 2>/dev/null || break
            : "${waited}"
            sleep 0.1
        done
        if kill -0 "${pid}" 2>/dev/null; then
            kill -KILL "${pid}"
        fi
    fi
    rm -f "${dir}/swtpm.pid" "${dir}/tcti"
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    tcti) cat "$2/tcti" ;;
    *) usage ;;
esac
