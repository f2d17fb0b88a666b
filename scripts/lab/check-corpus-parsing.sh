#!/usr/bin/env bash
# Checks that every message of the SpamAssassin corpus parses without a crash or an error and yields tokens,
# with a release build. Usage: scripts/lab/check-corpus-parsing.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-../shared/corpora/spamassassin}
swift build -c release 2>&1 | tail -n 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
.build/release/hamlet tokens --summary "$corpus" > "$out"
total=$(wc -l < "$out")
empty=$(awk -F'\t' '$2 == 0' "$out" | wc -l)
files=$(find "$corpus" -type f | wc -l)
echo "files: $files  parsed: $total  without tokens: $empty"
awk -F'\t' '$2 == 0 { print "no tokens: " $1 }' "$out"
[ "$total" -eq "$files" ] && [ "$empty" -eq 0 ]
