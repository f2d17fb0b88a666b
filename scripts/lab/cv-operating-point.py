#!/usr/bin/env python3
"""Where the project's TEST targets are decided, measured on TRAIN only: 5-fold cross-validation of
spamassassin-train.index, one run per seed, and for each run the 1-ROCA% and the share of spam scored at or below
the highest-scoring ham once 0.2% of ham is allowed above the line (the target's limit for ham called spam), so the
spam a threshold there must miss. Prints each seed and the means. TEST messages are never read.

Usage: scripts/lab/cv-operating-point.py [--seeds 5] [hamlet evaluate options...]
"""
import os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from roc import one_minus_roca  # noqa: E402
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
TRAIN = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin-train.index')
HAM_CALLED_SPAM = 0.002


def scores(seed, extra, work):
    path = os.path.join(work, 'cv%d.tsv' % seed)
    subprocess.run([HAMLET, 'evaluate', '--train', TRAIN, '--folds', '5', '--seed', str(seed), '--scores', path] + extra,
                   check=True, stdout=subprocess.DEVNULL)
    rows = [line.rstrip('\n').split('\t') for line in open(path) if line.strip() and not line.startswith('#')]
    return [(gold == 'spam', float(logit)) for _, gold, logit, _ in rows]


def spam_missed(pairs):
    ham = sorted((score for is_spam, score in pairs if not is_spam), reverse=True)
    line = ham[int(HAM_CALLED_SPAM * len(ham))]  # the first ham that must stay below a threshold
    spam = [score for is_spam, score in pairs if is_spam]
    return 100 * sum(1 for score in spam if score <= line) / len(spam)


def main():
    args = sys.argv[1:]
    seeds = 5
    if args[:1] == ['--seeds']:
        seeds, args = int(args[1]), args[2:]
    if not os.path.exists(TRAIN):
        sys.exit('needs ../shared/corpora/spamassassin-train.index')
    roca, missed = [], []
    with tempfile.TemporaryDirectory() as work:
        for seed in range(1, seeds + 1):
            pairs = scores(seed, args, work)
            roca.append(one_minus_roca(pairs))
            missed.append(spam_missed(pairs))
            print('seed %d: 1-ROCA%% %.4f, spam missed at 0.2%% ham called spam %.2f%%' % (seed, roca[-1], missed[-1]))
    print('mean: 1-ROCA%% %.4f, spam missed at 0.2%% ham called spam %.2f%%' % (statistics.mean(roca), statistics.mean(missed)))


if __name__ == '__main__':
    main()
