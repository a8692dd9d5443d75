#!/bin/bash
# Rotates launcherd's log files; run hourly by /Library/LaunchDaemons/com.launcher.logrotate.plist.
#
# launchd opens StandardOutPath and StandardErrorPath for the daemon once, at start, and the daemon writes to those
# descriptors for its whole life. newsyslog rotates by renaming, which would leave the daemon writing into the
# renamed (and later compressed and deleted) file. So a file over the limit is copied to .1 (older copies shift up,
# the oldest beyond the count is dropped) and then truncated in place: launchd opens these files with O_APPEND, so
# the daemon's next write lands at the new start of the file. A line written between the copy and the truncation is
# lost; nothing else is. The bound on disk is (count + 1) x limit per file.
#
#   launcher-logrotate.sh            (as root; LAUNCHER_LOG_DIR, LAUNCHER_LOG_MAX_BYTES, LAUNCHER_LOG_KEEP override
#                                     the defaults below, for tests)
set -euo pipefail

log_dir="${LAUNCHER_LOG_DIR:-/var/log/launcher}"
max_bytes="${LAUNCHER_LOG_MAX_BYTES:-10485760}"
keep="${LAUNCHER_LOG_KEEP:-5}"

file_size() {
    # BSD stat on the Mac; GNU stat where the tests run.
    stat -f%z "$1" 2>/dev/null || stat -c%s "$1"
}

for log in "${log_dir}/launcherd.log" "${log_dir}/launcherd.err.log"; do
    # Only regular files: a link here must not make root copy or truncate something else.
    if [[ ! -f "${log}" || -L "${log}" ]]; then
        continue
    fi
    size="$(file_size "${log}")"
    if (( size <= max_bytes )); then
        continue
    fi
    for (( i = keep - 1; i >= 1; i-- )); do
        if [[ -f "${log}.${i}" && ! -L "${log}.${i}" ]]; then
            mv -f "${log}.${i}" "${log}.$(( i + 1 ))"
        fi
    done
    rm -f "${log}.1"
    cp -p "${log}" "${log}.1"
    : > "${log}"
    echo "launcher-logrotate: rotated ${log} (${size} bytes)"
done
