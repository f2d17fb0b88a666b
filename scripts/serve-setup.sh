# Sourced by the daemon's benchmark scripts (serve-bench.sh, serve-load.sh, client-startup.sh): builds the release
# binaries, makes a scratch home ($WORK, removed on exit), trains a store on the whole SpamAssassin corpus and
# starts hamlet-serve on $WORK/s.sock (stopped on exit). Sets CORPUS, BIN, WORK and SERVER.
CORPUS=../shared/corpora/spamassassin
[ -d "$CORPUS" ] || { echo "needs $CORPUS" >&2; exit 1; }
swift build -c release 2>&1 | tail -n 1
BIN=$PWD/.build/release
WORK=$(mktemp -d)
SERVER=
trap 'if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME="$WORK/config" HOME="$WORK"
"$BIN/hamlet" train --db "$WORK/store.sqlite" --spam "$CORPUS/spam" "$CORPUS/spam_2" \
    --ham "$CORPUS/easy_ham" "$CORPUS/easy_ham_2" "$CORPUS/hard_ham" > /dev/null
"$BIN/hamlet-serve" --socket "$WORK/s.sock" --db "$WORK/store.sqlite" 2> /dev/null &
SERVER=$!
for _ in $(seq 100); do [ -S "$WORK/s.sock" ] && break; sleep 0.1; done
