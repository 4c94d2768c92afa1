#!/usr/bin/env bash
# The test command: the whole suite on SQLite, the API against its OpenAPI
# document (tests/api_contract.sh), then the suite again on PostgreSQL.
# Needs a PostgreSQL server on 127.0.0.1:5432 (user postgres, trust auth, or
# set CONVIVE_TEST_POSTGRES_URL); starts the local cluster if it is down, and
# installs the Python and Node test tools (tests/tools/) if missing; needs
# Chromium (Debian's chromium package) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${CONVIVE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
export CONVIVE_TEST_POSTGRES_URL="$PG_URL"

ensure_postgres() {
    if pg_isready -d "$PG_URL/postgres" -q 2>/dev/null; then return; fi
    echo "PostgreSQL is not answering at $PG_URL; starting the local cluster" >&2
    if command -v pg_ctlcluster >/dev/null; then
        local version
        version="$(ls /etc/postgresql | sort -V | tail -1)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    for _ in $(seq 1 30); do
        pg_isready -d "$PG_URL/postgres" -q 2>/dev/null && return
        sleep 1
    done
    echo "PostgreSQL is still not reachable at $PG_URL" >&2
    exit 1
}

# Each PostgreSQL test creates its own database; drop what earlier runs left.
drop_test_databases() {
    psql "$PG_URL/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'convive\_test\_%'" |
        while read -r name; do psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"; done
}

# The mail tests run a real SMTP server (aiosmtpd) and parse calendar text
# with three independent parsers (Python icalendar and vobject, and ical.js
# under Node); the browser tests drive Chromium with playwright-core; the
# contract test runs Schemathesis.
ensure_test_tools() {
    if ! python3 -c "import aiosmtpd, icalendar, vobject, schemathesis, dkim, dnslib" 2>/dev/null || ! command -v st >/dev/null; then
        echo "installing the Python test tools (aiosmtpd, icalendar, vobject, schemathesis)" >&2
        python3 -m pip install --quiet -r tests/tools/requirements.txt
    fi
    if [ ! -d tests/tools/node_modules/ical.js ] || [ ! -d tests/tools/node_modules/playwright-core ] || [ ! -d tests/tools/node_modules/axe-core ]; then
        echo "installing the Node test tools (ical.js, playwright-core)" >&2
        npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
    fi
    if ! command -v "${CHROMIUM:-chromium}" >/dev/null; then
        echo "Chromium is missing: install Debian's chromium package (see .ci/run)" >&2
        exit 1
    fi
    if ! command -v dovecot >/dev/null; then
        echo "Dovecot is missing: install Debian's dovecot-imapd package (see .ci/run)" >&2
        exit 1
    fi
}

ensure_postgres
ensure_test_tools
drop_test_databases

echo "== tests on SQLite" >&2
cargo test --workspace --locked

# The binary the suite just built, against its document (about a minute).
echo "== the API against its OpenAPI document" >&2
bash tests/api_contract.sh "${CARGO_TARGET_DIR:-target}/debug/convive"

echo "== tests on PostgreSQL" >&2
CONVIVE_TEST_BACKEND=postgres cargo test --locked --test api

drop_test_databases
