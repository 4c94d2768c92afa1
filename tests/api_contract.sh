#!/usr/bin/env bash
# The API against its own OpenAPI document, black-box: Schemathesis reads
# /api/openapi.json from a real `convive serve` on a fresh SQLite database
# and sends what the document allows, and what it forbids, checking every
# answer's status, content type, headers and body against the document, and
# that undocumented methods get 405 and requests without the key 401.
#
# Usage: tests/api_contract.sh [path to the convive binary]
# Without a path it builds target/debug/convive. Needs `st` (Schemathesis,
# from tests/tools/requirements.txt). The checks, budgets and test data
# bindings are in tests/schemathesis.toml. Extra arguments for `st run` may
# be given in CONVIVE_CONTRACT_ARGS (e.g. `--seed 1`, `--max-examples 200`).
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-}"
if [ -z "$binary" ]; then
    cargo build --locked --quiet --bin convive
    binary=target/debug/convive
fi
command -v st >/dev/null || { echo "st (Schemathesis) is missing: pip install -r tests/tools/requirements.txt" >&2; exit 1; }

scratch="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# Only this script's settings: none of the caller's CONVIVE_* variables.
# `env` execs the binary, so a background one's `$!` is the server itself.
convive=(env)
while IFS= read -r name; do convive+=(-u "$name"); done < <(env | sed -n 's/^\(CONVIVE_[A-Za-z0-9_]*\)=.*/\1/p')
convive+=(
    CONVIVE_DATABASE_URL="sqlite://$scratch/convive.db?mode=rwc"
    CONVIVE_MAIL_DIR="$scratch/mail"
    CONVIVE_LOG="${CONVIVE_CONTRACT_LOG:-warn}"
)

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Anne's key is the one Schemathesis uses; Bea's event is out of its reach.
anne="$("${convive[@]}" "$binary" organiser create --name Anne --email anne@example.org)"
bea="$("${convive[@]}" "$binary" organiser create --name Bea --email bea@example.org)"

# No rate limit: at its default rate it would answer most requests to the
# token routes with 429 (documented, and tested in tests/api/pages.rs), and
# the handlers behind it would go untested. Mail is written as files, soon.
# The inbound mail door takes Anne's key as its secret, so that what
# Schemathesis posts there gets past the door.
"${convive[@]}" CONVIVE_BIND="127.0.0.1:$port" CONVIVE_PUBLIC_URL="$base" CONVIVE_RATE_LIMIT_PER_MINUTE=0 \
    CONVIVE_INBOUND_SECRET="$anne" CONVIVE_REPLY_ADDRESS="rsvp@convive.test" \
    CONVIVE_SCHEDULER_INTERVAL_SECONDS=1 "$binary" serve >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$base/readyz" >/dev/null

# Things that exist, as dictionaries beside the configuration that names them.
python3 tests/tools/contract_data.py "$base" "$anne" "$bea" "$scratch/mail" "$scratch"
cp tests/schemathesis.toml "$scratch/schemathesis.toml"

started=$SECONDS
status=0
# From the scratch directory, where Hypothesis keeps what it keeps.
# shellcheck disable=SC2086
(cd "$scratch" && st --config-file schemathesis.toml run "$base/api/openapi.json" \
    -H "Authorization: Bearer $anne" \
    ${CONVIVE_CONTRACT_ARGS:-}) || status=$?
echo "schemathesis: exit $status after $((SECONDS - started)) s" >&2
if [ "$status" -ne 0 ]; then
    echo "--- server log: panics, then the last lines" >&2
    grep -A3 "panicked" "$scratch/server.log" | head -n 40 >&2 || true
    tail -n 50 "$scratch/server.log" >&2
fi
exit "$status"
