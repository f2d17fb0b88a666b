#!/usr/bin/env bash
# Load on hamlet-serve over its Unix socket from a native generator (hamlet-load, release build), on corpus
# messages, bounded in time: closed loop with 4 and with 8 connections, then an open loop at RATE requests a
# second, SECONDS each (defaults 60 and 1000). A store trained on the whole corpus. Results go to
# docs/BENCHMARKS.md. Usage: scripts/serve-load.sh [SECONDS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
RATE=${2:-1000}
source scripts/serve-setup.sh
find "$CORPUS/easy_ham" "$CORPUS/spam" "$CORPUS/hard_ham" -type f | sort > "$WORK/files"
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
"$BIN/hamlet-load" --socket "$WORK/s.sock" --files "$WORK/files" --connections 4 --seconds "$SECONDS_EACH" || true
"$BIN/hamlet-load" --socket "$WORK/s.sock" --files "$WORK/files" --connections 8 --seconds "$SECONDS_EACH" || true
"$BIN/hamlet-load" --socket "$WORK/s.sock" --files "$WORK/files" --connections 16 --seconds "$SECONDS_EACH" \
    --rate "$RATE" || true
