#!/usr/bin/env bash
# Mail throughput: one event with GUESTS guests (default 10,000) is published
# and Convive sends every invitation through SMTP to postfix's smtp-sink on
# loopback. Reported: messages per second from publish to the last accepted
# message, the server's CPU time per message, and the process's peak
# resident memory (VmHWM), beside what
# postfix's own smtp-source pushes into the same sink in the same run with
# connections reused (-d) and as many sessions as Convive's SMTP pool.
#
#   bash bench/mail.sh              # SQLite
#   BACKEND=postgres bash bench/mail.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GUESTS="${GUESTS:-10000}"
POOL="${POOL:-16}"
BACKEND="${BACKEND:-sqlite}"
SINK_PORT="${SINK_PORT:-2626}"
PORT="${PORT:-18282}"
PG_URL="${CONVIVE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="bench/results"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
cleanup() {
    [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null
    [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v smtp-sink >/dev/null; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
# The same targets as bench/run.sh: with the example (and so the
# dev-dependencies' features) in the build, cargo reuses run.sh's binary
# instead of building another for 6 minutes.
cargo build --release --locked -q --bin convive --example bare_axum
BIN="${CARGO_TARGET_DIR:-target}/release/convive"
BASE="http://127.0.0.1:$PORT"

smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break; sleep 0.1; done

if [ "$BACKEND" = postgres ]; then
    psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_mail_bench WITH (FORCE)' -c 'CREATE DATABASE convive_mail_bench'
    URL="$PG_URL/convive_mail_bench"
    sent_count() { psql "$URL" -Atc "SELECT count(*) FROM outbox WHERE status = 'sent'"; }
    last_sent() { psql "$URL" -Atc "SELECT extract(epoch FROM max(sent_at)) FROM outbox"; }
else
    URL="sqlite://$WORK/bench.db?mode=rwc"
    sent_count() { sqlite3 "$WORK/bench.db" "SELECT count(*) FROM outbox WHERE status = 'sent'"; }
    last_sent() { sqlite3 "$WORK/bench.db" "SELECT (julianday(max(sent_at)) - 2440587.5) * 86400.0 FROM outbox"; }
fi

export CONVIVE_DATABASE_URL="$URL" CONVIVE_LOG=warn CONVIVE_SMTP_HOST=127.0.0.1 CONVIVE_SMTP_PORT="$SINK_PORT" \
    CONVIVE_SMTP_SECURITY=none CONVIVE_SMTP_POOL_SIZE="$POOL" CONVIVE_MAIL_DIR="$WORK/mail"
KEY="$("$BIN" organiser create --name Bench --email bench@example.org)"
"$BIN" serve --bind "127.0.0.1:$PORT" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.1; done

EVENT="$(curl -sf "$BASE/api/v1/events" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"title":"Café des Victoires","venue_name":"Café des Victoires","venue_address":"6 place des Victoires, 75002 Paris",
         "starts_at":"2099-12-03T08:30","ends_at":"2099-12-03T10:00","time_zone":"Europe/Paris","language":"fr"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
for ((batch = 0; batch < GUESTS; batch += 1000)); do
    python3 -c "import json,sys; s=int(sys.argv[1]); n=int(sys.argv[2]); print(json.dumps({'guests':[{'email':f'guest{i}@example.org','name':f'Guest {i}'} for i in range(s, min(s+1000, n))]}))" "$batch" "$GUESTS" |
        curl -sf "$BASE/api/v1/events/$EVENT/guests/bulk" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @- >/dev/null
done

# CPU time (user + system, in clock ticks) the server has used so far: per
# email it hardly moves when something else loads the machine, where the
# rate does.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
start=$(date +%s.%N) start_ticks="$(cpu_ticks)"
curl -sf -X POST "$BASE/api/v1/events/$EVENT/publish" -H "Authorization: Bearer $KEY" >/dev/null
# Once a second: each poll starts a client process (psql, sqlite3), which
# polling every 0.2 s cost about 5 % of the two cores while Convive sent
# (perf), taken from the process measured, where smtp-source runs alone.
while [ "$(sent_count)" -lt "$GUESTS" ]; do sleep 1; done
# The end is when the server recorded the last batch sent, on its own clock
# (the same machine's): the poll above notices it up to a second later, a
# large share of a run that lasts a second or two.
end="$(last_sent)" cpu_us=$(( ($(cpu_ticks) - start_ticks) * 1000000 / $(getconf CLK_TCK) / GUESTS ))
peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# The same number of messages, of the size of a Convive invitation (text,
# HTML in base64 and two calendar parts: about 13 kB), pushed by smtp-source.
size="${MESSAGE_SIZE:-13000}"
source_start=$(date +%s.%N)
smtp-source -d -s "$POOL" -m "$GUESTS" -l "$size" -f bench@example.org -t guest@example.org "127.0.0.1:$SINK_PORT"
source_end=$(date +%s.%N)

python3 - "$GUESTS" "$start" "$end" "$source_start" "$source_end" "$peak_kb" "$BACKEND" "$POOL" "$cpu_us" <<'PY' | tee "$OUT/mail-$BACKEND.md"
import sys
n, s, e, ss, se, peak, backend, pool, cpu_us = sys.argv[1:]
n = int(n)
convive = n / (float(e) - float(s))
source = n / (float(se) - float(ss))
print(f"{n} invitations, {backend}, SMTP pool {pool}: Convive {convive:,.0f} msg/s ({cpu_us} µs of server CPU each), "
      f"smtp-source -d -s {pool} {source:,.0f} msg/s (ratio {convive / source:.2f}), "
      f"Convive peak RSS {int(peak) / 1024:.0f} MB")
PY
