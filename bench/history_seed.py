"""Adds a history to a Convive database, as years of monthly events leave
it: EVENTS past events copied from the one event the database holds, each
with GUESTS_PER_EVENT guests who answered, done plan slots, and
MAILS_PER_GUEST sent emails apiece (1,000 x 100 x 10 = 1,000,000 outbox
rows, 100,000 guests by default). Rows are copied from the template's own
rows, so every column keeps a value the application wrote.

    python3 bench/history_seed.py sqlite  /path/to/convive.db
    python3 bench/history_seed.py postgres postgres://postgres@127.0.0.1:5432/db
"""
import os
import subprocess
import sqlite3
import sys

EVENTS = int(os.environ.get("EVENTS", "1000"))
GUESTS_PER_EVENT = int(os.environ.get("GUESTS_PER_EVENT", "100"))
MAILS_PER_GUEST = int(os.environ.get("MAILS_PER_GUEST", "10"))

backend, target = sys.argv[1], sys.argv[2]
if backend == "sqlite":
    NEW_ID = "randomblob(16)"
    NEW_TOKEN = "lower(hex(randomblob(32)))"
    OLD = "'2025-01-15T07:30:00+00:00'"
    FALSE = "0"

    def series(n):
        return f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) SELECT n FROM s)"

    con = sqlite3.connect(target)

    def run(sql):
        con.execute(sql)
        con.commit()

    def columns(table):
        return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
else:
    NEW_ID = "gen_random_uuid()"
    NEW_TOKEN = "md5(random()::text) || md5(random()::text)"
    OLD = "TIMESTAMPTZ '2025-01-15 07:30:00+00'"
    FALSE = "false"

    def series(n):
        return f"(SELECT generate_series(1, {n}) AS n)"

    def psql(sql):
        return subprocess.run(["psql", target, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
                              check=True, capture_output=True, text=True).stdout

    def run(sql):
        psql(sql)

    def columns(table):
        return psql(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' "
                    "ORDER BY ordinal_position").split()


def copy(table, source, overrides, skip=("id",), keep_id=False):
    """INSERT INTO table SELECT every column of `src` (the template row),
    with `overrides` (column -> SQL expression), FROM `source`."""
    cols = [c for c in columns(table) if keep_id or c not in skip]
    exprs = [overrides.get(c, f"src.{c}") for c in cols]
    run(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source}")


# The one event the database held before (the copies all start at OLD).
TEMPLATE_EVENT = f"(SELECT id FROM events WHERE starts_at <> {OLD} ORDER BY id LIMIT 1)"
# Past events: copies of the template, over.
copy("events", f"events src CROSS JOIN {series(EVENTS)} c WHERE src.id = {TEMPLATE_EVENT}",
     {"id": NEW_ID, "starts_at": OLD, "ends_at": OLD, "status": "'published'"}, keep_id=True)
PAST = f"(SELECT id FROM events WHERE starts_at = {OLD})"
TEMPLATE_GUEST = f"(SELECT id FROM guests WHERE event_id = {TEMPLATE_EVENT} ORDER BY id LIMIT 1)"
copy("guests", f"guests src CROSS JOIN events e CROSS JOIN {series(GUESTS_PER_EVENT)} c "
     f"WHERE src.id = {TEMPLATE_GUEST} AND e.id IN {PAST}",
     {"id": NEW_ID, "event_id": "e.id", "token_hash": NEW_TOKEN, "email": "'past' || c.n || '@example.org'", "answer": "'yes'",
      "answered_at": OLD, "created_at": OLD, "updated_at": OLD, "checked_in_at": OLD}, keep_id=True)
TEMPLATE_SLOT = f"(SELECT id FROM plan_slots WHERE event_id = {TEMPLATE_EVENT} ORDER BY id LIMIT 1)"
copy("plan_slots", f"plan_slots src CROSS JOIN events e CROSS JOIN {series(5)} c "
     f"WHERE src.id = {TEMPLATE_SLOT} AND e.id IN {PAST}",
     {"event_id": "e.id", "key": "'past:' || c.n", "due_at": OLD, "done_at": OLD})
TEMPLATE_MAIL = "(SELECT MIN(id) FROM outbox)"
copy("outbox", f"outbox src CROSS JOIN guests g CROSS JOIN {series(MAILS_PER_GUEST)} c "
     f"WHERE src.id = {TEMPLATE_MAIL} AND g.event_id IN {PAST}",
     {"event_id": "g.event_id", "guest_id": "g.id", "subject_id": "g.id", "recipient": "g.email",
      "slot": "'past:' || c.n", "status": "'sent'", "attempts": "1", "lease_until": "NULL",
      "due_at": OLD, "sent_at": OLD, "created_at": OLD})
run("INSERT INTO answer_changes (id, event_id, guest_id, answer, companions, comment, waitlisted, channel, changed_at) "
    f"SELECT {NEW_ID}, g.event_id, g.id, 'yes', 0, '', {FALSE}, 'guest', {OLD} FROM guests g WHERE g.event_id IN {PAST}")
# What autovacuum would have done on a database this old. SQLite keeps no
# statistics (Convive never runs ANALYZE on it), so its plans stay as served.
if backend == "postgres":
    run("VACUUM ANALYZE")

if backend == "sqlite":
    counts = [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("events", "guests", "outbox")]
else:
    counts = [psql(f"SELECT COUNT(*) FROM {t}").strip() for t in ("events", "guests", "outbox")]
print("history: {} events, {} guests, {} outbox rows".format(*counts), file=sys.stderr)
