#!/usr/bin/env bash
# Cost independent of history: the scheduler's tick and the dispatcher's
# claim, timed by the server itself (its /metrics histograms) over WINDOW
# seconds, first on a database holding one upcoming event, then on the same
# database after bench/history_seed.py added years of history (1,000 past
# events, 100,000 guests, 1,000,000 sent outbox rows, 100,000 answers).
# Side by side, on SQLite and on PostgreSQL, with the query plans of what
# the tick asks.
#
#   bash bench/history.sh
#   BACKENDS=sqlite WINDOW=20 bash bench/history.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WINDOW="${WINDOW:-30}"
PORT="${PORT:-18182}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${CONVIVE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="$(mktemp -d)"
trap '[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

cargo build --release --locked -q --bin convive
BIN="${CARGO_TARGET_DIR:-target}/release/convive"
BASE="http://127.0.0.1:$PORT"

start_server() {
    # Every part runs: the scheduler ticks each second, the dispatcher claims
    # after each tick; the digest hour is midnight, so the digest query runs
    # at every tick too. Mail goes to files.
    CONVIVE_DATABASE_URL="$1" CONVIVE_BIND="127.0.0.1:$PORT" CONVIVE_LOG=warn CONVIVE_MAIL_DIR="$WORK/mail" \
        CONVIVE_SCHEDULER_INTERVAL_SECONDS=1 CONVIVE_DIGEST_HOUR_UTC=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$BASE/readyz" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# "sum count" of a histogram in /metrics.
histogram() {
    curl -sf "$BASE/metrics" | awk -v name="$1" '$1 == name"_sum" {s=$2} $1 == name"_count" {c=$2} END {print s, c}'
}

# Mean tick and claim times over WINDOW seconds, in milliseconds.
measure() {
    local t0 c0 t1 c1
    t0="$(histogram convive_scheduler_tick_duration_seconds)"
    c0="$(histogram convive_dispatch_claim_duration_seconds)"
    sleep "$WINDOW"
    t1="$(histogram convive_scheduler_tick_duration_seconds)"
    c1="$(histogram convive_dispatch_claim_duration_seconds)"
    python3 -c "
t0, t1, c0, c1 = [list(map(float, x.split())) for x in ('$t0', '$t1', '$c0', '$c1')]
tick = (t1[0] - t0[0]) / max(t1[1] - t0[1], 1) * 1000
claim = (c1[0] - c0[0]) / max(c1[1] - c0[1], 1) * 1000
print(f'{tick:.2f} {int(t1[1] - t0[1])} {claim:.2f} {int(c1[1] - c0[1])}')"
}

# An organiser and one upcoming published event with a guest: the template
# the history is copied from.
prepare() {
    local key event
    key="$(CONVIVE_DATABASE_URL="$1" CONVIVE_LOG=warn "$BIN" organiser create --name Bench --email bench@example.org)"
    event="$(curl -sf "$BASE/api/v1/events" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d '{"title":"Café des Victoires","venue_name":"Café","starts_at":"2099-12-03T08:30","ends_at":"2099-12-03T10:00",
             "time_zone":"Europe/Paris","language":"fr"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    curl -sf "$BASE/api/v1/events/$event/guests/bulk" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d '{"guests":[{"email":"template@example.org"}]}' >/dev/null
    curl -sf -X POST "$BASE/api/v1/events/$event/publish" -H "Authorization: Bearer $key" >/dev/null
}

# What the planner does with the tick's and the claim's questions, as
# sea-orm asks them (same tables, filters and order).
plans() {
    local backend="$1" target="$2"
    local now="'2026-12-05T12:00:00+00:00'" day="'2026-12-04T00:00:00+00:00'"
    [ "$backend" = postgres ] && now="TIMESTAMPTZ '2026-12-05 12:00+00'" && day="TIMESTAMPTZ '2026-12-04 00:00+00'"
    local lock=""
    [ "$backend" = postgres ] && lock="FOR UPDATE SKIP LOCKED"
    local queries=(
        "UPDATE outbox SET status = 'sending' WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND due_at <= $now ORDER BY due_at, id LIMIT 100 $lock)"
        "SELECT id FROM outbox WHERE status = 'sending' AND lease_until < $now"
        "SELECT id FROM plan_slots WHERE done_at IS NULL AND due_at <= $now ORDER BY due_at LIMIT 500"
        "SELECT id FROM events WHERE id IN (SELECT event_id FROM answer_changes WHERE changed_at > $day AND changed_at <= $now AND channel = 'guest') AND organiser_id IN (SELECT id FROM organisers WHERE notifications = 'digest')"
    )
    for q in "${queries[@]}"; do
        echo "  $q"
        if [ "$backend" = sqlite ]; then
            python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print('    ', r[-1]) for r in c.execute('EXPLAIN QUERY PLAN ' + sys.argv[2])]" "$target" "$q"
        else
            psql "$target" -Atqc "EXPLAIN $q" | sed 's/^/     /'
        fi
    done
}

printf '\n%-9s %-8s %14s %7s %15s %7s\n' backend history "tick ms (mean)" ticks "claim ms (mean)" claims
for backend in $BACKENDS; do
    if [ "$backend" = sqlite ]; then
        url="sqlite://$WORK/history.db?mode=rwc" target="$WORK/history.db"
    else
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS convive_bench_history WITH (FORCE)"
        psql "$PG_URL/postgres" -qc "CREATE DATABASE convive_bench_history"
        url="$PG_URL/convive_bench_history" target="$url"
    fi
    start_server "$url"
    prepare "$url"
    read -r tick ticks claim claims <<< "$(measure)"
    printf '%-9s %-8s %14s %7s %15s %7s\n' "$backend" empty "$tick" "$ticks" "$claim" "$claims"
    stop_server
    seeded_at=$(date +%s)
    python3 bench/history_seed.py "$backend" "$target"
    echo "  (history added in $(( $(date +%s) - seeded_at )) s)" >&2
    start_server "$url"
    read -r tick ticks claim claims <<< "$(measure)"
    printf '%-9s %-8s %14s %7s %15s %7s\n' "$backend" "1M rows" "$tick" "$ticks" "$claim" "$claims"
    stop_server
    plans "$backend" "$target" > "$WORK/plans-$backend.txt"
    PLANS="${PLANS:-}$(printf '\n%s query plans, with the history:\n' "$backend"; cat "$WORK/plans-$backend.txt")"
done
echo "$PLANS"
