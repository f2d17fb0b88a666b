#!/usr/bin/env bash
# The PostgreSQL store beside SQLite on the SpamAssassin corpus (6,046 messages), release build, with a private
# server in a temporary folder: PostgreSQL's durable defaults (fsync and synchronous_commit on), Unix socket only.
#  1. Four `hamlet train` processes at once, each a quarter of the corpus, into one PostgreSQL store: the examples
#     stored, every token's document counts against one process's train of the same mail into SQLite, `db check`,
#     and the scores after `retrain` against SQLite's retrain of the same examples.
#     Then `db copy` of the single-process store to the server and back: the time each way, and the exports.
#  2. Speed, ROUNDS times alternating the backends (median): training the corpus in one process, classifying it in
#     bulk, and hamlet-serve's closed-loop throughput (4 connections, LOAD_SECONDS).
#  3. Two hamlet-serve daemons on the store of step 1, both under that load at once, while five lessons (TELL) go
#     through the first: the seconds until the second scores each taught message differently.
# Results go to docs/BENCHMARKS.md. Usage: scripts/postgres-bench.sh [ROUNDS=3] [LOAD_SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
LOAD_SECONDS=${2:-20}
CORPUS=$PWD/../shared/corpora/spamassassin
[ -d "$CORPUS" ] || { echo "the SpamAssassin corpus is not at $CORPUS" >&2; exit 1; }
PG=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG" ] || { echo "PostgreSQL's server is not installed (Debian package postgresql)" >&2; exit 1; }
swift build -c release --static-swift-stdlib 2>&1 | tail -n 1
WORK=$(mktemp -d /tmp/hamlet-postgres-bench-XXXXXX)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# initdb and postgres refuse to run as root: then they run as the postgres user.
AS_POSTGRES=()
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$WORK"
    AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi
"${AS_POSTGRES[@]}" "$PG/initdb" -A trust -U hamlet -D "$WORK/data" > "$WORK/initdb.log"
"${AS_POSTGRES[@]}" "$PG/postgres" -D "$WORK/data" -k "$WORK" -c listen_addresses= > "$WORK/server.log" 2>&1 &
SERVER=$!
until grep -q "ready to accept connections" "$WORK/server.log"; do sleep 0.1; done
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d); PostgreSQL $("$PG/postgres" --version | awk '{print $3}')"
python3 scripts/postgres-bench.py "$PWD/.build/release" "$CORPUS" "postgresql://hamlet@/postgres?host=$WORK" \
    "$WORK" "$ROUNDS" "$LOAD_SECONDS"
