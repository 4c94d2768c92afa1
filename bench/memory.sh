#!/usr/bin/env bash
# Peak memory with a big list: the server's resident memory (VmRSS, and its
# peak VmHWM) after start, after importing GUESTS guests, and after reading
# the whole list every way an organiser can: the API's pages, the CSV
# export, the dashboard's event page (first, last and a search) and the
# door's check-in page. The ratio that matters is the peak over the memory
# after the import: flat means it stays near 1 whatever GUESTS is.
#
#   bash bench/memory.sh                 # both backends, 100,000 guests
#   BACKENDS=sqlite GUESTS=20000 bash bench/memory.sh
#
# Knobs: GUESTS (100000), PORT (18182), BACKENDS (sqlite postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

GUESTS="${GUESTS:-100000}"
PORT="${PORT:-18182}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${CONVIVE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="bench/results"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap '[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

cargo build --release --locked -q
BIN="${CARGO_TARGET_DIR:-target}/release/convive"
BASE="http://127.0.0.1:$PORT"

# Resident memory of the server in MB: now (VmRSS) and at its peak (VmHWM).
rss() { awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status"; }
peak() { awk '/^VmHWM:/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status"; }

start_server() {
    CONVIVE_DATABASE_URL="$1" CONVIVE_BIND="127.0.0.1:$PORT" CONVIVE_PUBLIC_URL="$BASE" CONVIVE_LOG=warn \
        CONVIVE_MAIL_DIR="$WORK/mail" CONVIVE_NO_SCHEDULER=true CONVIVE_NO_DISPATCHER=true \
        CONVIVE_RATE_LIMIT_PER_MINUTE=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$BASE/readyz" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

# Every page of the API's list, following `next`; prints how many guests.
read_api_pages() {
    python3 - "$BASE" "$KEY" "$EVENT" <<'PY'
import json, sys, urllib.request
base, key, event = sys.argv[1:]
after, count = None, 0
while True:
    url = f"{base}/api/v1/events/{event}/guests?limit=1000" + (f"&after={after}" if after else "")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    body = json.load(urllib.request.urlopen(request))
    count += len(body["guests"])
    after = body["next"]
    if after is None:
        break
print(count)
PY
}

# Signs in through the dashboard's link, keeping the cookie in $WORK/cookies.
sign_in() {
    local link csrf
    link="$(CONVIVE_DATABASE_URL="$1" CONVIVE_PUBLIC_URL="$BASE" CONVIVE_LOG=warn "$BIN" organiser login-link --email bench@example.org)"
    csrf="$(curl -sf "$link" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
    curl -sf -o /dev/null -c "$WORK/cookies" -H "Origin: $BASE" --data-urlencode "csrf=$csrf" "$link"
}

page_bytes() { curl -sf -b "$WORK/cookies" "$BASE$1" | wc -c; }

declare -A RESULT
for backend in $BACKENDS; do
    echo "== $backend" >&2
    if [ "$backend" = sqlite ]; then
        url="sqlite://$WORK/memory.db?mode=rwc"
    else
        psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_memory WITH (FORCE)' -c 'CREATE DATABASE convive_memory'
        url="$PG_URL/convive_memory"
    fi
    start_server "$url"
    started="$(rss)"
    KEY="$(CONVIVE_DATABASE_URL="$url" CONVIVE_LOG=warn "$BIN" organiser create --name Bench --email bench@example.org)"
    EVENT="$(curl -sf "$BASE/api/v1/events" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d '{"title":"Café des Victoires","venue_name":"Café","starts_at":"2099-12-03T08:30","ends_at":"2099-12-03T10:00",
             "time_zone":"Europe/Paris","companions_allowed":2,"language":"fr"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    python3 -c "import sys; n=int(sys.argv[1]); print('email;name'); [print(f'guest{i}@example.org;Guest {i}') for i in range(n)]" \
        "$GUESTS" > "$WORK/guests.csv"
    # Through the server, so that its memory sees the import too.
    "$BIN" guests import --event "$EVENT" --url "$BASE" --key "$KEY" "$WORK/guests.csv" > /dev/null
    imported="$(rss)"
    import_peak="$(peak)"
    # From here the peak is that of the reads alone (Linux resets VmHWM on "5").
    echo 5 > "/proc/$SERVER_PID/clear_refs"
    listed="$(read_api_pages)"
    [ "$listed" = "$GUESTS" ] || { echo "the API listed $listed of $GUESTS guests" >&2; exit 1; }
    csv_lines="$(curl -sf "$BASE/api/v1/events/$EVENT/guests.csv?language=fr" -H "Authorization: Bearer $KEY" | wc -l)"
    [ "$csv_lines" = "$((GUESTS + 1))" ] || { echo "the export has $csv_lines lines" >&2; exit 1; }
    sign_in "$url"
    first="$(page_bytes "/dashboard/events/$EVENT")"
    last="$(page_bytes "/dashboard/events/$EVENT?page=$(( (GUESTS + 99) / 100 ))")"
    found="$(page_bytes "/dashboard/events/$EVENT?q=guest4242%40")"
    door="$(page_bytes "/dashboard/events/$EVENT/check-in")"
    door_found="$(page_bytes "/dashboard/events/$EVENT/check-in?q=Guest%2042")"
    after_reads="$(rss)"
    highest="$(peak)"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    [ "$backend" = postgres ] && psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_memory WITH (FORCE)'
    RESULT[$backend]="| $backend | $started | $import_peak | $imported | $highest | $(python3 -c "print(f'{$highest / $imported:.2f}')") | $after_reads | $first / $last / $found | $door / $door_found |"
done

{
    echo "$GUESTS guests, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); memory in MB (VmRSS; peak is VmHWM)"
    echo
    echo "| backend | started | peak during import | after import | peak while reading all | ratio to after import | after reading | event page bytes (first / last / search) | door page bytes (all / search) |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for backend in $BACKENDS; do echo "${RESULT[$backend]}"; done
} | tee "$OUT/memory.md"
