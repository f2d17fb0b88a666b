#!/usr/bin/env bash
# Builds Hamlet's libFuzzer targets (Fuzz/, with AddressSanitizer, in .build-fuzz, outside the normal build) and
# runs one for a given time, seeded from corpus/. Crashes are written to Fuzz/crashes/TARGET/.
# Usage: scripts/fuzz.sh TARGET SECONDS   (TARGET: FuzzMailParser, FuzzHTMLText, FuzzFilterPath)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target}
seconds=${2:-60}
swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product "$target" 2>&1 | tail -n 1
work=.build-fuzz/work/$target
mkdir -p "$work/corpus" "Fuzz/crashes/$target"
if [ "$target" = FuzzHTMLText ]; then
    python3 - corpus "$work/corpus" <<'PY'
import email, os, sys
source, target = sys.argv[1], sys.argv[2]
for folder in ('ham', 'spam'):
    for name in sorted(os.listdir(os.path.join(source, folder))):
        message = email.message_from_bytes(open(os.path.join(source, folder, name), 'rb').read())
        for part in message.walk():
            if part.get_content_type() == 'text/html':
                open(os.path.join(target, folder + '-' + name + '.html'), 'wb').write(part.get_payload(decode=True) or b'')
PY
else
    cp corpus/ham/*.eml corpus/spam/*.eml "$work/corpus/"
fi
.build-fuzz/release/"$target" "$work/corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Fuzz/crashes/$target/" -print_final_stats=1 2>&1 | tail -n 12
