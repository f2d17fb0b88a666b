#!/usr/bin/env python3
"""Chooses the default verdict thresholds from the TRAIN list only, never from TEST.

Runs 5-fold cross-validation on spamassassin-train.index with several seeds and pools nothing across seeds: each
seed's scores give the lowest spam threshold that keeps ham called spam at or under --max-ham-spam (the target's
0.2%); the default is the median over seeds, rounded up to two decimals. Then, with that spam threshold, the
lowest ham threshold from 0.5 up (two decimals) that keeps the unsure share at or under --max-unsure (the
target of 2%) in the mean over seeds: the widest unsure band allowed. Prints both with what they give on the cross-validated TRAIN scores.

Usage: scripts/lab/choose-thresholds.py [--seeds 5] [--max-ham-spam 0.002] [--max-unsure 0.02]
"""
import argparse, math, os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
TRAIN = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin-train.index')


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def cross_validated_scores(seed, work):
    path = os.path.join(work, 'cv%d.tsv' % seed)
    subprocess.run([HAMLET, 'evaluate', '--train', TRAIN, '--folds', '5', '--seed', str(seed), '--scores', path],
                   check=True, stdout=subprocess.DEVNULL)
    rows = [line.rstrip('\n').split('\t') for line in open(path) if line.strip() and not line.startswith('#')]
    return [(gold == 'spam', sigmoid(float(logit))) for _, gold, logit, _ in rows]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seeds', type=int, default=5)
    parser.add_argument('--max-ham-spam', type=float, default=0.002)
    parser.add_argument('--max-unsure', type=float, default=0.02)
    args = parser.parse_args()
    if not os.path.exists(TRAIN):
        sys.exit('needs ../shared/corpora/spamassassin-train.index')
    subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as work:
        runs = [cross_validated_scores(seed, work) for seed in range(1, args.seeds + 1)]

    def lowest_spam_threshold(scores):
        ham = sorted((p for is_spam, p in scores if not is_spam), reverse=True)
        allowed = int(args.max_ham_spam * len(ham))  # this many ham may score at or above the threshold
        return ham[allowed] + 1e-12  # just above the first ham that must stay below it

    spam = math.ceil(statistics.median(lowest_spam_threshold(s) for s in runs) * 100) / 100

    def figures(spam_threshold, ham_threshold):
        unsure, missed, ham_spam = [], [], []
        for scores in runs:
            n = len(scores)
            n_spam = sum(1 for is_spam, _ in scores if is_spam)
            unsure.append(sum(1 for _, p in scores if ham_threshold <= p < spam_threshold) / n)
            missed.append(sum(1 for is_spam, p in scores if is_spam and p < spam_threshold) / n_spam)
            ham_spam.append(sum(1 for is_spam, p in scores if not is_spam and p >= spam_threshold) / (n - n_spam))
        return statistics.mean(unsure), statistics.mean(missed), statistics.mean(ham_spam)

    ham = 0.5
    while ham < spam and figures(spam, ham)[0] > args.max_unsure:
        ham = round(ham + 0.01, 2)
    unsure, missed, ham_spam = figures(spam, ham)
    print('spam threshold %.2f, ham threshold %.2f' % (spam, ham))
    print('on 5-fold cross-validation of TRAIN (mean of %d seeds): ham called spam %.3f%%, spam not called spam '
          '%.2f%%, unsure %.2f%% of messages' % (args.seeds, 100 * ham_spam, 100 * missed, 100 * unsure))


if __name__ == '__main__':
    main()
