#!/usr/bin/env bash
# Load on hamlet-serve over its Unix socket from a native generator (hamlet-load, release build), on corpus
# messages, bounded in time: closed loop with 4 and with 8 connections, then an open loop at RATE requests a
# second, SECONDS each (defaults 60 and 1000), and the open loop again with 100 idle connections held open. Then
# the same closed loops on SpamAssassin's spamd (Bayes only) and rspamd (Bayes on a private Redis), each trained
# on the same mail as Hamlet's store, from the configurations in scripts/peers/ (spamd and rspamd from Debian's
# packages; skipped with a note when not installed). Results go to docs/BENCHMARKS.md.
# Usage: scripts/serve-load.sh [SECONDS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
RATE=${2:-1000}
source scripts/serve-setup.sh
TRAIN_SPAM=("$CORPUS/spam" "$CORPUS/spam_2")
TRAIN_HAM=("$CORPUS/easy_ham" "$CORPUS/easy_ham_2" "$CORPUS/hard_ham")
find "$CORPUS/easy_ham" "$CORPUS/spam" "$CORPUS/hard_ham" -type f | sort > "$WORK/files"
load() { "$BIN/hamlet-load" --files "$WORK/files" --seconds "$SECONDS_EACH" "$@" || true; }
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
echo "hamlet-serve:"
load --socket "$WORK/s.sock" --connections 4
load --socket "$WORK/s.sock" --connections 8
load --socket "$WORK/s.sock" --connections 16 --rate "$RATE"
python3 - "$WORK/s.sock" 100 "$((SECONDS_EACH + 10))" <<'PY' &
# Holds N connections open that send nothing; one the daemon closes at its client timeout is opened again, so N
# stay open throughout.
import select, socket, sys, time
path, count, until = sys.argv[1], int(sys.argv[2]), time.time() + float(sys.argv[3])
def opened():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s
held = [opened() for _ in range(count)]
while time.time() < until:
    readable, _, _ = select.select(held, [], [], 0.5)
    for s in readable:
        s.close()
        held[held.index(s)] = opened()
PY
IDLE=$!
sleep 1
echo "with 100 idle connections open:"
load --socket "$WORK/s.sock" --connections 16 --rate "$RATE"
kill "$IDLE" 2>/dev/null || true

PEERS=()
trap 'for p in "${PEERS[@]}"; do kill "$p" 2>/dev/null || true; done; if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
chmod 755 "$WORK"

if command -v spamd >/dev/null && command -v sa-learn >/dev/null; then
    echo "SpamAssassin spamd $(spamd --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | sed -n 1p), Bayes only" \
        "(scripts/peers/spamassassin; --local, 4 children at most):"
    mkdir -p "$WORK/sa/rules" "$WORK/sa/site" "$WORK/sa/bayes"
    chmod 777 "$WORK/sa/bayes"
    cp scripts/peers/spamassassin/bayes-only.pre "$WORK/sa/rules/"
    sed "s#@BAYES@#$WORK/sa/bayes/bayes#" scripts/peers/spamassassin/bayes-only.cf > "$WORK/sa/rules/bayes-only.cf"
    learn() { sa-learn -C "$WORK/sa/rules" --siteconfigpath "$WORK/sa/site" "$@" 2>/dev/null; }
    learn --no-sync --spam "${TRAIN_SPAM[@]}" > /dev/null
    learn --no-sync --ham "${TRAIN_HAM[@]}" > /dev/null
    learn --sync > /dev/null
    chmod 666 "$WORK"/sa/bayes/*
    spamd -C "$WORK/sa/rules" --siteconfigpath "$WORK/sa/site" --local --nouser-config -u nobody \
        --socketpath "$WORK/sa/spamd.sock" --socketmode 0666 --max-children 4 --pidfile "$WORK/sa/spamd.pid" \
        --syslog "$WORK/sa/spamd.log" 2> /dev/null &
    PEERS+=($!)
    for _ in $(seq 300); do [ -S "$WORK/sa/spamd.sock" ] && break; sleep 0.1; done
    load --socket "$WORK/sa/spamd.sock" --connections 4
    load --socket "$WORK/sa/spamd.sock" --connections 8
    kill "$(cat "$WORK/sa/spamd.pid")" 2>/dev/null || true
else
    echo "spamd: not installed (Debian packages spamd, spamassassin)"
fi

if command -v rspamd >/dev/null && command -v rspamc >/dev/null && command -v redis-server >/dev/null; then
    echo "rspamd $(rspamd --version | sed -n 's/.*version \([0-9.]*\).*/\1/p'), Bayes on Redis" \
        "(scripts/peers/rspamd; 2 workers):"
    mkdir -p "$WORK/rs/no-modules"
    chmod 777 "$WORK/rs"
    redis-server --port 0 --unixsocket "$WORK/rs/redis.sock" --unixsocketperm 777 --save "" --appendonly no \
        > /dev/null 2>&1 &
    PEERS+=($!)
    CONTROLLER=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    sed "s#@WORK@#$WORK/rs#g; s#@CONTROLLER@#$CONTROLLER#g" scripts/peers/rspamd/rspamd.conf > "$WORK/rs/rspamd.conf"
    rspamd -f -c "$WORK/rs/rspamd.conf" -u nobody -g nogroup > /dev/null 2>&1 &
    PEERS+=($!)
    for _ in $(seq 300); do [ -S "$WORK/rs/rspamd.sock" ] && break; sleep 0.1; done
    sleep 1
    rspamc -h "127.0.0.1:$CONTROLLER" -n 4 learn_spam "${TRAIN_SPAM[@]}" > /dev/null
    rspamc -h "127.0.0.1:$CONTROLLER" -n 4 learn_ham "${TRAIN_HAM[@]}" > /dev/null
    load --socket "$WORK/rs/rspamd.sock" --connections 4 --protocol rspamd
    load --socket "$WORK/rs/rspamd.sock" --connections 8 --protocol rspamd
else
    echo "rspamd: not installed (Debian packages rspamd, redis-server)"
fi
