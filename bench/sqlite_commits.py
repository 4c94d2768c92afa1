"""One-row write transactions per second on SQLite, at a given concurrency.

The baseline for Convive's answer endpoint on SQLite: the same file settings
Convive uses (WAL, synchronous=NORMAL, a busy timeout, BEGIN IMMEDIATE), one
connection per worker thread. Prints the rate as a plain number.
"""

import sqlite3
import sys
import tempfile
import threading
import time

concurrency = int(sys.argv[1]) if len(sys.argv) > 1 else 32
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0

path = tempfile.mkdtemp() + "/commits.db"
setup = sqlite3.connect(path)
setup.execute("PRAGMA journal_mode=WAL")
setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
setup.commit()
setup.close()

counts = [0] * concurrency
stop = time.monotonic() + seconds


def worker(index: int) -> None:
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA synchronous=NORMAL")
    while time.monotonic() < stop:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES ('yes')")
        conn.execute("COMMIT")
        counts[index] += 1
    conn.close()


threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
started = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - started
print(f"{sum(counts) / elapsed:.0f}")
