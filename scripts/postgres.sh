#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL cluster for tests and local development.
#
#   scripts/postgres.sh start DIR   initdb's a cluster in DIR (if new), starts it on a free loopback port and prints
#                                   its Npgsql connection string (Host=127.0.0.1;Port=N;Username=postgres;Database=postgres)
#   scripts/postgres.sh stop DIR    stops the cluster in DIR (DIR itself is left for the caller to delete)
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the user `postgres` (Debian's package creates
# it); otherwise to the calling user. Authentication is `trust` on 127.0.0.1 only: a test cluster, never a server.
set -euo pipefail

readonly host=127.0.0.1

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}

find_bin() {
    local tool=$1 candidate
    for candidate in /usr/lib/postgresql/*/bin/"${tool}"; do
        if [[ -x "${candidate}" ]]; then
            echo "${candidate}"
            return 0
        fi
    done
    command -v "${tool}" 2>/dev/null && return 0
    echo "postgres.sh: ${tool} not found: run scripts/setup.sh (Debian package postgresql)" >&2
    return 1
}

# shellcheck source=scripts/free-ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-ports.sh"

pick_port() {
    pick_free_ports 1
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2

case "${command}" in
    start)
        initdb=$(find_bin initdb)
        pg_ctl=$(find_bin pg_ctl)
        mkdir -p "${dir}"
        if [[ $(id -u) -eq 0 ]]; then
            chown postgres: "${dir}"
        fi
        if [[ ! -f "${dir}/data/PG_VERSION" ]]; then
            as_owner "${initdb}" -D "${dir}/data" -U postgres --auth=trust --no-sync -E UTF8 >"${dir}/initdb.log" 2>&1 \
                || { cat "${dir}/initdb.log" >&2; exit 1; }
        fi
        port=$(pick_port)
        as_owner mkdir -p "${dir}/socket"
        as_owner "${pg_ctl}" -D "${dir}/data" -l "${dir}/postgres.log" -w -t 60 \
            -o "-c listen_addresses=${host} -p ${port} -k ${dir}/socket -c fsync=off -c max_connections=200" start >/dev/null \
            || { cat "${dir}/postgres.log" >&2; exit 1; }
        echo "${port}" >"${dir}/port"
        echo "Host=${host};Port=${port};Username=postgres;Database=postgres"
        ;;
    stop)
        pg_ctl=$(find_bin pg_ctl)
        if [[ -f "${dir}/data/postmaster.pid" ]]; then
            as_owner "${pg_ctl}" -D "${dir}/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        ;;
    *)
        usage
        ;;
esac
