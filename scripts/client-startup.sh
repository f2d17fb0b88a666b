#!/usr/bin/env bash
# Start-to-exit time of one delivery, with hyperfine (Debian package) and no shell (-N): hamletc asking
# hamlet-serve against bogofilter -p on the same message, each reading it from a file (hamletc --input,
# bogofilter -I: hyperfine 1.15 cannot feed stdin without a shell), with an empty static C program as the floor in
# the same run; twice, in opposite orders, so that neither program always runs first. Then hamlet filter (which
# reads stdin) through sh, and hamletc with the daemon stopped. Stores trained on the whole corpus (bogofilter -p
# exits 1 for ham, so failures are not errors here). Usage: scripts/client-startup.sh [RUNS=300] [MESSAGE]
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
HAMLETC="$BIN/hamletc --socket $WORK/s.sock --input $MESSAGE"
BOGOFILTER="bogofilter -d $WORK/bogo -p -I $MESSAGE"
report() { grep -E "Benchmark|Time" | sed "s#$WORK#WORK#g; s#$BIN#BIN#g; s#$MESSAGE#MESSAGE#g"; }
# hyperfine prints tenths of a millisecond; its JSON has the times to the microsecond, and the ratio is the point.
exact() {
    python3 - "$1" <<'PY'
import json, statistics, sys
results = {r["command"].split()[0].rsplit("/", 1)[-1]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, r in results.items():
    print(f"  {name}: mean {r['mean'] * 1000:.3f} ms, median {r['median'] * 1000:.3f} ms")
h, b = results["hamletc"], results["bogofilter"]
print(f"  hamletc / bogofilter: mean {h['mean'] / b['mean']:.3f}, median {h['median'] / b['median']:.3f}")
PY
}
echo "round 1"
hyperfine -N --warmup 20 --runs "$RUNS" --style basic --ignore-failure --export-json "$WORK/round1.json" \
    "$WORK/empty" "$HAMLETC" "$BOGOFILTER" 2>&1 | report
exact "$WORK/round1.json"
echo "round 2"
hyperfine -N --warmup 20 --runs "$RUNS" --style basic --ignore-failure --export-json "$WORK/round2.json" \
    "$BOGOFILTER" "$HAMLETC" "$WORK/empty" 2>&1 | report
exact "$WORK/round2.json"
echo "hamlet filter, through sh (hyperfine subtracts the shell)"
hyperfine --warmup 20 --runs "$RUNS" --style basic \
    "$BIN/hamlet filter --db $WORK/store.sqlite < $MESSAGE > /dev/null" 2>&1 | report
"$BIN/hamletc" --socket "$WORK/none.sock" --input "$MESSAGE" > /dev/null 2>&1
hyperfine -N --warmup 10 --runs "$RUNS" --style basic \
    "$BIN/hamletc --socket $WORK/none.sock --input $MESSAGE" 2>&1 | grep -E "Time" | sed "s/^/daemon stopped: /"
