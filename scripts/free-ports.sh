#!/usr/bin/env bash
# Sourced by scripts/swtpm.sh and scripts/postgres.sh: free loopback ports for their test servers.
#
# Ports are drawn outside the kernel's ephemeral range (net.ipv4.ip_local_port_range), so no outgoing connection can
# hold one: a benchmark or a test run leaves thousands of client sockets in TIME-WAIT on ephemeral ports, and a
# server that binds such a port fails with "Address already in use". Any TCP socket on a port still counts as in use.

# True when any TCP socket (listening, connected or TIME-WAIT) has this local port.
port_has_socket() {
    [[ -n "$(ss -Htan "sport = :$1")" ]]
}

# pick_free_ports COUNT: prints the first of COUNT consecutive free ports, or fails after 50 tries.
pick_free_ports() {
    local count=$1 low high first last attempt port i busy
    read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || { low=32768; high=60999; }
    if (( low - count - 10000 >= 2000 )); then
        first=10000; last=$(( low - count ))
    else
        first=$(( high + 1 )); last=$(( 65535 - count ))
    fi
    for attempt in $(seq 1 50); do
        port=$(( first + RANDOM % (last - first) ))
        busy=0
        for (( i = 0; i < count; i++ )); do
            if port_has_socket "$(( port + i ))"; then
                busy=1
                break
            fi
        done
        if (( busy == 0 )); then
            echo "${port}"
            return 0
        fi
        : "${attempt}"
    done
    echo "no ${count} free consecutive port(s) found in ${first}-${last}" >&2
    return 1
}
