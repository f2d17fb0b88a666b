#!/usr/bin/env bash
# Builds Hamlet's libFuzzer targets (Fuzz/, with AddressSanitizer, in .build-fuzz, outside the normal build) and
# runs one for a given time, seeded from corpus/. Crashes are written to Fuzz/crashes/TARGET/.
# Usage: scripts/fuzz.sh TARGET SECONDS
#   TARGET: FuzzMailParser, FuzzHTMLText, FuzzFilterPath, FuzzSpamdRequest, FuzzRspamdRequest
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
elif [ "$target" = FuzzSpamdRequest ] || [ "$target" = FuzzRspamdRequest ]; then
    # Requests as the daemon's clients send them, around the corpus's messages.
    python3 - "$target" corpus "$work/corpus" <<'PY'
import os, sys, zlib
target, source, out = sys.argv[1:4]
verbs = ['CHECK', 'SYMBOLS', 'REPORT', 'REPORT_IFSPAM', 'PROCESS', 'HEADERS', 'TELL']
paths = ['/checkv2', '/learnspam', '/learnham', '/ping', '/metrics', '/healthz']
n = 0
for folder in ('ham', 'spam'):
    for name in sorted(os.listdir(os.path.join(source, folder))):
        body = open(os.path.join(source, folder, name), 'rb').read()
        if target == 'FuzzSpamdRequest':
            verb = verbs[n % len(verbs)]
            head = '%s SPAMC/1.%d\r\n' % (verb, 2 + n % 4)
            if n % 3 == 0:
                body = zlib.compress(body)
                head += 'Compress: zlib\r\n'
            if verb == 'TELL':
                head += 'Message-class: spam\r\nSet: local\r\n'
            if n % 5 != 4:
                head += 'Content-length: %d\r\n' % len(body)
            head += 'User: user%d\r\n\r\n' % n
        else:
            path = paths[n % len(paths)]
            head = ('POST %s HTTP/1.1\r\nHost: localhost\r\nFrom: a@example.org\r\nRcpt: b@example.org\r\n'
                    'Ip: 192.0.2.1\r\nUser: user%d\r\nContent-Length: %d\r\n\r\n') % (path, n, len(body))
        open(os.path.join(out, '%04d' % n), 'wb').write(head.encode() + body)
        n += 1
for extra in (b'PING SPAMC/1.5\r\n\r\n', b'SKIP SPAMC/1.5\r\n\r\n', b'GET /ping HTTP/1.0\r\n\r\n',
              b'POST /checkv2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nFrom:\r\n0\r\n\r\n'):
    open(os.path.join(out, 'extra%d' % n), 'wb').write(extra)
    n += 1
PY
else
    cp corpus/ham/*.eml corpus/spam/*.eml "$work/corpus/"
fi
.build-fuzz/release/"$target" "$work/corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Fuzz/crashes/$target/" -print_final_stats=1 2>&1 | tail -n 12
