#!/usr/bin/env bash
# Invite-the-community of a large series: the time of one
# `POST /events/{id}/invite-community` adding MEMBERS members (one set-based
# INSERT … SELECT, plus their invitations queued in the same transaction),
# beside, in the same run, the same people added through the guest list's
# bulk endpoint (one insert per row, 1000 rows per request): the reference
# it is measured against. On SQLite and on PostgreSQL.
#
#   bash bench/community.sh            # both backends
#   BACKENDS=sqlite bash bench/community.sh
#
# Knobs: MEMBERS (5000), RUNS (3), PORT (18191).
set -euo pipefail
cd "$(dirname "$0")/.."

MEMBERS="${MEMBERS:-5000}"
RUNS="${RUNS:-3}"
PORT="${PORT:-18191}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${CONVIVE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="bench/results"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap '[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

cargo build --release --locked -q --bin convive
BIN="${CARGO_TARGET_DIR:-target}/release/convive"
BASE="http://127.0.0.1:$PORT"

start_server() {
    CONVIVE_DATABASE_URL="$1" CONVIVE_BIND="127.0.0.1:$PORT" CONVIVE_LOG=warn CONVIVE_MAIL_DIR="$WORK/mail" \
        CONVIVE_NO_SCHEDULER=true CONVIVE_NO_DISPATCHER=true CONVIVE_RATE_LIMIT_PER_MINUTE=0 \
        "$BIN" serve > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$BASE/readyz" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

api() { curl -sf "$BASE/api/v1$1" -H "Authorization: Bearer $KEY" "${@:2}"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

# A published date of the series; prints its id.
new_date() {
    local id
    id="$(api "/series/$SERIES/dates" -H 'Content-Type: application/json' -d '{}' | json_field id)"
    api "/events/$id/publish" -X POST >/dev/null
    echo "$id"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for backend in $BACKENDS; do
    echo "== $backend" >&2
    if [ "$backend" = sqlite ]; then
        url="sqlite://$WORK/bench.db?mode=rwc"
    else
        psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS convive_bench_series WITH (FORCE)' \
            -c 'CREATE DATABASE convive_bench_series'
        url="$PG_URL/convive_bench_series"
    fi
    start_server "$url"
    KEY="$(CONVIVE_DATABASE_URL="$url" CONVIVE_LOG=warn "$BIN" organiser create --name Bench --email bench@example.org)"
    FIRST="$(api /events -H 'Content-Type: application/json' \
        -d '{"title":"Café des Victoires","venue_name":"Café","starts_at":"2099-01-01T08:30","ends_at":"2099-01-01T10:00",
             "time_zone":"Europe/Paris","language":"fr"}' | json_field id)"
    SERIES="$(api /series -H 'Content-Type: application/json' -d "{\"name\":\"Bench\",\"first_date\":\"$FIRST\"}" | json_field id)"
    python3 -c "import sys; print('\n'.join(f'Member {i} <member{i}@example.org>' for i in range(int(sys.argv[1]))))" "$MEMBERS" \
        > "$WORK/members.txt"
    import_s="$(api "/series/$SERIES/members/import" -H 'Content-Type: text/plain' --data-binary @"$WORK/members.txt" \
        -o /dev/null -w '%{time_total}')"
    : > "$WORK/invite.txt"; : > "$WORK/bulk.txt"
    for _ in $(seq 1 "$RUNS"); do
        date_id="$(new_date)"
        api "/events/$date_id/invite-community" -X POST -o "$WORK/invited.json" -w '%{time_total}\n' >> "$WORK/invite.txt"
        added="$(json_field added < "$WORK/invited.json")"
        [ "$added" = "$MEMBERS" ] || { echo "invited $added, expected $MEMBERS" >&2; exit 1; }
        # The reference: the same people as a guest list, 1000 rows a request.
        date_id="$(new_date)"
        total=0
        for ((batch = 0; batch < MEMBERS; batch += 1000)); do
            python3 -c "import json,sys; s=int(sys.argv[1]); n=int(sys.argv[2]); print(json.dumps({'guests':[{'email':f'member{i}@example.org','name':f'Member {i}'} for i in range(s, min(s+1000, n))]}))" "$batch" "$MEMBERS" \
                > "$WORK/batch.json"
            t="$(api "/events/$date_id/guests/bulk" -H 'Content-Type: application/json' --data-binary @"$WORK/batch.json" \
                -o /dev/null -w '%{time_total}')"
            total="$(python3 -c "print($total + $t)")"
        done
        echo "$total" >> "$WORK/bulk.txt"
    done
    invite_s="$(median < "$WORK/invite.txt")"
    bulk_s="$(median < "$WORK/bulk.txt")"
    ratio="$(python3 -c "print(f'{$invite_s / $bulk_s:.2f}')")"
    line="$backend: import of $MEMBERS members ${import_s}s; invite-the-community of $MEMBERS (median of $RUNS) ${invite_s}s; same people by bulk guest lists ${bulk_s}s; ratio ${ratio}"
    echo "$line" | tee -a "$OUT/community.txt"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done
