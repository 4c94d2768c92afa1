#!/usr/bin/env bash
# Medians of several rounds (ROUNDS, 3) of bench/run.sh and bench/mail.sh on
# both backends, run in turn (run.sh, mail on SQLite, mail on PostgreSQL) so
# that a slow minute of the machine weighs on one round of each rather than
# on all of one: the figures issue 16 asks to report. Each ratio's median
# is printed with the rounds' values beside it, and the whole is written to
# bench/results/medians.md; each round's tables stay in
# bench/results/round-N/.
#
#   bash bench/medians.sh
#   ROUNDS=5 DURATION=8s bash bench/medians.sh
#
# Knobs: ROUNDS (3), and those of bench/run.sh and bench/mail.sh, which
# pass through (DURATION, GUESTS for run.sh, MAIL_GUESTS for mail.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
OUT="bench/results"
mkdir -p "$OUT"

for ((round = 1; round <= ROUNDS; round++)); do
    echo "== round $round of $ROUNDS" >&2
    mkdir -p "$OUT/round-$round"
    bash bench/run.sh >/dev/null
    cp "$OUT/summary.md" "$OUT/round-$round/summary.md"
    GUESTS="${MAIL_GUESTS:-10000}" bash bench/mail.sh >/dev/null
    cp "$OUT/mail-sqlite.md" "$OUT/round-$round/mail-sqlite.md"
    GUESTS="${MAIL_GUESTS:-10000}" BACKEND=postgres bash bench/mail.sh >/dev/null
    cp "$OUT/mail-postgres.md" "$OUT/round-$round/mail-postgres.md"
done

python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/medians.md"
import re
import statistics
import sys

out, rounds = sys.argv[1], int(sys.argv[2])
# (backend, path) -> the ratio of each round, and its requests per second.
ratios, rates = {}, {}
for n in range(1, rounds + 1):
    for line in open(f"{out}/round-{n}/summary.md"):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 7 or cells[0] not in ("sqlite", "postgres"):
            continue
        backend, path, rps, _p99, _cpu, vs_health, vs_ceiling = cells
        # /healthz against the bare handler, answers against commits, the rest against /healthz.
        ratio = float(vs_ceiling.split()[0]) if vs_ceiling else float(vs_health)
        ratios.setdefault((backend, path), []).append(ratio)
        rates.setdefault((backend, path), []).append(float(rps.replace(",", "")))
    for backend in ("sqlite", "postgres"):
        text = open(f"{out}/round-{n}/mail-{backend}.md").read()
        ratio = float(re.search(r"\(ratio ([0-9.]+)\)", text).group(1))
        rate = float(re.search(r"Convive ([0-9,]+) msg/s", text).group(1).replace(",", ""))
        ratios.setdefault((backend, "invitations sent"), []).append(ratio)
        rates.setdefault((backend, "invitations sent"), []).append(rate)

against = {"/healthz": "bare axum", "PUT answer": "one-row commits", "invitations sent": "smtp-source"}
print(f"Medians of {rounds} rounds (bench/run.sh, bench/mail.sh on SQLite and PostgreSQL, in turn)")
print()
print("| path | against | SQLite: median (rounds) | PostgreSQL: median (rounds) |")
print("| --- | --- | --- | --- |")
paths = list(dict.fromkeys(path for _, path in ratios))
for path in paths:
    row = [path, against.get(path, "/healthz")]
    for backend in ("sqlite", "postgres"):
        values = ratios.get((backend, path), [])
        per_second = statistics.median(rates[(backend, path)]) if values else 0
        row.append(
            f"**{statistics.median(values):.2f}** ({', '.join(f'{v:.2f}' for v in values)}), {per_second:,.0f}/s"
            if values else ""
        )
    print("| " + " | ".join(row) + " |")
PY
