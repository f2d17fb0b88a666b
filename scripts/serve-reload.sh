#!/usr/bin/env bash
# Hot reload under load: hamlet-load keeps a closed loop of 4 connections on hamlet-serve for SECONDS (default 40)
# while `hamlet retrain` refits the store in another process; as soon as the retrain exits, a client asks the
# daemon again and again (hamletc) until its X-Hamlet-Verdict names the new model. Prints how long after the
# retrain's commit the new model was served, and the load's summary (its errors are the requests that failed
# during the reload). Usage: scripts/serve-reload.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-40}
source scripts/serve-setup.sh
find "$CORPUS/easy_ham" "$CORPUS/spam" "$CORPUS/hard_ham" -type f | sort > "$WORK/files"
MESSAGE=$(sed -n 1p "$WORK/files")
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
"$BIN/hamlet-load" --socket "$WORK/s.sock" --files "$WORK/files" --connections 4 --seconds "$SECONDS_EACH" \
    > "$WORK/load.txt" || true &
LOAD=$!
sleep $((SECONDS_EACH / 4))
python3 - "$BIN" "$WORK" "$MESSAGE" <<'PY'
import re, subprocess, sys, time
bin, work, message = sys.argv[1:4]
def served():
    out = subprocess.run([bin + '/hamletc', '--socket', work + '/s.sock', '--input', message],
                         capture_output=True).stdout.decode('utf-8', 'replace')
    found = re.search(r'X-Hamlet-Verdict: [^\n]*model=(\d+)', out)
    return int(found.group(1)) if found else None
before = served()
started = time.monotonic()
subprocess.run([bin + '/hamlet', 'retrain', '--db', work + '/store.sqlite'], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
committed = time.monotonic()
asks = 0
while True:
    now = served()
    asks += 1
    if now is not None and now != before:
        break
    if time.monotonic() - committed > 30:
        sys.exit('the daemon still serves model %s 30 s after the retrain' % before)
print('retrain took %.1f s; model %s -> %s served %.0f ms after the retrain exited (%d asks)'
      % (committed - started, before, now, (time.monotonic() - committed) * 1000, asks))
PY
wait "$LOAD" || true
echo "load during the reload: $(cat "$WORK/load.txt")"
