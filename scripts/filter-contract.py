#!/usr/bin/env python3
"""Every message of the SpamAssassin corpus through `hamlet filter` (release build), one process each, in each
line-ending variant of scripts/line-endings.py, checked against the filter contract of scripts/contract.py (the
README's "Unchanged": nothing altered but one line ending after an unterminated last header line, Hamlet's fields
at the end of the header block and on lines of their own for an LF reader). Runs two filters at a time.
Usage: scripts/filter-contract.py [--every N] [--variants a,b,...] [CORPUS]
"""
import argparse, importlib.util, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract import violation  # noqa: E402
spec = importlib.util.spec_from_file_location('line_endings', os.path.join(ROOT, 'scripts', 'line-endings.py'))
line_endings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(line_endings)

parser = argparse.ArgumentParser()
parser.add_argument('--every', type=int, default=1, help='every N-th message only')
parser.add_argument('--variants', default=','.join(line_endings.VARIANTS))
parser.add_argument('corpus', nargs='?', default=os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin'))
args = parser.parse_args()
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
work = tempfile.mkdtemp(prefix='hamlet-contract-')
store = os.path.join(work, 'store.sqlite')
subprocess.run([HAMLET, 'train', '--db', store, '--spam', os.path.join(ROOT, 'corpus', 'spam'), '--ham',
                os.path.join(ROOT, 'corpus', 'ham')], check=True, stdout=subprocess.DEVNULL)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.corpus) for f in fs)[::args.every]


def check(job):
    path, name = job
    data = line_endings.VARIANTS[name](open(path, 'rb').read(), path)
    p = subprocess.run([HAMLET, 'filter', '--db', store], input=data, capture_output=True)
    if p.returncode != 0 or p.stderr:
        return path, name, 'exit %d, stderr %r' % (p.returncode, p.stderr[:200]), False
    return path, name, violation(data, p.stdout), p.stdout.find(b'X-Spam-Flag: YES') >= 0


variants = args.variants.split(',')
broken = {v: 0 for v in variants}
spam_flags = {v: 0 for v in variants}
with ThreadPoolExecutor(2) as pool:
    for path, name, why, flagged in pool.map(check, [(f, v) for v in variants for f in files]):
        spam_flags[name] += flagged
        if why:
            broken[name] += 1
            print('contract broken (%s): %s: %s' % (name, os.path.relpath(path, args.corpus), why))
for v in variants:
    print('%-22s %d messages, %d broke the contract, %d flagged spam (every flag on a line of its own)'
          % (v, len(files), broken[v], spam_flags[v]))
total = sum(broken.values())
print('%d filter runs, %d broke the contract' % (len(files) * len(variants), total))
sys.exit(1 if total else 0)
