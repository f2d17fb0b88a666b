#!/usr/bin/env bash
# The daemon against one process per message, release build, on the SpamAssassin corpus: a store trained on the
# whole corpus, then N messages (default 300) delivered one process each through `hamlet filter`, through
# `hamletc` asking `hamlet-serve`, and through Debian's spamc asking `hamlet-serve`; then the same N through
# hamletc from 4 processes at once (throughput). Prints microseconds a message (with `cat` through the same loop
# as the floor the shell's process starts set) and messages a second.
# Usage: scripts/serve-bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
source scripts/serve-setup.sh
find "$CORPUS/easy_ham" "$CORPUS/spam" -type f | sort > "$WORK/all"
head -n "$N" "$WORK/all" > "$WORK/list"
per_message() {  # label, command...
    local start end
    start=$(date +%s%N)
    while read -r m; do "${@:2}" < "$m" > /dev/null; done < "$WORK/list"
    end=$(date +%s%N)
    echo "$1: $(( (end - start) / N / 1000 )) us a message ($N one after another, wall time, process start included)"
}
per_message "cat (the loop's floor)" cat
per_message "hamlet filter        " "$BIN/hamlet" filter --db "$WORK/store.sqlite"
per_message "hamletc + hamlet-serve" "$BIN/hamletc" --socket "$WORK/s.sock"
if command -v spamc > /dev/null; then per_message "spamc + hamlet-serve  " spamc -U "$WORK/s.sock"; fi
start=$(date +%s%N)
xargs -P 4 -I{} sh -c "\"$BIN/hamletc\" --socket \"$WORK/s.sock\" < {} > /dev/null" < "$WORK/list"
end=$(date +%s%N)
echo "hamletc, 4 at once: $(( N * 1000000000 / (end - start) )) messages a second"
