#!/usr/bin/env bash
# Builds Hamlet (release) and runs its main job on the bundled sample corpus: train, classify, filter, evaluate.
# The store goes to a temporary folder, so your own store is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== Building Hamlet (release; a few minutes the first time)"
swift build -c release --static-swift-stdlib 2>&1 | grep -E --line-buffered '^\[[0-9]+/[0-9]+\] (Compiling|Linking)|Build complete|error' \
    | awk '/Compiling|Linking/ { if (++n % 10 == 1) print "   ", $0; next } { print }'
hamlet=.build/release/hamlet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/hamlet.sqlite"

# Train on two thirds of the corpus and keep the last third unseen, to show honest verdicts.
mkdir -p "$work/train/spam" "$work/train/ham" "$work/unseen"
grep -v '^#' corpus/index | awk '{ print NR % 3, $1, $2 }' | while read -r fold label path; do
    if [ "$fold" = 0 ]; then cp "corpus/$path" "$work/unseen/"; else cp "corpus/$path" "$work/train/$label/"; fi
done

echo
echo "== hamlet train (two thirds of corpus/)"
$hamlet train --db "$store" --spam "$work/train/spam" --ham "$work/train/ham"

echo
echo "== hamlet classify (the unseen third: verdict, p(spam), message)"
$hamlet classify --db "$store" "$work/unseen" | sed "s|$work/unseen/||"

echo
echo "== hamlet filter (one unseen message; the headers Hamlet adds)"
first_spam=$(ls "$work/unseen" | grep spam | head -n 1)
$hamlet filter --db "$store" < "$work/unseen/$first_spam" | grep -E '^(X-Spam|X-Hamlet)'

echo
echo "== hamlet stats"
$hamlet stats --db "$store" | sed "s|$work/||"

echo
echo "== hamlet evaluate --online corpus/index (score each message in turn, then learn it)"
$hamlet evaluate --online corpus/index

echo
if [ -d ../shared/corpora/spamassassin ]; then
    echo "== hamlet evaluate on the SpamAssassin standard split (../shared/corpora)"
    $hamlet evaluate --train ../shared/corpora/spamassassin-train.index --test ../shared/corpora/spamassassin-test.index
else
    echo "== (no ../shared/corpora/spamassassin beside the repository: the SpamAssassin evaluation is skipped)"
fi
