#!/usr/bin/env python3
"""A TRAIN-only check that a setting generalises when the mail changes.

Cross-validation mixes every source and period; this trains on one part of the TRAIN list and scores the other:
the older folders (easy_ham, hard_ham, spam: 2002) against the newer ones (easy_ham_2, spam_2), both ways, each
the mean over shuffling seeds 1-3. TEST messages are never read. Extra arguments go to `hamlet evaluate` (model
options such as --weighting nb).

Usage: scripts/lab/folder-shift.py [hamlet evaluate options...]
"""
import os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')
OLDER = ('easy_ham', 'hard_ham', 'spam')
# One split, so the shuffling seed moves its figures more than cross-validation's: the mean over three seeds.
SEEDS = (1, 2, 3)


def main():
    train = os.path.join(CORPORA, 'spamassassin-train.index')
    if not os.path.exists(train):
        sys.exit('needs ../shared/corpora/spamassassin-train.index')
    older, newer = [], []
    for line in open(train):
        folder = line.split(None, 1)[1].strip().split('/')[1]
        (older if folder in OLDER else newer).append(line)
    with tempfile.TemporaryDirectory() as work:
        # Index paths are relative to the index file's folder: give the temporary one the corpus too.
        os.symlink(os.path.join(os.path.abspath(CORPORA), 'spamassassin'), os.path.join(work, 'spamassassin'))
        for name, lines in (('older', older), ('newer', newer)):
            with open(os.path.join(work, name + '.index'), 'w') as f:
                f.writelines(lines)
        for a, b in (('older', 'newer'), ('newer', 'older')):
            roca, missed = [], []
            for seed in SEEDS:
                out = subprocess.run([HAMLET, 'evaluate', '--train', os.path.join(work, a + '.index'),
                                      '--test', os.path.join(work, b + '.index'), '--seed', str(seed)] + sys.argv[1:],
                                     check=True, capture_output=True, text=True).stdout
                figures = dict(line.split(None, 1) for line in out.splitlines() if line.strip())
                roca.append(float(figures['1-ROCA%'].split()[0]))
                missed.append(float(figures['sm%@hm=0.1%'].split()[0]))
            print('train %s (%d), score %s (%d): 1-ROCA%% %.4f, sm%%@hm=0.1%% %.4f (means over seeds %s)' % (
                a, len(older if a == 'older' else newer), b, len(newer if a == 'older' else older),
                statistics.mean(roca), statistics.mean(missed), ', '.join(map(str, SEEDS))))

if __name__ == '__main__':
    main()
