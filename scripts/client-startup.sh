#!/usr/bin/env bash
# Start-to-exit time of one delivery, with hyperfine (Debian package): hamletc asking hamlet-serve, against
# bogofilter -p and hamlet filter on the same message, and an empty static C program as the floor, all in one
# run with their runs interleaved by hyperfine's order. hyperfine 1.15 cannot feed stdin without a shell, so
# each command runs through sh with `< MESSAGE` (hyperfine subtracts the shell's own start). Stores trained on
# the whole corpus (bogofilter -p exits 1 for ham, so failures are not errors here). Usage: scripts/client-startup.sh [RUNS=300] [MESSAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-300}
command -v hyperfine >/dev/null && command -v bogofilter >/dev/null || { echo "needs hyperfine and bogofilter" >&2; exit 1; }
source scripts/serve-setup.sh
MESSAGE=${2:-$(find "$CORPUS/easy_ham" -type f | sort | sed -n 1p)}
find "$CORPUS/spam" "$CORPUS/spam_2" -type f -print0 | xargs -0 bogofilter -d "$WORK/bogo" -s -B
find "$CORPUS/easy_ham" "$CORPUS/easy_ham_2" "$CORPUS/hard_ham" -type f -print0 | xargs -0 bogofilter -d "$WORK/bogo" -n -B
printf 'int main(void) { return 0; }\n' > "$WORK/empty.c"
gcc -O2 -static -o "$WORK/empty" "$WORK/empty.c"
hyperfine --warmup 20 --runs "$RUNS" --style basic --ignore-failure \
    "$WORK/empty < $MESSAGE > /dev/null" \
    "$BIN/hamletc --socket $WORK/s.sock < $MESSAGE > /dev/null" \
    "bogofilter -d $WORK/bogo -p < $MESSAGE > /dev/null" \
    "$BIN/hamlet filter --db $WORK/store.sqlite < $MESSAGE > /dev/null" 2>&1 | grep -E "Benchmark|Time|±" | sed "s#$WORK#WORK#g; s#$BIN#BIN#g"
"$BIN/hamletc" --socket "$WORK/none.sock" < "$MESSAGE" > /dev/null 2>&1
hyperfine --warmup 10 --runs "$RUNS" --style basic \
    "$BIN/hamletc --socket $WORK/none.sock < $MESSAGE > /dev/null 2>&1" 2>&1 | grep -E "Time" | sed "s/^/daemon stopped: /"
