#!/usr/bin/env bash
# Builds an mboxrd of the SpamAssassin corpus repeated 10 times (about 330 MB) and reads it message by message
# with a release build, reporting peak resident memory: `hamlet tokens --summary` (parse and tokenize each message)
# and `hamlet classify` (bulk, batches of 256 on every core). Usage: scripts/check-mbox-memory.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-10}
corpus=../shared/corpora/spamassassin
swift build -c release --static-swift-stdlib 2>&1 | tail -n 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$corpus" "$work/big.mbox" "$repeats" <<'PY'
import os, re, sys
corpus, target, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
quote = re.compile(rb'^(>*From )', re.M)
with open(target, 'wb') as out:
    for _ in range(repeats):
        for path in files:
            data = open(path, 'rb').read()
            if data.startswith(b'From '):
                data = data.split(b'\n', 1)[1] if b'\n' in data else b''
            out.write(b'From hamlet@example.org Thu Nov 26 12:00:00 2026\n')
            out.write(quote.sub(rb'>\1', data).rstrip(b'\n') + b'\n\n')
PY
size=$(du -m "$work/big.mbox" | cut -f1)
./.build/release/hamlet train --db "$work/s.sqlite" --spam $corpus/spam --ham $corpus/easy_ham >/dev/null
/usr/bin/time -f "%M" -o "$work/t1" ./.build/release/hamlet tokens --summary "$work/big.mbox" > "$work/tokens.tsv"
/usr/bin/time -f "%M" -o "$work/t2" ./.build/release/hamlet classify --db "$work/s.sqlite" --format tsv "$work/big.mbox" > "$work/classify.tsv"
echo "mbox: $size MB, $(wc -l < "$work/tokens.tsv") messages read by tokens, $(wc -l < "$work/classify.tsv") by classify"
echo "peak resident memory: tokens --summary $(( $(cat "$work/t1") / 1024 )) MB, classify $(( $(cat "$work/t2") / 1024 )) MB"
