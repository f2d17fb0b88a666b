#!/usr/bin/env python3
"""Checks how well every message of the SpamAssassin corpus is decoded, with a release build.

Runs `hamlet inspect --report` over the corpus and, per message, checks the decoded text the tokenizer sees:
no line of 60+ base64 characters (signature parts and PGP armour excepted), no =3D/=20 runs, at most 1% U+FFFD,
none of the classic mojibake pairs, and parts declared in a CJK or Cyrillic charset with 8-bit bytes decoding to
that script. Prints every exception with the check it failed, and per folder how many messages declare a
charset other than UTF-8/US-ASCII. Usage: scripts/lab/check-corpus-decoding.py [CORPUS_DIR]
"""
import collections, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')
subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
out = subprocess.run([os.path.join(ROOT, '.build', 'release', 'hamlet'), 'inspect', '--report', corpus],
                     check=True, capture_output=True).stdout.decode()
folders = collections.Counter()
non_utf8 = collections.Counter()
exceptions = []
for line in out.splitlines():
    path, non, fffd, b64, qp, moji, script = line.split('\t')
    folder = os.path.basename(os.path.dirname(path))
    folders[folder] += 1
    non_utf8[folder] += int(non)
    reasons = []
    if float(fffd) > 1: reasons.append('%s%% U+FFFD' % fffd)
    if int(b64): reasons.append('%s base64 lines' % b64)
    if int(qp): reasons.append('%s =3D/=20 runs' % qp)
    if int(moji): reasons.append('%s mojibake pairs' % moji)
    if int(script): reasons.append('%s CJK/Cyrillic parts without their script' % script)
    if reasons:
        exceptions.append((os.path.relpath(path, corpus), ', '.join(reasons)))
print('messages: %d, exceptions: %d' % (sum(folders.values()), len(exceptions)))
for folder in sorted(folders):
    print('  %-12s %5d messages, %4d declare a charset other than UTF-8/US-ASCII' % (folder, folders[folder], non_utf8[folder]))
for path, reasons in exceptions:
    print('exception: %s: %s' % (path, reasons))
