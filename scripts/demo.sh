#!/usr/bin/env bash
# The main job end to end, on this machine, with nothing set up by hand:
#   a fleet server (launcher-fleet on SQLite), a real launcherd (TPM key in a swtpm when one can be started,
#   software key otherwise) and a real launcher-agent in a temporary directory; the daemon enrolled in the fleet
#   with a token; a notification pushed by the fleet's admin API, shown by the agent, its outcome back on the
#   server; a relying service verifying a fresh machine proof through the server and getting the machine's
#   grants; the machine certificate with its SPIFFE id; a proof verified independently with OpenSSL.
#   scripts/demo.sh [--keep]     (--keep leaves the temporary directory for inspection)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bold=""
plain=""
if [[ -t 1 ]]; then
    bold=$(tput bold 2>/dev/null || true)
    plain=$(tput sgr0 2>/dev/null || true)
fi
step=0
say() { step=$((step + 1)); printf '\n%s[%d] %s%s\n' "${bold}" "${step}" "$*" "${plain}"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d /tmp/launcher-demo.XXXXXX)
chmod 0755 "${work}"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ -d "${work}/swtpm" ]]; then
        bash "${repo}/scripts/swtpm.sh" stop "${work}/swtpm" >/dev/null 2>&1 || true
    fi
    if ${keep}; then echo "kept ${work}"; else rm -rf "${work}"; fi
}
trap cleanup EXIT

say "Building (native TPM shim when tpm2-tss is installed, then the .NET solution)"
if [[ "$(uname -s)" == Linux ]] && ! dpkg-query -W -f='${Status}' libtss2-dev swtpm 2>/dev/null | grep -q "install ok installed"; then
    echo "installing the TPM packages first (scripts/setup.sh)"
    bash "${repo}/scripts/setup.sh" >/dev/null
fi
if command -v cmake >/dev/null 2>&1 && [[ -f /usr/include/tss2/tss2_esys.h ]]; then
    bash "${repo}/scripts/build-native.sh" >"${work}/native-build.log" 2>&1 || fail "native build failed: see ${work}/native-build.log"
fi
dotnet build "${repo}/Launcher.sln" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || fail "dotnet build failed"
bin_daemon="${repo}/daemon/Launcher.Daemon/bin/Release/net10.0/launcherd.dll"
bin_agent="${repo}/agent/Launcher.Agent/bin/Release/net10.0/launcher-agent.dll"
bin_ctl="${repo}/daemon/Launcher.Ctl/bin/Release/net10.0/launcherctl.dll"
bin_fleet="${repo}/server/Launcher.Fleet/bin/Release/net10.0/launcher-fleet.dll"
socket="${work}/run/launcherd.sock"
ctl() { dotnet "${bin_ctl}" --socket "${socket}" "$@"; }
fleet_cli() { dotnet "${bin_fleet}" "$@" --data-dir "${work}/fleet"; }
json_field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
command -v curl >/dev/null 2>&1 || fail "curl is needed to call the fleet's HTTP API"

key_store=(--key-store software)
tpm_roots=()
if command -v swtpm >/dev/null 2>&1 && [[ -f "$(dirname "${bin_daemon}")/liblauncher_native.so" ]]; then
    if command -v swtpm_setup >/dev/null 2>&1 && command -v swtpm_localca >/dev/null 2>&1; then
        say "Starting a software TPM (swtpm) with EK certificates from a test CA (its localca/ plays the TPM maker's root)"
        tcti=$(SWTPM_EK=1 bash "${repo}/scripts/swtpm.sh" start "${work}/swtpm")
        tpm_roots=(--tpm-roots "${work}/swtpm/localca")
    else
        say "Starting a software TPM (swtpm) for the machine key (no swtpm_setup: no EK certificate, so tpm-unverified)"
        tcti=$(bash "${repo}/scripts/swtpm.sh" start "${work}/swtpm")
    fi
    echo "TCTI ${tcti}"
    key_store=(--key-store tpm --tpm-tcti "${tcti}")
else
    say "No swtpm or native shim here: the machine key will be a software key"
fi

say "Starting the fleet server (launcher-fleet on SQLite; it creates its CA and TLS certificate)"
port=""
for candidate in $(seq 18443 18643); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${candidate}") 2>/dev/null; then port=${candidate}; break; fi
done
[[ -n "${port}" ]] || fail "no free port between 18443 and 18643"
fleet_url="https://127.0.0.1:${port}"
(exec dotnet "${bin_fleet}" run --listen "${fleet_url}" --data-dir "${work}/fleet" --trust-domain demo.example \
    "${tpm_roots[@]}" >"${work}/fleet.log" 2>&1) &
pids+=($!)
for _ in $(seq 300); do grep -q "listening on" "${work}/fleet.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "${work}/fleet.log" || { cat "${work}/fleet.log" >&2; fail "launcher-fleet did not come up"; }
sed 's/^/  /' "${work}/fleet.log"
fleet_ca="${work}/fleet/pki/ca.crt"
api() { curl -sS --fail-with-body --cacert "${fleet_ca}" -H "Authorization: Bearer ${admin_token}" "$@"; }

say "Starting launcherd (--dev: unprivileged, state in ${work}/state)"
mkdir -p "${work}/run" "${work}/state" && chmod 0700 "${work}/state"
(cd "${work}" && TSS2_LOG=all+NONE exec dotnet "${bin_daemon}" run --dev --socket "${socket}" --state-dir "${work}/state" \
    "${key_store[@]}" --allow-user-key-fallback >"${work}/launcherd.log" 2>&1) &
pids+=($!)
for _ in $(seq 100); do [[ -S "${socket}" ]] && ctl status >/dev/null 2>&1 && break; sleep 0.1; done
ctl status >/dev/null 2>&1 || { cat "${work}/launcherd.log" >&2; fail "launcherd did not come up"; }
grep -E "identity|listening" "${work}/launcherd.log" | sed 's/^/  launcherd: /'

say "Starting launcher-agent for uid $(id -u) (presenter stdout, user-scoped software key)"
(exec dotnet "${bin_agent}" run --socket "${socket}" --presenter stdout --user-key software \
    --state-dir "${work}/agent-state" >"${work}/agent.out" 2>"${work}/agent.log") &
pids+=($!)
for _ in $(seq 100); do ctl status --json 2>/dev/null | grep -q '"uid"' && break; sleep 0.1; done

say "launcherctl status"
ctl status

say "launcherctl doctor: every check an admin needs when something is wrong, each with a one-line fix"
doctor_exit=0
ctl doctor || doctor_exit=$?
case "${doctor_exit}" in
    0|6) echo "  doctor exit ${doctor_exit} (0: all ok or skipped; 6: warnings, e.g. a software key)" ;;
    *) fail "launcherctl doctor found failures (exit ${doctor_exit})" ;;
esac

say "launcherctl notify --uid $(id -u): stored durably, then delivered to the agent"
id=$(ctl notify --uid "$(id -u)" --title "Hello from Launcher" --body "Your machine identity is ready." --url "https://example.com/launcher")
echo "notification ${id}"
for _ in $(seq 100); do grep -q "${id}" "${work}/agent.out" 2>/dev/null && break; sleep 0.1; done
grep -q "${id}" "${work}/agent.out" || fail "the agent did not show ${id}"
echo "the agent showed it (one JSON line per notification):"
grep "${id}" "${work}/agent.out" | sed 's/^/  /'
for _ in $(seq 50); do grep -q "${id} acknowledged" "${work}/launcherd.log" && break; sleep 0.1; done
grep "${id} acknowledged" "${work}/launcherd.log" | sed 's/^.*Notification/  launcherd: Notification/'

say "The fleet's admin creates an enrolment token; the machine's admin enrols with it"
token=$(fleet_cli token create --uses 1 --expires 1h | tail -n 1)
echo "  launcher-fleet token create  ->  ${token:0:8}… (single use, 1 h; stored hashed on the server)"
echo "  launcherctl fleet enroll --server ${fleet_url} --token … --ca-file ${fleet_ca}"
ctl fleet enroll --server "${fleet_url}" --token "${token}" --ca-file "${fleet_ca}"
machine_id=$(ctl fleet status --json | json_field machineId)

say "launcherctl fleet status: the daemon keeps one authenticated WebSocket to the server"
for _ in $(seq 100); do ctl fleet status --json | grep -q '"connected": true' && break; sleep 0.1; done
ctl fleet status
echo
echo "  launcherctl doctor now checks the fleet link, the certificate's expiry and the clock against the server:"
ctl doctor --json | python3 -c '
import json, sys
for check in json.load(sys.stdin)["checks"]:
    if check["name"] in ("fleet", "clock"):
        print("    %-6s %-5s %s" % (check["name"], check["status"], check["summary"]))
' || true

say "The fleet's admin API lists the machine (key class, evidence, grants, online)"
admin_token=$(fleet_cli admin-token create | tail -n 1)
machine=$(api "${fleet_url}/api/v1/machines/${machine_id}")
for field in id keyClass attestationLevel tpmMaker online; do
    printf '  %-17s %s\n' "${field}" "$(printf '%s' "${machine}" | json_field "${field}")"
done
printf '  %-17s %s\n' grants "$(printf '%s' "${machine}" | sed -n 's/.*"grants":\(\[[^]]*\]\).*/\1/p')"

say "The admin pushes a notification to uid $(id -u) through the API; the agent shows it"
pushed=$(api -X POST -H "Content-Type: application/json" \
    -d "{\"uid\": $(id -u), \"title\": \"From the fleet\", \"body\": \"Pushed by the admin API over the daemon's link.\"}" \
    "${fleet_url}/api/v1/machines/${machine_id}/notifications")
fleet_notification=$(printf '%s' "${pushed}" | json_field id)
echo "  POST /api/v1/machines/${machine_id}/notifications  ->  ${pushed}"
for _ in $(seq 100); do grep -q "From the fleet" "${work}/agent.out" 2>/dev/null && break; sleep 0.1; done
grep -q "From the fleet" "${work}/agent.out" || fail "the agent did not show the fleet's notification"
grep "From the fleet" "${work}/agent.out" | sed 's/^/  agent: /'

say "Its outcome travels back to the server (GET /api/v1/notifications/${fleet_notification})"
outcome=""
for _ in $(seq 100); do
    outcome=$(api "${fleet_url}/api/v1/notifications/${fleet_notification}")
    printf '%s' "${outcome}" | grep -q '"outcome":"shown"' && break
    sleep 0.1
done
printf '%s' "${outcome}" | grep -q '"outcome":"shown"' || fail "the outcome did not reach the server: ${outcome}"
echo "  recipients: $(printf '%s' "${outcome}" | sed -n 's/.*"recipients":\(\[[^]]*\]\).*/\1/p')"

say "A relying service verifies a fresh machine proof through the fleet server and gets the machine's grants"
relying_nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "  the service picks audience https://relying.example and nonce ${relying_nonce}"
relying_proof=$(ctl identity prove --audience "https://relying.example" --nonce "${relying_nonce}")
verified=$(curl -sS --fail-with-body --cacert "${fleet_ca}" -H "Content-Type: application/json" \
    -d "{\"proof\": \"${relying_proof}\", \"audience\": \"https://relying.example\", \"nonce\": \"${relying_nonce}\"}" \
    "${fleet_url}/api/v1/verify") || fail "the fleet server refused the proof: ${verified}"
echo "  POST /api/v1/verify  ->  ${verified}"

say "The machine certificate the fleet issued (SPIFFE X509-SVID for the machine key)"
openssl x509 -in "${work}/state/machine-cert.pem" -noout -subject -issuer -dates -ext subjectAltName,keyUsage,extendedKeyUsage 2>/dev/null \
    | sed 's/^/  /' || openssl x509 -in "${work}/state/machine-cert.pem" -noout -text | sed 's/^/  /'
spiffe_id=$(ctl fleet status --json | json_field spiffeId)
echo "  SPIFFE id: ${spiffe_id}"

say "launcherctl identity show"
ctl identity show
identity_json=$(ctl identity show --json)

say "launcherctl identity prove: a proof for audience https://fleet.example with a fresh nonce"
nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
jws=$(ctl identity prove --audience "https://fleet.example" --nonce "${nonce}")
printf '  %s...%s (%d bytes)\n' "${jws:0:40}" "${jws: -20}" "${#jws}"

b64url_decode() {
    local s=${1//-/+}
    s=${s//_//}
    while (( ${#s} % 4 )); do s="${s}="; done
    printf '%s' "${s}" | base64 -d
}
IFS=. read -r header claims signature <<<"${jws}"
echo "  header: $(b64url_decode "${header}" | head -c 120)..."
echo "  claims: $(b64url_decode "${claims}")"

say "Verifying the proof independently with OpenSSL against the published public key"
spki=$(printf '%s' "${identity_json}" | sed -n 's/.*"publicKeySpki": *"\([^"]*\)".*/\1/p')
{ echo "-----BEGIN PUBLIC KEY-----"; echo "${spki}" | fold -w 64; echo "-----END PUBLIC KEY-----"; } >"${work}/machine.pem"
printf '%s' "${header}.${claims}" >"${work}/signing-input"
hex=$(b64url_decode "${signature}" | od -An -v -tx1 | tr -d ' \n')
der_int() {   # a 32-byte big-endian integer as a DER INTEGER (minimal, positive)
    local v=$1
    while [[ ${#v} -gt 2 && ${v:0:2} == 00 ]]; do v=${v:2}; done
    [[ $((16#${v:0:1})) -ge 8 ]] && v="00${v}"
    printf '02%02x%s' $(( ${#v} / 2 )) "${v}"
}
body="$(der_int "${hex:0:64}")$(der_int "${hex:64:64}")"
der=$(printf '30%02x%s' $(( ${#body} / 2 )) "${body}")
printf '%s' "${der}" | sed 's/../\\x&/g' | xargs -0 printf '%b' >"${work}/signature.der"
openssl dgst -sha256 -verify "${work}/machine.pem" -signature "${work}/signature.der" "${work}/signing-input" \
    || fail "OpenSSL could not verify the proof"
thumb=$(printf '%s' "${identity_json}" | sed -n 's/.*"thumbprint": *"\([^"]*\)".*/\1/p')
class=$(printf '%s' "${identity_json}" | sed -n 's/.*"keyClass": *"\([^"]*\)".*/\1/p')

say "Done"
echo "machine identity ${thumb} (key class ${class}), enrolled in the fleet as ${machine_id} (${spiffe_id});"
echo "local notification ${id} and fleet notification ${fleet_notification} shown, the latter's outcome on the server;"
echo "a relying service verified a fresh proof through the fleet; a proof verified independently with OpenSSL."
echo "Logs: launcher-fleet ${work}/fleet.log, launcherd ${work}/launcherd.log, agent ${work}/agent.log (use --keep to keep them)."
