#!/usr/bin/env python3
"""A TRAIN-only check that a setting generalises when the mail changes (issue 4).

Cross-validation mixes every source and period; this trains on one part of the TRAIN list and scores the other:
the older folders (easy_ham, hard_ham, spam: 2002) against the newer ones (easy_ham_2, spam_2), both ways. TEST
messages are never read. Extra arguments go to `hamlet evaluate` (model options such as --weighting nb).

Usage: scripts/folder-shift.py [hamlet evaluate options...]
"""
import os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')
OLDER = ('easy_ham', 'hard_ham', 'spam')


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
            out = subprocess.run([HAMLET, 'evaluate', '--train', os.path.join(work, a + '.index'),
                                  '--test', os.path.join(work, b + '.index')] + sys.argv[1:],
                                 check=True, capture_output=True, text=True).stdout
            figures = dict(line.split(None, 1) for line in out.splitlines() if line.strip())
            print('train %s (%d), score %s (%d): 1-ROCA%% %s, sm%%@hm=0.1%% %s' % (
                a, len(older if a == 'older' else newer), b, len(newer if a == 'older' else older),
                figures['1-ROCA%'].split()[0], figures['sm%@hm=0.1%'].split()[0]))


if __name__ == '__main__':
    main()
