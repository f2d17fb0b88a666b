#!/usr/bin/env python3
"""Every message of the SpamAssassin corpus through `hamlet filter` (release build), one process each, checked
against the filter contract: the output is the input minus earlier X-Spam-*/X-Hamlet-* fields plus Hamlet's four
fields at the end of the header block, in the message's own line ending. Usage: scripts/filter-contract.py [CORPUS]
"""
import os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract import violation  # noqa: E402
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')
subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
work = tempfile.mkdtemp(prefix='hamlet-contract-')
store = os.path.join(work, 'store.sqlite')
subprocess.run([HAMLET, 'train', '--db', store, '--spam', os.path.join(ROOT, 'corpus', 'spam'), '--ham',
                os.path.join(ROOT, 'corpus', 'ham')], check=True, stdout=subprocess.DEVNULL)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
broken = 0
for path in files:
    data = open(path, 'rb').read()
    p = subprocess.run([HAMLET, 'filter', '--db', store], input=data, capture_output=True)
    why = violation(data, p.stdout) if p.returncode == 0 and not p.stderr else 'exit %d, stderr %r' % (p.returncode, p.stderr[:200])
    ok = why is None
    if not ok:
        broken += 1
        print('contract broken:', os.path.relpath(path, corpus), why)
print('%d messages through hamlet filter, %d broke the contract' % (len(files), broken))
sys.exit(1 if broken else 0)
