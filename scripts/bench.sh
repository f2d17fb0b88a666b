#!/usr/bin/env bash
# Side-by-side speed of Hamlet and bogofilter on the SpamAssassin corpus, release build, this machine.
# Writes nothing; prints a table to paste into docs/BENCHMARKS.md. Usage: scripts/bench.sh [RUNS=200]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
corpus=../shared/corpora/spamassassin
command -v bogofilter >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bogofilter >/dev/null; }
swift build -c release --static-swift-stdlib 2>&1 | tail -n 1
hamlet=$PWD/.build/release/hamlet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spam=$(ls -d $corpus/spam $corpus/spam_2)
ham=$(ls -d $corpus/easy_ham $corpus/easy_ham_2 $corpus/hard_ham)
all=$(find $corpus -type f | sort)
n=$(echo "$all" | wc -l)
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):.0f}')"; }

echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
echo "$($hamlet bench $corpus --passes 5 | sed 's/^/hamlet bench: /')"

# Training the whole corpus from raw files.
t0=$(now); taskset -c 0 $hamlet train --db "$work/h.sqlite" --jobs 1 --spam $spam --ham $ham >/dev/null; t1=$(now)
mkdir -p "$work/bogo"
t2=$(now)
find $corpus/spam $corpus/spam_2 -type f | sort | xargs taskset -c 0 bogofilter -d "$work/bogo" -s -B
find $corpus/easy_ham $corpus/easy_ham_2 $corpus/hard_ham -type f | sort | xargs taskset -c 0 bogofilter -d "$work/bogo" -n -B
t3=$(now)
echo "train $n messages, one core: hamlet $(rate $n $t0 $t1)/s, bogofilter $(rate $n $t2 $t3)/s"

# Bulk classification: one core, then Hamlet on every core.
t0=$(now); taskset -c 0 $hamlet classify --db "$work/h.sqlite" --jobs 1 --format tsv $corpus > "$work/h1.tsv"; t1=$(now)
t2=$(now); echo "$all" | xargs taskset -c 0 bogofilter -d "$work/bogo" -t -B > /dev/null || true; t3=$(now)
t4=$(now); $hamlet classify --db "$work/h.sqlite" --jobs "$(nproc)" --format tsv $corpus > "$work/h2.tsv"; t5=$(now)
cmp -s "$work/h1.tsv" "$work/h2.tsv" && same=identical || same=DIFFERENT
echo "classify $n messages: hamlet one core $(rate $n $t0 $t1)/s, bogofilter one core $(rate $n $t2 $t3)/s, hamlet --jobs $(nproc) $(rate $n $t4 $t5)/s (output $same)"

# One message through the delivery path, process start to exit, median of $runs.
message=$(echo "$all" | sed -n '100p')
python3 - "$hamlet" "$work" "$message" "$runs" <<'PY'
import subprocess, sys, time, statistics
hamlet, work, message, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = open(message, 'rb').read()
def median(cmd):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(cmd, input=data, stdout=subprocess.DEVNULL); times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)
h = median([hamlet, 'filter', '--db', work + '/h.sqlite'])
b = median(['bogofilter', '-d', work + '/bogo', '-p'])
print(f"filter one message, process start to exit, median of {runs}: hamlet {h:.1f} ms, bogofilter {b:.1f} ms")
PY
$hamlet db vacuum --db "$work/h.sqlite" >/dev/null
echo "store after vacuum: hamlet $(du -k "$work/h.sqlite" | cut -f1) KB, bogofilter wordlist $(du -k "$work/bogo/wordlist.db" | cut -f1) KB"
