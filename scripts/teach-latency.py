#!/usr/bin/env python3
"""How long teaching one message takes on a store of the whole corpus's size (release build): a store trained on
the SpamAssassin corpus less 1,000 messages (5,046), then those 1,000 taught one `hamlet train --spam|--ham -`
at a time, in a seeded random order, as the learn recipes do. Prints the median, 90th percentile and slowest wall
time, and how many of the trains refitted. Usage: scripts/teach-latency.py [--count 1000] [--no-build]
"""
import argparse, os, random, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')

parser = argparse.ArgumentParser()
parser.add_argument('--count', type=int, default=1000)
parser.add_argument('--no-build', action='store_true')
args = parser.parse_args()
if not args.no_build:
    subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
files = [(folder.startswith('spam'), os.path.join(CORPUS, folder, name))
         for folder in sorted(os.listdir(CORPUS)) for name in sorted(os.listdir(os.path.join(CORPUS, folder)))]
random.Random(1).shuffle(files)
later, first = files[:args.count], files[args.count:]
work = tempfile.mkdtemp(prefix='hamlet-teach-')
store = os.path.join(work, 'store.sqlite')
try:
    subprocess.run([HAMLET, 'train', '--db', store, '--spam'] + [p for s, p in first if s] + ['--ham'] + [p for s, p in first if not s],
                   check=True, stdout=subprocess.DEVNULL)
    times, refits = [], 0
    for is_spam, path in later:
        data = open(path, 'rb').read()
        start = time.monotonic()
        p = subprocess.run([HAMLET, 'train', '--db', store, '--spam' if is_spam else '--ham', '-'], input=data,
                           capture_output=True, check=True)
        times.append(time.monotonic() - start)
        refits += b'fitted model' in p.stdout
    times.sort()
    print('%d messages taught one at a time into a store of %d: median %.1f ms, 90th percentile %.1f ms, '
          'slowest %.0f ms; %d refits' % (len(times), len(first), 1000 * statistics.median(times),
                                          1000 * times[int(0.9 * len(times))], 1000 * times[-1], refits))
finally:
    shutil.rmtree(work, ignore_errors=True)
