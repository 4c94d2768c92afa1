#!/usr/bin/env bash
# Load benchmark: the guest-answer endpoint (many distinct guests answering),
# the event-read endpoint, a guest's invitation page, her .ics copy, the
# public event page and the calendar feeds (a full GET and a conditional one
# answered 304), each beside /healthz, itself beside a bare axum handler
# (bench/bare_axum.rs), all measured in the same run with the same wrk flags,
# on SQLite and on PostgreSQL, plus what each database itself commits per
# second for one-row transactions at the same concurrency. Uses wrk
# (installed from Debian if missing) and pgbench.
#
#   bash bench/run.sh            # both backends
#   BACKENDS=sqlite bash bench/run.sh
#
# Knobs: CONNECTIONS (32), DURATION (10s), GUESTS (5000), PORT (18181).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-10s}"
GUESTS="${GUESTS:-5000}"
PORT="${PORT:-18181}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${CONVIVE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="bench/results"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap '[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client; }

cargo build --release --locked -q --bin convive --example bare_axum
BIN="${CARGO_TARGET_DIR:-target}/release/convive"
BARE="${CARGO_TARGET_DIR:-target}/release/examples/bare_axum"
BASE="http://127.0.0.1:$PORT"

# CPU time (user + system, in clock ticks) the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk's "Requests/sec", the 99th percentile latency, and the server's CPU
# time per request in microseconds (MEASURED_PID's), as "rps p99 cpu_us".
# CPU per request hardly moves when something else loads the machine,
# where requests per second do.
run_wrk() {
    local log="$1"; shift
    local before after
    before="$(cpu_ticks "$MEASURED_PID")"
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$log"
    after="$(cpu_ticks "$MEASURED_PID")"
    local rps p99 requests
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$log")"
    p99="$(awk '$1 == "99%" {print $2}' "$log")"
    requests="$(awk '/requests in/ {print $1}' "$log")"
    if grep -q "Non-2xx" "$log"; then echo "non-2xx responses in $log:" >&2; grep "Non-2xx" "$log" >&2; exit 1; fi
    echo "$rps $p99 $(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))"
}

start_server() {
    local url="$1"
    # HTTP only: the mail pipeline has its own benchmark (bench/mail.sh).
    CONVIVE_DATABASE_URL="$url" CONVIVE_BIND="127.0.0.1:$PORT" CONVIVE_LOG=warn CONVIVE_MAIL_DIR="$WORK/mail" \
        CONVIVE_NO_SCHEDULER=true CONVIVE_NO_DISPATCHER=true CONVIVE_RATE_LIMIT_PER_MINUTE=0 \
        CONVIVE_DATABASE_POOL_SIZE="${POOL_SIZE:-4}" "$BIN" serve > "$WORK/server.log" 2>&1 &
    SERVER_PID=$! MEASURED_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$BASE/readyz" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

# An organiser, a published event with GUESTS guests, and their tokens.
prepare_event() {
    local url="$1"
    KEY="$(CONVIVE_DATABASE_URL="$url" CONVIVE_LOG=warn "$BIN" organiser create --name Bench --email bench@example.org)"
    EVENT="$(curl -sf "$BASE/api/v1/events" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d '{"title":"Café des Victoires","venue_name":"Café","starts_at":"2099-12-03T08:30","ends_at":"2099-12-03T10:00",
             "time_zone":"Europe/Paris","capacity":100000,"companions_allowed":2,"language":"fr","open_registration":true}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    # Measure the endpoint, not the organiser's inbox: with the default
    # "each", every change of mind below would also queue a note to her.
    curl -sf -X PUT "$BASE/api/v1/me/preferences" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d '{"notifications":"off"}' >/dev/null
    curl -sf -X POST "$BASE/api/v1/events/$EVENT/publish" -H "Authorization: Bearer $KEY" >/dev/null
    : > "$WORK/tokens.txt"
    local batch
    for ((batch = 0; batch < GUESTS; batch += 1000)); do
        python3 -c "import json,sys; s=int(sys.argv[1]); n=int(sys.argv[2]); print(json.dumps({'guests':[{'email':f'guest{i}@example.org','name':f'Guest {i}'} for i in range(s, min(s+1000, n))]}))" "$batch" "$GUESTS" |
            curl -sf "$BASE/api/v1/events/$EVENT/guests/bulk" -H "Authorization: Bearer $KEY" \
                -H 'Content-Type: application/json' --data-binary @- |
            python3 -c 'import json,sys; [print(r["guest"]["invitation_token"]) for r in json.load(sys.stdin)["rows"] if r["status"]=="added"]' \
            >> "$WORK/tokens.txt"
    done
}

# The ceiling: a bare axum handler on the same machine, same flags.
"$BARE" "127.0.0.1:$((PORT + 1))" & BARE_PID=$! MEASURED_PID=$BARE_PID
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((PORT + 1))/healthz" >/dev/null && break; sleep 0.1; done
read -r bare_rps bare_p99 bare_cpu < <(run_wrk "$OUT/bare-axum.txt" "http://127.0.0.1:$((PORT + 1))/healthz")
kill "$BARE_PID"; wait "$BARE_PID" 2>/dev/null || true

declare -A RESULT
for backend in $BACKENDS; do
    echo "== $backend" >&2
    if [ "$backend" = sqlite ]; then
        url="sqlite://$WORK/bench.db?mode=rwc"
        baseline="$(python3 bench/sqlite_commits.py "$CONNECTIONS" "${DURATION%s}")"
    else
        psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_bench WITH (FORCE)' -c 'CREATE DATABASE convive_bench'
        url="$PG_URL/convive_bench"
        psql "$url" -qc 'CREATE TABLE commit_baseline (id bigserial PRIMARY KEY, v text NOT NULL)'
        echo "INSERT INTO commit_baseline (v) VALUES ('yes');" > "$WORK/commit.sql"
        baseline="$(pgbench -n -c "$CONNECTIONS" -j 2 -T "${DURATION%s}" -f "$WORK/commit.sql" "$url" 2>/dev/null |
            awk '/^tps/ {print int($3)}')"
    fi
    start_server "$url"
    prepare_event "$url"

    read -r health_rps health_p99 health_cpu < <(run_wrk "$OUT/$backend-healthz.txt" "$BASE/healthz")
    read -r read_rps read_p99 read_cpu < <(run_wrk "$OUT/$backend-event-read.txt" -H "Authorization: Bearer $KEY" "$BASE/api/v1/events/$EVENT")
    read -r answer_rps answer_p99 answer_cpu < <(TOKENS_FILE="$WORK/tokens.txt" run_wrk "$OUT/$backend-answer.txt" -s bench/answer.lua "$BASE")
    # Pages and calendars, with half the guests having said yes (the answer run above).
    read -r page_rps page_p99 page_cpu < <(TOKENS_FILE="$WORK/tokens.txt" PATH_TEMPLATE="/i/%s" run_wrk "$OUT/$backend-page.txt" -s bench/token_get.lua "$BASE")
    read -r ics_rps ics_p99 ics_cpu < <(TOKENS_FILE="$WORK/tokens.txt" PATH_TEMPLATE="/i/%s/calendar.ics" run_wrk "$OUT/$backend-ics.txt" -s bench/token_get.lua "$BASE")
    feed="$(curl -sf "$BASE/api/v1/me/feed" -H "Authorization: Bearer $KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["https"])')"
    feed_path="${feed#http://*/}"
    read -r feed_rps feed_p99 feed_cpu < <(run_wrk "$OUT/$backend-feed.txt" "$BASE/$feed_path")
    etag="$(curl -sfI "$BASE/$feed_path" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')"
    read -r feed304_rps feed304_p99 feed304_cpu < <(run_wrk "$OUT/$backend-feed-304.txt" -H "If-None-Match: $etag" "$BASE/$feed_path")
    read -r public_rps public_p99 public_cpu < <(run_wrk "$OUT/$backend-public-page.txt" "$BASE/e/$EVENT")

    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    [ "$backend" = postgres ] && psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_bench WITH (FORCE)'

    RESULT[$backend]="$(python3 - "$backend" "$bare_rps" "$baseline" <<PY
import sys
backend, bare, base = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rows = [
    ("/healthz", "$health_rps", "$health_p99", "$health_cpu"),
    ("GET event", "$read_rps", "$read_p99", "$read_cpu"),
    ("PUT answer", "$answer_rps", "$answer_p99", "$answer_cpu"),
    ("GET invitation page", "$page_rps", "$page_p99", "$page_cpu"),
    ("GET guest .ics", "$ics_rps", "$ics_p99", "$ics_cpu"),
    ("GET organiser feed", "$feed_rps", "$feed_p99", "$feed_cpu"),
    ("GET feed, 304", "$feed304_rps", "$feed304_p99", "$feed304_cpu"),
    ("GET public page /e/", "$public_rps", "$public_p99", "$public_cpu"),
]
health = float(rows[0][1])
for name, rps, p99, cpu in rows:
    rps = float(rps)
    if name == "/healthz":
        ceiling = f"{rps / bare:.2f} of the bare handler"
    elif name == "PUT answer":
        ceiling = f"{rps / base:.2f} of {base:,.0f} commits/s"
    else:
        ceiling = ""
    print(f"| {backend} | {name} | {rps:,.0f} | {p99} | {cpu} | {rps / health:.2f} | {ceiling} |")
PY
)"
done

{
    echo "wrk -t2 -c$CONNECTIONS -d$DURATION, $GUESTS guests, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "| backend | endpoint | requests/s | p99 | server CPU µs/request | vs /healthz | vs its ceiling |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | --- |"
    echo "| | bare axum handler | $(printf "%'.0f" "$bare_rps") | $bare_p99 | $bare_cpu | | |"
    for backend in $BACKENDS; do echo "${RESULT[$backend]}"; done
} | tee "$OUT/summary.md"
